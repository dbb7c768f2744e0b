"""Staff actions leave an audit trail (API.md §7): one incident, one notice to the customer."""
from django.utils import timezone

from api.models import Notification
from api.services.login import request_context
from api.services.notifications import notify
from risk.incidents import raise_incident
from risk.models import Incident

ADMIN_ACTION_RULE = "admin_action"


def record_admin_action(request, action, target_type, target_id, affected_user=None, **details):
    """Record ``action`` by ``request.user`` as a medium incident and tell ``affected_user``.

    ``details`` adds action-specific keys (``tokens_revoked``, ``amount`` …)
    to the incident's ``details``. Returns the Incident.
    """
    staff = request.user
    context = request_context(request)
    incident = raise_incident(
        ADMIN_ACTION_RULE,
        f"Admin Action: {action}",
        Incident.Severity.MEDIUM,
        user=staff,
        ip=context["ip"],
        country=context["country"],
        details={
            "action": action,
            "target_type": target_type,
            "target_id": str(target_id),
            "performed_by": staff.email,
            "timestamp": timezone.now().isoformat(),
            **details,
        },
    )
    if affected_user is not None:
        notify(affected_user, _notice(action, target_type, target_id), Notification.Type.SECURITY)
    return incident


def _notice(action, target_type, target_id):
    readable = action.replace("_", " ").lower()
    if target_type == "account":
        return f"Bank staff performed '{readable}' on your account ending {str(target_id)[-4:]}."
    if target_type == "transaction":
        return f"Bank staff performed '{readable}' on transaction #{target_id}."
    return f"Bank staff performed '{readable}' on your {target_type}."
