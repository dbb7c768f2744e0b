"""What follows a recorded incident (the receiver of ``incident_raised``).

A high or critical incident alerts staff (an ADMIN_ALERT notification each
and a push to the ``admin_alerts`` group after commit); ``customer_notice``
tells the affected user in a SECURITY notification; with ``RISK_AUTO_RESPONSE``
(off by default) a critical incident on a customer freezes their accounts and
revokes their sessions, recorded as an automated admin action. Only rules act
here, never the AI.
"""
from django.conf import settings
from django.dispatch import receiver
from django.utils import timezone

from api.models import Account
from api.services.sessions import revoke_all_sessions

from . import alerts
from .incidents import ADMIN_ACTION_RULE, raise_incident
from .models import Incident
from .signals import incident_raised

ALERT_SEVERITIES = (Incident.Severity.HIGH, Incident.Severity.CRITICAL)
AUTO_RESPONSE_ACTION = "AUTO_FREEZE_AND_REVOKE"


@receiver(incident_raised, dispatch_uid="risk.respond")
def respond(sender, incident, customer_notice=None, **kwargs):
    if incident.severity in ALERT_SEVERITIES:
        alerts.alert_staff(incident)
    if customer_notice and incident.user is not None:
        alerts.notify_customer(incident.user, customer_notice)
    if incident.severity == Incident.Severity.CRITICAL:
        auto_respond(incident)


def auto_respond(incident):
    user = incident.user
    if not settings.RISK_AUTO_RESPONSE or user is None or user.is_staff:
        return None
    accounts = Account.objects.filter(user=user, is_system=False, is_active=True)
    frozen = sorted(accounts.values_list("account_number", flat=True))
    accounts.update(is_active=False)
    revoked = revoke_all_sessions(user)
    return raise_incident(
        ADMIN_ACTION_RULE,
        f"Admin Action: {AUTO_RESPONSE_ACTION}",
        Incident.Severity.MEDIUM,
        user=user,
        ip=incident.ip,
        country=incident.country,
        details={
            "action": AUTO_RESPONSE_ACTION,
            "automated": True,
            "performed_by": "risk-engine",
            "trigger_incident_id": incident.pk,
            "frozen_accounts": frozen,
            "tokens_revoked": revoked,
            "timestamp": timezone.now().isoformat(),
        },
        customer_notice=(
            "Your accounts were frozen and your sessions ended after a critical security alert. "
            "Contact the bank to restore access."
        ),
    )
