from django.conf import settings
from django.db import models
from django.db.models import Q

from .accounts import Account
from .choices import BillStatus, Currency
from .ledger import Transaction


class Biller(models.Model):
    class Category(models.TextChoices):
        ELECTRICITY = "Electricity"
        WATER = "Water"
        INTERNET = "Internet"
        TELECOM = "Telecom"
        OTHER = "Other"

    name = models.CharField(max_length=120, unique=True)
    category = models.CharField(max_length=12, choices=Category.choices)
    description = models.CharField(max_length=255, blank=True)
    fixed_amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.JOD)
    system_account = models.OneToOneField(Account, on_delete=models.PROTECT, related_name="biller")

    class Meta:
        ordering = ["name"]
        constraints = [models.CheckConstraint(condition=Q(fixed_amount__gt=0), name="biller_amount_positive")]

    def __str__(self):
        return self.name


class BillPayment(models.Model):
    Status = BillStatus

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="bill_payments")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="bill_payments")
    biller = models.ForeignKey(Biller, on_delete=models.PROTECT, related_name="payments")
    reference_number = models.CharField(max_length=30)
    amount = models.DecimalField(max_digits=14, decimal_places=2)
    currency = models.CharField(max_length=3, choices=Currency.choices)
    biller_amount = models.DecimalField(max_digits=14, decimal_places=2)
    biller_currency = models.CharField(max_length=3, choices=Currency.choices)
    commission_amount = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    status = models.CharField(max_length=6, choices=Status.choices)
    transaction = models.OneToOneField(
        Transaction, on_delete=models.PROTECT, related_name="bill_payment", null=True, blank=True
    )
    idempotency_key = models.CharField(max_length=64, null=True, blank=True)
    failure_reason = models.CharField(max_length=64, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "idempotency_key"],
                condition=Q(idempotency_key__isnull=False),
                name="bill_idempotency_key_per_user",
            )
        ]

    def __str__(self):
        return f"{self.biller} {self.amount} {self.currency} {self.status}"
