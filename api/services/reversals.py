"""Staff reversals (API.md §7.4): post the exact opposite of a SUCCESS transaction's entries."""
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound

from api import money, signals
from api.events import send_after_commit
from api.models import Account, LedgerEntry, Transaction
from api.services import ledger
from nexus.errors import BusinessError


def reverse_transaction(transaction_id, *, reason=""):
    """Unwind every leg (receiver, sender incl. fee, fee and FX accounts); return the transaction."""
    if not Transaction.objects.filter(pk=transaction_id).exists():
        raise NotFound()
    return ledger.run_with_retries(lambda: _reverse(transaction_id, reason))


def _reverse(transaction_id, reason):
    with transaction.atomic():
        original = [
            money.Leg(account, currency, amount)
            for account, currency, amount in LedgerEntry.objects.filter(
                transaction_id=transaction_id, is_reversal=False
            ).values_list("account_id", "currency", "amount")
        ]
        legs = money.reversal_legs(original)
        locked = ledger.lock_accounts((leg.account for leg in legs), include_bank=True)
        txn = Transaction.objects.select_for_update().get(pk=transaction_id)
        if txn.status != Transaction.Status.SUCCESS or not legs:
            raise BusinessError("invalid_state", "Only a successful transaction can be reversed.")
        _check_can_give_back(locked, legs)
        ledger.post(txn, legs, is_reversal=True)
        txn.status = Transaction.Status.REVERSED
        txn.reversed_at = timezone.now()
        if reason:
            txn.description = f"{txn.description} [reversed: {reason}]".strip()[:255]
        txn.save(update_fields=["status", "reversed_at", "description", "updated_at"])
        send_after_commit(signals.transaction_reversed, transaction=txn)
        return Transaction.objects.select_related("sender_account", "receiver_account").get(pk=txn.pk)


def _check_can_give_back(locked, legs):
    """No account that must stay non-negative may go below zero (nothing changes otherwise)."""
    for number, delta in money.account_deltas(legs).items():
        account = locked[number]
        if account.system_role in Account.ROLES_ALLOWED_NEGATIVE:
            continue
        if account.balance + delta < 0:
            raise BusinessError(
                "insufficient_funds", f"Account {account.mask} cannot give back {-delta:.2f} {account.currency}."
            )
