"""Transfers (API.md §5) and the account statement (§4.3): thin views over ``api.services.transfers``."""
from django.conf import settings
from django.db.models import Q
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import Account, Transaction
from api.serializers.transactions import (
    ConfirmTransferSerializer,
    ExternalTransferSerializer,
    InternalTransferSerializer,
    StatementFilter,
    TransactionFilter,
    TransactionSerializer,
)
from api.services.transfers import TransferRequest, confirm_transfer, create_transfer, transaction_context
from nexus.throttling import ScopedRateThrottle

TRANSACTION_RESPONSES = {200: TransactionSerializer, 201: TransactionSerializer, 202: TransactionSerializer}


def transactions_for_display():
    """Everything the transaction serializer reads, in one query."""
    return Transaction.objects.select_related("sender_account", "receiver_account", "otp")


def visible_to(user):
    """Transactions touching one of ``user``'s accounts."""
    return transactions_for_display().filter(Q(sender_account__user=user) | Q(receiver_account__user=user))


class TransferView(generics.ListAPIView):
    """GET lists the caller's transfers of ``kind``; POST creates one (201, 202 for PENDING_OTP, 200 on replay)."""

    kind = None
    request_serializer = None
    receiver_field = None
    serializer_class = TransactionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = TransactionFilter
    queryset = Transaction.objects.none()

    def get_queryset(self):
        return transactions_for_display().filter(kind=self.kind, sender_account__user=self.request.user)

    def create(self, request):
        body = self.request_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        outcome = create_transfer(
            TransferRequest(
                kind=self.kind,
                user=request.user,
                sender=data["sender_account"],
                receiver=data[self.receiver_field],
                amount=data["amount"],
                idempotency_key=data.get("idempotency_key"),
                context=transaction_context(request),
            )
        )
        if outcome.error:
            raise outcome.error
        txn = outcome.transaction
        if not outcome.created:
            code = status.HTTP_200_OK
        elif txn.status == Transaction.Status.PENDING_OTP:
            code = status.HTTP_202_ACCEPTED
        else:
            code = status.HTTP_201_CREATED
        return Response(self.get_serializer(txn).data, status=code)


class InternalTransferView(TransferView):
    kind = Transaction.Kind.INTERNAL
    request_serializer = InternalTransferSerializer
    receiver_field = "receiver_account"

    @extend_schema(request=InternalTransferSerializer, responses=TRANSACTION_RESPONSES)
    def post(self, request):
        return self.create(request)


class ExternalTransferView(TransferView):
    kind = Transaction.Kind.EXTERNAL
    request_serializer = ExternalTransferSerializer
    receiver_field = "receiver_account_number"

    @extend_schema(request=ExternalTransferSerializer, responses=TRANSACTION_RESPONSES)
    def post(self, request):
        return self.create(request)


class TransferDetailView(generics.RetrieveAPIView):
    """One transaction the caller sent or received; anyone else's is 404."""

    serializer_class = TransactionSerializer
    queryset = Transaction.objects.none()

    def get_queryset(self):
        return visible_to(self.request.user)


class ConfirmTransferView(APIView):
    throttle_scope = "transfer_confirm"

    def get_throttles(self):
        return [*super().get_throttles(), ScopedRateThrottle()] if settings.API_THROTTLING else []

    @extend_schema(request=ConfirmTransferSerializer, responses={200: TransactionSerializer})
    def post(self, request):
        body = ConfirmTransferSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        outcome = confirm_transfer(
            request.user, body.validated_data["transaction_id"], body.validated_data["otp_code"], request
        )
        if outcome.error:
            raise outcome.error
        txn = visible_to(request.user).get(pk=outcome.transaction.pk)
        return Response(TransactionSerializer(txn, context={"request": request}).data)


@extend_schema(parameters=[OpenApiParameter("account_number", str, OpenApiParameter.PATH)])
class AccountStatementView(generics.ListAPIView):
    """Every transaction touching one of the caller's accounts (sent, received, deposits, bills, reversals)."""

    serializer_class = TransactionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = StatementFilter
    queryset = Transaction.objects.none()

    def get_queryset(self):
        number = self.kwargs["account_number"]
        if not Account.objects.filter(pk=number, user=self.request.user, is_system=False).exists():
            raise NotFound()
        return transactions_for_display().filter(Q(sender_account_id=number) | Q(receiver_account_id=number))
