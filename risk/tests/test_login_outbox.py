"""Logins and sign-ups through the outbox: a process killed after their commit loses no incident or counter.

The requests go through a client that never runs on-commit callbacks: the
process died right after the commit. What the rules and the metrics owe
those rows must then wait in the outbox, and a later drain delivers it once.
"""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.test import APIClient as DyingClient

from api.models import OutboxEvent, User
from business.metrics.days import business_date
from business.metrics.read import day_figures
from business.models import DailyBusinessMetrics
from nexus.testing.auth import last_code
from nexus.testing.factories import PASSWORD
from risk.tests.delivery import drain
from risk.tests.helpers import incidents

pytestmark = pytest.mark.django_db

STRONG = "Pl3nty-of-entropy"


@pytest.fixture
def killed_after_commit(settings, worker_down):
    """Each request commits, then its process dies: no on-commit callback runs, no dispatcher yet."""
    settings.API_THROTTLING = False
    return DyingClient()


def today(name):
    """A counter of today's metrics, as the dashboards add them up."""
    day = business_date()
    return day_figures(DailyBusinessMetrics.objects.filter(date=day)).get(day, {}).get(name, 0)


def population_today(name):
    """An exact population figure of today's row (``total_users``, ``dau``), 0 without a row."""
    return DailyBusinessMetrics.objects.filter(date=business_date()).values_list(name, flat=True).first() or 0


def waiting(kind):
    return OutboxEvent.objects.pending().filter(kind=kind).count()


def test_failed_logins_of_a_killed_process_wait_in_the_outbox_and_are_delivered_once(killed_after_commit, user):
    for _ in range(5):
        response = killed_after_commit.post("/auth/login/init/", {"email": user.email, "password": "nope-nope-nope"})
        assert response.status_code == 401
    assert not incidents("failed_login").exists() and today("failed_logins") == 0
    assert waiting("login_recorded") == 5

    drain()
    assert drain() == 0  # nothing left, nothing applied twice
    assert incidents("failed_login", user=user).count() == 5
    assert incidents("brute_force", user=user).count() == 1
    assert today("failed_logins") == 5
    assert today("incidents") == 6


def test_a_sign_up_of_a_killed_process_is_counted_once_delivered(killed_after_commit):
    body = {"email": "ann@example.com", "password": STRONG, "re_password": STRONG, "first_name": "Ann", "country": "SA"}
    assert killed_after_commit.post("/auth/users/", body).status_code == 201
    assert today("new_users") == 0 and waiting("user_signed_up") == 1

    drain()
    drain()
    assert today("new_users") == 1
    assert population_today("total_users") == User.objects.count()
    assert waiting("user_signed_up") == 0


def test_a_successful_login_of_a_killed_process_is_delivered_once(killed_after_commit, user):
    assert killed_after_commit.post("/auth/login/init/", {"email": user.email, "password": PASSWORD}).status_code == 200
    drain()  # the code's email (and the user's sign-up)
    response = killed_after_commit.post("/auth/login/verify/", {"email": user.email, "code": last_code()})
    assert response.status_code == 200, response.json()
    assert not incidents("login_success").exists() and population_today("dau") == 0
    assert waiting("login_recorded") == 1

    drain()
    assert drain() == 0
    assert incidents("login_success", user=user).count() == 1
    assert population_today("dau") == 1


def test_the_counters_of_a_batch_of_logins_and_sign_ups_are_one_upsert(killed_after_commit, user):
    """Failures, their incidents and a sign-up delivered together: one counter statement, the same figures."""
    body = {"email": "ann@example.com", "password": STRONG, "re_password": STRONG, "first_name": "Ann"}
    assert killed_after_commit.post("/auth/users/", body).status_code == 201
    for _ in range(5):
        killed_after_commit.post("/auth/login/init/", {"email": user.email, "password": "nope-nope-nope"})

    with CaptureQueriesContext(connection) as queries:
        drain()
    upserts = [q["sql"] for q in queries if q["sql"].startswith('INSERT INTO "business_metricshard"')]
    assert len(upserts) == 1, upserts
    assert (today("new_users"), today("failed_logins"), today("incidents")) == (2, 5, 6)
