"""Checking the ledger's invariants (the posting itself is ``api.models.pipeline``)."""
from decimal import Decimal

from django.conf import settings
from django.db.models import DecimalField, F, Q, Sum, Value
from django.db.models.functions import Coalesce

from api import money
from api.models import Account, LedgerEntry
from api.models.pipeline import (  # noqa: F401  (the posting steps, where callers have always found them)
    insert_once,
    is_bank_account,
    lock_accounts,
    post,
    run_with_retries,
    system_account_number,
)

MONEY_FIELD = DecimalField(max_digits=14, decimal_places=2)
HALF_CENT = Decimal("0.005")


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

