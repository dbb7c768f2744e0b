"""SQL queries, wall time and machine CPU per money request (authentication included).

Usage: .venv/bin/python bench/transfer_queries.py [--database-url URL] [--repeat N] [--smoke]
Without --database-url a throwaway SQLite file is migrated and removed. Runs
in process with the production settings (no debug, no broker, so the
after-commit receivers run inline). Prints one line per operation, then the
machine CPU (every process, PostgreSQL included, from /proc/stat) of N
external transfers, without and with the receivers, and the most transfers
per second that this machine's cores could do at that cost; a one-line
summary last. Target: ≤ 15 queries per transfer on the money path
(authentication included; BEGIN/COMMIT counted); the after-commit receivers
of other modules (notifications, risk rules, metrics) are measured separately.
"""
import argparse
import os
import secrets
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

TARGET = 15


def setup(database_url):
    sys.path.insert(0, str(ROOT))
    os.environ.pop("REDIS_URL", None)  # no broker: the receivers run in this process, where they are measured
    os.environ.update(
        DJANGO_SETTINGS_MODULE="nexus.settings",
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="localhost",
        API_THROTTLING="off",
        LOG_LEVEL="WARNING",
        DATABASE_URL=database_url,
        # As in bench/transfers.py: the figures must not depend on the hour of the run.
        RISK_UNUSUAL_HOUR_START="0",
        RISK_UNUSUAL_HOUR_END="0",
    )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="database to use (default: throwaway SQLite file)")
    parser.add_argument("--repeat", type=int, default=100, help="external transfers per CPU measurement")
    parser.add_argument("--smoke", action="store_true", help="--repeat 3 (a quick check)")
    args = parser.parse_args()
    if args.smoke:
        args.repeat = 3
    tmp = None
    url = args.database_url
    if url:
        common.ensure_database(url)
    else:
        tmp = tempfile.NamedTemporaryFile(suffix=".sqlite3", delete=False)  # noqa: SIM115 - removed after the run
        url = f"sqlite:///{tmp.name}"
    setup(url)
    try:
        results, worker, cpu = measure(args.repeat)
    finally:
        if tmp:
            Path(tmp.name).unlink(missing_ok=True)
    for name, status, core, core_ms, total, total_ms in results:
        print(
            f"{name:<24} HTTP {status}  money path {core:>3} queries {core_ms:7.1f} ms"
            f"  | with after-commit receivers {total:>3} queries {total_ms:7.1f} ms"
        )
    print(f"external transfer's events delivered on the worker (risk rules, metrics, notifications): {worker} queries")
    cores = os.cpu_count()
    for label, ms in cpu.items():
        print(f"external transfer, {label}: {ms:.1f} CPU-ms per transfer (machine-wide, mean of {args.repeat}); "
              f"{cores} cores allow at most {1000 * cores / ms:.0f} transfers/s at that cost")
    worst = max(r[2] for r in results if r[0] != "bill payment")
    verdict = "OK" if worst <= TARGET else "OVER TARGET"
    print(
        f"summary: max {worst} queries per transfer on the money path incl. auth (target ≤ {TARGET}, {verdict}); "
        + ", ".join(f"{r[0]}={r[2]}/{r[4]}" for r in results)
        + " (money path/with receivers)"
    )


def measure(repeat):
    import random
    from decimal import Decimal
    from uuid import uuid4

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from api.models import Account, Biller, Transaction
    from api.services.deposits import deposit
    from api.services.sessions import issue_tokens
    from api.tests.factories import UserFactory

    tag = uuid4().hex[:8]
    staff = UserFactory(email=f"bench-staff-{tag}@example.com", is_staff=True)
    alice = UserFactory(email=f"bench-alice-{tag}@example.com")
    bob = UserFactory(email=f"bench-bob-{tag}@example.com")

    def account(user, currency, amount=None):
        number = str(random.randint(10**11, 8 * 10**11))
        acc = Account.objects.create(account_number=number, user=user, currency=currency, type="Savings" if currency == "JOD" else currency)
        if amount:
            deposit(staff, acc.pk, Decimal(amount))
        return acc

    a_jod, a_jod2 = account(alice, "JOD", "5000.00"), account(alice, "JOD")
    b_jod, b_usd = account(bob, "JOD"), account(bob, "USD")
    client = APIClient(SERVER_NAME="localhost")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(alice)['access']}")
    biller = Biller.objects.order_by("id").first()
    def operations(run):
        key = f"{tag}-{run}"
        return [
            ("internal transfer", "/api/transfers/internal/", {"sender_account": a_jod.pk, "receiver_account": a_jod2.pk, "amount": "10.00"}),
            ("external transfer", "/api/transfers/external/", {"sender_account": a_jod.pk, "receiver_account_number": b_jod.pk, "amount": "10.00"}),
            ("cross-currency external", "/api/transfers/external/", {"sender_account": a_jod.pk, "receiver_account_number": b_usd.pk, "amount": "10.00", "idempotency_key": key}),
            ("bill payment", "/api/bill/", {"account": a_jod.pk, "biller": biller.pk, "reference_number": key[:30]}),
        ]

    def run(name, path, body):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.post(path, body, format="json")
            elapsed = (time.perf_counter() - start) * 1000
        if response.status_code >= 400:
            raise SystemExit(f"{name} failed: {response.status_code} {response.content[:300]!r}")
        return response.status_code, len(queries), elapsed

    client.get("/api/billers/")  # warm per-process caches (system accounts, content types)
    run(*operations("warm")[0])
    results = []
    for (name, path, body), (_, path2, body2) in zip(operations("core"), operations("all")):
        with muted_signals():
            status, core, core_ms = run(name, path, body)
        _, total, total_ms = run(name, path2, body2)
        results.append((name, status, core, core_ms, total, total_ms))

    worker = delivered_queries(Transaction.objects.filter(kind="EXTERNAL").latest("pk").pk)

    def cpu_per_transfer(label):
        before = common.machine_cpu_seconds()
        for run_index in range(repeat):
            run("external transfer", "/api/transfers/external/",
                {"sender_account": a_jod.pk, "receiver_account_number": b_jod.pk, "amount": "1.00",
                 "idempotency_key": f"{tag}-{label}-{run_index}"})
        return 1000 * (common.machine_cpu_seconds() - before) / repeat

    with muted_signals():
        money_path = cpu_per_transfer("money")
    return results, worker, {"money path only": money_path, "with after-commit receivers": cpu_per_transfer("all")}


def delivered_queries(pk):
    """Queries of an external transfer's event as the Celery worker delivers it (one task, row reloaded by id)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from api.events import deliver

    with CaptureQueriesContext(connection) as queries:
        deliver(["transfer_created", "transaction_completed"], "transaction", "api.Transaction", pk)
    return len(queries)


@contextmanager
def muted_signals():
    """The money path alone: after-commit receivers (notifications, risk, metrics) switched off."""
    from api import signals

    saved = {}
    for name in ("transfer_created", "transaction_completed", "transaction_reversed", "bill_payment_completed"):
        signal = getattr(signals, name)
        saved[signal] = signal.send_robust
        signal.send_robust = lambda *args, **kwargs: []
    try:
        yield
    finally:
        for signal, original in saved.items():
            signal.send_robust = original


if __name__ == "__main__":
    main()
