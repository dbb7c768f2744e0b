"""Staff deposits (API.md §7.4)."""
from decimal import Decimal

import pytest

from api.models import Notification
from nexus.testing.money import assert_ledger_ok, balance, make_account, system_balance
from risk.models import Incident

D = Decimal
pytestmark = pytest.mark.django_db


def deposit_url(account):
    return f"/api/admin/accounts/{getattr(account, 'pk', account)}/deposit/"


def test_deposit_from_treasury(staff_client, staff_user, user):
    account = make_account(user, "USD")
    treasury = system_balance("TREASURY", "USD")
    response = staff_client.post(deposit_url(account), {"amount": "250.75", "description": "salary"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["kind"], body["status"], body["amount"], body["currency"]) == ("DEPOSIT", "SUCCESS", "250.75", "USD")
    assert body["sender_account_number"] is None
    assert body["receiver_balance_after"] == "250.75"
    assert balance(account) == D("250.75")
    assert system_balance("TREASURY", "USD") == treasury - D("250.75")
    incident = Incident.objects.get(event="Admin Action: DEPOSIT")
    assert incident.severity == "medium" and incident.user == staff_user
    assert incident.details["action"] == "DEPOSIT"
    assert incident.details["target_type"] == "account"
    assert incident.details["target_id"] == account.pk
    assert incident.details["performed_by"] == staff_user.email
    assert "timestamp" in incident.details
    assert Notification.objects.filter(user=user, notification_type="SECURITY").exists()
    assert_ledger_ok()


def test_deposit_refusals(staff_client, user):
    account = make_account(user, "JOD")
    for amount in ("0", "-1", "1000000.01", "1.001"):
        response = staff_client.post(deposit_url(account), {"amount": amount})
        assert response.status_code == 400 and response.json()["code"] == "validation_error", amount
    assert staff_client.post(deposit_url(account), {"amount": "1000000.00"}).status_code == 201
    assert staff_client.post(deposit_url("123456789012"), {"amount": "1"}).status_code == 404
    assert staff_client.post(deposit_url("900000000101"), {"amount": "1"}).status_code == 404
    account.is_active = False
    account.save(update_fields=["is_active"])
    assert staff_client.post(deposit_url(account), {"amount": "1"}).json()["code"] == "account_frozen"
    assert balance(account) == D("1000000.00")
    assert_ledger_ok()


def test_deposit_idempotency(staff_client, user):
    account = make_account(user, "JOD")
    first = staff_client.post(deposit_url(account), {"amount": "10", "idempotency_key": "d1"})
    again = staff_client.post(deposit_url(account), {"amount": "10.00", "idempotency_key": "d1"})
    assert (first.status_code, again.status_code) == (201, 200)
    assert staff_client.post(deposit_url(account), {"amount": "11", "idempotency_key": "d1"}).status_code == 409
    assert balance(account) == D("10.00")
    assert Incident.objects.filter(event="Admin Action: DEPOSIT").count() == 1


def test_non_staff_is_403(user_client, user, api_client):
    account = make_account(user, "JOD")
    for path in (deposit_url(account), "/api/admin/transactions/1/reverse/"):
        assert user_client.post(path, {"amount": "1"}).status_code == 403
    for path in ("/api/admin/transactions/", "/api/admin/ledger/verify/"):
        response = user_client.get(path)
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"
        assert api_client.get(path).status_code == 401
    assert balance(account) == D("0.00")
