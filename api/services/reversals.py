"""Staff reversals (API.md §7.4): post the exact opposite of a SUCCESS transaction's entries."""
from rest_framework.exceptions import NotFound

from api import money
from api import movement_rules as rules
from api.models import LedgerEntry, Transaction
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
    """``movement_rules.reversal_refusal`` on the locked rows (the bank's among them)."""
    deltas = money.account_deltas(legs)
    balances = {number: account.balance for number, account in locked.items()}
    roles = {number: account.system_role for number, account in locked.items()}
    refusal = rules.reversal_refusal(txn.status, deltas, balances, roles)
    if refusal is not None:
        raise _refusal_error(refusal, locked, deltas)
    if reason:
        txn.description = f"{txn.description} [reversed: {reason}]".strip()[:255]


def _refusal_error(refusal, locked, deltas):
    """The API's answer: the transaction's state, or the account that cannot give its share back."""
    if refusal.account is None:
        return BusinessError(refusal.code, "Only a successful transaction can be reversed.")
    account = locked[refusal.account]
    return BusinessError(
        refusal.code, f"Account {account.mask} cannot give back {-deltas[account.pk]:.2f} {account.currency}."
    )
