"""Login (password + emailed code), refresh, logout and Google sign-in hand-off."""
from urllib.parse import urlencode

from django.conf import settings
from django.db import transaction
from django.shortcuts import redirect
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenRefreshView

from api import otp
from api.models import AuthSession
from api.serializers.auth import (
    DetailSerializer,
    LoginInitSerializer,
    LoginVerifySerializer,
    LogoutSerializer,
    SocialTokenSerializer,
    TokenPairSerializer,
)
from api.services.login import complete_login, start_login, verify_login
from api.services.sessions import end_session
from api.social import SOCIAL_PURPOSE, issue_handoff_code, redeem_handoff_code, take_handoff
from nexus.client import request_context
from nexus.errors import BusinessError
from nexus.throttling import ScopedRateThrottle


class LoginThrottleMixin:
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_scope = "login"

    def get_authenticate_header(self, request):
        # Keeps credential failures 401 (DRF answers 403 without a challenge).
        return 'Bearer realm="api"'

    def get_throttles(self):
        return [ScopedRateThrottle()] if settings.API_THROTTLING else []


class LoginInitView(LoginThrottleMixin, APIView):
    @extend_schema(request=LoginInitSerializer, responses={200: DetailSerializer})
    def post(self, request):
        serializer = LoginInitSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        start_login(request, **serializer.validated_data)
        return Response({"detail": "Verification code sent."})


class LoginVerifyView(LoginThrottleMixin, APIView):
    @extend_schema(request=LoginVerifySerializer, responses={200: TokenPairSerializer})
    def post(self, request):
        serializer = LoginVerifySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return Response(verify_login(request, **serializer.validated_data))


class RefreshView(TokenRefreshView):
    """Rotates the refresh token; the one submitted is blacklisted."""

    permission_classes = [AllowAny]

    @extend_schema(responses={200: TokenPairSerializer})
    def post(self, request, *args, **kwargs):
        return super().post(request, *args, **kwargs)


class LogoutView(APIView):
    """Ends the calling session only; the user's other devices stay signed in.

    A valid refresh token of the caller is also blacklisted; a missing or
    unusable one does not stop the logout (the session ends regardless).
    """

    permission_classes = [IsAuthenticated]

    @extend_schema(request=LogoutSerializer, responses={200: DetailSerializer})
    def post(self, request):
        serializer = LogoutSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        raw = serializer.validated_data.get("refresh")
        if raw:
            try:
                refresh = RefreshToken(raw)
                if str(refresh.get("user_id")) == str(request.user.pk):
                    refresh.blacklist()
            except TokenError:
                pass
        end_session(request.user.auth_session)
        return Response({"detail": "Logged out."})


class SocialCompleteView(APIView):
    """End of the allauth Google flow: hand the SPA a one-time code, never tokens.

    Only a cookie session that a Google sign-in marked moments ago gets a
    code (``api.social``); any other session, an expired or revoked mark,
    or a second visit lands on the error page.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(responses={302: None})
    def get(self, request):
        session = take_handoff(request._request)
        if session is None:
            query = urlencode({"reason": "not_authenticated"})
            return redirect(f"{settings.FRONTEND_URL}/auth/social/error?{query}")
        code = issue_handoff_code(session)
        return redirect(f"{settings.FRONTEND_URL}/auth/social/success#code={code}")


class SocialTokenView(LoginThrottleMixin, APIView):
    @extend_schema(request=SocialTokenSerializer, responses={200: TokenPairSerializer})
    def post(self, request):
        serializer = SocialTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = serializer.validated_data["code"]
        with transaction.atomic():
            row = redeem_handoff_code(code)
            if row is None:
                raise BusinessError("invalid_otp", "Invalid or expired sign-in code.", field="code")
            otp.consume(row, code, SOCIAL_PURPOSE)
            tokens = complete_login(row.user, AuthSession.Source.GOOGLE, request_context(request), session=row.session)
        return Response(tokens)
