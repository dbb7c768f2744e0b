"""The §9.1 figures are declared once (business.metrics.figures.FIGURES): rows and the advisor follow it."""
import pytest
import time_machine

from business.metrics import figures
from business.tests.support import as_history, get, local, login_event

pytestmark = pytest.mark.django_db
DAY = "2026-03-11"


@pytest.fixture
def staff(staff_client, user):
    as_history()
    with time_machine.travel(local(2026, 3, 11, 9), tick=False):
        login_event(user)
        login_event(None, successful=False)
    return staff_client


def _shown(client):
    """The figure names the daily row, the monthly row and the advisor's totals show."""
    daily = get(client, "daily", date=DAY)
    monthly = get(client, "monthly", month=DAY)
    response = client.post("/business/ai/advisor/", {"period_type": "daily", "date": DAY}, format="json")
    assert response.status_code == 200, response.content
    return daily, monthly, response.json()["report_json"]["totals"]


def test_rows_and_report_show_the_declared_figures(staff):
    daily, monthly, totals = _shown(staff)
    declared = [figure.name for figure in figures.FIGURES]
    assert [name for name in daily if name in declared] == declared
    assert [name for name in monthly if name in declared] == declared
    # The report shows each figure once: profit is net revenue again.
    assert list(totals) == [name for name in ["new_users", "active_users", *declared[1:]] if name != "profit"]
    assert (daily["failed_logins"], monthly["failed_logins"], totals["failed_logins"]) == (1, 1, 1)


def test_a_new_figure_shows_in_the_rows_and_the_report(staff, monkeypatch):
    added = figures.Figure("logins_failed_again", "failed_logins", is_money=False)
    monkeypatch.setattr(figures, "FIGURES", (*figures.FIGURES, added))
    daily, monthly, totals = _shown(staff)
    assert daily["logins_failed_again"] == monthly["logins_failed_again"] == totals["logins_failed_again"] == 1
