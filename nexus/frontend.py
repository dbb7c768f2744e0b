"""The web app (frontend/): its built index page for every client route, with a CSP.

WhiteNoise serves the built files themselves (``WHITENOISE_ROOT``); this view answers
the app's routes (``/``, ``/transfer``, ``/staff/risk``...) with ``index.html`` so a
reload or a shared link opens the right page. The Content-Security-Policy lets the
page run only the app's own scripts and talk only to this origin (HTTP and WebSocket).
"""
from pathlib import Path

from django.conf import settings
from django.http import HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from .csp import content_security_policy

NOT_BUILT = (
    "The web app is not built yet: run `make run`, or `npm ci && npm run build` in frontend/."
)
GOOGLE_META = '<meta name="nexus-google-sign-in" content="on" />'


def _index_html():
    index = Path(settings.FRONTEND_DIST) / "index.html"
    try:
        html = index.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    if settings.GOOGLE_SIGN_IN_ENABLED:
        html = html.replace("</head>", f"{GOOGLE_META}</head>", 1)
    return html


@require_safe
@never_cache
def app_index(request, path=""):
    html = _index_html()
    if html is None:
        return HttpResponse(NOT_BUILT, status=503, content_type="text/plain; charset=utf-8")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = content_security_policy(request.get_host())
    return response
