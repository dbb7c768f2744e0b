"""One client address for throttles, axes, login events and incidents (issue 11, findings 6 and 7)."""
import runpy
from pathlib import Path

import pytest
from allauth.account.adapter import get_adapter
from axes.models import AccessAttempt

from nexus.testing.factories import PASSWORD
from risk.models import Incident, LoginEvent

pytestmark = pytest.mark.django_db

SOCKET = "10.0.0.5"  # the proxy, or the client itself on a direct connection
CLIENT = "203.0.113.7"
SETTINGS_FILE = Path(__file__).resolve().parent.parent / "settings.py"


def verify(client, email, **extra):
    return client.post("/auth/login/verify/", {"email": email, "code": "000000"}, REMOTE_ADDR=SOCKET, **extra)


def init(client, email, password="Wrong-password-1", **extra):
    return client.post("/auth/login/init/", {"email": email, "password": password}, REMOTE_ADDR=SOCKET, **extra)


def spoofed(n):
    return {"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}"}


@pytest.fixture
def trusted(settings):
    settings.TRUST_PROXY_HEADERS = True
    settings.TRUSTED_PROXY_COUNT = 1


def test_spoofed_forwarded_for_does_not_escape_the_login_throttle(api_client, user):
    statuses = [verify(api_client, user.email, **spoofed(n)).status_code for n in range(10)]
    assert 429 not in statuses[:5]
    assert statuses[5:] == [429] * 5


def test_behind_one_proxy_the_right_most_hop_is_the_client(api_client, user, trusted):
    # The left part is whatever the client sent; the proxy appended the real peer.
    hops = [{"HTTP_X_FORWARDED_FOR": f"198.51.100.{n}, {CLIENT}"} for n in range(6)]
    statuses = [verify(api_client, user.email, **extra).status_code for extra in hops]
    assert 429 not in statuses[:5] and statuses[5] == 429
    elsewhere = verify(api_client, user.email, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.8")
    assert elsewhere.status_code != 429


def test_behind_two_proxies_the_hop_before_the_outer_proxy_is_the_client(api_client, user, settings, trusted):
    settings.TRUSTED_PROXY_COUNT = 2
    init(api_client, user.email, HTTP_X_FORWARDED_FOR=f"198.51.100.9, {CLIENT}, 192.0.2.1")
    assert LoginEvent.objects.get().ip == CLIENT


def test_trusted_without_forwarded_for_is_the_socket_address(api_client, user, trusted):
    init(api_client, user.email)
    assert LoginEvent.objects.get().ip == SOCKET


@pytest.mark.parametrize(
    ("trust", "forwarded", "expected"),
    [(False, lambda n: f"198.51.100.{n}", SOCKET), (True, lambda n: f"198.51.100.{n}, {CLIENT}", CLIENT)],
    ids=["untrusted", "trusted"],
)
def test_lockout_login_events_and_incidents_share_the_address(api_client, user, settings, trust, forwarded, expected):
    settings.API_THROTTLING = False
    settings.TRUST_PROXY_HEADERS = trust
    settings.AXES_FAILURE_LIMIT = 3
    for n in range(3):
        assert init(api_client, user.email, HTTP_X_FORWARDED_FOR=forwarded(n)).status_code == 401
    locked = init(api_client, user.email, password=PASSWORD, HTTP_X_FORWARDED_FOR=forwarded(7))
    assert locked.status_code == 429 and locked.json()["code"] == "locked_out"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {expected}
    assert set(LoginEvent.objects.values_list("ip", flat=True)) == {expected}
    assert Incident.objects.filter(rule="lockout").get().ip == expected
    assert set(Incident.objects.values_list("ip", flat=True)) == {expected}


@pytest.mark.parametrize(("trust", "expected"), [(False, SOCKET), (True, CLIENT)])
def test_allauth_rate_limits_use_the_same_address(rf, settings, trust, expected):
    settings.TRUST_PROXY_HEADERS = trust
    request = rf.get("/", REMOTE_ADDR=SOCKET, HTTP_X_FORWARDED_FOR=f"198.51.100.1, {CLIENT}")
    assert get_adapter(request).get_client_ip(request) == expected


def _settings_with(monkeypatch, **env):
    """The settings module as it evaluates under ``env``."""
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(SETTINGS_FILE))


@pytest.mark.parametrize(("trust", "hsts"), [("false", False), ("true", True)])
def test_forwarded_proto_counts_only_from_a_trusted_proxy(api_client, settings, monkeypatch, trust, hsts):
    evaluated = _settings_with(monkeypatch, TRUST_PROXY_HEADERS=trust)
    settings.SECURE_PROXY_SSL_HEADER = evaluated.get("SECURE_PROXY_SSL_HEADER")
    response = api_client.get("/api/health/", HTTP_X_FORWARDED_PROTO="https")
    assert ("Strict-Transport-Security" in response.headers) is hsts


def test_proxy_count_below_one_is_refused(monkeypatch):
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        _settings_with(monkeypatch, TRUSTED_PROXY_COUNT="0")
