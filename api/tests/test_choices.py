"""The vocabulary is declared once (api.models.choices) and the models re-export it."""
from api.models import Account, BillPayment, Card, Notification, Transaction, choices


def test_models_use_the_choices_module():
    assert Transaction.Kind is choices.TransactionKind
    assert Transaction.Status is choices.TransactionStatus
    assert Account.Type is choices.AccountType
    assert Account.SystemRole is choices.SystemRole
    assert Card.CardType is choices.CardType
    assert BillPayment.Status is choices.BillStatus
    assert Notification.Type is choices.NotificationType


def test_stored_values_are_unchanged():
    assert choices.TransactionKind.values == ["INTERNAL", "EXTERNAL", "DEPOSIT", "BILL"]
    assert choices.TransactionStatus.values == ["SUCCESS", "FAILED", "REVERSED", "PENDING_OTP"]
    assert choices.AccountType.values == ["Savings", "Salary", "Basic", "USD", "EUR"]
    assert choices.SystemRole.values == ["TREASURY", "FEE_REVENUE", "FX", "BILLER"]
    assert choices.BillStatus.values == ["PAID", "FAILED"]
    assert choices.NotificationType.values == ["TRANSACTION", "SECURITY", "ADMIN_ALERT", "BILL_PAYMENT"]


def test_pushed_events_are_the_contracts():
    assert set(choices.NotificationEvent.values) == {"DEBIT", "CREDIT", "BILL_PAYMENT", "OTP_REQUIRED", "SECURITY"}
