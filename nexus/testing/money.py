"""Customer accounts funded through the real ledger, balances and the ledger check."""
import itertools
from decimal import Decimal

from django.contrib.auth import get_user_model

from api.models import Account
from api.services.deposits import deposit
from api.services.ledger import system_account_number, verify_ledger

_numbers = itertools.count(100000000001)
TYPE_FOR_CURRENCY = {"JOD": "Savings", "USD": "USD", "EUR": "EUR"}


def make_account(user, currency="JOD", balance="0.00", **fields):
    """A customer account of ``user``; a non-zero ``balance`` arrives as a ledger deposit."""
    number = str(next(_numbers))
    while Account.objects.filter(pk=number).exists():
        number = str(next(_numbers))
    account = Account.objects.create(
        account_number=number, user=user, currency=currency, type=TYPE_FOR_CURRENCY[currency], **fields
    )
    if Decimal(balance):
        fund(account, balance)
    return account


def fund(account, amount):
    was_active = account.is_active
    if not was_active:
        Account.objects.filter(pk=account.pk).update(is_active=True)
    staff, _ = get_user_model().objects.get_or_create(email="ledger-funding@example.com", defaults={"is_staff": True})
    deposit(staff, account.pk, Decimal(amount))
    if not was_active:
        Account.objects.filter(pk=account.pk).update(is_active=False)


def balance(account_or_number):
    number = getattr(account_or_number, "pk", account_or_number)
    return Account.objects.get(pk=number).balance


def system_balance(role, currency):
    return balance(system_account_number(role, currency))


def assert_ledger_ok():
    report = verify_ledger()
    assert report["ok"], report
