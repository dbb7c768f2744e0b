"""Regressions for what the schema fuzz found: odd input is a contract error, never a 500 or HTML."""
import json
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync
from django.apps import apps
from django.test import AsyncClient, Client

from api.models import Account
from api.services.accounts import open_account
from api.services.deposits import deposit
from nexus.testing.factories import PASSWORD
from risk.models import LoginEvent

HUGE = "9" * 30


@pytest.mark.parametrize(
    "url",
    ["/api/admin/transactions/null,null/reverse/", "/api/cards/abc/", "/api/no-such-endpoint/", "/auth/users/x/"],
)
def test_unrouted_urls_answer_the_json_404(user_client, url):
    response = user_client.get(url)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


@pytest.mark.parametrize(
    "url",
    [
        "/auth/users/activation/",
        "/auth/users/resend_activation/",
        "/auth/users/reset_password/",
        "/auth/users/reset_password_confirm/",
        "/auth/users/set_email/",
        "/auth/users/reset_email/",
        "/auth/users/set_password/",
    ],
)
def test_djoser_flows_outside_the_contract_are_not_routed(api_client, url):
    response = api_client.post(url, {"uid": 0, "token": "x", "email": "a@example.com"}, format="json")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_options_on_me_does_not_crash(user_client):
    response = user_client.options("/auth/users/me/")
    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"
    assert response.json()["name"]


@pytest.mark.parametrize(
    "url", ["/api/admin/transactions/", "/api/admin/accounts/", "/risk/incidents/", "/risk/logins/"]
)
def test_user_filter_beyond_the_id_range_is_a_400(staff_client, url):
    response = staff_client.get(url, {"user": HUGE})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert "user" in body["errors"]


def test_user_filter_still_filters(staff_client, user, other_user):
    for who in (user, other_user):
        LoginEvent.objects.create(user=who, successful=True, attempted_email=who.email)
    response = staff_client.get("/risk/logins/", {"user": str(user.pk)})
    assert response.status_code == 200
    assert [row["user"] for row in response.json()["results"]] == [user.pk]


@pytest.mark.parametrize("url", ["/business/countries/", "/business/currencies/"])
def test_breakdown_lists_are_paginated(staff_client, url):
    response = staff_client.get(url)
    assert response.status_code == 200
    assert set(response.json()) == {"count", "next", "previous", "results"}


# --- Issue 12, finding 4: hostile input is a 4xx with the contract body, and writes nothing ---


def _row_counts():
    """Rows of every project table: a refused request must not change any of them."""
    return {
        model._meta.label: model.objects.count()
        for label in ("api", "risk", "business")
        for model in apps.get_app_config(label).get_models()
    }


@pytest.fixture
def unchanged(db):
    """Fails the test when the request under test wrote anything."""
    before = _row_counts()
    yield
    assert _row_counts() == before


def _assert_error(response, status, code):
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    body = response.json()
    assert body["code"] == code and body["detail"]
    if status == 400:
        assert body["errors"]
    return body


def test_a_body_over_the_upload_limit_is_a_413(api_client, unchanged):
    body = json.dumps({"email": "a@example.com", "password": "x" * (3 * 1024 * 1024)})
    response = api_client.post("/auth/login/init/", body, content_type="application/json")
    _assert_error(response, 413, "payload_too_large")


def test_a_body_over_the_upload_limit_is_a_413_over_asgi_too(unchanged):
    # Daphne serves the ASGI handler, which spools the body before the view reads it.
    body = json.dumps({"email": "a@example.com", "password": "x" * (3 * 1024 * 1024)})
    response = async_to_sync(AsyncClient().post)("/auth/login/init/", body, content_type="application/json")
    _assert_error(response, 413, "payload_too_large")


def test_a_body_too_big_for_a_plain_django_view_is_a_413(unchanged):
    # Outside DRF the body is read by Django's own form handling (here the admin's
    # login form): the SuspiciousOperation reaches handler400.
    response = Client().post(
        "/admin/login/", "password=" + "x" * (3 * 1024 * 1024), content_type="application/x-www-form-urlencoded"
    )
    _assert_error(response, 413, "payload_too_large")


def test_json_nested_a_thousand_deep_is_a_400(api_client, unchanged):
    response = api_client.post("/auth/login/init/", "[" * 1000 + "]" * 1000, content_type="application/json")
    _assert_error(response, 400, "validation_error")


ACCOUNT_ROUTES = [
    ("get", "/api/accounts/{}/"),
    ("get", "/api/accounts/{}/transactions/"),
    ("get", "/api/accounts/{}/cards/"),
    ("post", "/api/accounts/{}/cards/"),
    ("post", "/api/admin/accounts/{}/deposit/"),
    ("post", "/api/admin/accounts/{}/freeze/"),
    ("post", "/api/admin/accounts/{}/unfreeze/"),
]
BAD_NUMBERS = ["%00", "1234%0056789012", "%0A", "%1F", "12345678901%7F", "12345678901", "1234567890123", "abcdefghijkl"]


@pytest.mark.parametrize(("method", "route"), ACCOUNT_ROUTES)
@pytest.mark.parametrize("number", BAD_NUMBERS)
def test_a_malformed_account_number_is_a_404(staff_client, unchanged, method, route, number):
    response = getattr(staff_client, method)(route.format(number), {"amount": "10.00"}, format="json")
    _assert_error(response, 404, "not_found")


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/business/weekly/", {"week": "9999-12-31"}),
        ("/business/weekly/", {"week": "0001-01-01"}),
        ("/business/monthly/", {"month": "9999-12"}),
        ("/business/monthly/", {"month": "0001-01"}),
        ("/business/daily/", {"date": "9999-12-31"}),
        ("/business/daily/", {"date": "0001-01-01"}),
        ("/business/active/", {"date": "9999-12-31"}),
        ("/business/overview/", {"date": "0001-01-01"}),
    ],
)
def test_dates_at_the_calendar_edges_are_a_400(staff_client, unchanged, url, params):
    body = _assert_error(staff_client.get(url, params), 400, "validation_error")
    assert list(body["errors"]) == list(params)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/business/countries/", {"country": "J\x01"}),
        ("/business/countries/", {"country": "JOR"}),
        ("/business/currencies/", {"currency": "JO\x7f"}),
        ("/business/currencies/", {"currency": "٠١٢"}),
    ],
)
def test_a_malformed_country_or_currency_filter_is_a_400(staff_client, unchanged, url, params):
    body = _assert_error(staff_client.get(url, params), 400, "validation_error")
    assert list(body["errors"]) == list(params)


@pytest.mark.parametrize(
    ("url", "extra"),
    [
        ("/auth/login/init/", {"HTTP_USER_AGENT": "curl\x00"}),
        ("/auth/login/init/", {"HTTP_CF_IPCOUNTRY": "J\x00"}),
        ("/auth/login/init/?next=%00", {}),
    ],
)
def test_a_nul_byte_in_a_header_or_query_is_a_400(api_client, user, unchanged, url, extra):
    response = api_client.post(url, {"email": user.email, "password": "Wrong-password-1"}, format="json", **extra)
    _assert_error(response, 400, "validation_error")


@pytest.mark.parametrize(
    ("url", "params"),
    [
        ("/business/countries/", {"country": "\x00"}),
        ("/business/currencies/", {"currency": "JO\x00"}),
        ("/business/daily/", {"date": "2026-01-01\x00"}),
    ],
)
def test_a_nul_byte_in_a_staff_filter_is_a_400(staff_client, unchanged, url, params):
    _assert_error(staff_client.get(url, params), 400, "validation_error")


@pytest.mark.parametrize(
    ("url", "payload", "field"),
    [
        ("/business/ai/advisor/", {"period_type": "daily", "date": "0001-01-01"}, "date"),
        ("/business/ai/advisor/", {"period_type": "daily", "date": "9999-12-31"}, "date"),
        ("/business/ai/advisor/", {"period_type": "monthly", "month": "9999-12"}, "month"),
        ("/business/ai/advisor/", {"period_type": "monthly", "month": "0001-01"}, "month"),
        ("/business/ai/daily-insight/", {"date": "0001-01-01"}, "date"),
        ("/business/ai/daily-insight/", {"date": "9999-12-31"}, "date"),
    ],
)
def test_advisor_dates_at_the_calendar_edges_are_a_400(staff_client, unchanged, url, payload, field):
    body = _assert_error(staff_client.post(url, payload, format="json"), 400, "validation_error")
    assert list(body["errors"]) == [field]


# --- Deleting a user: djoser's destroy, without authtoken, and never the ledger's records ---


@pytest.fixture
def account_with_history(user, staff_user):
    account = open_account(user, "Savings", "JOD")
    deposit(staff_user, account.pk, Decimal("50.00"))
    return account


def test_deleting_yourself_needs_your_password(user_client, unchanged):
    _assert_error(user_client.delete("/auth/users/me/", {}, format="json"), 400, "validation_error")
    wrong = user_client.delete("/auth/users/me/", {"current_password": "not-it-at-all"}, format="json")
    _assert_error(wrong, 400, "validation_error")


def test_deleting_yourself_with_ledger_history_is_a_409(user_client, account_with_history, unchanged):
    response = user_client.delete("/auth/users/me/", {"current_password": PASSWORD}, format="json")
    assert _assert_error(response, 409, "has_ledger_history")


def test_deleting_yourself_without_history_removes_you_and_ends_your_sessions(user_client, user):
    open_account(user, "Savings", "JOD")
    response = user_client.delete("/auth/users/me/", {"current_password": PASSWORD}, format="json")
    assert response.status_code == 204
    assert not type(user).objects.filter(pk=user.pk).exists()
    assert not Account.objects.filter(user_id=user.pk).exists()
    assert user_client.get("/auth/users/me/").status_code == 401


def test_staff_deleting_a_user_with_ledger_history_is_a_409(staff_client, user, account_with_history, unchanged):
    response = staff_client.delete(f"/auth/users/{user.pk}/", {"current_password": PASSWORD}, format="json")
    _assert_error(response, 409, "has_ledger_history")


def test_staff_deleting_a_user_without_history(staff_client, other_user, other_client):
    open_account(other_user, "Savings", "JOD")
    response = staff_client.delete(f"/auth/users/{other_user.pk}/", {"current_password": PASSWORD}, format="json")
    assert response.status_code == 204
    assert not type(other_user).objects.filter(pk=other_user.pk).exists()
    assert other_client.get("/api/accounts/").status_code == 401
