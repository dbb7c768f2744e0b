"""Staff reversals (API.md §7.4): post the exact opposite of a SUCCESS transaction's entries."""
from rest_framework.exceptions import NotFound

from api import money
from api.models import Account, LedgerEntry, Transaction
from nexus.errors import BusinessError


def reverse_transaction(transaction_id, *, reason=""):
    """Unwind every leg (receiver, sender incl. fee, fee and FX accounts); return the transaction."""
    txn = Transaction.objects.filter(pk=transaction_id).first()
    if txn is None:
        raise NotFound()
    original = [
        money.Leg(account, currency, amount)
        for account, currency, amount in LedgerEntry.objects.filter(
            transaction_id=transaction_id, is_reversal=False
        ).values_list("account_id", "currency", "amount")
    ]
    legs = money.reversal_legs(original)
    txn.execute(
        legs,
        check=lambda txn, locked: _check(txn, locked, legs, reason),
        announce=("transaction_reversed",),
        include_bank=True,
        reversal=True,
    )
    return Transaction.objects.select_related("sender_account", "receiver_account").get(pk=txn.pk)


def _check(txn, locked, legs, reason):
    """Only a SUCCESS transaction, and no account that must stay non-negative may go below zero."""
    if txn.status != Transaction.Status.SUCCESS or not legs:
        raise BusinessError("invalid_state", "Only a successful transaction can be reversed.")
    for number, delta in money.account_deltas(legs).items():
        account = locked[number]
        if account.system_role in Account.ROLES_ALLOWED_NEGATIVE:
            continue
        if account.balance + delta < 0:
            raise BusinessError(
                "insufficient_funds", f"Account {account.mask} cannot give back {-delta:.2f} {account.currency}."
            )
    if reason:
        txn.description = f"{txn.description} [reversed: {reason}]".strip()[:255]
