"""The outbox dispatcher (manage.py deliver_outbox): woken by the commit itself, on PostgreSQL."""
import threading
import time

import pytest
from django.db import connection

from api import dispatcher
from api.models import Notification, OutboxEvent
from nexus.testing.clients import client_for
from nexus.testing.money import make_account

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

if connection.vendor != "postgresql":
    pytest.skip("NOTIFY is PostgreSQL's; elsewhere the dispatcher polls (set DATABASE_URL)", allow_module_level=True)


def wait_for(condition, seconds):
    """Poll ``condition`` until true or ``seconds`` passed; returns its last value."""
    deadline = time.monotonic() + seconds
    while not (result := condition()) and time.monotonic() < deadline:
        time.sleep(0.05)
    return result


def listening():
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE query = %s", [f"LISTEN {dispatcher.CHANNEL}"])
        return cursor.fetchone()[0] > 0


@pytest.fixture
def running_dispatcher(settings):
    """A dispatcher that polls only once a minute: an event delivered sooner was announced by NOTIFY."""
    settings.OUTBOX_INLINE = False
    stop = threading.Event()
    thread = threading.Thread(target=dispatcher.run, args=(stop,), kwargs={"poll_seconds": 60, "delay_seconds": 0})
    thread.start()
    try:
        assert wait_for(listening, 10), "the dispatcher never listened"
        yield
    finally:
        stop.set()
        connection.close()  # pg_notify wakes the listener, which then sees stop
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_notify(%s, '')", [dispatcher.CHANNEL])
        thread.join(10)
        assert not thread.is_alive()


def test_a_committed_transfer_is_delivered_at_once_without_a_broker(user, other_user, running_dispatcher):
    sender, receiver = make_account(user, balance="100.00"), make_account(other_user)
    response = client_for(user).post(
        "/api/transfers/external/", {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "10.00"}
    )
    assert response.status_code == 201, response.content
    txn_id = response.json()["id"]

    assert wait_for(lambda: Notification.objects.filter(related_transaction_id=txn_id).count() == 2, 10)
    assert wait_for(lambda: not OutboxEvent.objects.pending().exists(), 10)



def test_the_dispatcher_listens_again_after_losing_its_connection(user, other_user, running_dispatcher):
    """A database restart ends the listening session: the dispatcher comes back and delivers what committed."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE query = %s", [f"LISTEN {dispatcher.CHANNEL}"]
        )
        assert cursor.fetchone() == (True,)
    sender, receiver = make_account(user, balance="100.00"), make_account(other_user)
    response = client_for(user).post(
        "/api/transfers/external/", {"sender_account": sender.pk, "receiver_account_number": receiver.pk, "amount": "10.00"}
    )
    txn_id = response.json()["id"]

    assert wait_for(lambda: Notification.objects.filter(related_transaction_id=txn_id).count() == 2, 10)
    assert wait_for(listening, 10)
