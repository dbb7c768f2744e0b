"""The ledger check (API.md §7.5, §11) and its detection of broken invariants."""
import json
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from api.models import Account, LedgerEntry
from nexus.testing.money import make_account

pytestmark = pytest.mark.django_db


def test_verify_endpoint_ok(staff_client, user):
    make_account(user, "JOD", "10.00")
    body = staff_client.get("/api/admin/ledger/verify/").json()
    assert body["ok"] is True
    assert [c["currency"] for c in body["currencies"]] == ["JOD", "USD", "EUR"]
    assert body["currencies"][0] == {"currency": "JOD", "entries_total": "0.00", "balanced": True}
    assert body["accounts_checked"] == Account.objects.count()
    assert body["mismatched_accounts"] == body["negative_customer_balances"] == body["unbalanced_transactions"] == []


def test_detects_tampering(staff_client, user):
    account = make_account(user, "JOD", "10.00")
    Account.objects.filter(pk=account.pk).update(balance=Decimal("12.00"))
    entry = LedgerEntry.objects.filter(account=account).first()
    # Entries cannot be edited (append-only, migration 0003): tamper by adding an unbalanced one.
    LedgerEntry.objects.create(transaction=entry.transaction, account=account, currency="JOD", amount=Decimal("1.00"))
    body = staff_client.get("/api/admin/ledger/verify/").json()
    assert body["ok"] is False
    assert body["currencies"][0] == {"currency": "JOD", "entries_total": "1.00", "balanced": False}
    assert body["mismatched_accounts"] == [{"account_number": account.pk, "balance": "12.00", "entries_total": "11.00"}]
    assert body["unbalanced_transactions"] == [entry.transaction_id]


def test_command(capsys, user):
    make_account(user, "USD", "5.00")
    call_command("verify_ledger")
    out = capsys.readouterr().out
    assert "USD: entries total 0.00 (balanced)" in out and "ledger ok" in out
    call_command("verify_ledger", "--json")
    assert json.loads(capsys.readouterr().out)["ok"] is True


def test_command_exits_1_when_broken(user):
    account = make_account(user, "USD", "5.00")
    Account.objects.filter(pk=account.pk).update(balance=Decimal("6.00"))
    with pytest.raises(CommandError) as error:
        call_command("verify_ledger")
    assert error.value.returncode == 1
