"""Money arithmetic: the one place where amounts are converted, rounded and split.

Everything here is pure (no database): the API services and the demo-data
seeder call the same functions, so both produce identical amounts and ledger
legs. Amounts are ``Decimal`` (API.md §1.2–1.3): fees and commissions round
half-up to 0.01; every conversion step rounds in the bank's favour — down for
an amount credited to a customer, up for an amount a customer pays for a fixed
amount in another currency — so no chain of conversions returns more than was
sent, and the remainder stays on the FX accounts.
"""
from collections import defaultdict
from decimal import ROUND_DOWN, ROUND_HALF_UP, ROUND_UP, Decimal
from typing import NamedTuple

from django.conf import settings

from api.models.choices import SystemRole, TransactionKind

CENT = Decimal("0.01")
ZERO = Decimal("0.00")

# The bank's accounts the leg builders ask ``system`` for.
TREASURY = SystemRole.TREASURY
FEE_REVENUE = SystemRole.FEE_REVENUE
FX = SystemRole.FX

# Conversion directions (Decimal rounding modes), named for whom they serve.
CREDIT = ROUND_DOWN  # the customer receives the converted amount
DEBIT = ROUND_UP  # the customer pays the converted amount for a fixed amount elsewhere


def quantize_money(value, rounding=ROUND_HALF_UP):
    """``value`` as a Decimal rounded to two places (half-up unless told otherwise)."""
    return Decimal(value).quantize(CENT, rounding=rounding)


def _units_per_base(currency):
    """Units of ``currency`` one base-currency unit (JOD) buys."""
    if currency == settings.BASE_CURRENCY:
        return Decimal(1)
    return settings.FX_RATES[currency]


def convert(amount, from_currency, to_currency, direction=CREDIT):
    """``amount`` in ``to_currency`` at the fixed rates of ``settings.FX_RATES``.

    Non-base pairs pivot through JOD and every step rounds in ``direction``
    (``CREDIT``: down, ``DEBIT``: up), as the contract prescribes:
    100.00 USD → 70.92 JOD → 92.90 EUR credited.
    """
    amount = Decimal(amount)
    if from_currency == to_currency:
        return quantize_money(amount, direction)
    base = settings.BASE_CURRENCY
    in_base = amount if from_currency == base else quantize_money(amount / _units_per_base(from_currency), direction)
    if to_currency == base:
        return in_base
    return quantize_money(in_base * _units_per_base(to_currency), direction)


def external_fee(amount):
    """The external-transfer fee in the sender's currency, on top of ``amount``."""
    return quantize_money(Decimal(amount) * settings.EXTERNAL_TRANSFER_FEE_RATE)


def bill_commission(amount):
    """The bank's share of a bill, in the biller's currency, taken out of the bill amount."""
    return quantize_money(Decimal(amount) * settings.BILL_COMMISSION_RATE)


class TransferQuote(NamedTuple):
    fee: Decimal  # sender's currency, charged on top of the amount
    credited: Decimal  # receiver's currency


class BillQuote(NamedTuple):
    amount: Decimal  # debited from the paying account, in its currency
    commission: Decimal  # biller's currency, to fee revenue
    biller_net: Decimal  # biller's currency, to the biller's account


class Leg(NamedTuple):
    """One ledger entry to post: signed ``amount`` (negative = debit) on an account.

    The leg builders below find the bank's accounts through their ``system``
    argument: ``system(role, currency) -> account number``.
    """

    account: str  # account number
    currency: str
    amount: Decimal


def quote_transfer(kind, amount, sender_currency, receiver_currency):
    """Fee and credited amount of an INTERNAL or EXTERNAL transfer of ``amount``."""
    amount = quantize_money(amount)
    fee = external_fee(amount) if kind == TransactionKind.EXTERNAL else ZERO
    return TransferQuote(fee=fee, credited=convert(amount, sender_currency, receiver_currency))


def quote_bill(biller_amount, biller_currency, account_currency):
    """What the account pays for a bill and how the biller's amount is split."""
    biller_amount = quantize_money(biller_amount)
    commission = bill_commission(biller_amount)
    return BillQuote(
        amount=convert(biller_amount, biller_currency, account_currency, DEBIT),
        commission=commission,
        biller_net=biller_amount - commission,
    )


def _fx_legs(system, amount, currency, credited, credited_currency):
    """Through the FX accounts: in at one currency, out at the other."""
    if currency == credited_currency:
        return []
    return [Leg(system(FX, currency), currency, amount), Leg(system(FX, credited_currency), credited_currency, -credited)]


def transfer_legs(system, sender, sender_currency, receiver, receiver_currency, amount, fee, credited):
    """Legs of an executed transfer (API.md §5.1 "Execution")."""
    legs = [Leg(sender, sender_currency, -(amount + fee)), Leg(receiver, receiver_currency, credited)]
    if fee:
        legs.append(Leg(system(FEE_REVENUE, sender_currency), sender_currency, fee))
    return legs + _fx_legs(system, amount, sender_currency, credited, receiver_currency)


def deposit_legs(system, account, currency, amount):
    """Legs of a deposit: out of the treasury of the account's currency."""
    return [Leg(system(TREASURY, currency), currency, -amount), Leg(account, currency, amount)]


def bill_legs(system, account, account_currency, biller_account, biller_currency, quote, biller_amount):
    """Legs of a bill: the account pays, the biller gets the net, fee revenue the commission."""
    legs = [
        Leg(account, account_currency, -quote.amount),
        Leg(biller_account, biller_currency, quote.biller_net),
    ]
    if quote.commission:
        legs.append(Leg(system(FEE_REVENUE, biller_currency), biller_currency, quote.commission))
    return legs + _fx_legs(system, quote.amount, account_currency, biller_amount, biller_currency)


def reversal_legs(legs):
    """The exact opposite of ``legs``."""
    return [Leg(leg.account, leg.currency, -leg.amount) for leg in legs]


def account_deltas(legs):
    """Net change per account number."""
    deltas = defaultdict(lambda: ZERO)
    for leg in legs:
        deltas[leg.account] += leg.amount
    return dict(deltas)


def assert_balanced(legs):
    """Refuse to post legs that do not sum to zero per currency (a programming error)."""
    totals = defaultdict(lambda: ZERO)
    for leg in legs:
        totals[leg.currency] += leg.amount
    unbalanced = {currency: total for currency, total in totals.items() if total != 0}
    if unbalanced:
        raise ValueError(f"Unbalanced ledger legs: {unbalanced}")
