"""Shared pieces of the bench scripts.

Two halves. The *driver* half (imported by bench/transfers.py and
bench/crash.py, whose load generator is gevent-patched) never imports Django:
it runs the *Django* half as a subprocess, ``python bench/common.py prepare``
or ``... dump``, with the server's environment (same database, same secret
key, so the issued tokens are valid on the server). The Django half creates
bench users, their accounts and deposits through the real service code, and
dumps ledger facts for the checks.
"""
import argparse
import json
import math
import os
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
# A refusal the contract expects under load; anything else non-2xx is an error.
BUSINESS_REFUSALS = {"insufficient_funds", "limit_exceeded", "daily_limit_exceeded", "account_frozen"}


# --- driver half: no Django imports ----------------------------------------------
def with_database(url, name):
    """``url`` pointing at database ``name`` on the same server."""
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path="/" + name))


def database_name(url):
    return urlsplit(url).path.lstrip("/")


def psql(url, sql):
    """Run ``sql`` on the server of ``url`` (connected to the maintenance database, for CREATE/DROP)."""
    subprocess.run(
        ["psql", with_database(url, "postgres"), "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        check=True, capture_output=True, text=True,
    )


def recreate_database(url):
    """Drop and create the database of ``url`` (a bench database, never a shared one)."""
    name = database_name(url)
    if name in {"postgres", "template0", "template1"} or name.startswith(("test_", "h_")):
        raise SystemExit(f"refusing to recreate database {name!r}")
    psql(url, f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(url, f'CREATE DATABASE "{name}"')


def ensure_database(url):
    try:
        psql(url, f'CREATE DATABASE "{database_name(url)}"')
    except subprocess.CalledProcessError as error:
        if "already exists" not in error.stderr:
            raise


def django_call(env, command, payload):
    """Run the Django half (``command``) in a subprocess with ``env``; JSON in, JSON out."""
    with tempfile.TemporaryDirectory() as tmp:
        source, target = Path(tmp, "in.json"), Path(tmp, "out.json")
        source.write_text(json.dumps(payload))
        subprocess.run(
            [PYTHON, str(Path(__file__)), command, str(source), str(target)], cwd=ROOT, env=env, check=True
        )
        return json.loads(target.read_text())


def prepare(env, prefix, groups):
    """Create users per group (``[{"name", "users", "deposit"}]``), one funded JOD account each, and tokens.

    Returns ``{"users": [{group, id, email, token, account}], "deposits_total": "…", "staff": {id, token}}``;
    the staff user made the deposits.
    """
    return django_call(env, "prepare", {"prefix": prefix, "groups": groups})


def dump(env, prefix):
    """Ledger facts of the run ``prefix``: its accounts' balances, deposits and every transaction they sent."""
    return django_call(env, "dump", {"prefix": prefix})


def effects(env, prefix, wait_seconds=120):
    """Once the outbox is drained: the run's side effects checked against its transactions (see ``_effects``)."""
    return django_call(env, "effects", {"prefix": prefix, "wait_seconds": wait_seconds})


def verify_ledger(env):
    """``manage.py verify_ledger``: (ok, output)."""
    done = subprocess.run(
        [PYTHON, "manage.py", "verify_ledger"], cwd=ROOT, env=env, capture_output=True, text=True
    )
    return done.returncode == 0, (done.stdout + done.stderr).strip()


def percentile(values, fraction):
    """Nearest-rank percentile (no interpolation): the value ``fraction`` of samples are at or below."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def core_seconds(additions=10_000_000):
    """CPU seconds one core takes for a bare Python loop of ``additions`` additions.

    The machine's speed drifts between sessions and within one (shared
    cores); printed with each run, it says which figures can be compared.
    The loop runs in a function (local names), so it is faster than the same
    loop typed at module level, which "The machine and the stack" in
    docs/BENCHMARKS.md timed at 1.4 s on 2026-11-28.
    """
    started, total = time.process_time(), 0
    for number in range(additions):
        total += number
    return time.process_time() - started


def machine_cpu_seconds():
    """CPU seconds the whole machine has spent busy (all processes, all cores) since boot, from /proc/stat."""
    with open("/proc/stat") as stat:
        fields = [int(value) for value in stat.readline().split()[1:]]
    idle, iowait = fields[3], fields[4]
    return (sum(fields) - idle - iowait) / os.sysconf("SC_CLK_TCK")


def process_cpu_seconds(pid):
    """User + system CPU seconds of process ``pid`` so far, from /proc/<pid>/stat; None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pids_named(name):
    """Processes whose command name is ``name`` (e.g. the shared ``redis-server``), from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        try:
            if entry.name.isdigit() and (entry / "comm").read_text().strip() == name:
                found.append(int(entry.name))
        except OSError:
            continue
    return found


def backend_pids(url):
    """PostgreSQL backends connected to the database of ``url`` (pg_stat_activity)."""
    done = subprocess.run(
        ["psql", url, "-tA", "-c",
         "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"],
        capture_output=True, text=True,
    )
    return [int(line) for line in done.stdout.split() if line.isdigit()]


def pending_events(url):
    """Outbox events not delivered yet in the database of ``url`` (0 when there is no outbox table)."""
    done = subprocess.run(
        ["psql", url, "-tA", "-c", "SELECT count(*) FROM api_outboxevent WHERE delivered_at IS NULL AND given_up_at IS NULL"],
        capture_output=True, text=True,
    )
    return int(done.stdout.strip()) if done.returncode == 0 and done.stdout.strip().isdigit() else 0


class ProcessCPU:
    """CPU seconds spent by named groups of processes, sampled from /proc while they come and go.

    ``groups`` maps a name to a function returning that group's pids now. A
    process seen at the first sample counts from its value then; one that
    appears later (a respawned worker, a new PostgreSQL backend) from zero.
    The machine-wide figure would also count whatever else runs on it.
    """

    def __init__(self, groups):
        self.groups = groups
        self.first, self.last = {}, {}
        self.started = False

    def sample(self):
        for group, pids in self.groups.items():
            for pid in pids():
                seconds = process_cpu_seconds(pid)
                if seconds is None:
                    continue
                self.first.setdefault((group, pid), seconds if not self.started else 0.0)
                self.last[(group, pid)] = seconds
        self.started = True

    def by_group(self):
        totals = {group: 0.0 for group in self.groups}
        for key, seconds in self.last.items():
            totals[key[0]] += seconds - self.first[key]
        return totals


def is_business_refusal(status, body):
    if status != 400:
        return False
    try:
        return json.loads(body).get("code") in BUSINESS_REFUSALS
    except (ValueError, AttributeError, TypeError):
        return False


def pgbench_tps(url, scale=10, clients=8, threads=2, seconds=20):
    """TPC-B TPS of ``pgbench`` in its own database ``<name>_pgbench`` on the same server (then dropped)."""
    target = with_database(url, database_name(url) + "_pgbench")
    recreate_database(target)
    try:
        subprocess.run(["pgbench", "-i", "-q", "-s", str(scale), target], check=True, capture_output=True)
        done = subprocess.run(
            ["pgbench", "-c", str(clients), "-j", str(threads), "-T", str(seconds), target],
            check=True, capture_output=True, text=True,
        )
    finally:
        psql(target, f'DROP DATABASE IF EXISTS "{database_name(target)}" WITH (FORCE)')
    match = re.search(r"tps = ([\d.]+) \(without initial connection time\)", done.stdout)
    return float(match.group(1))


# --- Django half: runs in ``python bench/common.py COMMAND IN OUT`` ----------------
def _setup_django():
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nexus.settings")
    import django

    django.setup()


def _prepare(payload):
    from decimal import Decimal

    from api.models import Account, User
    from api.services.accounts import open_account
    from api.services.deposits import deposit
    from api.services.sessions import issue_tokens

    prefix = payload["prefix"]
    staff = User.objects.create_user(email=f"{prefix}-staff@bench.invalid", is_staff=True)
    users, total = [], Decimal("0.00")
    for group in payload["groups"]:
        amount = Decimal(group["deposit"])
        for index in range(group["users"]):
            user = User.objects.create_user(email=f"{prefix}-{group['name']}-{index}@bench.invalid")
            account = open_account(user, Account.Type.SAVINGS)
            if amount:
                deposit(staff, account.account_number, amount, description="bench funding")
                total += amount
            token = issue_tokens(user)["access"]
            users.append({"group": group["name"], "id": user.pk, "email": user.email,
                          "token": token, "account": account.account_number})
    return {"users": users, "deposits_total": f"{total:.2f}", "staff": {"id": staff.pk, "token": issue_tokens(staff)["access"]}}


def _dump(payload):
    from django.db.models import Sum

    from api.models import Account, LedgerEntry, Transaction

    prefix = payload["prefix"]
    accounts = Account.objects.filter(user__email__startswith=f"{prefix}-")
    numbers = list(accounts.values_list("account_number", flat=True))
    deposits = Transaction.objects.filter(
        kind=Transaction.Kind.DEPOSIT, status=Transaction.Status.SUCCESS, receiver_account__in=numbers
    ).aggregate(total=Sum("amount"))["total"]
    sent = Transaction.objects.filter(sender_account__in=numbers).exclude(kind=Transaction.Kind.DEPOSIT)
    entries = {}
    for txn_id, account, amount in LedgerEntry.objects.filter(transaction__in=sent).values_list(
        "transaction_id", "account_id", "amount"
    ):
        entries.setdefault(str(txn_id), []).append([account, f"{amount:.2f}"])
    transactions = [
        {
            "id": row["id"], "initiated_by": row["initiated_by_id"], "key": row["idempotency_key"],
            "status": row["status"], "amount": f"{row['amount']:.2f}", "fee": f"{row['fee_amount']:.2f}",
            "sender": row["sender_account_id"], "receiver": row["receiver_account_id"],
            "entries": entries.get(str(row["id"]), []),
        }
        for row in sent.values(
            "id", "initiated_by_id", "idempotency_key", "status", "amount", "fee_amount",
            "sender_account_id", "receiver_account_id",
        )
    ]
    return {
        "balances": {number: f"{balance:.2f}" for number, balance in accounts.values_list("account_number", "balance")},
        "deposits_total": f"{deposits or 0:.2f}",
        "transactions": transactions,
    }


def _effects(payload):
    """Every side effect of the run's transfers, exactly once (``lost_effects`` counts what is not).

    - each SUCCESS transfer has its two TRANSACTION notifications (debit, credit);
    - the transaction rules ran once per transfer (``_wrong_rule_runs``);
    - ``rebuild_metrics`` over the run's days gives the live figures (compared
      inside a transaction that is rolled back).
    Waits up to ``wait_seconds`` for the stack's deliverer to empty the outbox
    (the audit runs while the stack still serves); what is left then is
    delivered here (the bench stack runs no beat) and reported. Examples of
    what is wrong name the transaction, so a flake can be looked up.
    """
    left_to_drain = _wait_then_drain(payload["wait_seconds"])
    sent = _run_transfers(payload["prefix"])
    missing = _missing_notifications(sent)
    wrong = _wrong_rule_runs(sent)
    metric_differences = _metric_differences(sent)
    return {
        "transfers": len(sent),
        "drained_here": left_to_drain,
        "missing_notifications": len(missing),
        "missing_notifications_of": missing[:5],
        "wrong_rule_runs": len({w["transaction"] for w in wrong}),
        "wrong_rule_examples": wrong[:5],
        "metric_differences": [list(map(str, key)) for key in metric_differences[:20]],
        "lost_effects": len(missing) + len({w["transaction"] for w in wrong}) + len(metric_differences),
    }


def _wait_then_drain(wait_seconds, attempts=5):
    """Wait for the outbox to empty, then deliver what is left; returns how many events were left.

    The stack's deliverer may still be running a batch: a deadlock with it
    fails our batch as a whole, which is simply tried again.
    """
    import time as clock

    from django.db import DatabaseError

    from api.events import drain
    from api.models import OutboxEvent

    deadline = clock.monotonic() + wait_seconds
    pending = OutboxEvent.objects.filter(delivered_at__isnull=True)
    while pending.exists() and clock.monotonic() < deadline:
        clock.sleep(0.5)
    left = pending.count()
    for attempt in range(attempts):
        try:
            drain()
            return left
        except DatabaseError:
            if attempt == attempts - 1:
                raise
            clock.sleep(0.5)
    return left


def _run_transfers(prefix):
    """The transfers sent from the run's accounts, oldest first, as dicts."""
    from api.models import Account, Transaction

    numbers = Account.objects.filter(user__email__startswith=f"{prefix}-").values_list("pk", flat=True)
    return list(
        Transaction.objects.filter(sender_account__in=list(numbers), kind__in=Transaction.TRANSFER_KINDS)
        .order_by("created_at", "id")
        .values("id", "status", "initiated_by_id", "receiver_account_id", "created_at", "completed_at")
    )


def _missing_notifications(sent):
    """Ids of SUCCESS transfers without exactly their two TRANSACTION notifications."""
    from collections import Counter

    from api.models import Notification

    notified = Counter(
        Notification.objects.filter(related_transaction__in=[t["id"] for t in sent], notification_type="TRANSACTION")
        .values_list("related_transaction_id", flat=True)
    )
    return [t["id"] for t in sent if t["status"] == "SUCCESS" and notified[t["id"]] != 2]


def _wrong_rule_runs(sent):
    """``[{transaction, status, rule, expected, fired}]`` where a transaction rule did not fire as predicted.

    Predicted from the committed rows: ``first_beneficiary`` fires for a
    transfer with no other non-FAILED transfer of its user to its receiver
    created no later (FAILED ones fire it too: they do not count as earlier),
    ``failed_transfer`` once for each FAILED one.
    """
    from collections import Counter

    from risk.models import Incident

    fired = Counter(
        (rule, details.get("transaction_id"))
        for rule, details in Incident.objects.filter(rule__in=["first_beneficiary", "failed_transfer"])
        .values_list("rule", "details")
    )
    by_pair = {}
    for txn in sent:
        by_pair.setdefault((txn["initiated_by_id"], txn["receiver_account_id"]), []).append(txn)
    wrong = []
    for txn in sent:
        earlier = any(
            other["id"] != txn["id"] and other["status"] != "FAILED" and other["created_at"] <= txn["created_at"]
            for other in by_pair[(txn["initiated_by_id"], txn["receiver_account_id"])]
        )
        expected = {"first_beneficiary": int(not earlier), "failed_transfer": int(txn["status"] == "FAILED")}
        wrong += [
            {"transaction": txn["id"], "status": txn["status"], "rule": rule, "expected": count,
             "fired": fired[(rule, txn["id"])]}
            for rule, count in expected.items() if fired[(rule, txn["id"])] != count
        ]
    return wrong


def _metric_differences(sent):
    """Keys of the live metric figures of the run's days that a rebuild (rolled back) gives differently."""
    from django.db import transaction

    from business.metrics.days import business_date
    from business.metrics.rebuild import rebuild

    run_days = sorted({business_date(t["completed_at"] or t["created_at"]) for t in sent})
    live = _figures(run_days)
    with transaction.atomic():
        if run_days:
            rebuild(run_days[0], run_days[-1])
        rebuilt = _figures(run_days)
        transaction.set_rollback(True)
    return sorted(key for key in live.keys() | rebuilt.keys() if live.get(key) != rebuilt.get(key))


def _figures(run_days):
    """``{(date, scope, field): value}`` of the metrics the dashboards read for ``run_days``."""
    from business.metrics.read import day_figures, keyed_figures
    from business.models import CountryUserMetrics, CurrencyMetrics, DailyBusinessMetrics

    out = {}
    for day, values in day_figures(list(DailyBusinessMetrics.objects.filter(date__in=run_days))).items():
        out.update({(day, "day", name): str(value) for name, value in values.items()})
    for model, key in ((CountryUserMetrics, "country"), (CurrencyMetrics, "currency")):
        for row, values in keyed_figures(model, key, list(model.objects.filter(date__in=run_days))):
            out.update({(row.date, getattr(row, key), name): str(value) for name, value in values.items()})
    return out


def _main():
    parser = argparse.ArgumentParser(description="Django half of the bench helpers (internal).")
    parser.add_argument("command", choices=["prepare", "dump", "effects"])
    parser.add_argument("source")
    parser.add_argument("target")
    args = parser.parse_args()
    _setup_django()
    payload = json.loads(Path(args.source).read_text())
    result = {"prepare": _prepare, "dump": _dump, "effects": _effects}[args.command](payload)
    Path(args.target).write_text(json.dumps(result))


if __name__ == "__main__":
    _main()
