"""Pushes to WebSocket groups, always after the surrounding commit.

Pushes run on one long-lived event loop per process (a daemon thread), so
the channel layer keeps its Redis connections between pushes; ``async_to_sync``
would start a new loop, thread and Redis connection for every push.
"""
import asyncio
import logging
import threading

from channels.layers import get_channel_layer
from django.db import transaction

from .groups import ADMIN_ALERTS, session_group, user_group

logger = logging.getLogger(__name__)
PUSH_TIMEOUT_SECONDS = 2

_loop = None
_loop_lock = threading.Lock()


def _push_loop():
    global _loop
    with _loop_lock:
        if _loop is None or _loop.is_closed():
            _loop = asyncio.new_event_loop()
            threading.Thread(target=_loop.run_forever, name="websocket-push", daemon=True).start()
        return _loop


def _send(group, message):
    try:
        coroutine = get_channel_layer().group_send(group, message)
        asyncio.run_coroutine_threadsafe(coroutine, _push_loop()).result(timeout=PUSH_TIMEOUT_SECONDS)
    except Exception:  # A push must never break the request that caused it.
        logger.exception("WebSocket push to %s failed", group)


def push_to_user(user_id, payload):
    message = {"type": "user_notification", **payload}
    transaction.on_commit(lambda: _send(user_group(user_id), message))


def push_admin_alert(payload):
    message = {"type": "admin_alert", **payload}
    transaction.on_commit(lambda: _send(ADMIN_ALERTS, message))


# Revocation: each socket that gets this checks its own session and closes with 4001 when
# it is over. After commit, so the socket's check sees the revocation.
SESSION_REVOKED = {"type": "session_revoked"}


def close_session_sockets(session_id):
    """Close the sockets of one login session (logout), in every process."""
    transaction.on_commit(lambda: _send(session_group(session_id), SESSION_REVOKED))


def close_user_sockets(user_id):
    """Close the sockets of every revoked session of a user (block, terminate-session)."""
    transaction.on_commit(lambda: _send(user_group(user_id), SESSION_REVOKED))
