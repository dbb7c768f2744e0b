"""Notifications: created after committed money events, pushed, listed and marked read (§6.4, 6.5, §10.1)."""
import re
from datetime import datetime
from decimal import Decimal

import pytest
from django.test import TestCase

from api.models import Biller, Notification, Transaction
from api.realtime import push
from api.services.bills import BillRequest, pay_bill
from api.services.deposits import deposit
from api.services.notifications import notify
from api.services.reversals import reverse_transaction
from api.services.transfers import TransferRequest, create_transfer
from nexus.testing.responses import assert_error

pytestmark = pytest.mark.django_db


@pytest.fixture
def pushes(monkeypatch):
    """Every WebSocket push as (group, message), in order."""
    sent = []
    monkeypatch.setattr(push, "_send", lambda group, message: sent.append((group, message)))
    return sent


def committed(operation):
    """Run a money service and its after-commit side effects, as a request would."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        return operation()


def open_account(client, account_type="Savings"):
    return client.post("/api/accounts/", {"type": account_type}).json()["account_number"]


def fund(staff, number, amount):
    committed(lambda: deposit(staff, number, Decimal(amount)))


def transfer(user, kind, sender, receiver, amount):
    return committed(lambda: create_transfer(TransferRequest(kind, user, sender, receiver, Decimal(amount)))).transaction


def notes(user, **filters):
    return list(Notification.objects.filter(user=user, **filters).order_by("id"))


def mask(number):
    return "********" + number[-4:]


def test_external_transfer_notifies_sender_and_receiver(user, other_user, staff_user, user_client, other_client, pushes):
    mine, theirs = open_account(user_client), open_account(other_client, "USD")
    fund(staff_user, mine, "1000.00")
    Notification.objects.all().delete()
    pushes.clear()

    txn = transfer(user, "EXTERNAL", mine, theirs, "100.00")
    assert txn.status == "SUCCESS"

    [debit] = notes(user)
    [credit] = notes(other_user)
    assert debit.notification_type == credit.notification_type == "TRANSACTION"
    assert debit.related_transaction_id == credit.related_transaction_id == txn.pk
    assert "100.00 JOD" in debit.message and mask(theirs) in debit.message
    assert "141.00 USD" in credit.message and mask(mine) in credit.message
    assert mine not in debit.message + credit.message and theirs not in debit.message + credit.message

    by_group = dict(pushes)
    sent, received = by_group[f"user_{user.pk}"], by_group[f"user_{other_user.pk}"]
    assert sent == {
        "type": "user_notification",
        "event": "DEBIT",
        "amount": "101.00",
        "currency": "JOD",
        "account": mask(mine),
        "transaction_id": txn.pk,
        "notification_id": debit.pk,
        "message": debit.message,
        "timestamp": sent["timestamp"],
    }
    assert received["event"] == "CREDIT" and received["amount"] == "141.00" and received["currency"] == "USD"
    assert received["account"] == mask(theirs) and received["notification_id"] == credit.pk
    assert re.search(r"[+-]\d\d:\d\d$", sent["timestamp"])
    assert datetime.fromisoformat(sent["timestamp"]) == debit.created_at


def test_internal_transfer_gives_owner_a_debit_and_a_credit(user, staff_user, user_client, pushes):
    savings, eur = open_account(user_client), open_account(user_client, "EUR")
    fund(staff_user, savings, "500.00")
    Notification.objects.all().delete()
    pushes.clear()
    txn = transfer(user, "INTERNAL", savings, eur, "200.00")
    assert [n.related_transaction_id for n in notes(user)] == [txn.pk, txn.pk]
    assert [m["event"] for _, m in pushes] == ["DEBIT", "CREDIT"]
    assert [m["amount"] for _, m in pushes] == ["200.00", "262.00"]


def test_failed_transfer_notifies_nobody(user, other_user, user_client, other_client, pushes):
    txn = transfer(user, "EXTERNAL", open_account(user_client), open_account(other_client), "10.00")
    assert txn.status == "FAILED"
    assert not Notification.objects.exists() and not pushes


def test_pending_otp_transfer_sends_security_notice_only(user, other_user, staff_user, user_client, other_client, pushes):
    mine, theirs = open_account(user_client), open_account(other_client)
    fund(staff_user, mine, "2000.00")
    Notification.objects.all().delete()
    pushes.clear()
    txn = transfer(user, "EXTERNAL", mine, theirs, "600.00")
    assert txn.status == "PENDING_OTP"
    [notice] = notes(user)
    assert notice.notification_type == "SECURITY" and notice.related_transaction_id == txn.pk
    assert "code" in notice.message
    assert not notes(other_user)
    [(group, message)] = pushes
    assert group == f"user_{user.pk}" and message["event"] == "OTP_REQUIRED" and message["transaction_id"] == txn.pk


def test_deposit_notifies_the_account_owner(user, staff_user, user_client, pushes):
    number = open_account(user_client)
    fund(staff_user, number, "250.00")
    [note] = notes(user)
    assert note.notification_type == "TRANSACTION" and "250.00 JOD" in note.message
    assert not notes(staff_user)
    [(_, message)] = pushes
    assert message["event"] == "CREDIT" and message["amount"] == "250.00" and message["account"] == mask(number)


def test_reversal_notifies_both_customers(user, other_user, staff_user, user_client, other_client, pushes):
    mine, theirs = open_account(user_client), open_account(other_client)
    fund(staff_user, mine, "1000.00")
    txn = transfer(user, "EXTERNAL", mine, theirs, "100.00")
    Notification.objects.all().delete()
    pushes.clear()
    committed(lambda: reverse_transaction(txn.pk))
    [refund] = notes(user)
    [giveback] = notes(other_user)
    assert "101.00 JOD" in refund.message and "100.00 JOD" in giveback.message
    assert refund.related_transaction_id == giveback.related_transaction_id == txn.pk
    events = {group: message["event"] for group, message in pushes}
    assert events == {f"user_{user.pk}": "CREDIT", f"user_{other_user.pk}": "DEBIT"}


def test_bill_payment_notifies_payer(user, staff_user, user_client, pushes):
    number = open_account(user_client)
    fund(staff_user, number, "500.00")
    Notification.objects.all().delete()
    pushes.clear()
    biller = Biller.objects.first()
    outcome = committed(lambda: pay_bill(BillRequest(user, number, biller.pk, "REF-1")))
    [note] = notes(user)
    assert note.notification_type == "BILL_PAYMENT" and biller.name in note.message
    assert note.related_transaction_id == outcome.payment.transaction_id
    assert Transaction.objects.get(pk=note.related_transaction_id).kind == "BILL"
    [(_, message)] = pushes
    assert message["event"] == "BILL_PAYMENT" and message["amount"] == f"{biller.fixed_amount:.2f}"


def test_notify_without_transaction(user, pushes):
    with TestCase.captureOnCommitCallbacks(execute=True):
        note = notify(user, "New sign-in from a new device.", Notification.Type.SECURITY)
    [(group, message)] = pushes
    assert group == f"user_{user.pk}"
    assert message["event"] == "SECURITY" and message["transaction_id"] is None
    assert message["notification_id"] == note.pk


def test_push_waits_for_commit(user, pushes):
    with TestCase.captureOnCommitCallbacks(execute=False) as callbacks:
        notify(user, "Hello", Notification.Type.SECURITY)
    assert not pushes and len(callbacks) == 1


# --- endpoints -----------------------------------------------------------------------


def make(user, count, type="SECURITY", is_read=False):
    return [
        Notification.objects.create(user=user, message=f"n{i}", notification_type=type, is_read=is_read)
        for i in range(count)
    ]


def test_list_is_own_newest_first_and_paginated(user, other_user, user_client):
    mine = make(user, 3)
    make(other_user, 2)
    body = user_client.get("/api/notifications/").json()
    assert body["count"] == 3
    assert [n["id"] for n in body["results"]] == [n.pk for n in reversed(mine)]
    assert set(body["results"][0]) == {"id", "message", "notification_type", "is_read", "related_transaction", "created_at"}
    page = user_client.get("/api/notifications/?page_size=2&page=2").json()
    assert page["count"] == 3 and [n["id"] for n in page["results"]] == [mine[0].pk]
    assert user_client.get("/api/notifications/?page=9").status_code == 404


def test_filters_unread_only_and_type(user, user_client):
    unread = make(user, 1, type="TRANSACTION")
    make(user, 1, type="TRANSACTION", is_read=True)
    bill = make(user, 1, type="BILL_PAYMENT")

    def ids(query):
        response = user_client.get(f"/api/notifications/{query}")
        assert response.status_code == 200
        return {n["id"] for n in response.json()["results"]}

    assert ids("?unread_only=true") == {unread[0].pk, bill[0].pk}
    assert len(ids("?unread_only=false")) == 3
    assert ids("?type=BILL_PAYMENT") == {bill[0].pk}
    assert ids("?type=TRANSACTION&unread_only=true") == {unread[0].pk}
    assert user_client.get("/api/notifications/?type=NOPE").status_code == 400


@pytest.mark.parametrize("method", ["post", "patch"])
def test_mark_one_read(user, user_client, method):
    [note, untouched] = make(user, 2)
    response = getattr(user_client, method)(f"/api/notifications/{note.pk}/read/")
    assert response.status_code == 200
    assert response.json()["is_read"] is True and response.json()["id"] == note.pk
    note.refresh_from_db()
    untouched.refresh_from_db()
    assert note.is_read and not untouched.is_read
    assert getattr(user_client, method)(f"/api/notifications/{note.pk}/read/").status_code == 200


def test_read_all_counts_only_own_unread(user, other_user, user_client):
    make(user, 3)
    make(user, 1, is_read=True)
    theirs = make(other_user, 2)
    response = user_client.post("/api/notifications/read-all/")
    assert response.status_code == 200 and response.json() == {"updated": 3}
    assert not Notification.objects.filter(user=user, is_read=False).exists()
    assert not Notification.objects.get(pk=theirs[0].pk).is_read
    assert user_client.post("/api/notifications/read-all/").json() == {"updated": 0}


def test_other_users_or_unknown_notification_is_404(user, other_user, user_client):
    [theirs] = make(other_user, 1)
    for method in ("post", "patch"):
        response = getattr(user_client, method)(f"/api/notifications/{theirs.pk}/read/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert user_client.post("/api/notifications/999999/read/").status_code == 404
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_notifications_need_authentication(api_client):
    assert_error(api_client.get("/api/notifications/"), 401, "not_authenticated")


def test_confirmed_transfer_through_the_api_notifies_both_sides(user, other_user, staff_client, user_client, other_client, pushes):
    from django.core import mail

    mine, theirs = open_account(user_client), open_account(other_client)
    staff_client.post(f"/api/admin/accounts/{mine}/deposit/", {"amount": "2000.00"})
    Notification.objects.all().delete()
    pending = user_client.post(
        "/api/transfers/external/", {"sender_account": mine, "receiver_account_number": theirs, "amount": "600.00"}
    )
    assert pending.status_code == 202
    assert [n["notification_type"] for n in user_client.get("/api/notifications/").json()["results"]] == ["SECURITY"]
    code = re.search(r"is (\d{6})\.", mail.outbox[-1].body).group(1)
    confirmed = user_client.post("/api/transfers/confirm/", {"transaction_id": pending.json()["id"], "otp_code": code})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "SUCCESS"
    sender_notes = user_client.get("/api/notifications/?type=TRANSACTION").json()["results"]
    receiver_notes = other_client.get("/api/notifications/").json()["results"]
    assert [n["related_transaction"] for n in sender_notes] == [pending.json()["id"]]
    assert "600.00 JOD" in sender_notes[0]["message"] and "6.00 JOD" in sender_notes[0]["message"]
    assert [n["related_transaction"] for n in receiver_notes] == [pending.json()["id"]]
    debit = [m for _, m in pushes if m["event"] == "DEBIT"]
    assert [m["amount"] for m in debit] == ["606.00"]
