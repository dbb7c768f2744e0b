"""Hostile input (issue 7): schemathesis over the whole OpenAPI schema, in process.

Every documented operation is fuzzed as a customer and, separately, as staff,
with positive and negative data. The checks: no 5xx, and every response
(errors included) matches the documented status codes, content types and
bodies. The example budget per operation is small and the run derandomized,
so the suite stays fast and a failure reproduces.

The generated run is on SQLite only: the property under test (what the API
answers) does not depend on the database, and a second run on PostgreSQL would
double the suite's slowest test for no new finding. The explicit hostile cases
at the end (oversized and deeply nested bodies, control characters in path
parameters) are few and run on both: a NUL byte is an error of PostgreSQL itself.
"""
from decimal import Decimal

import hypothesis
import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections, connection
from django.db.models import Q
from django.test import TestCase
from rest_framework.views import APIView
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from api.models import Biller, BillPayment, Card, Notification, Transaction
from api.services.accounts import open_account
from api.services.cards import issue_card
from api.services.deposits import deposit
from api.services.sessions import issue_tokens
from nexus.testing.factories import UserFactory
from nexus.wsgi import application
from risk.models import Incident

MAX_EXAMPLES = 15
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]
# Staff-only areas; a customer is refused there (403) before any input is read.
STAFF_PATHS = r"^/(api/admin|risk|business)/"


def _config(coverage):
    """``coverage`` adds schemathesis' deterministic boundary cases (huge ints, empty
    strings, missing fields, wrong types, unexpected methods) to the random ones."""
    return SchemathesisConfig.from_dict(
        {
            "seed": 20260101,
            "generation": {
                "mode": "all",  # valid and deliberately invalid inputs
                "max-examples": MAX_EXAMPLES,
                "deterministic": True,
                "database": "none",
                "with-security-parameters": False,  # the token is ours, set below
            },
            "phases": {"stateful": {"enabled": False}, "coverage": {"enabled": coverage}},
        }
    )


def _schema(coverage):
    return (
        schemathesis.openapi.from_wsgi("/api/schema/?format=json", application, config=_config(coverage))
        # The allauth redirect endpoint is a browser hop that depends on a Django
        # session cookie (never present on the API); its one contract (302 to the
        # frontend) is covered by api/tests/test_social.py. /admin/ (Django admin
        # HTML), /accounts/ (allauth HTML) and /ws/ (WebSocket) are not in the
        # schema at all, so they are not fuzzed.
        .exclude(path="/auth/social/complete/")
    )


# Deep (boundary + random cases) where the caller gets past the permission
# check; random cases only where the answer is a 403 anyway, to keep the run short.
deep, light = _schema(coverage=True), _schema(coverage=False)
customer_area = deep.exclude(path_regex=STAFF_PATHS)
customer_on_staff_area = light.include(path_regex=STAFF_PATHS)
staff_area = deep.include(path_regex=STAFF_PATHS)
staff_on_customer_area = light.exclude(path_regex=STAFF_PATHS)


def _funded_user(**extra):
    """A user with one funded account per currency, so money endpoints do real work."""
    user = UserFactory(**extra)
    staff = UserFactory(is_staff=True) if not user.is_staff else user
    accounts = []
    for account_type, currency in (("Savings", "JOD"), ("USD", "USD"), ("EUR", "EUR")):
        account = open_account(user, account_type, currency)
        deposit(staff, account.pk, Decimal("5000.00"))
        issue_card(account)
        accounts.append(account)
    return user, accounts


@pytest.fixture
def api_only(db, settings, monkeypatch):
    """No throttles, no lockouts, no outside services: only the API's own answers."""
    monkeypatch.setattr(APIView, "get_throttles", lambda self: [])
    settings.AXES_ENABLED = False
    settings.GEMINI_API_KEY = ""
    settings.IPINFO_TOKEN = ""


@pytest.fixture
def fuzz_env(api_only):
    if connection.vendor != "sqlite":
        pytest.skip("The schema fuzz runs once, on SQLite: answers do not depend on the database.")


@pytest.fixture
def customer(fuzz_env):
    user, accounts = _funded_user()
    _, other_accounts = _funded_user()
    return _actor(user, accounts, other_accounts)


@pytest.fixture
def staff(fuzz_env):
    user, accounts = _funded_user(is_staff=True)
    _, other_accounts = _funded_user()
    return _actor(user, accounts, other_accounts)


def _actor(user, accounts, other_accounts):
    return {
        "user": user,
        "headers": {"Authorization": f"Bearer {issue_tokens(user)['access']}"},
        "own": [a.pk for a in accounts],
        "foreign": [a.pk for a in other_accounts],
        "calls": 0,
    }


def _steer(case, actor):
    """Every other example uses real identifiers, so the fuzz reaches past the 404/400 gate.

    Generated values stay in the other half, so odd identifiers are fuzzed too.
    """
    actor["calls"] += 1
    if actor["calls"] % 2:
        return
    own, foreign = actor["own"], actor["foreign"]
    pick = actor["calls"] // 2
    params = case.path_parameters or {}
    if "account_number" in params:
        params["account_number"] = own[pick % len(own)]
    if "id" in params:
        real_id = _real_id(case.operation.path, actor)
        if real_id is not None:
            params["id"] = real_id
    if isinstance(case.body, dict):
        body = case.body
        for key in ("sender_account", "account"):
            if key in body:
                body[key] = own[pick % len(own)]
        if "receiver_account" in body:
            body["receiver_account"] = own[(pick + 1) % len(own)]
        if "receiver_account_number" in body:
            body["receiver_account_number"] = foreign[pick % len(foreign)]
        if "biller" in body:
            body["biller"] = Biller.objects.values_list("pk", flat=True).first()


def _real_id(path, actor):
    """An existing object of the kind ``path`` names, owned by the caller where that matters."""
    user, own = actor["user"], actor["own"]
    mine = Q(sender_account__in=own) | Q(receiver_account__in=own)
    queries = {
        "/api/cards/": Card.objects.filter(account__in=own),
        "/api/transfers/": Transaction.objects.filter(mine),
        "/api/bill/": BillPayment.objects.filter(user=user),
        "/api/notifications/": Notification.objects.filter(user=user),
        "/auth/users/": type(user).objects.filter(pk=user.pk),
        "/api/admin/transactions/": Transaction.objects.all(),
        "/api/admin/users/": type(user).objects.exclude(pk=user.pk),
        "/risk/incidents/": Incident.objects.all(),
    }
    for prefix, queryset in queries.items():
        if path.startswith(prefix):
            return queryset.order_by("-pk").values_list("pk", flat=True).first()
    return None


def _run(case, actor):
    _steer(case, actor)
    # Callbacks queued with on_commit (signals, risk rules, metrics) run as in
    # production: a crash there is a finding too.
    with TestCase.captureOnCommitCallbacks(execute=True):
        case.call_and_validate(headers=actor["headers"], checks=CHECKS)


SETTINGS = hypothesis.settings(
    max_examples=MAX_EXAMPLES,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(hypothesis.HealthCheck),
)


@customer_area.parametrize()
@SETTINGS
def test_customer_endpoints_as_customer(case, customer):
    _run(case, customer)


@customer_on_staff_area.parametrize()
@SETTINGS
def test_staff_endpoints_as_customer(case, customer):
    _run(case, customer)


@staff_area.parametrize()
@SETTINGS
def test_staff_endpoints_as_staff(case, staff):
    _run(case, staff)


@staff_on_customer_area.parametrize()
@SETTINGS
def test_customer_endpoints_as_staff(case, staff):
    _run(case, staff)


# --- Hostile cases (issue 12) the generated data never reaches: bodies over the upload
# limit or nested past any sane depth, and control characters in every path parameter.
# Explicit cases on every operation: bounded (one call per operation and case) and exact.

OVERSIZED = {"padding": "x" * (3 * 1024 * 1024)}
NESTED = b"[" * 1000 + b"]" * 1000
CONTROL_CHARACTERS = ["\x00", "\x1f", "\x7f", "12345678901\x00", "1\n"]
UNKNOWN_PATH_VALUES = {"account_number": "000000000000"}


def _operations(schema, with_body=False, with_path=False):
    for result in schema.get_all_operations():
        operation = result.ok()
        if with_body and not list(operation.body):
            continue
        if with_path and not list(operation.path_parameters):
            continue
        yield operation


def _path_values(operation, value=None):
    """``value`` in every path parameter, or one that matches the route and names nothing."""
    return {
        parameter.name: value if value is not None else UNKNOWN_PATH_VALUES.get(parameter.name, "999999")
        for parameter in operation.path_parameters
    }


@pytest.fixture
def hostile_staff(api_only):
    """Staff reach every operation; these few calls also run on PostgreSQL, where a NUL byte
    in a query parameter is an error of the database itself."""
    # As Django's test client does: the WSGI app must not close the test's connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    user, accounts = _funded_user(is_staff=True)
    yield _actor(user, accounts, [])
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def _call_all(cases, actor):
    """Every case answered without a 5xx and as documented; all failures reported at once."""
    failures = []
    for case in cases:
        try:
            with TestCase.captureOnCommitCallbacks(execute=True):
                case.call_and_validate(headers=actor["headers"], checks=CHECKS)
        except Exception as exc:  # noqa: BLE001 - collected, reported below
            failures.append(f"{case.method} {case.path} {case.path_parameters}: {exc}")
    assert not failures, "\n\n".join(failures)


def test_bodies_over_the_upload_limit(hostile_staff):
    _call_all(
        (op.Case(path_parameters=_path_values(op), body=OVERSIZED, media_type="application/json")
         for op in _operations(light, with_body=True)),
        hostile_staff,
    )


def test_bodies_nested_a_thousand_deep(hostile_staff):
    _call_all(
        (op.Case(path_parameters=_path_values(op), body=NESTED, media_type="application/json")
         for op in _operations(light, with_body=True)),
        hostile_staff,
    )


@pytest.mark.parametrize("value", CONTROL_CHARACTERS, ids=repr)
def test_control_characters_in_path_parameters(hostile_staff, value):
    _call_all(
        (op.Case(path_parameters=_path_values(op, value)) for op in _operations(light, with_path=True)),
        hostile_staff,
    )
