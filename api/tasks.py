"""Celery tasks, and the choice of delivering committed outbox events inline or by the worker.

Depends on ``api.events`` and the models, never the other way round: the
money pipeline announces its commits with ``api.signals.outbox_committed``.
"""
import logging
import threading
import time

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.dispatch import receiver

from api import events, signals
from api.models import Transaction

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_email(subject, body, recipients):
    send_mail(subject, body, None, recipients)


def queue_email(subject, body, recipient):
    """Send after the surrounding transaction commits, never from inside it."""
    transaction.on_commit(lambda: send_email.delay(subject, body, [recipient]))


@shared_task
def expire_pending_transfers():
    """Beat task (every minute): fail PENDING_OTP transfers whose code expired; returns the count."""
    return Transaction.expire_pending()


@shared_task(ignore_result=True)
def deliver_outbox():
    """Deliver every pending money event (woken after a money commit, and by beat as the safety net)."""
    return events.drain()


@shared_task(ignore_result=True)
def prune_outbox():
    """Beat task (daily): forget events delivered more than OUTBOX_KEEP_DAYS ago."""
    return events.prune()


@shared_task(ignore_result=True)
def deliver_event(signal_names, kwarg, model_label, pk):
    """Events queued by the release before the outbox (drains the old queue after an upgrade)."""
    events.deliver(signal_names, kwarg, model_label, pk)


_wake_lock = threading.Lock()
_next_wake = 0.0


@receiver(signals.outbox_committed, dispatch_uid="api.tasks.wake")
def wake(sender, ids, **kwargs):
    """After a money commit: deliver its events now (no broker) or nudge the outbox worker.

    The nudge is a delivery ``OUTBOX_WAKEUP_SECONDS`` from now, sent only when
    none of this process's is due later: it finds every event committed
    before it runs, so a busy process sends a few nudges a second, each
    delivering a real batch, instead of one task per transfer.
    """
    global _next_wake
    if settings.CELERY_TASK_ALWAYS_EAGER:
        events.deliver_batch(ids)
        return
    if not settings.OUTBOX_WAKEUP:
        return
    with _wake_lock:
        now = time.monotonic()
        if _next_wake > now:
            return
        _next_wake = now + settings.OUTBOX_WAKEUP_SECONDS
    try:
        deliver_outbox.apply_async(countdown=settings.OUTBOX_WAKEUP_SECONDS)
    except Exception:  # Beat delivers them anyway; the money has moved.
        logger.warning("Outbox wake-up not sent; beat will deliver", exc_info=True)
