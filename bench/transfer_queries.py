"""SQL queries, wall time and machine CPU per money request (authentication included).

Usage: .venv/bin/python bench/transfer_queries.py [--database-url URL] [--repeat N] [--smoke]
Without --database-url a throwaway SQLite file is migrated and removed. Runs
in process with the production settings (no debug, no broker). The money
path is the request with its events written to the outbox and left there;
"with receivers" adds their inline delivery right after the commit. Then the
queries of the outbox dispatcher delivering one batch of 50 events, the machine
CPU (every process, PostgreSQL included, from /proc/stat) of N external
transfers, without and with delivering their events, and the most transfers
per second that this machine's cores could do at that cost; a one-line
summary last. Target (issue 13): ≤ 8 queries per transfer on the money path
(authentication included; BEGIN/COMMIT counted); the after-commit receivers
of other modules (notifications, risk rules, metrics) are measured separately.
``--show-sql`` prints each money path's statements.
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

TARGET = 8


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
    parser.add_argument("--show-sql", action="store_true", help="print the statements of each money path")
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
        results, worker, cpu = measure(args.repeat, args.show_sql)
    finally:
        if tmp:
            Path(tmp.name).unlink(missing_ok=True)
    for name, status, core, core_ms, total, total_ms in results:
        print(
            f"{name:<24} HTTP {status}  money path {core:>3} queries {core_ms:7.1f} ms"
            f"  | with after-commit receivers {total:>3} queries {total_ms:7.1f} ms"
        )
    events, queries = worker
    print(f"outbox dispatcher, one batch of {events} events (external transfers: 2 events each; risk rules, metrics, "
          f"notifications): {queries} queries, {queries / max(events, 1):.1f} per event")
    cores = os.cpu_count()
    for label, ms in cpu.items():
        # /proc/stat counts in clock ticks (10 ms): a few transfers (--smoke) may read as 0.
        ceiling = f"at most {1000 * cores / ms:.0f} transfers/s" if ms else "a rate too high to read from so few"
        print(f"external transfer, {label}: {ms:.1f} CPU-ms per transfer (machine-wide, mean of {args.repeat}); "
              f"{cores} cores allow {ceiling} at that cost")
    worst = max(r[2] for r in results if r[0] in ("internal transfer", "external transfer"))
    verdict = "OK" if worst <= TARGET else "OVER TARGET"
    print(
        f"summary: max {worst} queries per transfer on the money path incl. auth (without a key; target ≤ {TARGET}, "
        f"{verdict}); "
        + ", ".join(f"{r[0]}={r[2]}/{r[4]}" for r in results)
        + " (money path/with receivers)"
    )


def measure(repeat, show_sql=False):
    import random
    from decimal import Decimal
    from uuid import uuid4

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from rest_framework.test import APIClient

    from api.models import Account, Biller
    from api.services.deposits import deposit
    from api.services.sessions import issue_tokens
    from nexus.testing.factories import UserFactory

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

    def run(name, path, body, show=False):
        with CaptureQueriesContext(connection) as queries:
            start = time.perf_counter()
            response = client.post(path, body, format="json")
            elapsed = (time.perf_counter() - start) * 1000
        if response.status_code >= 400:
            raise SystemExit(f"{name} failed: {response.status_code} {response.content[:300]!r}")
        if show:
            print(f"--- {name}: {len(queries)} statements")
            for query in queries:
                print("  ", query["sql"][:160])
        return response.status_code, len(queries), elapsed

    client.get("/api/billers/")  # warm per-process caches (system accounts, content types)
    run(*operations("warm")[0])
    results = []
    for (name, path, body), (_, path2, body2) in zip(operations("core"), operations("all")):
        with deferred_delivery():
            status, core, core_ms = run(name, path, body, show_sql)
        _, total, total_ms = run(name, path2, body2)
        results.append((name, status, core, core_ms, total, total_ms))

    batch_size = 50
    with deferred_delivery():
        for run_index in range(batch_size // 2):
            run("external transfer", "/api/transfers/external/",
                {"sender_account": a_jod.pk, "receiver_account_number": b_jod.pk, "amount": "1.00",
                 "idempotency_key": f"{tag}-batch-{run_index}"})
    worker = delivered_queries(batch_size)

    def cpu_per_transfer(label):
        """Machine CPU of ``repeat`` transfers with their events written, then of delivering them."""
        with deferred_delivery():
            before = common.machine_cpu_seconds()
            for run_index in range(repeat):
                run("external transfer", "/api/transfers/external/",
                    {"sender_account": a_jod.pk, "receiver_account_number": b_jod.pk, "amount": "1.00",
                     "idempotency_key": f"{tag}-{label}-{run_index}"})
            request = common.machine_cpu_seconds() - before
        from api.events import drain

        drain()
        delivered = common.machine_cpu_seconds() - before
        return 1000 * request / repeat, 1000 * delivered / repeat

    money_path, with_receivers = cpu_per_transfer("cpu")
    return results, worker, {"money path only": money_path, "with after-commit receivers": with_receivers}


def delivered_queries(batch_size):
    """``(events, queries)`` of the outbox dispatcher delivering one batch of ``batch_size`` pending events."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from api.events import deliver_batch

    with CaptureQueriesContext(connection) as queries:
        handled = deliver_batch(limit=batch_size)
    return len(handled), len(queries)


@contextmanager
def deferred_delivery():
    """The request alone: events written to the outbox, left for the dispatcher (delivered by ``drain``)."""
    from django.conf import settings

    saved = settings.OUTBOX_INLINE
    settings.OUTBOX_INLINE = False
    try:
        yield
    finally:
        settings.OUTBOX_INLINE = saved


if __name__ == "__main__":
    main()
