"""Fixtures shared by every app's tests; helpers to import live in ``nexus.testing``."""
import importlib

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache

from nexus.testing.clients import APIClient, client_for
from nexus.testing.factories import UserFactory

# Real-server fixtures (daphne_server, live_database) for the tests that drive Daphne.
pytest_plugins = ["api.tests.live"]


@pytest.fixture(autouse=True)
def _isolated_cache():
    """Throttle counters and cached look-ups never leak between tests."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _bank_accounts(request):
    """Give transactional tests the bank's accounts and billers back.

    Such tests flush the database between them, which removes the rows the
    data migration made; re-running that (idempotent) migration step is
    cheaper and more robust than ``serialized_rollback``.
    """
    marker = request.node.get_closest_marker("django_db")
    if marker is None or not marker.kwargs.get("transaction"):
        return
    request.getfixturevalue("transactional_db")
    migration = importlib.import_module("api.migrations.0002_system_accounts_and_billers")
    migration.create(django_apps, None)


@pytest.fixture
def api_client():
    return APIClient()


@pytest.fixture
def user(db):
    return UserFactory()


@pytest.fixture
def other_user(db):
    return UserFactory()


@pytest.fixture
def staff_user(db):
    return UserFactory(is_staff=True)


@pytest.fixture
def user_client(user):
    return client_for(user)


@pytest.fixture
def other_client(other_user):
    return client_for(other_user)


@pytest.fixture
def staff_client(staff_user):
    return client_for(staff_user)
