"""Deleting a user: only one who never moved money; the ledger's records stay whole."""
from django.db import transaction
from django.db.models import Q

from api.models import Account, BillPayment, Transaction
from api.services.sessions import revoke_all_sessions
from nexus.errors import HasLedgerHistory


def has_ledger_history(user):
    """Any transfer, deposit, bill or staff action that names the user or one of their accounts."""
    accounts = Account.objects.filter(user=user)
    touches = Q(initiated_by=user) | Q(sender_account__in=accounts) | Q(receiver_account__in=accounts)
    return Transaction.objects.filter(touches).exists() or BillPayment.objects.filter(user=user).exists()


def delete_user(user):
    """Revoke the user's sessions and delete them with their unused accounts, or 409.

    A user with history is kept for the ledger and the audit trail; staff block
    (deactivate) such a user instead.
    """
    with transaction.atomic():
        # The locks keep a transfer from starting on these accounts meanwhile.
        type(user).objects.select_for_update().filter(pk=user.pk).first()
        list(Account.objects.select_for_update().filter(user=user))
        if has_ledger_history(user):
            raise HasLedgerHistory()
        revoke_all_sessions(user)
        Account.objects.filter(user=user).delete()
        user.delete()
