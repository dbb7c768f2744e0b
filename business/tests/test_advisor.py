"""The advisor with and without Gemini; Gemini is faked only at its client boundary."""
import pytest
import time_machine

from business.models import DailyAIInsight, DailyBusinessMetrics, MonthlyAIInsight
from business.tests.support import local, login_event
from nexus.testing.clients import client_for
from nexus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db
ADVISOR = "/business/ai/advisor/"


class FakeGenai:
    """Stands in for ``google.genai.Client``; records prompts and options."""

    calls = []
    fail = False

    def __init__(self, api_key=None, http_options=None):
        self.http_options = http_options
        self.models = self

    def generate_content(self, model, contents, config=None):
        FakeGenai.calls.append({"model": model, "prompt": contents, "timeout": self.http_options.timeout})
        if FakeGenai.fail:
            raise TimeoutError("deadline exceeded")
        return type("R", (), {"text": '{"summary": "AI summary.", "analysis": "AI analysis."}'})()


@pytest.fixture
def gemini(monkeypatch, settings):
    from google import genai

    settings.GEMINI_API_KEY = "test-key"
    FakeGenai.calls, FakeGenai.fail = [], False
    monkeypatch.setattr(genai, "Client", FakeGenai)
    return FakeGenai


@pytest.fixture
def activity():
    with time_machine.travel(local(2026, 3, 10, 9), tick=False):
        login_event(UserFactory())
    with time_machine.travel(local(2026, 3, 11, 9), tick=False):
        for _ in range(3):
            login_event(UserFactory())
        login_event(None, successful=False)
    with time_machine.travel(local(2026, 3, 12, 9), tick=False):
        return client_for(UserFactory(is_staff=True))


def test_without_a_key_the_report_is_deterministic(activity, settings):
    settings.GEMINI_API_KEY = ""
    with time_machine.travel(local(2026, 3, 12, 9), tick=False):
        response = activity.post(ADVISOR, {"period_type": "daily", "date": "2026-03-11"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["ai_generated"], body["model"], body["date_or_month"]) == (False, None, "2026-03-11")
    report = body["report_json"]
    assert report["totals"]["active_users"] == 3 and report["previous_totals"]["active_users"] == 1
    assert report["changes"]["active_users"] == {"previous": 1, "current": 3, "change": 2, "change_pct": 200.0}
    assert "transfer_failure_rate_pct" in report["ratios"]
    assert any("failed login" in s for s in report["risk_signals"])
    assert body["summary"].startswith("2026-03-11:") and body["recommended_action"]
    assert DailyAIInsight.objects.get(date="2026-03-11").ai_generated is False


def test_with_a_key_gemini_answers_once_and_is_reused(activity, gemini, settings):
    with time_machine.travel(local(2026, 3, 12, 9), tick=False):
        first = activity.post(ADVISOR, {"period_type": "daily", "date": "2026-03-11"}, format="json").json()
        again = activity.post(ADVISOR, {"period_type": "daily", "date": "2026-03-11"}, format="json").json()
    assert (first["ai_generated"], first["model"], first["summary"], first["ai_analysis"]) == (
        True, settings.GEMINI_MODEL, "AI summary.", "AI analysis.",
    )
    assert again == first and len(gemini.calls) == 1
    assert gemini.calls[0]["timeout"] == settings.GEMINI_TIMEOUT_SECONDS * 1000
    assert "business-advisor-v1" in gemini.calls[0]["prompt"]
    assert DailyAIInsight.objects.get(date="2026-03-11").prompt_version == "business-advisor-v1"


def test_gemini_failure_falls_back_without_500(activity, gemini):
    gemini.fail = True
    with time_machine.travel(local(2026, 3, 12, 9), tick=False):
        response = activity.post(ADVISOR, {"period_type": "monthly", "month": "2026-03-15"}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert (body["ai_generated"], body["model"], body["date_or_month"]) == (False, None, "2026-03")
    assert body["report_json"]["totals"]["active_users"] == 4
    assert MonthlyAIInsight.objects.get(month="2026-03-01").ai_generated is False


def test_daily_insight_is_stored_on_the_days_row(activity, settings):
    settings.GEMINI_API_KEY = ""
    with time_machine.travel(local(2026, 3, 12, 9), tick=False):
        response = activity.post("/business/ai/daily-insight/", {"date": "2026-03-11"}, format="json")
        assert response.status_code == 200
        body = response.json()
        assert (body["date"], body["ai_generated"], body["saved"]) == ("2026-03-11", False, True)
        assert DailyBusinessMetrics.objects.get(date="2026-03-11").ai_insight == body["insight"]
        assert activity.get("/business/daily/", {"date": "2026-03-11"}).json()["ai_insight"] == body["insight"]


@pytest.mark.parametrize(
    "body",
    [{"period_type": "daily"}, {"period_type": "monthly"}, {"period_type": "weekly", "date": "2026-03-01"},
     {"period_type": "daily", "date": "11/03/2026"}, {"period_type": "monthly", "month": "2026-3"}],
)
def test_advisor_rejects_bad_requests_with_400(activity, body):
    with time_machine.travel(local(2026, 3, 12, 9), tick=False):
        response = activity.post(ADVISOR, body, format="json")
    assert response.status_code == 400 and response.json()["code"] == "validation_error"


def test_nightly_task_writes_yesterdays_insight(activity, settings):
    from business.tasks import daily_insight_for_yesterday

    settings.GEMINI_API_KEY = ""
    with time_machine.travel(local(2026, 3, 12, 0, 30), tick=False):
        assert daily_insight_for_yesterday.delay().get() is False
    assert DailyAIInsight.objects.filter(date="2026-03-11").exists()
    assert "business.tasks.daily_insight_for_yesterday" in {e["task"] for e in settings.CELERY_BEAT_SCHEDULE.values()}
