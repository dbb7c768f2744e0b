"""Committed events in, metric increments out.

Sign-ups and logins defer to ``transaction.on_commit`` (robust: a failing
metric update is logged, never raised into the request). The money signals
of ``api.signals`` come from the outbox (``api.events``), and incidents are
mostly raised there: both are recorded at once, inside the delivering
transaction, so an event's counters commit exactly when it is marked
delivered (never lost, never counted twice). Each handler builds the
event's facts from the saved rows and hands them to ``metrics.record``.
"""
import logging

from django.conf import settings
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from api import signals
from api.events import at_batch_end
from api.models import Transaction
from risk.models import Incident, LoginEvent

from .metrics import deltas as d
from .metrics import population, record
from .metrics.days import business_date

logger = logging.getLogger(__name__)

# A transfer is counted once it ends; a later reversal is counted as its own event.
RECORDED_TRANSFER_STATUSES = (Transaction.Status.SUCCESS, Transaction.Status.FAILED)


def _after_commit(func, *args):
    transaction.on_commit(lambda: func(*args), robust=True)


def _country_of(account):
    user = getattr(account, "user", None) if account is not None else None
    return user.country if user is not None else ""


def record_signup(user):
    day = business_date(user.date_joined)
    record.apply(day, d.signup(user.country), user.pk)
    population.refresh(day)


def record_login(event):
    day = business_date(event.timestamp)
    if not event.successful:
        record.apply(day, d.failed_login(), event.pk)
    elif event.user_id:
        record.successful_login(day, event.user_id, event.user.country, event.pk)


def _add(day, facts, key):
    """Counted with the delivering batch's other events (one upsert), or at once outside a batch."""
    at_batch_end(record.apply_many, (day, facts, key))


def record_incident(incident):
    _add(business_date(incident.timestamp), d.incident(), incident.pk)


def record_transfer(txn):
    if txn.kind not in Transaction.TRANSFER_KINDS or txn.status not in RECORDED_TRANSFER_STATUSES:
        return
    facts = d.transfer(
        txn.status, txn.amount, txn.fee_amount, txn.currency, txn.credited_currency, _country_of(txn.sender_account)
    )
    _add(business_date(txn.completed_at or txn.created_at), facts, txn.pk)


def record_reversal(txn):
    bill = getattr(txn, "bill_payment", None) if txn.kind == Transaction.Kind.BILL else None
    facts = d.reversal(
        txn.kind,
        txn.fee_amount,
        txn.currency,
        bill.commission_amount if bill else None,
        bill.biller_currency if bill else None,
        _country_of(txn.sender_account),
    )
    if facts:
        _add(business_date(txn.reversed_at), facts, txn.pk)


def record_bill(payment):
    facts = d.bill(
        payment.status, payment.amount, payment.currency, payment.biller_amount, payment.biller_currency,
        payment.commission_amount, payment.user.country,
    )
    _add(business_date(payment.created_at), facts, payment.pk)


@receiver(post_save, sender=settings.AUTH_USER_MODEL, dispatch_uid="business.signup")
def on_user_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _after_commit(record_signup, instance)


@receiver(post_save, sender=LoginEvent, dispatch_uid="business.login")
def on_login_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        _after_commit(record_login, instance)


@receiver(post_save, sender=Incident, dispatch_uid="business.incident")
def on_incident_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record_incident(instance)


@receiver(signals.transaction_completed, dispatch_uid="business.transaction_completed")
def on_transaction_completed(sender, transaction, **kwargs):
    record_transfer(transaction)


@receiver(signals.transaction_reversed, dispatch_uid="business.transaction_reversed")
def on_transaction_reversed(sender, transaction, **kwargs):
    record_reversal(transaction)


@receiver(signals.bill_payment_completed, dispatch_uid="business.bill_payment_completed")
def on_bill_payment_completed(sender, bill_payment, **kwargs):
    record_bill(bill_payment)
