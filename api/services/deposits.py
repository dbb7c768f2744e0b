"""Staff deposits (API.md §7.4): a ledger transfer from the treasury of the account's currency."""
from rest_framework.exceptions import NotFound

from api import money
from api.models import Account, Transaction
from api.models.pipeline import Outcome, system_account_number
from api.services.transfers import check_not_frozen
from nexus.errors import IdempotencyConflict


def deposit(staff, account_number, amount, *, description="", idempotency_key=None, context=None) -> Outcome:
    """Credit a customer account with ``amount``; unknown or system accounts are 404."""
    account = Account.objects.filter(pk=account_number, is_system=False).first()
    if account is None:
        raise NotFound()
    txn = Transaction(
        kind=Transaction.Kind.DEPOSIT,
        status=Transaction.Status.SUCCESS,  # inserted settled by the pipeline; a refusal rolls it back
        initiated_by=staff,
        receiver_account=account,
        amount=amount,
        currency=account.currency,
        credited_amount=amount,
        credited_currency=account.currency,
        idempotency_key=idempotency_key,
        description=description or "",
        **(context or {}),
    )
    outcome = txn.execute(
        deposit_legs_of(txn),
        check=lambda txn, locked: check_not_frozen(txn.receiver_account),
        announce=("transaction_completed",),
    )
    existing = outcome.transaction
    if not outcome.created and (existing.kind, existing.receiver_account_id, existing.amount) != (
        Transaction.Kind.DEPOSIT, account.pk, amount
    ):
        raise IdempotencyConflict()
    return outcome


def deposit_legs_of(txn):
    return money.deposit_legs(system_account_number, txn.receiver_account_id, txn.currency, txn.amount)
