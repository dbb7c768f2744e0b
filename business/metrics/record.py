"""The live path: add one committed event to the counters.

Runs after the event's own commit, in a short transaction of its own. The
increments go to ``MetricShard`` rows chosen by the event's id
(``BUSINESS_METRIC_SHARDS`` per date and scope) with atomic ``F()`` updates,
so concurrent transfers rarely wait on each other and never on the transfer
itself. The main daily row is only read here, except on a day's first event
and on population events (sign-ups, first login of the day). An event for an
earlier day re-stores that day's week and month snapshots.
"""
from collections import defaultdict

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F

from business.models import CountryUserMetrics, CurrencyMetrics, DailyBusinessMetrics, MetricShard

from . import deltas as d
from . import population, summaries, upsert
from .days import business_date


def _shard(key):
    return int(key or 0) % max(settings.BUSINESS_METRIC_SHARDS, 1)


def ensure_rows(day, scopes=()):
    """Create the main rows an event touches; a day's first row also seals the previous day's periods."""
    _, created = DailyBusinessMetrics.objects.get_or_create(date=day)
    countries = [s.split(":", 1)[1] for s in scopes if s.startswith("country:")]
    currencies = [s.split(":", 1)[1] for s in scopes if s.startswith("currency:")]
    if countries:
        have = set(CountryUserMetrics.objects.filter(date=day, country__in=countries).values_list("country", flat=True))
        CountryUserMetrics.objects.bulk_create(
            [CountryUserMetrics(date=day, country=c) for c in countries if c not in have], ignore_conflicts=True
        )
    if currencies:
        have = set(CurrencyMetrics.objects.filter(date=day, currency__in=currencies).values_list("currency", flat=True))
        CurrencyMetrics.objects.bulk_create(
            [CurrencyMetrics(date=day, currency=c) for c in currencies if c not in have], ignore_conflicts=True
        )
    if created:
        population.refresh(day)
        summaries.seal_before(day)


def _add(day, scope, shard, values):
    increments = {name: F(name) + value for name, value in values.items()}
    if MetricShard.objects.filter(date=day, scope=scope, shard=shard).update(**increments):
        return
    try:
        with transaction.atomic():
            MetricShard.objects.create(date=day, scope=scope, shard=shard, **values)
    except IntegrityError:  # a concurrent event created it first
        MetricShard.objects.filter(date=day, scope=scope, shard=shard).update(**increments)


def apply(day, event_deltas, key=0):
    """Add ``event_deltas`` for ``day`` (scopes in sorted order: no lock-order deadlocks)."""
    with transaction.atomic():
        ensure_rows(day, event_deltas.keys())
        shard = _shard(key)
        for scope in sorted(event_deltas):
            values = d.nonzero(event_deltas[scope])
            if values:
                _add(day, scope, shard, values)
        if day < business_date():
            summaries.refresh(day)  # a late event (delivered after midnight): its sealed periods stay exact


def apply_many(items):
    """Add the deltas of many events (``(day, deltas, key)`` each): rows made once per day, one upsert.

    What ``api.events`` folds a delivered batch's money events and incidents into.
    """
    totals, scopes_by_day = {}, defaultdict(set)
    for day, event_deltas, key in items:
        scopes_by_day[day].update(event_deltas)
        for scope, values in event_deltas.items():
            bucket = totals.setdefault((day, scope, _shard(key)), defaultdict(int))
            for name, value in d.nonzero(values).items():
                bucket[name] += value
    with transaction.atomic():
        for day in sorted(scopes_by_day):
            ensure_rows(day, scopes_by_day[day])
        upsert.add_to_shards({key: values for key, values in totals.items() if values})
        for day in sorted(day for day in scopes_by_day if day < business_date()):
            summaries.refresh(day)  # late events (delivered after midnight): their sealed periods stay exact


# Flushed after the batch's other folded writes, which may add to it (api.events._flush).
apply_many.flush_last = True
