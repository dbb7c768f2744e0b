"""Login sessions: issuing token pairs and revoking them."""
from django.db import transaction
from django.utils import timezone
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import RefreshToken

from api.models import AuthSession
from api.realtime.push import close_session_sockets, close_user_sockets


def issue_tokens(user, source=AuthSession.Source.PASSWORD):
    """Open a session for ``user`` and return its ``{access, refresh}`` pair."""
    session = AuthSession.objects.create(
        user=user, source=source, expires_at=timezone.now() + api_settings.REFRESH_TOKEN_LIFETIME
    )
    refresh = RefreshToken.for_user(user)
    refresh["sid"] = str(session.id)
    now = timezone.now()
    type(user).objects.filter(pk=user.pk).update(is_online=True, last_login=now)
    user.is_online, user.last_login = True, now
    return {"access": str(refresh.access_token), "refresh": str(refresh)}


def revoke_all_sessions(user):
    """Refuse every token issued to ``user`` so far; returns the sessions ended."""
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
