"""Crash proof: transfer load while the HTTP server processes are SIGKILLed and restarted.

    python bench/crash.py [--database-url postgres://postgres@127.0.0.1:5432/bench_crash] \
        [--clients 8] [--crashes 4] [--interval 4] [--smoke]

The database is dropped and created (a bench database of its own). Clients
send external transfers with unique idempotency keys; every few seconds the
HTTP side is killed with SIGKILL, alternately the workers only (the gunicorn
master respawns them) and every HTTP process (then restarted). A request that
got no answer (connection reset, refused, 5xx) is unknown: once the load ends
it is replayed with the same key and payload, so it ends acknowledged (200 if
it had committed, else 201) or refused. Then the checks:

- ``verify_ledger`` is ok;
- every acknowledged (201/200 with a SUCCESS body) transfer exists, SUCCESS,
  with the exact amount, fee and ledger entries the client asked for
  (``lost`` counts those that do not);
- no refused transfer moved money (a 4xx, or a replay answering 200 with the
  FAILED transaction its first, unanswered try recorded for insufficient funds);
- the run's customer balances add up to its deposits minus the fees charged;
- once the outbox is drained (the side effects of the committed transfers,
  which a killed process must not lose): every SUCCESS transfer has its
  notifications, the transaction rules ran once for each transfer, and
  ``rebuild_metrics`` over the run's days equals the live metrics
  (``lost_effects`` counts what is missing, doubled or different).

Last line: ``crashes=<n> acknowledged=<n> lost=<n> lost_effects=<n> ledger=<ok|FAILED>``.
"""
import transfers  # noqa: I001  (first: gevent monkey-patching)

import argparse  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import signal  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from decimal import ROUND_HALF_UP, Decimal  # noqa: E402

import gevent  # noqa: E402
from gevent.pool import Pool  # noqa: E402
from geventhttpclient import HTTPClient  # noqa: E402
from geventhttpclient.url import URL  # noqa: E402

import common  # noqa: E402
import serve  # noqa: E402

CENT = Decimal("0.01")
FEE_RATE = Decimal(os.environ.get("EXTERNAL_TRANSFER_FEE_RATE", "0.01"))
POOR_FUNDING = "30.00"  # one sender runs dry: its refusals must move no money


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get(
        "BENCH_CRASH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/bench_crash"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--crashes", type=int, default=4)
    parser.add_argument("--interval", type=float, default=4.0, help="seconds of load between kills")
    parser.add_argument("--smoke", action="store_true", help="short CI run (2 crashes, 1.5 s apart)")
    serve.add_serve_arguments(parser)
    args = parser.parse_args(argv)
    if args.smoke:
        args.crashes, args.interval = min(args.crashes, 2), min(args.interval, 1.5)
    return args


class Crasher:
    """Kills the HTTP side ``crashes`` times, ``interval`` seconds apart, and brings it back."""

    def __init__(self, stack, crashes, interval):
        self.stack, self.crashes, self.interval, self.done = stack, crashes, interval, 0

    def __call__(self, started):
        for number in range(1, self.crashes + 1):
            gevent.sleep(self.interval)
            if number % 2 and self.stack.config.mode != "daphne":
                pids = self.stack.worker_pids()
                for pid in pids:
                    os.kill(pid, signal.SIGKILL)
                what = f"SIGKILL {len(pids)} workers (master respawns them)"
                gevent.sleep(0.2)
                self.stack.wait_ready(120)
            else:
                pids = self.stack.http_pids()
                self.stack.kill_http(signal.SIGKILL)
                what = f"SIGKILL all {len(pids)} HTTP processes, restarted"
                self.stack.restart_http(120)
            self.done += 1
            print(f"crash {number} at {time.monotonic() - started:.1f}s: {what}; serving again", flush=True)


def replay_unknown(base_url, plan, slots):
    """Resend every unanswered request with its key and payload until it gets a definite answer."""
    unknown = [r for r in plan.records if r.status == 0 or r.status >= 500]
    by_index = {slot.index: slot for slot in slots}
    url = URL(base_url)
    http = HTTPClient(url.host, url.port, concurrency=8, connection_timeout=5, network_timeout=30)

    def resolve(sent):
        slot = by_index[sent.client]
        body = transfers.json.dumps({"sender_account": sent.sender, "receiver_account_number": sent.receiver,
                                     "amount": sent.amount, "idempotency_key": sent.key})
        headers = {"Authorization": f"Bearer {slot.token}", "Content-Type": "application/json"}
        for _ in range(50):
            try:
                response = http.post(transfers.TRANSFER_PATH, body=body, headers=headers)
                status, text = response.status_code, response.read().decode()
            except OSError:
                gevent.sleep(0.2)
                continue
            if status < 500:
                break
            gevent.sleep(0.2)
        else:
            return
        transfers.record(plan, slot, sent.key, sent.receiver, sent.amount, status, text, 0.0, 0.0)
        plan.records.remove(sent)

    Pool(8).map(resolve, unknown)
    http.close()
    return len(unknown)


def fee_of(amount):
    return (amount * FEE_RATE).quantize(CENT, rounding=ROUND_HALF_UP)


def exact(sent, txn):
    """Does the stored transaction carry exactly what the client asked for, in status and entries?"""
    amount = Decimal(sent.amount)
    fee = fee_of(amount)
    if txn is None or txn["status"] != "SUCCESS" or txn["key"] != sent.key:
        return False
    if (txn["sender"], txn["receiver"], Decimal(txn["amount"]), Decimal(txn["fee"])) != (
        sent.sender, sent.receiver, amount, fee
    ):
        return False
    entries = sorted((account, Decimal(value)) for account, value in txn["entries"])
    fee_accounts = [e for e in entries if e[0] not in (sent.sender, sent.receiver)]
    expected = sorted([(sent.sender, -(amount + fee)), (sent.receiver, amount)] +
                      [(fee_accounts[0][0] if fee_accounts else "?", fee)])
    return entries == expected


def audit(env, prefix, records):
    """The checks of the module docstring; returns (acknowledged, lost, ledger problems)."""
    facts = common.dump(env, prefix)
    by_id = {txn["id"]: txn for txn in facts["transactions"]}
    by_key = {(txn["sender"], txn["key"]): txn for txn in facts["transactions"]}
    acknowledged = [r for r in records if r.status in (200, 201) and r.txn_status != "FAILED"]
    # A worker killed while sending its answer can leave a 2xx status line with a cut body (no id):
    # that transfer is looked up by its key.
    unreadable = [r for r in acknowledged if r.txn_id is None]
    if unreadable:
        print(f"acknowledged with an unreadable body (answer cut by a kill), checked by key: {len(unreadable)}")
    lost = [
        r for r in acknowledged
        if not exact(r, by_id.get(r.txn_id) if r.txn_id is not None else by_key.get((r.sender, r.key)))
    ]
    for sent in lost[:10]:
        print(f"LOST: acknowledged but missing or different: {sent.key} (txn {sent.txn_id})")
    problems = []
    # Refused: a 4xx, or a replay answering 200 with the FAILED transaction its first try recorded.
    refused = [r for r in records if 400 <= r.status < 500 or r.txn_status == "FAILED"]
    for sent in refused:
        txn = by_key.get((sent.sender, sent.key))
        if txn is not None and (txn["entries"] or txn["status"] == "SUCCESS"):
            problems.append(f"refused {sent.key} ({sent.status} {sent.code}) moved money: txn {txn['id']}")
    acked_keys = {r.key for r in acknowledged}
    silent = [t for t in facts["transactions"] if t["status"] == "SUCCESS" and t["key"] not in acked_keys]
    fees = sum((Decimal(t["fee"]) for t in facts["transactions"] if t["status"] == "SUCCESS"), Decimal("0"))
    balances = sum((Decimal(v) for v in facts["balances"].values()), Decimal("0"))
    deposits = Decimal(facts["deposits_total"])
    replayed_failed = sum(1 for r in refused if r.txn_status == "FAILED")
    print(f"refused: {len(refused)} ({replayed_failed} of them answered 200 with the FAILED transaction on replay); "
          f"committed without a client acknowledgement (in flight at the end): "
          f"{len(silent)}")
    print(f"customer balances {balances} = deposits {deposits} - fees {fees}: "
          f"{'yes' if balances == deposits - fees else 'NO'}")
    if balances != deposits - fees:
        problems.append(f"balances {balances} != deposits {deposits} - fees {fees}")
    return len(acknowledged), len(lost), problems


def print_effects(effects):
    """The side-effect audit's figures, with the transactions behind any that is off."""
    print(f"side effects of {effects['transfers']} transfers: {effects['missing_notifications']} without their "
          f"notifications {effects['missing_notifications_of']}, {effects['wrong_rule_runs']} whose rules did not "
          f"run exactly once {effects['wrong_rule_examples']}, {len(effects['metric_differences'])} live metric "
          f"figures different from a rebuild {effects['metric_differences'][:5]}; events the worker had not "
          f"delivered after the wait, delivered by the audit: {effects['drained_here']}")


def main(argv=None):
    args = parse_args(argv)
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before the run", flush=True)
    common.recreate_database(args.database_url)
    stack = serve.ServerStack(serve.config_from(args, args.database_url, extra_env=transfers.BENCH_ENV))
    stack.migrate()
    prefix = f"cr{int(time.time())}{random.randint(100, 999)}"  # noqa: S311
    groups = [{"name": "sender", "users": args.clients, "deposit": transfers.FUNDING},
              {"name": "poor", "users": 1, "deposit": POOR_FUNDING},
              {"name": "receiver", "users": max(8, args.clients), "deposit": "0"}]
    with stack:
        users = common.prepare(stack.env, prefix, groups)["users"]
        slots = transfers.slots_for(users, args.clients, hot=False)
        poor = next(u for u in users if u["group"] == "poor")
        slots[-1] = transfers.Slot(slots[-1].index, poor["token"], poor["account"], slots[-1].receivers)
        plan = transfers.LoadPlan(slots, prefix, Decimal("10.00"), pause_after_error=0.1)
        crasher = Crasher(stack, args.crashes, args.interval)
        print(f"serving: mode={args.mode} workers={args.workers}; {args.clients} clients, "
              f"{args.crashes} crashes {args.interval:g}s apart", flush=True)
        transfers.run_load(stack.base_url, plan, args.clients, args.interval / 2, during=crasher)
        replayed = replay_unknown(stack.base_url, plan, slots)
        print(f"requests: {len(plan.records)}; unanswered during crashes, replayed with their key: {replayed}")
        still_unknown = sum(1 for r in plan.records if r.status == 0 or r.status >= 500)
        # While the stack still serves: its deliverer empties the outbox, the audit only waits for it.
        effects = common.effects(stack.env, prefix)
    ledger_ok, ledger_out = common.verify_ledger(stack.env)
    print(ledger_out)
    acknowledged, lost, problems = audit(stack.env, prefix, plan.records)
    print_effects(effects)
    for problem in problems[:20]:
        print("PROBLEM:", problem)
    if still_unknown:
        print(f"PROBLEM: {still_unknown} requests never got a definite answer")
    ok = ledger_ok and not problems and not still_unknown
    print(f"crashes={crasher.done} acknowledged={acknowledged} lost={lost} lost_effects={effects['lost_effects']} "
          f"ledger={'ok' if ok else 'FAILED'}", flush=True)
    return 0 if ok and lost == 0 and effects["lost_effects"] == 0 and crasher.done == args.crashes else 1


if __name__ == "__main__":
    sys.exit(main())
