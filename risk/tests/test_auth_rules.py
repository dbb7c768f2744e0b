"""Authentication rules (API.md §8.2): each fires at its threshold and not just under it."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from api.models import Notification
from nexus.testing.factories import UserFactory
from risk.tests.helpers import UA_DESKTOP, UA_PHONE, failures, incidents, login_event

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo(settings.TIME_ZONE)
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=LOCAL)


@pytest.fixture
def at():
    """Travel to a moment (local time) and keep the clock still there."""
    travellers = []

    def travel(moment):
        if travellers:
            travellers.pop().stop()
        traveller = time_machine.travel(moment, tick=False)
        traveller.start()
        travellers.append(traveller)

    yield travel
    for traveller in travellers:
        traveller.stop()


def security_notices(user):
    return Notification.objects.filter(user=user, notification_type="SECURITY")


# --- failed_login -------------------------------------------------------------------


def test_failed_login_every_failure(user):
    login_event(user, successful=False, reason="invalid_credentials", ip="198.51.100.9", country="AE")
    incident = incidents("failed_login").get()
    assert (incident.event, incident.severity) == ("Failed login attempt", "low")
    assert (incident.attempted_email, incident.ip, incident.country, incident.user) == (user.email, "198.51.100.9", "AE", user)
    assert incident.details["failed_attempts"] == 1


def test_success_is_no_failed_login(user):
    login_event(user)
    assert not incidents("failed_login").exists()


# --- brute_force ----------------------------------------------------------------------


def test_brute_force_at_five_failures_once_per_window(user, at):
    at(NOON)
    failures(4, user.email, user=user)
    assert not incidents("brute_force").exists()
    at(NOON + timedelta(minutes=9))
    failures(1, user.email.upper(), user=user)
    incident = incidents("brute_force").get()
    assert (incident.event, incident.severity, incident.user) == ("Brute-force suspected on account", "high", user)
    assert incident.details["failed_attempts"] == 5
    assert security_notices(user).count() == 1
    failures(3, user.email, user=user)
    assert incidents("brute_force").count() == 1  # once per window
    at(NOON + timedelta(minutes=20))
    failures(5, user.email, user=user)
    assert incidents("brute_force").count() == 2  # the earlier incident left the window


def test_brute_force_not_when_failures_spread_beyond_window(user, at):
    at(NOON)
    failures(4, user.email, user=user)
    at(NOON + timedelta(minutes=settings.RISK_AUTH_WINDOW_MINUTES, seconds=1))
    failures(1, user.email, user=user)
    assert not incidents("brute_force").exists()


# --- credential_stuffing --------------------------------------------------------------


def test_credential_stuffing_five_failures_three_emails(user):
    ip = "203.0.113.50"
    for email in ["a@example.com", "b@example.com", "a@example.com", "b@example.com"]:
        failures(1, email, ip=ip)
    assert not incidents("credential_stuffing").exists()  # 4 failures, 2 emails
    failures(1, user.email, ip=ip, user=user)
    incident = incidents("credential_stuffing").get()
    assert incident.user is None  # aimed at many accounts, not the last one tried
    assert (incident.event, incident.severity, incident.ip) == ("Credential stuffing suspected from IP", "high", ip)
    assert incident.details["failed_attempts"] == 5
    assert incident.details["distinct_targets"] == 3
    assert incident.details["emails"] == sorted(["a@example.com", "b@example.com", user.email])
    failures(1, "d@example.com", ip=ip)
    assert incidents("credential_stuffing").count() == 1


def test_credential_stuffing_needs_three_targets(db):
    for email in ["a@example.com", "b@example.com"] * 3:
        failures(1, email, ip="203.0.113.51")
    assert not incidents("credential_stuffing").exists()


def test_credential_stuffing_needs_five_failures(db):
    for email in ["a@example.com", "b@example.com", "c@example.com", "d@example.com"]:
        failures(1, email, ip="203.0.113.52")
    assert not incidents("credential_stuffing").exists()


# --- impossible_travel ----------------------------------------------------------------


def test_impossible_travel_within_the_hour(user, at):
    at(NOON)
    login_event(user, country="JO")
    at(NOON + timedelta(minutes=59))
    login_event(user, country="US")
    incident = incidents("impossible_travel").get()
    assert (incident.event, incident.severity, incident.country) == ("Impossible travel suspected", "high", "US")
    assert incident.details["previous_country"] == "JO"


def test_no_impossible_travel_after_the_hour(user, at):
    at(NOON)
    login_event(user, country="JO")
    at(NOON + timedelta(minutes=settings.RISK_IMPOSSIBLE_TRAVEL_MINUTES, seconds=1))
    login_event(user, country="US")
    assert not incidents("impossible_travel").exists()


def test_no_impossible_travel_from_unknown_country(user, at):
    at(NOON)
    login_event(user, country="JO")
    login_event(user, country="")
    assert not incidents("impossible_travel").exists()


# --- new_country ----------------------------------------------------------------------


def test_new_country_notifies_the_customer(user, at):
    at(NOON)
    login_event(user, country="JO")
    assert not incidents("new_country").exists()  # the first known country is no news
    at(NOON + timedelta(hours=3))  # far enough apart not to be impossible travel too
    login_event(user, country="SA")
    incident = incidents("new_country").get()
    assert (incident.event, incident.severity, incident.user) == ("Login from new country", "medium", user)
    notice = security_notices(user).get()
    assert "SA" in notice.message


def test_known_country_is_not_new(user):
    login_event(user, country="JO")
    login_event(user, country="SA")
    login_event(user, country="JO")
    assert incidents("new_country").count() == 1


def test_new_country_needs_an_earlier_known_country(user):
    login_event(user, country="")
    login_event(user, country="SA")
    assert not incidents("new_country").exists()


# --- new_device -----------------------------------------------------------------------


def test_new_device(user):
    login_event(user, user_agent=UA_DESKTOP)
    assert not incidents("new_device").exists()
    login_event(user, user_agent=UA_PHONE)
    incident = incidents("new_device").get()
    assert (incident.event, incident.severity) == ("Login from new device", "medium")
    assert incident.details["user_agent"] == UA_PHONE
    assert security_notices(user).count() == 1


def test_same_device_is_not_new(user):
    login_event(user, user_agent=UA_DESKTOP)
    login_event(user, user_agent=UA_DESKTOP)
    assert not incidents("new_device").exists()


# --- unusual_hour ---------------------------------------------------------------------


def test_unusual_hour_before_five_local(user, at):
    at(datetime(2026, 3, 10, 4, 59, tzinfo=LOCAL))
    login_event(user)
    incident = incidents("unusual_hour").get()
    assert (incident.event, incident.severity) == ("Login at unusual hour", "low")


def test_five_oclock_is_not_unusual(user, at):
    at(datetime(2026, 3, 10, 5, 0, tzinfo=LOCAL))
    login_event(user)
    assert not incidents("unusual_hour").exists()


# --- shared_ip ------------------------------------------------------------------------


def test_shared_ip_five_users_once_per_window(at):
    at(NOON)
    users = UserFactory.create_batch(6)
    for user in users[:4]:
        login_event(user, ip="192.0.2.77")
    assert not incidents("shared_ip").exists()
    at(NOON + timedelta(minutes=59))
    login_event(users[4], ip="192.0.2.77")
    incident = incidents("shared_ip").get()
    assert (incident.event, incident.severity, incident.ip) == ("Multiple accounts from same IP", "medium", "192.0.2.77")
    assert incident.details["distinct_users"] == 5 and incident.user is None
    login_event(users[5], ip="192.0.2.77")
    assert incidents("shared_ip").count() == 1


def test_shared_ip_counts_distinct_users_inside_the_hour(at):
    users = UserFactory.create_batch(5)
    at(NOON)
    login_event(users[0], ip="192.0.2.78")
    at(NOON + timedelta(minutes=61))
    for user in users[1:]:
        login_event(user, ip="192.0.2.78")
    login_event(users[1], ip="192.0.2.78")  # the same user again is not a new account
    assert not incidents("shared_ip").exists()


# --- login_success --------------------------------------------------------------------


def test_login_success_audit(user, staff_user):
    login_event(user)
    login_event(staff_user)
    assert incidents("login_success", user=user).get().event == "Successful login"
    assert incidents("login_success", user=user).get().severity == "low"
    admin = incidents("login_success", user=staff_user).get()
    assert (admin.event, admin.severity) == ("Admin login", "medium")


def test_rules_run_only_after_commit(user, django_capture_on_commit_callbacks):
    from risk.models import LoginEvent

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        LoginEvent.objects.create(user=user, attempted_email=user.email, successful=False, ip="198.51.100.1")
        assert not incidents("failed_login").exists()
    for callback in callbacks:
        callback()
    assert incidents("failed_login").exists()
