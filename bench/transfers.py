"""Transfer throughput of the production server stack, with the pgbench TPC-B reference.

    python bench/transfers.py --database-url postgres://postgres@127.0.0.1:5432/bench_transfers \
        --clients 8 --seconds 30 [--hot] [--smoke]

Creates its own users and funded accounts, starts the server the production
way (bench/serve.py, API_THROTTLING=off), drives external transfers of
1.00-10.00 JOD (below the OTP threshold, each with a unique idempotency key)
from N closed-loop clients (locust FastHttpUser, no wait) for S seconds, runs
waits until every side effect is delivered (the outbox empty), runs ``manage.py verify_ledger``, then pgbench in its own
database on the same server. ``--hot``: every transfer goes to one receiving
account and half of the clients send from one shared account (the worst
case for row locks).

CPU is summed per process from /proc over the load and the delivery after
it: the HTTP processes, the Daphne, the outbox dispatcher, the PostgreSQL
backends of the run's database (pg_stat_activity) and the Redis server
(shared with whatever else uses it, shown apart). The machine-wide figure,
printed too, also counts the load generator and anything else running.
Last line: ``transfers_per_s=… sustained_per_s=… cpu_ms_per_transfer=…
p50_ms=… p99_ms=… errors=… ledger=ok|FAILED``.
"""
from gevent import monkey

monkey.patch_all()

import argparse  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import random  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from collections import Counter  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402
from decimal import Decimal  # noqa: E402
from pathlib import Path  # noqa: E402

import gevent  # noqa: E402
import gevent.event  # noqa: E402
from locust import FastHttpUser, constant, task  # noqa: E402
from locust.env import Environment  # noqa: E402

sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402
import serve  # noqa: E402

TRANSFER_PATH = "/api/transfers/external/"
PROBE_PATH = "/auth/users/me/"
FUNDING = "100000.00"
HOT_FUNDING = "1000000.00"
# The unusual-hour rule raises an incident for *every* transfer made 00:00-05:00 server time; an empty
# window keeps the figures independent of the hour the benchmark happens to run (printed with them).
BENCH_ENV = {"RISK_UNUSUAL_HOUR_START": "0", "RISK_UNUSUAL_HOUR_END": "0"}


@dataclass
class Sent:
    """One transfer request as the client saw it; ``status`` 0 = no HTTP answer (connection error)."""

    client: int
    key: str
    sender: str
    receiver: str
    amount: str
    status: int
    ms: float
    started: float
    txn_id: int | None = None
    code: str | None = None
    txn_status: str | None = None  # the transaction's status in a 2xx body (a replay may answer 200 FAILED)


@dataclass
class Slot:
    """What one simulated client sends with: its token, its account, where it may send."""

    index: int
    token: str
    account: str
    receivers: list


@dataclass
class LoadPlan:
    """Shared state of one load run: slots handed to users, the records, the deadline."""

    slots: list
    prefix: str
    max_amount: Decimal
    deadline: float = 0.0
    records: list = field(default_factory=list)
    in_flight: int = 0
    _next: int = 0
    pause_after_error: float = 0.0
    probe: bool = False

    def take_slot(self):
        slot = self.slots[self._next % len(self.slots)]
        self._next += 1
        return slot

    def amount(self):
        cents = random.randint(100, int(self.max_amount * 100))  # noqa: S311 (load shape, not security)
        return f"{Decimal(cents) / 100:.2f}"


def post_transfer(client, slot, key, receiver, amount):
    """POST one external transfer; returns (status, body, ms)."""
    payload = {"sender_account": slot.account, "receiver_account_number": receiver,
               "amount": amount, "idempotency_key": key}
    started = time.perf_counter()
    with client.post(TRANSFER_PATH, json=payload, headers={"Authorization": f"Bearer {slot.token}"},
                     name="external transfer", catch_response=True) as response:
        ms = (time.perf_counter() - started) * 1000
        status, body = response.status_code or 0, response.text or ""
        if 200 <= status < 300 or common.is_business_refusal(status, body):
            response.success()
        else:
            response.failure(f"HTTP {status}")
    return status, body, ms


def record(plan, slot, key, receiver, amount, status, body, ms, started):
    sent = Sent(slot.index, key, slot.account, receiver, amount, status, ms, started)
    try:
        data = json.loads(body) if body else {}
    except ValueError:
        data = {}
    if isinstance(data, dict):
        sent.txn_id = data.get("id") if status in (200, 201) else data.get("transaction_id")
        sent.code = data.get("code")
        sent.txn_status = data.get("status") if status in (200, 201) else None
    plan.records.append(sent)
    return sent


class TransferClient(FastHttpUser):
    """A customer sending external transfers back to back (closed loop, no think time)."""

    wait_time = constant(0)
    host = "http://127.0.0.1"
    plan: LoadPlan = None
    network_timeout = 30.0
    connection_timeout = 5.0

    def on_start(self):
        self.slot = self.plan.take_slot()
        self.seq = 0

    @task
    def transfer(self):
        plan = self.plan
        if time.monotonic() >= plan.deadline:
            gevent.sleep(0.05)
            return
        if plan.probe:
            self.probe()
            return
        self.seq += 1
        key = f"{plan.prefix}-{self.slot.index}-{self.seq}"
        receiver = random.choice(self.slot.receivers)  # noqa: S311
        amount = plan.amount()
        plan.in_flight += 1
        started = time.monotonic()
        try:
            status, body, ms = post_transfer(self.client, self.slot, key, receiver, amount)
        finally:
            plan.in_flight -= 1
        record(plan, self.slot, key, receiver, amount, status, body, ms, started)
        if status == 0 and plan.pause_after_error:
            gevent.sleep(plan.pause_after_error)  # the server is down: don't spin

    def probe(self):
        """The serving stack alone: an authenticated GET of one's profile (session check + user row).

        A 200 is recorded as 201 so the summary counts it like a created transfer.
        """
        started = time.perf_counter()
        with self.client.get(PROBE_PATH, headers={"Authorization": f"Bearer {self.slot.token}"},
                             name="probe", catch_response=True) as response:
            ms = (time.perf_counter() - started) * 1000
            status = response.status_code or 0
            if status == 200:
                response.success()
            else:
                response.failure(f"HTTP {status}")
        self.plan.records.append(Sent(self.slot.index, "", "", "", "0", 201 if status == 200 else status, ms, 0.0))


def run_load(base_url, plan, clients, seconds, during=None):
    """Drive ``clients`` users for ``seconds``.

    With ``during(started_at)`` (crash.py kills there) the load lasts until it
    returns, then ``seconds`` more.
    """
    TransferClient.host = base_url
    TransferClient.plan = plan
    env = Environment(user_classes=[TransferClient])
    runner = env.create_local_runner()
    started = time.monotonic()
    plan.deadline = float("inf") if during else started + seconds
    runner.start(clients, spawn_rate=clients)
    if during is not None:
        gevent.spawn(during, started).join()
        plan.deadline = time.monotonic() + seconds
    gevent.sleep(max(0.0, plan.deadline - time.monotonic()))
    drain_until = time.monotonic() + 35
    while plan.in_flight and time.monotonic() < drain_until:
        gevent.sleep(0.02)
    runner.quit()
    return time.monotonic() - started


def slots_for(users, clients, hot):
    """Client slots: each its own sender; with ``hot`` half share one sender and all send to one receiver."""
    by_group = {}
    for user in users:
        by_group.setdefault(user["group"], []).append(user)
    receivers = [u["account"] for u in by_group["receiver"]]
    slots = []
    for index in range(clients):
        if hot and index < clients // 2:
            user = by_group["hotsender"][0]
        else:
            user = by_group["sender"][index]
        slots.append(Slot(index, user["token"], user["account"], receivers))
    return slots


def groups_for(clients, hot):
    if hot:
        return [{"name": "sender", "users": clients, "deposit": FUNDING},
                {"name": "hotsender", "users": 1, "deposit": HOT_FUNDING},
                {"name": "receiver", "users": 1, "deposit": "0"}]
    return [{"name": "sender", "users": clients, "deposit": FUNDING},
            {"name": "receiver", "users": max(16, 2 * clients), "deposit": "0"}]


def is_refusal(sent):
    """An expected business 400 (insufficient funds, limits, frozen)."""
    return sent.status == 400 and sent.code in common.BUSINESS_REFUSALS


def summarize(records, seconds):
    """Figures of a load run: (transfers_per_s, p50, p99, errors, counts by status)."""
    acknowledged = [r.ms for r in records if r.status in (200, 201)]
    errors = sum(1 for r in records if not (200 <= r.status < 300) and not is_refusal(r))
    counts = Counter(f"{r.status} {r.code}" if r.code else str(r.status) for r in records)
    created = sum(1 for r in records if r.status == 201)
    return created / seconds, common.percentile(acknowledged, 0.5), common.percentile(acknowledged, 0.99), errors, counts


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL",
                        "postgres://postgres@127.0.0.1:5432/bench_transfers"))
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30)
    parser.add_argument("--hot", action="store_true", help="one receiver, half the clients on one sender")
    parser.add_argument("--smoke", action="store_true", help="short CI run: no pgbench")
    parser.add_argument("--recreate", action="store_true", help="drop and create the database first")
    parser.add_argument("--max-amount", type=Decimal, default=Decimal("10.00"))
    parser.add_argument("--pgbench-seconds", type=int, default=20)
    parser.add_argument("--serving-probe", action="store_true",
                        help=f"measure the serving stack alone: GET {PROBE_PATH} instead of transfers")
    serve.add_serve_arguments(parser)
    return parser.parse_args(argv)


def prepare_stack(args):
    """Database ready and migrated, a stack configured (not started)."""
    if args.recreate:
        common.recreate_database(args.database_url)
    else:
        common.ensure_database(args.database_url)
    stack = serve.ServerStack(serve.config_from(args, args.database_url, extra_env=BENCH_ENV))
    stack.migrate()
    return stack


def stack_meter(stack, database_url):
    """Per-process CPU of the stack's own processes (see the module docstring)."""
    redis = common.pids_named("redis-server")

    def dispatcher():
        return [stack.worker.pid, *serve.children_of(stack.worker.pid)] if stack.worker else []

    return common.ProcessCPU({
        "http": stack.http_pids,
        "websocket": lambda: [stack.ws.pid] if stack.ws else [],
        "dispatcher": dispatcher,
        "postgres": lambda: common.backend_pids(database_url),
        "redis (shared)": lambda: redis,
    })


def sample_every(meter, seconds, stop):
    while not stop.is_set():
        meter.sample()
        stop.wait(seconds)


def wait_for_side_effects(stack, database_url, timeout=600):
    """Until the outbox is empty (an event is marked delivered with its effects); returns the seconds waited."""
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if not common.pending_events(database_url):
            break
        gevent.sleep(0.2)
    return time.monotonic() - started


def main(argv=None):
    args = parse_args(argv)
    if args.max_amount > Decimal("500.00"):
        raise SystemExit("--max-amount must stay at or below the OTP threshold (500.00)")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} before the run; a core adds "
          f"10 million numbers in {common.core_seconds():.2f} s", flush=True)
    stack = prepare_stack(args)
    prefix = f"tr{int(time.time())}{random.randint(100, 999)}"  # noqa: S311
    with stack:
        users = common.prepare(stack.env, prefix, groups_for(args.clients, args.hot))["users"]
        plan = LoadPlan(slots_for(users, args.clients, args.hot), prefix, args.max_amount, probe=args.serving_probe)
        print(f"bench environment: {BENCH_ENV}")
        print(f"serving: mode={args.mode} workers={args.workers} threads={args.threads} "
              f"on {stack.base_url}; {args.clients} clients for {args.seconds:g}s"
              f"{' (hot)' if args.hot else ''}", flush=True)
        meter, stop = stack_meter(stack, args.database_url), gevent.event.Event()
        meter.sample()
        sampler = gevent.spawn(sample_every, meter, 0.5, stop)
        cpu_before, own_before = common.machine_cpu_seconds(), time.process_time()
        elapsed = run_load(stack.base_url, plan, args.clients, args.seconds)
        cpu_used, own_used = common.machine_cpu_seconds() - cpu_before, time.process_time() - own_before
        backlog = common.pending_events(args.database_url)
        drain_s = wait_for_side_effects(stack, args.database_url)
        cpu_all = common.machine_cpu_seconds() - cpu_before
        stop.set()
        sampler.join()
        meter.sample()
    per_s, p50, p99, errors, counts = summarize(plan.records, args.seconds)
    ledger_ok, ledger_out = common.verify_ledger(stack.env)
    print("responses:", ", ".join(f"{k}: {v}" for k, v in sorted(counts.items())))
    if args.hot:
        hot_share = sum(1 for r in plan.records if r.status == 201 and r.client < args.clients // 2)
        print(f"hot sender share of created transfers: {hot_share / max(1, counts.get('201', 0)):.0%}")
    print(f"latency ms (acknowledged): p50 {p50:.1f}  p90 "
          f"{common.percentile([r.ms for r in plan.records if r.status in (200, 201)], 0.9):.1f}  p99 {p99:.1f}  "
          f"max {max([r.ms for r in plan.records] or [0]):.1f}")
    print(ledger_out)
    done = sum(1 for r in plan.records if r.status in (200, 201))
    print(f"machine CPU: {100 * cpu_used / (elapsed * os.cpu_count()):.0f}% of {os.cpu_count()} cores busy during the "
          f"load; {1000 * cpu_used / max(done, 1):.1f} CPU-ms per acknowledged request (server, workers, PostgreSQL, "
          f"Redis and load generator together; the load generator alone {1000 * own_used / max(done, 1):.1f})")
    created = counts.get("201", 0)
    sustained = created / (args.seconds + drain_s)
    print(f"side effects: {backlog} outbox events undelivered when the load ended, all delivered "
          f"{drain_s:.1f} s later; machine-wide with them {1000 * cpu_all / max(done, 1):.1f} CPU-ms per "
          f"acknowledged request; a sustained {sustained:.1f} transfers/s")
    per_group = meter.by_group()
    cpu_ms = 1000 * sum(per_group.values()) / max(created, 1)
    print("CPU-ms per created transfer by process group (load + delivery): " + ", ".join(
        f"{group} {1000 * seconds / max(created, 1):.1f}" for group, seconds in per_group.items()
    ) + f"; total {cpu_ms:.1f}")
    if not args.smoke:
        tps = common.pgbench_tps(args.database_url, seconds=args.pgbench_seconds)
        print(f"pgbench TPC-B (-s 10 -c 8 -j 2 -T {args.pgbench_seconds}): tps={tps:.1f}; "
              f"transfers are {100 * per_s / tps:.1f}% of it (target >= 15%)")
    print(f"transfers_per_s={per_s:.1f} sustained_per_s={sustained:.1f} cpu_ms_per_transfer={cpu_ms:.1f} "
          f"p50_ms={p50:.1f} p99_ms={p99:.1f} errors={errors} ledger={'ok' if ledger_ok else 'FAILED'}", flush=True)
    return 0 if ledger_ok and errors == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
