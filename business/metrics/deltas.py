"""What one event adds to the counters: pure functions shared by recording and rebuilding.

Each returns ``{scope: {field: value}}`` with scopes ``day``, ``country:XX``
and ``currency:XXX``. Money in the ``day`` and country scopes is converted to
JOD per event (one rounding per value, api.money.convert); currency scopes
keep the event's own currency. Using the same functions for the live path and
for ``rebuild_metrics`` is what makes the two equal by construction.
"""
from collections import defaultdict
from decimal import Decimal

from django.conf import settings

from api import money
from api.models.choices import BillStatus, TransactionKind, TransactionStatus

DAY = "day"
UNKNOWN_COUNTRY = "ZZ"  # ISO 3166 user-assigned code: the user gave no country
# A reversed transfer had succeeded on its day.
SUCCESS_STATUSES = (TransactionStatus.SUCCESS, TransactionStatus.REVERSED)


def country_scope(country):
    return f"country:{country or UNKNOWN_COUNTRY}"


def currency_scope(currency):
    return f"currency:{currency}"


def to_base(amount, currency):
    return money.convert(amount or 0, currency, settings.BASE_CURRENCY)


def _for(scopes, values):
    return {scope: dict(values) for scope in scopes}


def transfer(status, amount, fee, currency, credited_currency, country):
    """A transfer that reached SUCCESS or FAILED."""
    if status == TransactionStatus.FAILED:
        return _for((DAY, country_scope(country), currency_scope(currency)), {"tx_failed": 1})
    if status not in SUCCESS_STATUSES:
        return {}
    cross = currency != credited_currency
    base_amount = to_base(amount, currency)
    base = {
        "tx_success": 1,
        "transferred_amount": base_amount,
        "fee_revenue": to_base(fee, currency),
        "fx_volume": base_amount if cross else money.ZERO,
    }
    native = {
        "tx_success": 1,
        "transferred_amount": amount,
        "fee_revenue": fee,
        "fx_volume": amount if cross else money.ZERO,
    }
    return {DAY: base, country_scope(country): dict(base), currency_scope(currency): native}


def bill(status, amount, currency, biller_amount, biller_currency, commission, country):
    """A bill payment, PAID or FAILED."""
    if status != BillStatus.PAID:
        return _for((DAY, country_scope(country), currency_scope(currency)), {"bill_failed": 1})
    cross = currency != biller_currency
    base = {
        "bill_count": 1,
        "bill_amount": to_base(biller_amount, biller_currency),
        "bill_commission": to_base(commission, biller_currency),
        "fx_volume": to_base(amount, currency) if cross else money.ZERO,
    }
    native = {"bill_count": 1, "bill_amount": amount, "fx_volume": amount if cross else money.ZERO}
    return {DAY: base, country_scope(country): dict(base), currency_scope(currency): native}


def reversal(kind, fee, currency, commission, commission_currency, country):
    """A reversed transfer or bill: the fee (or bill commission) goes back; deposits are not refunds."""
    if kind == TransactionKind.DEPOSIT:
        return {}
    if kind == TransactionKind.BILL:
        refunded = to_base(commission, commission_currency or settings.BASE_CURRENCY)
        native = money.ZERO
    else:
        refunded = to_base(fee, currency)
        native = fee or money.ZERO
    base = {"tx_refunded": 1, "refunded_amount": refunded}
    return {
        DAY: base,
        country_scope(country): dict(base),
        currency_scope(currency): {"tx_refunded": 1, "refunded_amount": native},
    }


def signup(country):
    return _for((DAY, country_scope(country)), {"new_users": 1})


def first_login_of_day(country):
    """A user's first successful login of the day (the day-level DAU is counted exactly elsewhere)."""
    return {country_scope(country): {"active_users": 1}}


def failed_login():
    return {DAY: {"failed_logins": 1}}


def incident():
    return {DAY: {"incidents": 1}}


def merge(total, deltas):
    """Add ``deltas`` into ``total`` (``{scope: defaultdict}``) in place."""
    for scope, values in deltas.items():
        bucket = total.setdefault(scope, defaultdict(int))
        for name, value in values.items():
            bucket[name] += value
    return total


def nonzero(values):
    return {name: value for name, value in values.items() if value not in (0, Decimal(0))}
