"""Regressions for what the schema fuzz found: odd input is a contract error, never a 500 or HTML."""
import pytest

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
    assert response.status_code == 200


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
