from datetime import timedelta

import pytest
import time_machine
from django.utils import timezone

from api.services.sessions import revoke_all_sessions
from nexus.testing.auth import login
from nexus.testing.clients import APIClient, bearer
from nexus.testing.responses import assert_error, assert_signed_in_as, assert_token_pair

pytestmark = pytest.mark.django_db


def me(access):
    return bearer(APIClient(), access).get("/auth/users/me/")


def refresh(token):
    return APIClient().post("/auth/jwt/refresh/", {"refresh": token})


def test_refresh_rotates_and_blacklists_the_used_token(api_client, user):
    tokens = login(api_client, user)
    response = refresh(tokens["refresh"])
    assert response.status_code == 200
    rotated = response.json()
    assert set(rotated) == {"access", "refresh"}
    assert rotated["refresh"] != tokens["refresh"]
    assert me(rotated["access"]).status_code == 200
    reuse = refresh(tokens["refresh"])
    assert reuse.status_code == 401
    assert reuse.json()["code"] == "token_not_valid"
    assert refresh(rotated["refresh"]).status_code == 200


def test_garbage_tokens_are_401(api_client):
    assert refresh("not-a-token").json()["code"] == "token_not_valid"
    response = me("not-a-token")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"


def test_access_token_expires_after_an_hour(api_client, user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        tokens = login(api_client, user)
        traveller.shift(timedelta(minutes=59))
        assert_signed_in_as(bearer(APIClient(), tokens["access"]), user)
        traveller.shift(timedelta(minutes=2))
        assert_error(me(tokens["access"]), 401, "token_not_valid")
        assert_signed_in_as(bearer(APIClient(), assert_token_pair(refresh(tokens["refresh"]))["access"]), user)


def test_an_expired_token_says_it_expired(api_client, user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        tokens = login(api_client, user)
        traveller.shift(timedelta(days=8))
        for response in (me(tokens["access"]), refresh(tokens["refresh"])):
            assert response.status_code == 401
            body = response.json()
            assert body["code"] == "token_not_valid"
            assert "expired" in body["detail"].lower()
            assert "token type" not in body["detail"]
    garbage = me("not-a-token").json()["detail"]
    assert "expired" not in garbage.lower() and "token type" not in garbage


def test_refresh_token_expires_after_seven_days(api_client, user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        tokens = login(api_client, user)
        traveller.shift(timedelta(days=7, seconds=1))
        assert_error(refresh(tokens["refresh"]), 401, "token_not_valid")


def test_logout_ends_only_its_own_session(api_client, user):
    laptop = login(APIClient(), user)
    phone = login(APIClient(), user)
    response = bearer(APIClient(), laptop["access"]).post("/auth/logout/", {"refresh": laptop["refresh"]})
    assert response.status_code == 200
    assert response.json() == {"detail": "Logged out."}
    assert me(laptop["access"]).status_code == 401
    assert refresh(laptop["refresh"]).status_code == 401
    assert me(phone["access"]).status_code == 200
    user.refresh_from_db()
    assert user.is_online


def test_logout_without_refresh_still_revokes_the_session(api_client, user):
    tokens = login(api_client, user)
    assert bearer(APIClient(), tokens["access"]).post("/auth/logout/", {}).status_code == 200
    assert me(tokens["access"]).status_code == 401
    assert refresh(tokens["refresh"]).status_code == 401
    user.refresh_from_db()
    assert not user.is_online


def test_logout_requires_authentication(api_client):
    assert_error(api_client.post("/auth/logout/", {}), 401, "not_authenticated")


def test_rotated_tokens_belong_to_the_same_session(api_client, user):
    tokens = login(api_client, user)
    rotated = refresh(tokens["refresh"]).json()
    assert bearer(APIClient(), rotated["access"]).post("/auth/logout/", {}).json() == {"detail": "Logged out."}
    assert_error(me(tokens["access"]), 401, "token_not_valid")
    assert_error(refresh(rotated["refresh"]), 401, "token_not_valid")


def test_revocation_refuses_every_earlier_token_at_once(api_client, user):
    first = login(APIClient(), user)
    second = login(APIClient(), user)
    assert revoke_all_sessions(user) == 2
    for tokens in (first, second):
        assert me(tokens["access"]).status_code == 401
        assert refresh(tokens["refresh"]).status_code == 401


def test_a_login_in_the_same_second_after_revocation_works(api_client, user):
    with time_machine.travel(timezone.now(), tick=False):
        old = login(APIClient(), user)
        revoke_all_sessions(user)
        new = login(APIClient(), user)
        assert_error(me(old["access"]), 401, "token_not_valid")
        assert_signed_in_as(bearer(APIClient(), new["access"]), user)


def test_blocked_user_tokens_and_refresh_are_refused(api_client, user):
    tokens = login(api_client, user)
    user.is_active = False
    user.save()
    assert_error(me(tokens["access"]), 401, "token_not_valid")
    assert_error(refresh(tokens["refresh"]), 401, "token_not_valid")


def test_authentication_costs_one_query(api_client, user, django_assert_num_queries):
    tokens = login(api_client, user)
    client = bearer(APIClient(), tokens["access"])
    with django_assert_num_queries(1):
        # Session and user in one indexed query; /auth/users/me/ needs nothing more.
        client.get("/auth/users/me/")
