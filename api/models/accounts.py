from django.conf import settings
from django.db import models
from django.db.models import Q

from .choices import AccountType, CardType, Currency, SystemRole


class Account(models.Model):
    """A balance in one currency. Bank-owned system accounts are rows too."""

    Type = AccountType
    SystemRole = SystemRole

    # Roles whose balance may go below zero (the bank's own money sources).
    ROLES_ALLOWED_NEGATIVE = (SystemRole.TREASURY, SystemRole.FX)

    account_number = models.CharField(primary_key=True, max_length=12)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="accounts", null=True, blank=True
    )
    type = models.CharField(max_length=10, choices=Type.choices, default=Type.SAVINGS)
    currency = models.CharField(max_length=3, choices=Currency.choices, default=Currency.JOD)
    balance = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    is_active = models.BooleanField(default=True, help_text="False means frozen.")
    is_system = models.BooleanField(default=False)
    system_role = models.CharField(max_length=12, choices=SystemRole.choices, blank=True)
    # Rule 6's running total, kept by the money pipeline under this row's lock (api.models.pipeline).
    outgoing_day = models.DateField(null=True, blank=True, editable=False)
    outgoing_total = models.DecimalField(max_digits=14, decimal_places=2, default=0, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-account_number"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(balance__gte=0) | Q(system_role__in=[SystemRole.TREASURY, SystemRole.FX]),
                name="account_balance_non_negative",
            ),
            models.UniqueConstraint(
                fields=["system_role", "currency"],
                condition=Q(system_role__in=[SystemRole.TREASURY, SystemRole.FEE_REVENUE, SystemRole.FX]),
                name="one_system_account_per_role_and_currency",
            ),
        ]

    def __str__(self):
        return f"{self.mask} ({self.currency})"

    @property
    def mask(self):
        return "********" + self.account_number[-4:]


class Card(models.Model):
    CardType = CardType

    account = models.ForeignKey(Account, on_delete=models.CASCADE, related_name="cards")
    card_type = models.CharField(max_length=6, choices=CardType.choices, default=CardType.DEBIT)
    card_number = models.CharField(max_length=16, unique=True)
    last4 = models.CharField(max_length=4)
    cvv_hash = models.CharField(max_length=128)
    expiration_date = models.DateField()
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.card_type} ****{self.last4}"
