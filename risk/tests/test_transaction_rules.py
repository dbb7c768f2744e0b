"""Transaction rules (API.md §8.3): each fires at its threshold and not just under it."""
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.conf import settings

from api.models import Notification
from risk.rules.transactions import record_failed_transfer
from risk.tests.helpers import account, incidents, login_event, transfer

pytestmark = pytest.mark.django_db

LOCAL = ZoneInfo(settings.TIME_ZONE)
NOON = datetime(2026, 3, 10, 12, 0, tzinfo=LOCAL)


@pytest.fixture(autouse=True)
def _noon():
    """Daytime unless a test says otherwise, so the unusual-hour rule stays quiet."""
    with time_machine.travel(NOON, tick=False) as traveller:
        yield traveller


@pytest.fixture
def mine(user):
    return account(user)


@pytest.fixture
def savings(user):
    return account(user)


@pytest.fixture
def theirs(other_user):
    return account(other_user)


# --- large_transaction ---------------------------------------------------------------


def test_large_transaction_at_threshold(mine, savings, user):
    txn = transfer(mine, savings, "10000.00")
    incident = incidents("large_transaction").get()
    assert (incident.event, incident.severity, incident.user) == ("Large transaction above threshold", "medium", user)
    assert incident.details["transaction_id"] == txn.pk
    assert incident.details["amount"] == "10000.00"
    assert incident.details["sender_account"] == mine.pk
    assert incident.details["receiver_account"] == savings.pk
    assert (incident.ip, incident.country) == ("198.51.100.7", "JO")


def test_just_under_large(mine, savings):
    transfer(mine, savings, "9999.99")
    assert not incidents("large_transaction").exists()


# --- unusual_size --------------------------------------------------------------------


def test_unusual_size_five_times_the_average(mine, savings, _noon):
    transfer(mine, savings, "100.00")
    transfer(mine, savings, "100.00")
    _noon.shift(timedelta(minutes=30))
    transfer(mine, savings, "500.00")
    incident = incidents("unusual_size").get()
    assert (incident.event, incident.severity) == ("Unusual transaction size", "medium")
    assert incident.details["average_jod"] == "100.00"


def test_just_under_unusual_size(mine, savings):
    transfer(mine, savings, "100.00")
    transfer(mine, savings, "499.99")
    assert not incidents("unusual_size").exists()


def test_unusual_size_needs_history(mine, savings):
    transfer(mine, savings, "5000.00")
    assert not incidents("unusual_size").exists()


def test_unusual_size_ignores_history_older_than_lookback(mine, savings, _noon):
    transfer(mine, savings, "10.00")
    _noon.shift(timedelta(days=settings.RISK_UNUSUAL_SIZE_LOOKBACK_DAYS, minutes=1))
    transfer(mine, savings, "100.00")
    assert not incidents("unusual_size").exists()


# --- first_beneficiary ---------------------------------------------------------------


def test_first_beneficiary_only_once(mine, theirs):
    transfer(mine, theirs, "50.00")
    incident = incidents("first_beneficiary").get()
    assert (incident.event, incident.severity) == ("First transfer to new beneficiary", "medium")
    transfer(mine, theirs, "50.00")
    assert incidents("first_beneficiary").count() == 1


def test_internal_transfer_is_no_beneficiary(mine, savings):
    transfer(mine, savings, "50.00")
    assert not incidents("first_beneficiary").exists()


# --- rapid_transfers -----------------------------------------------------------------


def test_rapid_transfers_five_in_five_minutes_once(mine, savings, _noon):
    for _ in range(4):
        transfer(mine, savings, "10.00")
        _noon.shift(timedelta(seconds=70))
    assert not incidents("rapid_transfers").exists()
    transfer(mine, savings, "10.00")  # 4 min 40 s after the first
    incident = incidents("rapid_transfers").get()
    assert (incident.event, incident.severity) == ("Multiple transfers in short window", "medium")
    assert incident.details["transfer_count"] == 5
    transfer(mine, savings, "10.00")
    assert incidents("rapid_transfers").count() == 1


def test_rapid_transfers_spread_over_more_than_five_minutes(mine, savings, _noon):
    for _ in range(5):
        transfer(mine, savings, "10.00")
        _noon.shift(timedelta(seconds=76))  # the fifth comes 5 min 4 s after the first
    assert not incidents("rapid_transfers").exists()


# --- velocity ------------------------------------------------------------------------


def test_velocity_ten_transfers(mine, savings, _noon, user):
    for _ in range(9):
        transfer(mine, savings, "10.00")
        _noon.shift(timedelta(seconds=90))
    assert not incidents("velocity").exists()
    transfer(mine, savings, "10.00")
    incident = incidents("velocity").get()
    assert (incident.event, incident.severity) == ("Suspicious transaction velocity", "high")
    assert incident.details["transfer_count"] == 10
    assert Notification.objects.filter(user=user, notification_type="SECURITY").exists()
    transfer(mine, savings, "10.00")
    assert incidents("velocity").count() == 1


def test_velocity_total_amount(mine, savings, _noon):
    for _ in range(4):
        transfer(mine, savings, "10000.00")
        _noon.shift(timedelta(minutes=3))
    transfer(mine, savings, "9999.99")
    assert not incidents("velocity").exists()  # 49,999.99
    _noon.shift(timedelta(minutes=1))
    transfer(mine, savings, "0.01")
    assert incidents("velocity").get().details["total_jod"] == "50000.00"


def test_velocity_converts_to_jod(user, savings, _noon):
    usd = account(user, currency="USD")
    for _ in range(5):
        transfer(usd, savings, "10000.00")  # 7,092.20 JOD each
    assert not incidents("velocity").exists()


# --- unusual_hour_txn ----------------------------------------------------------------


def test_transaction_at_unusual_hour(mine, savings, _noon):
    _noon.move_to(datetime(2026, 3, 11, 4, 59, tzinfo=LOCAL))
    transfer(mine, savings)
    assert incidents("unusual_hour_txn").get().severity == "low"


def test_transaction_at_five_is_usual(mine, savings, _noon):
    _noon.move_to(datetime(2026, 3, 11, 5, 0, tzinfo=LOCAL))
    transfer(mine, savings)
    assert not incidents("unusual_hour_txn").exists()


# --- blacklisted_ip ------------------------------------------------------------------


def test_blacklisted_ip(mine, savings, settings):
    settings.RISK_BLACKLISTED_IPS = ["203.0.113.66"]
    transfer(mine, savings, ip="203.0.113.66")
    incident = incidents("blacklisted_ip").get()
    assert (incident.event, incident.severity, incident.ip) == ("Transaction from blacklisted IP", "high", "203.0.113.66")
    transfer(mine, savings, ip="203.0.113.67")
    assert incidents("blacklisted_ip").count() == 1


# --- anonymizer ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "meta",
    [{"via": "1.1 tor-relay.example"}, {"via": "1.1 NordVPN"}, {"x_tor_exit": "1"}, {"x_tor_exit": "tor exit node"}],
)
def test_anonymizer(mine, savings, meta):
    transfer(mine, savings, meta=meta)
    assert incidents("anonymizer").get().event == "Transaction via anonymizer (Tor/VPN)"


@pytest.mark.parametrize("meta", [{"via": "1.1 varnish, 1.1 google"}, {"via": "1.0 monitor.store"}, {"x_tor_exit": "0"}, {}])
def test_ordinary_proxy_is_no_anonymizer(mine, savings, meta):
    transfer(mine, savings, meta=meta)
    assert not incidents("anonymizer").exists()


# --- new_country_txn -----------------------------------------------------------------


def test_new_country_after_recent_login(user, mine, savings, _noon):
    login_event(user, country="JO")
    _noon.shift(timedelta(hours=1, minutes=59))
    transfer(mine, savings, country="RU")
    incident = incidents("new_country_txn").get()
    assert (incident.event, incident.severity, incident.country) == (
        "Transaction from new country after login", "high", "RU",
    )
    assert incident.details["login_country"] == "JO"


def test_no_new_country_when_login_is_old(user, mine, savings, _noon):
    login_event(user, country="JO")
    _noon.shift(timedelta(hours=settings.RISK_NEW_COUNTRY_TXN_HOURS, seconds=1))
    transfer(mine, savings, country="RU")
    assert not incidents("new_country_txn").exists()


def test_no_new_country_from_login_country(user, mine, savings):
    login_event(user, country="JO")
    transfer(mine, savings, country="JO")
    transfer(mine, savings, country="")
    assert not incidents("new_country_txn").exists()


# --- failed_transfer -----------------------------------------------------------------


def test_failed_transfer(mine, savings):
    transfer(mine, savings, status="FAILED", failure_reason="insufficient_funds")
    incident = incidents("failed_transfer").get()
    assert (incident.event, incident.severity) == ("Failed transfer attempt", "medium")
    assert incident.details["reason"] == "insufficient_funds"


def test_successful_transfer_is_no_failure(mine, savings):
    transfer(mine, savings)
    transfer(mine, savings, status="PENDING_OTP")
    assert not incidents("failed_transfer").exists()


def test_record_failed_transfer_without_transaction(user):
    from decimal import Decimal

    record_failed_transfer(user, {"ip": "198.51.100.3", "country": "JO"}, "limit_exceeded", {"amount": Decimal("20000.00")})
    incident = incidents("failed_transfer").get()
    assert (incident.user, incident.ip, incident.country) == (user, "198.51.100.3", "JO")
    assert incident.details == {"reason": "limit_exceeded", "amount": "20000.00"}


def test_rules_ignore_non_transfers(mine, savings):
    transfer(mine, savings, "10000.00", kind="DEPOSIT")
    assert not incidents("large_transaction").exists()
