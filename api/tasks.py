from celery import shared_task
from django.core.mail import send_mail
from django.db import transaction


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=3)
def send_email(subject, body, recipients):
    send_mail(subject, body, None, recipients)


def queue_email(subject, body, recipient):
    """Send after the surrounding transaction commits, never from inside it."""
    transaction.on_commit(lambda: send_email.delay(subject, body, [recipient]))


@shared_task
def expire_pending_transfers():
    """Beat task (every minute): fail PENDING_OTP transfers whose code expired; returns the count."""
    from api.services.transfers import expire_pending_transfers as expire

    return expire()


@shared_task(ignore_result=True)
def deliver_outbox():
    """Deliver every pending money event (woken after a money commit, and by beat as the safety net)."""
    from api.events import drain

    return drain()


@shared_task(ignore_result=True)
def prune_outbox():
    """Beat task (daily): forget events delivered more than OUTBOX_KEEP_DAYS ago."""
    from api.events import prune

    return prune()


@shared_task(ignore_result=True)
def deliver_event(signal_names, kwarg, model_label, pk):
    """Events queued by the release before the outbox (drains the old queue after an upgrade)."""
    from api.events import deliver

    deliver(signal_names, kwarg, model_label, pk)
