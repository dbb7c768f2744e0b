"""Metrics from real API activity: formulas, rebuild equality, zeroed rows, errors, permissions."""
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from api.models import Biller, Transaction
from business.metrics.fold import fold
from business.models import MetricShard
from business.tests.support import ENDPOINTS, as_history, committed, get, local, login_event, snapshot
from nexus.testing.clients import client_for
from nexus.testing.factories import UserFactory
from nexus.testing.money import assert_ledger_ok, make_account
from risk.incidents import raise_incident
from risk.models import Incident

D = Decimal
pytestmark = pytest.mark.django_db
DAY = local(2026, 3, 11, 10)  # a Wednesday


@pytest.fixture
def world():
    """Customers and funded accounts, created a month before the day under test (their sign-ups not counted)."""
    with time_machine.travel(local(2026, 2, 1), tick=False):
        alice, bob = UserFactory(country="JO"), UserFactory(country="AE")
        staff = UserFactory(is_staff=True)
        accounts = {
            "a_jod": make_account(alice, "JOD", "5000.00"),
            "a_eur": make_account(alice, "EUR"),
            "a_usd": make_account(alice, "USD", "1000.00"),
            "b_jod": make_account(bob, "JOD", "20.00"),
            "b_usd": make_account(bob, "USD"),
        }
        as_history()
    return {"alice": alice, "bob": bob, "staff": staff, **accounts}


def _ok(response, status=201):
    assert response.status_code == status, response.json()
    return response.json()


def mixed_day(w):
    """Internal, external, cross-currency, failed, bill, reversal, logins, failed login, sign-ups, incident."""
    alice, bob, staff = client_for(w["alice"]), client_for(w["bob"]), client_for(w["staff"])
    internal = "/api/transfers/internal/"
    external = "/api/transfers/external/"
    _ok(internal_tx := alice.post(internal, {"sender_account": w["a_jod"].pk, "receiver_account": w["a_eur"].pk, "amount": "200.00"}))
    ext = _ok(alice.post(external, {"sender_account": w["a_jod"].pk, "receiver_account_number": w["b_jod"].pk, "amount": "100.00"}))
    _ok(alice.post(external, {"sender_account": w["a_jod"].pk, "receiver_account_number": w["b_usd"].pk, "amount": "300.00"}))
    _ok(alice.post(internal, {"sender_account": w["a_usd"].pk, "receiver_account": w["a_jod"].pk, "amount": "100.00"}))
    failed = bob.post(external, {"sender_account": w["b_jod"].pk, "receiver_account_number": w["a_jod"].pk, "amount": "400.00"})
    assert failed.status_code == 400 and failed.json()["code"] == "insufficient_funds"
    biller = Biller.objects.get(category="Electricity")
    _ok(alice.post("/api/bill/", {"account": w["a_usd"].pk, "biller": biller.pk, "reference_number": "REF-1"}))
    _ok(staff.post(f"/api/admin/transactions/{ext['id']}/reverse/", {"reason": "customer dispute"}), 200)
    for user in (w["alice"], w["bob"], w["alice"]):
        login_event(user)
    login_event(None, successful=False, email="mallory@example.com")
    with committed():
        UserFactory(country="SA")
        UserFactory(country="")
        raise_incident("test_rule", "Something odd", "low")
    return internal_tx


def test_mixed_day_formulas(world):
    with time_machine.travel(DAY, tick=False):
        mixed_day(world)
        staff_client = client_for(world["staff"])
        day = get(staff_client, "daily", date="2026-03-11")
    # Transfers: 200 JOD, 100 JOD (+1.00 fee, reversed later), 300 JOD (+3.00 fee, → USD), 100 USD = 70.92 JOD.
    assert day["total_transactions_success"] == 4
    assert day["total_transactions_failed"] == 1
    assert day["total_transactions_refunded"] == 1
    assert day["total_transferred_amount"] == "670.92"
    assert day["avg_transaction_value"] == "167.73"
    assert day["fee_revenue"] == "4.00"
    # Cross-currency: 200 JOD→EUR, 300 JOD→USD, 100 USD→JOD (70.92), and the USD-paid 35.00 JOD bill (49.35 USD → 35.00 JOD).
    assert day["fx_volume"] == "605.92"
    assert day["fx_spread_revenue"] == "1.82"  # 0.3% of 605.92 = 1.81776
    assert (day["bill_payments_count"], day["bill_payments_amount"], day["bill_commission_revenue"]) == (1, "35.00", "0.35")
    assert day["total_refunded_amount"] == "1.00"
    assert day["net_revenue"] == day["profit"] == "5.17"  # 4.00 + 0.35 + 1.82 - 1.00
    assert (day["active_users"], day["active_users_7d"], day["active_users_30d"]) == (2, 2, 2)
    assert (day["new_users"], day["failed_logins"]) == (2, 1)
    assert day["incidents"] == Incident.objects.count() >= 1  # ours plus whatever the risk rules raised
    assert day["metrics_by_type"] == {"transfer": 4, "bill_payment": 1}
    assert day["metrics_by_currency"]["USD"] == {"tx_count": 1, "amount": "100.00", "fee_revenue": "0.00"}
    assert day["metrics_by_region"]["JO"]["tx_count"] == 4
    assert day["metrics_by_region"]["SA"]["new_users"] == 1
    assert_ledger_ok()


def test_rebuild_equals_incremental(world):
    with time_machine.travel(DAY, tick=False):
        mixed_day(world)
        staff_client = client_for(world["staff"])
        before = snapshot(staff_client, DAY.date())
        assert MetricShard.objects.exists()
        call_command("rebuild_metrics", start="2026-03-11", end="2026-03-11", stdout=None)
        assert not MetricShard.objects.exists()
        after = snapshot(staff_client, DAY.date())
    assert before["daily"]["total_transactions_success"] == 4
    assert after == before


def test_folding_changes_no_figure(world):
    with time_machine.travel(DAY, tick=False):
        mixed_day(world)
        staff_client = client_for(world["staff"])
        before = snapshot(staff_client, DAY.date())
        assert fold(DAY.date()) > 0
        assert snapshot(staff_client, DAY.date()) == before


def test_otp_expiry_counts_as_failed_on_its_day(world):
    with time_machine.travel(DAY, tick=False):
        alice = client_for(world["alice"])
        pending = alice.post(
            "/api/transfers/external/",
            {"sender_account": world["a_jod"].pk, "receiver_account_number": world["b_jod"].pk, "amount": "900.00"},
        )
        assert pending.status_code == 202
    with time_machine.travel(local(2026, 3, 12, 9), tick=False):
        with committed():
            call_command("expire_pending_transfers", stdout=None)
        assert Transaction.objects.get(pk=pending.json()["id"]).status == "FAILED"
        staff_client = client_for(world["staff"])
        assert get(staff_client, "daily", date="2026-03-12")["total_transactions_failed"] == 1
        assert get(staff_client, "daily", date="2026-03-11")["total_transactions_failed"] == 0


def test_zeroed_rows_for_days_without_data(staff_client):
    day = get(staff_client, "daily", date="2019-05-04")
    assert day["id"] is None and day["date"] == "2019-05-04"
    assert day["total_transactions_success"] == 0 and day["net_revenue"] == "0.00" and day["fee_revenue"] == "0.00"
    assert day["metrics_by_region"] == day["metrics_by_type"] == day["metrics_by_currency"] == {}
    assert day["ai_insight"] is None
    assert get(staff_client, "active", date="2099-01-01") == {
        "date": "2099-01-01", "active_users": 0, "active_users_7d": 0, "active_users_30d": 0,
    }
    week = get(staff_client, "weekly", week="2019-05-04")
    assert (week["week_start"], week["week_end"], week["net_revenue"]) == ("2019-04-29", "2019-05-05", "0.00")
    month = get(staff_client, "monthly", month="2019-05-17")
    assert (month["month"], month["total_transactions_success"], month["profit"]) == ("2019-05-01", 0, "0.00")
    assert get(staff_client, "monthly", month="2019-05")["month"] == "2019-05-01"
    assert get(staff_client, "overview", date="2019-05-04")["daily"]["id"] is None


@pytest.mark.parametrize(
    "path,params",
    [
        ("daily", {"date": "2026-13-01"}),
        ("daily", {"date": "yesterday"}),
        ("daily", {"date_from": "2026/01/01"}),
        ("daily", {"date_to": "01-02-2026"}),
        ("weekly", {"week": "2026-W10"}),
        ("monthly", {"month": "March"}),
        ("countries", {"date": "2026-02-30"}),
        ("currencies", {"date": "x"}),
        ("active", {"date": "20260101"}),
        ("overview", {"date": "2026-1-1x"}),
    ],
)
def test_malformed_dates_are_400_naming_the_format(staff_client, path, params):
    response = staff_client.get(f"/business/{path}/", params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert "YYYY-MM" in body["detail"]
    assert list(body["errors"]) == list(params)


def test_non_staff_get_403_and_anonymous_401(user_client, api_client):
    for name in ENDPOINTS:
        assert user_client.get(f"/business/{name}/").status_code == 403
        assert api_client.get(f"/business/{name}/").status_code == 401
    for path, body in (("ai/advisor/", {"period_type": "daily", "date": "2026-01-01"}), ("ai/daily-insight/", {"date": "2026-01-01"})):
        response = user_client.post(f"/business/{path}", body, format="json")
        assert response.status_code == 403 and response.json()["code"] == "permission_denied"


def test_lists_are_paginated_newest_first(world, staff_client):
    as_history()
    for day in (9, 10, 11):
        with time_machine.travel(local(2026, 3, day), tick=False):
            login_event(world["alice"])
    body = get(staff_client, "daily")
    assert [row["date"] for row in body["results"]] == ["2026-03-11", "2026-03-10", "2026-03-09"]
    assert body["count"] == 3 and body["results"][0]["id"] is not None
    ranged = get(staff_client, "daily", date_from="2026-03-10", date_to="2026-03-10")
    assert [row["date"] for row in ranged["results"]] == ["2026-03-10"]
    assert [r["date"] for r in get(staff_client, "active")["results"]] == ["2026-03-11", "2026-03-10", "2026-03-09"]
    assert get(staff_client, "countries", country="jo")["results"][0]["country"] == "JO"
    overview = get(staff_client, "overview", date="2026-03-11")
    assert set(overview) == {"daily", "weekly", "monthly", "country", "currency", "active"}
    assert overview["monthly"][0]["month"] == "2026-03-01" and overview["monthly"][0]["active_users"] == 1
