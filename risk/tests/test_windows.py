"""A batch's window figures are the ones each transfer would read from the database alone."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from api.models import Transaction
from nexus.testing.money import make_account
from risk.rules.transactions import BatchFigures, _windows

pytestmark = pytest.mark.django_db

# Minutes before now, straddling the rapid (5), velocity (15) and look-back (30 days) borders.
MINUTES_AGO = [0, 1, 4, 5, 5, 6, 14, 15, 16, 60, 60 * 24 * 29, 60 * 24 * 30, 60 * 24 * 31]
STATUSES = ["SUCCESS", "FAILED", "SUCCESS", "PENDING_OTP"]


def _transfer(user, sender, receiver, moment, status, amount):
    txn = Transaction.objects.create(
        kind="EXTERNAL", status=status, initiated_by=user, sender_account=sender, receiver_account=receiver,
        amount=amount, currency="JOD", credited_amount=amount, credited_currency="JOD",
    )
    Transaction.objects.filter(pk=txn.pk).update(created_at=moment)
    return txn.pk


def test_the_batch_windows_equal_the_database_figures(user, other_user):
    sender, receiver = make_account(user, "JOD"), make_account(other_user, "JOD")
    now = timezone.now().replace(microsecond=0)
    ids = [
        _transfer(user, sender, receiver, now - timedelta(minutes=minutes), STATUSES[i % len(STATUSES)],
                  Decimal("10.00") + i * Decimal("7.35"))
        for i, minutes in enumerate(MINUTES_AGO)
    ]
    batch = BatchFigures(list(Transaction.objects.filter(pk__in=ids)))
    for pk in ids:
        txn = Transaction.objects.get(pk=pk)
        alone = _windows(Transaction.objects.get(pk=pk))  # a fresh row: no batch, no memo
        assert batch.windows(txn) == alone, (pk, txn.created_at)
    newest = Transaction.objects.get(pk=ids[0])
    figures = batch.windows(newest)
    assert (figures.rapid_count, figures.velocity_count) == (5, 8)  # 0, 1, 4, 5, 5 / … 14, 15
    assert figures.history_count == 5  # the earlier SUCCESS ones within 30 days, not itself
