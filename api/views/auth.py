"""Login (password + emailed code), refresh, logout and Google sign-in hand-off."""
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import get_user as get_django_session_user
from django.contrib.auth import logout as end_django_session
from django.db import transaction
from django.shortcuts import redirect
from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken
from rest_framework_simplejwt.views import TokenRefreshView

from api import otp
from api.models import AuthSession, SocialLoginCode
from api.serializers.auth import (
    DetailSerializer,
    LoginInitSerializer,
    LoginVerifySerializer,
    LogoutSerializer,
    SocialTokenSerializer,
    TokenPairSerializer,
)
from api.services.login import complete_login, request_context, start_login, verify_login
from api.services.sessions import end_session
from nexus.errors import BusinessError
from nexus.throttling import ScopedRateThrottle

SOCIAL_PURPOSE = "social"


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
    """End of the allauth Google flow: hand the SPA a one-time code, never tokens."""

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(responses={302: None})
    def get(self, request):
        django_request = request._request
        # DRF replaced request.user (no authenticators here); read allauth's session.
        user = get_django_session_user(django_request)
        if not user.is_authenticated or not user.is_active:
            query = urlencode({"reason": "not_authenticated"})
            return redirect(f"{settings.FRONTEND_URL}/auth/social/error?{query}")
        code = otp.generate_code(digits=12) + otp.generate_code(digits=12)
        otp.issue(
            SocialLoginCode,
            user=user,
            purpose=SOCIAL_PURPOSE,
            code=code,
            ttl_seconds=settings.SOCIAL_LOGIN_CODE_TTL_SECONDS,
        )
        # The API itself is token-only: drop the cookie session allauth opened.
        end_django_session(django_request)
        return redirect(f"{settings.FRONTEND_URL}/auth/social/success#code={code}")


class SocialTokenView(LoginThrottleMixin, APIView):
    @extend_schema(request=SocialTokenSerializer, responses={200: TokenPairSerializer})
    def post(self, request):
        serializer = SocialTokenSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        code = serializer.validated_data["code"]
        row = SocialLoginCode.objects.select_related("user").filter(
            code_hash=otp.hash_code(code, SOCIAL_PURPOSE), expires_at__gt=timezone.now()
        ).first()
        if row is None or not row.user.is_active:
            raise BusinessError("invalid_otp", "Invalid or expired sign-in code.", field="code")
        with transaction.atomic():
            otp.consume(row, code, SOCIAL_PURPOSE)
            tokens = complete_login(row.user, AuthSession.Source.GOOGLE, request_context(request))
        return Response(tokens)
