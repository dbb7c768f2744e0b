"""Moved to ``nexus.testing.money`` and ``nexus.testing.auth``; kept for the money-pipeline tests still naming it."""
from nexus.testing.auth import last_code  # noqa: F401
from nexus.testing.money import assert_ledger_ok, balance, make_account, system_balance  # noqa: F401
