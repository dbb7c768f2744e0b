"""Telling people about incidents: staff alerts and customer security notices."""
from django.contrib.auth import get_user_model
from django.utils import timezone

from api.models import Notification
from api.realtime.push import push_admin_alert
from api.services.notifications import notify


def describe(incident):
    """One line naming the incident and whom or where it concerns."""
    subject = incident.attempted_email or (incident.user.email if incident.user_id else "")
    parts = [incident.event]
    if subject:
        parts.append(f"for {subject}")
    if incident.ip:
        parts.append(f"from {incident.ip}")
    if incident.country:
        parts.append(f"({incident.country})")
    return " ".join(parts)


def admin_alert_payload(incident):
    """The §10.1 ``admin_alert`` message (``type`` is added by the push)."""
    return {
        "severity": incident.severity,
        "event": incident.event,
        "incident_id": incident.pk,
        "message": describe(incident),
        "timestamp": timezone.localtime(incident.timestamp).isoformat(),
    }


def alert_staff(incident):
    """Every active staff user gets a notification; the live alert goes to the admin group once."""
    message = f"[{incident.severity.upper()}] {describe(incident)} (incident #{incident.pk})"
    for staff in get_user_model().objects.filter(is_staff=True, is_active=True):
        # push=False: staff sockets already receive the admin_alert below.
        notify(staff, message, Notification.Type.ADMIN_ALERT, push=False)
    push_admin_alert(admin_alert_payload(incident))


def notify_customer(user, message):
    notify(user, message, Notification.Type.SECURITY, event="SECURITY")
