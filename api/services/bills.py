"""Bill payments (API.md §6.2): the account pays a biller's fixed amount, the bank keeps a commission.

Rules 2, 4, 6 and 7 of §5.1 apply, under the same locks and idempotency as
transfers; insufficient funds record a FAILED payment and a FAILED BILL
transaction (which holds the idempotency key).
"""
from dataclasses import dataclass, field

from api import money
from api import movement_rules as rules
from api.models import Biller, BillPayment, Transaction
from api.models.outbox_records import announce
from api.models.pipeline import system_account_number
from api.services.transfers import ACCOUNT_NOT_FOUND, is_recorded, outgoing_today, refuse
from nexus.errors import BusinessError, IdempotencyConflict


@dataclass
class BillRequest:
    user: object
    account: str
    biller: int
    reference_number: str
    idempotency_key: str | None = None
    context: dict = field(default_factory=dict)


@dataclass
class BillOutcome:
    payment: BillPayment
    created: bool = True
    error: BusinessError | None = None


def pay_bill(request: BillRequest) -> BillOutcome:
    """Pay a bill; the caller raises ``outcome.error`` (if any) after this returns."""
    biller = Biller.objects.filter(pk=request.biller).first()
    built = {}

    def build(locked):
        built["payment"], txn = _build(request, locked.get(request.account), biller)
        return txn, bill_legs_of(built["payment"])

    accounts = (request.account, biller.system_account_id) if biller else (request.account,)
    outcome = Transaction.execute_new(
        accounts,
        build,
        check=_check,
        recorded=is_recorded,
        finish=lambda txn: _record_payment(built["payment"], txn),
        announce=("transaction_completed",),
    )
    if not outcome.created:
        return _replay(outcome.transaction, request)
    return BillOutcome(built["payment"], error=outcome.error)


def _build(request, account, biller):
    """The payment and its transaction, from the account as locked (its one read); rule 2 first."""
    if account is None or account.is_system or account.user_id != request.user.pk:
        raise BusinessError("validation_error", ACCOUNT_NOT_FOUND, field="account")
    if biller is None:
        raise BusinessError("validation_error", "Biller not found.", field="biller")
    quote = money.quote_bill(biller.fixed_amount, biller.currency, account.currency)
    payment = BillPayment(
        user=request.user,
        account=account,
        biller=biller,
        reference_number=request.reference_number,
        amount=quote.amount,
        currency=account.currency,
        biller_amount=biller.fixed_amount,
        biller_currency=biller.currency,
        commission_amount=quote.commission,
        status=BillPayment.Status.PAID,
        idempotency_key=request.idempotency_key,
    )
    txn = Transaction(
        kind=Transaction.Kind.BILL,
        status=Transaction.Status.SUCCESS,  # inserted settled; a refusal under the locks rewrites it
        initiated_by=request.user,
        sender_account=account,
        receiver_account_id=biller.system_account_id,
        amount=quote.amount,
        fee_amount=money.ZERO,
        currency=account.currency,
        credited_amount=biller.fixed_amount,
        credited_currency=biller.currency,
        idempotency_key=request.idempotency_key,
        description=f"{biller.name} {request.reference_number}"[:255],
        **request.context,
    )
    return payment, txn


def bill_legs_of(payment):
    return money.bill_legs(
        system_account_number,
        payment.account_id,
        payment.currency,
        payment.biller.system_account_id,
        payment.biller_currency,
        money.BillQuote(payment.amount, payment.commission_amount, payment.biller_amount - payment.commission_amount),
        payment.biller_amount,
    )


def _check(txn, locked):
    """Rules 4, 6 and 7 under the locks (7 records the payment FAILED)."""
    account = txn.sender_account
    refuse(rules.bill_refusal(txn.amount, account.balance, outgoing_today(account, txn), active=account.is_active), txn)


def _record_payment(payment, txn):
    """The payment row, PAID or FAILED as its transaction, and its own event."""
    payment.account = txn.sender_account
    payment.transaction = txn
    if txn.status == Transaction.Status.FAILED:
        payment.status = BillPayment.Status.FAILED
        payment.failure_reason = txn.failure_reason
    payment.save(force_insert=True)
    announce(payment, "bill_payment_completed")


def _replay(existing, request):
    """Same key: the original payment when it was the same bill, else 409."""
    payment = BillPayment.objects.select_related("biller").filter(transaction=existing).first()
    same = (
        payment is not None
        and payment.account_id == request.account
        and payment.biller_id == request.biller
        and payment.reference_number == request.reference_number
    )
    if not same:
        raise IdempotencyConflict()
    return BillOutcome(payment, created=False)
