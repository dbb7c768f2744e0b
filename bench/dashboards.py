"""Dashboard read latency versus history size: every /business/ endpoint and /risk/kpis/.

    .venv/bin/python bench/dashboards.py [--transactions 10000,1000000] [--requests 30] [--database-url URL] [--smoke]

For each size, a fresh database (a temporary SQLite file, or the PostgreSQL
URL given, emptied of earlier bench rows) is filled in bulk with that many
transfers spread over past days, the metrics are rebuilt from them, and each
endpoint is called ``--requests`` times as a staff user (p50/p99 in ms).
Reads use pre-aggregated rows only, so latency should not grow with history.
``--smoke`` uses tiny sizes. Ends with a one-line summary.
"""
import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(Path(__file__).resolve().parent))
import common  # noqa: E402

ENDPOINTS = (
    "/business/daily/", "/business/daily/?date={today}", "/business/weekly/", "/business/monthly/",
    "/business/countries/", "/business/currencies/", "/business/active/", "/business/overview/", "/risk/kpis/",
)
BENCH_DOMAIN = "bench.nexus.local"


def fill_and_time(size, requests):
    """Runs inside a child process whose DATABASE_URL is already set."""
    import django

    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nexus.settings")
    django.setup()
    import random
    from datetime import datetime, timedelta
    from decimal import Decimal

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone
    from rest_framework.test import APIClient

    from api.models import Account, Transaction
    from api.services.sessions import issue_tokens
    from business.demo.writer import RawTable, reset_sequences
    from business.metrics.days import business_date
    from risk.models import LoginEvent

    call_command("migrate", "--noinput", verbosity=0)
    User = get_user_model()
    old = Transaction.objects.filter(initiated_by__email__endswith=BENCH_DOMAIN)
    old._raw_delete(old.db)
    LoginEvent.objects.filter(user__email__endswith=BENCH_DOMAIN).delete()
    Account.objects.filter(user__email__endswith=BENCH_DOMAIN).delete()
    User.objects.filter(email__endswith=BENCH_DOMAIN).delete()

    rng = random.Random(1)
    users = User.objects.bulk_create(
        [User(email=f"u{i}@{BENCH_DOMAIN}", country=rng.choice(["JO", "JO", "JO", "AE", "SA"])) for i in range(40)]
    )
    staff = User.objects.create(email=f"staff@{BENCH_DOMAIN}", is_staff=True)
    currencies = ("JOD", "JOD", "USD", "EUR")
    accounts = Account.objects.bulk_create(
        [Account(account_number=f"7{i:011d}", user=u, currency=currencies[i % 4], type="Basic") for i, u in enumerate(users)]
    )
    days = max(30, min(730, size // 500))
    today = business_date()
    table = RawTable(Transaction)
    began = time.perf_counter()
    rows = []
    for n in range(size):
        s, r = rng.sample(accounts, 2)
        moment = timezone.make_aware(datetime.combine(today - timedelta(days=n % days), datetime.min.time())) + timedelta(minutes=rng.randint(0, 1400))
        amount = Decimal(rng.randint(100, 30000)) / 100
        rows.append({
            "id": table.new_id(), "kind": "EXTERNAL", "status": "SUCCESS" if n % 25 else "FAILED",
            "initiated_by_id": s.user_id, "sender_account_id": s.pk, "receiver_account_id": r.pk, "amount": amount,
            "fee_amount": (amount / 100).quantize(Decimal("0.01")), "currency": s.currency, "credited_amount": amount,
            "credited_currency": r.currency, "created_at": moment, "updated_at": moment, "completed_at": moment,
        })
        if len(rows) == 20000:
            table.insert(rows)
            rows = []
    table.insert(rows)
    reset_sequences(Transaction)
    logins = RawTable(LoginEvent)
    logins.insert([
        {"id": logins.new_id(), "user_id": rng.choice(users).pk, "successful": True, "timestamp":
         timezone.make_aware(datetime.combine(today - timedelta(days=d), datetime.min.time())) + timedelta(hours=9),
         "attempted_email": "", "country": "JO"}
        for d in range(days) for _ in range(10)
    ])
    reset_sequences(LoginEvent)
    filled = time.perf_counter() - began
    began = time.perf_counter()
    call_command("rebuild_metrics", start=str(today - timedelta(days=days)), end=str(today), stdout=io.StringIO())
    rebuilt = time.perf_counter() - began

    client = APIClient(HTTP_HOST="127.0.0.1")
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {issue_tokens(staff)['access']}")
    results = {}
    for template in ENDPOINTS:
        path = template.format(today=today)
        timings = []
        for _ in range(requests):
            start = time.perf_counter()
            response = client.get(path)
            timings.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (path, response.status_code, response.content[:300])
        timings.sort()
        results[path.replace(str(today), "TODAY")] = {
            "p50": statistics.median(timings), "p99": timings[min(len(timings) - 1, int(len(timings) * 0.99))],
        }
    return {"size": size, "days": days, "fill_s": filled, "rebuild_s": rebuilt, "endpoints": results}


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--transactions", default="10000,1000000", help="comma list of history sizes")
    parser.add_argument("--requests", type=int, default=30)
    parser.add_argument("--database-url")
    parser.add_argument("--smoke", action="store_true", help="tiny sizes, few requests (a quick check)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child is not None:
        print(json.dumps(fill_and_time(options.child, options.requests)))
        return
    sizes = [200, 2000] if options.smoke else [int(x) for x in options.transactions.split(",")]
    requests = 5 if options.smoke else options.requests
    if options.database_url:
        common.ensure_database(options.database_url)
    reports = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            url = options.database_url or f"sqlite:///{tmp}/bench.db"
            env = {**os.environ, "DATABASE_URL": url, "DJANGO_DEBUG": "true", "API_THROTTLING": "off"}
            out = subprocess.run(
                [sys.executable, __file__, "--child", str(size), "--requests", str(requests)],
                env=env, capture_output=True, text=True,
            )
            if out.returncode:
                sys.exit(f"filling {size} transactions failed:\n{out.stderr}")
            report = json.loads(out.stdout.strip().splitlines()[-1])
        reports.append(report)
        print(f"{size} transactions over {report['days']} days: fill {report['fill_s']:.1f}s, rebuild {report['rebuild_s']:.1f}s")
        for path, t in report["endpoints"].items():
            print(f"  {path:38s} p50 {t['p50']:7.1f} ms  p99 {t['p99']:7.1f} ms")
    worst = {r["size"]: max(t["p99"] for t in r["endpoints"].values()) for r in reports}
    print("SUMMARY dashboards worst p99: " + ", ".join(f"{size} tx → {ms:.1f} ms" for size, ms in worst.items()))


if __name__ == "__main__":
    main()
