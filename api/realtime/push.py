"""Pushes to WebSocket groups, always after the surrounding commit."""
import logging

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.db import transaction

from .groups import ADMIN_ALERTS, user_group

logger = logging.getLogger(__name__)


def _send(group, message):
    try:
        async_to_sync(get_channel_layer().group_send)(group, message)
    except Exception:  # A push must never break the request that caused it.
        logger.exception("WebSocket push to %s failed", group)


def push_to_user(user_id, payload):
    message = {"type": "user_notification", **payload}
    transaction.on_commit(lambda: _send(user_group(user_id), message))


def push_admin_alert(payload):
    message = {"type": "admin_alert", **payload}
    transaction.on_commit(lambda: _send(ADMIN_ALERTS, message))
