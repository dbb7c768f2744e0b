"""Bill payments (API.md §6.1–6.3)."""
from decimal import Decimal

import pytest

from api.models import Biller, BillPayment, Transaction
from nexus.testing.money import assert_ledger_ok, balance, make_account, system_balance

D = Decimal
pytestmark = pytest.mark.django_db


@pytest.fixture
def electric():
    return Biller.objects.get(name="Jordan Electric Power")  # 35.00 JOD


def pay(client, account, biller, reference="REF-1", **extra):
    return client.post("/api/bill/", {"account": account.pk, "biller": biller.pk, "reference_number": reference, **extra})


def test_billers_listed_by_name(user_client):
    body = user_client.get("/api/billers/").json()
    assert body["count"] >= 4
    names = [b["name"] for b in body["results"]]
    assert names == sorted(names)
    assert set(body["results"][0]) == {"id", "name", "category", "description", "fixed_amount", "currency"}


def test_pay_in_jod(user, user_client, electric):
    account = make_account(user, "JOD", "100.00")
    fees, biller_before = system_balance("FEE_REVENUE", "JOD"), balance(electric.system_account_id)
    response = pay(user_client, account, electric)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "PAID"
    assert (body["amount"], body["currency"], body["biller_amount"], body["biller_currency"]) == (
        "35.00", "JOD", "35.00", "JOD"
    )
    assert body["biller_name"] == electric.name and body["biller"] == electric.pk
    assert body["account"] == account.pk
    assert balance(account) == D("65.00")
    assert balance(electric.system_account_id) == biller_before + D("34.65")
    assert system_balance("FEE_REVENUE", "JOD") == fees + D("0.35")
    txn = Transaction.objects.get(pk=body["transaction_id"])
    assert (txn.kind, txn.status, txn.sender_account_id) == ("BILL", "SUCCESS", account.pk)
    assert_ledger_ok()


def test_pay_from_usd_account_converts(user, user_client, electric):
    account = make_account(user, "USD", "100.00")
    response = pay(user_client, account, electric)
    assert response.json()["amount"] == "49.35"  # 35.00 × 1.41
    assert response.json()["currency"] == "USD"
    assert balance(account) == D("50.65")
    assert_ledger_ok()


def test_insufficient_funds_records_failed_payment(user, user_client, electric):
    account = make_account(user, "JOD", "34.99")
    response = pay(user_client, account, electric, idempotency_key="bill-1")
    assert response.status_code == 400 and response.json()["code"] == "insufficient_funds"
    payment = BillPayment.objects.get(user=user)
    assert payment.status == "FAILED"
    assert payment.transaction.status == "FAILED"
    assert payment.transaction.pk == response.json()["transaction_id"]
    assert balance(account) == D("34.99")
    replay = pay(user_client, account, electric, idempotency_key="bill-1")
    assert replay.status_code == 200 and replay.json()["status"] == "FAILED"
    assert_ledger_ok()


def test_frozen_and_foreign_accounts(user, user_client, other_user, electric):
    frozen = make_account(user, "JOD", "100.00", is_active=False)
    assert pay(user_client, frozen, electric).json()["code"] == "account_frozen"
    theirs = make_account(other_user, "JOD", "100.00")
    response = pay(user_client, theirs, electric)
    assert response.status_code == 400 and "account" in response.json()["errors"]
    assert user_client.post("/api/bill/", {"account": theirs.pk, "biller": 999999, "reference_number": "x"}).status_code == 400
    assert balance(theirs) == D("100.00")


def test_daily_limit_applies(settings, user, user_client, electric):
    settings.DAILY_TRANSFER_LIMIT = D("50.00")
    account = make_account(user, "JOD", "100.00")
    assert pay(user_client, account, electric).status_code == 201
    response = pay(user_client, account, electric, reference="REF-2")
    assert response.json()["code"] == "daily_limit_exceeded"
    assert balance(account) == D("65.00")


def test_idempotent_bills(user, user_client, electric):
    account = make_account(user, "JOD", "100.00")
    first = pay(user_client, account, electric, idempotency_key="b")
    again = pay(user_client, account, electric, idempotency_key="b")
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert pay(user_client, account, electric, reference="OTHER", idempotency_key="b").status_code == 409
    transfer_reuse = user_client.post(
        "/api/transfers/internal/",
        {"sender_account": account.pk, "receiver_account": make_account(user).pk, "amount": "1.00", "idempotency_key": "b"},
    )
    assert transfer_reuse.status_code == 409
    assert balance(account) == D("65.00")


def test_list_detail_bola_and_immutability(user, user_client, other_client, electric):
    account = make_account(user, "JOD", "100.00")
    payment_id = pay(user_client, account, electric).json()["id"]
    assert user_client.get("/api/bill/").json()["count"] == 1
    assert user_client.get(f"/api/bill/{payment_id}/").status_code == 200
    assert other_client.get(f"/api/bill/{payment_id}/").status_code == 404
    assert other_client.get("/api/bill/").json()["count"] == 0
    for method in ("put", "patch", "delete"):
        response = getattr(user_client, method)(f"/api/bill/{payment_id}/", {})
        assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"
    statement = user_client.get(f"/api/accounts/{account.pk}/transactions/", {"kind": "BILL"}).json()
    assert statement["count"] == 1
