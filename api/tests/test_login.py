from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.test import override_settings
from django.utils import timezone

from api.models import LoginOTP
from nexus.testing.auth import last_code, login
from nexus.testing.clients import bearer
from nexus.testing.factories import PASSWORD, UserFactory
from nexus.testing.responses import assert_error, assert_signed_in_as, assert_token_pair
from risk.models import Incident, LoginEvent

pytestmark = pytest.mark.django_db


def init(client, email, password=PASSWORD):
    return client.post("/auth/login/init/", {"email": email, "password": password})


def verify(client, email, code):
    return client.post("/auth/login/verify/", {"email": email, "code": code})


def wrong(code):
    return f"{(int(code) + 1) % 1_000_000:06d}"


def test_init_emails_a_code_stored_only_as_hash(api_client, user):
    response = init(api_client, user.email)
    assert response.status_code == 200
    assert response.json() == {"detail": "Verification code sent."}
    assert mail.outbox[-1].to == [user.email]
    code = last_code()
    otp = LoginOTP.objects.get(user=user)
    assert code not in otp.code_hash
    assert abs((otp.expires_at - otp.created_at) - timedelta(minutes=5)) < timedelta(seconds=1)


def test_login_is_case_insensitive_on_email(api_client, user):
    response = init(api_client, user.email.upper())
    assert response.status_code == 200, response.json()
    assert response.json() == {"detail": "Verification code sent."}
    assert mail.outbox[-1].to == [user.email]


def test_unknown_email_wrong_password_and_blocked_user_look_the_same(api_client, user):
    blocked = UserFactory(is_active=False)
    answers = [
        init(api_client, user.email, "Wrong-password-1"),
        init(api_client, "nobody@example.com"),
        init(api_client, blocked.email),
    ]
    for response in answers:
        assert response.status_code == 401
        assert response.json()["code"] == "invalid_credentials"
    assert len({r.json()["detail"] for r in answers}) == 1
    assert mail.outbox == []
    failures = LoginEvent.objects.filter(successful=False)
    assert failures.count() == 3
    assert set(failures.values_list("failure_reason", flat=True)) == {"invalid_credentials"}


def test_missing_fields_are_400(api_client):
    response = api_client.post("/auth/login/init/", {"email": "a@example.com"})
    assert response.status_code == 400
    assert "password" in response.json()["errors"]


def test_verify_returns_tokens_and_marks_user_online(api_client, user):
    tokens = login(api_client, user)
    assert set(tokens) == {"access", "refresh"}
    user.refresh_from_db()
    assert user.is_online and user.last_login is not None
    assert LoginEvent.objects.filter(user=user, successful=True, source="password").count() == 1
    me = bearer(api_client, tokens["access"]).get("/auth/users/me/")
    assert me.status_code == 200 and me.json()["id"] == user.id


def test_code_works_once(api_client, user):
    init(api_client, user.email)
    code = last_code()
    assert verify(api_client, user.email, code).status_code == 200
    response = verify(api_client, user.email, code)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_otp"


INVALID_CODE = {
    "detail": "Invalid verification code.",
    "code": "invalid_otp",
    "errors": {"code": ["Invalid verification code."]},
}


def test_wrong_code_counts_attempts_and_third_kills_the_code(api_client, user):
    init(api_client, user.email)
    code = last_code()
    for _ in range(3):
        response = verify(api_client, user.email, wrong(code))
        assert (response.status_code, response.json()) == (400, INVALID_CODE)
    response = verify(api_client, user.email, code)
    assert (response.status_code, response.json()) == (400, INVALID_CODE)
    incidents = Incident.objects.filter(rule="otp_failed", event="Failed OTP verification", severity="medium")
    assert incidents.count() == 4
    assert incidents.first().attempted_email == user.email
    assert incidents.first().details["reason"] == "otp_locked"


def test_expired_code(api_client, user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        init(api_client, user.email)
        code = last_code()
        traveller.shift(timedelta(minutes=5, seconds=1))
        response = verify(api_client, user.email, code)
    assert (response.status_code, response.json()) == (400, INVALID_CODE)
    assert Incident.objects.get(rule="otp_failed").details["reason"] == "otp_expired"


def test_verify_never_tells_which_emails_exist_or_have_a_code(api_client, user, settings):
    """Finding 8: every refusal at verify is the same answer (no attempts_left, no otp_expired)."""
    settings.API_THROTTLING = False
    with_expired, with_dead, with_live = UserFactory(), UserFactory(), UserFactory()
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        init(api_client, with_expired.email)
        expired = last_code()
        traveller.shift(timedelta(minutes=6))
        init(api_client, with_dead.email)
        dead = last_code()
        for _ in range(3):
            verify(api_client, with_dead.email, wrong(dead))
        init(api_client, with_live.email)
        live = last_code()
        answers = [
            verify(api_client, "ghost@example.com", "123456"),
            verify(api_client, user.email, "123456"),
            verify(api_client, with_expired.email, expired),
            verify(api_client, with_dead.email, dead),
            verify(api_client, with_live.email, wrong(live)),
        ]
    for response in answers:
        assert (response.status_code, response.json()) == (400, INVALID_CODE)


def test_code_still_valid_just_before_expiry(api_client, user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        init(api_client, user.email)
        code = last_code()
        traveller.shift(timedelta(minutes=4, seconds=59))
        tokens = assert_token_pair(verify(api_client, user.email, code))
        assert_signed_in_as(bearer(api_client, tokens["access"]), user)


def test_new_init_voids_older_codes(api_client, user):
    init(api_client, user.email)
    first = last_code()
    init(api_client, user.email)
    second = last_code()
    if first != second:
        assert verify(api_client, user.email, first).json()["code"] == "invalid_otp"
    assert verify(api_client, user.email, second).status_code == 200


def test_unknown_email_at_verify_is_invalid_otp(api_client):
    response = verify(api_client, "ghost@example.com", "123456")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_otp"


@pytest.mark.parametrize("code", ["12345", "1234567", "abcdef", ""])
def test_code_must_be_six_digits(api_client, user, code):
    response = verify(api_client, user.email, code)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "code" in response.json()["errors"]


@pytest.mark.parametrize("path", ["/auth/jwt/create/", "/auth/token/login/", "/api/token/", "/auth/jwt/verify/"])
def test_no_password_only_token_endpoint(api_client, user, path):
    response = api_client.post(path, {"email": user.email, "password": PASSWORD})
    assert_error(response, 404, "not_found")
    assert "access" not in response.json()


@override_settings(API_THROTTLING=False, AXES_FAILURE_LIMIT=3)
def test_lockout_after_failure_limit_then_unlock(api_client, user, staff_client):
    for _ in range(3):
        assert init(api_client, user.email, "Wrong-password-1").status_code == 401
    response = init(api_client, user.email)  # Right password, but the IP is locked.
    assert response.status_code == 429
    assert response.json()["code"] == "locked_out"
    assert mail.outbox == []
    from axes.utils import reset

    reset(ip="127.0.0.1")
    assert init(api_client, user.email).status_code == 200


@override_settings(API_THROTTLING=False, AXES_FAILURE_LIMIT=2)
def test_lockout_lifts_after_cool_off(api_client, user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        for _ in range(2):
            assert_error(init(api_client, user.email, "Wrong-password-1"), 401, "invalid_credentials")
        assert_error(init(api_client, user.email), 429, "locked_out")
        assert mail.outbox == []
        traveller.shift(timedelta(hours=1, seconds=1))
        assert init(api_client, user.email).json() == {"detail": "Verification code sent."}
        assert mail.outbox[-1].to == [user.email]


def test_login_endpoints_are_throttled_per_ip(api_client, user):
    statuses = [init(api_client, user.email, "Wrong-password-1").status_code for _ in range(6)]
    assert statuses[:5] == [401] * 5
    assert statuses[5] == 429
    response = init(api_client, user.email)
    assert response.json()["code"] == "throttled"
    assert "Retry-After" in response.headers
