"""A risk rule that raises is logged at ERROR, counted, and shown by /api/health/ (issue 15)."""
import logging

import pytest

from risk.rules import auth as auth_rules
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


@pytest.mark.django_db(transaction=True)
def test_a_database_error_after_a_login_commit_is_counted_and_the_other_rules_still_run(api_client, monkeypatch):
    """No transaction to roll back and retry there (unlike an outbox batch): the login rules go on."""
    from django.db import OperationalError

    def unreachable(event):
        raise OperationalError("server closed the connection")

    monkeypatch.setattr(auth_rules, "LOGIN_RULES", [unreachable, *auth_rules.LOGIN_RULES])
    failures(2, "someone@example.com")

    assert incidents("failed_login", attempted_email="someone@example.com").count() == 2
    assert api_client.get("/api/health/").json()["risk_rule_errors"] == 2
