"""Login sessions: issuing token pairs and revoking them.

An ``AuthSession`` row is the one thing every kind of sign-in holds: the
tokens of an API login carry its id, and so do the Django sessions of the
admin site and of the Google hand-off. Revoking the row therefore ends all
of them on their next use, in every process.
"""
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from api.models import AuthSession
from api.realtime.push import close_session_sockets, close_user_sockets


def open_session(user, source, lifetime):
    """A new live session of ``user`` that ends after ``lifetime`` unless revoked."""
    return AuthSession.objects.create(user=user, source=source, expires_at=timezone.now() + lifetime)


def mark_signed_in(user):
    """Online, with the time of this sign-in."""
    now = timezone.now()
    type(user).objects.filter(pk=user.pk).update(is_online=True, last_login=now)
    user.is_online, user.last_login = True, now


def issue_tokens(user, source=AuthSession.Source.PASSWORD, session=None):
    """Return an ``{access, refresh}`` pair for ``user`` in a new session, or in ``session``.

    A given ``session`` (the Google hand-off) is extended to the refresh
    token's lifetime; the caller has checked it is live.
    """
    expires_at = timezone.now() + api_settings.REFRESH_TOKEN_LIFETIME
    if session is None:
        session = AuthSession.objects.create(user=user, source=source, expires_at=expires_at)
    else:
        session.expires_at = expires_at
        session.save(update_fields=["expires_at"])
    refresh = RefreshToken.for_user(user)
    refresh["sid"] = str(session.id)
    mark_signed_in(user)
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def revoke_all_sessions(user):
    """Refuse every token and end every admin or hand-off session of ``user``; returns how many."""
    with transaction.atomic():
        count = AuthSession.objects.live().filter(user=user).update(revoked_at=timezone.now())
        type(user).objects.filter(pk=user.pk).update(is_online=False)
        close_user_sockets(user.pk)
    user.is_online = False
    return count


def end_session(session):
    """Logout: refuse this session's tokens; offline when no other session is live."""
    AuthSession.objects.filter(pk=session.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    close_session_sockets(session.pk)
    user = session.user
    if not AuthSession.objects.live().filter(user=user).exists():
        type(user).objects.filter(pk=user.pk).update(is_online=False)
        user.is_online = False
