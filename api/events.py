"""Delivering the committed money events of ``api.signals``.

Without a task broker (the embedded default) receivers run right after the
commit, in the request. With ``REDIS_URL`` the event goes to a Celery worker
as (signal, model, pk), so the request answers once the money has moved and
the side effects (risk rules, metrics, notifications, pushes) never add to
its latency. Either way nothing is sent for a transaction that rolled back.
"""
import logging

from django.apps import apps
from django.conf import settings
from django.db import transaction

from api import signals

logger = logging.getLogger(__name__)

SIGNALS = {
    "transfer_created": signals.transfer_created,
    "transaction_completed": signals.transaction_completed,
    "transaction_reversed": signals.transaction_reversed,
    "bill_payment_completed": signals.bill_payment_completed,
}
NAMES = {signal: name for name, signal in SIGNALS.items()}
# What the receivers read of an event's row, loaded with it in one query on the worker.
RELATED = {
    "api.Transaction": ("initiated_by", "sender_account__user", "receiver_account__user"),
    "api.BillPayment": ("user", "account", "biller", "transaction"),
}


def send_after_commit(*signals_, **kwargs):
    """Send ``signals_`` in order, with one model instance (``transaction=`` or ``bill_payment=``), after commit.

    The signals of one instance travel together: one task, one reload of the row.
    """
    ((kwarg, instance),) = kwargs.items()
    if settings.CELERY_TASK_ALWAYS_EAGER:
        transaction.on_commit(lambda: send_all(signals_, **kwargs))
        return
    from api.tasks import deliver_event

    args = ([NAMES[signal] for signal in signals_], kwarg, instance._meta.label, instance.pk)
    transaction.on_commit(lambda: deliver_event.delay(*args))


def send_all(signals_, **kwargs):
    for signal in signals_:
        send_now(signal, **kwargs)


def send_now(signal, **kwargs):
    """Run every receiver; one failing receiver never stops the others or the caller."""
    ((_, instance),) = kwargs.items()
    for receiver, result in signal.send_robust(sender=type(instance), **kwargs):
        if isinstance(result, Exception):
            logger.error("Receiver %r failed", receiver, exc_info=result)


def deliver(signal_names, kwarg, model_label, pk):
    """The worker's side of ``send_after_commit``: reload the committed row once and send each signal."""
    if isinstance(signal_names, str):  # queued before the signals of a row travelled together
        signal_names = [signal_names]
    rows = apps.get_model(model_label).objects.select_related(*RELATED.get(model_label, ()))
    instance = rows.filter(pk=pk).first()
    if instance is not None:
        send_all([SIGNALS[name] for name in signal_names], **{kwarg: instance})
