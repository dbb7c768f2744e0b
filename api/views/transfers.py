"""Transfers (API.md §5) and the account statement (§4.3): thin views over ``api.services.transfers``."""
from django.conf import settings
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.views import APIView

from api.models import Transaction
from api.selectors import owns_account, statement_of, transfers_sent_by, visible_to
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
        return transfers_sent_by(self.request.user, self.kind)

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
        if not owns_account(self.request.user, number):
            raise NotFound()
        return statement_of(number)
