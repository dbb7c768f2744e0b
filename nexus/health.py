"""Failures the app survives but operators must see: counted in the cache, shown by ``/api/health/``.

The count runs since the cache was last emptied (with the local-memory cache, since the
process started; with Redis, shared by every process). Counting never raises: it runs
where a failure was just swallowed on purpose.
"""
import logging

from django.core.cache import cache

logger = logging.getLogger(__name__)

RISK_RULE_ERRORS = "risk_rule_errors"
OUTBOX_EVENTS_GIVEN_UP = "outbox_events_given_up"  # dead letters: see manage.py deliver_outbox --retry-given-up
COUNTERS = (RISK_RULE_ERRORS, OUTBOX_EVENTS_GIVEN_UP)


def _key(name):
    return f"health:{name}"


def count_failure(name):
    key = _key(name)
    try:
        cache.add(key, 0, timeout=None)
        cache.incr(key)
    except Exception:  # A cache outage must not turn a counted failure into a raised one.
        logger.exception("Counting %s failed", name)


def failure_counts():
    """``{name: count}`` for every counter; ``None`` for each when the cache cannot answer."""
    try:
        values = cache.get_many([_key(name) for name in COUNTERS])
    except Exception:
        logger.exception("Reading the failure counters failed")
        return dict.fromkeys(COUNTERS)
    return {name: values.get(_key(name), 0) for name in COUNTERS}
