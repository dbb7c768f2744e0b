"""What every rule set shares: sliding windows, once-per-window, safe evaluation.

A rule is a small function taking one committed event (a LoginEvent or a
Transaction) and returning the Incident it raised, or None.
"""
import logging
from datetime import timedelta

from django.db import DatabaseError, connection
from django.utils import timezone

from nexus.health import RISK_RULE_ERRORS, count_failure
from risk.models import Incident

logger = logging.getLogger(__name__)


def since(moment, minutes):
    """Start of the sliding window of ``minutes`` ending at ``moment``."""
    return moment - timedelta(minutes=minutes)


def fired_since(rule, start, **subject):
    """True when ``rule`` already raised an incident for ``subject`` inside the window."""
    return Incident.objects.filter(rule=rule, timestamp__gte=start, **subject).exists()


def local_hour_in(moment, start_hour, end_hour):
    """Is the server-local hour of ``moment`` in [start_hour, end_hour)?"""
    return start_hour <= timezone.localtime(moment).hour < end_hour


def evaluate(rules, event):
    """Run every rule on ``event``; one failing rule never stops the others or the caller.

    A rule that raises is a bug that hides incidents: it is logged at ERROR with
    its traceback and counted in ``/api/health/`` (``risk_rule_errors``).
    Except a database error inside a transaction (``_retried_by_caller``).
    """
    raised = []
    for rule in rules:
        try:
            incident = rule(event)
        except Exception as error:
            if _retried_by_caller(error):
                raise
            logger.exception("Risk rule %s failed on %r", rule.__name__, event)
            count_failure(RISK_RULE_ERRORS)
            continue
        if incident is not None:
            raised.append(incident)
    return raised


def _retried_by_caller(error):
    """A database error inside a transaction: the caller's unit of work must roll back and run the rules again.

    Such an error (a deadlock with another outbox batch, say) is no bug in
    the rule, and the incident it was writing is gone: swallowed, the outbox
    batch delivering the transfer or the login would commit its events as
    delivered without it (issue 13). Rules run outside any transaction (a
    test calling them directly) have no such unit, so the other rules still run.
    """
    return isinstance(error, DatabaseError) and connection.in_atomic_block
