"""What a transfer does while it holds its accounts' row locks (PostgreSQL).

Every transfer to a busy account queues on that account's row lock, held
from the ``SELECT … FOR UPDATE`` to the COMMIT; each statement in between
is a round trip the queue waits for (docs/BENCHMARKS.md, "where the hot
row's lock hold goes").
"""
import re
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from api.models import LedgerEntry, OutboxEvent, Transaction
from nexus.testing.money import assert_ledger_ok, balance, make_account

D = Decimal
pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the one-statement posting is PostgreSQL's"),
]


def _under_the_locks(queries):
    """The statements after the movement's first row lock, up to the end of its block (COMMIT in production;
    in a test a savepoint's RELEASE)."""
    statements = [q["sql"] for q in queries]
    start = next(i for i, sql in enumerate(statements) if sql.endswith("FOR UPDATE")) + 1
    end = next(i for i, sql in enumerate(statements[start:], start) if re.match("RELEASE SAVEPOINT", sql))
    return statements[start:end]


@pytest.mark.parametrize("path", ["internal", "external"])
def test_a_transfer_holds_its_row_locks_for_one_statement(user, user_client, other_user, path):
    sender = make_account(user, "JOD", "100.00")
    receiver = make_account(user if path == "internal" else other_user, "JOD")
    field = "receiver_account" if path == "internal" else "receiver_account_number"
    payload = {"sender_account": sender.pk, field: receiver.pk, "amount": "10.00"}
    # Not the account's first of the day, whose daily total is summed once (pipeline.outgoing_on).
    assert user_client.post(f"/api/transfers/{path}/", payload).status_code == 201
    with CaptureQueriesContext(connection) as queries:
        response = user_client.post(f"/api/transfers/{path}/", payload)
    assert response.status_code == 201, response.json()
    (posting,) = _under_the_locks(queries)
    for table in ("api_transaction", "api_ledgerentry", "api_outboxevent"):
        assert f'INSERT INTO "{table}"' in posting
    assert 'UPDATE "api_account"' in posting
    txn = Transaction.objects.get(pk=response.json()["id"])
    assert (txn.status, txn.sender_balance_after, txn.receiver_balance_after) == ("SUCCESS", balance(sender), balance(receiver))
    assert LedgerEntry.objects.filter(transaction=txn).count() == (3 if path == "external" else 2)
    assert balance(sender) == (D("79.80") if path == "external" else D("80.00"))
    assert OutboxEvent.objects.filter(model="api.Transaction", object_id=txn.pk).count() == 2
    assert_ledger_ok()


def test_a_refused_transfer_still_records_its_failure_under_the_drawn_number(user, user_client, other_user):
    sender, receiver = make_account(user, "JOD", "5.00"), make_account(other_user, "JOD")
    response = user_client.post(
        "/api/transfers/external/", {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "10.00"}
    )
    assert response.status_code == 400 and response.json()["code"] == "insufficient_funds"
    failed = Transaction.objects.get(pk=response.json()["transaction_id"])
    assert (failed.status, failed.failure_reason) == ("FAILED", "insufficient_funds")
    assert not failed.entries.exists() and balance(sender) == 5


def test_the_rows_written_with_the_posting_read_back_exactly_as_built(user, other_user):
    """The posting's rows travel as JSON (ledger_sql._inserting): no digit, microsecond or key may change."""
    from api.services.transfers import TransferRequest, create_transfer

    sender, receiver = make_account(user, "JOD", "100.00"), make_account(other_user, "JOD")
    context = {"ip": "2001:db8::7", "country": "JO", "request_meta": {"user_agent": "ü \"quoted\"", "via": ""}}
    outcome = create_transfer(TransferRequest(
        kind="EXTERNAL", user=user, sender=sender.pk, receiver=receiver.pk, amount=D("12.34"),
        idempotency_key="k-ü", context=context,
    ))
    built = outcome.transaction
    stored = Transaction.objects.get(pk=built.pk)
    for field in Transaction._meta.concrete_fields:
        assert getattr(stored, field.attname) == getattr(built, field.attname), field.name
    assert stored.created_at.microsecond == built.created_at.microsecond
    assert (stored.fee_amount, stored.sender_balance_after) == (D("0.12"), D("87.54"))
    events = OutboxEvent.objects.filter(model="api.Transaction", object_id=built.pk)
    assert [e.payload["status"] for e in events] == ["SUCCESS", "SUCCESS"]
    assert {e.payload["completed_at"][:23] for e in events} == {built.completed_at.isoformat()[:23]}
