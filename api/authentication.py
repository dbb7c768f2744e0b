"""JWT authentication that honours revocation at once.

Every token carries ``sid``, the id of the ``AuthSession`` (the login) that
issued it. One indexed query loads the session with its user
(``api.models.sessions_sql``: built once, since every request runs it); a
revoked session or a blocked user refuses the token in every server process.
"""
from django.utils.translation import gettext_lazy as _
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import ExpiredTokenError, InvalidToken, TokenError
from rest_framework_simplejwt.settings import api_settings
from rest_framework_simplejwt.tokens import AccessToken

from .models.sessions_sql import session_with_user

REVOKED = _("Token is invalid or has been revoked.")
EXPIRED = _("Token has expired: refresh it at /auth/jwt/refresh/ or log in again.")


def user_for_token(token):
    """The active user of a validated token whose session is live, else InvalidToken."""
    sid = token.get("sid")
    user_id = token.get(api_settings.USER_ID_CLAIM)
    if not sid or user_id is None:
        raise InvalidToken(REVOKED)
    session = session_with_user(sid, user_id)
    if session is None or session.revoked_at is not None or not session.user.is_active:
        raise InvalidToken(REVOKED)
    user = session.user
    user.auth_session = session
    return user


class SessionJWTAuthentication(JWTAuthentication):
    def get_validated_token(self, raw_token):
        """An access token, with a message that says why it was refused.

        SimpleJWT tries each token class and reports "not valid for any token
        type" even when the only problem is that the token expired.
        """
        try:
            return AccessToken(raw_token)
        except ExpiredTokenError:
            raise InvalidToken(EXPIRED) from None
        except TokenError as exc:
            raise InvalidToken(str(exc)) from None

    def get_user(self, validated_token):
        return user_for_token(validated_token)
