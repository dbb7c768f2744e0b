"""Customer accounts and their cards (API.md §4.1, 4.2, 4.4, 4.5)."""
import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from api.models import Account, Card
from api.selectors import accounts_of, cards_of
from api.serializers.accounts import AccountCreateSerializer, AccountSerializer, CardSerializer, CardUpdateSerializer
from api.services.accounts import open_account
from api.services.cards import issue_card


class AccountFilter(django_filters.FilterSet):
    class Meta:
        model = Account
        fields = ["type", "currency"]


class OwnAccountsMixin:
    serializer_class = AccountSerializer
    queryset = Account.objects.none()  # For the schema; the real set is per caller.
    lookup_field = "account_number"

    def get_queryset(self):
        return accounts_of(self.request.user)

    def get_serializer_context(self):
        context = super().get_serializer_context()
        profile = getattr(self.request.user, "profile", None)
        context["preferred_currency"] = getattr(profile, "preferred_currency", "") or None
        return context


class AccountListCreateView(OwnAccountsMixin, generics.ListCreateAPIView):
    """The caller's accounts, newest first; POST opens a new one at 0.00."""

    filterset_class = AccountFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend, OrderingFilter]
    ordering_fields = ["balance", "created_at"]
    ordering = ["-created_at", "-account_number"]

    @extend_schema(request=AccountCreateSerializer, responses={201: AccountSerializer})
    def post(self, request, *args, **kwargs):
        serializer = AccountCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        account = open_account(
            request.user, serializer.validated_data["type"], serializer.validated_data.get("currency")
        )
        return Response(self.get_serializer(account).data, status=status.HTTP_201_CREATED)


@extend_schema_view(
    get=extend_schema(operation_id="accounts_list_no_slash"),
    post=extend_schema(operation_id="accounts_create_no_slash"),
)
class AccountListCreateNoSlashView(AccountListCreateView):
    """``/api/accounts`` without the slash: the same endpoint, no redirect."""


class AccountDetailView(OwnAccountsMixin, generics.RetrieveAPIView):
    """One of the caller's accounts; anyone else's is 404."""


class OwnAccountMixin:
    """Resolves ``{account_number}`` among the caller's customer accounts, else 404."""

    def get_account(self):
        if not hasattr(self, "_account"):
            number = self.kwargs["account_number"]
            self._account = get_object_or_404(accounts_of(self.request.user), account_number=number)
        return self._account


class AccountCardsView(OwnAccountMixin, generics.ListCreateAPIView):
    """Cards of one of the caller's accounts; POST issues a new card."""

    serializer_class = CardSerializer
    queryset = Card.objects.none()

    def get_queryset(self):
        return Card.objects.filter(account=self.get_account())

    def perform_create(self, serializer):
        card_type = serializer.validated_data.get("card_type", Card.CardType.DEBIT)
        serializer.instance = issue_card(self.get_account(), card_type)


class CardDetailView(generics.RetrieveUpdateDestroyAPIView):
    """One of the caller's cards: read, freeze/unfreeze (PATCH is_active), delete."""

    serializer_class = CardSerializer
    queryset = Card.objects.none()
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return cards_of(self.request.user)

    @extend_schema(request=CardUpdateSerializer, responses={200: CardSerializer})
    def patch(self, request, *args, **kwargs):
        card = self.get_object()
        serializer = CardUpdateSerializer(card, data=request.data)
        serializer.is_valid(raise_exception=True)
        serializer.save()
        return Response(CardSerializer(card).data)
