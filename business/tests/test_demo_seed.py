"""The demo data is believable: nothing happens after now, and nobody moves money without logging in."""
from datetime import date, datetime, timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from business.tests.support import get, local
from nexus.testing.clients import client_for
from nexus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

# What the newest-first lists show first; each must not lie in the future.
NEWEST_FIRST = {
    "/api/admin/transactions/": "created_at",
    "/risk/incidents/": "timestamp",
    "/risk/logins/": "timestamp",
}


def seed(settings, days, users=12):
    settings.DEBUG = True
    today = timezone.localdate()
    call_command(
        "reset_and_seed_analytics", start=str(today - timedelta(days=days - 1)), end=str(today),
        users=users, seed=3, stdout=None,
    )


def test_a_seed_early_in_the_morning_writes_nothing_after_now(settings):
    with time_machine.travel(local(2026, 6, 7, 5, 20), tick=False):
        seed(settings, days=3)
        now = timezone.now()
        staff = client_for(UserFactory(is_staff=True))
        for path, stamp in NEWEST_FIRST.items():
            response = staff.get(path)
            assert response.status_code == 200
            newest = response.json()["results"][0][stamp]
            assert datetime.fromisoformat(newest) <= now, (path, newest)
        accounts = staff.get("/api/admin/accounts/", {"page_size": 100}).json()["results"]
        assert max(datetime.fromisoformat(account["created_at"]) for account in accounts) <= now


def test_no_day_has_transactions_without_active_users(settings):
    with time_machine.travel(local(2026, 6, 7, 18), tick=False):
        seed(settings, days=5)
        staff = client_for(UserFactory(is_staff=True))
        rows = [get(staff, "daily", date=str(date(2026, 6, d))) for d in range(3, 8)]
    busy = [row for row in rows if row["total_transactions_success"] or row["bill_payments_count"]]
    assert busy, rows
    assert [row["date"] for row in busy if row["active_users"] == 0] == []
