import importlib

import pytest
from django.apps import apps as django_apps
from django.core.cache import cache
from django.test import TestCase
from rest_framework.test import APIClient as DRFAPIClient

from api.services.sessions import issue_tokens
from api.tests.factories import UserFactory

# Real-server fixtures (daphne_server, live_database) for the tests that drive Daphne.
pytest_plugins = ["api.tests.live"]


class APIClient(DRFAPIClient):
    """Runs each request's on-commit callbacks when the request ends.

    Tests run inside one outer transaction that never commits, so without
    this, emails, pushes, rules and metrics queued with ``on_commit`` would
    never run; here they run where they would in production: after the
    request's own transaction.
    """

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)


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


def client_for(user):
    client = APIClient()
    tokens = issue_tokens(user)
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {tokens['access']}")
    client.tokens = tokens
    client.user = user
    return client


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
