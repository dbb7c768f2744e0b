"""Notifications: one place that records a notice and pushes it to the user's socket."""
from decimal import Decimal

from django.utils import timezone

from api.models import Notification
from api.models.choices import NotificationEvent
from api.money import quantize_money
from api.realtime.push import push_to_user

# The WebSocket ``event`` a notification type carries when the caller names none.
DEFAULT_EVENTS = {
    Notification.Type.SECURITY: NotificationEvent.SECURITY,
    Notification.Type.BILL_PAYMENT: NotificationEvent.BILL_PAYMENT,
    Notification.Type.ADMIN_ALERT: NotificationEvent.SECURITY,
    Notification.Type.TRANSACTION: NotificationEvent.CREDIT,
}


def money_text(value):
    """A money value as the contract writes it: a string with two decimals."""
    return format(quantize_money(value), "f")


def notify(user, message, notification_type, related_transaction=None, event=None, push=True, **payload):
    """Record a notification for ``user`` and push it as ``user_notification`` after commit.

    ``payload`` adds the push's money keys (``amount``, ``currency``,
    ``account``); Decimals become two-decimal strings. ``push=False`` records
    only (for callers that push something else, e.g. admin alerts).
    """
    notification = Notification.objects.create(
        user=user,
        message=message[:500],
        notification_type=notification_type,
        related_transaction=related_transaction,
    )
    if push:
        push_to_user(user.pk, _push_payload(notification, event, payload))
    return notification


def notify_many(notices):
    """``notify`` for many notices at once (one INSERT): ``[(user, message, type, transaction, event, payload)]``."""
    rows = Notification.objects.bulk_create(
        [
            Notification(user=user, message=message[:500], notification_type=kind, related_transaction=txn)
            for user, message, kind, txn, _, _ in notices
        ]
    )
    for row, (user, _, _, _, event, payload) in zip(rows, notices):
        push_to_user(user.pk, _push_payload(row, event, payload))
    return rows


def _push_payload(notification, event, payload):
    extra = {key: money_text(value) if isinstance(value, Decimal) else value for key, value in payload.items()}
    return {
        "event": event or DEFAULT_EVENTS.get(notification.notification_type, NotificationEvent.SECURITY),
        **extra,
        "transaction_id": notification.related_transaction_id,
        "notification_id": notification.pk,
        "message": notification.message,
        "timestamp": timezone.localtime(notification.created_at).isoformat(),
    }


def mark_read(notification):
    if not notification.is_read:
        notification.is_read = True
        notification.save(update_fields=["is_read"])
    return notification


def mark_all_read(user):
    """Mark every unread notification of ``user`` read; returns how many changed."""
    return Notification.objects.filter(user=user, is_read=False).update(is_read=True)
