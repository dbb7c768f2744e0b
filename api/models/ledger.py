from django.conf import settings
from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from . import outbox_records, pipeline
from .accounts import Account
from .choices import Currency, TransactionKind, TransactionStatus


class Transaction(models.Model):
    """One movement of money, posted as balanced ledger entries."""

    Kind = TransactionKind
    Status = TransactionStatus

    TRANSFER_KINDS = (Kind.INTERNAL, Kind.EXTERNAL)
    # What counts towards an account's daily outgoing limit (rule 6), fees excluded.
    OUTGOING_KINDS = (Kind.INTERNAL, Kind.EXTERNAL, Kind.BILL)

    kind = models.CharField(max_length=8, choices=Kind.choices)
    status = models.CharField(max_length=11, choices=Status.choices)
    # No index of their own: each foreign key leads one of the composite indexes below, which serve
    # its look-ups; every index is one more write under the accounts' row locks (docs/design.md).
    initiated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="transactions", null=True, blank=True,
        db_index=False,
    )
    sender_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="sent_transactions", null=True, blank=True, db_index=False
    )
    receiver_account = models.ForeignKey(
        Account, on_delete=models.PROTECT, related_name="received_transactions", db_index=False
    )
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    fee_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    credited_amount = models.DecimalField(max_digits=14, decimal_places=2)
    credited_currency = models.CharField(max_length=3, choices=Currency.choices)
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    sender_balance_after = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    receiver_balance_after = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    failure_reason = models.CharField(max_length=64, null=True, blank=True)
    description = models.CharField(max_length=255, blank=True)
    # The creating request, for the transaction risk rules.
    ip = models.GenericIPAddressField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    request_meta = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    # When the transaction reached SUCCESS or FAILED (a business-day fact for metrics).
    completed_at = models.DateTimeField(null=True, blank=True, db_index=True)
    reversed_at = models.DateTimeField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["sender_account", "status", "completed_at"]),
            models.Index(fields=["receiver_account", "-created_at"]),
            models.Index(fields=["initiated_by", "-created_at"]),
            models.Index(fields=["status", "-created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(amount__gt=0), name="transaction_amount_positive"),
            models.UniqueConstraint(
                fields=["initiated_by", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name=pipeline.IDEMPOTENCY_CONSTRAINT,
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind} {self.amount} {self.currency} {self.status}"

    def execute(self, legs, **steps):
        """Lock, record, check, post, settle and announce this movement: see ``api.models.pipeline.execute``."""
        return pipeline.execute(self, legs, **steps)

    @classmethod
    def execute_new(cls, accounts, build, **steps):
        """Lock ``accounts``, then execute the transaction ``build(locked)`` returns with its legs."""
        return pipeline.execute(None, None, build=build, accounts=accounts, **steps)

    def announce(self, *kinds):
        """Write the events ``kinds`` (api.signals names) of this transaction to the outbox."""
        return outbox_records.announce(self, *kinds)

    @classmethod
    def expire_pending(cls, now=None):
        """PENDING_OTP transfers whose code expired → FAILED (otp_expired); returns how many."""
        now = now or timezone.now()
        expired = cls.objects.filter(status=cls.Status.PENDING_OTP, otp__expires_at__lte=now)
        count = 0
        for pk in list(expired.values_list("pk", flat=True)):
            with transaction.atomic():
                # Conditional: a confirmation that got there first wins.
                changed = cls.objects.filter(pk=pk, status=cls.Status.PENDING_OTP).update(
                    status=cls.Status.FAILED, failure_reason="otp_expired", completed_at=now, updated_at=now
                )
                if changed:
                    count += 1
                    cls.objects.get(pk=pk).announce("transaction_completed")
        return count

    def mark_failed(self, reason, at=None):
        self.status = self.Status.FAILED
        self.failure_reason = reason
        self.completed_at = at or timezone.now()
        self.sender_balance_after = self.receiver_balance_after = None  # when it was settled ahead
        self.save(
            update_fields=[
                "status", "failure_reason", "completed_at", "sender_balance_after", "receiver_balance_after",
                "updated_at",
            ]
        )

    def settle(self, balances, *, reversal=False, at=None):
        """After posting (at ``at``): SUCCESS with the balances it left, or REVERSED."""
        at = at or timezone.now()
        if reversal:
            self.status = self.Status.REVERSED
            self.reversed_at = at
            self.save(update_fields=["status", "reversed_at", "description", "updated_at"])
            return
        self.status = self.Status.SUCCESS
        self.sender_balance_after = balances.get(self.sender_account_id)
        self.receiver_balance_after = balances.get(self.receiver_account_id)
        self.completed_at = at
        self.save(
            update_fields=["status", "sender_balance_after", "receiver_balance_after", "completed_at", "updated_at"]
        )


class LedgerEntry(models.Model):
    """A signed amount on one account; a transaction's entries sum to zero per currency."""

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries", db_index=False)  # (account, currency) below
    currency = models.CharField(max_length=3, choices=Currency.choices)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    is_reversal = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name_plural = "ledger entries"
        ordering = ["id"]
        indexes = [models.Index(fields=["account", "currency"])]

    def __str__(self):
        return f"{self.account_id} {self.amount} {self.currency}"
