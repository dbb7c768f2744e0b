"""Transfers through the API (API.md §5): exact balances, fees, FX, each rule and error code."""
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from api.models import LedgerEntry, Transaction
from nexus.testing.clients import client_for
from nexus.testing.money import assert_ledger_ok, balance, make_account, system_balance
from nexus.testing.responses import assert_error

D = Decimal
INTERNAL = "/api/transfers/internal/"
EXTERNAL = "/api/transfers/external/"
pytestmark = pytest.mark.django_db


@pytest.fixture
def jod(user):
    return make_account(user, "JOD", "1000.00")


@pytest.fixture
def jod2(user):
    return make_account(user, "JOD")


@pytest.fixture
def eur(user):
    return make_account(user, "EUR")


@pytest.fixture
def theirs(other_user):
    return make_account(other_user, "JOD", "50.00")


def internal(client, sender, receiver, amount, **extra):
    return client.post(
        INTERNAL, {"sender_account": sender.pk, "receiver_account": receiver.pk, "amount": amount, **extra}
    )


def external(client, sender, receiver_number, amount, **extra):
    return client.post(
        EXTERNAL, {"sender_account": sender.pk, "receiver_account_number": receiver_number, "amount": amount, **extra}
    )


def test_internal_same_currency(user_client, jod, jod2):
    response = internal(user_client, jod, jod2, "250.50")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "SUCCESS"
    assert body["kind"] == "INTERNAL"
    assert (body["amount"], body["fee_amount"], body["credited_amount"]) == ("250.50", "0.00", "250.50")
    assert (body["sender_balance_after"], body["receiver_balance_after"]) == ("749.50", "250.50")
    assert body["sender_account_number"] == jod.pk and body["receiver_account_number"] == jod2.pk
    assert body["otp_expires_at"] is None
    assert (balance(jod), balance(jod2)) == (D("749.50"), D("250.50"))
    assert Transaction.objects.get(pk=body["id"]).completed_at is not None
    assert_ledger_ok()


def test_internal_cross_currency_goes_through_fx(user_client, jod, eur):
    fx_jod, fx_eur = system_balance("FX", "JOD"), system_balance("FX", "EUR")
    response = internal(user_client, jod, eur, 200)
    assert response.status_code == 201
    assert response.json()["credited_amount"] == "262.00"
    assert response.json()["credited_currency"] == "EUR"
    assert (balance(jod), balance(eur)) == (D("800.00"), D("262.00"))
    assert system_balance("FX", "JOD") == fx_jod + D("200.00")
    assert system_balance("FX", "EUR") == fx_eur - D("262.00")
    assert LedgerEntry.objects.filter(transaction_id=response.json()["id"]).count() == 4
    assert_ledger_ok()


def test_external_fee_same_currency(user_client, other_client, jod, theirs):
    fees = system_balance("FEE_REVENUE", "JOD")
    response = external(user_client, jod, theirs.pk, "100.00")
    assert response.status_code == 201
    body = response.json()
    assert (body["fee_amount"], body["credited_amount"]) == ("1.00", "100.00")
    assert body["sender_balance_after"] == "899.00"
    assert body["receiver_balance_after"] is None  # the caller does not own the receiver
    assert (balance(jod), balance(theirs)) == (D("899.00"), D("150.00"))
    assert system_balance("FEE_REVENUE", "JOD") == fees + D("1.00")
    seen_by_receiver = other_client.get(f"/api/transfers/{body['id']}/").json()
    assert seen_by_receiver["sender_balance_after"] is None
    assert seen_by_receiver["receiver_balance_after"] == "150.00"
    assert_ledger_ok()


def test_external_cross_currency(user_client, jod, other_user):
    usd = make_account(other_user, "USD")
    response = external(user_client, jod, usd.pk, "100.00")
    assert response.status_code == 201
    assert response.json()["credited_amount"] == "141.00"
    assert (balance(jod), balance(usd)) == (D("899.00"), D("141.00"))
    assert_ledger_ok()


@pytest.mark.parametrize("kind", ["internal", "external"])
def test_conversion_crediting_nothing_is_refused(user, user_client, other_user, kind):
    usd = make_account(user, "USD", "10.00")
    jod = make_account(user if kind == "internal" else other_user, "JOD")
    send = internal if kind == "internal" else lambda c, s, r, a: external(c, s, r.pk, a)
    response = send(user_client, usd, jod, "0.01")
    assert response.status_code == 400, response.json()
    body = response.json()
    assert body["code"] == "validation_error"
    assert "0.00 JOD" in body["errors"]["amount"][0]
    assert not Transaction.objects.filter(sender_account=usd).exists()
    assert (balance(usd), balance(jod)) == (D("10.00"), D("0.00"))
    assert send(user_client, usd, jod, "0.02").status_code == 201  # 0.02 USD credits 0.01 JOD
    assert_ledger_ok()


def test_usd_to_eur_pivots_through_jod(user, user_client, eur):
    """API.md §1.3: 100 ÷ 1.41 = 70.92 (down); 70.92 × 1.31 = 92.9052 → 92.90 (down)."""
    usd = make_account(user, "USD", "100.00")
    response = internal(user_client, usd, eur, "100.00")
    assert response.json()["credited_amount"] == "92.90"
    assert (balance(usd), balance(eur)) == (D("0.00"), D("92.90"))
    assert_ledger_ok()


@pytest.mark.parametrize("amount", ["0", "0.00", "-5", "10.001", "abc", "NaN", "", "1e400"])
def test_rule1_bad_amounts(user_client, jod, jod2, amount):
    response = internal(user_client, jod, jod2, amount)
    assert response.status_code == 400
    assert response.json()["code"] == "validation_error"
    assert "amount" in response.json()["errors"]
    assert not Transaction.objects.filter(kind="INTERNAL").exists()


def test_rule2_sender_must_be_callers(user_client, jod, theirs):
    foreign = internal(user_client, theirs, jod, "10.00")
    missing = user_client.post(
        INTERNAL, {"sender_account": "123456789012", "receiver_account": jod.pk, "amount": "10.00"}
    )
    assert foreign.status_code == missing.status_code == 400
    assert foreign.json()["errors"]["sender_account"] == missing.json()["errors"]["sender_account"]
    assert balance(theirs) == D("50.00")


def test_rule3_same_account(user_client, jod):
    response = internal(user_client, jod, jod, "10.00")
    assert response.status_code == 400
    assert response.json()["code"] == "same_account"


def test_internal_receiver_must_be_callers(user_client, jod, theirs):
    response = internal(user_client, jod, theirs, "10.00")
    assert response.status_code == 400
    assert "receiver_account" in response.json()["errors"]


def test_external_receiver_unknown_or_system_share_one_message(user_client, jod):
    messages = set()
    for number in ["123456789012", "900000000201"]:
        response = external(user_client, jod, number, "10.00")
        assert response.status_code == 400
        assert response.json()["code"] == "validation_error"
        messages.add(tuple(response.json()["errors"]["receiver_account_number"]))
    assert messages == {("Receiver account not found.",)}
    assert balance(jod) == D("1000.00")


def test_external_transfer_to_an_own_account_points_to_internal(user_client, jod, jod2):
    """Only the caller's own accounts get this message, so it reveals nothing."""
    response = external(user_client, jod, jod2.pk, "10.00")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "validation_error"
    assert "internal transfer" in body["errors"]["receiver_account_number"][0]
    assert balance(jod) == D("1000.00")


@pytest.mark.parametrize("frozen_side", ["sender", "receiver"])
def test_rule4_frozen_accounts(user_client, jod, theirs, frozen_side):
    frozen = jod if frozen_side == "sender" else theirs
    frozen.is_active = False
    frozen.save(update_fields=["is_active"])
    response = external(user_client, jod, theirs.pk, "10.00")
    assert response.status_code == 400
    assert response.json()["code"] == "account_frozen"
    assert response.json()["detail"] == "Frozen accounts can neither send nor receive"
    assert (balance(jod), balance(theirs)) == (D("1000.00"), D("50.00"))


def test_rule4_is_checked_before_rule5(user_client, jod, jod2):
    jod2.is_active = False
    jod2.save(update_fields=["is_active"])
    assert internal(user_client, jod, jod2, "10000.01").json()["code"] == "account_frozen"


def test_rule5_limit(user, user_client, jod2):
    rich = make_account(user, "JOD", "20000.00")
    over = internal(user_client, rich, jod2, "10000.01")
    assert over.status_code == 400 and over.json()["code"] == "limit_exceeded"
    at_limit = internal(user_client, rich, jod2, "10000.00")
    assert at_limit.status_code == 202  # allowed, awaits the emailed code
    assert balance(rich) == D("20000.00")


def test_rule6_daily_limit_boundary(settings, user, user_client, jod2, theirs):
    settings.DAILY_TRANSFER_LIMIT = D("1000.00")
    sender = make_account(user, "JOD", "2000.00")
    assert internal(user_client, sender, jod2, "500.00").status_code == 201
    assert external(user_client, sender, theirs.pk, "500.00").status_code == 201  # fee 5.00 does not count
    over = internal(user_client, sender, jod2, "0.01")
    assert over.status_code == 400 and over.json()["code"] == "daily_limit_exceeded"
    assert balance(sender) == D("995.00")
    assert_ledger_ok()


def test_rule6_limit_resets_next_business_day(settings, user, jod2):
    settings.DAILY_TRANSFER_LIMIT = D("500.00")
    sender = make_account(user, "JOD", "600.00")
    day = timezone.localtime() + timezone.timedelta(days=1)
    with time_machine.travel(day.replace(hour=23, minute=50), tick=False):
        client = client_for(user)
        assert internal(client, sender, jod2, "500.00").status_code == 201
        assert internal(client, sender, jod2, "0.01").json()["code"] == "daily_limit_exceeded"
    with time_machine.travel((day + timezone.timedelta(days=1)).replace(hour=0, minute=10), tick=False):
        assert internal(client_for(user), sender, jod2, "100.00").status_code == 201
    assert balance(sender) == D("0.00")


def test_rule6_a_reversal_gives_back_its_days_allowance(settings, user, user_client, staff_client, jod2):
    settings.DAILY_TRANSFER_LIMIT = D("500.00")
    sender = make_account(user, "JOD", "1000.00")
    first = internal(user_client, sender, jod2, "400.00").json()["id"]
    assert internal(user_client, sender, jod2, "100.01").json()["code"] == "daily_limit_exceeded"
    assert staff_client.post(f"/api/admin/transactions/{first}/reverse/", {}, format="json").status_code == 200
    assert internal(user_client, sender, jod2, "500.00").status_code == 201
    assert internal(user_client, sender, jod2, "0.01").json()["code"] == "daily_limit_exceeded"
    assert balance(sender) == D("500.00")
    assert_ledger_ok()


def test_rule6_counts_todays_transactions_written_by_other_means(settings, user, user_client, jod2):
    """The running total is rebuilt from the day's transactions when the row holds another day's (e.g. seeded data)."""
    settings.DAILY_TRANSFER_LIMIT = D("500.00")
    sender = make_account(user, "JOD", "1000.00")
    Transaction.objects.create(
        kind="EXTERNAL", status="SUCCESS", initiated_by=user, sender_account=sender, receiver_account=jod2,
        amount=D("450.00"), currency="JOD", credited_amount=D("450.00"), credited_currency="JOD",
        completed_at=timezone.now(),
    )
    assert internal(user_client, sender, jod2, "50.01").json()["code"] == "daily_limit_exceeded"
    assert internal(user_client, sender, jod2, "50.00").status_code == 201
    assert internal(user_client, sender, jod2, "0.01").json()["code"] == "daily_limit_exceeded"


def test_rule7_insufficient_funds_records_failed_transaction(user_client, jod, theirs):
    response = external(user_client, jod, theirs.pk, "995.00", idempotency_key="k-1")  # needs 1004.95
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "insufficient_funds"
    failed = Transaction.objects.get(pk=body["transaction_id"])
    assert failed.status == "FAILED" and failed.failure_reason == "insufficient_funds"
    assert failed.completed_at is not None
    assert (failed.sender_balance_after, failed.receiver_balance_after) == (None, None)
    assert not failed.entries.exists()
    assert (balance(jod), balance(theirs)) == (D("1000.00"), D("50.00"))
    # The FAILED transaction holds the key.
    replay = external(user_client, jod, theirs.pk, "995.00", idempotency_key="k-1")
    assert replay.status_code == 200 and replay.json()["id"] == failed.pk
    assert_ledger_ok()


def test_refusals_record_nothing_and_leave_the_key_free(user_client, jod, jod2):
    assert internal(user_client, jod, jod2, "10000.01", idempotency_key="free").status_code == 400
    assert not Transaction.objects.filter(idempotency_key="free").exists()
    assert internal(user_client, jod, jod2, "10.00", idempotency_key="free").status_code == 201


def test_idempotent_replay_returns_original(user_client, jod, jod2):
    first = internal(user_client, jod, jod2, "100.00", idempotency_key="abc")
    again = internal(user_client, jod, jod2, "100", idempotency_key="abc")
    assert first.status_code == 201 and again.status_code == 200
    assert again.json() == first.json()
    assert balance(jod) == D("900.00")
    assert Transaction.objects.filter(idempotency_key="abc").count() == 1


def test_idempotency_conflict(user_client, jod, jod2, theirs):
    assert internal(user_client, jod, jod2, "100.00", idempotency_key="abc").status_code == 201
    for response in (
        internal(user_client, jod, jod2, "100.01", idempotency_key="abc"),
        internal(user_client, jod2, jod, "100.00", idempotency_key="abc"),
        external(user_client, jod, theirs.pk, "100.00", idempotency_key="abc"),
    ):
        assert response.status_code == 409
        assert response.json()["code"] == "idempotency_conflict"
    assert balance(jod) == D("900.00")


def test_keys_are_per_user(user_client, other_client, jod, jod2, other_user):
    theirs_a, theirs_b = make_account(other_user, "JOD", "100.00"), make_account(other_user, "JOD")
    mine = internal(user_client, jod, jod2, "10.00", idempotency_key="same")
    theirs = internal(other_client, theirs_a, theirs_b, "10.00", idempotency_key="same")
    assert (mine.status_code, theirs.status_code) == (201, 201), (mine.json(), theirs.json())
    assert mine.json()["id"] != theirs.json()["id"]
    assert (mine.json()["status"], theirs.json()["status"]) == ("SUCCESS", "SUCCESS")
    assert (balance(jod), balance(jod2)) == (D("990.00"), D("10.00"))
    assert (balance(theirs_a), balance(theirs_b)) == (D("90.00"), D("10.00"))


def test_idempotency_key_length(user_client, jod, jod2):
    too_long = assert_error(internal(user_client, jod, jod2, "1.00", idempotency_key="x" * 65), 400, "validation_error")
    assert "idempotency_key" in too_long["errors"]
    assert balance(jod) == D("1000.00")
    response = internal(user_client, jod, jod2, "1.00", idempotency_key="x" * 64)
    assert response.status_code == 201, response.json()
    assert (response.json()["amount"], response.json()["status"]) == ("1.00", "SUCCESS")
    assert (balance(jod), balance(jod2)) == (D("999.00"), D("1.00"))


def test_request_context_is_stored(user_client, jod, jod2):
    response = user_client.post(
        INTERNAL,
        {"sender_account": jod.pk, "receiver_account": jod2.pk, "amount": "1.00"},
        HTTP_VIA="1.1 tor-relay",
        HTTP_USER_AGENT="pytest-agent",
        REMOTE_ADDR="203.0.113.9",
    )
    txn = Transaction.objects.get(pk=response.json()["id"])
    assert txn.ip == "203.0.113.9"
    assert txn.request_meta["via"] == "1.1 tor-relay"
    assert txn.request_meta["user_agent"] == "pytest-agent"


def test_lists_filters_and_bola(user_client, other_client, jod, jod2, theirs):
    internal(user_client, jod, jod2, "1.00")
    internal(user_client, jod2, jod, "0.50")
    sent = external(user_client, jod, theirs.pk, "2.00").json()
    listed = user_client.get(INTERNAL).json()
    assert listed["count"] == 2
    assert listed["results"][0]["amount"] == "0.50"  # newest first
    assert user_client.get(EXTERNAL).json()["count"] == 1
    assert user_client.get(INTERNAL, {"account_number": jod2.pk, "status": "SUCCESS"}).json()["count"] == 2
    assert user_client.get(INTERNAL, {"status": "FAILED"}).json()["count"] == 0
    today = timezone.localdate().isoformat()
    assert user_client.get(INTERNAL, {"date_from": today, "date_to": today}).json()["count"] == 2
    assert user_client.get(INTERNAL, {"status": "nope"}).status_code == 400
    # The receiver sees the external transfer; a stranger does not.
    assert other_client.get(f"/api/transfers/{sent['id']}/").status_code == 200
    assert other_client.get(EXTERNAL).json()["count"] == 0
    mine = user_client.get(INTERNAL).json()["results"][0]["id"]
    assert other_client.get(f"/api/transfers/{mine}/").status_code == 404
    assert other_client.get("/api/transfers/999999/").status_code == 404


def test_statement(user_client, other_client, jod, jod2, theirs):
    internal(user_client, jod, jod2, "1.00")
    external(user_client, jod, theirs.pk, "2.00")
    statement = user_client.get(f"/api/accounts/{jod.pk}/transactions/").json()
    assert [row["kind"] for row in statement["results"]] == ["EXTERNAL", "INTERNAL", "DEPOSIT"]
    assert user_client.get(f"/api/accounts/{jod.pk}/transactions/", {"kind": "DEPOSIT"}).json()["count"] == 1
    assert other_client.get(f"/api/accounts/{jod.pk}/transactions/").status_code == 404
    assert user_client.get("/api/accounts/900000000101/transactions/").status_code == 404
    assert other_client.get(f"/api/accounts/{theirs.pk}/transactions/").json()["count"] == 2


def test_anonymous_is_401(api_client, jod, jod2):
    assert_error(internal(api_client, jod, jod2, "1.00"), 401, "not_authenticated")
    assert_error(api_client.get(INTERNAL), 401, "not_authenticated")
    assert balance(jod) == D("1000.00")


@pytest.mark.parametrize("limit", ["daily", "funds"])
def test_a_replay_answers_the_original_even_where_it_would_now_be_refused(settings, user_client, user, jod2, limit):
    """The key decides before the rules: on PostgreSQL the row is written after the checks (see pipeline.execute)."""
    sender = make_account(user, "JOD", "400.00")
    if limit == "daily":
        settings.DAILY_TRANSFER_LIMIT = D("300.00")
    first = internal(user_client, sender, jod2, "300.00", idempotency_key="once")
    assert first.status_code == 201, first.json()
    again = internal(user_client, sender, jod2, "300.00", idempotency_key="once")
    assert again.status_code == 200 and again.json() == first.json()
    assert Transaction.objects.filter(initiated_by=user).count() == 1
    assert (balance(sender), balance(jod2)) == (D("100.00"), D("300.00"))
    assert_ledger_ok()
