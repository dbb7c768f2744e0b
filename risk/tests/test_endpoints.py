"""Staff endpoints under /risk/ (API.md §8.4)."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from nexus.testing.clients import client_for
from nexus.testing.responses import assert_error
from risk.incidents import raise_incident
from risk.models import Incident
from risk.tests.helpers import login_event

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo(settings.TIME_ZONE)
ENDPOINTS = [
    ("get", "/risk/incidents/"),
    ("get", "/risk/logins/"),
    ("get", "/risk/kpis/"),
    ("post", "/risk/analyze/"),
    ("post", "/risk/axes/unlock-ip/"),
]


def ids(response):
    assert response.status_code == 200, response.json()
    return [row["id"] for row in response.json()["results"]]


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_customers_get_403(user_client, method, path):
    response = getattr(user_client, method)(path, {})
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.parametrize("method,path", ENDPOINTS)
def test_anonymous_gets_401(api_client, method, path):
    assert_error(getattr(api_client, method)(path, {}), 401, "not_authenticated")


@pytest.fixture
def sample(user, other_user):
    """Four incidents on four days, oldest first."""
    rows = []
    specs = [
        ("failed_login", "Failed login attempt", "low", user, "198.51.100.1", "JO"),
        ("brute_force", "Brute-force suspected on account", "high", user, "198.51.100.2", "AE"),
        ("lockout", "User locked out", "critical", other_user, "198.51.100.3", "SA"),
        ("new_device", "Login from new device", "medium", other_user, "198.51.100.2", "JO"),
    ]
    for day, (rule, event, severity, who, ip, country) in enumerate(specs, start=1):
        with time_machine.travel(datetime(2026, 3, day, 12, tzinfo=LOCAL), tick=False):
            rows.append(raise_incident(rule, event, severity, user=who, ip=ip, country=country, attempted_email=who.email))
    return rows


def test_incidents_newest_first_with_user_email(staff_client, sample, user):
    response = staff_client.get("/risk/incidents/")
    body = response.json()
    assert ids(response) == [i.pk for i in reversed(sample)]
    first = next(row for row in body["results"] if row["id"] == sample[0].pk)
    assert first["user"] == user.pk and first["user_email"] == user.email
    assert set(first) >= {"id", "user", "user_email", "ip", "country", "attempted_email", "event", "rule",
                          "severity", "details", "gemini_analysis", "timestamp"}


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"severity": "high"}, [1]),
        ({"country": "jo"}, [3, 0]),
        ({"event": "LOGIN"}, [3, 0]),
        ({"rule": "lockout"}, [2]),
        ({"ip": "198.51.100.2"}, [3, 1]),
        ({"date_from": "2026-03-02", "date_to": "2026-03-03"}, [2, 1]),
        ({"date_to": "2026-03-01"}, [0]),
        ({"search": "brute"}, [1]),
        ({"search": "198.51.100.3"}, [2]),
        ({"ordering": "timestamp"}, [0, 1, 2, 3]),
        ({"ordering": "severity"}, [2, 1, 3, 0]),
    ],
)
def test_incident_filters_and_ordering(staff_client, sample, params, expected):
    assert ids(staff_client.get("/risk/incidents/", params)) == [sample[i].pk for i in expected]


def test_incident_user_filter(staff_client, sample, other_user):
    assert ids(staff_client.get("/risk/incidents/", {"user": other_user.pk})) == [sample[3].pk, sample[2].pk]
    assert ids(staff_client.get("/risk/incidents/", {"search": other_user.email})) == [sample[3].pk, sample[2].pk]


@pytest.mark.parametrize("params", [{"ip": "not-an-ip"}, {"date_from": "2026-13-01"}, {"severity": "extreme"}, {"user": "x"}])
def test_bad_filters_are_400(staff_client, sample, params):
    response = staff_client.get("/risk/incidents/", params)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"


def test_incident_detail(staff_client, sample):
    assert staff_client.get(f"/risk/incidents/{sample[0].pk}/").json()["rule"] == "failed_login"
    assert staff_client.get("/risk/incidents/999999/").status_code == 404


def test_logins_filters(staff_client, user, other_user):
    ok = login_event(user, ip="198.51.100.10")
    failed = login_event(None, successful=False, email="ghost@example.com", ip="198.51.100.11", reason="invalid_credentials")
    other = login_event(other_user, ip="198.51.100.10")
    assert ids(staff_client.get("/risk/logins/")) == [other.pk, failed.pk, ok.pk]
    assert ids(staff_client.get("/risk/logins/", {"successful": "false"})) == [failed.pk]
    assert ids(staff_client.get("/risk/logins/", {"successful": "true", "ip": "198.51.100.10"})) == [other.pk, ok.pk]
    assert ids(staff_client.get("/risk/logins/", {"user": user.pk})) == [ok.pk]
    row = staff_client.get("/risk/logins/", {"user": user.pk}).json()["results"][0]
    assert row["user_email"] == user.email and row["source"] == "password" and row["successful"] is True


def test_kpis(staff_user, user):
    with time_machine.travel(datetime(2026, 3, 1, 12, tzinfo=LOCAL), tick=False):
        raise_incident("lockout", "User locked out", "critical", ip="203.0.113.1")
    with time_machine.travel(datetime(2026, 3, 10, 12, tzinfo=LOCAL), tick=False):
        raise_incident("brute_force", "Brute-force suspected on account", "high", ip="203.0.113.2")
        raise_incident("brute_force", "Brute-force suspected on account", "high", ip="203.0.113.2")
    with time_machine.travel(datetime(2026, 3, 10, 18, tzinfo=LOCAL), tick=False):
        # 1 failed login (+1 failed_login incident); 1 success (+1 login_success incident)
        login_event(None, successful=False, email="x@example.com", ip="203.0.113.3", country="AE", reason="invalid_credentials")
        login_event(user, ip="203.0.113.4", country="JO")
        body = client_for(staff_user).get("/risk/kpis/").json()  # a token valid at that time
    assert {key: body[key] for key in [
        "total_incidents", "critical_alerts", "high_alerts", "failed_logins", "unique_attack_ips", "incidents_last_24h"
    ]} == {
        "total_incidents": 5, "critical_alerts": 1, "high_alerts": 2, "failed_logins": 1,
        "unique_attack_ips": 3, "incidents_last_24h": 4,
    }
    assert body["by_severity"]["last_24h"] == {"low": 2, "medium": 0, "high": 2, "critical": 0}
    assert body["by_severity"]["last_30d"] == {"low": 2, "medium": 0, "high": 2, "critical": 1}
    assert body["total_logins"] == 2 and body["failed_login_rate"] == 0.5
    assert body["top_ips"][0] == {"ip": "203.0.113.2", "count": 2}
    assert {"country": "AE", "count": 1} in body["top_countries"]


def test_unlock_ip(staff_client, staff_user):
    from axes.models import AccessAttempt

    AccessAttempt.objects.create(ip_address="203.0.113.9", username="x@example.com", failures_since_start=20)
    response = staff_client.post("/risk/axes/unlock-ip/", {"ip": "203.0.113.9"})
    assert response.status_code == 200
    assert response.json()["cleared_attempts"] == 1
    assert not AccessAttempt.objects.exists()
    audit = Incident.objects.get(rule="admin_action")
    assert audit.user == staff_user and audit.details["target_id"] == "203.0.113.9"
    assert staff_client.post("/risk/axes/unlock-ip/", {"ip": "nope"}).status_code == 400
