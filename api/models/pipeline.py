"""The one money pipeline: lock, record, check, post, settle and announce.

``Transaction.execute()`` runs every movement (transfers, their confirmation,
bills, deposits, reversals) through ``execute`` below, inside one atomic
block retried on PostgreSQL deadlocks. What differs between them is passed
in: the legs, a ``check`` under the locks, a ``finish`` step writing the
movement's own rows, and the events it announces (``api.events``' outbox,
written in the same transaction).

Lock order, the same for every movement: customer rows ascending, then the
bank's treasury/fee/FX rows ascending (taken by ``post``, at the end).
"""
import logging
import random
import time
from dataclasses import dataclass
from datetime import datetime
from datetime import time as day_start

from django.apps import apps
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, OperationalError, connection, transaction
from django.db.models import Sum
from django.utils import timezone

from api import money

from .accounts import Account
from .ledger_sql import add_to_balances, insert_unless_taken, lock_in_order, next_id
from .outbox_records import announce as write_events
from .outbox_records import events_of, written

logger = logging.getLogger(__name__)

# The unique constraint of (initiated_by, idempotency_key) on Transaction.
IDEMPOTENCY_CONSTRAINT = "transaction_idempotency_key_per_user"

# PostgreSQL SQLSTATEs worth a retry: serialization_failure, deadlock_detected.
RETRYABLE_SQLSTATES = {"40001", "40P01"}

_system_numbers = {}


@dataclass
class Outcome:
    """What a money operation produced; ``error`` is raised by the caller after commit.

    ``created`` is False when the idempotency key named an earlier
    transaction (``transaction`` is then that one, unchanged) or when an
    existing transaction was acted on (confirmation, reversal).
    """

    transaction: object
    created: bool = True
    error: Exception | None = None


# --- the bank's own accounts ------------------------------------------------------


def system_account_number(role, currency):
    """The bank's account for ``role`` in ``currency``; loaded once per process (they never change)."""
    key = (role, currency)
    if key not in _system_numbers:
        rows = Account.objects.filter(is_system=True, system_role__in=[money.TREASURY, money.FEE_REVENUE, money.FX])
        _system_numbers.update({(r, c): n for n, r, c in rows.values_list("account_number", "system_role", "currency")})
    try:
        return _system_numbers[key]
    except KeyError:
        raise ImproperlyConfigured(f"No {role} system account in {currency}; run migrations.") from None


def is_bank_account(number):
    """True for the bank's treasury, fee-revenue and FX accounts."""
    if not _system_numbers:
        system_account_number(money.TREASURY, settings.BASE_CURRENCY)
    return number in _system_numbers.values()


# --- steps ------------------------------------------------------------------------


def _is_retryable(error):
    cause = error.__cause__
    return getattr(cause, "sqlstate", None) in RETRYABLE_SQLSTATES or getattr(cause, "pgcode", None) in RETRYABLE_SQLSTATES


def run_with_retries(operation):
    """Call ``operation()`` (which opens its own atomic block), retrying deadlocks a bounded number of times."""
    attempts = max(settings.LEDGER_RETRY_ATTEMPTS, 1)
    for attempt in range(1, attempts + 1):
        try:
            return operation()
        except OperationalError as error:
            if attempt == attempts or not _is_retryable(error):
                raise
            logger.warning("Ledger retry %s/%s after %s", attempt, attempts, error.__cause__.__class__.__name__)
            time.sleep(random.uniform(0, 0.02 * attempt))  # noqa: S311 (jitter, not security)


def lock_accounts(numbers, *, include_bank=False):
    """``{number: Account}`` for ``numbers``, row-locked in ascending account-number order.

    The bank's own treasury, fee and FX accounts are left out unless asked
    for: every transfer touches them, so locking them first would queue all
    transfers behind one row. ``post`` locks and updates them last instead,
    which holds their row locks only for the end of the transaction.
    ``include_bank`` (reversals, which must check what the fee account can
    give back) keeps that order.
    """
    numbers = set(numbers)
    bank = {number for number in numbers if is_bank_account(number)}
    locked = {}
    for group in (numbers - bank, bank if include_bank else set()):
        if group:
            locked.update((account.pk, account) for account in lock_in_order(Account, group))
    return locked


def outgoing_on(account, day, exclude=None):
    """Rule 6: the SUCCESS outgoing amounts (transfers and bills, fees excluded) of a locked ``account`` on ``day``.

    A running total on the account row, kept by ``post`` under the row lock
    the movement already holds, so the check costs no query. When the row
    holds another day's total (the account's first movement of the day, or
    rows written by other means, such as the demo seeder), it is summed from
    the transactions once, and ``post`` stores it again.
    """
    if account.outgoing_day != day:
        transactions = account.sent_transactions
        start = timezone.make_aware(datetime.combine(day, day_start.min))
        total = transactions.filter(
            status=transactions.model.Status.SUCCESS,
            kind__in=transactions.model.OUTGOING_KINDS,
            completed_at__gte=start,
        ).exclude(pk=exclude).aggregate(total=Sum("amount"))["total"]
        account.outgoing_day, account.outgoing_total = day, total or money.ZERO
    return account.outgoing_total


def _outgoing_after(txn, locked, at, reversal):
    """``{sender: (day, total)}`` when this posting changes the sender's running total, else None.

    A transfer or bill settling SUCCESS adds its amount to the day of ``at``; a
    reversal takes it off the day it counted on, if the row still holds that day.
    """
    sender = locked.get(txn.sender_account_id)
    if sender is None or txn.kind not in txn.OUTGOING_KINDS:
        return None
    if reversal:
        day = timezone.localdate(txn.completed_at)
        if sender.outgoing_day != day:
            return None
        return {sender.pk: (day, sender.outgoing_total - txn.amount)}
    day = timezone.localdate(at)
    return {sender.pk: (day, outgoing_on(sender, day, exclude=txn.pk) + txn.amount)}


def post(txn, legs, locked, *, at, is_reversal=False, events=()):
    """Write ``legs`` (and outbox ``events``) for ``txn``, apply them to balances; return ``{number: balance_after}``.

    The customer accounts must already be locked in this atomic block
    (``lock_accounts``); the bank accounts are locked here, last. Either way
    no other transaction can change these rows before the commit, so the
    balances read back are exactly the ones this posting produced. On
    PostgreSQL the entries, the events, the balances and ``txn`` itself when
    it is not written yet (its key drawn ahead, see ``execute``) are one statement.
    """
    money.assert_balanced(legs)
    entry = txn.entries.model  # LedgerEntry, defined with Transaction (which imports this module)
    entries = [
        entry(transaction=txn, account_id=leg.account, currency=leg.currency, amount=leg.amount, is_reversal=is_reversal)
        for leg in legs
    ]
    deltas = money.account_deltas(legs)
    bank = sorted(number for number in deltas if is_bank_account(number))
    if len(bank) > 1:
        # Taken now, at the end of the movement, and in ascending order (deadlock-free). A single
        # bank row needs no ordering: the UPDATE below takes its lock, last, as well.
        lock_in_order(Account, bank)
    inserts = ([txn] if txn._state.adding else [], entries, list(events))
    return add_to_balances(Account, deltas, _outgoing_after(txn, locked, at, is_reversal), inserts=inserts)


def insert_once(txn):
    """Insert ``txn``; when its idempotency key is already taken return the holder instead.

    The unique constraint (initiated_by, idempotency_key) decides, not a
    look-up before the insert, so racing retries yield one transaction
    (``INSERT … ON CONFLICT DO NOTHING``: a conflict leaves the block usable).
    """
    if not txn.idempotency_key:
        txn.save(force_insert=True)
        return None
    if insert_unless_taken(txn):
        return None
    return (
        type(txn).objects.select_related("sender_account", "receiver_account", "otp")
        .get(initiated_by_id=txn.initiated_by_id, idempotency_key=txn.idempotency_key)
    )


def _settle_ahead(txn, legs, locked, at):
    """Fill in a new SUCCESS ``txn``'s outcome before its INSERT; False when it cannot be known yet.

    Its accounts are locked, so their balances after the posting are known
    now: the row is inserted settled, with no UPDATE after the posting. A
    refusal under the locks rewrites it (``mark_failed``, or rolled back).
    """
    if txn.status != txn.Status.SUCCESS:
        return False
    deltas = money.account_deltas(legs)
    parties = (txn.sender_account_id, txn.receiver_account_id)
    if any(number not in locked for number in parties if number in deltas):
        return False
    txn.sender_balance_after, txn.receiver_balance_after = (
        locked[number].balance + deltas[number] if number in deltas else None for number in parties
    )
    txn.completed_at = at
    return True


def _bind(txn, locked):
    """Point the transaction at the locked rows (their balances are the ones under the lock)."""
    if txn.sender_account_id in locked:
        txn.sender_account = locked[txn.sender_account_id]
    if txn.receiver_account_id in locked:
        txn.receiver_account = locked[txn.receiver_account_id]


# --- the pipeline -----------------------------------------------------------------


def execute(txn, legs, *, announce, check=None, recorded=lambda error: False, finish=None,
            include_bank=False, reversal=False, build=None, accounts=()):
    """Move the money of ``txn`` (new, or existing and re-read under lock) along ``legs``; return an Outcome.

    In one atomic block, retried on deadlock:

    1. lock the customer accounts of ``legs`` (bank ones too with ``include_bank``);
       with ``build``, lock ``accounts`` instead and take the new ``txn`` and its
       ``legs`` from ``build(locked)``: the one read of the rows is their lock
       (``build`` may raise a ``BusinessError``: nothing is written);
    2. a new ``txn`` is inserted, already settled when built SUCCESS
       (``_settle_ahead``), its idempotency key taken (a holder is
       returned as ``Outcome(holder, created=False)``); an existing one is
       re-read under a row lock;
    3. ``check(txn, locked)`` may raise a ``BusinessError``: rolled back, unless
       ``recorded(error)``, then the transaction is settled FAILED, finished,
       announced and the error returned; or ``check`` returns an Outcome to stop
       there (nothing posted, what it wrote commits);
    4. post the legs, settle SUCCESS (REVERSED with ``reversal``) unless settled ahead, ``finish``
       (the movement's own rows), and write the ``announce`` events to the outbox.

    On PostgreSQL a new movement settled ahead with nothing to ``finish`` (a
    transfer) is written last instead: its key is drawn before the locks,
    ``check`` runs first, and the row goes with the posting's statement, one
    round trip fewer under the row locks that every transfer to a busy
    account queues on. Any other outcome of ``check`` inserts it first and
    goes on as in 2–3. A key already taken then shows as the unique
    constraint failing the posting: the movement is run again in the order
    above, which returns the holder.
    """
    # Not at module level: nexus.errors loads DRF, whose settings import the models being loaded.
    from nexus.errors import BusinessError

    is_new = build is not None or txn.pk is None

    def attempt(written_last):
        nonlocal txn, legs
        now = timezone.now()
        settled = False
        # Drawn before the locks: a round trip that no other transfer waits for.
        drawn = next_id(apps.get_model("api", "Transaction")) if written_last else None
        with transaction.atomic():
            if build:
                locked = lock_accounts(accounts, include_bank=include_bank)
                txn, legs = build(locked)
            else:
                locked = lock_accounts((leg.account for leg in legs), include_bank=include_bank)
            if is_new:
                txn.pk = drawn
                _bind(txn, locked)
                settled = _settle_ahead(txn, legs, locked, now)
                written_last = written_last and settled
                if not written_last:
                    holder = insert_once(txn)
                    if holder is not None:
                        return Outcome(holder, created=False)
            else:
                txn = type(txn).objects.select_for_update().get(pk=txn.pk)
                _bind(txn, locked)
            try:
                stop = check(txn, locked) if check else None
            except BusinessError as error:
                if written_last and (replay := _key_holder(txn)):
                    return replay
                if not recorded(error):
                    raise
                txn.mark_failed(error.business_code)
                if finish:
                    finish(txn)
                write_events(txn, *announce)
                return Outcome(txn, created=is_new, error=error)
            if stop is not None:
                if written_last and (replay := _key_holder(txn)):
                    return replay
                return stop
            # Settled ahead with nothing else to write, the events are known now: posted with the legs.
            events = events_of(txn, *announce) if settled and not finish else ()
            balances = post(txn, legs, locked, at=now, is_reversal=reversal, events=events)
            if not settled:
                txn.settle(balances, reversal=reversal, at=now)
            elif (balances.get(txn.sender_account_id), balances.get(txn.receiver_account_id)) != (
                txn.sender_balance_after, txn.receiver_balance_after
            ):
                raise IntegrityError(f"Transaction {txn.pk}: balances moved under their row locks.")
            if finish:
                finish(txn)
            if events:
                written(events)
            else:
                write_events(txn, *announce)
            return Outcome(txn, created=is_new)

    last = is_new and finish is None and connection.vendor == "postgresql"
    try:
        return run_with_retries(lambda: attempt(written_last=last))
    except IntegrityError as error:
        if not (last and _idempotency_key_taken(error)):
            raise
    return run_with_retries(lambda: attempt(written_last=False))


def _key_holder(txn):
    """Insert ``txn`` after all (it was to be written last); when its key is taken, the holder's Outcome.

    As when the row is inserted first, the holder wins over whatever ``check``
    decided: nothing of this attempt commits.
    """
    holder = insert_once(txn)
    if holder is None:
        return None
    transaction.set_rollback(True)
    return Outcome(holder, created=False)


def _idempotency_key_taken(error):
    diag = getattr(error.__cause__, "diag", None)
    return getattr(diag, "constraint_name", None) == IDEMPOTENCY_CONSTRAINT
