"""Exact population figures of a day: total users, DAU, WAU, MAU (never estimates)."""
from django.contrib.auth import get_user_model
from django.db import transaction

from business.models import DailyActiveUser, DailyBusinessMetrics

from .days import MAU_DAYS, WAU_DAYS, day_start, window


def distinct_active(start, end):
    """Distinct users with a successful login between ``start`` and ``end`` inclusive."""
    return DailyActiveUser.objects.filter(date__range=(start, end)).values("user_id").distinct().count()


def total_users_at_end_of(day):
    from datetime import timedelta

    return get_user_model().objects.filter(date_joined__lt=day_start(day + timedelta(days=1))).count()


def figures(day):
    return {
        "total_users": total_users_at_end_of(day),
        "dau": DailyActiveUser.objects.filter(date=day).count(),
        "wau": distinct_active(*window(day, WAU_DAYS)),
        "mau": distinct_active(*window(day, MAU_DAYS)),
    }


def refresh(day):
    """Recount ``day``'s population under its row lock, so the last writer has seen every commit before it."""
    with transaction.atomic():
        DailyBusinessMetrics.objects.get_or_create(date=day)
        row = DailyBusinessMetrics.objects.select_for_update().get(date=day)
        for name, value in figures(day).items():
            setattr(row, name, value)
        row.save(update_fields=["total_users", "dau", "wau", "mau", "updated_at"])
    return row
