"""Exact DAU/WAU/MAU, weekly and monthly sums, and the seed command."""
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test import TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from api.services.ledger import verify_ledger
from business.metrics.rebuild import rebuild
from business.models import DailyBusinessMetrics
from business.tests.support import as_history, committed, get, local, login_event, snapshot
from nexus.testing.clients import client_for
from nexus.testing.factories import UserFactory
from risk.models import LoginEvent

pytestmark = pytest.mark.django_db


def test_dau_wau_mau_are_exact_distinct_counts():
    with time_machine.travel(local(2026, 2, 1), tick=False):  # before the rebuilt range
        a, b, c, d = (UserFactory() for _ in range(4))
        staff_user = UserFactory(is_staff=True)
    plan = {1: [a, a, b], 3: [a], 6: [c], 8: [b], 31: [d]}  # March 2026
    for day, users in plan.items():
        for user in users:
            with time_machine.travel(local(2026, 3, day, 9), tick=False):
                login_event(user)
    with time_machine.travel(local(2026, 3, 31, 12), tick=False):
        login_event(None, successful=False)
        staff = client_for(staff_user)
        active = {d: get(staff, "active", date=f"2026-03-{d:02d}") for d in plan}
    assert [active[1][k] for k in ("active_users", "active_users_7d", "active_users_30d")] == [2, 2, 2]
    assert [active[3][k] for k in ("active_users", "active_users_7d", "active_users_30d")] == [1, 2, 2]
    assert [active[6][k] for k in ("active_users", "active_users_7d", "active_users_30d")] == [1, 3, 3]
    # Day 8's week is 2–8: a (3rd), c (6th), b (8th); the 1st has left the window.
    assert [active[8][k] for k in ("active_users", "active_users_7d", "active_users_30d")] == [1, 3, 3]
    # Day 31's month window is 2–31: a, c, b, d; its week 25–31: d only.
    assert [active[31][k] for k in ("active_users", "active_users_7d", "active_users_30d")] == [1, 1, 4]
    with time_machine.travel(local(2026, 3, 31, 12), tick=False):
        assert get(staff, "monthly", month="2026-03")["active_users"] == 4
        assert get(staff, "weekly", week="2026-03-04")["active_users"] == 3  # week 2–8 March
        before = {d: snapshot(staff, date(2026, 3, d)) for d in plan}
        rebuild(date(2026, 3, 1), date(2026, 3, 31))
        assert {d: snapshot(staff, date(2026, 3, d)) for d in plan} == before


def test_weekly_and_monthly_sum_the_daily_rows():
    users = [UserFactory() for _ in range(3)]
    as_history()
    moments = [local(2026, 4, 27, 10), local(2026, 4, 30, 10), local(2026, 5, 1, 10), local(2026, 5, 3, 10)]
    for i, moment in enumerate(moments):
        with time_machine.travel(moment, tick=False):
            with committed():
                UserFactory(country="JO")
            for _ in range(i + 1):
                login_event(None, successful=False)
            login_event(users[i % 3])
    with time_machine.travel(local(2026, 5, 4, 10), tick=False):
        staff = client_for(UserFactory(is_staff=True))
        days = get(staff, "daily")["results"]
        week = get(staff, "weekly", week="2026-04-29")  # Monday 27 April – Sunday 3 May
        april, may = get(staff, "monthly", month="2026-04"), get(staff, "monthly", month="2026-05-20")
        listed = get(staff, "monthly")["results"]
    assert (week["week_start"], week["week_end"]) == ("2026-04-27", "2026-05-03")
    assert week["failed_logins"] == sum(d["failed_logins"] for d in days) == 1 + 2 + 3 + 4
    assert week["new_users"] == 4 and week["active_users"] == 3
    assert (april["failed_logins"], april["new_users"], april["active_users"]) == (3, 2, 2)
    assert (may["failed_logins"], may["new_users"], may["active_users"]) == (7, 2, 2)
    assert [m["month"] for m in listed] == ["2026-05-01", "2026-04-01"]


def _failed_logins_on(*days):
    for day in days:
        with time_machine.travel(local(2026, 4, day, 10), tick=False):
            login_event(None, successful=False)


def test_closed_periods_are_served_from_their_snapshot_in_constant_queries():
    staff_user = UserFactory(is_staff=True)
    as_history()

    def weekly_list_queries():
        with time_machine.travel(local(2026, 4, 30, 18), tick=False):
            staff = client_for(staff_user)
            with CaptureQueriesContext(connection) as queries:
                weeks = get(staff, "weekly")["results"]
        return len(queries), weeks

    _failed_logins_on(6, 13)
    few, _ = weekly_list_queries()
    _failed_logins_on(20, 21, 27, 30)
    more, weeks = weekly_list_queries()
    assert [w["week_start"] for w in weeks] == ["2026-04-27", "2026-04-20", "2026-04-13", "2026-04-06"]
    assert [w["failed_logins"] for w in weeks] == [2, 2, 1, 1]
    assert more == few  # two more closed weeks, not one query more


def test_an_event_delivered_late_updates_its_closed_week():
    """A failed login of Tuesday 7 April whose callbacks run on the 15th, after later days were sealed."""
    _failed_logins_on(6, 14)
    with (
        time_machine.travel(local(2026, 4, 7, 23, 59), tick=False),
        TestCase.captureOnCommitCallbacks(execute=False) as late,
    ):
        LoginEvent.objects.create(successful=False, attempted_email="late@example.com", ip="10.0.0.1")
    with time_machine.travel(local(2026, 4, 15, 0, 1), tick=False):
        for callback in late:
            callback()
        staff = client_for(UserFactory(is_staff=True))
        week = get(staff, "weekly", week="2026-04-08")
        listed = get(staff, "weekly")["results"]
        daily = get(staff, "daily", date="2026-04-07")
    assert week["failed_logins"] == daily["failed_logins"] + 1 == 2
    assert [w["failed_logins"] for w in listed] == [1, 2]


def test_seed_small_range_is_ledger_true_and_equals_a_rebuild(settings):
    settings.DEBUG = True
    with time_machine.travel(local(2026, 6, 8, 12), tick=False):
        call_command("reset_and_seed_analytics", start="2026-06-01", end="2026-06-07", users=5, seed=7, stdout=None)
        report = verify_ledger()
        assert report["ok"], report
        staff = client_for(UserFactory(is_staff=True))
        seeded = {d: snapshot(staff, date(2026, 6, d)) for d in range(1, 8)}
        assert sum(s["daily"]["total_transactions_success"] for s in seeded.values()) > 0
        assert LoginEvent.objects.filter(successful=False).exists()
        assert {s["country"] for day in seeded.values() for s in day["countries"]} <= {"JO", "AE", "SA", "ZZ"}
        call_command("rebuild_metrics", start="2026-06-01", end="2026-06-07", stdout=None)
        assert {d: snapshot(staff, date(2026, 6, d)) for d in range(1, 8)} == seeded
        # Same options, same data; and a re-run replaces (not duplicates) the demo.
        call_command("reset_and_seed_analytics", start="2026-06-01", end="2026-06-07", users=5, seed=7, stdout=None)
        assert {d: snapshot(staff, date(2026, 6, d)) for d in range(1, 8)} == seeded
        assert verify_ledger()["ok"]


@override_settings(DEBUG=False)
def test_seed_refuses_without_debug_or_force():
    with pytest.raises(CommandError, match="--force"):
        call_command("reset_and_seed_analytics", users=1, stdout=None)
    assert not DailyBusinessMetrics.objects.exists()


def test_seed_demo_if_empty_skips_when_customers_exist(capsys):
    UserFactory()
    call_command("seed_demo_if_empty")
    assert "skipped" in capsys.readouterr().out
