"""Moved to ``nexus.client``; kept only for ``risk.receivers`` until it imports from there."""
from nexus.client import client_country  # noqa: F401
