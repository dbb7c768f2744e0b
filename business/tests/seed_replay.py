"""Replaying seeded demo money through the API's services, to see whether the API decides as the seeder did.

The seeder writes rows in bulk; here its deposits, transfers, bills and
reversals are wiped and sent again, one by one and at their own moments,
through the services behind the API (``Transaction.execute``). Whatever the
seeder decided by itself shows up as a difference: a status, a failure
reason, an amount, a balance after.
"""
from dataclasses import dataclass

import time_machine
from django.contrib.auth import get_user_model
from django.db.models import Q, Sum
from django.utils import timezone

from api.models import Account, BillPayment, LedgerEntry, Transaction
from api.services.bills import BillRequest, pay_bill
from api.services.deposits import deposit
from api.services.reversals import reverse_transaction
from api.services.transfers import TransferRequest, create_transfer
from business.demo.reset import demo_users, ledger_purge
from nexus.errors import BusinessError

# What must be equal between a seeded transaction and its replay.
COMPARED = (
    "kind", "status", "failure_reason", "amount", "fee_amount", "currency", "credited_amount", "credited_currency",
    "sender_balance_after", "receiver_balance_after", "completed_at", "reversed_at",
)


@dataclass
class Step:
    """One movement to replay: a seeded transaction (``row``), its reversal, or an attempt the seeder refused."""

    moment: object
    action: str  # "create", "reverse"
    row: dict
    refused: str | None = None  # the refusal code the seeder decided, for attempts it did not write


def seeded_rows():
    """The demo's transactions as dicts, with their bill payment (if any), in the seeder's order (ids)."""
    accounts = Account.objects.filter(user__in=demo_users())
    rows = list(
        Transaction.objects.filter(Q(sender_account__in=accounts) | Q(receiver_account__in=accounts))
        .order_by("pk").values()
    )
    payments = {p["transaction_id"]: p for p in BillPayment.objects.filter(transaction_id__in=[r["id"] for r in rows]).values()}
    for row in rows:
        row["payment"] = payments.get(row["id"])
    return rows


def steps(rows, refusals=()):
    """Day by day: the day's movements in id order (refused attempts where they came), then its reversals."""
    by_day = {}
    for row in rows:
        by_day.setdefault(timezone.localdate(row["created_at"]), []).append(Step(row["created_at"], "create", row))
    for refusal in refusals:
        day = timezone.localdate(refusal.moment)
        by_day.setdefault(day, []).append(Step(refusal.moment, refusal.action, refusal.row, refusal.code))
    for row in rows:
        if row["reversed_at"] is not None:
            by_day.setdefault(timezone.localdate(row["reversed_at"]), []).append(Step(row["reversed_at"], "reverse", row))
    ordered = []
    for day in sorted(by_day):
        ordered += sorted(by_day[day], key=_position)
    return ordered


def _position(step):
    """Creations (and refused creations, before the id that came next) first, reversals last."""
    return (step.action == "reverse", step.row.get("id") or step.row["before_id"], step.refused is None)


def wipe_money(rows):
    """Remove the seeded money rows and bring every balance back to what its remaining entries say."""
    ids = [row["id"] for row in rows]
    touched = set(LedgerEntry.objects.filter(transaction_id__in=ids).values_list("account_id", flat=True))
    BillPayment.objects.filter(transaction_id__in=ids).delete()
    with ledger_purge():
        LedgerEntry.objects.filter(transaction_id__in=ids).delete()
    Transaction.objects.filter(pk__in=ids).delete()
    totals = dict(LedgerEntry.objects.filter(account_id__in=touched).values_list("account_id").annotate(t=Sum("amount")))
    for number in touched:
        Account.objects.filter(pk=number).update(balance=totals.get(number) or 0, outgoing_day=None, outgoing_total=0)


def replay(ordered, staff):
    """Send every step through the services; return ``[(step, what the API did)]``."""
    done, replayed = [], {}
    with time_machine.travel(ordered[0].moment, tick=False) as clock:
        for step in ordered:
            clock.move_to(step.moment)
            try:
                result = _send(step, staff, replayed)
            except BusinessError as error:
                result = error.business_code
            if step.action == "create" and not isinstance(result, str):
                replayed[step.row.get("id")] = result.pk
            done.append((step, result))
    return done


def _send(step, staff, replayed):
    row = step.row
    if step.action == "reverse":
        if row["id"] not in replayed:
            return "original refused"
        return reverse_transaction(replayed[row["id"]])
    if row["kind"] == Transaction.Kind.DEPOSIT:
        return deposit(staff, row["receiver_account_id"], row["amount"], description=row["description"]).transaction
    user = get_user_model().objects.get(pk=row["initiated_by_id"])
    if row["kind"] == Transaction.Kind.BILL:
        payment = row["payment"]
        outcome = pay_bill(BillRequest(user, payment["account_id"], payment["biller_id"], payment["reference_number"]))
        return outcome.payment.transaction
    request = TransferRequest(row["kind"], user, row["sender_account_id"], row["receiver_account_id"], row["amount"])
    return create_transfer(request).transaction


def disagreements(done):
    """What the API did differently from the seeder, one line each (empty when they agree)."""
    lines = []
    for step, result in done:
        api = result if isinstance(result, str) else "done"
        seeder = step.refused or "done"
        if api != seeder:
            lines.append(f"{step.action} {_describe(step.row)} at {step.moment}: seeder {seeder}, API {api}")
        elif step.action == "create" and api == "done":
            lines += _field_differences(step.row, Transaction.objects.get(pk=result.pk))
    return lines


def _field_differences(row, replayed):
    """The replayed transaction (as it ended, after any reversal) against the seeded one; bills with their payment."""
    lines = [
        f"{_describe(row)}: {name} seeder {row[name]!r}, API {getattr(replayed, name)!r}"
        for name in COMPARED
        if getattr(replayed, name) != row[name]
    ]
    if row["payment"]:
        payment = BillPayment.objects.get(transaction=replayed)
        lines += [
            f"{_describe(row)}: bill {name} seeder {row['payment'][name]!r}, API {getattr(payment, name)!r}"
            for name in ("status", "failure_reason", "amount", "commission_amount")
            if getattr(payment, name) != row["payment"][name]
        ]
    return lines


def _describe(row):
    return f"#{row.get('id')} {row.get('kind')} {row.get('amount')} {row.get('sender_account_id')}→{row.get('receiver_account_id')}"
