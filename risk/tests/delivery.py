"""A refused transfer whose events wait in the outbox, and what its delivery left: for the delivery tests."""
from django.db import DatabaseError
from django.test import TestCase

from api import events
from business.metrics.days import business_date
from business.metrics.read import day_figures
from business.models import DailyBusinessMetrics
from nexus.testing.clients import client_for
from nexus.testing.money import make_account
from risk.models import Incident

TRANSFER = "/api/transfers/external/"


def refused_transfer(user, receiver):
    """An external transfer refused for insufficient funds: recorded FAILED, its events in the outbox."""
    sender = make_account(user, balance="5.00")
    response = client_for(user).post(
        TRANSFER, {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "10.00"}
    )
    assert response.status_code == 400 and response.json()["code"] == "insufficient_funds", response.content
    return response.json()["transaction_id"]


def drain():
    """What the outbox worker does; a delivery that fails as a whole is left for its next run."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        try:
            return events.drain()
        except DatabaseError:
            return None


def rules_fired(txn_id):
    """The rules that raised an incident for the transaction, sorted (each once when all is well)."""
    return sorted(Incident.objects.filter(details__transaction_id=txn_id).values_list("rule", flat=True))


def incidents_counted_today():
    day = business_date()
    return day_figures(DailyBusinessMetrics.objects.filter(date=day)).get(day, {}).get("incidents", 0)
