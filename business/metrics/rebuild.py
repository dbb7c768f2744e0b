"""Recompute metrics for a date range from the source rows (``rebuild_metrics``).

Every source row goes through the same ``deltas`` functions as the live path,
and the population figures use the same definitions, so a rebuild of a range
equals what the events recorded. Unfolded shards of the range are replaced by
main-row totals.
"""
from collections import defaultdict
from datetime import timedelta

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from api.models import BillPayment, Transaction
from business.models import (
    CountryUserMetrics,
    CurrencyMetrics,
    DailyActiveUser,
    DailyBusinessMetrics,
    MetricShard,
)
from risk.models import Incident, LoginEvent

from . import deltas as d
from . import figures, summaries
from .days import MAU_DAYS, WAU_DAYS, business_date, day_bounds, days, month_start, week_start

BATCH = 2000


class Accumulator:
    """``{date: {scope: counters}}`` summed from per-event deltas."""

    def __init__(self):
        self.by_date = defaultdict(dict)
        self.dates = set()

    def add(self, moment, event_deltas):
        day = business_date(moment)
        self.dates.add(day)
        d.merge(self.by_date[day], event_deltas)


def _in_range(field, lo, hi):
    return Q(**{f"{field}__gte": lo, f"{field}__lt": hi})


def _transfers(acc, lo, hi):
    done = _in_range("completed_at", lo, hi) | (Q(completed_at__isnull=True) & _in_range("created_at", lo, hi))
    statuses = (*d.SUCCESS_STATUSES, Transaction.Status.FAILED)
    rows = Transaction.objects.filter(done, kind__in=Transaction.TRANSFER_KINDS, status__in=statuses)
    for status, amount, fee, cur, credited_cur, country, completed, created in rows.values_list(
        "status", "amount", "fee_amount", "currency", "credited_currency", "sender_account__user__country",
        "completed_at", "created_at",
    ).iterator(chunk_size=BATCH):
        acc.add(completed or created, d.transfer(status, amount, fee, cur, credited_cur, country))


def _reversals(acc, lo, hi):
    rows = Transaction.objects.filter(_in_range("reversed_at", lo, hi), status=Transaction.Status.REVERSED)
    for kind, fee, cur, commission, commission_cur, country, reversed_at in rows.values_list(
        "kind", "fee_amount", "currency", "bill_payment__commission_amount", "bill_payment__biller_currency",
        "sender_account__user__country", "reversed_at",
    ).iterator(chunk_size=BATCH):
        acc.add(reversed_at, d.reversal(kind, fee, cur, commission, commission_cur, country))


def _bills(acc, lo, hi):
    rows = BillPayment.objects.filter(_in_range("created_at", lo, hi))
    for values in rows.values_list(
        "status", "amount", "currency", "biller_amount", "biller_currency", "commission_amount", "user__country",
        "created_at",
    ).iterator(chunk_size=BATCH):
        acc.add(values[-1], d.bill(*values[:-1]))


def _people(acc, lo, hi):
    for country, joined in get_user_model().objects.filter(_in_range("date_joined", lo, hi)).values_list(
        "country", "date_joined"
    ):
        acc.add(joined, d.signup(country))
    for (moment,) in LoginEvent.objects.filter(_in_range("timestamp", lo, hi), successful=False).values_list("timestamp"):
        acc.add(moment, d.failed_login())
    for (moment,) in Incident.objects.filter(_in_range("timestamp", lo, hi)).values_list("timestamp"):
        acc.add(moment, d.incident())


def _active_users(acc, start, end, lo, hi):
    """Recreate the range's DailyActiveUser rows from successful logins; count each user's first login per country."""
    DailyActiveUser.objects.filter(date__range=(start, end)).delete()
    pairs = {}
    logins = LoginEvent.objects.filter(_in_range("timestamp", lo, hi), successful=True, user__isnull=False)
    for user_id, country, moment in logins.values_list("user_id", "user__country", "timestamp").iterator(chunk_size=BATCH):
        pairs.setdefault((business_date(moment), user_id), (country, moment))
    for (day, _), (country, moment) in pairs.items():
        acc.add(moment, d.first_login_of_day(country))
    acc.dates.update(day for day, _ in pairs)
    DailyActiveUser.objects.bulk_create([DailyActiveUser(date=day, user_id=uid) for day, uid in pairs], batch_size=BATCH)


def _population(start, end):
    """``{date: {total_users, dau, wau, mau}}`` from DailyActiveUser rows and users' join dates."""
    active = defaultdict(set)
    for day, uid in DailyActiveUser.objects.filter(
        date__range=(start - timedelta(days=MAU_DAYS - 1), end)
    ).values_list("date", "user_id"):
        active[day].add(uid)
    lo, _ = day_bounds(start, end)
    users = get_user_model().objects
    total = users.filter(date_joined__lt=lo).count()
    joined = defaultdict(int)
    for (moment,) in users.filter(date_joined__gte=lo).values_list("date_joined"):
        joined[business_date(moment)] += 1
    out = {}
    for day in days(start, end):
        total += joined.get(day, 0)

        def distinct(length, day=day):
            seen = set()
            for offset in range(length):
                seen |= active.get(day - timedelta(days=offset), set())
            return len(seen)

        out[day] = {"total_users": total, "dau": len(active.get(day, ())), "wau": distinct(WAU_DAYS), "mau": distinct(MAU_DAYS)}
    return out


def _write_keyed(model, key, start, end, acc):
    model.objects.filter(date__range=(start, end)).delete()
    prefix = f"{key}:"
    rows = [
        model(date=day, **{key: scope[len(prefix):]}, **dict(values))
        for day, scopes in acc.by_date.items()
        for scope, values in scopes.items()
        if scope.startswith(prefix)
    ]
    model.objects.bulk_create(rows, batch_size=BATCH)


def _write_days(start, end, acc, people):
    existing = {row.date: row for row in DailyBusinessMetrics.objects.filter(date__range=(start, end))}
    new, changed = [], []
    for day in sorted(acc.dates | set(existing)):
        row = existing.get(day) or DailyBusinessMetrics(date=day)
        counters = figures.add(figures.empty(), acc.by_date.get(day, {}).get(d.DAY, {}))
        for name, value in {**counters, **people[day]}.items():
            setattr(row, name, value)
        (changed if row.pk else new).append(row)
    fields = [*figures.FIELDS, "total_users", "dau", "wau", "mau"]
    DailyBusinessMetrics.objects.bulk_update(changed, fields, batch_size=BATCH)
    DailyBusinessMetrics.objects.bulk_create(new, batch_size=BATCH)


def rebuild(start, end, log=None):
    """Recompute ``[start, end]``; returns the number of daily rows written."""
    log = log or (lambda message: None)
    lo, hi = day_bounds(start, end)
    acc = Accumulator()
    with transaction.atomic():
        MetricShard.objects.filter(date__range=(start, end)).delete()
        _active_users(acc, start, end, lo, hi)
        _transfers(acc, lo, hi)
        _reversals(acc, lo, hi)
        _bills(acc, lo, hi)
        _people(acc, lo, hi)
        log(f"  read source rows for {len(acc.dates)} active days")
        _write_keyed(CountryUserMetrics, "country", start, end, acc)
        _write_keyed(CurrencyMetrics, "currency", start, end, acc)
        acc.dates = {day for day in acc.dates if start <= day <= end}
        _write_days(start, end, acc, _population(start, end))
        for day in sorted({week_start(x) for x in days(start, end)} | {month_start(x) for x in days(start, end)}):
            summaries.refresh(day)
    return len(acc.dates)
