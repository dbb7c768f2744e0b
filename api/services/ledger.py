"""Posting balanced entries under row locks, and checking the ledger's invariants.

Every money movement goes through ``lock_accounts`` + ``post`` inside one
``transaction.atomic()``; ``run_with_retries`` wraps that atomic block so a
PostgreSQL deadlock or serialization failure is retried, never shown to a client.
"""
import logging
import random
import time
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import IntegrityError, OperationalError, transaction
from django.db.models import Case, DecimalField, F, Q, Sum, Value, When
from django.db.models.functions import Coalesce

from api import money
from api.models import Account, LedgerEntry, Transaction

logger = logging.getLogger(__name__)

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
# PostgreSQL SQLSTATEs worth a retry: serialization_failure, deadlock_detected.
RETRYABLE_SQLSTATES = {"40001", "40P01"}

HALF_CENT = Decimal("0.005")

_system_numbers = {}


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


def is_bank_account(number):
    """True for the bank's treasury, fee-revenue and FX accounts."""
    if not _system_numbers:
        system_account_number(money.TREASURY, settings.BASE_CURRENCY)
    return number in _system_numbers.values()


def lock_accounts(numbers, *, include_bank=False):
    """``{number: Account}`` for ``numbers``, row-locked in ascending account-number order.

    The bank's own treasury, fee and FX accounts are left out unless asked
    for: every transfer touches them, so locking them first would queue all
    transfers behind one row. ``post`` locks and updates them last instead,
    which holds their row locks only for the end of the transaction. The global lock
    order is therefore: customer rows ascending, then bank rows ascending;
    ``include_bank`` (reversals, which must check what the fee account can
    give back) keeps that order.
    """
    numbers = set(numbers)
    bank = {number for number in numbers if is_bank_account(number)}
    locked = {}
    for group in (numbers - bank, bank if include_bank else set()):
        if group:
            rows = Account.objects.select_for_update().filter(pk__in=group).order_by("account_number")
            locked.update((account.pk, account) for account in rows)
    return locked


def post(txn, legs, *, is_reversal=False):
    """Write ``legs`` for ``txn`` and apply them to balances; return ``{number: balance_after}``.

    The customer accounts must already be locked in this atomic block
    (``lock_accounts``); the bank accounts are locked here, last.
    Either way no other transaction can change these rows before the commit,
    so the balances read back are exactly the ones this posting produced.
    """
    money.assert_balanced(legs)
    LedgerEntry.objects.bulk_create(
        [
            LedgerEntry(transaction=txn, account_id=leg.account, currency=leg.currency, amount=leg.amount, is_reversal=is_reversal)
            for leg in legs
        ]
    )
    deltas = money.account_deltas(legs)
    bank = sorted(number for number in deltas if is_bank_account(number))
    if bank:
        # Taken now, at the end of the transfer, and in ascending order (deadlock-free).
        list(Account.objects.select_for_update().filter(pk__in=bank).order_by("account_number").values_list("pk"))
    _apply(deltas)
    return dict(Account.objects.filter(pk__in=deltas).values_list("account_number", "balance"))


def _apply(deltas):
    """Add each delta to its account's balance in one UPDATE (every row already locked)."""
    change = Case(
        *[When(pk=number, then=Value(delta, output_field=MONEY_FIELD)) for number, delta in deltas.items()],
        default=Value(money.ZERO, output_field=MONEY_FIELD),
        output_field=MONEY_FIELD,
    )
    Account.objects.filter(pk__in=deltas).update(balance=F("balance") + change)


def verify_ledger():
    """The §7.5 report, computed with aggregate queries."""
    per_currency = {
        row["currency"]: row["total"]
        for row in LedgerEntry.objects.values("currency").annotate(total=Sum("amount")).order_by()
    }
    currencies = [
        {
            "currency": currency,
            "entries_total": _money(per_currency.get(currency)),
            "balanced": money.quantize_money(per_currency.get(currency) or 0) == 0,
        }
        for currency in settings.CURRENCIES
    ]
    accounts = Account.objects.annotate(
        entries_total=Coalesce(Sum("entries__amount"), Value(money.ZERO, output_field=MONEY_FIELD))
    )
    drift = F("balance") - F("entries_total")
    mismatched = [
        {"account_number": number, "balance": _money(balance), "entries_total": _money(total)}
        for number, balance, total in accounts.annotate(drift=drift)
        .filter(_not_zero("drift"))
        .order_by("account_number")
        .values_list("account_number", "balance", "entries_total")
    ]
    negative = [
        {"account_number": number, "balance": _money(balance)}
        for number, balance in Account.objects.filter(balance__lt=0)
        .exclude(system_role__in=Account.ROLES_ALLOWED_NEGATIVE)
        .order_by("account_number")
        .values_list("account_number", "balance")
    ]
    unbalanced = sorted(
        {
            row["transaction_id"]
            for row in LedgerEntry.objects.values("transaction_id", "currency")
            .annotate(total=Sum("amount"))
            .filter(_not_zero("total"))
            .order_by()
        }
    )
    ok = all(c["balanced"] for c in currencies) and not (mismatched or negative or unbalanced)
    return {
        "ok": ok,
        "currencies": currencies,
        "accounts_checked": Account.objects.count(),
        "mismatched_accounts": mismatched,
        "negative_customer_balances": negative,
        "unbalanced_transactions": unbalanced,
    }


def _money(value):
    value = money.quantize_money(value or 0)
    return f"{value if value else money.ZERO:.2f}"


def _not_zero(name):
    """``name`` differs from zero by at least half a cent (SQLite sums decimals as floats)."""
    return Q(**{f"{name}__gte": HALF_CENT}) | Q(**{f"{name}__lte": -HALF_CENT})



def insert_once(txn):
    """Insert ``txn``; when its idempotency key is already taken return the holder instead.

    The unique constraint (initiated_by, idempotency_key) decides, not a
    look-up before the insert, so racing retries yield one transaction. The
    insert runs in a savepoint so a conflict leaves the outer block usable.
    """
    if not txn.idempotency_key:
        txn.save(force_insert=True)
        return None
    try:
        with transaction.atomic():
            txn.save(force_insert=True)
    except IntegrityError:
        txn.pk = None
        existing = (
            Transaction.objects.select_related("sender_account", "receiver_account", "otp")
            .filter(initiated_by_id=txn.initiated_by_id, idempotency_key=txn.idempotency_key)
            .first()
        )
        if existing is None:
            raise
        return existing
    return None
