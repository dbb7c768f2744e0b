"""Bill payments (API.md §6.2): the account pays a biller's fixed amount, the bank keeps a commission.

Rules 2, 4, 6 and 7 of §5.1 apply, under the same locks and idempotency as
transfers; insufficient funds record a FAILED payment and a FAILED BILL
transaction (which holds the idempotency key).
"""
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from api import money, signals
from api.events import send_after_commit
from api.models import Account, Biller, BillPayment, Transaction
from api.services import ledger
from api.services.transfers import (
    ACCOUNT_NOT_FOUND,
    check_daily_limit,
    check_not_frozen,
    insufficient_funds,
    mark_failed,
)
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
    account = Account.objects.filter(pk=request.account, user=request.user, is_system=False).first()
    if account is None:
        raise BusinessError("validation_error", ACCOUNT_NOT_FOUND, field="account")
    biller = Biller.objects.filter(pk=request.biller).first()
    if biller is None:
        raise BusinessError("validation_error", "Biller not found.", field="biller")
    quote = money.quote_bill(biller.fixed_amount, biller.currency, account.currency)
    return ledger.run_with_retries(lambda: _pay(request, account, biller, quote))


def bill_legs_of(payment):
    return money.bill_legs(
        ledger.system_account_number,
        payment.account_id,
        payment.currency,
        payment.biller.system_account_id,
        payment.biller_currency,
        money.BillQuote(payment.amount, payment.commission_amount, payment.biller_amount - payment.commission_amount),
        payment.biller_amount,
    )


def _pay(request, account, biller, quote):
    with transaction.atomic():
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
        legs = bill_legs_of(payment)
        locked = ledger.lock_accounts(leg.account for leg in legs)
        payment.account = locked[account.pk]
        txn = Transaction(
            kind=Transaction.Kind.BILL,
            status=Transaction.Status.SUCCESS,
            initiated_by=request.user,
            sender_account=payment.account,
            receiver_account=locked[biller.system_account_id],
            amount=quote.amount,
            fee_amount=money.ZERO,
            currency=account.currency,
            credited_amount=biller.fixed_amount,
            credited_currency=biller.currency,
            idempotency_key=request.idempotency_key,
            description=f"{biller.name} {request.reference_number}"[:255],
            completed_at=timezone.now(),
            **request.context,
        )
        existing = ledger.insert_once(txn)
        if existing is not None:
            return _replay(existing, request)
        check_not_frozen(payment.account)
        check_daily_limit(payment.account, quote.amount, exclude=txn.pk)
        payment.transaction = txn
        if payment.account.balance < quote.amount:
            mark_failed(txn, "insufficient_funds")
            payment.status = BillPayment.Status.FAILED
            payment.failure_reason = "insufficient_funds"
            payment.save(force_insert=True)
            _announce(txn, payment)
            return BillOutcome(payment, error=insufficient_funds(txn))
        balances = ledger.post(txn, legs)
        txn.sender_balance_after = balances[account.pk]
        txn.receiver_balance_after = balances[biller.system_account_id]
        txn.save(update_fields=["sender_balance_after", "receiver_balance_after", "updated_at"])
        payment.save(force_insert=True)
        _announce(txn, payment)
        return BillOutcome(payment)


def _announce(txn, payment):
    send_after_commit(signals.transaction_completed, transaction=txn)
    send_after_commit(signals.bill_payment_completed, bill_payment=payment)


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
