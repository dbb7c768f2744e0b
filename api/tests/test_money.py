from decimal import Decimal

import pytest

from api import money

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
    """A 100.00 EUR bill paid from JOD costs 76.34 (76.3358… up), never 76.33."""
    assert money.quote_bill(D("100.00"), "EUR", "JOD") == (D("76.34"), D("1.00"), D("99.00"))


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
