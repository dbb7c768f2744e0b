"""A real deadlock while an outbox batch records an incident, on PostgreSQL (issue 13's crash-bench flake).

Two delivering batches (the worker's two threads) each hold rows the other
then needs: in the bench, metric shard rows counted by one batch's incidents
and by the other's transfers. PostgreSQL breaks the cycle by failing one
statement, here the incident's INSERT. Played out deterministically: a second
connection holds what the incident needs (a lock on the incidents table),
waits until the batch queues behind it, then asks for the events the batch
holds.
"""
import threading

import pytest
from django.db import DatabaseError, connection, transaction

from api.models import OutboxEvent
from nexus.testing.money import make_account
from risk.tests.delivery import drain, incidents_counted_today, refused_transfer, rules_fired

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

if connection.vendor != "postgresql":
    pytest.skip("a deadlock between two connections needs PostgreSQL (set DATABASE_URL)", allow_module_level=True)


def backend_pid():
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def waits_for_a_lock(pid):
    with connection.cursor() as cursor:
        cursor.execute("SELECT wait_event_type = 'Lock' FROM pg_stat_activity WHERE pid = %s", [pid])
        row = cursor.fetchone()
    return bool(row and row[0])


class OtherBatch(threading.Thread):
    """Holds the incidents table, then wants ``event_ids`` once ``pid`` queues behind it: a deadlock."""

    def __init__(self, pid, event_ids):
        super().__init__(daemon=True)
        self.pid, self.event_ids = pid, event_ids
        self.holding, self.queued = threading.Event(), threading.Event()

    def run(self):
        try:
            with transaction.atomic():
                with connection.cursor() as cursor:
                    cursor.execute("LOCK TABLE risk_incident IN SHARE MODE")
                self.holding.set()
                while not waits_for_a_lock(self.pid):
                    threading.Event().wait(0.01)
                self.queued.set()
                list(OutboxEvent.objects.select_for_update().filter(pk__in=self.event_ids))
        except DatabaseError:
            self.queued.set()  # chosen as the deadlock's victim instead: rolled back, nothing to undo
        finally:
            connection.close()


def test_an_incident_lost_to_a_deadlock_is_recorded_once_the_batch_is_delivered_again(
    user, other_user, worker_down
):
    receiver = make_account(other_user)
    txn_id = refused_transfer(user, receiver)
    other = OtherBatch(backend_pid(), list(OutboxEvent.objects.filter(model="api.Transaction", object_id=txn_id).values_list("pk", flat=True)))
    other.start()
    assert other.holding.wait(10)

    drain()  # queues behind the other batch on its first incident; PostgreSQL fails one side after deadlock_timeout
    other.join(30)
    drain()

    assert not other.is_alive() and other.queued.is_set()
    assert not OutboxEvent.objects.filter(model="api.Transaction", object_id=txn_id, delivered_at__isnull=True).exists()
    assert rules_fired(txn_id) == ["failed_transfer", "first_beneficiary"]
    assert incidents_counted_today() == 2
