"""Recording incidents: the one entry point every rule and action uses.

A high or critical incident alerts staff (an ADMIN_ALERT notification each
and a push to the ``admin_alerts`` group after commit); ``customer_notice``
tells the affected user in a SECURITY notification; with
``RISK_AUTO_RESPONSE`` a critical incident freezes the user's accounts.
"""
from .models import Incident

ALERT_SEVERITIES = (Incident.Severity.HIGH, Incident.Severity.CRITICAL)
ADMIN_ACTION_RULE = "admin_action"


def raise_incident(
    rule,
    event,
    severity,
    *,
    user=None,
    ip=None,
    country="",
    attempted_email="",
    details=None,
    customer_notice=None,
):
    incident = Incident.objects.create(
        rule=rule,
        event=event,
        severity=severity,
        user=user,
        ip=ip or None,
        country=country or "",
        attempted_email=attempted_email or "",
        details=details or {},
    )
    from . import alerts, response  # Late: they import api services that import this module.

    if severity in ALERT_SEVERITIES:
        alerts.alert_staff(incident)
    if customer_notice and user is not None:
        alerts.notify_customer(user, customer_notice)
    if severity == Incident.Severity.CRITICAL:
        response.auto_respond(incident)
    return incident


def record_failed_otp(stage, reason, *, user, context, attempted_email="", **details):
    """``otp_failed``: a wrong, expired or dead code at login or transfer confirmation."""
    return raise_incident(
        "otp_failed",
        "Failed OTP verification",
        Incident.Severity.MEDIUM,
        user=user,
        ip=context.get("ip"),
        country=context.get("country", ""),
        attempted_email=attempted_email or getattr(user, "email", ""),
        details={"stage": stage, "reason": reason, **details},
    )
