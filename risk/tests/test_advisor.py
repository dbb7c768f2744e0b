"""POST /risk/analyze/: deterministic action always; Gemini only with a key, faked at its client boundary."""
import pytest

from nexus.testing.responses import assert_error
from risk.advisor import determine_action
from risk.incidents import raise_incident
from risk.models import Incident

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "severity,event,expected",
    [
        ("critical", "User locked out", "TERMINATE"),
        ("low", "Possible fraud on card", "TERMINATE"),
        ("medium", "Account compromised", "TERMINATE"),
        ("high", "Transaction from blacklisted IP", "FREEZE"),
        ("low", "Credential stuffing suspected from IP", "FREEZE"),
        ("", "Brute-force suspected on account", "FREEZE"),
        ("", "Impossible travel suspected", "FREEZE"),
        ("medium", "Login from new device", "BLOCK"),
        ("low", "Failed login attempt", "BLOCK"),
        ("low", "Successful login", "MONITOR"),
        ("", "Something odd", "MONITOR"),
    ],
)
def test_determine_action(severity, event, expected):
    assert determine_action(severity, event) == expected


@pytest.fixture
def incident(user):
    return raise_incident(
        "brute_force", "Brute-force suspected on account", "high", user=user, ip="198.51.100.4",
        country="JO", attempted_email=user.email, details={"failed_attempts": 5},
    )


@pytest.fixture
def gemini(monkeypatch, settings):
    """A key is configured; the Gemini call is replaced by ``calls``' behaviour."""
    settings.GEMINI_API_KEY = "test-key"
    settings.GEMINI_MODEL = "gemini-test"
    calls = []

    def fake_call(prompt):
        calls.append(prompt)
        if isinstance(fake_call.result, Exception):
            raise fake_call.result
        return fake_call.result

    fake_call.result = "Likely a password-guessing attack on this account."
    monkeypatch.setattr("nexus.gemini.generate", fake_call)
    fake_call.calls = calls
    return fake_call


def test_without_key_deterministic_and_saved(staff_client, incident, settings):
    settings.GEMINI_API_KEY = ""
    response = staff_client.post("/risk/analyze/", {"incident_id": incident.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["recommended_action"] == "FREEZE"
    assert body["ai_generated"] is False and body["model"] is None
    assert "Brute-force suspected on account" in body["analysis"] and "failed_attempts=5" in body["analysis"]
    incident.refresh_from_db()
    assert incident.gemini_analysis == body["analysis"]


def test_with_key_uses_gemini_and_reuses_it(staff_client, incident, gemini):
    body = staff_client.post("/risk/analyze/", {"incident_id": incident.pk}).json()
    assert body == {
        "incident_id": incident.pk, "recommended_action": "FREEZE", "ai_generated": True, "model": "gemini-test",
        "analysis": "Likely a password-guessing attack on this account.",
    }
    assert "Brute-force suspected on account" in gemini.calls[0] and "FREEZE" in gemini.calls[0]
    incident.refresh_from_db()
    assert (incident.gemini_analysis, incident.analysis_model) == (body["analysis"], "gemini-test")
    gemini.result = "A newer reading."
    assert staff_client.post("/risk/analyze/", {"incident_id": incident.pk}).json()["analysis"] == body["analysis"]
    assert len(gemini.calls) == 1  # stored analysis reused
    again = staff_client.post("/risk/analyze/", {"incident_id": incident.pk, "refresh": True}).json()
    assert again["analysis"] == "A newer reading." and len(gemini.calls) == 2


@pytest.mark.parametrize("failure", [TimeoutError("timed out"), RuntimeError("500 INTERNAL"), ""])
def test_gemini_failure_falls_back(staff_client, incident, gemini, failure):
    gemini.result = failure
    response = staff_client.post("/risk/analyze/", {"incident_id": incident.pk})
    assert response.status_code == 200
    body = response.json()
    assert body["ai_generated"] is False and body["model"] is None and body["recommended_action"] == "FREEZE"
    assert body["analysis"]
    assert len(gemini.calls) == 1
    incident.refresh_from_db()
    assert incident.analysis_model == ""


def test_deterministic_analysis_upgraded_once_a_key_exists(staff_client, incident, gemini, settings):
    settings.GEMINI_API_KEY = ""
    staff_client.post("/risk/analyze/", {"incident_id": incident.pk})
    settings.GEMINI_API_KEY = "test-key"
    assert staff_client.post("/risk/analyze/", {"incident_id": incident.pk}).json()["ai_generated"] is True


def test_client_boundary_timeout_and_single_attempt(staff_client, incident, monkeypatch, settings):
    """The real ``nexus.gemini.generate`` against a fake genai.Client: timeout in ms, one attempt, errors caught."""
    from google import genai

    settings.GEMINI_API_KEY, settings.GEMINI_TIMEOUT_SECONDS = "test-key", 7
    seen = {}

    class FakeModels:
        def generate_content(self, model, contents):
            seen["model"] = model
            raise TimeoutError("read timed out")

    class FakeClient:
        def __init__(self, api_key, http_options):
            seen["api_key"], seen["options"] = api_key, http_options
            self.models = FakeModels()

    monkeypatch.setattr(genai, "Client", FakeClient)
    body = staff_client.post("/risk/analyze/", {"incident_id": incident.pk}).json()
    assert body["ai_generated"] is False
    assert seen["api_key"] == "test-key" and seen["model"] == settings.GEMINI_MODEL
    assert seen["options"].timeout == 7000 and seen["options"].retry_options.attempts == 1


def test_ad_hoc_incident(staff_client, settings):
    settings.GEMINI_API_KEY = ""
    response = staff_client.post(
        "/risk/analyze/",
        {"event": "Failed login attempt", "ip": "203.0.113.5", "attempted_email": "a@example.com", "details": {"n": 2}},
    )
    assert response.status_code == 200
    body = response.json()
    assert body["incident_id"] is None and body["recommended_action"] == "BLOCK"
    assert "203.0.113.5" in body["analysis"]
    assert not Incident.objects.exists()


def test_ad_hoc_critical(staff_client):
    body = staff_client.post("/risk/analyze/", {"event": "Odd", "severity": "critical"}).json()
    assert body["recommended_action"] == "TERMINATE"


@pytest.mark.parametrize(
    "payload,status,code",
    [({"incident_id": 987654}, 404, "not_found"), ({}, 400, "validation_error"),
     ({"incident_id": "x"}, 400, "validation_error"), ({"event": "x", "severity": "huge"}, 400, "validation_error"),
     ({"incident_id": 10**30}, 400, "validation_error")],
)
def test_bad_requests(staff_client, payload, status, code):
    assert_error(staff_client.post("/risk/analyze/", payload), status, code)
