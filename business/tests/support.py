"""Helpers for the business tests: committed events and metric snapshots through the API."""
from contextlib import contextmanager
from datetime import datetime

from django.test import TestCase
from django.utils import timezone

from api.models import OutboxEvent
from risk.models import LoginEvent

ENDPOINTS = ("daily", "weekly", "monthly", "countries", "currencies", "active", "overview")


@contextmanager
def committed():
    """Run the on-commit callbacks (metrics) queued inside the block, as a real commit would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        yield


def as_history():
    """The users made so far joined before the figures under test: their sign-ups are set aside, not counted.

    Set-up users (fixtures, factories outside ``committed``) are made in real
    time, not on the test's time line; their sign-up events wait in the outbox
    and the next drain would count them on their real join day, a day after
    every day the test looks at.
    """
    OutboxEvent.objects.pending().filter(kind="user_signed_up").update(delivered_at=timezone.now())


def local(year, month, day, hour=12, minute=0):
    return timezone.make_aware(datetime(year, month, day, hour, minute))


def login_event(user, successful=True, email=None):
    with committed():
        return LoginEvent.objects.create(
            user=user if successful else None,
            successful=successful,
            attempted_email=email or (user.email if user else "nobody@example.com"),
            ip="10.0.0.1",
        )


def get(client, path, **params):
    response = client.get(f"/business/{path}/", params)
    assert response.status_code == 200, response.content
    return response.json()


def snapshot(client, day):
    """Everything the dashboards show about ``day`` and its periods."""
    iso = day.isoformat()
    return {
        "daily": _without(get(client, "daily", date=iso), "id", "ai_insight"),
        "countries": get(client, "countries", date=iso)["results"],
        "currencies": get(client, "currencies", date=iso)["results"],
        "active": get(client, "active", date=iso),
        "weekly": get(client, "weekly", week=iso),
        "monthly": get(client, "monthly", month=iso),
    }


def _without(body, *keys):
    return {k: v for k, v in body.items() if k not in keys}
