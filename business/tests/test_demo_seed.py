"""The demo data is believable: nothing happens after now, nobody moves money without logging in, and the API
would have decided every seeded movement the same way."""
from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from api import money
from api.models import Account, LedgerEntry, Transaction
from api.services.reversals import reverse_transaction
from api.services.transfers import TransferRequest, create_transfer
from business.demo.simulate import DemoSeeder, Options
from business.demo.writer import RawTable
from business.tests.seed_replay import disagreements, replay, seeded_rows, steps, wipe_money
from business.tests.support import get, local
from nexus.errors import BusinessError
from nexus.testing.clients import client_for
from nexus.testing.factories import UserFactory
from nexus.testing.money import make_account

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


def test_the_api_decides_every_seeded_movement_as_the_seeder_did(settings):
    """Tight limits and many reversals, so that every rule refuses something; then the API replays it all."""
    settings.MAX_TRANSFER_AMOUNT = Decimal("400.00")
    settings.DAILY_TRANSFER_LIMIT = Decimal("900.00")
    with time_machine.travel(local(2026, 6, 7, 18), tick=False):
        today = timezone.localdate()
        options = Options(start=today - timedelta(days=3), end=today, users=8, seed=11, reversal_share=0.2)
        seeder = DemoSeeder(options, log=lambda *args: None)
        seeder.run()
    rows, refusals = seeded_rows(), seeder.refusals
    seeded_balances = dict(Account.objects.values_list("pk", "balance"))
    wipe_money(rows)
    done = replay(steps(rows, refusals), seeder.staff)
    assert disagreements(done) == []
    assert dict(Account.objects.values_list("pk", "balance")) == seeded_balances
    decided = {r.code for r in refusals} | {row["failure_reason"] for row in rows} | {row["status"] for row in rows}
    assert {"limit_exceeded", "daily_limit_exceeded", "insufficient_funds", "REVERSED", "SUCCESS"} <= decided
    assert {row["kind"] for row in rows} == {"DEPOSIT", "INTERNAL", "EXTERNAL", "BILL"}


def seeder_over_the_ledger():
    """A seeder whose in-memory books are the database's as they stand (balances, the bank's roles)."""
    today = timezone.localdate()
    seeder = DemoSeeder(Options(start=today, end=today), log=lambda *args: None)
    seeder.balances = dict(Account.objects.values_list("pk", "balance"))
    seeder.role_of = dict(Account.objects.filter(is_system=True).values_list("pk", "system_role"))
    seeder.tables = {"txn": RawTable(Transaction)}
    return seeder


@pytest.mark.parametrize("passed_on", [Decimal("50.00"), Decimal("10.00")])
def test_seeder_and_api_reverse_or_refuse_alike_when_the_receiver_passed_money_on(user, passed_on):
    """Seeded reversals seldom meet a receiver who spent the money, so this case is set up by hand."""
    a, b, c = make_account(user, "JOD", "100.00"), make_account(user, "JOD", "40.00"), make_account(user, "JOD")
    first = create_transfer(TransferRequest(Transaction.Kind.INTERNAL, user, a.pk, b.pk, Decimal("80.00"))).transaction
    create_transfer(TransferRequest(Transaction.Kind.INTERNAL, user, b.pk, c.pk, passed_on))
    seeder = seeder_over_the_ledger()
    legs = [money.Leg(*leg) for leg in LedgerEntry.objects.filter(transaction=first).values_list("account_id", "currency", "amount")]
    seeder.reverse(Transaction.objects.filter(pk=first.pk).values().get(), legs, timezone.now())
    try:
        api = reverse_transaction(first.pk).status
    except BusinessError as error:
        api = error.business_code
    seeder_decided = seeder.refusals[0].code if seeder.refusals else "REVERSED"
    assert (seeder_decided, api) == (("insufficient_funds",) * 2 if passed_on > 20 else ("REVERSED",) * 2)
