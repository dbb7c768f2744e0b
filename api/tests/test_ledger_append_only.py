"""On PostgreSQL the database refuses to edit or delete ledger entries (migration 0003)."""
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from api.models import LedgerEntry
from api.services.ledger import verify_ledger
from business.demo.reset import DEMO_DOMAIN, ledger_purge
from business.tests.support import local
from nexus.testing.money import make_account

pytestmark = [pytest.mark.postgres, pytest.mark.django_db]

if connection.vendor != "postgresql":
    pytest.skip("the append-only trigger exists on PostgreSQL only (set DATABASE_URL)", allow_module_level=True)


@pytest.fixture
def entry(user):
    return LedgerEntry.objects.get(account=make_account(user, "JOD", "10.00"))


def refused():
    """Each refusal runs in its own savepoint so the test's transaction goes on."""
    return pytest.raises(IntegrityError, match="append-only")


def test_update_is_refused(entry):
    with refused(), transaction.atomic():
        LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("11.00"))
    entry.amount = Decimal("7.00")
    with refused(), transaction.atomic():
        entry.save()
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("10.00")
    assert verify_ledger()["ok"]


def test_delete_is_refused(entry):
    with refused(), transaction.atomic():
        LedgerEntry.objects.get(pk=entry.pk).delete()
    with refused(), transaction.atomic():
        LedgerEntry.objects.filter(transaction_id=entry.transaction_id)._raw_delete(connection.alias)
    assert LedgerEntry.objects.filter(transaction_id=entry.transaction_id).count() == 2


def test_the_purge_escape_deletes_only_and_only_inside_its_block(entry):
    with ledger_purge():
        with refused(), transaction.atomic():
            LedgerEntry.objects.filter(pk=entry.pk).update(amount=Decimal("11.00"))
        LedgerEntry.objects.filter(pk=entry.pk).delete()
    assert not LedgerEntry.objects.filter(pk=entry.pk).exists()
    with refused(), transaction.atomic():
        LedgerEntry.objects.filter(transaction_id=entry.transaction_id).delete()


def test_demo_reset_still_replaces_its_ledger(settings):
    settings.DEBUG = True

    def seed():
        call_command("reset_and_seed_analytics", start="2026-06-01", end="2026-06-03", users=3, seed=3, stdout=None)
        return LedgerEntry.objects.filter(account__user__email__iendswith=DEMO_DOMAIN).count()

    with time_machine.travel(local(2026, 6, 4, 12), tick=False):
        first = seed()
        assert first > 0
        assert seed() == first
    assert verify_ledger()["ok"]
