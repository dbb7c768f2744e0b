"""A batch's window figures are the ones each transfer would read from the database alone."""
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from api import money
from api.models import Transaction
from nexus.testing.money import make_account
from risk.rules.transactions import BatchFigures, _in_jod, _windows

pytestmark = pytest.mark.django_db

# Minutes before now, straddling the rapid (5), velocity (15) and look-back (30 days) borders.
MINUTES_AGO = [0, 1, 4, 5, 5, 6, 14, 15, 16, 60, 60 * 24 * 29, 60 * 24 * 30, 60 * 24 * 31]
STATUSES = ["SUCCESS", "FAILED", "SUCCESS", "PENDING_OTP"]


def _transfer(user, sender, receiver, moment, status, amount):
    txn = Transaction.objects.create(
        kind="EXTERNAL", status=status, initiated_by=user, sender_account=sender, receiver_account=receiver,
        amount=amount, currency=sender.currency, credited_amount=amount, credited_currency=receiver.currency,
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


def _assert_batch_equals_alone(batch, ids):
    for pk in ids:
        txn = Transaction.objects.get(pk=pk)
        alone = _windows(Transaction.objects.get(pk=pk))  # a fresh row: no batch, no memo
        assert batch.windows(txn) == alone, (pk, txn.created_at)


def test_the_batch_converts_each_currency_total_like_the_database_figures(user, other_user):
    """Per-currency sums converted once, not each transfer converted and summed: cents apart in USD and EUR."""
    usd, eur, receiver = make_account(user, "USD"), make_account(user, "EUR"), make_account(other_user, "JOD")
    amounts = [Decimal("1.00")] * 3
    for currency in ("USD", "EUR"):  # the premise: converting each one loses more cents than converting the sum
        assert sum(_in_jod(amount, currency) for amount in amounts) != _in_jod(sum(amounts), currency)
    now = timezone.now()
    ids = [
        _transfer(user, account, receiver, now - timedelta(minutes=minutes), "SUCCESS", amount)
        for account in (usd, eur) for minutes, amount in zip((1, 2, 3), amounts, strict=True)
    ]
    batch = BatchFigures(list(Transaction.objects.filter(pk__in=ids)))
    _assert_batch_equals_alone(batch, ids)
    newest = _windows(Transaction.objects.get(pk=ids[0]))
    assert newest.velocity_jod == _in_jod(Decimal("3.00"), "USD") + _in_jod(Decimal("3.00"), "EUR")
    assert newest.velocity_jod != money.ZERO


WINDOWS = (timedelta(minutes=5), timedelta(minutes=15), timedelta(days=30))  # rapid, velocity, look-back
BATCH_AGO = (timedelta(0), timedelta(seconds=1), timedelta(seconds=2, microseconds=500), timedelta(seconds=3))
CYCLE = [("JOD", "SUCCESS"), ("USD", "FAILED"), ("EUR", "SUCCESS"), ("USD", "SUCCESS"), ("JOD", "PENDING_OTP"),
         ("EUR", "REVERSED"), ("EUR", "FAILED"), ("USD", "SUCCESS"), ("JOD", "FAILED")]


def _history(user, accounts, receiver, moments, run=1):
    """Transfers of ``user`` at ``moments``, currencies and statuses in turn every ``run``, odd cents."""
    return [
        _transfer(user, accounts[CYCLE[i // run % len(CYCLE)][0]], receiver, moment, CYCLE[i // run % len(CYCLE)][1],
                  Decimal("1.01") + i * Decimal("3.37"))
        for i, moment in enumerate(moments)
    ]


def _spread(now, count, salt):
    """``count`` moments spread over 31 days before the batch, away from its window borders."""
    return [now - timedelta(days=31) * (i + 0.5) / count - timedelta(seconds=salt) for i in range(count)]


def _accounts(user):
    return {currency: make_account(user, currency) for currency in ("JOD", "USD", "EUR")}


def test_a_batch_reads_a_long_history_as_the_database_figures(user, other_user):
    """Rows on and 1 µs around every window border of every batch transfer, others anywhere in 31 days.

    The three rows around a border share a currency and a status: totals that
    wrongly took in a border row would be placed on the wrong side of it.
    """
    accounts, receiver = _accounts(user), make_account(other_user, "JOD")
    now = timezone.now()
    batch_moments = [now - ago for ago in BATCH_AGO]
    borders = [moment - window + timedelta(microseconds=micros)
               for moment in batch_moments for window in WINDOWS for micros in (-1, 0, 1)]
    _history(user, accounts, receiver, borders, run=3)
    _history(user, accounts, receiver, _spread(now, 40, salt=7))
    ids = _history(user, accounts, receiver, batch_moments)
    other_sender = _accounts(other_user)
    _history(other_user, other_sender, receiver, _spread(now, 10, salt=11))
    ids += _history(other_user, other_sender, receiver, [now - timedelta(seconds=2)])

    batch = BatchFigures(list(Transaction.objects.filter(pk__in=ids)))
    _assert_batch_equals_alone(batch, ids)
    read = len(batch.history[user.pk].moments)
    in_windows = Transaction.objects.filter(initiated_by=user, created_at__gte=now - timedelta(days=30, seconds=3))
    assert read < in_windows.count()  # the gaps between the border zones were read as totals


def test_the_read_of_a_batch_does_not_grow_with_the_senders_history(user, other_user):
    accounts, receiver = _accounts(user), make_account(other_user, "JOD")
    now = timezone.now()
    ids = _history(user, accounts, receiver, [now - ago for ago in BATCH_AGO])

    def rows_read():
        batch = BatchFigures(list(Transaction.objects.filter(pk__in=ids)))
        _assert_batch_equals_alone(batch, ids)
        return len(batch.history[user.pk].moments)

    _history(user, accounts, receiver, _spread(now, 60, salt=5))
    read = rows_read()
    _history(user, accounts, receiver, _spread(now, 120, salt=13))
    assert rows_read() == read
    assert read <= len(ids) + 3 * len(accounts) * 3  # the batch's own, then per gap: currencies × status classes
