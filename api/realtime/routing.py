from django.urls import re_path

from .consumers import NotificationConsumer, UnknownPathConsumer

websocket_urlpatterns = [
    re_path(r"^ws/notifications/?$", NotificationConsumer.as_asgi()),
    # Without a match Channels raises "No route found", a server error: refuse cleanly instead.
    re_path(r"", UnknownPathConsumer.as_asgi()),
]
