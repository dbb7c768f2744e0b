"""No sequence of conversions returns more than was sent (API.md §1.2; issue 11 finding 9).

With half-up rounding, EUR→JOD→EUR 0.02 paid back 0.03: a cent per cycle,
scriptable and fee-free. Credits now round down and bill debits up; these
properties hold for every amount a transfer may carry.
"""
from decimal import Decimal, localcontext
from itertools import permutations

import pytest
from django.conf import settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from api import money
from api.models import Account, Biller
from nexus.testing.money import assert_ledger_ok, balance, make_account, system_balance

D = Decimal
CURRENCIES = ("JOD", "USD", "EUR")
CENT = D("0.01")

# 0.01 … 10,000.00 (MAX_TRANSFER_AMOUNT), in cents.
amounts = st.integers(min_value=1, max_value=1_000_000).map(lambda cents: D(cents) * CENT)
pairs = st.sampled_from(list(permutations(CURRENCIES, 2)))
cycles = st.sampled_from(list(permutations(CURRENCIES, 3)))


def round_trip(amount, path):
    """Credit ``amount`` along ``path`` (currencies), back to the first one."""
    for source, target in zip(path, (*path[1:], path[0])):
        amount = money.convert(amount, source, target)
    return amount


def exact_value(amount, source, target):
    """``amount`` in ``target`` without any rounding (the reference the bank rounds against)."""
    units = {"JOD": D(1), **settings.FX_RATES}
    with localcontext(prec=50):
        return amount / units[source] * units[target]


# --- The money functions: fast, many examples -----------------------------------------------


@hypothesis_settings(max_examples=1000, deadline=None)
@given(amount=amounts, pair=pairs)
@example(amount=D("0.02"), pair=("EUR", "JOD"))  # the finding
def test_a_round_trip_never_returns_more_than_was_sent(amount, pair):
    assert round_trip(amount, pair) <= amount


@hypothesis_settings(max_examples=1000, deadline=None)
@given(amount=amounts, cycle=cycles)
def test_a_three_currency_cycle_never_returns_more_than_was_sent(amount, cycle):
    assert round_trip(amount, cycle) <= amount


@hypothesis_settings(max_examples=1000, deadline=None)
@given(amount=amounts, pair=pairs)
def test_a_credit_never_exceeds_and_a_debit_never_falls_short_of_the_exact_value(amount, pair):
    exact = exact_value(amount, *pair)
    assert money.convert(amount, *pair, money.CREDIT) <= exact <= money.convert(amount, *pair, money.DEBIT)
    # The remainder the bank keeps is a few cents at most (two rounded steps through JOD).
    assert money.convert(amount, *pair, money.DEBIT) - money.convert(amount, *pair, money.CREDIT) <= 3 * CENT


@pytest.mark.parametrize("pair", list(permutations(CURRENCIES, 2)))
def test_every_amount_under_twenty_never_gains(pair):
    """Exhaustive where the finding was: it counted 543 farmable amounts under 20.00."""
    gains = [cents for cents in range(1, 2001) if round_trip(D(cents) * CENT, pair) > D(cents) * CENT]
    assert gains == []


@hypothesis_settings(max_examples=1000, deadline=None)
@given(amount=amounts, pair=pairs)
def test_a_bill_always_balances_and_costs_at_least_its_value(amount, pair):
    biller_currency, account_currency = pair
    quote = money.quote_bill(amount, biller_currency, account_currency)
    assert exact_value(quote.amount, account_currency, biller_currency) >= amount
    legs = money.bill_legs(lambda role, cur: f"{role}-{cur}", "A", account_currency, "B", biller_currency, quote, amount)
    money.assert_balanced(legs)


# --- Through the API: internal transfers between one customer's accounts --------------------

API_EXAMPLES = hypothesis_settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture
def no_otp(settings):
    """Every amount up to the transfer maximum executes at once (no emailed code step)."""
    settings.HIGH_VALUE_THRESHOLD = settings.MAX_TRANSFER_AMOUNT


def send_along(client, accounts, amount):
    """Internal transfers A→B→…→A, each forwarding everything the previous one credited."""
    hops = list(zip(accounts, (*accounts[1:], accounts[0])))
    for sender, receiver in hops:
        if amount == 0:
            break  # less than a cent was credited: nothing left to send on
        response = client.post(
            "/api/transfers/internal/",
            {"sender_account": sender.pk, "receiver_account": receiver.pk, "amount": str(amount)},
        )
        if response.status_code == 400:
            # Credits 0.00, or converted above the per-transfer maximum: refused, the amount stays put.
            assert response.json()["code"] in {"validation_error", "limit_exceeded"}, response.json()
            break
        assert response.status_code == 201, response.json()
        amount = D(response.json()["credited_amount"])


def customer_total(accounts, currency):
    """The customer's money in ``currency``: the start account plus what was left on the way."""
    return sum(
        (exact_value(balance(a), a.currency, currency) for a in Account.objects.filter(pk__in=[a.pk for a in accounts])),
        D(0),
    )


# Forwarded amounts grow by up to the JOD→USD rate (1.41) on the way: starting at most at
# 7,000.00 keeps every hop within MAX_TRANSFER_AMOUNT, so a refusal never hides a gain.
api_amounts = st.integers(min_value=1, max_value=700_000).map(lambda cents: D(cents) * CENT)


@pytest.mark.django_db
@API_EXAMPLES
@given(amount=api_amounts, path=st.one_of(pairs, cycles))
@example(amount=D("0.02"), path=("EUR", "JOD"))
def test_round_trips_through_the_api_never_gain(user, user_client, no_otp, amount, path):
    accounts = [make_account(user, path[0], str(amount))] + [make_account(user, currency) for currency in path[1:]]
    send_along(user_client, accounts, amount)
    start = accounts[0]
    assert balance(start) <= amount
    assert customer_total(accounts, start.currency) <= amount
    assert_ledger_ok()


@pytest.mark.django_db
def test_a_foreign_bill_is_paid_rounded_up_over_http(user, user_client):
    """A 10.00 USD bill from a JOD account costs 7.10 (7.0921… up), not 7.09; the remainder stays with FX."""
    fx_usd_before = system_balance("FX", "USD")
    biller = Biller.objects.create(
        name="Overseas Hosting", category=Biller.Category.INTERNET, fixed_amount=D("10.00"), currency="USD",
        system_account=Account.objects.create(
            account_number="900000000499", type="USD", currency="USD", is_system=True, system_role="BILLER"
        ),
    )
    jod = make_account(user, "JOD", "100.00")
    response = user_client.post("/api/bill/", {"account": jod.pk, "biller": biller.pk, "reference_number": "H-1"})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["amount"], body["currency"], body["biller_amount"]) == ("7.10", "JOD", "10.00")
    assert balance(jod) == D("92.90")
    assert balance(biller.system_account) == D("9.90")
    assert system_balance("FX", "USD") == fx_usd_before - D("10.00")
    assert_ledger_ok()
