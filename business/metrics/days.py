"""Business days (settings.TIME_ZONE) and the periods that group them."""
from datetime import datetime, time, timedelta

from django.utils import timezone

WAU_DAYS = 7
MAU_DAYS = 30


def business_date(moment=None):
    """The local calendar date of ``moment`` (now when None)."""
    return timezone.localdate(moment or timezone.now())


def day_start(day):
    """The aware start of ``day`` in the server's time zone."""
    return timezone.make_aware(datetime.combine(day, time.min))


def day_bounds(start, end):
    """Aware ``[start of start, start of the day after end)``."""
    return day_start(start), day_start(end + timedelta(days=1))


def days(start, end):
    current = start
    while current <= end:
        yield current
        current += timedelta(days=1)


def week_start(day):
    return day - timedelta(days=day.weekday())


def month_start(day):
    return day.replace(day=1)


def month_end(day):
    first_next = (month_start(day) + timedelta(days=32)).replace(day=1)
    return first_next - timedelta(days=1)


def window(day, length):
    """The ``length`` days ending with ``day`` (inclusive)."""
    return day - timedelta(days=length - 1), day
