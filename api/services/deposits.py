"""Staff deposits (API.md §7.4): a ledger transfer from the treasury of the account's currency."""
from django.db import transaction
from django.utils import timezone
from rest_framework.exceptions import NotFound

from api import money, signals
from api.events import send_after_commit
from api.models import Account, Transaction
from api.services import ledger
from api.services.transfers import Outcome, check_not_frozen
from nexus.errors import IdempotencyConflict


def deposit(staff, account_number, amount, *, description="", idempotency_key=None, context=None) -> Outcome:
    """Credit a customer account with ``amount``; unknown or system accounts are 404."""
    account = Account.objects.filter(pk=account_number, is_system=False).first()
    if account is None:
        raise NotFound()
    return ledger.run_with_retries(
        lambda: _deposit(staff, account, amount, description, idempotency_key, context or {})
    )


def deposit_legs_of(txn):
    return money.deposit_legs(ledger.system_account_number, txn.receiver_account_id, txn.currency, txn.amount)


def _deposit(staff, account, amount, description, idempotency_key, context):
    with transaction.atomic():
        txn = Transaction(
            kind=Transaction.Kind.DEPOSIT,
            status=Transaction.Status.SUCCESS,
            initiated_by=staff,
            receiver_account=account,
            amount=amount,
            currency=account.currency,
            credited_amount=amount,
            credited_currency=account.currency,
            idempotency_key=idempotency_key,
            description=description or "",
            **context,
        )
        legs = deposit_legs_of(txn)
        locked = ledger.lock_accounts(leg.account for leg in legs)
        txn.receiver_account = locked[account.pk]
        check_not_frozen(txn.receiver_account)
        txn.completed_at = timezone.now()
        existing = ledger.insert_once(txn)
        if existing is not None:
            if (existing.kind, existing.receiver_account_id, existing.amount) != (txn.kind, account.pk, amount):
                raise IdempotencyConflict()
            return Outcome(existing, created=False)
        balances = ledger.post(txn, legs)
        txn.receiver_balance_after = balances[account.pk]
        txn.save(update_fields=["receiver_balance_after", "updated_at"])
        send_after_commit(signals.transaction_completed, transaction=txn)
        return Outcome(txn)
