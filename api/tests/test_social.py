"""Google sign-in: the hand-off code and the verified-email linking rule."""
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.models import SocialAccount, SocialLogin
from django.contrib.auth import get_user_model
from django.contrib.sessions.middleware import SessionMiddleware
from django.test import RequestFactory
from django.utils import timezone

from api.social import VerifiedEmailSocialAccountAdapter
from api.tests.social_helpers import google_sign_in, social_code
from nexus.testing.clients import bearer
from risk.models import LoginEvent

pytestmark = pytest.mark.django_db


def complete(client, user):
    """A Google sign-in of ``user``, then the hand-off; returns the one-time code."""
    google_sign_in(client, user.email)
    return social_code(client.get("/auth/social/complete/"))


def test_unauthenticated_completion_redirects_to_error(api_client):
    response = api_client.get("/auth/social/complete/")
    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost:3000/auth/social/error?reason=not_authenticated"


def test_code_trades_for_tokens_once(api_client, user):
    code = complete(api_client, user)
    response = api_client.post("/auth/social/token/", {"code": code})
    assert response.status_code == 200
    tokens = response.json()
    assert bearer(api_client, tokens["access"]).get("/auth/users/me/").json()["id"] == user.id
    assert LoginEvent.objects.filter(user=user, successful=True, source="google").exists()
    again = api_client.post("/auth/social/token/", {"code": code})
    assert again.status_code == 400
    assert again.json()["code"] == "invalid_otp"


def test_completion_drops_the_cookie_session(api_client, user):
    complete(api_client, user)
    assert api_client.get("/auth/social/complete/").headers["Location"].endswith("reason=not_authenticated")


def test_code_lives_sixty_seconds(api_client, user):
    with time_machine.travel(timezone.now(), tick=False) as traveller:
        code = complete(api_client, user)
        traveller.shift(timedelta(seconds=61))
        response = api_client.post("/auth/social/token/", {"code": code})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_otp"


def test_unknown_code(api_client):
    assert api_client.post("/auth/social/token/", {"code": "nope"}).json()["code"] == "invalid_otp"


def google_login(email, verified):
    User = get_user_model()
    return SocialLogin(
        user=User(email=email),
        account=SocialAccount(provider="google", uid="google-uid-1", extra_data={"email": email}),
        email_addresses=[EmailAddress(email=email, verified=verified, primary=True)],
    )


def request_for_adapter():
    request = RequestFactory().get("/accounts/google/login/callback/")
    SessionMiddleware(lambda r: None).process_request(request)
    return request


def test_unverified_google_email_never_takes_over_an_account(user):
    adapter = VerifiedEmailSocialAccountAdapter()
    with pytest.raises(ImmediateHttpResponse) as raised:
        adapter.pre_social_login(request_for_adapter(), google_login(user.email, verified=False))
    assert raised.value.response.status_code == 302
    assert "reason=email_not_verified" in raised.value.response["Location"]
    assert not SocialAccount.objects.filter(user=user).exists()


def test_verified_google_email_links_the_existing_user(user):
    adapter = VerifiedEmailSocialAccountAdapter()
    sociallogin = google_login(user.email.upper(), verified=True)
    adapter.pre_social_login(request_for_adapter(), sociallogin)
    assert SocialAccount.objects.get(user=user).uid == "google-uid-1"


def test_new_google_user_is_left_to_signup():
    adapter = VerifiedEmailSocialAccountAdapter()
    sociallogin = google_login("new@example.com", verified=True)
    adapter.pre_social_login(request_for_adapter(), sociallogin)
    assert not SocialAccount.objects.exists()


def test_google_login_url_starts_the_flow(api_client, settings):
    response = api_client.post("/accounts/google/login/")
    assert response.status_code in (302, 200)


def test_a_new_google_user_is_signed_up_and_handed_off(api_client):
    response = google_sign_in(api_client, "newcomer@gmail.com", uid="google-uid-new", given_name="Nour")
    assert response.headers["Location"] == "/auth/social/complete/"
    code = social_code(api_client.get("/auth/social/complete/"))
    assert api_client.post("/auth/social/token/", {"code": code}).status_code == 200
    user = get_user_model().objects.get(email="newcomer@gmail.com")
    assert SocialAccount.objects.get(user=user).uid == "google-uid-new"


def test_an_unverified_google_email_of_a_customer_lands_on_the_error_page(api_client, user):
    response = google_sign_in(api_client, user.email, verified=False)
    assert response.headers["Location"] == "http://localhost:3000/auth/social/error?reason=email_not_verified"
    assert api_client.get("/auth/social/complete/").headers["Location"].endswith("reason=not_authenticated")
