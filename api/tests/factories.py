"""Moved to ``nexus.testing.factories``; kept for bench/ until it imports from there."""
from nexus.testing.factories import PASSWORD, UserFactory  # noqa: F401
