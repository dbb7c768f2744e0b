"""The movement's row lock: the rows the ORM would return, locked against every other writer until the commit."""
import psycopg
import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError

from api.models import Account
from api.models.ledger_sql import lock_in_order
from nexus.testing.money import make_account

pytestmark = pytest.mark.django_db


def _fields(instance):
    return {field.attname: getattr(instance, field.attname) for field in instance._meta.concrete_fields}


def test_the_rows_equal_the_orm_ones_in_key_order(user, other_user):
    accounts = [make_account(user, "JOD", "12.34"), make_account(other_user, "USD"), make_account(user, "EUR")]
    numbers = {account.pk for account in accounts} | {"999999999999"}  # no such account: no row
    with transaction.atomic():
        locked = lock_in_order(Account, numbers)
        again = lock_in_order(Account, [accounts[0].pk])
    expected = list(Account.objects.filter(pk__in=numbers).order_by("account_number"))
    assert [_fields(row) for row in locked] == [_fields(row) for row in expected]
    assert [row.pk for row in locked] == sorted(account.pk for account in accounts)
    assert _fields(again[0]) == _fields(Account.objects.get(pk=accounts[0].pk))
    assert not locked[0]._state.adding


@pytest.mark.django_db(transaction=True)  # a plain test runs inside a transaction
def test_locking_outside_a_transaction_is_refused(user):
    with pytest.raises(TransactionManagementError):
        lock_in_order(Account, [make_account(user).pk])


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks are PostgreSQL's")
def test_another_writer_waits_for_the_locked_rows(user):
    account = make_account(user, "JOD")
    settings = connection.settings_dict
    with transaction.atomic():
        lock_in_order(Account, [account.pk])
        with psycopg.connect(
            dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"], port=settings["PORT"] or 5432,
            password=settings["PASSWORD"] or None,
        ) as other, pytest.raises(psycopg.errors.LockNotAvailable):
            other.execute("SELECT 1 FROM api_account WHERE account_number = %s FOR UPDATE NOWAIT", [account.pk])
