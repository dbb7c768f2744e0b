"""Authorization logging: 403, 429 and invalid tokens become medium incidents, without flooding."""
from datetime import timedelta

import pytest
import time_machine
from django.conf import settings

from nexus.testing.factories import PASSWORD
from risk.tests.helpers import incidents

pytestmark = pytest.mark.django_db


def test_403_recorded_and_counted(user_client, user):
    for _ in range(3):
        assert user_client.get("/risk/incidents/", REMOTE_ADDR="198.51.100.20").status_code == 403
    incident = incidents("authz_forbidden").get()
    assert (incident.severity, incident.user, incident.ip) == ("medium", user, "198.51.100.20")
    assert incident.details["count"] == 3
    assert incident.details["last"]["path"] == "/risk/incidents/"


def test_403_new_incident_after_the_window(user, user_client):
    with time_machine.travel(user.date_joined, tick=False) as clock:
        from nexus.testing.clients import client_for

        client = client_for(user)
        client.get("/risk/kpis/")
        clock.shift(timedelta(minutes=settings.RISK_AUTHZ_WINDOW_MINUTES - 1))
        client.get("/risk/kpis/")
        assert incidents("authz_forbidden").count() == 1
        clock.shift(timedelta(minutes=2))
        client.get("/risk/kpis/")
        assert incidents("authz_forbidden").count() == 2


def test_other_sources_get_their_own_incident(user_client, other_client):
    user_client.get("/risk/kpis/", REMOTE_ADDR="198.51.100.21")
    user_client.get("/risk/kpis/", REMOTE_ADDR="198.51.100.22")
    other_client.get("/risk/kpis/", REMOTE_ADDR="198.51.100.21")
    assert incidents("authz_forbidden").count() == 3


def test_invalid_token_recorded(api_client):
    api_client.credentials(HTTP_AUTHORIZATION="Bearer not-a-token")
    assert api_client.get("/auth/users/me/").status_code == 401
    assert api_client.get("/auth/users/me/").status_code == 401
    incident = incidents("authz_invalid_token").get()
    assert incident.severity == "medium" and incident.user is None and incident.details["count"] == 2


def test_revoked_token_recorded(user_client, user):
    from api.services.sessions import revoke_all_sessions

    revoke_all_sessions(user)
    assert user_client.get("/auth/users/me/").status_code == 401
    assert incidents("authz_invalid_token").exists()


def test_missing_token_and_wrong_password_are_not_authz_incidents(api_client, user):
    assert api_client.get("/auth/users/me/").status_code == 401
    assert api_client.post("/auth/login/init/", {"email": user.email, "password": "wrong-password"}).status_code == 401
    assert not incidents("authz_invalid_token").exists()


def test_throttled_login_recorded(api_client, user, settings):
    rate = int(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"]["login"].split("/")[0])
    statuses = [
        api_client.post("/auth/login/init/", {"email": user.email, "password": PASSWORD}, REMOTE_ADDR="198.51.100.30").status_code
        for _ in range(rate + 2)
    ]
    assert statuses[:rate] == [200] * rate and statuses[rate:] == [429, 429]
    incident = incidents("authz_throttled").get()
    assert (incident.severity, incident.ip, incident.details["count"]) == ("medium", "198.51.100.30", 2)


def test_successful_requests_leave_no_trace(staff_client):
    assert staff_client.get("/risk/incidents/").status_code == 200
    assert not incidents("authz_forbidden").exists()
