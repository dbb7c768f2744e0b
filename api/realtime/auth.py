"""WebSocket authentication from ``?token=<access>``.

The scope carries the user, the id of the login session the token belongs to
(so revocation can reach the socket) and the token's expiry (so the socket
closes when the token would stop working over HTTP).
"""
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import AccessToken

from api.authentication import user_for_token


def authenticate(raw):
    """``(user, session id, expiry timestamp)`` of a raw access token, or Nones."""
    try:
        token = AccessToken(raw)
        user = user_for_token(token)
    except (TokenError, InvalidToken):
        return None, None, None
    return user, user.auth_session.pk, token["exp"]


class JWTQueryAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode())
        raw = (query.get("token") or [""])[0]
        user, session_id, expires_at = await database_sync_to_async(authenticate)(raw) if raw else (None,) * 3
        scope = dict(scope, user=user or AnonymousUser(), auth_session_id=session_id, token_expires_at=expires_at)
        return await self.inner(scope, receive, send)
