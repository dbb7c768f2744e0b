"""The notifications WebSocket (API.md §10.1) against the real ASGI application.

Each test drives its coroutine with ``async_to_sync``; database work inside it
goes through ``sync_to_async`` (the connection lives on the test's thread).
"""
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import TestCase
from django.utils import timezone
from rest_framework_simplejwt.tokens import AccessToken

from api.models import AuthSession, Notification
from api.realtime.consumers import NotificationConsumer
from api.realtime.push import close_user_sockets
from api.services.notifications import notify
from api.services.sessions import issue_tokens, revoke_all_sessions
from nexus.asgi import application
from nexus.testing.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)

UNAUTHENTICATED = 4001


def communicator(token):
    return WebsocketCommunicator(application, f"/ws/notifications/?token={token}")


def refused(token):
    """True when the handshake is refused or the socket is closed with 4001."""

    async def attempt():
        socket = communicator(token)
        connected, code = await socket.connect()
        if not connected:
            return code in (None, UNAUTHENTICATED, 403, 1000)
        output = await socket.receive_output()
        await socket.disconnect()
        return output == {"type": "websocket.close", "code": UNAUTHENTICATED}

    return async_to_sync(attempt)()


def test_valid_token_joins_personal_group():
    user = UserFactory()
    token = issue_tokens(user)["access"]

    async def scenario():
        socket = communicator(token)
        connected, _ = await socket.connect()
        assert connected
        assert await socket.receive_json_from() == {
            "type": "connection_established",
            "groups": [f"user_{user.pk}"],
            "message": "Connected",
        }
        await socket.send_json_to({"type": "ping"})
        assert await socket.receive_json_from() == {"type": "pong"}
        await socket.send_json_to({"type": "something-else"})
        await socket.send_to(text_data="not json")
        assert await socket.receive_nothing()
        await socket.disconnect()

    async_to_sync(scenario)()


def test_staff_also_join_admin_alerts():
    staff = UserFactory(is_staff=True)
    token = issue_tokens(staff)["access"]

    async def scenario():
        socket = communicator(token)
        assert (await socket.connect())[0]
        message = await socket.receive_json_from()
        assert message["groups"] == [f"user_{staff.pk}", "admin_alerts"]
        await socket.disconnect()

    async_to_sync(scenario)()


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c"])
def test_bad_token_is_refused(token):
    assert refused(token)


def test_revoked_token_is_refused():
    user = UserFactory()
    token = issue_tokens(user)["access"]
    revoke_all_sessions(user)
    assert refused(token)


def test_blocked_user_is_refused():
    user = UserFactory()
    token = issue_tokens(user)["access"]
    user.is_active = False
    user.save()
    assert refused(token)


def test_refresh_token_is_not_an_access_token():
    user = UserFactory()
    assert refused(issue_tokens(user)["refresh"])


def test_notification_arrives_as_user_notification():
    user, stranger = UserFactory(), UserFactory()
    token, stranger_token = issue_tokens(user)["access"], issue_tokens(stranger)["access"]

    def send_notice():
        with TestCase.captureOnCommitCallbacks(execute=True):
            return notify(user, "Your card was frozen.", Notification.Type.SECURITY)

    async def scenario():
        socket, other = communicator(token), communicator(stranger_token)
        assert (await socket.connect())[0] and (await other.connect())[0]
        await socket.receive_json_from()
        await other.receive_json_from()
        note = await sync_to_async(send_notice)()
        message = await socket.receive_json_from()
        assert message["type"] == "user_notification"
        assert message["event"] == "SECURITY"
        assert message["notification_id"] == note.pk
        assert message["message"] == "Your card was frozen."
        assert message["transaction_id"] is None and message["timestamp"]
        assert await other.receive_nothing()
        await socket.disconnect()
        await other.disconnect()

    async_to_sync(scenario)()


def revoke_quietly(tokens):
    """Revoke a session in the database only, as if its close message were still on its way."""
    sid = AccessToken(tokens["access"])["sid"]
    AuthSession.objects.filter(pk=sid).update(revoked_at=timezone.now())


def closed_with_4001(socket):
    async def check():
        return await socket.receive_output() == {"type": "websocket.close", "code": UNAUTHENTICATED}

    return check()


def test_push_that_overtakes_the_revocation_is_not_delivered():
    user = UserFactory()
    tokens = issue_tokens(user)

    def revoke_then_notify():
        revoke_quietly(tokens)
        with TestCase.captureOnCommitCallbacks(execute=True):
            notify(user, "Sent after the logout.", Notification.Type.SECURITY)

    async def scenario():
        socket = communicator(tokens["access"])
        assert (await socket.connect())[0]
        await socket.receive_json_from()
        await sync_to_async(revoke_then_notify)()
        assert await closed_with_4001(socket)

    async_to_sync(scenario)()


def test_revocation_message_closes_only_the_sockets_of_revoked_sessions():
    user = UserFactory()
    revoked, live = issue_tokens(user), issue_tokens(user)

    def revoke_one():
        revoke_quietly(revoked)
        with TestCase.captureOnCommitCallbacks(execute=True):
            close_user_sockets(user.pk)

    async def scenario():
        old, new = communicator(revoked["access"]), communicator(live["access"])
        assert (await old.connect())[0] and (await new.connect())[0]
        await old.receive_json_from()
        await new.receive_json_from()
        await sync_to_async(revoke_one)()
        assert await closed_with_4001(old)
        await new.send_json_to({"type": "ping"})
        assert await new.receive_json_from() == {"type": "pong"}
        await new.disconnect()

    async_to_sync(scenario)()


def test_session_revoked_during_the_handshake_is_refused():
    """Revoked after the token check but before the groups were joined: no message would reach it."""
    user = UserFactory()
    tokens = issue_tokens(user)
    token = AccessToken(tokens["access"])
    revoke_quietly(tokens)

    async def scenario():
        socket = WebsocketCommunicator(NotificationConsumer.as_asgi(), "/ws/notifications/")
        socket.scope.update(user=user, auth_session_id=token["sid"], token_expires_at=token["exp"])
        connected, code = await socket.connect()
        assert not connected and code == UNAUTHENTICATED

    async_to_sync(scenario)()


def test_refused_helper_tells_a_good_token_apart():
    assert not refused(issue_tokens(UserFactory())["access"])
