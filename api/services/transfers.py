"""Internal and external transfers (API.md §5.1–5.5).

One path serves both kinds: read the accounts (rules 2–3), then
``Transaction.execute()`` locks, takes the idempotency key (the constraint decides),
re-checks rules 4–7 under the locks (``_check_new``) and either posts, waits
for an emailed code (PENDING_OTP) or records a FAILED transaction, writing
its events to the outbox in the same database transaction.
"""
import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.utils import timezone
from rest_framework.exceptions import NotFound, PermissionDenied

from api import money, otp, signals
from api import movement_rules as rules
from api.models import Transaction, TransferOTP
from api.models.outbox_records import queue_email
from api.models.pipeline import Outcome, outgoing_on, system_account_number
from api.services.login import request_context
from nexus.errors import BusinessError, IdempotencyConflict

logger = logging.getLogger(__name__)

ACCOUNT_NOT_FOUND = "Account not found."
RECEIVER_NOT_FOUND = "Receiver account not found."
# Only for the caller's own accounts, which the caller knows already (docs/api.md).
OWN_RECEIVER = "This account is yours: use an internal transfer (/api/transfers/internal/)."
FROZEN_MESSAGE = "Frozen accounts can neither send nor receive"
OTP_PURPOSE = "transfer"
# Confirmation errors that end the transfer (a plain wrong code leaves it pending).
TERMINAL_OTP_ERRORS = {"otp_locked", "otp_expired"}
# Rules 3–6 of §5.1: refused before anything is recorded.
REFUSALS_WITHOUT_RECORD = {"same_account", "account_frozen", "limit_exceeded", "daily_limit_exceeded"}
RECEIVER_FIELD = {Transaction.Kind.INTERNAL: "receiver_account", Transaction.Kind.EXTERNAL: "receiver_account_number"}


@dataclass
class TransferRequest:
    kind: str
    user: object
    sender: str
    receiver: str
    amount: Decimal
    idempotency_key: str | None = None
    context: dict = field(default_factory=dict)  # Transaction fields ip, country, request_meta


def transaction_context(request):
    """The creating request as stored on a Transaction for the risk rules."""
    context = request_context(request)
    meta = request.META
    return {
        "ip": context["ip"],
        "country": context["country"],
        "request_meta": {
            "user_agent": context["user_agent"],
            "via": meta.get("HTTP_VIA", "")[:200],
            "x_tor_exit": meta.get("HTTP_X_TOR_EXIT", "")[:200],
        },
    }


# --- the rules' answers (decided in api.movement_rules, shared with bills, deposits and the demo seeder) ---

REFUSAL_MESSAGES = {
    rules.FROZEN: lambda: FROZEN_MESSAGE,
    rules.OVER_LIMIT: lambda: f"The maximum amount per transfer is {settings.MAX_TRANSFER_AMOUNT:.2f}.",
    rules.OVER_DAILY_LIMIT: lambda: f"The daily outgoing limit of {settings.DAILY_TRANSFER_LIMIT:.2f} would be exceeded.",
}


def refuse(refusal, txn=None):
    """Raise the API's answer to a ``movement_rules`` refusal (None: nothing to refuse)."""
    if refusal is None:
        return
    if refusal.code == rules.INSUFFICIENT_FUNDS:
        raise insufficient_funds(txn)
    raise BusinessError(refusal.code, REFUSAL_MESSAGES[refusal.code]())


def is_recorded(error):
    """The refusals ``Transaction.execute`` records as a FAILED transaction instead of rolling back."""
    return rules.is_recorded(error.business_code)


def check_not_frozen(*accounts):
    """Rule 4."""
    refuse(rules.frozen(*(account.is_active for account in accounts)))


def outgoing_today(account, txn):
    """Rule 6's running total of the locked ``account`` today, without ``txn`` (already inserted)."""
    return outgoing_on(account, timezone.localdate(), txn.pk)


def insufficient_funds(txn):
    """Rule 7's refusal, naming the FAILED transaction that records it."""
    return BusinessError(
        "insufficient_funds", "Insufficient funds.", extra={"transaction_id": txn.pk}
    )


# --- creating ---------------------------------------------------------------------


def create_transfer(request: TransferRequest) -> Outcome:
    """Create a transfer; the caller raises ``outcome.error`` (if any) after this returns."""
    if not request.user.is_active:
        raise PermissionDenied()
    try:
        outcome = Transaction.execute_new(
            (request.sender, request.receiver),
            lambda locked: _build(request, locked),
            check=lambda txn, locked: _check_new(txn, request.user),
            recorded=is_recorded,
            announce=("transfer_created", "transaction_completed"),
        )
    except BusinessError as error:
        if error.business_code in REFUSALS_WITHOUT_RECORD:
            # Rolled back, so nothing records it but risk's failed_transfer incident (API.md §8.3).
            signals.transfer_refused.send(
                sender=Transaction,
                user=request.user,
                context=request.context,
                reason=error.business_code,
                details={"amount": request.amount, "sender_account": request.sender, "receiver_account": request.receiver},
            )
        raise
    if not outcome.created:
        _check_replay(outcome.transaction, request)
    return outcome


def _build(request, locked):
    """The new transfer and its legs, from the accounts as locked (their one read)."""
    sender, receiver = _resolve_accounts(request, locked)
    quote = money.quote_transfer(request.kind, request.amount, sender.currency, receiver.currency)
    check_credits_something(quote, receiver.currency)
    txn = Transaction(
        kind=request.kind,
        # Inserted settled (or held for its code) by the pipeline; a refusal under the locks rewrites it.
        status=Transaction.Status.PENDING_OTP if rules.needs_code(request.amount) else Transaction.Status.SUCCESS,
        initiated_by=request.user,
        sender_account=sender,
        receiver_account=receiver,
        amount=request.amount,
        fee_amount=quote.fee,
        currency=sender.currency,
        credited_amount=quote.credited,
        credited_currency=receiver.currency,
        idempotency_key=request.idempotency_key,
        **request.context,
    )
    return txn, transfer_legs_of(txn)


def _resolve_accounts(request, found):
    """Rules 2–3 and the receiver's field rules on the locked rows (the bank's are never among them)."""
    sender = found.get(request.sender)
    if sender is None or sender.is_system or sender.user_id != request.user.pk:
        raise BusinessError("validation_error", ACCOUNT_NOT_FOUND, field="sender_account")
    if request.sender == request.receiver:
        raise BusinessError("same_account", "Sender and receiver accounts must differ.")
    receiver = found.get(request.receiver)
    own = receiver is not None and receiver.user_id == request.user.pk
    if receiver is None or receiver.is_system or rules.transfer_kind(own) != request.kind:
        raise BusinessError("validation_error", _receiver_mismatch(request.kind, own), field=RECEIVER_FIELD[request.kind])
    return sender, receiver


def _receiver_mismatch(kind, own):
    """What the caller is told when the receiver does not fit the kind (the bank's accounts are never found)."""
    if kind == Transaction.Kind.INTERNAL:
        return ACCOUNT_NOT_FOUND
    return OWN_RECEIVER if own else RECEIVER_NOT_FOUND


def transfer_legs_of(txn):
    """The legs a transfer posts when executed, from its stored amounts."""
    return money.transfer_legs(
        system_account_number,
        txn.sender_account_id,
        txn.currency,
        txn.receiver_account_id,
        txn.credited_currency,
        txn.amount,
        txn.fee_amount,
        txn.credited_amount,
    )


def check_credits_something(quote, currency):
    """Conversions round the credit down: an amount too small to credit a cent is refused, not posted as 0.00."""
    if rules.credits_nothing(quote.credited):
        raise BusinessError(
            "validation_error", f"Amount too small: the receiver would get 0.00 {currency}.", field="amount"
        )


def check_funds(txn):
    """Rules 4–7 under the locks; rule 7 names the transaction, which records it FAILED."""
    sender = txn.sender_account
    refuse(
        rules.transfer_refusal(
            txn.amount, txn.fee_amount, sender.balance, outgoing_today(sender, txn),
            active=(sender.is_active, txn.receiver_account.is_active),
        ),
        txn,
    )


def _check_new(txn, user):
    """A new transfer: refused, FAILED, held for its emailed code (an Outcome: nothing posted) or posted."""
    check_funds(txn)
    if txn.status == Transaction.Status.PENDING_OTP:  # high value
        _send_code(txn, user)
        txn.announce("transfer_created")
        return Outcome(txn)
    return None


def _check_replay(existing, request):
    """Same key: the original as it is now when the payload matches, else 409."""
    same = (
        existing.kind == request.kind
        and existing.sender_account_id == request.sender
        and existing.receiver_account_id == request.receiver
        and existing.amount == request.amount
    )
    if not same:
        raise IdempotencyConflict()


def _send_code(txn, user):
    row, code = otp.issue(
        TransferOTP, user=user, purpose=_purpose(txn), ttl_seconds=settings.TRANSFER_OTP_TTL_SECONDS, transaction=txn
    )
    txn.otp = row
    minutes = settings.TRANSFER_OTP_TTL_SECONDS // 60
    queue_email(
        "Confirm your Nexus Bank transfer",
        f"Your code to confirm transfer #{txn.pk} of {txn.amount:.2f} {txn.currency} is {code}. "
        f"It expires in {minutes} minutes.\nIf you did not start this transfer, contact us at once.",
        user.email,
    )


def _purpose(txn):
    return f"{OTP_PURPOSE}:{txn.pk}"


# --- confirming -------------------------------------------------------------------


def confirm_transfer(user, transaction_id, code, http_request) -> Outcome:
    """Check the emailed code of a PENDING_OTP transfer and execute it (API.md §5.5)."""
    txn = (
        Transaction.objects.filter(
            pk=transaction_id, kind__in=Transaction.TRANSFER_KINDS, sender_account__user=user
        ).first()
    )
    if txn is None:
        raise NotFound()
    context = request_context(http_request)
    return txn.execute(
        transfer_legs_of(txn),
        check=lambda txn, locked: _check_code(txn, user, code, context),
        recorded=lambda error: error.business_code != "invalid_state",
        announce=("transaction_completed",),
    )


def _check_code(txn, user, code, context):
    """The emailed code, then rules 4–7 again: a wrong code leaves the transfer pending (an Outcome)."""
    pending = TransferOTP.objects.filter(transaction=txn).first()
    if txn.status != Transaction.Status.PENDING_OTP or pending is None:
        raise BusinessError("invalid_state", "This transfer is not awaiting confirmation.")
    txn.otp = pending
    try:
        otp.consume(pending, code, _purpose(txn), field="otp_code", lock_on_last_wrong=True)
    except BusinessError as error:
        signals.otp_failed.send(
            sender=Transaction, stage="transfer", reason=error.business_code, user=user, context=context,
            details={"transaction_id": txn.pk},
        )
        if error.business_code in TERMINAL_OTP_ERRORS:
            raise
        return Outcome(txn, created=False, error=error)
    check_funds(txn)
    return None


# --- expiring ---------------------------------------------------------------------


def expire_pending_transfers(now=None):
    """PENDING_OTP transfers whose code expired → FAILED (otp_expired); returns how many."""
    return Transaction.expire_pending(now)
