"""Celery tasks, and the inline delivery of committed outbox events on the embedded default.

Depends on ``api.events`` and the models, never the other way round: the
money pipeline announces its commits with ``api.signals.outbox_committed``.
"""
import logging

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.dispatch import receiver

from api import events, signals
from api.models import Transaction

logger = logging.getLogger(__name__)


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_email(subject, body, recipients):
    """Emails queued by the release before the outbox sent them (drains the old queue after an upgrade)."""
    send_mail(subject, body, None, recipients)


@shared_task
def expire_pending_transfers():
    """Beat task (every minute): fail PENDING_OTP transfers whose code expired; returns the count."""
    return Transaction.expire_pending()


@shared_task(ignore_result=True)
def deliver_outbox():
    """Beat task (every OUTBOX_POLL_SECONDS): deliver what the dispatcher has not, should it be down."""
    return events.drain()


@shared_task(ignore_result=True)
def prune_outbox():
    """Beat task (daily): forget events delivered more than OUTBOX_KEEP_DAYS ago."""
    return events.prune()


@shared_task(ignore_result=True)
def deliver_event(signal_names, kwarg, model_label, pk):
    """Events queued by the release before the outbox (drains the old queue after an upgrade)."""
    events.deliver(signal_names, kwarg, model_label, pk)


@receiver(signals.outbox_committed, dispatch_uid="api.tasks.wake")
def wake(sender, **kwargs):
    """After a commit that wrote events: with ``OUTBOX_INLINE``, deliver the outbox now.

    The whole outbox, not only this commit's events: an event whose delivery
    failed earlier is retried by the next commit (up to OUTBOX_MAX_ATTEMPTS),
    as the dispatcher would. Otherwise nothing: on PostgreSQL the commit itself
    woke the dispatcher (NOTIFY), elsewhere it polls.
    """
    if settings.OUTBOX_INLINE:
        events.drain()
