"""Cards through the API (API.md §4.4, 4.5)."""
from datetime import date

import pytest
import time_machine
from django.contrib.auth.hashers import check_password

from api.models import Account, Card
from api.services import cards as card_service
from nexus.testing.clients import client_for

pytestmark = pytest.mark.django_db

CARD_FIELDS = {"id", "account_number", "card_type", "last4", "expiration_date", "is_active", "created_at"}


@pytest.fixture
def account(user_client):
    return user_client.post("/api/accounts/", {"type": "Savings"}).json()["account_number"]


def issue(client, number, **body):
    response = client.post(f"/api/accounts/{number}/cards/", body)
    assert response.status_code == 201, response.json()
    return response.json()


def test_issue_card_defaults_to_debit_and_hides_secrets(user_client, account, monkeypatch):
    monkeypatch.setattr(card_service, "new_cvv", lambda: "042")
    body = issue(user_client, account)
    assert set(body) == CARD_FIELDS
    assert body["card_type"] == "DEBIT" and body["is_active"] is True
    assert body["account_number"] == account
    card = Card.objects.get(pk=body["id"])
    assert len(card.card_number) == 16 and card.card_number.isdigit()
    assert card_service.luhn_valid(card.card_number)
    assert body["last4"] == card.card_number[-4:]
    assert card.card_number not in str(body)
    assert card.cvv_hash != "042" and check_password("042", card.cvv_hash)


def test_credit_card_and_invalid_type(user_client, account):
    assert issue(user_client, account, card_type="CREDIT")["card_type"] == "CREDIT"
    response = user_client.post(f"/api/accounts/{account}/cards/", {"card_type": "GOLD"})
    assert response.status_code == 400 and "card_type" in response.json()["errors"]


def test_expiration_is_five_years_from_issue(user, account):
    with time_machine.travel("2026-03-10 23:30 +03:00", tick=False):
        assert issue(client_for(user), account)["expiration_date"] == "2031-03-10"


def test_expiration_from_leap_day():
    assert card_service.expiration_from(date(2028, 2, 29)) == date(2033, 2, 28)


@pytest.mark.parametrize("partial", ["7992739871", "400000000000000", "123456789012345"])
def test_luhn_check_digit(partial):
    number = partial + card_service.luhn_check_digit(partial)
    assert card_service.luhn_valid(number)
    wrong = number[:-1] + str((int(number[-1]) + 1) % 10)
    assert not card_service.luhn_valid(wrong)


def test_known_luhn_number():
    assert card_service.luhn_check_digit("7992739871") == "3"
    assert card_service.luhn_valid("4111111111111111")


def test_card_number_collision_is_retried(user_client, account, monkeypatch):
    taken = Card.objects.get(pk=issue(user_client, account)["id"]).card_number
    fresh = "4000000000000002"
    numbers = iter([taken, fresh])
    monkeypatch.setattr(card_service, "new_card_number", lambda: next(numbers))
    body = issue(user_client, account)
    assert Card.objects.get(pk=body["id"]).card_number == fresh


def test_list_cards_of_account(user_client, account):
    first = issue(user_client, account)["id"]
    second = issue(user_client, account, card_type="CREDIT")["id"]
    other_account = user_client.post("/api/accounts/", {"type": "USD"}).json()["account_number"]
    issue(user_client, other_account)
    body = user_client.get(f"/api/accounts/{account}/cards/").json()
    assert [c["id"] for c in body["results"]] == [second, first]
    assert all("card_number" not in c and "cvv" not in c for c in body["results"])
    assert user_client.get(f"/api/accounts/{account}/").json()["card_count"] == 2


def test_no_card_on_frozen_account(user_client, account):
    Account.objects.filter(pk=account).update(is_active=False)
    response = user_client.post(f"/api/accounts/{account}/cards/", {})
    assert response.status_code == 400 and response.json()["code"] == "account_frozen"


def test_card_detail_freeze_unfreeze_delete(user_client, account):
    card_id = issue(user_client, account)["id"]
    assert set(user_client.get(f"/api/cards/{card_id}/").json()) == CARD_FIELDS
    frozen = user_client.patch(f"/api/cards/{card_id}/", {"is_active": False})
    assert frozen.status_code == 200 and frozen.json()["is_active"] is False
    assert Card.objects.get(pk=card_id).is_active is False
    assert user_client.patch(f"/api/cards/{card_id}/", {"is_active": True}).json()["is_active"] is True
    assert user_client.patch(f"/api/cards/{card_id}/", {}).status_code == 400
    assert user_client.delete(f"/api/cards/{card_id}/").status_code == 204
    assert user_client.get(f"/api/cards/{card_id}/").status_code == 404


def test_patch_changes_only_is_active(user_client, account):
    card = issue(user_client, account)
    body = user_client.patch(
        f"/api/cards/{card['id']}/", {"is_active": False, "card_type": "CREDIT", "last4": "0000"}
    ).json()
    assert body["card_type"] == card["card_type"] and body["last4"] == card["last4"]


def test_put_is_not_allowed(user_client, account):
    card_id = issue(user_client, account)["id"]
    response = user_client.put(f"/api/cards/{card_id}/", {"is_active": False})
    assert response.status_code == 405 and response.json()["code"] == "method_not_allowed"


def test_other_users_cards_and_accounts_are_404(user_client, other_client, account):
    card_id = issue(user_client, account)["id"]
    assert other_client.get(f"/api/accounts/{account}/cards/").status_code == 404
    assert other_client.post(f"/api/accounts/{account}/cards/", {}).status_code == 404
    assert other_client.get(f"/api/cards/{card_id}/").status_code == 404
    assert other_client.patch(f"/api/cards/{card_id}/", {"is_active": False}).status_code == 404
    assert other_client.delete(f"/api/cards/{card_id}/").status_code == 404
    assert Card.objects.get(pk=card_id).is_active is True
    system = Account.objects.filter(is_system=True).first().pk
    assert user_client.post(f"/api/accounts/{system}/cards/", {}).status_code == 404
