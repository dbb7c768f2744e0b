"""What a serving process checks before it starts.

Without ``DJANGO_SECRET_KEY`` outside debug the settings still load, with a
random key of the process's own, so that commands which sign nothing
(``makemigrations --check``, ``check``) run on a fresh clone. The processes
that serve requests or run tasks refuse to start (API.md §12): a key that
differs per process would sign tokens and codes no other process accepts.
"""
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


def require_secret_key():
    if settings.SECRET_KEY_MISSING:
        raise ImproperlyConfigured("DJANGO_SECRET_KEY is required unless DJANGO_DEBUG=true.")
