"""What a caller may see: the read querysets the views and services share.

Each answers "which rows, loaded with what the serializer reads"; views add
filters and pagination on top and never build their own ownership filter.
"""
from django.db.models import Count, Q

from api.models import Account, BillPayment, Card, Notification, Transaction


def customer_accounts():
    """Customer accounts (never system ones) with their card count, no N+1, newest first.

    The ordering is explicit: Django drops ``Meta.ordering`` on aggregate queries.
    """
    return (
        Account.objects.filter(is_system=False)
        .annotate(card_count=Count("cards"))
        .order_by("-created_at", "-account_number")
    )


def accounts_of(user):
    return customer_accounts().filter(user=user)


def owns_account(user, account_number):
    """Is ``account_number`` one of ``user``'s customer accounts (a cheap EXISTS)?"""
    return Account.objects.filter(pk=account_number, user=user, is_system=False).exists()


def cards_of(user):
    return Card.objects.filter(account__user=user, account__is_system=False)


def transactions_for_display():
    """Everything the transaction serializer reads, in one query."""
    return Transaction.objects.select_related("sender_account", "receiver_account", "otp")


def visible_to(user):
    """Transactions touching one of ``user``'s accounts."""
    return transactions_for_display().filter(Q(sender_account__user=user) | Q(receiver_account__user=user))


def transfers_sent_by(user, kind):
    """``user``'s own transfers of ``kind`` (the ones they sent)."""
    return transactions_for_display().filter(kind=kind, sender_account__user=user)


def statement_of(account_number):
    """Every transaction touching one account; callers check ownership first (``owns_account``)."""
    return transactions_for_display().filter(Q(sender_account_id=account_number) | Q(receiver_account_id=account_number))


def bill_payments_of(user):
    return BillPayment.objects.filter(user=user).select_related("biller")


def notifications_of(user):
    return Notification.objects.filter(user=user)
