"""The sign-in perimeter (issue 11): one way in, the admin behind the code, revocation everywhere.

Every test here is an attack path that once worked: a password alone turned
into API tokens through allauth's own forms or the admin login; a Django
session outlived terminate-session and block; allauth's account pages
attached another user's address.
"""
import re
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.core import mail
from django.utils import timezone

from api.models import AuthSession
from api.tests.social_helpers import google_sign_in, social_code
from nexus.testing.auth import admin_session, last_code
from nexus.testing.clients import Browser as Client
from nexus.testing.clients import bearer
from nexus.testing.factories import PASSWORD, UserFactory
from risk.models import Incident, LoginEvent

pytestmark = pytest.mark.django_db

NOT_AUTHENTICATED = "http://localhost:3000/auth/social/error?reason=not_authenticated"
ADMIN_LOGIN = "/admin/login/"
ADMIN_CODE = "/admin/login/code/"
ERROR_NOTE = re.compile(r'<p class="errornote">\s*(.*?)\s*</p>', re.S)


def assert_not_found(response):
    assert response.status_code == 404, response.content[:200]
    assert response.json() == {"detail": "Not found.", "code": "not_found"}


def assert_no_handoff(client):
    """The cookie session of ``client`` never becomes a sign-in code."""
    response = client.get("/auth/social/complete/")
    assert response.status_code == 302
    assert response.headers["Location"] == NOT_AUTHENTICATED


# --- one way in ------------------------------------------------------------------


ALLAUTH_ACCOUNT_PAGES = [
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/logout/",
    "/accounts/email/",
    "/accounts/password/change/",
    "/accounts/password/set/",
    "/accounts/password/reset/",
    "/accounts/password/reset/done/",
    "/accounts/password/reset/key/1-set-password/",
    "/accounts/reauthenticate/",
    "/accounts/inactive/",
    "/accounts/confirm-email/",
    "/accounts/login/code/",
    "/accounts/3rdparty/",
    "/accounts/3rdparty/signup/",
    "/accounts/3rdparty/login/cancelled/",
    "/accounts/3rdparty/login/error/",
    "/accounts/social/connections/",
    "/accounts/google/login/token/",
    "/accounts/",
]


@pytest.mark.parametrize("path", ALLAUTH_ACCOUNT_PAGES)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_google_flow_of_allauth_is_routed(user, path, method):
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert_not_found(getattr(client, method)(path))


def test_email_and_password_at_allauth_login_never_become_tokens(user):
    """Finding 1: GET+POST /accounts/login/ with CSRF, then the social hand-off."""
    browser = Client(enforce_csrf_checks=True)
    assert_not_found(browser.get("/accounts/login/"))
    csrf = browser.get("/admin/login/").cookies["csrftoken"].value
    response = browser.post(
        "/accounts/login/", {"login": user.email, "password": PASSWORD, "csrfmiddlewaretoken": csrf}
    )
    assert_not_found(response)
    assert_no_handoff(browser)
    assert not AuthSession.objects.filter(user=user).exists()
    assert not LoginEvent.objects.filter(user=user, successful=True).exists()


def test_allauth_signup_creates_nobody():
    browser = Client()
    email = "mallory@example.com"
    response = browser.post("/accounts/signup/", {"email": email, "password1": PASSWORD, "password2": PASSWORD})
    assert_not_found(response)
    assert_no_handoff(browser)
    assert not get_user_model().objects.filter(email=email).exists()


def test_a_django_session_made_any_other_way_is_no_handoff(user):
    browser = Client()
    browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert_no_handoff(browser)


def test_admin_password_alone_opens_nothing(staff_user):
    """Finding 1, staff: the admin password step gives no session, no code, no tokens."""
    browser = Client()
    response = browser.post(ADMIN_LOGIN, {"username": staff_user.email, "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"].startswith(ADMIN_CODE)
    assert "_auth_user_id" not in browser.session
    assert browser.get("/admin/").status_code == 302
    assert_no_handoff(browser)
    assert not AuthSession.objects.filter(user=staff_user).exists()


def test_a_full_admin_session_is_no_handoff_to_api_tokens(staff_user, api_client):
    browser = Client()
    admin_login(browser, staff_user)
    assert browser.get("/admin/").status_code == 200
    assert_no_handoff(browser)
    assert api_client.get("/api/admin/ledger/verify/").status_code == 401
    assert browser.get("/admin/").status_code == 200  # The refusal left the admin session alone.


def test_google_sign_in_is_the_one_cookie_session_that_becomes_tokens(user, api_client):
    response = google_sign_in(api_client, user.email)
    assert response.status_code == 302 and response.headers["Location"] == "/auth/social/complete/"
    code = social_code(api_client.get("/auth/social/complete/"))
    tokens = api_client.post("/auth/social/token/", {"code": code}).json()
    assert bearer(api_client, tokens["access"]).get("/auth/users/me/").json()["id"] == user.id
    assert AuthSession.objects.get(user=user).source == "google"


def test_the_handoff_mark_is_short_lived(user, api_client, settings):
    with time_machine.travel(timezone.now(), tick=False) as clock:
        google_sign_in(api_client, user.email)
        clock.shift(timedelta(seconds=settings.SOCIAL_HANDOFF_TTL_SECONDS + 1))
        assert_no_handoff(api_client)


def test_the_handoff_works_once(user, api_client):
    google_sign_in(api_client, user.email)
    social_code(api_client.get("/auth/social/complete/"))
    assert_no_handoff(api_client)


def test_cancelled_google_sign_in_lands_on_the_frontend(api_client):
    start = api_client.post("/accounts/google/login/")
    state = start.headers["Location"].split("state=")[1].split("&")[0]
    response = api_client.get("/accounts/google/login/callback/", {"error": "access_denied", "state": state})
    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost:3000/auth/social/error?reason=cancelled"


def test_the_google_start_page_and_a_stateless_callback_are_no_500(api_client):
    assert api_client.get("/accounts/google/login/").status_code == 200  # allauth's confirm-to-continue page
    response = api_client.get("/accounts/google/login/callback/", {"code": "x", "state": "forged"})
    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost:3000/auth/social/error?reason=google_error"


def test_google_connect_to_a_cookie_session_is_refused(staff_user):
    """``process=connect`` would link a Google identity to whoever holds the session."""
    browser = Client()
    admin_login(browser, staff_user)
    response = google_sign_in(browser, "someone@gmail.com", process="connect")
    assert response.status_code == 302
    assert response.headers["Location"] == "http://localhost:3000/auth/social/error?reason=not_supported"
    assert not SocialAccount.objects.exists()


# --- revocation reaches the Google hand-off ----------------------------------------------


def test_terminate_session_kills_the_pending_handoff(user, api_client, staff_client):
    """Finding 2: the cookie from the Google flow must not outlive terminate-session."""
    google_sign_in(api_client, user.email)
    assert staff_client.post(f"/api/admin/users/{user.id}/terminate-session/").status_code == 200
    assert_no_handoff(api_client)


def test_terminate_session_kills_an_unused_code(user, api_client, staff_client):
    google_sign_in(api_client, user.email)
    code = social_code(api_client.get("/auth/social/complete/"))
    assert staff_client.post(f"/api/admin/users/{user.id}/terminate-session/").status_code == 200
    response = api_client.post("/auth/social/token/", {"code": code})
    assert response.status_code == 400 and response.json()["code"] == "invalid_otp"


def test_block_then_unblock_kills_the_pending_handoff(user, api_client, staff_client):
    google_sign_in(api_client, user.email)
    assert staff_client.post(f"/api/admin/users/{user.id}/block/").status_code == 200
    assert staff_client.post(f"/api/admin/users/{user.id}/unblock/").status_code == 200
    assert_no_handoff(api_client)


# --- allauth account management -------------------------------------------------------


def test_allauth_email_management_is_unreachable(user, other_user):
    """Finding 5: action_add attached another user's address; action_primary answered 500."""
    browser = Client()
    browser.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    assert_not_found(browser.post("/accounts/email/", {"action_add": "", "email": other_user.email}))
    assert_not_found(browser.post("/accounts/email/", {"action_primary": "", "email": other_user.email}))
    assert not EmailAddress.objects.filter(user=user).exists()


# --- the admin behind the emailed code -----------------------------------------------------


def admin_password_step(browser, email, password=PASSWORD, **extra):
    return browser.post(ADMIN_LOGIN, {"username": email, "password": password}, **extra)


def admin_login(browser, user):
    response = admin_password_step(browser, user.email)
    assert response.status_code == 302, response.content.decode()
    response = browser.post(ADMIN_CODE, {"code": last_code()})
    assert response.status_code == 302, response.content.decode()
    return response


def test_admin_sign_in_takes_the_password_then_the_emailed_code(staff_user):
    browser = Client()
    response = admin_password_step(browser, staff_user.email, HTTP_USER_AGENT="StaffBrowser/1")
    assert response.status_code == 302
    assert mail.outbox[-1].to == [staff_user.email]
    page = browser.get(ADMIN_CODE)
    assert page.status_code == 200 and b'name="code"' in page.content
    response = browser.post(ADMIN_CODE, {"code": last_code()}, HTTP_USER_AGENT="StaffBrowser/1")
    assert response.status_code == 302 and response.headers["Location"] == "/admin/"
    assert browser.get("/admin/").status_code == 200
    session = AuthSession.objects.get(user=staff_user)
    assert session.source == "admin" and session.revoked_at is None
    event = LoginEvent.objects.get(user=staff_user, successful=True)
    assert (event.source, event.user_agent) == ("other", "StaffBrowser/1")
    audit = Incident.objects.get(rule="login_success", user=staff_user)
    assert (audit.event, audit.severity) == ("Admin login", "medium")


def test_admin_keeps_the_next_page(staff_user):
    browser = Client()
    browser.post(ADMIN_LOGIN + "?next=/admin/api/user/", {"username": staff_user.email, "password": PASSWORD})
    response = browser.post(ADMIN_CODE, {"code": last_code()})
    assert response.headers["Location"] == "/admin/api/user/"


def test_admin_refuses_customers_like_a_wrong_password(staff_user, user):
    answers = [
        admin_password_step(Client(), staff_user.email, "Wrong-password-1"),
        admin_password_step(Client(), "nobody@example.com"),
        admin_password_step(Client(), user.email),
        admin_password_step(Client(), UserFactory(is_staff=True, is_active=False).email),
    ]
    for response in answers:
        assert response.status_code == 200
        assert ERROR_NOTE.findall(response.content.decode()) == ["Invalid email or password."]
    assert mail.outbox == []
    reasons = LoginEvent.objects.filter(successful=False).values_list("failure_reason", flat=True)
    assert list(reasons) == ["invalid_credentials"] * 4


def test_a_customer_code_never_opens_the_admin(user):
    """The code step checks staff again: a code from the API login is no way in."""
    browser = Client()
    session = browser.session
    session["nexus_admin_pending"] = {"email": user.email, "at": timezone.now().timestamp()}
    session.save()
    Client().post("/auth/login/init/", {"email": user.email, "password": PASSWORD}, content_type="application/json")
    response = browser.post(ADMIN_CODE, {"code": last_code()})
    assert response.status_code == 200 and b"Invalid verification code." in response.content
    assert browser.get("/admin/").status_code == 302


def test_admin_wrong_codes_kill_the_code(staff_user):
    browser = Client()
    admin_password_step(browser, staff_user.email)
    code = last_code()
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for _ in range(3):
        response = browser.post(ADMIN_CODE, {"code": wrong})
        assert response.status_code == 200 and b"Invalid verification code." in response.content
    assert browser.post(ADMIN_CODE, {"code": code}).status_code == 200
    assert browser.get("/admin/").status_code == 302
    assert Incident.objects.filter(rule="otp_failed", user=staff_user).count() == 4


def test_admin_code_step_without_the_password_step_goes_back(staff_user):
    response = Client().get(ADMIN_CODE)
    assert response.status_code == 302 and response.headers["Location"].startswith(ADMIN_LOGIN)


def test_admin_login_is_behind_the_same_lockout(staff_user, settings):
    settings.AXES_FAILURE_LIMIT = 2
    browser = Client()
    for _ in range(2):
        assert admin_password_step(browser, staff_user.email, "Wrong-password-1").status_code == 200
    response = admin_password_step(browser, staff_user.email)
    assert response.status_code == 429
    assert b"Too many failed login attempts" in response.content
    assert mail.outbox == []
    assert Incident.objects.filter(rule="lockout").exists()


def test_a_force_login_session_is_not_an_admin_session(staff_user):
    browser = Client()
    browser.force_login(staff_user, backend="django.contrib.auth.backends.ModelBackend")
    response = browser.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].startswith(ADMIN_LOGIN)


def test_the_session_helper_opens_an_admin_session(staff_user):
    browser = Client()
    admin_session(browser, staff_user)
    assert browser.get("/admin/").status_code == 200


@pytest.mark.parametrize("action", ["terminate-session", "block"])
def test_staff_revocation_ends_an_admin_session_on_the_next_request(staff_user, staff_client, action):
    colleague = UserFactory(is_staff=True)
    browser = Client()
    admin_login(browser, colleague)
    assert browser.get("/admin/").status_code == 200
    assert staff_client.post(f"/api/admin/users/{colleague.id}/{action}/").status_code == 200
    response = browser.get("/admin/")
    assert response.status_code == 302 and response.headers["Location"].startswith(ADMIN_LOGIN)
    assert "_auth_user_id" not in browser.session
    if action == "block":
        assert staff_client.post(f"/api/admin/users/{colleague.id}/unblock/").status_code == 200
        assert browser.get("/admin/").status_code == 302


def test_admin_logout_revokes_its_session(staff_user):
    browser = Client()
    admin_login(browser, staff_user)
    stolen = browser.cookies["sessionid"].value
    assert browser.post("/admin/logout/").status_code == 200
    assert AuthSession.objects.get(user=staff_user).revoked_at is not None
    replay = Client()
    replay.cookies["sessionid"] = stolen
    assert replay.get("/admin/").status_code == 302


def test_an_admin_session_does_not_outlive_its_lifetime(staff_user, settings):
    browser = Client()
    with time_machine.travel(timezone.now(), tick=False) as clock:
        admin_login(browser, staff_user)
        clock.shift(timedelta(hours=settings.ADMIN_SESSION_HOURS, seconds=1))
        assert browser.get("/admin/").status_code == 302


def test_admin_sign_in_works_with_csrf_checks_as_in_a_browser(staff_user):
    browser = Client(enforce_csrf_checks=True)
    browser.get(ADMIN_LOGIN)
    token = browser.cookies["csrftoken"].value
    assert browser.post(ADMIN_LOGIN, {"username": staff_user.email, "password": PASSWORD}).status_code == 403
    form = {"username": staff_user.email, "password": PASSWORD, "csrfmiddlewaretoken": token}
    assert browser.post(ADMIN_LOGIN, form).status_code == 302
    browser.get(ADMIN_CODE)
    token = browser.cookies["csrftoken"].value
    response = browser.post(ADMIN_CODE, {"code": last_code(), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert browser.get("/admin/").status_code == 200
