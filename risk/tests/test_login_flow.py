"""The rules through the real login endpoints (API.md §3.4–3.5)."""
from datetime import timedelta

import pytest
import time_machine

from api.models import Notification
from nexus.testing.auth import last_code
from nexus.testing.factories import PASSWORD
from risk.models import LoginEvent
from risk.tests.helpers import UA_DESKTOP, UA_PHONE, incidents

pytestmark = pytest.mark.django_db


def sign_in(client, user, country, user_agent=UA_DESKTOP, ip="198.51.100.40"):
    extra = {"REMOTE_ADDR": ip, "HTTP_USER_AGENT": user_agent, "HTTP_CF_IPCOUNTRY": country}
    assert client.post("/auth/login/init/", {"email": user.email, "password": PASSWORD}, **extra).status_code == 200
    response = client.post("/auth/login/verify/", {"email": user.email, "code": last_code()}, **extra)
    assert response.status_code == 200, response.json()


@pytest.fixture
def trusted_proxy(settings):
    settings.TRUST_PROXY_HEADERS = True
    settings.API_THROTTLING = False


def test_new_country_and_device_through_login(api_client, user, trusted_proxy):
    with time_machine.travel(user.date_joined + timedelta(minutes=1), tick=False) as clock:
        sign_in(api_client, user, "JO")
        clock.shift(timedelta(minutes=30))
        sign_in(api_client, user, "US", user_agent=UA_PHONE)
    event = LoginEvent.objects.filter(successful=True).first()
    assert (event.country, event.user_agent, event.ip) == ("US", UA_PHONE, "198.51.100.40")
    assert incidents("new_country", user=user, country="US").exists()
    assert incidents("new_device", user=user).exists()
    assert incidents("impossible_travel", user=user).get().severity == "high"
    assert incidents("login_success", user=user).count() == 2
    notices = Notification.objects.filter(user=user, notification_type="SECURITY").values_list("message", flat=True)
    assert any("from US" in notice for notice in notices)
    assert any("device" in notice for notice in notices)


def test_wrong_password_feeds_failure_rules(api_client, user, trusted_proxy):
    for _ in range(5):
        response = api_client.post(
            "/auth/login/init/", {"email": user.email, "password": "nope-nope-nope"}, REMOTE_ADDR="198.51.100.41"
        )
        assert response.status_code == 401
    assert incidents("failed_login", user=user).count() == 5
    brute = incidents("brute_force").get()
    assert (brute.attempted_email, brute.ip, brute.user) == (user.email, "198.51.100.41", user)


def test_lockout_is_critical_once_until_unlocked(api_client, user, staff_client, settings, trusted_proxy):
    settings.AXES_FAILURE_LIMIT = 3
    ip = "198.51.100.42"

    def attempt(password="wrong-password-1"):
        return api_client.post("/auth/login/init/", {"email": user.email, "password": password}, REMOTE_ADDR=ip)

    assert [attempt().status_code for _ in range(3)] == [401, 401, 401]
    lockout = incidents("lockout").get()  # the third failure triggered the lockout
    assert (lockout.event, lockout.severity, lockout.ip, lockout.user) == ("User locked out", "critical", ip, user)
    locked = attempt(PASSWORD)
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    assert attempt(PASSWORD).status_code == 429
    assert incidents("lockout").count() == 1  # still the same lockout
    assert incidents("authz_locked_out", ip=ip).get().details["count"] == 2

    assert staff_client.post("/risk/axes/unlock-ip/", {"ip": ip}).status_code == 200
    assert attempt(PASSWORD).status_code == 200
    assert [attempt().status_code for _ in range(4)] == [401, 401, 401, 429]
    assert incidents("lockout").count() == 2  # a new lockout after the unlock
