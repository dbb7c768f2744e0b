"""The Django admin cannot write money (issue 11 finding 4): the ledger is append-only there too.

Staff are signed in with ``admin_session`` (the state the two sign-in steps end
in) so these tests hold whatever the sign-in form looks like.
"""
import re
from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth import get_user_model
from django.db import models
from django.test import Client
from django.urls import reverse

from api.models import Account, LedgerEntry, Transaction
from business.models import DailyBusinessMetrics
from nexus.testing.auth import admin_session
from nexus.testing.factories import UserFactory
from nexus.testing.money import assert_ledger_ok, balance, make_account
from risk.models import Incident

pytestmark = pytest.mark.django_db
GUARDED = (get_user_model(), Account, Transaction)
SELECT_NAME = re.compile(r'<select[^>]*\bname="([^"]+)"')


@pytest.fixture
def staff_browser():
    staff = UserFactory(is_staff=True, is_superuser=True)
    return admin_session(Client(), staff)


@pytest.fixture
def funded(user):
    return make_account(user, "JOD", "100.00")


def url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def test_ledger_entry_cannot_be_added(staff_browser, funded):
    """The finding: an unbalanced +7.00 entry was added through this page."""
    before = LedgerEntry.objects.count()
    assert staff_browser.get(url(LedgerEntry, "add")).status_code == 403
    response = staff_browser.post(
        url(LedgerEntry, "add"),
        {"transaction": Transaction.objects.get().pk, "account": funded.pk, "currency": "EUR", "amount": "7.00"},
    )
    assert response.status_code == 403
    assert LedgerEntry.objects.count() == before
    assert_ledger_ok()


def test_ledger_entry_change_is_refused_and_the_view_is_read_only(staff_browser, funded):
    entry = LedgerEntry.objects.get(account=funded)
    page = staff_browser.get(url(LedgerEntry, "change", entry.pk))
    assert page.status_code == 200
    assert 'name="amount"' not in page.content.decode()
    response = staff_browser.post(url(LedgerEntry, "change", entry.pk), {"amount": "7.00", "currency": "JOD"})
    assert response.status_code == 403
    assert LedgerEntry.objects.get(pk=entry.pk).amount == Decimal("100.00")
    assert staff_browser.post(url(LedgerEntry, "delete", entry.pk), {"post": "yes"}).status_code == 403
    assert LedgerEntry.objects.filter(pk=entry.pk).exists()
    assert_ledger_ok()


def test_transaction_cannot_be_added_changed_or_deleted(staff_browser, funded):
    txn = Transaction.objects.get()
    assert staff_browser.get(url(Transaction, "add")).status_code == 403
    page = staff_browser.get(url(Transaction, "change", txn.pk))
    assert page.status_code == 200
    assert "<select" not in page.content.decode().split('id="changelist-filter"')[0]
    response = staff_browser.post(url(Transaction, "change", txn.pk), {"amount": "1.00", "status": "FAILED"})
    assert response.status_code == 403
    assert staff_browser.post(url(Transaction, "delete", txn.pk), {"post": "yes"}).status_code == 403
    txn.refresh_from_db()
    assert (txn.amount, txn.status) == (Decimal("100.00"), Transaction.Status.SUCCESS)


def test_bulk_delete_of_ledger_rows_is_not_offered(staff_browser, funded):
    response = staff_browser.post(
        url(LedgerEntry, "changelist"),
        {"action": "delete_selected", "_selected_action": [e.pk for e in LedgerEntry.objects.all()], "post": "yes"},
    )
    assert LedgerEntry.objects.count() == 2
    assert response.status_code in (200, 302)
    assert "delete_selected" not in staff_browser.get(url(LedgerEntry, "changelist")).content.decode()


def test_account_balance_is_read_only_and_accounts_with_entries_stay(staff_browser, funded):
    page = staff_browser.get(url(Account, "change", funded.pk)).content.decode()
    assert 'name="balance"' not in page
    assert 'name="user"' in page and '<select name="user"' not in page  # a raw id, not every user
    staff_browser.post(
        url(Account, "change", funded.pk),
        {"user": funded.user_id, "type": funded.type, "balance": "1000000.00", "is_active": "on"},
    )
    assert balance(funded) == Decimal("100.00")
    assert staff_browser.post(url(Account, "delete", funded.pk), {"post": "yes"}).status_code == 403
    assert Account.objects.filter(pk=funded.pk).exists()
    assert_ledger_ok()


def test_account_without_entries_can_still_be_deleted(staff_browser, user):
    empty = make_account(user, "USD")
    response = staff_browser.post(url(Account, "delete", empty.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Account.objects.filter(pk=empty.pk).exists()


@pytest.mark.parametrize("model", [DailyBusinessMetrics, Incident])
def test_derived_and_audit_rows_are_read_only(staff_browser, model):
    assert staff_browser.get(url(model, "add")).status_code == 403
    assert staff_browser.get(url(model, "changelist")).status_code == 200


def test_ledger_changelist_is_a_bounded_number_of_queries(staff_browser, user, django_assert_max_num_queries):
    accounts = [make_account(user, "JOD", "10.00") for _ in range(30)]
    assert LedgerEntry.objects.count() >= 60 and len(accounts) == 30
    for model in (LedgerEntry, Transaction):
        with django_assert_max_num_queries(12):
            response = staff_browser.get(url(model, "changelist"))
        assert response.status_code == 200


def _relations_to_guarded(model):
    return {
        field.name
        for field in model._meta.get_fields()
        if isinstance(field, (models.ForeignKey, models.OneToOneField)) and field.related_model in GUARDED
    }


def test_no_form_lists_every_user_account_or_transaction(staff_browser, user, funded):
    """Every add page and every change page renders relations to users, accounts and transactions as raw ids."""
    make_account(user, "USD")
    checked = 0
    for model, model_admin in admin.site._registry.items():
        guarded = _relations_to_guarded(model)
        if not guarded:
            continue
        pages = [url(model, "add")]
        row = model._default_manager.first()
        if row is not None:
            pages.append(url(model, "change", row.pk))
        for page in pages:
            response = staff_browser.get(page)
            if response.status_code == 403:
                continue
            assert response.status_code == 200, page
            selects = set(SELECT_NAME.findall(response.content.decode()))
            assert not selects & guarded, f"{page} renders a drop-down of {selects & guarded}"
            checked += 1
    assert checked >= 10
