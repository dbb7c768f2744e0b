"""The vocabulary of the bank: every enumerated value stored or sent, declared once.

The models re-export these under their historical names (``Transaction.Kind``,
``Account.SystemRole``...); services, metrics and the demo seeder import them
from here instead of repeating the strings.
"""
from django.db import models


class Currency(models.TextChoices):
    JOD = "JOD"
    USD = "USD"
    EUR = "EUR"


class AccountType(models.TextChoices):
    SAVINGS = "Savings"
    SALARY = "Salary"
    BASIC = "Basic"
    USD = "USD"
    EUR = "EUR"


class SystemRole(models.TextChoices):
    """The bank's own accounts."""

    TREASURY = "TREASURY"
    FEE_REVENUE = "FEE_REVENUE"
    FX = "FX"
    BILLER = "BILLER"


class CardType(models.TextChoices):
    DEBIT = "DEBIT"
    CREDIT = "CREDIT"


class TransactionKind(models.TextChoices):
    INTERNAL = "INTERNAL"
    EXTERNAL = "EXTERNAL"
    DEPOSIT = "DEPOSIT"
    BILL = "BILL"


class TransactionStatus(models.TextChoices):
    SUCCESS = "SUCCESS"
    FAILED = "FAILED"
    REVERSED = "REVERSED"
    PENDING_OTP = "PENDING_OTP"


class BillStatus(models.TextChoices):
    PAID = "PAID"
    FAILED = "FAILED"


class NotificationType(models.TextChoices):
    TRANSACTION = "TRANSACTION"
    SECURITY = "SECURITY"
    ADMIN_ALERT = "ADMIN_ALERT"
    BILL_PAYMENT = "BILL_PAYMENT"


class NotificationEvent(models.TextChoices):
    """The ``event`` of a ``user_notification`` pushed on the WebSocket (API.md §10.1); not stored."""

    DEBIT = "DEBIT"
    CREDIT = "CREDIT"
    BILL_PAYMENT = "BILL_PAYMENT"
    OTP_REQUIRED = "OTP_REQUIRED"
    SECURITY = "SECURITY"
