"""Recording incidents: the one entry point every rule and action uses."""
from .models import Incident


def raise_incident(rule, event, severity, *, user=None, ip=None, country="", attempted_email="", details=None):
    return Incident.objects.create(
        rule=rule,
        event=event,
        severity=severity,
        user=user,
        ip=ip or None,
        country=country or "",
        attempted_email=attempted_email or "",
        details=details or {},
    )
