"""A transfer's rules run exactly once even when the database fails while its incidents are recorded (issue 13).

The rules run inside the outbox batch that delivers the transfer's events; an
incident commits with that batch (and its metric counter with it). When the
database refuses the incident (a deadlock with another delivering batch, as
the crash bench met on PostgreSQL), the batch must roll back and be delivered
again: acknowledging the event without the incident loses it for good.
"""
import pytest
from django.db import OperationalError

from api.models import OutboxEvent
from nexus.testing.money import make_account
from risk.models import Incident
from risk.signals import incident_raised
from risk.tests.delivery import drain, incidents_counted_today, refused_transfer, rules_fired

pytestmark = pytest.mark.django_db


def test_an_incident_the_database_refuses_once_is_recorded_on_redelivery(user, other_user, worker_down):
    receiver = make_account(other_user)
    txn_id = refused_transfer(user, receiver)
    refused = {"left": 1}

    def deadlock_once(sender, incident, **kwargs):
        # Where the crash bench's deadlock struck: the incident's metric counter, inside its recording.
        if refused["left"]:
            refused["left"] -= 1
            raise OperationalError("deadlock detected")

    incident_raised.connect(deadlock_once, weak=False)
    try:
        drain()
    finally:
        incident_raised.disconnect(deadlock_once)
    drain()

    assert not OutboxEvent.objects.filter(model="api.Transaction", object_id=txn_id, delivered_at__isnull=True).exists()
    assert rules_fired(txn_id) == ["failed_transfer", "first_beneficiary"]
    assert incidents_counted_today() == Incident.objects.count() == 2
