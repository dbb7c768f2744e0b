"""Customer accounts through the API (API.md §4.1, 4.2)."""
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import Account
from api.services import accounts as account_service
from api.services.cards import issue_card

pytestmark = pytest.mark.django_db


def open_account(client, **body):
    response = client.post("/api/accounts/", body)
    assert response.status_code == 201, response.json()
    return response.json()


@pytest.mark.parametrize("path", ["/api/accounts", "/api/accounts/"])
def test_both_paths_list_and_create_without_redirect(user_client, path):
    created = user_client.post(path, {"type": "Savings"})
    assert created.status_code == 201
    listed = user_client.get(path)
    assert listed.status_code == 200
    assert [a["account_number"] for a in listed.json()["results"]] == [created.json()["account_number"]]


def test_new_account_representation(user_client, settings):
    body = open_account(user_client, type="Savings")
    number = body["account_number"]
    assert len(number) == 12 and number.isdigit() and number[0] != "0"
    assert body["mask"] == "********" + number[-4:] and len(body["mask"]) == 12
    assert body["type"] == "Savings" and body["currency"] == "JOD"
    assert body["balance"] == "0.00"
    assert body["display_balance"] == {"currency": "JOD", "amount": "0.00"}
    assert body["is_active"] is True
    assert body["maximum_withdrawal_amount"] == "10000.00"
    assert body["daily_limit"] == "50000.00"
    assert body["card_count"] == 0
    assert body["created_at"] and body["updated_at"]


def test_limits_come_from_settings(user_client, settings):
    settings.MAX_TRANSFER_AMOUNT = Decimal("2500.00")
    settings.DAILY_TRANSFER_LIMIT = Decimal("7000.50")
    body = open_account(user_client, type="Basic")
    assert body["maximum_withdrawal_amount"] == "2500.00"
    assert body["daily_limit"] == "7000.50"


@pytest.mark.parametrize(
    ("account_type", "currency"), [("Savings", "JOD"), ("Salary", "JOD"), ("Basic", "JOD"), ("USD", "USD"), ("EUR", "EUR")]
)
def test_currency_defaults_by_type(user_client, account_type, currency):
    assert open_account(user_client, type=account_type)["currency"] == currency


def test_savings_may_be_opened_in_another_currency(user_client):
    assert open_account(user_client, type="Savings", currency="EUR")["currency"] == "EUR"


@pytest.mark.parametrize(("account_type", "currency"), [("USD", "JOD"), ("USD", "EUR"), ("EUR", "USD")])
def test_fixed_currency_type_refuses_another_currency(user_client, account_type, currency):
    response = user_client.post("/api/accounts/", {"type": account_type, "currency": currency})
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "currency" in response.json()["errors"]
    assert not Account.objects.filter(is_system=False).exists()


@pytest.mark.parametrize("body", [{}, {"type": "Gold"}, {"type": "Savings", "currency": "GBP"}])
def test_invalid_create_bodies_are_400(user_client, body):
    response = user_client.post("/api/accounts/", body)
    assert response.status_code == 400
    assert response.json()["errors"]


def test_owner_balance_and_state_in_request_are_ignored(user_client, user, other_user):
    body = open_account(
        user_client,
        type="Savings",
        balance="99999.00",
        account_number="123456789012",
        is_active=False,
        user=other_user.pk,
    )
    assert body["balance"] == "0.00" and body["is_active"] is True
    assert body["account_number"] != "123456789012"
    assert Account.objects.get(pk=body["account_number"]).user == user


def test_account_number_collision_is_retried(user_client, user, monkeypatch):
    taken = open_account(user_client, type="Savings")["account_number"]
    numbers = iter([taken, taken, "900000000001"])
    monkeypatch.setattr(account_service, "new_account_number", lambda: next(numbers))
    assert open_account(user_client, type="Savings")["account_number"] == "900000000001"


def test_display_balance_uses_preferred_currency(user_client, user):
    number = open_account(user_client, type="Savings")["account_number"]
    Account.objects.filter(pk=number).update(balance=Decimal("100.00"))
    user.profile.preferred_currency = "USD"
    user.profile.save()
    body = user_client.get(f"/api/accounts/{number}/").json()
    assert body["balance"] == "100.00" and body["currency"] == "JOD"
    assert body["display_balance"] == {"currency": "USD", "amount": "141.00"}


def test_list_shows_only_own_accounts_never_system_ones(user_client, other_client):
    mine = open_account(user_client, type="Savings")["account_number"]
    open_account(other_client, type="Savings")
    body = user_client.get("/api/accounts/").json()
    assert body["count"] == 1 and body["results"][0]["account_number"] == mine
    assert Account.objects.filter(is_system=True).exists()


def test_filters_and_ordering(user_client):
    jod = open_account(user_client, type="Savings")["account_number"]
    usd = open_account(user_client, type="USD")["account_number"]
    eur = open_account(user_client, type="EUR")["account_number"]
    Account.objects.filter(pk=jod).update(balance=Decimal("5.00"))
    Account.objects.filter(pk=usd).update(balance=Decimal("50.00"))
    Account.objects.filter(pk=eur).update(balance=Decimal("1.00"))

    def numbers(query):
        response = user_client.get(f"/api/accounts/{query}")
        assert response.status_code == 200
        return [a["account_number"] for a in response.json()["results"]]

    assert numbers("") == [eur, usd, jod]  # newest first
    assert numbers("?type=USD") == [usd]
    assert numbers("?currency=JOD") == [jod]
    assert numbers("?ordering=balance") == [eur, jod, usd]
    assert numbers("?ordering=-balance") == [usd, jod, eur]
    assert numbers("?ordering=created_at") == [jod, usd, eur]
    assert numbers("?ordering=-created_at") == [eur, usd, jod]


def test_card_count_without_n_plus_one(user_client, user):
    numbers = [open_account(user_client, type="Savings")["account_number"] for _ in range(3)]
    for count, number in enumerate(numbers):
        for _ in range(count):
            issue_card(Account.objects.get(pk=number))
    with CaptureQueriesContext(connection) as few:
        user_client.get("/api/accounts/")
    issue_card(Account.objects.get(pk=numbers[0]))
    open_account(user_client, type="Basic")
    with CaptureQueriesContext(connection) as more:
        body = user_client.get("/api/accounts/").json()
    counts = {a["account_number"]: a["card_count"] for a in body["results"]}
    assert [counts[n] for n in numbers] == [1, 1, 2]
    assert len(more.captured_queries) == len(few.captured_queries)


def test_detail_of_own_account(user_client):
    number = open_account(user_client, type="EUR")["account_number"]
    response = user_client.get(f"/api/accounts/{number}/")
    assert response.status_code == 200 and response.json()["currency"] == "EUR"


def test_detail_of_other_unknown_or_system_account_is_404(user_client, other_client):
    theirs = open_account(other_client, type="Savings")["account_number"]
    system = Account.objects.filter(is_system=True).first().pk
    for number in [theirs, "999999999999", system, "not-a-number"]:
        response = user_client.get(f"/api/accounts/{number}/")
        assert response.status_code == 404, number
        assert response.json()["code"] == "not_found"


def test_accounts_need_authentication(api_client):
    response = api_client.get("/api/accounts/")
    assert response.status_code == 401
    assert response.json()["code"] == "not_authenticated"
