"""The notifications WebSocket against a real Daphne with the Redis channel layer.

Signed in through the real login API; revocation (logout, terminate-session,
block) and token expiry must close an open socket with 4001 at once, in every
server process, and nothing may reach the socket after the revocation
(issue 11, finding 3). An idle socket must stay open on Redis (issue 12,
finding 3), and no socket path may cause a server error (issue 12, finding 4).
"""
import base64
import json
import time
from contextlib import contextmanager

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

from api.tests.live import STAFF_EMAIL, daphne

UNAUTHENTICATED = 4001
REVOCATION_SECONDS = 1.0

pytestmark = pytest.mark.django_db(transaction=True)


@contextmanager
def open_socket(server, token, path="/ws/notifications/"):
    """A connected socket, past its ``connection_established`` greeting."""
    with connect(server.socket_url(token, path), open_timeout=10) as socket:
        assert json.loads(socket.recv(timeout=10))["type"] == "connection_established"
        yield socket


def assert_refused(server, token, path="/ws/notifications/"):
    """The handshake is refused with 403 (Channels' answer to a close before accept)."""
    with pytest.raises(InvalidStatus) as refused, connect(server.socket_url(token, path), open_timeout=10):
        pass
    assert refused.value.response.status_code == 403


def close_code_within(socket, seconds):
    """The server's close code if it closes the socket within ``seconds``, and the messages before it.

    ``None`` as the code when the socket is still open at the deadline.
    """
    messages, deadline = [], time.monotonic() + seconds
    try:
        while (left := deadline - time.monotonic()) > 0:
            messages.append(json.loads(socket.recv(timeout=left)))
    except TimeoutError:
        return None, messages
    except ConnectionClosed as closed:
        return closed.rcvd.code if closed.rcvd else None, messages
    return None, messages


def is_alive(socket):
    socket.send(json.dumps({"type": "ping"}))
    return json.loads(socket.recv(timeout=5)) == {"type": "pong"}


def sign_up_and_in(server, email):
    user_id = server.register(email)
    return user_id, server.login(email)


def test_logout_closes_the_sockets_of_that_session_only(daphne_server):
    _, phone = sign_up_and_in(daphne_server, "phone@nexus.test")
    laptop = daphne_server.login("phone@nexus.test")
    with (
        open_socket(daphne_server, phone["access"]) as phone_socket,
        open_socket(daphne_server, laptop["access"]) as laptop_socket,
    ):
        body = {"refresh": phone["refresh"]}
        response = daphne_server.call("POST", "/auth/logout/", phone["access"], json=body)

        assert response.status_code == 200
        assert close_code_within(phone_socket, REVOCATION_SECONDS) == (UNAUTHENTICATED, [])
        assert is_alive(laptop_socket)


def test_terminate_session_closes_the_socket_held_by_another_process(daphne_server, live_database, tmp_path):
    user_id, tokens = sign_up_and_in(daphne_server, "victim@nexus.test")
    with daphne(live_database, tmp_path) as other_process, open_socket(daphne_server, tokens["access"]) as socket:
        staff = other_process.login(STAFF_EMAIL)
        response = other_process.call("POST", f"/api/admin/users/{user_id}/terminate-session/", staff["access"])
        assert response.status_code == 200

        # The staff action also notifies the user; the revoked socket must not receive it.
        assert close_code_within(socket, REVOCATION_SECONDS) == (UNAUTHENTICATED, [])
        again = daphne_server.login("victim@nexus.test")
        with open_socket(other_process, again["access"]) as new_socket:
            assert is_alive(new_socket)


def test_block_closes_the_socket_and_nothing_reaches_it_afterwards(daphne_server):
    user_id, tokens = sign_up_and_in(daphne_server, "blocked@nexus.test")
    staff = daphne_server.login(STAFF_EMAIL)
    with open_socket(daphne_server, tokens["access"]) as socket:
        response = daphne_server.call("POST", f"/api/admin/users/{user_id}/block/", staff["access"])

        assert response.status_code == 200
        assert close_code_within(socket, REVOCATION_SECONDS) == (UNAUTHENTICATED, [])
    assert_refused(daphne_server, tokens["access"])


def expiry_of(access_token):
    payload = access_token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))["exp"]


def test_socket_closes_when_its_access_token_expires(live_database, tmp_path):
    with daphne(live_database, tmp_path, LIVE_ACCESS_TOKEN_SECONDS="4") as server:
        _, tokens = sign_up_and_in(server, "short@nexus.test")
        expires_at = expiry_of(tokens["access"])
        with open_socket(server, tokens["access"]) as socket:
            assert time.time() < expires_at, "the token expired before the socket opened: raise the lifetime"

            code, messages = close_code_within(socket, expires_at - time.time() + 1.5)

            assert (code, messages) == (UNAUTHENTICATED, [])
            assert time.time() >= expires_at - 0.1


def test_idle_socket_stays_open_on_redis_and_still_receives_pushes(daphne_server):
    user_id, tokens = sign_up_and_in(daphne_server, "idle@nexus.test")
    account = daphne_server.call("POST", "/api/accounts", tokens["access"], json={"type": "Savings"}).json()
    with open_socket(daphne_server, tokens["access"]) as socket:
        assert close_code_within(socket, 30) == (None, [])

        staff = daphne_server.login(STAFF_EMAIL)
        path = f"/api/admin/accounts/{account['account_number']}/freeze/"
        assert daphne_server.call("POST", path, staff["access"]).status_code == 200
        message = json.loads(socket.recv(timeout=5))
        assert message["type"] == "user_notification" and message["event"] == "SECURITY"
    assert not daphne_server.errors_logged()


def test_socket_paths_without_slash_or_unknown_get_no_server_error(daphne_server):
    _, tokens = sign_up_and_in(daphne_server, "paths@nexus.test")

    with open_socket(daphne_server, tokens["access"], path="/ws/notifications") as socket:
        assert is_alive(socket)
    for path in ("/ws/unknown/", "/ws/notifications/extra/", "/"):
        assert_refused(daphne_server, tokens["access"], path)
    assert not daphne_server.errors_logged()
