"""Billers and bill payments (API.md §6.1–6.3): thin views over ``api.services.bills``."""
from drf_spectacular.utils import extend_schema
from rest_framework import generics, status
from rest_framework.response import Response

from api.models import Biller, BillPayment
from api.selectors import bill_payments_of
from api.serializers.bills import BillerSerializer, BillPaymentSerializer, PayBillSerializer
from api.services.bills import BillRequest, pay_bill
from api.services.transfers import transaction_context


class BillerListView(generics.ListAPIView):
    serializer_class = BillerSerializer
    queryset = Biller.objects.order_by("name", "id")
    filter_backends = []


class OwnPaymentsMixin:
    serializer_class = BillPaymentSerializer
    queryset = BillPayment.objects.none()
    filter_backends = []

    def get_queryset(self):
        return bill_payments_of(self.request.user)


class BillPaymentListView(OwnPaymentsMixin, generics.ListAPIView):
    """GET lists the caller's payments; POST pays a bill (201, or 200 when an idempotent replay)."""

    @extend_schema(request=PayBillSerializer, responses={200: BillPaymentSerializer, 201: BillPaymentSerializer})
    def post(self, request):
        body = PayBillSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        outcome = pay_bill(
            BillRequest(
                user=request.user,
                account=data["account"],
                biller=data["biller"],
                reference_number=data["reference_number"],
                idempotency_key=data.get("idempotency_key"),
                context=transaction_context(request),
            )
        )
        if outcome.error:
            raise outcome.error
        code = status.HTTP_201_CREATED if outcome.created else status.HTTP_200_OK
        return Response(self.get_serializer(outcome.payment).data, status=code)


class BillPaymentDetailView(OwnPaymentsMixin, generics.RetrieveAPIView):
    """Bill payments cannot be changed or deleted: only GET is allowed (others 405)."""
