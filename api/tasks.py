from celery import shared_task
from django.core.mail import send_mail
from django.db import OperationalError, transaction


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


@shared_task(ignore_result=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def deliver_event(signal_names, kwarg, model_label, pk):
    """A committed row's money events, handed to the worker by ``api.events.send_after_commit``."""
    from api.events import deliver

    deliver(signal_names, kwarg, model_label, pk)
