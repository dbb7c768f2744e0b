"""Committed events in, metric increments out.

Sign-ups, logins and the money signals of ``api.signals`` come from the
outbox (``api.events``), and incidents are mostly raised there: all are
recorded inside the delivering transaction, so an event's counters commit
exactly when it is marked delivered (never lost, never counted twice).
Each handler builds the event's facts from the saved rows and hands them to
``metrics.record``; the counters of a batch are one upsert at its end.
"""
from django.conf import settings
from django.db.models.signals import post_save
from django.dispatch import receiver

from api import signals
from api.events import at_batch_end
from api.models import Transaction
from api.models.outbox_records import announce
from risk.models import Incident

from .metrics import deltas as d
from .metrics import population, record
from .metrics.days import business_date
from .models import DailyActiveUser

# A transfer is counted once it ends; a later reversal is counted as its own event.
RECORDED_TRANSFER_STATUSES = (Transaction.Status.SUCCESS, Transaction.Status.FAILED)


def _country_of(account):
    user = getattr(account, "user", None) if account is not None else None
    return user.country if user is not None else ""


def _add(day, facts, key):
    """Counted with the delivering batch's other events (one upsert), or at once outside a batch."""
    at_batch_end(record.apply_many, (day, facts, key))


def refresh_population(days):
    """Recount each day's users, DAU, WAU and MAU once per batch, however many of its events changed them.

    Folded like the counters but flushed before them (``api.events._flush``):
    the day's rows are made first (a day's first row seals the days before
    it), and the day row is locked before the counter rows, as a day's first
    event does in ``record.ensure_rows``.
    """
    for day in sorted(set(days)):
        record.ensure_rows(day)
        population.refresh(day)


def record_signup(user):
    day = business_date(user.date_joined)
    _add(day, d.signup(user.country), user.pk)
    at_batch_end(refresh_population, day)


def record_login(event):
    """A failure is a counter; a success marks its user active, and only the day's first one changes figures."""
    day = business_date(event.timestamp)
    if not event.successful:
        _add(day, d.failed_login(), event.pk)
    elif event.user_id:
        _, first = DailyActiveUser.objects.get_or_create(date=day, user_id=event.user_id)
        _add(day, d.first_login_of_day(event.user.country) if first else {}, event.pk)
        if first:
            at_batch_end(refresh_population, day)


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
    """Write the sign-up's outbox event with the user (whose creation is atomic): counted once it commits.

    Announced here, by the sign-ups' only reader, so ``api`` needs no receiver of its own.
    """
    if created and not raw:
        announce(instance, "user_signed_up")


@receiver(post_save, sender=Incident, dispatch_uid="business.incident")
def on_incident_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record_incident(instance)


# What each delivered event counts: its api.signals name, the keyword its row comes under, the recorder.
COUNTED = {
    "user_signed_up": ("user", record_signup),
    "login_recorded": ("login_event", record_login),
    "transaction_completed": ("transaction", record_transfer),
    "transaction_reversed": ("transaction", record_reversal),
    "bill_payment_completed": ("bill_payment", record_bill),
}


def _counting(kwarg, record_one):
    """The receiver that hands an event's row to ``record_one``."""

    def receive(sender, **kwargs):
        record_one(kwargs[kwarg])

    return receive


for _name, (_kwarg, _record_one) in COUNTED.items():
    getattr(signals, _name).connect(_counting(_kwarg, _record_one), weak=False, dispatch_uid=f"business.{_name}")
