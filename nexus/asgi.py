"""ASGI entry point: HTTP through Django, WebSocket through Channels."""
import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nexus.settings")

# Django must be set up before the consumers (and their models) are imported.
django_asgi_app = get_asgi_application()

from nexus.startup import require_secret_key  # noqa: E402

require_secret_key()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from api.realtime.auth import JWTQueryAuthMiddleware  # noqa: E402
from api.realtime.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": JWTQueryAuthMiddleware(URLRouter(websocket_urlpatterns)),
    }
)
