"""Derived figures (API.md §9.1), computed in one place from additive counters."""
from collections import defaultdict
from decimal import Decimal
from typing import NamedTuple

from django.conf import settings

from api import money
from business.models import Counters

FIELDS = Counters.COUNTER_FIELDS


class Figure(NamedTuple):
    """A figure as the API shows it: its name, the computed value it shows, whether it is money."""

    name: str
    source: str  # a counter (FIELDS) or a derived value of ``money_fields``
    is_money: bool
    in_report: bool = True  # False for a figure that repeats another (the advisor shows each once)


# The §9.1 figures of every daily, weekly and monthly row and of the advisor's
# report, in their order; the serializers and the report derive from this.
FIGURES = (
    Figure("new_users", "new_users", is_money=False),
    Figure("total_transactions_success", "tx_success", is_money=False),
    Figure("total_transactions_failed", "tx_failed", is_money=False),
    Figure("total_transactions_refunded", "tx_refunded", is_money=False),
    Figure("total_transferred_amount", "transferred_amount", is_money=True),
    Figure("avg_transaction_value", "avg_transaction_value", is_money=True),
    Figure("fee_revenue", "fee_revenue", is_money=True),
    Figure("fx_volume", "fx_volume", is_money=True),
    Figure("fx_spread_revenue", "fx_spread_revenue", is_money=True),
    Figure("bill_payments_count", "bill_count", is_money=False),
    Figure("bill_payments_failed", "bill_failed", is_money=False),
    Figure("bill_payments_amount", "bill_amount", is_money=True),
    Figure("bill_commission_revenue", "bill_commission", is_money=True),
    Figure("total_refunded_amount", "refunded_amount", is_money=True),
    Figure("total_chargeback_amount", "chargeback_amount", is_money=True),
    Figure("net_revenue", "net_revenue", is_money=True),
    Figure("profit", "net_revenue", is_money=True, in_report=False),
    Figure("failed_logins", "failed_logins", is_money=False),
    Figure("incidents", "incidents", is_money=False),
)


def layout(population=(), report=False):
    """Names in row order: ``new_users``, the ``population`` names (users, not events), the other figures.

    ``report`` leaves out the figures that repeat another.
    """
    first, *rest = (figure.name for figure in FIGURES if figure.in_report or not report)
    return [first, *population, *rest]


def by_api_name(fig):
    """``fig`` (computed figures) under the API names of FIGURES."""
    return {figure.name: fig[figure.source] for figure in FIGURES}


def empty():
    return {name: 0 for name in FIELDS}


def add(total, counters):
    for name in FIELDS:
        total[name] = total.get(name, 0) + (counters.get(name) or 0)
    return total


def spread(fx_volume):
    return money.quantize_money(Decimal(fx_volume or 0) * settings.FX_SPREAD_RATE)


def average(amount, count):
    return money.quantize_money(Decimal(amount) / count) if count else money.ZERO


def net_revenue(c, fx_spread):
    return money.quantize_money(
        Decimal(c["fee_revenue"]) + Decimal(c["bill_commission"]) + fx_spread
        - Decimal(c["refunded_amount"]) - Decimal(c["chargeback_amount"])
    )


def money_fields(c):
    """Money counters quantized, plus spread, net revenue, profit and average."""
    out = {name: money.quantize_money(c[name]) if isinstance(c[name], (Decimal, float)) else c[name] for name in FIELDS}
    out["fx_spread_revenue"] = spread(c["fx_volume"])
    out["net_revenue"] = net_revenue(out, out["fx_spread_revenue"])
    out["avg_transaction_value"] = average(out["transferred_amount"], out["tx_success"])
    return out


def sum_days(day_figures):
    """A period's totals: counters summed, and each day's own spread/net summed (the days are the record)."""
    total = defaultdict(int)
    for fig in day_figures:
        for name in (*FIELDS, "fx_spread_revenue", "net_revenue"):
            total[name] += fig[name]
    total = {name: total.get(name, 0) for name in (*FIELDS, "fx_spread_revenue", "net_revenue")}
    for name in ("fx_spread_revenue", "net_revenue"):
        total[name] = money.quantize_money(total[name])
    for name in FIELDS:
        if isinstance(total[name], Decimal):
            total[name] = money.quantize_money(total[name])
    total["avg_transaction_value"] = average(total["transferred_amount"], total["tx_success"])
    return total
