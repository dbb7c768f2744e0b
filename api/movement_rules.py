"""The rules that decide a money movement (API.md §5.1 rules 3–7, §7.4), written once as pure functions.

Each takes the facts it needs — amounts, balances, today's outgoing total,
whether the accounts are active — and returns a ``Refusal`` or None: no
database, no exceptions. The services raise a refusal as the API's
BusinessError under the row locks of ``Transaction.execute``
(``api.services.transfers.refuse``); the demo seeder applies the same
functions to its in-memory balances, so the seeded data and the API cannot
decide differently (business/tests/test_demo_seed.py replays one through the
other).
"""
from typing import NamedTuple

from django.conf import settings

from api.models.accounts import Account
from api.models.choices import TransactionKind, TransactionStatus

FROZEN = "account_frozen"
OVER_LIMIT = "limit_exceeded"
OVER_DAILY_LIMIT = "daily_limit_exceeded"
INSUFFICIENT_FUNDS = "insufficient_funds"
INVALID_STATE = "invalid_state"


class Refusal(NamedTuple):
    code: str  # the API's business code
    account: str | None = None  # the account that cannot give, when one account decides


def frozen(*active):
    """Rule 4: a frozen account (``is_active`` False) neither sends nor receives."""
    return None if all(active) else Refusal(FROZEN)


def over_transfer_limit(amount):
    """Rule 5: one transfer moves at most ``MAX_TRANSFER_AMOUNT``."""
    return Refusal(OVER_LIMIT) if amount > settings.MAX_TRANSFER_AMOUNT else None


def over_daily_limit(outgoing_today, amount):
    """Rule 6: today's SUCCESS outgoing amounts (fees excluded) plus this one stay within ``DAILY_TRANSFER_LIMIT``."""
    return Refusal(OVER_DAILY_LIMIT) if outgoing_today + amount > settings.DAILY_TRANSFER_LIMIT else None


def short_of_funds(balance, debit):
    """Rule 7: the account holds what it is debited."""
    return Refusal(INSUFFICIENT_FUNDS) if balance < debit else None


def transfer_refusal(amount, fee, balance, outgoing_today, active=(True, True)):
    """Rules 4–7 for a transfer, in the API's order (``active``: sender's and receiver's)."""
    return (
        frozen(*active)
        or over_transfer_limit(amount)
        or over_daily_limit(outgoing_today, amount)
        or short_of_funds(balance, amount + fee)
    )


def bill_refusal(amount, balance, outgoing_today, active=True):
    """Rules 4, 6 and 7 for a bill: a bill has no per-payment limit."""
    return frozen(active) or over_daily_limit(outgoing_today, amount) or short_of_funds(balance, amount)


def is_recorded(code):
    """Only rule 7 leaves a FAILED transaction behind; the other refusals are rolled back, nothing recorded."""
    return code == INSUFFICIENT_FUNDS


def needs_code(amount):
    """A transfer above ``HIGH_VALUE_THRESHOLD`` waits for an emailed code (PENDING_OTP) before it moves."""
    return amount > settings.HIGH_VALUE_THRESHOLD


def credits_nothing(credited):
    """Conversions round down: a transfer that would credit 0.00 is refused, never posted."""
    return credited <= 0


def transfer_kind(same_customer):
    """Between one customer's own accounts a transfer is INTERNAL; to anyone else's, EXTERNAL."""
    return TransactionKind.INTERNAL if same_customer else TransactionKind.EXTERNAL


def reversal_refusal(status, deltas, balances, roles):
    """§7.4: only a SUCCESS transaction is reversed, and only if no account that must stay non-negative goes below zero.

    ``deltas``: the reversal's net change per account; ``balances`` and
    ``roles`` map account numbers to their balance and system role (None for
    a customer's). The bank's treasury and FX accounts may go negative.
    """
    if status != TransactionStatus.SUCCESS or not deltas:
        return Refusal(INVALID_STATE)
    for number, delta in deltas.items():
        if roles.get(number) not in Account.ROLES_ALLOWED_NEGATIVE and balances[number] + delta < 0:
            return Refusal(INSUFFICIENT_FUNDS, number)
    return None
