"""Staff money operations (API.md §7.4–7.5): deposits, reversals, all transactions, the ledger check."""
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import generics, status
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.selectors import transactions_for_display
from api.serializers.transactions import (
    AdminTransactionFilter,
    DepositSerializer,
    LedgerReportSerializer,
    ReverseSerializer,
    TransactionSerializer,
)
from api.services.audit import record_admin_action
from api.services.deposits import deposit
from api.services.ledger import verify_ledger
from api.services.reversals import reverse_transaction
from api.services.transfers import transaction_context


class AdminTransactionListView(generics.ListAPIView):
    permission_classes = [IsAdminUser]
    serializer_class = TransactionSerializer
    filter_backends = [DjangoFilterBackend]
    filterset_class = AdminTransactionFilter

    def get_queryset(self):
        return transactions_for_display()


@extend_schema(parameters=[OpenApiParameter("account_number", str, OpenApiParameter.PATH)])
class DepositView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(request=DepositSerializer, responses={200: TransactionSerializer, 201: TransactionSerializer})
    def post(self, request, account_number):
        body = DepositSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        outcome = deposit(
            request.user,
            account_number,
            data["amount"],
            description=data.get("description", ""),
            idempotency_key=data.get("idempotency_key"),
            context=transaction_context(request),
        )
        txn = outcome.transaction
        if outcome.created:
            record_admin_action(
                request,
                "DEPOSIT",
                "account",
                account_number,
                affected_user=txn.receiver_account.user,
                amount=f"{txn.amount:.2f}",
                currency=txn.currency,
                transaction_id=txn.pk,
            )
        code = status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
        return Response(TransactionSerializer(txn, context={"request": request}).data, status=code)


class ReverseView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(
        request=ReverseSerializer,
        responses={200: TransactionSerializer},
        parameters=[OpenApiParameter("id", int, OpenApiParameter.PATH)],
    )
    def post(self, request, pk):
        body = ReverseSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        reason = body.validated_data.get("reason", "")
        txn = reverse_transaction(pk, reason=reason)
        customer = next(
            (acc.user for acc in (txn.sender_account, txn.receiver_account) if acc is not None and acc.user_id),
            None,
        )
        record_admin_action(
            request,
            "REVERSE_TRANSACTION",
            "transaction",
            txn.pk,
            affected_user=customer,
            amount=f"{txn.amount:.2f}",
            currency=txn.currency,
            reason=reason,
        )
        return Response(TransactionSerializer(txn, context={"request": request}).data)


class LedgerVerifyView(APIView):
    permission_classes = [IsAdminUser]

    @extend_schema(responses={200: LedgerReportSerializer})
    def get(self, request):
        return Response(verify_ledger())
