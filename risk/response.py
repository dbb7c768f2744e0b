"""Optional automatic response to critical incidents (``RISK_AUTO_RESPONSE``, off by default).

Only rules act here, never the AI: a critical incident on a customer freezes
their accounts and revokes their sessions, recorded as an automated admin action.
"""
from django.conf import settings
from django.utils import timezone

from api.models import Account
from api.services.sessions import revoke_all_sessions

from .incidents import ADMIN_ACTION_RULE
from .models import Incident

AUTO_RESPONSE_ACTION = "AUTO_FREEZE_AND_REVOKE"


def auto_respond(incident):
    user = incident.user
    if not settings.RISK_AUTO_RESPONSE or user is None or user.is_staff:
        return None
    from .incidents import raise_incident

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
