"""Test clients whose on-commit work runs when each request ends, as in production."""
from django.test import Client, TestCase
from rest_framework.test import APIClient as DRFAPIClient

from api.services.sessions import issue_tokens


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


class Browser(Client):
    """A cookie-session client (admin, allauth) whose on-commit work runs per request, like ``APIClient``."""

    def request(self, **kwargs):
        with TestCase.captureOnCommitCallbacks(execute=True):
            return super().request(**kwargs)


def client_for(user):
    """An ``APIClient`` signed in as ``user`` with a fresh token pair (``client.tokens``)."""
    client = APIClient()
    tokens = issue_tokens(user)
    bearer(client, tokens["access"])
    client.tokens = tokens
    client.user = user
    return client


def bearer(client, access):
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {access}")
    return client
