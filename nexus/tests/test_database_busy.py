"""The database busy past its wait: 503 service_unavailable with Retry-After (API.md §1.5).

Every pooled PostgreSQL connection busy for the pool's timeout, or the SQLite
write lock held for the busy timeout: Django raises the driver's error wrapped in
its own ``OperationalError``; these tests raise exactly that where the request
first needs the database. The real pool running dry behind a real server is in
test_http_concurrency.py.
"""
import sqlite3
from unittest import mock

import pytest
from django.db import OperationalError, connection
from django.test import RequestFactory, override_settings
from psycopg_pool import PoolTimeout

from nexus.errors import server_error


def wrapped(cause):
    """``cause`` as Django raises it: its own OperationalError, raised from the driver's."""
    try:
        raise OperationalError(str(cause)) from cause
    except OperationalError as error:
        return error


def pool_timeout():
    return wrapped(PoolTimeout("couldn't get a connection after 1.00 sec"))


def sqlite_locked():
    return wrapped(sqlite3.OperationalError("database is locked"))


@override_settings(DB_RETRY_AFTER_SECONDS=7)
@pytest.mark.parametrize("busy", [pool_timeout, sqlite_locked])
def test_an_api_request_waiting_past_the_database_wait_gets_503_with_retry_after(user_client, busy):
    user_client.raise_request_exception = False  # a 503 is still reported to error monitoring, like a 500
    with mock.patch.object(connection, "ensure_connection", side_effect=busy()):
        response = user_client.get("/api/accounts/")

    assert response.status_code == 503
    assert response.json() == {"detail": "The service is busy. Try again shortly.", "code": "service_unavailable"}
    assert response["Retry-After"] == "7"


def test_other_database_errors_stay_server_errors(user_client):
    user_client.raise_request_exception = False
    with mock.patch.object(connection, "ensure_connection", side_effect=OperationalError("server closed the connection")):
        response = user_client.get("/api/accounts/")

    assert response.status_code == 500
    assert response.json()["code"] == "error"  # drf-standardized-errors' code for an unhandled exception


@pytest.mark.parametrize(("raised", "status"), [(pool_timeout(), 503), (ValueError("bug"), 500)])
def test_outside_drf_the_error_view_answers_503_only_for_the_pool(raised, status):
    """A middleware that finds the pool dry ends in Django's handler500 (nexus.errors.server_error)."""
    request = RequestFactory().get("/api/accounts/")
    try:
        raise raised
    except (OperationalError, ValueError):
        response = server_error(request)

    assert response.status_code == status
    assert (response.get("Retry-After") is not None) == (status == 503)
