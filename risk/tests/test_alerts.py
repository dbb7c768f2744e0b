"""Who hears about an incident: staff notifications, customer notices, auto-response."""
import pytest

from api.models import Account, Notification
from nexus.testing.factories import UserFactory
from risk.incidents import raise_incident
from risk.models import Incident
from risk.tests.helpers import account, committed

pytestmark = pytest.mark.django_db


def admin_alerts():
    return Notification.objects.filter(notification_type="ADMIN_ALERT")


@pytest.mark.parametrize("severity", ["high", "critical"])
def test_high_and_critical_alert_every_active_staff(staff_user, user, severity):
    other_staff = UserFactory(is_staff=True)
    UserFactory(is_staff=True, is_active=False)
    with committed():
        incident = raise_incident("velocity", "Suspicious transaction velocity", severity, user=user, ip="198.51.100.1")
    assert set(admin_alerts().values_list("user", flat=True)) == {staff_user.pk, other_staff.pk}
    assert f"incident #{incident.pk}" in admin_alerts().first().message
    assert not Notification.objects.filter(user=user).exists()  # no customer_notice given


@pytest.mark.parametrize("severity", ["low", "medium"])
def test_lower_severities_do_not_alert(staff_user, severity):
    raise_incident("new_device", "Login from new device", severity)
    assert not admin_alerts().exists()


def test_customer_notice(user):
    raise_incident("new_device", "Login from new device", "medium", user=user, customer_notice="New device.")
    assert Notification.objects.get(user=user).notification_type == "SECURITY"


def test_auto_response_off_by_default(user, user_client):
    mine = account(user)
    raise_incident("lockout", "User locked out", "critical", user=user)
    mine.refresh_from_db()
    assert mine.is_active
    assert user_client.get("/auth/users/me/").status_code == 200
    assert not Incident.objects.filter(rule="admin_action").exists()


def test_auto_response_freezes_and_revokes(user, user_client, settings):
    settings.RISK_AUTO_RESPONSE = True
    mine, second = account(user), account(user, currency="USD")
    trigger = raise_incident("lockout", "User locked out", "critical", user=user)
    assert set(Account.objects.filter(user=user).values_list("is_active", flat=True)) == {False}
    assert user_client.get("/auth/users/me/").status_code == 401
    action = Incident.objects.get(rule="admin_action")
    assert action.details["automated"] is True
    assert action.details["trigger_incident_id"] == trigger.pk
    assert action.details["frozen_accounts"] == sorted([mine.pk, second.pk])
    assert Notification.objects.filter(user=user, notification_type="SECURITY").exists()


def test_auto_response_spares_staff_and_lower_severities(staff_user, user, settings):
    settings.RISK_AUTO_RESPONSE = True
    theirs = account(staff_user)
    mine = account(user)
    raise_incident("lockout", "User locked out", "critical", user=staff_user)
    raise_incident("velocity", "Suspicious transaction velocity", "high", user=user)
    assert Account.objects.get(pk=theirs.pk).is_active and Account.objects.get(pk=mine.pk).is_active
