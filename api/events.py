"""Delivering the outbox: committed events to the receivers of ``api.signals``, and emails.

A money transaction writes its events to ``OutboxEvent`` in the same
database transaction (``api.models.outbox_records``), so they exist exactly
when the money moved; a code's email is written with its code. ``deliver_batch`` hands a batch of them to the receivers
(risk rules, metrics, notifications, pushes) and marks them delivered in
one transaction: an event's database effects commit together with its
``delivered_at``, so a process killed at any moment loses none and applies
none twice (pushes and emails, sent after that commit, are at-least-once).

Who delivers, and when: with ``OUTBOX_INLINE`` (the embedded default, no
broker; tests) the committing request drains the outbox right after its
commit (``api.tasks.wake``); otherwise the dispatcher process
(``manage.py deliver_outbox``, ``api.dispatcher``) does, woken by
PostgreSQL's NOTIFY at each commit, and Celery beat drains it every
``OUTBOX_POLL_SECONDS`` as a safety net. The request never talks to a broker.

An event that failed ``OUTBOX_MAX_ATTEMPTS`` times is given up (a dead
letter, ``given_up_at``), logged at ERROR and left for an operator.
"""
import contextlib
import copy
import functools
import logging
import threading
from datetime import timedelta

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import DatabaseError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from api import signals
from api.models import OutboxEvent
from nexus.health import OUTBOX_EVENTS_GIVEN_UP, count_failure

logger = logging.getLogger(__name__)

SIGNALS = {
    "transfer_created": signals.transfer_created,
    "transaction_completed": signals.transaction_completed,
    "transaction_reversed": signals.transaction_reversed,
    "bill_payment_completed": signals.bill_payment_completed,
    "login_recorded": signals.login_recorded,
    "user_signed_up": signals.user_signed_up,
}
# The keyword a signal's receivers get the row under, per model (rows of other apps by label:
# ``api`` imports none of them).
KWARGS = {
    "api.Transaction": "transaction",
    "api.BillPayment": "bill_payment",
    "risk.LoginEvent": "login_event",
    "api.User": "user",
}
# What the receivers read of an event's row: loaded for the whole batch in one query per model.
RELATED = {
    "api.Transaction": ("initiated_by", "sender_account__user", "receiver_account__user"),
    "api.BillPayment": ("user", "account", "biller", "transaction"),
    "risk.LoginEvent": ("user",),
}


_batch = threading.local()


def at_batch_end(flush, item):
    """Fold ``item`` into one ``flush(items)`` call at the end of the delivering batch.

    For receivers whose writes add up (metric counters): one statement for
    the batch instead of a few per event. The flush runs inside the batch's
    transaction, before the events are marked delivered; the items of an
    event that failed are dropped with its rollback. Outside a batch (a
    signal sent directly) the flush runs at once.
    """
    pending = getattr(_batch, "event", None)
    if pending is None:
        flush([item])
    else:
        pending.setdefault(flush, []).append(item)


class ReceiverError(Exception):
    """A receiver raised: the event's other effects are rolled back with it, for a later retry."""


def drain():
    """Deliver every pending event once, batch after batch; returns how many were handled.

    An event that fails now is left for the next drain, not retried in a loop.
    A batch that was not full was the last: no query to find an empty one.
    """
    total, after = 0, 0
    while batch := deliver_batch(after=after):
        total += len(batch)
        after = batch[-1]
        if len(batch) < settings.OUTBOX_BATCH_SIZE:
            break
    return total


def prune(now=None):
    """Delete events delivered more than ``OUTBOX_KEEP_DAYS`` ago; returns how many."""
    cutoff = (now or timezone.now()) - timedelta(days=settings.OUTBOX_KEEP_DAYS)
    deleted, _ = OutboxEvent.objects.filter(delivered_at__lt=cutoff).delete()
    return deleted


def deliver_batch(limit=None, after=0):
    """Deliver up to ``limit`` pending events past ``after`` in one transaction.

    First the whole batch at once, no savepoints; when a receiver fails, that
    is rolled back and the batch is delivered again with each event in a
    savepoint of its own, so only the failing events wait for a retry.
    Returns the ids handled (delivered, or tried and left for a retry), in order.
    """
    try:
        return _deliver_batch(limit or settings.OUTBOX_BATCH_SIZE, after, isolated=False)
    except (ReceiverError, DatabaseError):
        logger.warning("Outbox batch failed as a whole; delivering its events one by one", exc_info=True)
        return _deliver_batch(limit or settings.OUTBOX_BATCH_SIZE, after, isolated=True)


def _deliver_batch(limit, after, isolated):
    with transaction.atomic():
        pending = OutboxEvent.objects.select_for_update(skip_locked=True).pending().filter(pk__gt=after)
        batch = list(pending.order_by("pk")[:limit])
        if not batch:
            return []
        rows = _load(batch)
        delivered, failed, given_up, folded = [], [], [], {}
        for event in batch:
            if _deliver(event, rows.get((event.model, event.object_id)), isolated, folded):
                delivered.append(event)
            elif event.attempts + 1 >= settings.OUTBOX_MAX_ATTEMPTS:
                logger.error("Outbox event %s given up after %s attempts", event, event.attempts + 1)
                count_failure(OUTBOX_EVENTS_GIVEN_UP)
                given_up.append(event.pk)
            else:
                failed.append(event.pk)
        _flush(folded)
        _mark(delivered, failed, given_up)
    return [event.pk for event in batch]


@contextlib.contextmanager
def _folding_into(folded):
    """``at_batch_end`` calls made inside the block are folded into ``folded``."""
    _batch.event = folded
    try:
        yield
    finally:
        _batch.event = None


def _flush(folded):
    """Run the folded writes, metric counters last (``flush_last``); empties ``folded``.

    What a flush folds in turn (the metric counter of an incident that the
    batch's risk rules raise) joins the pending flushes, so every counter of
    the batch is one sorted upsert: concurrent batches take the counter rows
    in one order and never deadlock on them.
    """
    pending = dict(sorted(folded.items(), key=lambda pair: getattr(pair[0], "flush_last", False)))
    folded.clear()
    while pending:
        flush = next(iter(pending))
        items = pending.pop(flush)
        with _folding_into(pending):
            flush(items)


def _mark(delivered, failed, given_up):
    """Record the batch's outcome: one UPDATE per outcome present (an email's content is not kept)."""
    now, tried = timezone.now(), F("attempts") + 1
    sent = [event.pk for event in delivered if event.kind in HANDLERS]
    OutboxEvent.objects.filter(pk__in=[event.pk for event in delivered if event.kind not in HANDLERS]).update(
        delivered_at=now, attempts=tried
    )
    if sent:
        OutboxEvent.objects.filter(pk__in=sent).update(delivered_at=now, attempts=tried, payload={})
    if given_up:
        OutboxEvent.objects.filter(pk__in=given_up).update(given_up_at=now, attempts=tried)
    if failed:
        OutboxEvent.objects.filter(pk__in=failed).update(attempts=tried)


def retry_given_up():
    """Put every given-up event back in line (after the cause was fixed); returns how many."""
    return OutboxEvent.objects.filter(given_up_at__isnull=False).update(given_up_at=None, attempts=0)


def _load(batch):
    """``{(model, pk): row}`` for the batch's rows, one query per model."""
    wanted = {}
    for event in batch:
        if event.model:
            wanted.setdefault(event.model, set()).add(event.object_id)
    rows = {}
    for label, pks in wanted.items():
        query = apps.get_model(label).objects.select_related(*RELATED.get(label, ())).filter(pk__in=pks)
        rows.update(((label, row.pk), row) for row in query)
    return rows


def _as_at_event(event, row):
    """A copy of ``row`` with the fields the event snapshot (the row may have moved on since)."""
    row = copy.copy(row)
    for name, value in event.payload.items():
        if name.endswith("_at") and isinstance(value, str):
            value = parse_datetime(value)
        setattr(row, name, value)
    return row


def _deliver(event, row, isolated, folded):
    """Send one event, folding its batch-end writes into ``folded``; False when a receiver failed.

    Not isolated, a failing receiver raises ReceiverError (the whole batch
    rolls back). Isolated, the event and its own folded writes run in a
    savepoint: a failure there, even in those writes, costs only this event
    an attempt, so an event that always fails is given up in the end instead
    of holding back the batch for ever.
    """
    if event.kind in HANDLERS:
        deliver_one = functools.partial(HANDLERS[event.kind], **event.payload)
    elif row is None:  # The row is protected from deletion; nothing to tell anyone about.
        return True
    else:
        deliver_one = functools.partial(send, SIGNALS[event.kind], **{KWARGS[event.model]: _as_at_event(event, row)})
    if not isolated:
        with _folding_into(folded):
            deliver_one()
        return True
    try:
        with transaction.atomic():
            own = {}
            with _folding_into(own):
                deliver_one()
            _flush(own)
    except (ReceiverError, DatabaseError):
        logger.exception("Outbox event %s failed; it will be retried", event)
        return False
    return True


def send(signal, **kwargs):
    """Run every receiver of ``signal``; raise ReceiverError (after logging each) when one raised."""
    ((_, instance),) = kwargs.items()
    failures = [
        (receiver, result)
        for receiver, result in signal.send_robust(sender=type(instance), **kwargs)
        if isinstance(result, Exception)
    ]
    for receiver, result in failures:
        logger.error("Receiver %r failed", receiver, exc_info=result)
    if failures:
        raise ReceiverError(failures)


def send_email(subject, body, recipients):
    """An email event: sent inside the batch, so a crash before its commit sends it again (at least once)."""
    try:
        send_mail(subject, body, None, recipients)
    except OSError as error:  # SMTP down or refusing: retried with the event
        logger.error("Email %r to %s not sent", subject, recipients, exc_info=error)
        raise ReceiverError([(send_mail, error)]) from error


# Events that name no row: their payload is the handler's keyword arguments.
HANDLERS = {"email": send_email}


def deliver(signal_names, kwarg, model_label, pk):
    """Tasks queued by the release before the outbox: reload the committed row and send its signals."""
    if isinstance(signal_names, str):
        signal_names = [signal_names]
    row = apps.get_model(model_label).objects.select_related(*RELATED.get(model_label, ())).filter(pk=pk).first()
    if row is not None:
        for name in signal_names:
            SIGNALS[name].send_robust(sender=type(row), **{kwarg: row})
