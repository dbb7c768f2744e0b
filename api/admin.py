"""The Django admin of the bank's models.

Money is append-only here: transactions, ledger entries, bill payments and
balances are read-only (staff move money only through the audited deposit and
reversal actions of API.md §7.4), and every relation to a user, account or
transaction on a form is a raw id, never a drop-down of every row.
"""
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin

from nexus.readonly_admin import ReadOnlyAdmin, ReadOnlyInline

from . import models


@admin.register(models.User)
class UserAdmin(DjangoUserAdmin):
    ordering = ["-date_joined"]
    list_display = ["email", "first_name", "last_name", "country", "is_active", "is_staff", "is_online", "date_joined"]
    list_filter = ["is_active", "is_staff", "is_online", "country"]
    search_fields = ["email", "first_name", "last_name"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Personal", {"fields": ["first_name", "last_name", "country"]}),
        ("Status", {"fields": ["is_active", "is_staff", "is_superuser", "is_online", "groups", "user_permissions"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(models.UserProfile)
class UserProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "first_name", "last_name", "preferred_currency", "birth_date"]
    list_filter = ["preferred_currency"]
    search_fields = ["user__email", "first_name", "last_name"]
    raw_id_fields = ["user"]


@admin.register(models.UserAddress)
class UserAddressAdmin(admin.ModelAdmin):
    list_display = ["user", "street", "city"]
    search_fields = ["user__email", "street", "city"]
    raw_id_fields = ["user"]


@admin.register(models.AuthSession)
class AuthSessionAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "source", "created_at", "expires_at", "revoked_at"]
    list_filter = ["source"]
    search_fields = ["user__email"]
    raw_id_fields = ["user"]


@admin.register(models.Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["account_number", "user", "type", "currency", "balance", "is_active", "is_system", "system_role"]
    list_filter = ["currency", "type", "is_active", "is_system", "system_role"]
    search_fields = ["account_number", "user__email"]
    list_select_related = ["user"]
    raw_id_fields = ["user"]
    readonly_fields = ["balance"]

    def get_readonly_fields(self, request, obj=None):
        """The balance is the sum of the ledger; an existing account keeps its number and currency."""
        if obj is None:
            return self.readonly_fields
        return [*self.readonly_fields, "account_number", "currency", "is_system", "system_role"]

    def has_delete_permission(self, request, obj=None):
        """An account with ledger history stays (deactivate it instead)."""
        if obj is not None and obj.entries.exists():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(models.Card)
class CardAdmin(admin.ModelAdmin):
    list_display = ["id", "account", "card_type", "last4", "expiration_date", "is_active", "created_at"]
    list_filter = ["card_type", "is_active"]
    search_fields = ["last4", "account__account_number", "account__user__email"]
    exclude = ["card_number", "cvv_hash"]
    raw_id_fields = ["account"]


class LedgerEntryInline(ReadOnlyInline):
    model = models.LedgerEntry
    fields = readonly_fields = ["account", "currency", "amount", "is_reversal", "created_at"]


@admin.register(models.Transaction)
class TransactionAdmin(ReadOnlyAdmin):
    list_display = ["id", "kind", "status", "sender_account", "receiver_account", "amount", "fee_amount", "currency", "created_at"]
    list_filter = ["kind", "status", "currency"]
    search_fields = ["id", "sender_account__account_number", "receiver_account__account_number", "idempotency_key"]
    date_hierarchy = "created_at"
    list_select_related = ["sender_account", "receiver_account"]
    inlines = [LedgerEntryInline]


@admin.register(models.LedgerEntry)
class LedgerEntryAdmin(ReadOnlyAdmin):
    list_display = ["id", "transaction", "account", "currency", "amount", "is_reversal", "created_at"]
    list_filter = ["currency", "is_reversal"]
    search_fields = ["account__account_number", "transaction__id"]
    list_select_related = ["transaction", "account"]


@admin.register(models.LoginOTP, models.TransferOTP, models.SocialLoginCode)
class OneTimeCodeAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "expires_at", "attempts", "used_at", "created_at"]
    search_fields = ["user__email"]
    exclude = ["code_hash"]


@admin.register(models.Biller)
class BillerAdmin(admin.ModelAdmin):
    list_display = ["name", "category", "fixed_amount", "currency", "system_account"]
    list_filter = ["category"]
    search_fields = ["name"]
    raw_id_fields = ["system_account"]


@admin.register(models.BillPayment)
class BillPaymentAdmin(ReadOnlyAdmin):
    list_display = ["id", "user", "biller", "account", "amount", "currency", "status", "created_at"]
    list_filter = ["status", "biller", "currency"]
    search_fields = ["user__email", "reference_number", "account__account_number"]
    list_select_related = ["user", "biller", "account"]


@admin.register(models.Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ["id", "user", "notification_type", "is_read", "created_at"]
    list_filter = ["notification_type", "is_read"]
    search_fields = ["user__email", "message"]
    list_select_related = ["user"]
    raw_id_fields = ["user", "related_transaction"]
