"""Derived figures (API.md §9.1), computed in one place from additive counters."""
from collections import defaultdict
from decimal import Decimal

from django.conf import settings

from api import money
from business.models import Counters

FIELDS = Counters.COUNTER_FIELDS


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
