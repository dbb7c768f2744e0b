"""Nightly business work (Celery beat; inline in eager mode)."""
from datetime import timedelta

from celery import shared_task

from .advisor import daily_insight
from .metrics import fold, summaries
from .metrics.days import business_date


@shared_task
def daily_insight_for_yesterday():
    """Fold yesterday's counter shards, store its summaries and its advisor insight."""
    yesterday = business_date() - timedelta(days=1)
    fold.fold(yesterday)
    summaries.refresh(yesterday)
    return daily_insight(yesterday)["ai_generated"]
