"""Recording incidents: the one entry point every rule and action uses.

Every incident sends ``incident_raised``, which ``risk.response`` answers:
staff alerts, the customer's notice, the optional automatic freeze.
"""
from django.db import transaction

from .models import Incident
from .signals import incident_raised

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
    # One transaction with what the row sets off (its metric counter, alert, notices): a
    # process killed after the INSERT cannot leave an incident that the metrics never counted.
    with transaction.atomic():
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
        incident_raised.send(sender=Incident, incident=incident, customer_notice=customer_notice)
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
