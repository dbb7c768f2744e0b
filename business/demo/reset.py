"""Removing earlier demo data and analytics, leaving every remaining balance equal to its entries."""
from contextlib import contextmanager

from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.db.models import Q, Sum

from api.models import Account, BillPayment, LedgerEntry, Notification, Transaction, TransferOTP
from business.models import (
    CountryUserMetrics,
    CurrencyMetrics,
    DailyActiveUser,
    DailyAIInsight,
    DailyBusinessMetrics,
    MetricShard,
    MonthlySummary,
    WeeklySummary,
)
from risk.models import Incident, LoginEvent

DEMO_DOMAIN = "demo.nexus.local"


def demo_users():
    return get_user_model().objects.filter(email__iendswith=f"@{DEMO_DOMAIN}")


def delete_demo_data():
    """Delete demo users and everything they touched; re-derive the balances of other touched accounts.

    Ledger rows are removed with single set-based DELETEs (``_raw_delete``: no
    per-row collection), children before parents, since the ledger's foreign
    keys are PROTECT.
    """
    users = demo_users()
    accounts = Account.objects.filter(user__in=users)
    txns = Transaction.objects.filter(
        Q(sender_account__in=accounts) | Q(receiver_account__in=accounts) | Q(initiated_by__in=users)
    )
    txn_ids = txns.values("pk")
    touched = set(LedgerEntry.objects.filter(transaction_id__in=txn_ids).values_list("account_id", flat=True).distinct())
    Notification.objects.filter(related_transaction_id__in=txn_ids).delete()
    TransferOTP.objects.filter(transaction_id__in=txn_ids).delete()
    for queryset in (
        BillPayment.objects.filter(Q(transaction_id__in=txn_ids) | Q(user__in=users)),
        LoginEvent.objects.filter(Q(user__in=users) | Q(attempted_email__iendswith=f"@{DEMO_DOMAIN}")),
    ):
        queryset._raw_delete(queryset.db)
    with ledger_purge():
        entries = LedgerEntry.objects.filter(transaction_id__in=txn_ids)
        entries._raw_delete(entries.db)
    ids = list(txns.values_list("pk", flat=True))
    for chunk in _chunks(ids):
        queryset = Transaction.objects.filter(pk__in=chunk)
        queryset._raw_delete(queryset.db)
    Incident.objects.filter(Q(user__in=users) | Q(attempted_email__iendswith=f"@{DEMO_DOMAIN}") | Q(details__demo=True)).delete()
    demo_numbers = set(accounts.values_list("pk", flat=True))
    accounts.delete()
    users.delete()
    _rederive_balances(touched - demo_numbers)


@contextmanager
def ledger_purge():
    """Let the block delete ledger entries despite the append-only trigger (migration 0003).

    Only the demo's own entries are ever purged, and only here: the setting
    is transaction-local and switched off again as soon as the block ends.
    """
    postgres = connection.vendor == "postgresql"
    with transaction.atomic(), connection.cursor() as cursor:
        if postgres:
            cursor.execute("SELECT set_config('nexus.ledger_purge', 'on', true)")
        yield
        if postgres:
            cursor.execute("SELECT set_config('nexus.ledger_purge', 'off', true)")


def delete_analytics(start, end):
    for model in (DailyBusinessMetrics, CountryUserMetrics, CurrencyMetrics, MetricShard, DailyActiveUser, DailyAIInsight):
        model.objects.filter(date__range=(start, end)).delete()
    WeeklySummary.objects.filter(week_end__gte=start, week_start__lte=end).delete()
    MonthlySummary.objects.filter(month__lte=end, month__gte=start.replace(day=1)).delete()


def _rederive_balances(numbers):
    totals = dict(
        LedgerEntry.objects.filter(account_id__in=numbers).values("account_id").annotate(t=Sum("amount")).values_list("account_id", "t")
    )
    for number in sorted(numbers):
        Account.objects.filter(pk=number).update(balance=totals.get(number) or 0)


def _chunks(items, size=5000):
    for i in range(0, len(items), size):
        yield items[i:i + size]
