"""Reading the pre-aggregated rows: main row + unfolded shards, never the source tables.

Every function takes a bounded set of dates, so a read costs the same whatever
the length of history.
"""
from collections import defaultdict

from django.db.models import Sum

from business.models import CountryUserMetrics, CurrencyMetrics, DailyBusinessMetrics, MetricShard

from . import figures
from .deltas import DAY


def shard_totals(dates, prefix=None):
    """``{(date, scope): counters}`` of unfolded shards; ``prefix`` picks ``country:``/``currency:`` scopes."""
    qs = MetricShard.objects.filter(date__in=list(dates))
    qs = qs.filter(scope__startswith=prefix) if prefix else qs.filter(scope=DAY)
    rows = qs.values("date", "scope").annotate(**{f"s_{n}": Sum(n) for n in figures.FIELDS}).order_by()
    return {(r["date"], r["scope"]): {n: r[f"s_{n}"] or 0 for n in figures.FIELDS} for r in rows}


def _combined(row, extra):
    return figures.money_fields(figures.add(row.counters() if row is not None else figures.empty(), extra or {}))


def day_figures(rows):
    """``{date: figures}`` for DailyBusinessMetrics rows."""
    extra = shard_totals(r.date for r in rows)
    return {row.date: _combined(row, extra.get((row.date, DAY))) for row in rows}


def keyed_figures(model, key, rows):
    """Figures of country or currency rows (``key`` is ``country`` or ``currency``)."""
    extra = shard_totals({r.date for r in rows}, prefix=f"{key}:")
    return [(row, _combined(row, extra.get((row.date, f"{key}:{getattr(row, key)}")))) for row in rows]


def breakdowns(dates):
    """``{date: (by_region, by_currency)}`` JSON breakdowns for the daily rows."""
    dates = list(dates)
    regions, currencies = defaultdict(dict), defaultdict(dict)
    for row, fig in keyed_figures(CountryUserMetrics, "country", list(CountryUserMetrics.objects.filter(date__in=dates))):
        regions[row.date][row.country] = {
            "new_users": fig["new_users"],
            "active_users": fig["active_users"],
            "tx_count": fig["tx_success"],
            "tx_amount": f"{fig['transferred_amount']:.2f}",
            "net_revenue": f"{fig['net_revenue']:.2f}",
        }
    for row, fig in keyed_figures(CurrencyMetrics, "currency", list(CurrencyMetrics.objects.filter(date__in=dates))):
        currencies[row.date][row.currency] = {
            "tx_count": fig["tx_success"],
            "amount": f"{fig['transferred_amount']:.2f}",
            "fee_revenue": f"{fig['fee_revenue']:.2f}",
        }
    return regions, currencies


def daily_payload(row, fig, by_region=None, by_currency=None):
    """The §9.1 daily row; ``row`` None gives the zeroed row."""
    fig = fig or figures.money_fields(figures.empty())
    return {
        "id": row.pk if row else None,
        "date": row.date if row else None,
        "total_users": row.total_users if row else 0,
        "active_users": row.dau if row else 0,
        "active_users_7d": row.wau if row else 0,
        "active_users_30d": row.mau if row else 0,
        **figures.by_api_name(fig),
        "metrics_by_region": by_region or {},
        "metrics_by_type": {"transfer": fig["tx_success"], "bill_payment": fig["bill_count"]} if row else {},
        "metrics_by_currency": by_currency or {},
        "ai_insight": row.ai_insight if row else None,
    }


def daily_rows(rows):
    rows = list(rows)
    figs = day_figures(rows)
    regions, currencies = breakdowns(figs)
    return [daily_payload(r, figs[r.date], regions.get(r.date), currencies.get(r.date)) for r in rows]


def daily_for(day):
    """One date's row, zeroed (``id`` null) when nothing happened that day."""
    row = DailyBusinessMetrics.objects.filter(date=day).first()
    if row is None:
        payload = daily_payload(None, None)
        payload["date"] = day
        return payload
    return daily_rows([row])[0]


def country_rows(rows):
    return [
        {
            "date": row.date,
            "country": row.country,
            "count": fig["new_users"],
            "active_users": fig["active_users"],
            "tx_count": fig["tx_success"],
            "tx_amount": fig["transferred_amount"],
            "net_revenue": fig["net_revenue"],
        }
        for row, fig in keyed_figures(CountryUserMetrics, "country", list(rows))
    ]


def currency_rows(rows):
    return [
        {
            "date": row.date,
            "currency": row.currency,
            "tx_count": fig["tx_success"],
            "tx_amount": fig["transferred_amount"],
            "fx_volume": fig["fx_volume"],
            "fee_revenue": fig["fee_revenue"],
            "fx_spread_revenue": fig["fx_spread_revenue"],
        }
        for row, fig in keyed_figures(CurrencyMetrics, "currency", list(rows))
    ]


def active_payload(row, day=None):
    return {
        "date": row.date if row else day,
        "active_users": row.dau if row else 0,
        "active_users_7d": row.wau if row else 0,
        "active_users_30d": row.mau if row else 0,
    }
