"""Committed money events (api/signals.py) are sent once, after commit, for each outcome."""
from collections import Counter

import pytest
from django.test import TestCase

from api import signals
from api.models import Biller, Transaction
from nexus.testing.auth import last_code
from nexus.testing.money import make_account
from risk.models import Incident

pytestmark = pytest.mark.django_db


@pytest.fixture
def events():
    seen = []

    def record(signal_name):
        def receiver(sender, **kwargs):
            obj = kwargs.get("transaction") or kwargs.get("bill_payment")
            seen.append((signal_name, obj.pk, obj.status))

        return receiver

    receivers = {name: record(name) for name in ("transfer_created", "transaction_completed", "transaction_reversed", "bill_payment_completed")}
    for name, receiver in receivers.items():
        getattr(signals, name).connect(receiver, weak=False)
    yield seen
    for name, receiver in receivers.items():
        getattr(signals, name).disconnect(receiver)


def test_success_failed_pending_and_confirm(user, user_client, other_user, events):
    sender = make_account(user, "JOD", "1000.00")
    receiver = make_account(other_user, "JOD")
    post = lambda amount: user_client.post(  # noqa: E731
        "/api/transfers/external/", {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": amount}
    )
    ok = post("10.00").json()["id"]
    failed = post("999.00").json()["transaction_id"]
    pending = post("600.00").json()["id"]
    transfers = {ok, failed, pending}  # not the opening deposit's, delivered with the first commit
    assert Counter(name for name, pk, _ in events if pk in transfers) == {"transfer_created": 3, "transaction_completed": 2}
    assert ("transaction_completed", ok, "SUCCESS") in events
    assert ("transaction_completed", failed, "FAILED") in events
    assert ("transfer_created", pending, "PENDING_OTP") in events
    events.clear()
    user_client.post("/api/transfers/confirm/", {"transaction_id": pending, "otp_code": last_code()})
    assert events == [("transaction_completed", pending, "SUCCESS")]


def test_refused_transfer_sends_nothing(user, user_client, events):
    sender, receiver = make_account(user, "JOD", "10.00"), make_account(user, "JOD")
    user_client.post(
        "/api/transfers/internal/", {"sender_account": sender.pk, "receiver_account": receiver.pk, "amount": "10000.01"}
    )
    assert events == []


def test_bill_and_reversal_events(user, user_client, staff_client, events):
    account = make_account(user, "JOD", "100.00")
    bill = user_client.post("/api/bill/", {"account": account.pk, "biller": Biller.objects.first().pk, "reference_number": "R"}).json()
    assert ("bill_payment_completed", bill["id"], "PAID") in events
    assert ("transaction_completed", bill["transaction_id"], "SUCCESS") in events
    staff_client.post(f"/api/admin/transactions/{bill['transaction_id']}/reverse/", {})
    assert ("transaction_reversed", bill["transaction_id"], "REVERSED") in events


def test_refusals_that_record_nothing_still_raise_a_failed_transfer_incident(user_client, user):
    account = make_account(user, balance="100.00")
    response = user_client.post(
        "/api/transfers/internal/",
        {"sender_account": account.pk, "receiver_account": account.pk, "amount": "5.00"},
    )
    assert response.status_code == 400
    assert response.json()["code"] == "same_account"
    incident = Incident.objects.get(rule="failed_transfer")
    assert (incident.event, incident.severity, incident.user) == ("Failed transfer attempt", "medium", user)
    assert incident.details["reason"] == "same_account"
    assert incident.details["sender_account"] == account.pk


def test_an_event_queued_with_a_single_signal_name_is_still_delivered(user, other_user):
    """Tasks queued by the previous release carry one signal name, not a list."""
    from api import events
    from api.models import Notification

    sender = make_account(user, balance="100.00")
    receiver = make_account(other_user)
    txn = Transaction.objects.create(
        kind="EXTERNAL", status="SUCCESS", initiated_by=user, sender_account=sender, receiver_account=receiver,
        amount="5.00", currency="JOD", credited_amount="5.00", credited_currency="JOD",
    )
    events.deliver("transaction_completed", "transaction", "api.Transaction", txn.pk)
    assert Notification.objects.filter(related_transaction=txn).count() == 2


def test_with_a_broker_the_request_writes_the_outbox_and_the_dispatcher_delivers(
    user_client, user, other_user, settings, monkeypatch
):
    """REDIS_URL set: the request writes its events; the dispatcher delivers them."""
    from api import events
    from api.models import Notification, OutboxEvent, Transaction

    sender = make_account(user, balance="100.00")
    receiver = make_account(other_user)
    settings.OUTBOX_INLINE = False
    response = user_client.post(
        "/api/transfers/external/",
        {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "10.00"},
    )
    assert response.status_code == 201
    txn_id = response.json()["id"]
    pending = OutboxEvent.objects.filter(delivered_at__isnull=True, model="api.Transaction", object_id=txn_id)
    assert sorted(pending.values_list("kind", flat=True)) == ["transaction_completed", "transfer_created"]
    assert not Notification.objects.filter(related_transaction_id=txn_id).exists()
    assert not Incident.objects.filter(rule="first_beneficiary").exists()

    with TestCase.captureOnCommitCallbacks(execute=True):  # the worker runs outside any transaction
        events.drain()
    assert Notification.objects.filter(related_transaction_id=txn_id).count() == 2
    assert Incident.objects.get(rule="first_beneficiary").details["transaction_id"] == txn_id
    assert not pending.exists()
    assert Transaction.objects.get(pk=txn_id).status == "SUCCESS"
