"""Transactions as the API shows them (API.md §5.1) and the money request bodies."""

import django_filters
from django.conf import settings
from django.db.models import Q
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from api.models import Transaction
from api.serializers.money import MoneyField, MoneyModelSerializer, positive_amount
from nexus.filters import IdFilter
from nexus.serializers import FieldsBuiltOnce

IDEMPOTENCY_KEY = {"required": False, "allow_null": True, "min_length": 1, "max_length": 64}


class TransactionSerializer(FieldsBuiltOnce, MoneyModelSerializer):
    """``*_balance_after`` are shown only to the owner of that side, or to staff."""

    sender_account_number = serializers.CharField(source="sender_account_id", read_only=True, allow_null=True)
    receiver_account_number = serializers.CharField(source="receiver_account_id", read_only=True)
    otp_expires_at = serializers.SerializerMethodField()

    class Meta:
        model = Transaction
        fields = [
            "id",
            "kind",
            "status",
            "amount",
            "fee_amount",
            "currency",
            "credited_amount",
            "credited_currency",
            "sender_account_number",
            "receiver_account_number",
            "sender_balance_after",
            "receiver_balance_after",
            "idempotency_key",
            "failure_reason",
            "otp_expires_at",
            "created_at",
        ]
        read_only_fields = fields

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_otp_expires_at(self, txn):
        if txn.status != Transaction.Status.PENDING_OTP:
            return None
        otp = getattr(txn, "otp", None)
        return serializers.DateTimeField().to_representation(otp.expires_at) if otp else None

    def to_representation(self, txn):
        data = super().to_representation(txn)
        request = self.context.get("request")
        viewer = getattr(request, "user", None)
        if not (viewer and viewer.is_staff):
            if not _owns(viewer, txn.sender_account if txn.sender_account_id else None):
                data["sender_balance_after"] = None
            if not _owns(viewer, txn.receiver_account):
                data["receiver_balance_after"] = None
        return data


def _owns(viewer, account):
    return viewer is not None and account is not None and account.user_id == viewer.pk


class _TransferRequest(serializers.Serializer):
    sender_account = serializers.CharField(max_length=32)
    amount = MoneyField(validators=[positive_amount])
    idempotency_key = serializers.CharField(**IDEMPOTENCY_KEY)


class InternalTransferSerializer(_TransferRequest):
    receiver_account = serializers.CharField(max_length=32)


class ExternalTransferSerializer(_TransferRequest):
    receiver_account_number = serializers.CharField(max_length=32)


class ConfirmTransferSerializer(serializers.Serializer):
    transaction_id = serializers.IntegerField(min_value=1, max_value=2**63 - 1)
    otp_code = serializers.CharField(max_length=12)


class DepositSerializer(serializers.Serializer):
    amount = MoneyField(validators=[positive_amount])
    description = serializers.CharField(required=False, allow_blank=True, max_length=255)
    idempotency_key = serializers.CharField(**IDEMPOTENCY_KEY)

    def validate_amount(self, value):
        if value > settings.MAX_DEPOSIT_AMOUNT:
            raise serializers.ValidationError(f"A deposit is at most {settings.MAX_DEPOSIT_AMOUNT:.2f}.")
        return value


class ReverseSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=200)


class TransactionFilter(django_filters.FilterSet):
    """``status``, ``account_number`` (either side), ``date_from``/``date_to`` (local calendar days)."""

    status = django_filters.ChoiceFilter(choices=Transaction.Status.choices)
    account_number = django_filters.CharFilter(method="filter_account")
    date_from = django_filters.DateFilter(field_name="created_at", lookup_expr="date__gte")
    date_to = django_filters.DateFilter(field_name="created_at", lookup_expr="date__lte")

    class Meta:
        model = Transaction
        fields = ["status", "account_number", "date_from", "date_to"]

    def filter_account(self, queryset, name, value):
        return queryset.filter(Q(sender_account_id=value) | Q(receiver_account_id=value))


class StatementFilter(TransactionFilter):
    kind = django_filters.ChoiceFilter(choices=Transaction.Kind.choices)

    class Meta(TransactionFilter.Meta):
        fields = ["status", "kind", "date_from", "date_to"]


class AdminTransactionFilter(StatementFilter):
    user = IdFilter(method="filter_user")
    account_number = django_filters.CharFilter(method="filter_account")

    class Meta(TransactionFilter.Meta):
        fields = ["status", "kind", "user", "account_number", "date_from", "date_to"]

    def filter_user(self, queryset, name, value):
        return queryset.filter(
            Q(initiated_by_id=value) | Q(sender_account__user_id=value) | Q(receiver_account__user_id=value)
        )




class CurrencyTotalSerializer(serializers.Serializer):
    currency = serializers.CharField()
    entries_total = MoneyField()
    balanced = serializers.BooleanField()


class MismatchSerializer(serializers.Serializer):
    account_number = serializers.CharField()
    balance = MoneyField()
    entries_total = MoneyField()


class NegativeBalanceSerializer(serializers.Serializer):
    account_number = serializers.CharField()
    balance = MoneyField()


class LedgerReportSerializer(serializers.Serializer):
    """The §7.5 body (documentation only: the view returns the report as computed)."""

    ok = serializers.BooleanField()
    currencies = CurrencyTotalSerializer(many=True)
    accounts_checked = serializers.IntegerField()
    mismatched_accounts = MismatchSerializer(many=True)
    negative_customer_balances = NegativeBalanceSerializer(many=True)
    unbalanced_transactions = serializers.ListField(child=serializers.IntegerField())
