from django.conf import settings
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.models import Account, Card
from api.models.choices import Currency
from api.money import convert
from api.serializers.money import MoneyField, MoneyModelSerializer
from nexus.serializers import FieldsBuiltOnce


class MoneySerializer(serializers.Serializer):
    currency = serializers.ChoiceField(choices=Currency.choices)
    amount = MoneyField()


class AccountSerializer(FieldsBuiltOnce, MoneyModelSerializer):
    """An account as its owner sees it (API.md §4.1).

    ``display_balance`` uses the ``preferred_currency`` given in the context
    (the caller's profile), else the account's own currency.
    """

    mask = serializers.CharField(read_only=True)
    display_balance = serializers.SerializerMethodField()
    maximum_withdrawal_amount = serializers.SerializerMethodField()
    daily_limit = serializers.SerializerMethodField()
    card_count = serializers.IntegerField(read_only=True, default=0)

    class Meta:
        model = Account
        fields = [
            "account_number",
            "mask",
            "type",
            "currency",
            "balance",
            "display_balance",
            "is_active",
            "maximum_withdrawal_amount",
            "daily_limit",
            "card_count",
            "created_at",
            "updated_at",
        ]
        read_only_fields = fields

    @extend_schema_field(MoneySerializer)
    def get_display_balance(self, account):
        target = self.context.get("preferred_currency") or account.currency
        amount = convert(account.balance, account.currency, target)
        return MoneySerializer({"currency": target, "amount": amount}).data

    @extend_schema_field(MoneyField())
    def get_maximum_withdrawal_amount(self, account):
        return MoneyField().to_representation(
            settings.MAX_TRANSFER_AMOUNT
        )

    @extend_schema_field(MoneyField())
    def get_daily_limit(self, account):
        return MoneyField().to_representation(
            settings.DAILY_TRANSFER_LIMIT
        )


class AccountCreateSerializer(serializers.Serializer):
    """``{type, currency?}``; anything else in the body (balance, owner …) is ignored."""

    type = serializers.ChoiceField(choices=Account.Type.choices)
    currency = serializers.ChoiceField(choices=Currency.choices, required=False, allow_null=True)


class CardSerializer(serializers.ModelSerializer):
    """A card without its number or CVV (API.md §4.4)."""

    account_number = serializers.CharField(source="account_id", read_only=True)

    class Meta:
        model = Card
        fields = ["id", "account_number", "card_type", "last4", "expiration_date", "is_active", "created_at"]
        read_only_fields = ["id", "account_number", "last4", "expiration_date", "created_at"]
        extra_kwargs = {"card_type": {"required": False}}


class CardUpdateSerializer(serializers.ModelSerializer):
    """PATCH ``{is_active}``: freeze or unfreeze the card."""

    class Meta:
        model = Card
        fields = ["is_active"]
        extra_kwargs = {"is_active": {"required": True}}
