"""The outbox: events survive a missed delivery, are delivered once, retried after a failure, then set aside."""
import re
from contextlib import contextmanager
from datetime import timedelta
from io import StringIO

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from api import events, signals
from api.models import Notification, OutboxEvent
from business.metrics.days import business_date
from business.metrics.read import day_figures
from business.models import DailyBusinessMetrics
from nexus.testing.auth import last_code
from nexus.testing.factories import PASSWORD
from nexus.testing.money import make_account
from risk.models import Incident

pytestmark = pytest.mark.django_db

TRANSFER = "/api/transfers/external/"


@pytest.fixture
def no_delivery(settings):
    """A deployment whose dispatcher is down: commits only write the outbox."""
    settings.OUTBOX_INLINE = False


@contextmanager
def metrics_database_away():
    """A receiver of ``transaction_completed`` fails while the block runs."""

    def broken(sender, **kwargs):
        raise RuntimeError("metrics database away")

    signals.transaction_completed.connect(broken, weak=False)
    try:
        yield
    finally:
        signals.transaction_completed.disconnect(broken)


def transfer(client, sender, receiver, amount="10.00"):
    response = client.post(
        TRANSFER, {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": amount}
    )
    assert response.status_code in (201, 202, 400), response.content
    return response.json()


def successes_today():
    day = business_date()
    return day_figures(DailyBusinessMetrics.objects.filter(date=day)).get(day, {}).get("tx_success", 0)


def drain():
    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker, outside any transaction
        return events.drain()


def test_events_of_a_commit_whose_wake_up_was_lost_are_delivered_later_exactly_once(
    user_client, user, other_user, no_delivery
):
    sender, receiver = make_account(user, balance="100.00"), make_account(other_user)
    ids = [transfer(user_client, sender, receiver)["id"] for _ in range(3)]
    assert not Notification.objects.filter(related_transaction_id__in=ids).exists()
    assert OutboxEvent.objects.filter(model="api.Transaction", object_id__in=ids, delivered_at__isnull=True).count() == 6

    drain()
    assert drain() == 0  # nothing left, nothing applied twice
    assert Notification.objects.filter(related_transaction_id__in=ids).count() == 6
    assert successes_today() == 3
    assert Incident.objects.filter(rule="first_beneficiary").count() == 1


def test_a_failing_receiver_rolls_back_the_event_and_it_is_retried(user_client, user, other_user, no_delivery):
    sender, receiver = make_account(user, balance="100.00"), make_account(other_user)
    txn_id = transfer(user_client, sender, receiver)["id"]

    with metrics_database_away():
        drain()
    event = OutboxEvent.objects.get(object_id=txn_id, kind="transaction_completed")
    assert (event.delivered_at, event.attempts) == (None, 1)
    assert not Notification.objects.filter(related_transaction_id=txn_id).exists()
    assert successes_today() == 0

    drain()
    assert Notification.objects.filter(related_transaction_id=txn_id).count() == 2
    assert successes_today() == 1


def test_an_event_is_delivered_as_the_row_was_when_it_happened(user_client, user, other_user, no_delivery):
    """Confirmed before the worker came round: the code notice still goes out for the pending transfer."""
    sender, receiver = make_account(user, balance="1000.00"), make_account(other_user)
    txn_id = transfer(user_client, sender, receiver, "600.00")["id"]
    drain()  # the code's email
    confirmed = user_client.post("/api/transfers/confirm/", {"transaction_id": txn_id, "otp_code": last_code()})
    assert confirmed.status_code == 200, confirmed.content

    drain()
    kinds = Notification.objects.filter(related_transaction_id=txn_id).values_list("notification_type", flat=True)
    assert sorted(kinds) == ["SECURITY", "TRANSACTION", "TRANSACTION"]
    assert successes_today() == 1


def test_the_request_path_never_talks_to_the_broker(api_client, user_client, user, other_user, settings, monkeypatch):
    """Logins, codes and transfers commit their events and emails to the outbox; no task is sent."""
    from celery.app.task import Task

    def refuse(*args, **kwargs):
        raise AssertionError("a request sent a Celery task")

    settings.OUTBOX_INLINE = False
    monkeypatch.setattr(Task, "apply_async", refuse)
    sender, receiver = make_account(user, balance="1000.00"), make_account(other_user)
    assert api_client.post("/auth/login/init/", {"email": user.email, "password": PASSWORD}).status_code == 200
    transfer(user_client, sender, receiver)
    assert transfer(user_client, sender, receiver, "600.00")["status"] == "PENDING_OTP"

    pending = OutboxEvent.objects.pending()
    assert pending.filter(kind="email").count() == 2
    assert pending.filter(kind="transfer_created").count() == 2
    assert not mail.outbox


def test_an_email_is_sent_by_the_delivery_and_its_content_not_kept(api_client, user, settings):
    """The login code travels through the outbox: sent once after the commit, then blanked (it is a secret)."""
    settings.OUTBOX_INLINE = False
    assert api_client.post("/auth/login/init/", {"email": user.email, "password": PASSWORD}).status_code == 200
    event = OutboxEvent.objects.get(kind="email")
    assert event.payload["recipients"] == [user.email] and not mail.outbox

    drain()
    assert drain() == 0
    assert [message.to for message in mail.outbox] == [[user.email]]
    assert re.search(r"\b\d{6}\b", mail.outbox[0].body)
    event.refresh_from_db()
    assert event.delivered_at is not None and event.payload == {}


def test_an_email_that_cannot_be_sent_is_retried(api_client, user, settings, monkeypatch):
    settings.OUTBOX_INLINE = False
    assert api_client.post("/auth/login/init/", {"email": user.email, "password": PASSWORD}).status_code == 200

    def smtp_down(*args, **kwargs):
        raise ConnectionRefusedError("SMTP away")

    monkeypatch.setattr("api.events.send_mail", smtp_down)
    drain()
    assert not mail.outbox and OutboxEvent.objects.pending().get().attempts == 1
    monkeypatch.undo()
    drain()
    assert len(mail.outbox) == 1


def test_an_event_failing_every_attempt_is_given_up_counted_and_can_be_retried(
    api_client, user_client, user, other_user, settings, no_delivery
):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    sender, receiver = make_account(user, balance="100.00"), make_account(other_user)
    drain()  # the opening deposit's
    txn_id = transfer(user_client, sender, receiver)["id"]

    with metrics_database_away():
        drain()
        drain()
        assert drain() == 0  # set aside, not tried for ever
    event = OutboxEvent.objects.get(object_id=txn_id, kind="transaction_completed")
    assert (event.delivered_at is None, event.given_up_at is not None, event.attempts) == (True, True, 2)
    assert not Notification.objects.filter(related_transaction_id=txn_id).exists()  # not pretended delivered
    assert api_client.get("/api/health/").json()["outbox_events_given_up"] == 1

    out = StringIO()
    call_command("deliver_outbox", "--retry-given-up", "--once", stdout=out)
    assert out.getvalue().splitlines() == ["1 given-up events back in line", "1 events handled"]
    assert Notification.objects.filter(related_transaction_id=txn_id).count() == 2
    assert successes_today() == 1


def test_inline_an_event_that_failed_is_delivered_by_the_next_commit(user_client, user, other_user):
    """The embedded default has no dispatcher: each commit drains the whole outbox, older failures too."""
    sender, receiver = make_account(user, balance="100.00"), make_account(other_user)

    with metrics_database_away():
        first = transfer(user_client, sender, receiver)["id"]
    assert not Notification.objects.filter(related_transaction_id=first).exists()

    second = transfer(user_client, sender, receiver)["id"]
    assert Notification.objects.filter(related_transaction_id__in=[first, second]).count() == 4
    assert not OutboxEvent.objects.pending().exists()
    assert successes_today() == 2


def test_delivered_events_are_kept_a_week_then_pruned(user_client, user, other_user, settings):
    settings.OUTBOX_KEEP_DAYS = 7
    delivered = OutboxEvent.objects.filter(delivered_at__isnull=False)
    sender, receiver = make_account(user, balance="100.00"), make_account(other_user)
    transfer(user_client, sender, receiver)
    drain()
    count, now = delivered.count(), timezone.now()
    assert count >= 2
    with time_machine.travel(now + timedelta(days=7, minutes=-1), tick=False):
        assert events.prune() == 0
    with time_machine.travel(now + timedelta(days=7, minutes=1), tick=False):
        assert events.prune() == count
    assert not delivered.exists()


def _rule_counts(user):
    incidents = Incident.objects.filter(user=user, rule__in=["first_beneficiary", "rapid_transfers", "velocity"])
    return sorted(incidents.values_list("rule", "details__transaction_id"))


def test_risk_rules_of_a_batch_raise_what_they_raise_one_by_one(
    user_client, user, other_user, settings, no_delivery
):
    """Windows, first beneficiary and "already fired?" read once per batch; the incidents are the same."""
    settings.RISK_RAPID_TRANSFER_COUNT, settings.RISK_VELOCITY_COUNT = 3, 4
    sender, receiver, other = make_account(user, balance="500.00"), make_account(other_user), make_account(other_user)
    ids = [transfer(user_client, sender, to)["id"] for to in (receiver, receiver, other, receiver, other, other)]
    with CaptureQueriesContext(connection) as queries:
        drain()
    reads = [q["sql"] for q in queries if q["sql"].startswith("SELECT") and re.search(r'FROM "(api_transaction|risk_incident)"', q["sql"])]
    assert len(reads) == 4, reads  # the batch's rows, then windows, first beneficiaries, fired: not 3–5 per transfer
    batched = _rule_counts(user)
    assert batched == sorted(
        [("first_beneficiary", ids[0]), ("first_beneficiary", ids[2]), ("rapid_transfers", ids[2]), ("velocity", ids[3])]
    )


class _DeadlockError(Exception):
    sqlstate = "40P01"


@pytest.mark.django_db(transaction=True)
def test_a_delivery_failing_after_the_commit_never_moves_the_money_again(user, monkeypatch):
    """A deadlock in the inline delivery (seen under load on PostgreSQL) used to reach the
    money path's deadlock retry from the commit's callbacks, which recorded the transfer twice."""
    from django.db import OperationalError

    from api.models import Transaction
    from nexus.testing.clients import client_for
    from nexus.testing.money import balance

    def deliver_batch(*args, **kwargs):
        raise OperationalError("deadlock detected") from _DeadlockError()

    monkeypatch.setattr(events, "deliver_batch", deliver_batch)
    sender, receiver = make_account(user, "JOD", "100.00"), make_account(user, "JOD")
    response = client_for(user).post(
        "/api/transfers/internal/", {"sender_account": sender.pk, "receiver_account": receiver.pk, "amount": "10.00"}
    )

    assert response.status_code == 201, response.json()
    assert Transaction.objects.filter(sender_account=sender).count() == 1
    assert (balance(sender), balance(receiver)) == (90, 10)
    assert OutboxEvent.objects.filter(delivered_at__isnull=True).exists()  # left for the next drain
