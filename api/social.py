"""Google sign-in policy."""
from urllib.parse import urlencode

from allauth.core.exceptions import ImmediateHttpResponse
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.shortcuts import redirect


class VerifiedEmailSocialAccountAdapter(DefaultSocialAccountAdapter):
    """Link a Google identity to an existing user only for a verified email.

    Otherwise anyone who registers a Google account with someone else's
    address (unverified) would take over that customer's bank account.
    """

    def pre_social_login(self, request, sociallogin):
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
            query = urlencode({"reason": "email_not_verified" if existing.is_active else "not_authenticated"})
            raise ImmediateHttpResponse(redirect(f"{settings.FRONTEND_URL}/auth/social/error?{query}"))
        sociallogin.connect(request, existing)

    def is_open_for_signup(self, request, sociallogin):
        return True
