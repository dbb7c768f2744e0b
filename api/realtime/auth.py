"""WebSocket authentication from ``?token=<access>``."""
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from django.contrib.auth.models import AnonymousUser

from api.authentication import user_for_raw_access_token


class JWTQueryAuthMiddleware:
    def __init__(self, inner):
        self.inner = inner

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode())
        raw = (query.get("token") or [""])[0]
        user = await database_sync_to_async(user_for_raw_access_token)(raw) if raw else None
        scope = dict(scope, user=user or AnonymousUser())
        return await self.inner(scope, receive, send)
