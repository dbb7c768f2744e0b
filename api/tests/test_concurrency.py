"""Money under concurrent load, on PostgreSQL (real threads, one client and DB connection each)."""
from decimal import Decimal

import pytest
from django.db import connection

from api.models import Transaction
from nexus.testing.clients import client_for
from nexus.testing.concurrency import run_parallel
from nexus.testing.factories import UserFactory
from nexus.testing.money import assert_ledger_ok, balance, make_account

D = Decimal
INTERNAL = "/api/transfers/internal/"
EXTERNAL = "/api/transfers/external/"

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
]


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("row locks and concurrent writers need PostgreSQL (set DATABASE_URL)")


def test_twenty_threads_drain_one_account_exactly():
    user = UserFactory()
    sender = make_account(user, "JOD", "1000.00")
    receiver = make_account(user, "JOD")

    def worker():
        client = client_for(user)
        codes = []
        for _ in range(10):
            response = client.post(
                INTERNAL, {"sender_account": sender.pk, "receiver_account": receiver.pk, "amount": "7.00"}
            )
            codes.append(response.status_code)
        return codes

    codes = [code for codes in run_parallel([worker] * 20) for code in codes]
    assert all(code < 500 for code in codes)
    assert codes.count(201) == 142  # floor(1000 / 7)
    assert codes.count(400) == 58
    assert balance(sender) == D("6.00")
    assert balance(receiver) == D("994.00")
    outgoing = Transaction.objects.filter(sender_account=sender)
    assert outgoing.filter(status="SUCCESS").count() == 142
    assert outgoing.filter(status="FAILED", failure_reason="insufficient_funds").count() == 58
    assert_ledger_ok()


def test_opposite_direction_storm_never_deadlocks_to_a_client():
    alice, bob = UserFactory(), UserFactory()
    a = make_account(alice, "JOD", "500.00")
    b = make_account(bob, "USD", "500.00")

    def worker(client, sender, receiver):
        def job():
            return [
                client.post(
                    EXTERNAL, {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "3.00"}
                ).status_code
                for _ in range(8)
            ]

        return job

    jobs = []
    for _ in range(6):
        jobs.append(worker(client_for(alice), a, b))
        jobs.append(worker(client_for(bob), b, a))
    codes = [code for codes in run_parallel(jobs) for code in codes]
    assert set(codes) == {201}
    assert_ledger_ok()


@pytest.mark.parametrize("threads", [10, 50])
def test_one_key_many_simultaneous_requests_debit_once(threads):
    user = UserFactory()
    sender = make_account(user, "JOD", "100.00")
    receiver = make_account(user, "USD")
    clients = [client_for(user) for _ in range(threads)]
    payload = {"sender_account": sender.pk, "receiver_account": receiver.pk, "amount": "10.00", "idempotency_key": "once"}

    responses = run_parallel([lambda c=c: c.post(INTERNAL, payload) for c in clients])
    codes = sorted(r.status_code for r in responses)
    assert codes == [200] * (threads - 1) + [201]
    bodies = {tuple(sorted(r.json().items())) for r in responses}
    assert len(bodies) == 1
    assert balance(sender) == D("90.00")
    assert balance(receiver) == D("14.10")
    assert Transaction.objects.filter(idempotency_key="once").count() == 1
    assert_ledger_ok()


@pytest.mark.parametrize("threads", [10, 50])
def test_one_key_different_payloads_conflict(threads):
    user = UserFactory()
    sender = make_account(user, "JOD", "1000.00")
    receiver = make_account(user, "JOD")
    clients = [client_for(user) for _ in range(threads)]

    def job(client, cents):
        amount = f"{1 + cents / 100:.2f}"
        return client.post(
            INTERNAL,
            {"sender_account": sender.pk, "receiver_account": receiver.pk, "amount": amount, "idempotency_key": "k"},
        )

    responses = run_parallel([lambda c=c, i=i: job(c, i) for i, c in enumerate(clients)])
    codes = sorted(r.status_code for r in responses)
    assert codes == [201] + [409] * (threads - 1)
    winner = next(r.json() for r in responses if r.status_code == 201)
    assert balance(sender) == D("1000.00") - D(winner["amount"])
    assert Transaction.objects.filter(idempotency_key="k").count() == 1
    assert_ledger_ok()
