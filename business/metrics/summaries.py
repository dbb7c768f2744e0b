"""Weekly (Monday–Sunday) and monthly summaries: sums of daily rows, exact distinct actives.

Stored rows mark which periods have data and hold a snapshot, refreshed on
rebuild, at a day's first event for the previous active day, when an event
arrives late for an earlier day, and nightly. A period that ended before the
latest active day is therefore final and is served from its snapshot; only
the open period is recomputed from its (at most 31) daily rows. Reads cost
the same whatever the length of history.
"""
from datetime import timedelta

from business.models import DailyBusinessMetrics, MonthlySummary, WeeklySummary

from . import figures, population, read
from .days import month_end, month_start, week_start

SUMMARY_FIELDS = (*figures.FIELDS, "fx_spread_revenue")


def compute(start, end):
    """Totals of the daily rows in ``[start, end]`` and the period's exact distinct active users."""
    rows = list(DailyBusinessMetrics.objects.filter(date__range=(start, end)))
    total = figures.sum_days(read.day_figures(rows).values())
    total["active_users"] = population.distinct_active(start, end)
    return total


def week_bounds(day):
    start = week_start(day)
    return start, start + timedelta(days=6)


def month_bounds(day):
    return month_start(day), month_end(day)


def _store(model, lookup, start, end, extra=None):
    total = compute(start, end)
    values = {name: total[name] for name in SUMMARY_FIELDS}
    values.update(extra or {})
    model.objects.update_or_create(defaults=values, **lookup)


def refresh(day):
    """Recompute and store the week and the month containing ``day``."""
    ws, we = week_bounds(day)
    _store(WeeklySummary, {"week_start": ws}, ws, we, {"week_end": we})
    ms, me = month_bounds(day)
    _store(MonthlySummary, {"month": ms}, ms, me)


def seal_before(day):
    """Called on a day's first event: store the periods of the latest earlier active day, and make today's exist."""
    previous = DailyBusinessMetrics.objects.filter(date__lt=day).order_by("-date").values_list("date", flat=True).first()
    if previous is not None:
        refresh(previous)
    refresh(day)


def latest_active_day():
    return DailyBusinessMetrics.objects.order_by("-date").values_list("date", flat=True).first()


def _stored_total(row):
    """A snapshot's figures in the shape of ``compute``; net and average derive as for the days."""
    total = {name: getattr(row, name) for name in SUMMARY_FIELDS}
    total["net_revenue"] = figures.net_revenue(total, total["fx_spread_revenue"])
    total["avg_transaction_value"] = figures.average(total["transferred_amount"], total["tx_success"])
    return total


def _bounds(kind, row):
    return (row.week_start, row.week_end) if kind == "week" else month_bounds(row.month)


def _total(start, end, row, latest):
    """The snapshot when the period is final (a later day has had events), else computed now."""
    if row is not None and latest is not None and end < latest:
        return _stored_total(row)
    return compute(start, end)


def payload(kind, start, end):
    """The summary of the period ``[start, end]`` as the endpoints show it."""
    model, lookup = (WeeklySummary, {"week_start": start}) if kind == "week" else (MonthlySummary, {"month": start})
    return _body(kind, start, end, _total(start, end, model.objects.filter(**lookup).first(), latest_active_day()))


def payloads(kind, rows):
    """The summaries of stored ``rows`` (WeeklySummary or MonthlySummary), newest first as given."""
    latest = latest_active_day()
    bodies = []
    for row in rows:
        start, end = _bounds(kind, row)
        bodies.append(_body(kind, start, end, _total(start, end, row, latest)))
    return bodies


def _body(kind, start, end, total):
    body = {"week_start": start, "week_end": end} if kind == "week" else {"month": start}
    return {**body, **figures.by_api_name(total), "active_users": total["active_users"]}
