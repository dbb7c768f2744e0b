"""A Django admin for records that staff read but never write there.

The ledger is append-only and money moves only through the audited deposit
and reversal actions (API.md §7.4); audit trails and derived metrics are
written by the code that owns them. Such models get this admin: list and
detail views, no add, change or delete.
"""
from django.contrib import admin


class NoWrites:
    """Staff may view; nobody adds, changes or deletes through the admin."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(NoWrites, admin.ModelAdmin):
    pass


class ReadOnlyInline(NoWrites, admin.TabularInline):
    extra = 0
