"""Staff actions on users and accounts (API.md §7.1–7.3, §7.4 account list).

Every action runs under a row lock, then leaves its audit trail through
``record_admin_action`` (incident + the customer's SECURITY notification).
"""
import django_filters
from django.contrib.auth import get_user_model
from django.db import transaction
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.exceptions import NotFound
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from api.models import Account
from api.selectors import customer_accounts
from api.serializers.admin import AdminAccountSerializer, AdminDetailSerializer, TerminateSessionSerializer
from api.services.accounts import set_account_active
from api.services.audit import record_admin_action
from api.services.sessions import revoke_all_sessions
from nexus.errors import BusinessError
from nexus.filters import IdFilter

User = get_user_model()


class StaffMixin:
    permission_classes = [IsAdminUser]


def _locked_user(pk):
    user = User.objects.select_for_update().filter(pk=pk).first()
    if user is None:
        raise NotFound("User not found.")
    return user


class UserActionView(StaffMixin, generics.GenericAPIView):
    queryset = User.objects.all()
    serializer_class = AdminDetailSerializer


class BlockUserView(UserActionView):
    """Block a user: inactive, and every token issued so far refused at once."""

    @extend_schema(request=None, responses={200: TerminateSessionSerializer})
    def post(self, request, pk):
        with transaction.atomic():
            target = _locked_user(pk)
            if target.pk == request.user.pk:
                raise BusinessError("validation_error", "You cannot block yourself.")
            if not target.is_active:
                raise BusinessError("invalid_state", "The user is already blocked.")
            target.is_active = False
            target.save(update_fields=["is_active"])
            revoked = revoke_all_sessions(target)
            record_admin_action(request, "BLOCK_USER", "user", target.pk, affected_user=target, tokens_revoked=revoked)
        return Response({"detail": "User blocked.", "tokens_revoked": revoked})


class UnblockUserView(UserActionView):
    """Unblock a user; tokens revoked by the block stay revoked (a new login is needed)."""

    @extend_schema(request=None, responses={200: AdminDetailSerializer})
    def post(self, request, pk):
        with transaction.atomic():
            target = _locked_user(pk)
            if target.is_active:
                raise BusinessError("invalid_state", "The user is not blocked.")
            target.is_active = True
            target.save(update_fields=["is_active"])
            record_admin_action(request, "UNBLOCK_USER", "user", target.pk, affected_user=target)
        return Response({"detail": "User unblocked."})


class TerminateSessionView(UserActionView):
    """Revoke every token of a user at once; the user may log in again."""

    serializer_class = TerminateSessionSerializer

    @extend_schema(request=None, responses={200: TerminateSessionSerializer})
    def post(self, request, pk):
        with transaction.atomic():
            target = _locked_user(pk)
            revoked = revoke_all_sessions(target)
            record_admin_action(
                request, "TERMINATE_SESSION", "user", target.pk, affected_user=target, tokens_revoked=revoked
            )
        return Response({"detail": "All sessions of the user were terminated.", "tokens_revoked": revoked})


class AccountStateView(StaffMixin, generics.GenericAPIView):
    """Freeze or unfreeze a customer account; unknown or system accounts are 404."""

    queryset = Account.objects.filter(is_system=False)
    serializer_class = AdminDetailSerializer
    lookup_field = "account_number"
    make_active = None
    action_name = ""
    done = ""

    @extend_schema(request=None, responses={200: AdminDetailSerializer})
    def post(self, request, account_number):
        with transaction.atomic():
            try:
                account = set_account_active(account_number, self.make_active)
            except Account.DoesNotExist:
                raise NotFound("Account not found.") from None
            record_admin_action(
                request, self.action_name, "account", account.account_number, affected_user=account.user
            )
        return Response({"detail": self.done})


class FreezeAccountView(AccountStateView):
    make_active = False
    action_name = "FREEZE_ACCOUNT"
    done = "Account frozen."


class UnfreezeAccountView(AccountStateView):
    make_active = True
    action_name = "UNFREEZE_ACCOUNT"
    done = "Account unfrozen."


class AdminAccountFilter(django_filters.FilterSet):
    user = IdFilter(field_name="user_id")

    class Meta:
        model = Account
        fields = ["user", "currency", "is_active"]


class AdminAccountListView(StaffMixin, generics.ListAPIView):
    """Every customer account with its owner, newest first."""

    serializer_class = AdminAccountSerializer
    queryset = Account.objects.none()
    filterset_class = AdminAccountFilter
    filter_backends = [django_filters.rest_framework.DjangoFilterBackend]

    def get_queryset(self):
        return customer_accounts().select_related("user")
