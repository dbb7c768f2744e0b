"""Notifications for committed money events (API.md §6.4, §10.1).

Connected from ``api.receivers``; the events come from the outbox after the
commit (``api.events``), so a failure here never undoes or fails the money
movement. The notices of a delivered batch are inserted together, at its end.
"""
from django.dispatch import receiver

from api import signals
from api.events import at_batch_end
from api.models import BillPayment, Notification, Transaction
from api.models.choices import NotificationEvent
from api.services.notifications import money_text, notify_many

TRANSACTION = Notification.Type.TRANSACTION


def _customer(account):
    """The owner of a customer account; None for system accounts or no account."""
    if account is None or account.is_system or account.user_id is None:
        return None
    return account.user


def _money(amount, currency):
    return f"{money_text(amount)} {currency}"


def notify(user, message, notification_type, related_transaction=None, event=None, **payload):
    """A notice and its push, inserted with the rest of the delivering batch's."""
    at_batch_end(notify_many, (user, message, notification_type, related_transaction, event, payload))


def _notify_debit(tx):
    sender = _customer(tx.sender_account)
    if sender is None:
        return
    total = tx.amount + tx.fee_amount
    message = f"Sent {_money(tx.amount, tx.currency)} to {tx.receiver_account.mask}"
    if tx.fee_amount:
        message += f" (fee {_money(tx.fee_amount, tx.currency)})"
    notify(
        sender, message, TRANSACTION, related_transaction=tx, event=NotificationEvent.DEBIT,
        amount=total, currency=tx.currency, account=tx.sender_account.mask,
    )


def _notify_credit(tx):
    receiver_user = _customer(tx.receiver_account)
    if receiver_user is None:
        return
    amount = _money(tx.credited_amount, tx.credited_currency)
    if tx.kind == Transaction.Kind.DEPOSIT:
        message = f"Deposit of {amount} credited to {tx.receiver_account.mask}"
    else:
        source = tx.sender_account.mask if tx.sender_account else "the bank"
        message = f"Received {amount} from {source} into {tx.receiver_account.mask}"
    notify(
        receiver_user, message, TRANSACTION, related_transaction=tx, event=NotificationEvent.CREDIT,
        amount=tx.credited_amount, currency=tx.credited_currency, account=tx.receiver_account.mask,
    )


@receiver(signals.transaction_completed, dispatch_uid="api.notify.transaction_completed")
def on_transaction_completed(sender, transaction, **kwargs):
    """SUCCESS transfers tell both sides; deposits tell the receiver. Bills: see below."""
    if transaction.status != Transaction.Status.SUCCESS:
        return
    if transaction.kind in Transaction.TRANSFER_KINDS:
        _notify_debit(transaction)
        _notify_credit(transaction)
    elif transaction.kind == Transaction.Kind.DEPOSIT:
        _notify_credit(transaction)


@receiver(signals.transfer_created, dispatch_uid="api.notify.transfer_created")
def on_transfer_created(sender, transaction, **kwargs):
    """A transfer waiting for its emailed code: a SECURITY notice to the sender."""
    if transaction.status != Transaction.Status.PENDING_OTP:
        return
    user = transaction.initiated_by or _customer(transaction.sender_account)
    if user is None:
        return
    notify(
        user,
        f"A verification code was sent to your email to confirm the transfer of "
        f"{_money(transaction.amount, transaction.currency)} to {transaction.receiver_account.mask}.",
        Notification.Type.SECURITY,
        related_transaction=transaction,
        event=NotificationEvent.OTP_REQUIRED,
        amount=transaction.amount,
        currency=transaction.currency,
        account=transaction.sender_account.mask if transaction.sender_account else None,
    )


@receiver(signals.transaction_reversed, dispatch_uid="api.notify.transaction_reversed")
def on_transaction_reversed(sender, transaction, **kwargs):
    """The receiver gives back what it got; the sender gets back amount + fee."""
    tx = transaction
    receiver_user = _customer(tx.receiver_account)
    if receiver_user is not None:
        notify(
            receiver_user,
            f"Transaction #{tx.pk} was reversed: {_money(tx.credited_amount, tx.credited_currency)} "
            f"debited from {tx.receiver_account.mask}",
            TRANSACTION, related_transaction=tx, event=NotificationEvent.DEBIT,
            amount=tx.credited_amount, currency=tx.credited_currency, account=tx.receiver_account.mask,
        )
    sender_user = _customer(tx.sender_account)
    if sender_user is not None:
        refund = tx.amount + tx.fee_amount
        notify(
            sender_user,
            f"Transaction #{tx.pk} was reversed: {_money(refund, tx.currency)} refunded to {tx.sender_account.mask}",
            TRANSACTION, related_transaction=tx, event=NotificationEvent.CREDIT,
            amount=refund, currency=tx.currency, account=tx.sender_account.mask,
        )


@receiver(signals.bill_payment_completed, dispatch_uid="api.notify.bill_payment_completed")
def on_bill_payment_completed(sender, bill_payment, **kwargs):
    if bill_payment.status != BillPayment.Status.PAID:
        return
    notify(
        bill_payment.user,
        f"Paid {_money(bill_payment.amount, bill_payment.currency)} to {bill_payment.biller.name} "
        f"(reference {bill_payment.reference_number}) from {bill_payment.account.mask}",
        Notification.Type.BILL_PAYMENT,
        related_transaction=bill_payment.transaction,
        event=NotificationEvent.BILL_PAYMENT,
        amount=bill_payment.amount,
        currency=bill_payment.currency,
        account=bill_payment.account.mask,
    )
