from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core import exceptions as django_exceptions
from rest_framework import serializers

from nexus.serializers import FieldsBuiltOnce

User = get_user_model()


def validate_country(value):
    value = (value or "").strip().upper()
    if value and (len(value) != 2 or not value.isalpha()):
        raise serializers.ValidationError("Use an ISO 3166-1 alpha-2 country code, e.g. JO.")
    return value


class UserCreateSerializer(serializers.ModelSerializer):
    """Registration: active at once, password checked by Django's validators.

    Every check is a field check, so one answer lists every field at fault
    (a duplicate email, a weak password and a mismatch together).
    """

    password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})
    re_password = serializers.CharField(write_only=True, trim_whitespace=False, style={"input_type": "password"})
    first_name = serializers.CharField(max_length=150)
    last_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    country = serializers.CharField(max_length=2, required=False, allow_blank=True, validators=[validate_country])

    class Meta:
        model = User
        fields = ["id", "email", "password", "re_password", "first_name", "last_name", "country"]
        read_only_fields = ["id"]

    def validate_email(self, value):
        value = User.objects.normalize_email(value).lower()
        if User.objects.filter(email__iexact=value).exists():
            raise serializers.ValidationError("A user with this email already exists.")
        return value

    def validate_country(self, value):
        return validate_country(value)

    def validate_password(self, value):
        """Django's validators, compared with the email and names sent alongside."""
        similar = {name: self.initial_data.get(name) for name in ("email", "first_name", "last_name")}
        candidate = User(**{name: value for name, value in similar.items() if isinstance(value, str)})
        try:
            validate_password(value, candidate)
        except django_exceptions.ValidationError as error:
            raise serializers.ValidationError(list(error.messages)) from None
        return value

    def validate_re_password(self, value):
        if value != self.initial_data.get("password"):
            raise serializers.ValidationError("The two password fields didn't match.")
        return value

    def validate(self, attrs):
        attrs.pop("re_password")
        return attrs

    def create(self, validated_data):
        return User.objects.create_user(**validated_data)


class UserSerializer(FieldsBuiltOnce, serializers.ModelSerializer):
    country = serializers.CharField(max_length=2, required=False, allow_blank=True)

    class Meta:
        model = User
        fields = [
            "id",
            "email",
            "first_name",
            "last_name",
            "country",
            "is_staff",
            "is_active",
            "is_online",
            "date_joined",
            "last_login",
        ]
        read_only_fields = ["id", "email", "is_staff", "is_active", "is_online", "date_joined", "last_login"]

    def validate_country(self, value):
        return validate_country(value)
