"""Folding: move a past day's shard increments into its main rows (tidy-up; reads are correct either way)."""
from collections import defaultdict

from django.db import transaction
from django.db.models import F

from business.models import CountryUserMetrics, CurrencyMetrics, DailyBusinessMetrics, MetricShard

from . import deltas as d
from . import figures


def _main_row(day, scope):
    if scope == d.DAY:
        return DailyBusinessMetrics.objects.filter(date=day), {"date": day}, DailyBusinessMetrics
    kind, key = scope.split(":", 1)
    model = CountryUserMetrics if kind == "country" else CurrencyMetrics
    return model.objects.filter(date=day, **{kind: key}), {"date": day, kind: key}, model


def fold(day):
    """Add ``day``'s shards to its main rows and delete them, atomically under the shards' locks."""
    with transaction.atomic():
        shards = list(MetricShard.objects.select_for_update().filter(date=day).order_by("scope", "shard"))
        totals = defaultdict(figures.empty)
        for shard in shards:
            figures.add(totals[shard.scope], shard.counters())
        for scope, values in totals.items():
            qs, lookup, model = _main_row(day, scope)
            model.objects.get_or_create(**lookup)
            increments = {n: F(n) + v for n, v in d.nonzero(values).items()}
            if increments:
                qs.update(**increments)
        MetricShard.objects.filter(pk__in=[s.pk for s in shards]).delete()
    return len(shards)
