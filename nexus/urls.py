from allauth.socialaccount.providers.google.provider import GoogleProvider
from allauth.socialaccount.providers.oauth2.urls import default_urlpatterns as oauth2_urlpatterns
from django.contrib import admin
from django.contrib.staticfiles.urls import staticfiles_urlpatterns
from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView

from .frontend import app_index
from .views import HealthView

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/health/", HealthView.as_view(), name="health"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("api/redoc/", SpectacularRedocView.as_view(url_name="schema", template_name="nexus/redoc.html"), name="redoc"),
    path("api/", include("api.urls")),
    path("auth/", include("api.auth_urls")),
    # Of allauth, only Google's login and callback: its account pages (login, signup, email,
    # password, reauthentication, connections) would be ways in without the emailed code.
    path("accounts/", include(oauth2_urlpatterns(GoogleProvider))),
    path("risk/", include("risk.urls")),
    path("business/", include("business.urls")),
    # The web app's pages, LAST: anything outside the server's own prefixes that does not
    # look like a file, plus the two pages Google sign-in returns to (API.md §3.9).
    re_path(r"^auth/social/(?:success|error)/?$", app_index),
    re_path(
        r"^(?!(?:api|auth|accounts|admin|risk|business|ws|static)(?:/|$))(?P<path>(?:[^/.]+/)*[^/.]*)$",
        app_index,
        name="web-app",
    ),
]

# Under DJANGO_DEBUG the server serves the static files itself (Swagger UI, ReDoc and the
# admin's assets); in production they are collected (collectstatic) and served by the proxy.
urlpatterns += staticfiles_urlpatterns()

handler400 = "nexus.errors.bad_request"
handler403 = "nexus.errors.permission_denied"
handler404 = "nexus.errors.page_not_found"
handler500 = "nexus.errors.server_error"
