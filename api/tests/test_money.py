from decimal import Decimal

import pytest

from api import money

D = Decimal


@pytest.mark.parametrize(
    ("amount", "source", "target", "expected"),
    [
        ("100.00", "JOD", "USD", "141.00"),
        ("100.00", "USD", "JOD", "70.92"),
        ("100.00", "USD", "EUR", "92.91"),
        ("100.00", "EUR", "JOD", "76.34"),
        ("200.00", "JOD", "EUR", "262.00"),
        ("100.00", "EUR", "USD", "107.64"),  # 76.34 × 1.41 = 107.6394
        ("0.01", "USD", "JOD", "0.01"),  # 0.00709 → 0.01 half-up
        ("12.34", "JOD", "JOD", "12.34"),
    ],
)
def test_convert_examples(amount, source, target, expected):
    assert money.convert(D(amount), source, target) == D(expected)


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
