"""Google sign-in: who may link, and the hand-off from allauth's cookie session to tokens.

allauth ends the Google flow with a Django session. That session may become
API tokens exactly once, shortly after, and only if a Google sign-in made it:
the sign-in opens an ``AuthSession`` (source google) and marks the Django
session with its id. A session made any other way (admin, ``force_login``)
carries no mark, and revoking the ``AuthSession`` (terminate-session, block)
kills the mark and any code not yet traded.
"""
from datetime import timedelta
from urllib.parse import urlencode

from allauth.account.signals import user_logged_in
from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from allauth.socialaccount.providers.base import AuthError, AuthProcess
from django.conf import settings
from django.contrib.auth import get_user as get_django_session_user
from django.contrib.auth import get_user_model
from django.contrib.auth import logout as end_django_session
from django.db import transaction
from django.dispatch import receiver
from django.shortcuts import redirect
from django.utils import timezone

from api import otp
from api.models import AuthSession, SocialLoginCode
from api.services.sessions import open_session

HANDOFF_SESSION_KEY = "nexus_social_handoff"
SOCIAL_PURPOSE = "social"


def frontend_error(reason):
    """Where the browser lands when the Google flow does not end in a sign-in."""
    return ImmediateHttpResponse(redirect(f"{settings.FRONTEND_URL}/auth/social/error?{urlencode({'reason': reason})}"))


class VerifiedEmailSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Link a Google identity to an existing user only for a verified email.

    Otherwise anyone who registers a Google account with someone else's
    address (unverified) would take over that customer's bank account. Only
    the sign-in process is open: ``connect`` would attach a Google identity
    to whoever holds the cookie session (e.g. an admin session).
    """

    def pre_social_login(self, request, sociallogin):
        if sociallogin.state.get("process", AuthProcess.LOGIN) != AuthProcess.LOGIN:
            raise frontend_error("not_supported")
        if sociallogin.is_existing:
            return
        verified = {a.email.lower() for a in sociallogin.email_addresses if a.verified}
        claimed = {a.email.lower() for a in sociallogin.email_addresses}
        claimed.add((sociallogin.user.email or "").lower())
        claimed.discard("")
        existing = get_user_model().objects.filter(email__in=claimed).first()
        if existing is None:
            return
        if existing.email.lower() not in verified or not existing.is_active:
            raise frontend_error("email_not_verified" if existing.is_active else "not_authenticated")
        sociallogin.connect(request, existing)

    def save_user(self, request, sociallogin, form=None):
        """A Google sign-up's user, profile, identity and outbox event commit together (allauth saves in autocommit)."""
        with transaction.atomic():
            return super().save_user(request, sociallogin, form)

    def is_open_for_signup(self, request, sociallogin):
        # Without an address allauth would send the browser to its signup form, which is not routed.
        if not (sociallogin.user.email or sociallogin.email_addresses):
            raise frontend_error("email_required")
        return True

    def on_authentication_error(self, request, provider, error=None, exception=None, extra_context=None):
        """Google refused or the user cancelled: back to the web app, not allauth's pages."""
        raise frontend_error("cancelled" if error == AuthError.CANCELLED else "google_error")


@receiver(user_logged_in, dispatch_uid="api.social.mark_handoff")
def mark_handoff(sender, request, user, sociallogin=None, **kwargs):
    """allauth signed ``user`` in: through a provider only when ``sociallogin`` is given."""
    if sociallogin is None:
        return
    lifetime = timedelta(seconds=settings.SOCIAL_HANDOFF_TTL_SECONDS)
    session = open_session(user, AuthSession.Source.GOOGLE, lifetime)
    request.session[HANDOFF_SESSION_KEY] = str(session.id)


def take_handoff(request):
    """The live session a Google sign-in opened for this cookie session, at most once.

    A marked cookie session ends here whatever the answer (the API itself is
    token-only); None when there is no mark, or it expired or was revoked.
    Other cookie sessions (the admin's) are left alone.
    """
    sid = request.session.get(HANDOFF_SESSION_KEY)
    if sid is None:
        return None
    user = get_django_session_user(request)
    session = AuthSession.objects.live_for(sid, user) if user.is_authenticated else None
    end_django_session(request)
    return session


def issue_handoff_code(session):
    """The one-time code the web app trades for tokens; the session lives as long as the code."""
    code = otp.generate_code(digits=12) + otp.generate_code(digits=12)
    row, _ = otp.issue(
        SocialLoginCode,
        user=session.user,
        purpose=SOCIAL_PURPOSE,
        code=code,
        ttl_seconds=settings.SOCIAL_LOGIN_CODE_TTL_SECONDS,
        session=session,
    )
    AuthSession.objects.filter(pk=session.pk).update(expires_at=row.expires_at)
    return code


def redeem_handoff_code(code):
    """The unexpired code row for ``code`` with its live session (``row.session``), else None.

    Call inside a transaction: the session row stays locked, which holds a
    concurrent revocation back until the tokens are issued; they are then
    revoked with the rest.
    """
    row = (
        SocialLoginCode.objects.select_related("user")
        .filter(code_hash=otp.hash_code(code, SOCIAL_PURPOSE), expires_at__gt=timezone.now())
        .first()
    )
    if row is None or row.session_id is None:
        return None
    row.session = AuthSession.objects.select_for_update().live_for(row.session_id, row.user)
    return row if row.session is not None else None
