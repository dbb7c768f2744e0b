"""The transaction rules through the real transfer endpoints (API.md §5)."""
import pytest

from nexus.testing.auth import last_code
from risk.tests.helpers import account, incidents

pytestmark = pytest.mark.django_db


@pytest.fixture
def funded(user):
    return account(user, balance="1000.00")


def test_external_transfer_via_tor(user_client, funded, other_user, user):
    theirs = account(other_user, balance="0.00")
    response = user_client.post(
        "/api/transfers/external/",
        {"sender_account": funded.pk, "receiver_account_number": theirs.pk, "amount": "25.00"},
        REMOTE_ADDR="198.51.100.80",
        HTTP_VIA="1.1 tor-exit.example",
    )
    assert response.status_code == 201, response.json()
    tx_id = response.json()["id"]
    anonymizer = incidents("anonymizer").get()
    assert (anonymizer.user, anonymizer.ip) == (user, "198.51.100.80")
    assert anonymizer.details["transaction_id"] == tx_id
    assert anonymizer.details["receiver_account"] == theirs.pk
    assert incidents("first_beneficiary").get().details["transaction_id"] == tx_id


def test_insufficient_funds_is_a_failed_transfer(user_client, funded, user):
    savings = account(user, balance="0.00")
    response = user_client.post(
        "/api/transfers/internal/", {"sender_account": funded.pk, "receiver_account": savings.pk, "amount": "2000.00"}
    )
    assert response.status_code == 400 and response.json()["code"] == "insufficient_funds"
    incident = incidents("failed_transfer").get()
    assert incident.details["transaction_id"] == response.json()["transaction_id"]
    assert incident.details["reason"] == "insufficient_funds"


def test_rules_run_at_creation_not_again_at_confirmation(user_client, user):
    rich, savings = account(user, balance="20000.00"), account(user, balance="0.00")
    response = user_client.post(
        "/api/transfers/internal/", {"sender_account": rich.pk, "receiver_account": savings.pk, "amount": "10000.00"}
    )
    assert response.status_code == 202, response.json()  # PENDING_OTP is evaluated too
    assert incidents("large_transaction").count() == 1
    confirmed = user_client.post("/api/transfers/confirm/", {"transaction_id": response.json()["id"], "otp_code": last_code()})
    assert confirmed.status_code == 200 and confirmed.json()["status"] == "SUCCESS"
    assert incidents("large_transaction").count() == 1
