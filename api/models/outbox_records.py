"""Writing events to the outbox, inside the transaction that makes them happen.

A money movement's events carry the row's state at the moment of the event
(a later confirmation or reversal may change the row before delivery); a
login's or a sign-up's event only names its row; a code's email carries
what to send. After the commit
``api.signals.outbox_committed`` tells ``api.tasks.wake``, which delivers
them inline on the embedded default and does nothing otherwise (the
dispatcher was notified by the database itself).
"""
from django.db import transaction

from api import signals

from .outbox import OutboxEvent

# What may change on a row after its event: delivered as it was at the event.
SNAPSHOT_FIELDS = {
    "api.Transaction": ("status", "failure_reason", "completed_at", "reversed_at"),
    "api.BillPayment": ("status", "failure_reason"),
    # Nothing the receivers read changes (a user's country is read as it is at delivery,
    # as rebuild_metrics reads it): the event is its row's label and id, no payload.
    "risk.LoginEvent": (),
    "api.User": (),
}


def announce(instance, *kinds):
    """Write one outbox row per event ``kinds`` (api.signals names) of ``instance``; deliver after commit."""
    return _write(events_of(instance, *kinds))


def events_of(instance, *kinds):
    """Unsaved outbox rows for ``kinds`` of ``instance``, with its state now; whoever saves them calls ``written``."""
    label = instance._meta.label
    payload = {name: getattr(instance, name) for name in SNAPSHOT_FIELDS[label]}
    return [OutboxEvent(kind=kind, model=label, object_id=instance.pk, payload=payload) for kind in kinds]


def queue_email(subject, body, recipient):
    """Send an email once the surrounding transaction commits, and only then (never a code that was rolled back)."""
    return _write([OutboxEvent(kind="email", payload={"subject": subject, "body": body, "recipients": [recipient]})])


def _write(events):
    return written(OutboxEvent.objects.bulk_create(events))


def written(rows):
    """Events just saved in the current transaction: have them delivered once it commits."""
    # Robust: a delivery that fails after the commit is logged and its events stay in the outbox
    # for the next drain; the failure must never reach the money path's deadlock retry, which
    # would run the (already committed) movement again.
    transaction.on_commit(lambda: signals.outbox_committed.send(sender=OutboxEvent), robust=True)
    return rows
