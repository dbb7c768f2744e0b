"""What every rule set shares: sliding windows, once-per-window, safe evaluation.

A rule is a small function taking one committed event (a LoginEvent or a
Transaction) and returning the Incident it raised, or None.
"""
import logging
from datetime import timedelta

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

    Rules only read, then write at most one incident (a single autocommit
    INSERT), so no transaction or per-rule savepoint is needed: that keeps
    the after-commit work of a transfer to the rules' own queries.
    """
    raised = []
    for rule in rules:
        try:
            incident = rule(event)
        except Exception:
            logger.exception("Risk rule %s failed on %r", rule.__name__, event)
            count_failure(RISK_RULE_ERRORS)
            continue
        if incident is not None:
            raised.append(incident)
    return raised
