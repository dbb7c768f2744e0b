from decimal import Decimal

import pytest

from api import money
from api.models import Biller, BillPayment, Transaction
from nexus.testing.money import make_account

D = Decimal


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        # API.md §1.3: credits round down at every step.
        ("100.00", "JOD", "USD", "141.00"),
        ("100.00", "USD", "JOD", "70.92"),  # 70.9219…
        ("100.00", "USD", "EUR", "92.90"),  # 70.92 × 1.31 = 92.9052
        ("100.00", "EUR", "JOD", "76.33"),  # 76.3358…
        ("200.00", "JOD", "EUR", "262.00"),
        ("100.00", "EUR", "USD", "107.62"),  # 76.33 × 1.41 = 107.6253
        ("0.02", "EUR", "JOD", "0.01"),  # 0.0152…
        ("0.01", "JOD", "EUR", "0.01"),  # 0.0131
        ("0.01", "USD", "JOD", "0.00"),  # 0.00709…: less than a cent is not credited
        ("12.34", "JOD", "JOD", "12.34"),
    ],
)
def test_credit_conversion_rounds_down(amount, source, target, expected):
    assert money.convert(D(amount), source, target) == D(expected)
    assert money.convert(D(amount), source, target, money.CREDIT) == D(expected)


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        ("35.00", "JOD", "USD", "49.35"),  # exact: nothing to round
        ("100.00", "EUR", "JOD", "76.34"),  # 76.3358… up
        ("100.00", "EUR", "USD", "107.64"),  # 76.34 × 1.41 = 107.6394 up
        ("0.01", "USD", "JOD", "0.01"),
        ("12.34", "JOD", "JOD", "12.34"),
    ],
)
def test_debit_conversion_rounds_up(amount, source, target, expected):
    assert money.convert(D(amount), source, target, money.DEBIT) == D(expected)


def test_round_trip_of_two_cents_never_gains():
    """Issue 11 finding 9: half-up rounding paid 0.03 EUR back for 0.02 EUR."""
    jod = money.convert(D("0.02"), "EUR", "JOD")
    assert (jod, money.convert(jod, "JOD", "EUR")) == (D("0.01"), D("0.01"))


def test_rounding_is_half_up():
    assert money.quantize_money(D("0.125")) == D("0.13")
    assert money.quantize_money(D("2.675")) == D("2.68")
    assert money.external_fee(D("0.50")) == D("0.01")  # 0.005 → 0.01
    assert money.external_fee(D("0.49")) == D("0.00")


def test_quote_transfer_fee_only_for_external():
    assert money.quote_transfer("INTERNAL", D("100.00"), "JOD", "USD") == (D("0.00"), D("141.00"))
    assert money.quote_transfer("EXTERNAL", D("100.00"), "JOD", "USD") == (D("1.00"), D("141.00"))


def test_quote_bill_converts_and_splits():
    quote = money.quote_bill(D("35.00"), "JOD", "USD")
    assert quote == (D("49.35"), D("0.35"), D("34.65"))


def test_quote_bill_rounds_what_the_customer_pays_up():
    """A 10.00 USD bill paid from JOD costs 7.10 (7.0921… up): half-up would charge 7.09."""
    assert money.quote_bill(D("10.00"), "USD", "JOD") == (D("7.10"), D("0.10"), D("9.90"))
    assert money.quote_bill(D("100.00"), "EUR", "JOD").amount == D("76.34")


def _system(role, currency):
    return f"{role}-{currency}"


def test_cross_currency_external_legs_balance_per_currency():
    legs = money.transfer_legs(_system, "S", "JOD", "R", "USD", D("100.00"), D("1.00"), D("141.00"))
    assert sorted(legs) == sorted(
        [
            ("S", "JOD", D("-101.00")),
            ("R", "USD", D("141.00")),
            ("FEE_REVENUE-JOD", "JOD", D("1.00")),
            ("FX-JOD", "JOD", D("100.00")),
            ("FX-USD", "USD", D("-141.00")),
        ]
    )
    money.assert_balanced(legs)
    money.assert_balanced(money.reversal_legs(legs))


def test_bill_and_deposit_legs_balance():
    quote = money.quote_bill(D("35.00"), "JOD", "EUR")
    money.assert_balanced(money.bill_legs(_system, "A", "EUR", "B", "JOD", quote, D("35.00")))
    money.assert_balanced(money.deposit_legs(_system, "A", "USD", D("5.00")))


def test_unbalanced_legs_are_refused():
    with pytest.raises(ValueError):
        money.assert_balanced([money.Leg("A", "JOD", D("1.00")), money.Leg("B", "JOD", D("-0.99"))])


# --- Amounts in request bodies: exact whether a JSON string or a JSON number -------------------

INTERNAL = "/api/transfers/internal/"


@pytest.fixture
def two_accounts(user):
    return make_account(user, "JOD", "100.00"), make_account(user, "JOD")


def _post_raw(client, url, body):
    return client.post(url, data=body, content_type="application/json")


def _transfer_raw(client, accounts, amount_json):
    sender, receiver = accounts
    body = f'{{"sender_account": "{sender.pk}", "receiver_account": "{receiver.pk}", "amount": {amount_json}}}'
    return _post_raw(client, INTERNAL, body)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "amount_json",
    [
        "1.0000000000000000000001",  # issue 11 finding 9: read as 1.00 through float parsing
        '"1.0000000000000000000001"',
        "1.001",
        '"1.001"',
        "1.000",
        '"١٠٠"',  # Arabic-Indic digits: Decimal() alone would read 100
        '"１００"',  # full-width digits
        '"1e2"',
        "1e2",
        "1E-2",
        '"NaN"',
        "NaN",
        '"Infinity"',
        "-Infinity",
        '"0x10"',
        '"1_000"',
        "true",
        "[1]",
        '""',
        "null",
    ],
)
def test_inexact_or_foreign_amounts_are_a_400(user_client, two_accounts, amount_json):
    response = _transfer_raw(user_client, two_accounts, amount_json)
    assert response.status_code == 400, response.content
    assert response.json()["code"] == "validation_error"
    assert not Transaction.objects.filter(kind=Transaction.Kind.INTERNAL).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("amount_json", "expected"),
    [("12.34", "12.34"), ('"12.34"', "12.34"), ("12", "12.00"), ("12.5", "12.50"), ('" 7.10 "', "7.10"), ("0.01", "0.01")],
)
def test_exact_amounts_are_accepted_as_string_or_number(user_client, two_accounts, amount_json, expected):
    response = _transfer_raw(user_client, two_accounts, amount_json)
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == expected


@pytest.mark.django_db
def test_more_than_two_decimals_names_the_field(user_client, two_accounts):
    response = _transfer_raw(user_client, two_accounts, "1.0000000000000000000001")
    assert "no more than 2 decimal places" in response.json()["errors"]["amount"][0]


@pytest.mark.django_db
def test_deposit_amount_uses_the_same_field(staff_client, user):
    account = make_account(user, "JOD")
    url = f"/api/admin/accounts/{account.pk}/deposit/"
    assert _post_raw(staff_client, url, '{"amount": 5.001}').status_code == 400
    assert _post_raw(staff_client, url, '{"amount": "٥"}').status_code == 400
    response = _post_raw(staff_client, url, '{"amount": 5.25}')
    assert response.status_code == 201, response.json()
    assert response.json()["amount"] == "5.25"


@pytest.mark.django_db
def test_non_money_json_numbers_still_work(user_client, two_accounts):
    """Integer ids and page sizes are untouched by exact-decimal parsing."""
    sender, _ = two_accounts
    biller = Biller.objects.order_by("pk").first()
    response = _post_raw(
        user_client, "/api/bill/", f'{{"account": "{sender.pk}", "biller": {biller.pk}, "reference_number": "R1"}}'
    )
    assert response.status_code == 201, response.json()
    assert BillPayment.objects.get().biller_id == biller.pk
    assert user_client.get("/api/notifications/", {"page_size": 1}).status_code == 200


@pytest.mark.django_db
def test_an_id_with_a_fraction_is_a_400(user_client):
    response = _post_raw(user_client, "/api/transfers/confirm/", '{"transaction_id": 1.5, "otp_code": "123456"}')
    assert response.status_code == 400
    assert "transaction_id" in response.json()["errors"]
