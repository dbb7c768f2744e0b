"""Broken-object-level-authorization sweep (API.md §1.5): another customer's objects are 404.

Fixtures are built through the API only. ``test_every_object_route_is_swept``
fails when a customer route with a path parameter appears that the sweep
below does not exercise, so new endpoints cannot slip past it.
"""
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from api.models import Biller, Notification
from nexus.testing.clients import client_for
from nexus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db

# Route names (namespace ``api``) the sweep covers, by the request that probes them.
SWEPT_ROUTES = {
    "account-detail",
    "account-cards",
    "account-transactions",
    "card-detail",
    "transfer-detail",
    "bill-detail",
    "notification-read",
}


def customer_object_routes():
    """Names of /api/ routes with a path parameter, staff routes excluded."""
    names = set()

    def walk(patterns, prefix):
        for pattern in patterns:
            route = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns, route)
            elif (
                isinstance(pattern, URLPattern)
                and "<" in route
                and pattern.name
                and route.startswith("api/")
                and not route.startswith("api/admin/")
            ):
                names.add(pattern.name)

    walk(get_resolver().url_patterns, "")
    return names


def ok(response, status=(200, 201, 202)):
    assert response.status_code in (status if isinstance(status, tuple) else (status,)), response.json()
    return response.json()


class World:
    """The owner's objects of every kind, and an intruder with objects of their own."""

    def __init__(self):
        staff = client_for(UserFactory(is_staff=True))
        self.owner = client_for(UserFactory())
        self.intruder = client_for(UserFactory())
        third = client_for(UserFactory())

        self.account = ok(self.owner.post("/api/accounts/", {"type": "Savings"}))["account_number"]
        self.second = ok(self.owner.post("/api/accounts/", {"type": "USD"}))["account_number"]
        self.own_account = ok(self.intruder.post("/api/accounts/", {"type": "Savings"}))["account_number"]
        third_account = ok(third.post("/api/accounts/", {"type": "Savings"}))["account_number"]
        for number in (self.account, self.own_account):
            ok(staff.post(f"/api/admin/accounts/{number}/deposit/", {"amount": "5000.00"}))

        self.card = ok(self.owner.post(f"/api/accounts/{self.account}/cards/", {}))["id"]
        self.own_card = ok(self.intruder.post(f"/api/accounts/{self.own_account}/cards/", {}))["id"]
        self.transfer = ok(
            self.owner.post(
                "/api/transfers/internal/",
                {"sender_account": self.account, "receiver_account": self.second, "amount": "100.00"},
            )
        )["id"]
        self.pending = ok(
            self.owner.post(
                "/api/transfers/external/",
                {"sender_account": self.account, "receiver_account_number": third_account, "amount": "900.00"},
            ),
            202,
        )["id"]
        self.own_transfer = ok(
            self.intruder.post(
                "/api/transfers/external/",
                {"sender_account": self.own_account, "receiver_account_number": third_account, "amount": "10.00"},
            )
        )["id"]
        biller = Biller.objects.first().pk
        self.bill = ok(
            self.owner.post("/api/bill/", {"account": self.account, "biller": biller, "reference_number": "R1"})
        )["id"]
        self.own_bill = ok(
            self.intruder.post("/api/bill/", {"account": self.own_account, "biller": biller, "reference_number": "R2"})
        )["id"]
        self.notification = Notification.objects.filter(user=self.owner.user).first().pk
        assert Notification.objects.filter(user=self.intruder.user).exists()


@pytest.fixture
def world():
    return World()


def test_every_object_route_is_swept():
    assert customer_object_routes() <= SWEPT_ROUTES, customer_object_routes() - SWEPT_ROUTES


def test_owner_reaches_every_object(world):
    owner = world.owner

    def get(path):
        return ok(owner.get(path), 200)

    assert get(f"/api/accounts/{world.account}/")["account_number"] == world.account
    assert world.transfer in [row["id"] for row in get(f"/api/accounts/{world.account}/transactions/")["results"]]
    assert [card["id"] for card in get(f"/api/accounts/{world.account}/cards/")["results"]] == [world.card]
    assert get(f"/api/cards/{world.card}/")["id"] == world.card
    transfer = get(f"/api/transfers/{world.transfer}/")
    assert (transfer["id"], transfer["amount"], transfer["status"]) == (world.transfer, "100.00", "SUCCESS")
    pending = get(f"/api/transfers/{world.pending}/")
    assert (pending["id"], pending["amount"], pending["status"]) == (world.pending, "900.00", "PENDING_OTP")
    assert get(f"/api/bill/{world.bill}/")["id"] == world.bill
    assert ok(owner.post(f"/api/notifications/{world.notification}/read/"), 200)["is_read"] is True
    assert Notification.objects.get(pk=world.notification).is_read is True


def test_intruder_gets_404_on_every_object(world):
    intruder = world.intruder
    calls = [
        ("get", f"/api/accounts/{world.account}/", None),
        ("get", f"/api/accounts/{world.account}/transactions/", None),
        ("get", f"/api/accounts/{world.account}/cards/", None),
        ("post", f"/api/accounts/{world.account}/cards/", {}),
        ("get", f"/api/cards/{world.card}/", None),
        ("patch", f"/api/cards/{world.card}/", {"is_active": False}),
        ("delete", f"/api/cards/{world.card}/", None),
        ("get", f"/api/transfers/{world.transfer}/", None),
        ("get", f"/api/transfers/{world.pending}/", None),
        ("post", "/api/transfers/confirm/", {"transaction_id": world.pending, "otp_code": "000000"}),
        ("get", f"/api/bill/{world.bill}/", None),
        ("post", f"/api/notifications/{world.notification}/read/", None),
        ("patch", f"/api/notifications/{world.notification}/read/", None),
    ]
    for method, path, body in calls:
        response = getattr(intruder, method)(path, body) if body is not None else getattr(intruder, method)(path)
        assert response.status_code == 404, (method, path, response.json())
        assert response.json()["code"] == "not_found"
    # Nothing changed behind the 404s.
    card = world.owner.get(f"/api/cards/{world.card}/").json()
    assert card["is_active"] is True
    assert world.owner.get(f"/api/transfers/{world.pending}/").json()["status"] == "PENDING_OTP"
    assert Notification.objects.get(pk=world.notification).is_read is False


def test_request_bodies_naming_anothers_account_are_400_like_unknown(world):
    intruder = world.intruder

    def refusal(path, body, field):
        response = intruder.post(path, body)
        assert response.status_code == 400, response.json()
        return response.json()["errors"][field]

    internal = {"receiver_account": world.own_account, "amount": "1.00"}
    assert refusal("/api/transfers/internal/", {**internal, "sender_account": world.account}, "sender_account") == refusal(
        "/api/transfers/internal/", {**internal, "sender_account": "999999999999"}, "sender_account"
    )
    external = {"receiver_account_number": world.account, "amount": "1.00"}
    assert refusal("/api/transfers/external/", {**external, "sender_account": world.second}, "sender_account") == refusal(
        "/api/transfers/external/", {**external, "sender_account": "999999999999"}, "sender_account"
    )
    bill = {"biller": Biller.objects.first().pk, "reference_number": "X"}
    assert refusal("/api/bill/", {**bill, "account": world.account}, "account") == refusal(
        "/api/bill/", {**bill, "account": "999999999999"}, "account"
    )
    assert world.owner.get(f"/api/accounts/{world.account}/").json()["balance"] == str(
        Decimal("5000.00") - Decimal("100.00") - Decimal(world.owner.get(f"/api/bill/{world.bill}/").json()["amount"])
    )


def test_lists_never_contain_anothers_objects(world):
    intruder = world.intruder

    def ids(path, key="id"):
        response = intruder.get(path)
        assert response.status_code == 200, path
        return {item[key] for item in response.json()["results"]}

    assert ids("/api/accounts/", "account_number") == {world.own_account}
    assert ids(f"/api/accounts/{world.own_account}/cards/") == {world.own_card}
    statement = ids(f"/api/accounts/{world.own_account}/transactions/")
    assert world.own_transfer in statement and not statement & {world.transfer, world.pending}
    assert ids("/api/transfers/internal/").isdisjoint({world.transfer, world.pending})
    assert ids("/api/transfers/external/") == {world.own_transfer}
    assert ids("/api/bill/") == {world.own_bill}
    notifications = ids("/api/notifications/")
    assert notifications and world.notification not in notifications
    assert notifications <= set(Notification.objects.filter(user=world.intruder.user).values_list("pk", flat=True))
    assert intruder.post("/api/notifications/read-all/").json()["updated"] == len(notifications)
    assert Notification.objects.get(pk=world.notification).is_read is False
