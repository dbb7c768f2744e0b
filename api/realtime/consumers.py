import asyncio
import time

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer, AsyncWebsocketConsumer

from api.models import AuthSession

from .groups import ADMIN_ALERTS, session_group, user_group

UNAUTHENTICATED = 4001


@database_sync_to_async
def session_is_live(session_id):
    """True while the login session is neither revoked nor expired and its user not blocked."""
    return AuthSession.objects.live().filter(pk=session_id, user__is_active=True).exists()


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Personal notifications, and admin alerts for staff, for as long as the login lasts.

    The socket closes with 4001 when its login session is revoked (logout,
    terminate-session, block: a ``session_revoked`` message through the channel
    layer) and when its access token expires.
    """

    async def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.session_id = self.scope["auth_session_id"]
        shown_groups = [user_group(user.pk)] + ([ADMIN_ALERTS] if user.is_staff else [])
        self.groups_joined = shown_groups + [session_group(self.session_id)]
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        # Checked again once in the groups: a revocation committed after the handshake's
        # check but before the joins would otherwise never reach this socket.
        if not await session_is_live(self.session_id):
            await self.close(code=UNAUTHENTICATED)
            return
        await self.accept()
        self.expiry = asyncio.create_task(self.close_at(self.scope["token_expires_at"]))
        await self.send_json({"type": "connection_established", "groups": shown_groups, "message": "Connected"})

    async def close_at(self, timestamp):
        """Close when the access token expires, as HTTP would refuse it then."""
        await asyncio.sleep(max(0, timestamp - time.time()))
        await self.close(code=UNAUTHENTICATED)

    async def disconnect(self, code):
        if getattr(self, "expiry", None):
            self.expiry.cancel()
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def receive_json(self, content, **kwargs):
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        try:
            await super().receive(text_data=text_data, bytes_data=bytes_data, **kwargs)
        except ValueError:
            pass  # Not JSON: ignored, like any other unknown message.

    async def send_while_live(self, message):
        """Deliver only while the session lasts: a push may overtake the revocation's message."""
        if await session_is_live(self.session_id):
            await self.send_json(message)
        else:
            await self.close(code=UNAUTHENTICATED)

    async def user_notification(self, message):
        await self.send_while_live(message)

    async def admin_alert(self, message):
        await self.send_while_live(message)

    async def session_revoked(self, message):
        if not await session_is_live(self.session_id):
            await self.close(code=UNAUTHENTICATED)


class UnknownPathConsumer(AsyncWebsocketConsumer):
    """Any other socket path: the handshake is refused (HTTP 403), never a server error."""

    async def connect(self):
        await self.close()
