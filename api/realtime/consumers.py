from channels.generic.websocket import AsyncJsonWebsocketConsumer

from .groups import ADMIN_ALERTS, user_group

UNAUTHENTICATED = 4001


class NotificationConsumer(AsyncJsonWebsocketConsumer):
    """Personal notifications, and admin alerts for staff."""

    async def connect(self):
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.close(code=UNAUTHENTICATED)
            return
        self.groups_joined = [user_group(user.pk)] + ([ADMIN_ALERTS] if user.is_staff else [])
        for group in self.groups_joined:
            await self.channel_layer.group_add(group, self.channel_name)
        await self.accept()
        await self.send_json(
            {"type": "connection_established", "groups": self.groups_joined, "message": "Connected"}
        )

    async def disconnect(self, code):
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

    async def user_notification(self, message):
        await self.send_json(message)

    async def admin_alert(self, message):
        await self.send_json(message)
