"""Staff reversals (API.md §7.4)."""
from decimal import Decimal

import pytest

from api.models import Biller, LedgerEntry, Transaction
from nexus.testing.money import assert_ledger_ok, balance, make_account, system_balance
from risk.models import Incident

D = Decimal
pytestmark = pytest.mark.django_db


def reverse(client, txn_id, **body):
    return client.post(f"/api/admin/transactions/{txn_id}/reverse/", body)


def test_cross_currency_external_unwinds_everything(user, user_client, other_user, staff_client, staff_user):
    sender = make_account(user, "JOD", "500.00")
    receiver = make_account(other_user, "USD")
    before = {
        key: system_balance(*key) for key in [("FEE_REVENUE", "JOD"), ("FX", "JOD"), ("FX", "USD")]
    }
    sent = user_client.post(
        "/api/transfers/external/",
        {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "100.00"},
    ).json()
    assert (balance(sender), balance(receiver)) == (D("399.00"), D("141.00"))
    response = reverse(staff_client, sent["id"], reason="customer complaint")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "REVERSED"
    txn = Transaction.objects.get(pk=sent["id"])
    assert txn.reversed_at is not None
    assert (balance(sender), balance(receiver)) == (D("500.00"), D("0.00"))
    assert {key: system_balance(*key) for key in before} == before
    assert LedgerEntry.objects.filter(transaction=txn, is_reversal=True).count() == 5
    incident = Incident.objects.get(event="Admin Action: REVERSE_TRANSACTION")
    assert incident.user == staff_user and incident.details["target_id"] == str(txn.pk)
    assert incident.details["target_type"] == "transaction"
    again = reverse(staff_client, sent["id"])
    assert again.status_code == 400 and again.json()["code"] == "invalid_state"
    assert balance(sender) == D("500.00")
    assert_ledger_ok()


def test_receiver_too_poor_changes_nothing(user, user_client, staff_client):
    a, b, c = make_account(user, "JOD", "100.00"), make_account(user, "JOD"), make_account(user, "JOD")
    sent = user_client.post(
        "/api/transfers/internal/", {"sender_account": a.pk, "receiver_account": b.pk, "amount": "80.00"}
    ).json()
    user_client.post("/api/transfers/internal/", {"sender_account": b.pk, "receiver_account": c.pk, "amount": "50.00"})
    response = reverse(staff_client, sent["id"])
    assert response.status_code == 400 and response.json()["code"] == "insufficient_funds"
    assert Transaction.objects.get(pk=sent["id"]).status == "SUCCESS"
    assert (balance(a), balance(b), balance(c)) == (D("20.00"), D("30.00"), D("50.00"))
    assert not Incident.objects.filter(event="Admin Action: REVERSE_TRANSACTION").exists()
    assert_ledger_ok()


def test_deposit_and_bill_reversal(user, user_client, staff_client):
    account = make_account(user, "EUR")
    deposit = staff_client.post(f"/api/admin/accounts/{account.pk}/deposit/", {"amount": "100.00"}).json()
    bill = user_client.post("/api/bill/", {"account": account.pk, "biller": Biller.objects.first().pk, "reference_number": "R"}).json()
    assert balance(account) == D("100.00") - D(bill["amount"])
    assert reverse(staff_client, bill["transaction_id"]).status_code == 200
    assert balance(account) == D("100.00")
    assert reverse(staff_client, deposit["id"]).status_code == 200
    assert balance(account) == D("0.00")
    assert_ledger_ok()


def test_only_success_can_be_reversed(user, user_client, other_user, staff_client):
    sender = make_account(user, "JOD", "10.00")
    failed = user_client.post(
        "/api/transfers/external/",
        {"sender_account": sender.pk, "receiver_account_number": make_account(other_user).pk, "amount": "10.00"},
    ).json()
    assert reverse(staff_client, failed["transaction_id"]).json()["code"] == "invalid_state"
    assert reverse(staff_client, 99999999).status_code == 404


def test_admin_transaction_list_filters(user, user_client, other_user, staff_client):
    mine = make_account(user, "JOD", "100.00")
    theirs = make_account(other_user, "JOD", "100.00")
    user_client.post(
        "/api/transfers/external/", {"sender_account": mine.pk, "receiver_account_number": theirs.pk, "amount": "5.00"}
    )
    everything = staff_client.get("/api/admin/transactions/").json()
    assert everything["count"] == 3
    assert everything["results"][0]["sender_balance_after"] == "94.95"  # staff see both sides
    assert staff_client.get("/api/admin/transactions/", {"kind": "DEPOSIT"}).json()["count"] == 2
    assert staff_client.get("/api/admin/transactions/", {"user": other_user.pk}).json()["count"] == 2
    assert staff_client.get("/api/admin/transactions/", {"account_number": mine.pk}).json()["count"] == 2
    assert staff_client.get("/api/admin/transactions/", {"status": "FAILED"}).json()["count"] == 0
