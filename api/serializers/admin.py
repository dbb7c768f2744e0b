from django.contrib.auth import get_user_model
from rest_framework import serializers

from api.models import Account

from .accounts import AccountSerializer


class OwnerSerializer(serializers.ModelSerializer):
    class Meta:
        model = get_user_model()
        fields = ["id", "email"]


class AdminAccountSerializer(AccountSerializer):
    """Any customer account, for staff: with its owner, balance in its own currency."""

    owner = OwnerSerializer(source="user", read_only=True)

    class Meta(AccountSerializer.Meta):
        model = Account
        fields = [*AccountSerializer.Meta.fields, "owner"]
        read_only_fields = fields


class AdminDetailSerializer(serializers.Serializer):
    detail = serializers.CharField()


class TerminateSessionSerializer(AdminDetailSerializer):
    tokens_revoked = serializers.IntegerField()
