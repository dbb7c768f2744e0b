"""Live alerts over the notifications WebSocket (API.md §10.1), in-memory and through Redis."""
import json
import subprocess
import sys
import textwrap
import uuid
from decimal import Decimal

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import override_settings

from api.services.sessions import issue_tokens
from nexus.asgi import application
from nexus.testing.clients import client_for
from nexus.testing.factories import UserFactory
from risk.models import Incident
from risk.tests.helpers import account, failures

pytestmark = pytest.mark.django_db(transaction=True)

REDIS_URL = "redis://127.0.0.1:6379/15"


def _tokens_then_connect(user):
    """Tokens are issued on the test thread; the handshake runs in the event loop."""
    token = issue_tokens(user)["access"]

    async def connect():
        socket = WebsocketCommunicator(application, f"/ws/notifications/?token={token}")
        assert (await socket.connect())[0]
        assert (await socket.receive_json_from())["type"] == "connection_established"
        return socket

    return connect


def test_staff_receive_brute_force_alert_and_customer_a_notice():
    staff, customer = UserFactory(is_staff=True), UserFactory()
    connect_staff, connect_customer = _tokens_then_connect(staff), _tokens_then_connect(customer)

    async def scenario():
        staff_socket, customer_socket = await connect_staff(), await connect_customer()
        await sync_to_async(failures)(5, customer.email, ip="198.51.100.60", user=customer)
        alert = await staff_socket.receive_json_from(timeout=1)
        incident = await sync_to_async(Incident.objects.get)(rule="brute_force")
        assert alert["type"] == "admin_alert"
        assert (alert["severity"], alert["event"], alert["incident_id"]) == (
            "high", "Brute-force suspected on account", incident.pk,
        )
        assert customer.email in alert["message"] and alert["timestamp"]
        notice = await customer_socket.receive_json_from(timeout=1)
        assert (notice["type"], notice["event"]) == ("user_notification", "SECURITY")
        assert await customer_socket.receive_nothing()  # customers never get admin alerts
        await staff_socket.disconnect()
        await customer_socket.disconnect()

    async_to_sync(scenario)()


def test_alert_within_a_second_of_the_transfer(settings):
    settings.RISK_BLACKLISTED_IPS = ["203.0.113.99"]
    staff, customer = UserFactory(is_staff=True), UserFactory()
    sender, receiver = account(customer, balance="1000.00"), account(customer, balance="0.00")
    client = client_for(customer)
    connect_staff = _tokens_then_connect(staff)

    async def scenario():
        staff_socket = await connect_staff()
        response = await sync_to_async(client.post)(
            "/api/transfers/internal/",
            {"sender_account": sender.pk, "receiver_account": receiver.pk, "amount": "10.00"},
            REMOTE_ADDR="203.0.113.99",
        )
        assert response.status_code == 201, response.json()
        alert = await staff_socket.receive_json_from(timeout=1)
        assert (alert["type"], alert["severity"], alert["event"]) == (
            "admin_alert", "high", "Transaction from blacklisted IP",
        )
        incident = await sync_to_async(Incident.objects.get)(pk=alert["incident_id"])
        assert incident.details["transaction_id"] == response.json()["id"]
        assert Decimal(incident.details["amount"]) == Decimal("10.00")
        await staff_socket.disconnect()

    async_to_sync(scenario)()


def _redis_reachable():
    import redis

    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


def redis_prefix():
    """Each test its own key space, so parallel runs sharing the Redis database never cross."""
    return f"risk-test-{uuid.uuid4().hex}"


def redis_layers(prefix):
    config = {"hosts": [REDIS_URL], "prefix": prefix}
    return {"default": {"BACKEND": "channels_redis.core.RedisChannelLayer", "CONFIG": config}}


PUBLISHER = textwrap.dedent(
    """
    import asyncio, json, sys
    from channels_redis.core import RedisChannelLayer

    layer = RedisChannelLayer(hosts=[sys.argv[1]], prefix=sys.argv[3])
    asyncio.run(layer.group_send("admin_alerts", json.loads(sys.argv[2])))
    """
)


@pytest.mark.skipif(not _redis_reachable(), reason=f"Redis is not reachable at {REDIS_URL}")
def test_redis_layer_carries_alerts_across_processes():
    """A client connected through this process's layer gets what another process publishes."""
    staff = UserFactory(is_staff=True)
    alert = {"type": "admin_alert", "severity": "critical", "event": "User locked out", "incident_id": 1,
             "message": "User locked out from 203.0.113.1", "timestamp": "2026-01-02T12:00:00+03:00"}
    prefix = redis_prefix()
    with override_settings(CHANNEL_LAYERS=redis_layers(prefix)):
        connect_staff = _tokens_then_connect(staff)

        async def scenario():
            staff_socket = await connect_staff()
            published = await sync_to_async(subprocess.run)(
                [sys.executable, "-c", PUBLISHER, REDIS_URL, json.dumps(alert), prefix], capture_output=True, timeout=30
            )
            assert published.returncode == 0, published.stderr.decode()
            assert await staff_socket.receive_json_from(timeout=5) == alert
            await staff_socket.disconnect()

        async_to_sync(scenario)()


@pytest.mark.skipif(not _redis_reachable(), reason=f"Redis is not reachable at {REDIS_URL}")
def test_redis_layer_delivers_a_raised_incident():
    """The same path production uses: raise_incident → push_admin_alert → Redis → socket."""
    from risk.incidents import raise_incident

    staff = UserFactory(is_staff=True)
    with override_settings(CHANNEL_LAYERS=redis_layers(redis_prefix())):
        connect_staff = _tokens_then_connect(staff)

        async def scenario():
            staff_socket = await connect_staff()
            incident = await sync_to_async(raise_incident)(
                "velocity", "Suspicious transaction velocity", "high", ip="203.0.113.2"
            )
            alert = await staff_socket.receive_json_from(timeout=2)
            assert (alert["incident_id"], alert["severity"]) == (incident.pk, "high")
            await staff_socket.disconnect()

        async_to_sync(scenario)()
