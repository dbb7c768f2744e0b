"""A Google sign-in through allauth's real login and callback views, Google mocked.

Only the two calls to Google (token exchange, identity) are replaced; the
state check, allauth's login and our adapter and signal receivers run as in
production.
"""
from unittest import mock
from urllib.parse import parse_qs, urlparse

from allauth.socialaccount.providers.google.views import GoogleOAuth2Adapter


def google_sign_in(client, email, uid="google-uid-1", verified=True, process="login", **claims):
    """Run the Google flow for ``email``; returns the callback's response."""
    start = client.post("/accounts/google/login/", {"process": process})
    assert start.status_code == 302, start.content
    state = parse_qs(urlparse(start.headers["Location"]).query)["state"][0]
    identity = {"sub": uid, "email": email, "email_verified": verified, "given_name": "Ann", **claims}

    def complete_login(adapter, request, app, token, **kwargs):
        return adapter.get_provider().sociallogin_from_response(request, identity)

    token = {"access_token": "google-access", "token_type": "Bearer", "expires_in": 3600}
    with (
        mock.patch.object(GoogleOAuth2Adapter, "get_access_token_data", return_value=token),
        mock.patch.object(GoogleOAuth2Adapter, "complete_login", complete_login),
    ):
        return client.get("/accounts/google/login/callback/", {"code": "google-code", "state": state})


def social_code(response):
    """The one-time code of a successful ``/auth/social/complete/`` redirect."""
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("http://localhost:3000/auth/social/success#code="), location
    assert "access" not in location and "refresh" not in location
    return urlparse(location).fragment.split("=", 1)[1]
