"""Staff actions leave an audit trail (API.md §7): one incident, one notice to the customer."""
from django.utils import timezone

from api import signals
from api.models import Notification
from api.services.notifications import notify
from nexus.client import request_context


def record_admin_action(request, action, target_type, target_id, affected_user=None, **details):
    """Report ``action`` by ``request.user`` (``risk`` records the incident) and tell ``affected_user``.

    ``details`` adds action-specific keys (``tokens_revoked``, ``amount`` …)
    to the incident's ``details``.
    """
    staff = request.user
    signals.staff_action.send(
        sender=__name__,
        staff=staff,
        action=action,
        context=request_context(request),
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


def _notice(action, target_type, target_id):
    readable = action.replace("_", " ").lower()
    if target_type == "account":
        return f"Bank staff performed '{readable}' on your account ending {str(target_id)[-4:]}."
    if target_type == "transaction":
        return f"Bank staff performed '{readable}' on transaction #{target_id}."
    return f"Bank staff performed '{readable}' on your {target_type}."
