"""A risk rule that raises is logged at ERROR, counted, and shown by /api/health/ (issue 15)."""
import logging

import pytest

from api.models import OutboxEvent
from risk.rules import auth as auth_rules
from risk.tests.delivery import drain
from risk.tests.helpers import failures, incidents

pytestmark = pytest.mark.django_db


def broken_rule(event):
    raise ZeroDivisionError("a bug in a rule")


def test_a_failing_rule_is_logged_at_error_and_counted_in_health(api_client, monkeypatch, caplog):
    monkeypatch.setattr(auth_rules, "LOGIN_RULES", [broken_rule, *auth_rules.LOGIN_RULES])
    assert api_client.get("/api/health/").json()["risk_rule_errors"] == 0

    with caplog.at_level(logging.ERROR, logger="risk.rules"):
        failures(2, "someone@example.com")

    # The other rules still ran on both events.
    assert incidents("failed_login", attempted_email="someone@example.com").count() == 2
    errors = [r for r in caplog.records if r.levelno == logging.ERROR and "broken_rule" in r.getMessage()]
    assert len(errors) == 2 and errors[0].exc_info[0] is ZeroDivisionError
    response = api_client.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "risk_rule_errors": 2, "outbox_events_given_up": 0}


def test_health_stays_200_when_the_cache_cannot_count(api_client, monkeypatch):
    monkeypatch.setattr("nexus.health.cache.get_many", lambda keys: (_ for _ in ()).throw(ConnectionError("down")))
    response = api_client.get("/api/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "risk_rule_errors": None, "outbox_events_given_up": None}


def test_a_database_error_in_a_login_rule_is_retried_with_its_event_not_swallowed(api_client, monkeypatch, worker_down):
    """Login rules run in the outbox batch (issue 13): the event rolls back and its redelivery raises each incident once."""
    from django.db import OperationalError

    refused = {"left": 1}

    def unreachable_once(event):
        if refused["left"]:
            refused["left"] -= 1
            raise OperationalError("server closed the connection")

    monkeypatch.setattr(auth_rules, "LOGIN_RULES", [unreachable_once, *auth_rules.LOGIN_RULES])
    failures(2, "someone@example.com")
    drain()
    drain()

    assert incidents("failed_login", attempted_email="someone@example.com").count() == 2
    assert not OutboxEvent.objects.pending().exists()
    assert not api_client.get("/api/health/").json()["risk_rule_errors"]  # no bug in a rule, nothing hidden
