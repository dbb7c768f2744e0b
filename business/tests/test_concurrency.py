"""The hot "today" row under concurrent transfers, on PostgreSQL (real threads and connections)."""
import time
from decimal import Decimal

import pytest
from django.db import connection

from business.metrics import deltas, record
from business.metrics.days import business_date
from business.metrics.read import daily_for
from business.models import MetricShard
from nexus.testing.clients import client_for
from nexus.testing.concurrency import run_parallel
from nexus.testing.factories import UserFactory
from nexus.testing.money import make_account

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]
THREADS, PER_THREAD = 8, 10


if connection.vendor != "postgresql":
    # Module level: serialized_rollback set-up must not even start on SQLite.
    pytest.skip("concurrent writers on one row need PostgreSQL (set DATABASE_URL)", allow_module_level=True)


def test_concurrent_transfers_are_all_counted_across_shards():
    pairs = []
    for _ in range(THREADS):
        sender_user, receiver_user = UserFactory(), UserFactory()
        pairs.append((sender_user, make_account(sender_user, "JOD", "1000.00"), make_account(receiver_user, "USD")))

    def worker(user, sender, receiver):
        def job():
            client = client_for(user)
            return [
                client.post(
                    "/api/transfers/external/",
                    {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "10.00"},
                ).status_code
                for _ in range(PER_THREAD)
            ]

        return job

    codes = [c for codes in run_parallel([worker(*p) for p in pairs]) for c in codes]
    assert codes.count(201) == THREADS * PER_THREAD, codes
    day = daily_for(business_date())
    assert day["total_transactions_success"] == THREADS * PER_THREAD
    assert day["total_transferred_amount"] == THREADS * PER_THREAD * 10
    assert day["fee_revenue"] == Decimal("0.10") * THREADS * PER_THREAD
    assert MetricShard.objects.filter(scope="day").count() > 1  # the load was spread, not queued on one row


def test_metric_updates_spread_over_shards_finish_exactly(settings, capsys):
    """Raw recording throughput, 1 shard versus the configured count; both exact."""
    day = business_date()
    figures = {}
    for shards in (1, settings.BUSINESS_METRIC_SHARDS):
        settings.BUSINESS_METRIC_SHARDS = shards
        MetricShard.objects.all().delete()
        facts = deltas.transfer("SUCCESS", 10, 0, "JOD", "JOD", "JO")

        def job(offset):
            return lambda: [record.apply(day, facts, offset * 1000 + i) for i in range(25)]

        began = time.perf_counter()
        run_parallel([job(n) for n in range(THREADS)])
        figures[shards] = time.perf_counter() - began
        assert daily_for(day)["total_transactions_success"] == THREADS * 25
    with capsys.disabled():
        print(f"\n  metric recording, {THREADS}×25 events: " + ", ".join(f"{k} shard(s) {v:.2f}s" for k, v in figures.items()))
