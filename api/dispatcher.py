"""The outbox dispatcher: a long-running process that delivers events as they commit.

``manage.py deliver_outbox`` runs ``run``. On PostgreSQL it LISTENs on
``api.models.outbox.CHANNEL``: a trigger on the outbox table NOTIFYs it at
each commit that wrote events (migration 0004), so the request path never
talks to a broker and an idle dispatcher costs nothing. Elsewhere it polls.
After a wake-up it waits ``OUTBOX_DISPATCH_DELAY_SECONDS`` so that one
batch carries the events of many commits, then drains the outbox.

Several dispatchers may run: batches are taken with ``SKIP LOCKED``. Run it
at a lower CPU priority than the web processes (``nice``) on a machine
whose cores they share: delivery then fills the gaps between requests
instead of lengthening them.
"""
import logging
import threading

import psycopg
from django.conf import settings
from django.db import connection

from api import events
from api.models.outbox import CHANNEL

logger = logging.getLogger(__name__)

RECONNECT_SECONDS = 1.0


class Listener:
    """A connection of its own, outside the pool, that LISTENs for the outbox's NOTIFY."""

    def __init__(self):
        params = connection.get_connection_params()
        self.conn = psycopg.connect(
            **{key: value for key, value in params.items() if key not in {"cursor_factory", "context"}},
            autocommit=True,
        )
        self.conn.execute(f"LISTEN {CHANNEL}")

    def wait(self, timeout):
        """True when notified within ``timeout`` seconds; notifications already queued are consumed too."""
        notified = any(True for _ in self.conn.notifies(timeout=timeout, stop_after=1))
        if notified:
            any(True for _ in self.conn.notifies(timeout=0))  # coalesce what else arrived
        return notified

    def close(self):
        try:
            self.conn.close()
        except psycopg.Error:
            pass


class Poller:
    """Where there is no NOTIFY (SQLite): wake up every ``timeout``."""

    def __init__(self, stop):
        self.stop = stop

    def wait(self, timeout):
        self.stop.wait(timeout)
        return False

    def close(self):
        pass


def drain_once():
    """Deliver everything pending now, then hand the connection back (to the pool); returns the count.

    Between wake-ups the dispatcher holds no pooled connection, as a web process between requests.
    """
    try:
        return events.drain()
    finally:
        connection.close()


def run(stop=None, *, poll_seconds=None, delay_seconds=None):
    """Deliver until ``stop`` (a ``threading.Event``) is set; returns how many events were handled.

    A lost database connection (a restart, a failover) never ends the
    process: the delivery or the listener is retried every
    ``RECONNECT_SECONDS``, and the first drain after it finds what committed
    meanwhile.
    """
    stop = stop or threading.Event()
    poll = settings.OUTBOX_POLL_SECONDS if poll_seconds is None else poll_seconds
    delay = settings.OUTBOX_DISPATCH_DELAY_SECONDS if delay_seconds is None else delay_seconds
    waiter, total = None, 0
    try:
        while not stop.is_set():
            try:
                waiter = waiter or _waiter(stop)
                total += drain_once()
                if waiter.wait(poll) and delay:
                    stop.wait(delay)
            except Exception:
                logger.exception("Outbox delivery failed; retrying in %s s", RECONNECT_SECONDS)
                if waiter is not None:
                    waiter.close()
                    waiter = None
                stop.wait(RECONNECT_SECONDS)
    finally:
        if waiter is not None:
            waiter.close()
    return total


def _waiter(stop):
    return Listener() if connection.vendor == "postgresql" else Poller(stop)
