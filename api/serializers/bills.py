"""Billers and bill payments (API.md §6.1–6.3)."""
from rest_framework import serializers

from api.models import Biller, BillPayment
from api.serializers.money import MoneyModelSerializer
from api.serializers.transactions import IDEMPOTENCY_KEY


class BillerSerializer(MoneyModelSerializer):
    class Meta:
        model = Biller
        fields = ["id", "name", "category", "description", "fixed_amount", "currency"]
        read_only_fields = fields


class BillPaymentSerializer(MoneyModelSerializer):
    account = serializers.CharField(source="account_id", read_only=True)
    biller = serializers.IntegerField(source="biller_id", read_only=True)
    biller_name = serializers.CharField(source="biller.name", read_only=True)
    transaction_id = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = BillPayment
        fields = [
            "id",
            "account",
            "biller",
            "biller_name",
            "reference_number",
            "amount",
            "currency",
            "biller_amount",
            "biller_currency",
            "status",
            "transaction_id",
            "created_at",
        ]
        read_only_fields = fields


class PayBillSerializer(serializers.Serializer):
    account = serializers.CharField(max_length=32)
    biller = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    reference_number = serializers.CharField(min_length=1, max_length=30)
    idempotency_key = serializers.CharField(**IDEMPOTENCY_KEY)
