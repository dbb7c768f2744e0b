from rest_framework import serializers
from rest_framework_simplejwt.serializers import TokenRefreshSerializer
from rest_framework_simplejwt.tokens import RefreshToken

from api.authentication import user_for_token


class LoginInitSerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=128, trim_whitespace=False, style={"input_type": "password"})


class LoginVerifySerializer(serializers.Serializer):
    email = serializers.CharField(max_length=254)
    code = serializers.RegexField(r"^\d{6}$", error_messages={"invalid": "Enter the 6-digit code."})


class TokenPairSerializer(serializers.Serializer):
    access = serializers.CharField()
    refresh = serializers.CharField()


class DetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class LogoutSerializer(serializers.Serializer):
    refresh = serializers.CharField(required=False, allow_blank=True)


class SocialTokenSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=128)


class SessionTokenRefreshSerializer(TokenRefreshSerializer):
    """Refresh with rotation, refused once the token's session is revoked."""

    refresh = serializers.CharField()
    access = serializers.CharField(read_only=True)

    def validate(self, attrs):
        user_for_token(RefreshToken(attrs["refresh"]))
        return super().validate(attrs)
