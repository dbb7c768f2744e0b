"""High-value transfers: PENDING_OTP, the emailed code, confirmation and expiry (API.md §5.5, §11)."""
from datetime import timedelta
from decimal import Decimal

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from api.models import Transaction, TransferOTP
from nexus.testing.auth import last_code
from nexus.testing.clients import client_for
from nexus.testing.money import assert_ledger_ok, balance, make_account
from risk.models import Incident

D = Decimal
CONFIRM = "/api/transfers/confirm/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def sender(user):
    return make_account(user, "JOD", "5000.00")


@pytest.fixture
def receiver(other_user):
    return make_account(other_user, "USD")


@pytest.fixture
def pending(user_client, sender, receiver):
    response = user_client.post(
        "/api/transfers/external/",
        {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "1000.00"},
    )
    assert response.status_code == 202, response.json()
    return response.json()


def confirm(client, txn_id, code):
    return client.post(CONFIRM, {"transaction_id": txn_id, "otp_code": code})


def wrong(code):
    return f"{(int(code) + 1) % 1000000:06d}"


def test_high_value_waits_for_the_emailed_code(pending, sender, receiver, user):
    assert pending["status"] == "PENDING_OTP"
    assert pending["otp_expires_at"] is not None
    assert pending["sender_balance_after"] is None
    assert (balance(sender), balance(receiver)) == (D("5000.00"), D("0.00"))
    assert mail.outbox[-1].to == [user.email]
    code = last_code()
    otp = TransferOTP.objects.get(transaction_id=pending["id"])
    assert code not in otp.code_hash
    assert Transaction.objects.get(pk=pending["id"]).completed_at is None


def test_threshold_amount_executes_at_once(user_client, sender, receiver):
    response = user_client.post(
        "/api/transfers/external/",
        {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "500.00"},
    )
    assert response.status_code == 201
    assert response.json()["status"] == "SUCCESS"


def test_correct_code_executes_once(user_client, pending, sender, receiver):
    code = last_code()
    response = confirm(user_client, pending["id"], code)
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "SUCCESS"
    assert body["sender_balance_after"] == "3990.00"
    assert body["otp_expires_at"] is None
    assert (balance(sender), balance(receiver)) == (D("3990.00"), D("1410.00"))
    replay = confirm(user_client, pending["id"], code)
    assert replay.status_code == 400 and replay.json()["code"] == "invalid_state"
    assert balance(sender) == D("3990.00")
    assert Transaction.objects.get(pk=pending["id"]).completed_at is not None
    assert_ledger_ok()


def test_three_wrong_codes_lock_and_fail(user_client, pending, sender):
    bad = wrong(last_code())
    first, second, third = (confirm(user_client, pending["id"], bad) for _ in range(3))
    assert (first.json()["code"], first.json()["attempts_left"]) == ("invalid_otp", 2)
    assert (second.json()["code"], second.json()["attempts_left"]) == ("invalid_otp", 1)
    assert third.status_code == 400 and third.json()["code"] == "otp_locked"
    txn = Transaction.objects.get(pk=pending["id"])
    assert (txn.status, txn.failure_reason) == ("FAILED", "otp_locked")
    incidents = Incident.objects.filter(rule="otp_failed", event="Failed OTP verification")
    assert incidents.count() == 3 and incidents.first().severity == "medium"
    # Even the right code is refused now.
    assert confirm(user_client, pending["id"], last_code()).json()["code"] == "invalid_state"
    assert balance(sender) == D("5000.00")


def test_expired_code_fails_the_transfer(user, pending, sender):
    with time_machine.travel(timezone.now() + timedelta(seconds=301), tick=False):
        response = confirm(client_for(user), pending["id"], last_code())
    assert response.status_code == 400 and response.json()["code"] == "otp_expired"
    txn = Transaction.objects.get(pk=pending["id"])
    assert (txn.status, txn.failure_reason) == ("FAILED", "otp_expired")
    assert Incident.objects.filter(rule="otp_failed").count() == 1
    assert balance(sender) == D("5000.00")


def test_confirm_other_users_transfer_is_404(other_client, pending):
    assert confirm(other_client, pending["id"], last_code()).status_code == 404
    assert confirm(other_client, 987654, "123456").status_code == 404
    assert Transaction.objects.get(pk=pending["id"]).status == "PENDING_OTP"


def test_rules_are_checked_again_at_confirmation(user_client, user, pending, sender, receiver):
    code = last_code()
    other_receiver = make_account(user, "JOD")
    drain = user_client.post(
        "/api/transfers/internal/",
        {"sender_account": sender.pk, "receiver_account": other_receiver.pk, "amount": "450.00"},
    )
    assert drain.status_code == 201
    for _ in range(8):  # 8 × 450 = 3600 more: 5000 - 4050 = 950 < 1010 needed
        user_client.post(
            "/api/transfers/internal/",
            {"sender_account": sender.pk, "receiver_account": other_receiver.pk, "amount": "450.00"},
        )
    response = confirm(user_client, pending["id"], code)
    assert response.status_code == 400 and response.json()["code"] == "insufficient_funds"
    assert response.json()["transaction_id"] == pending["id"]
    txn = Transaction.objects.get(pk=pending["id"])
    assert (txn.status, txn.failure_reason) == ("FAILED", "insufficient_funds")
    assert balance(receiver) == D("0.00")
    assert_ledger_ok()


def test_frozen_at_confirmation(user_client, pending, receiver):
    receiver.is_active = False
    receiver.save(update_fields=["is_active"])
    response = confirm(user_client, pending["id"], last_code())
    assert response.json()["code"] == "account_frozen"
    assert Transaction.objects.get(pk=pending["id"]).status == "FAILED"


def test_confirm_validation(user_client):
    assert user_client.post(CONFIRM, {"otp_code": "123456"}).status_code == 400
    assert user_client.post(CONFIRM, {"transaction_id": "x", "otp_code": "1"}).json()["code"] == "validation_error"


def test_expire_pending_transfers_command(pending, capsys):
    call_command("expire_pending_transfers")
    assert "0 pending" in capsys.readouterr().out
    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        call_command("expire_pending_transfers")
    assert "1 pending" in capsys.readouterr().out
    txn = Transaction.objects.get(pk=pending["id"])
    assert (txn.status, txn.failure_reason) == ("FAILED", "otp_expired")
    assert txn.completed_at is not None


def test_expire_task(pending):
    from api.tasks import expire_pending_transfers

    with time_machine.travel(timezone.now() + timedelta(minutes=6), tick=False):
        assert expire_pending_transfers.delay().get() == 1
