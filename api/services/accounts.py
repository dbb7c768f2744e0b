"""Opening customer accounts and the staff freeze/unfreeze of one."""
import secrets

from django.db import IntegrityError, transaction

from api.models import Account
from api.models.choices import Currency
from nexus.errors import BusinessError

NUMBER_ATTEMPTS = 10

# Types tied to one currency; every other type defaults to JOD and may hold any currency.
TYPE_CURRENCY = {Account.Type.USD: Currency.USD, Account.Type.EUR: Currency.EUR}


def new_account_number():
    """12 random digits from ``secrets``, never starting with 0."""
    return str(secrets.randbelow(9) + 1) + f"{secrets.randbelow(10**11):011d}"


def resolve_currency(account_type, currency=None):
    """The type's default currency, or 400 when a USD/EUR type asks for another."""
    fixed = TYPE_CURRENCY.get(account_type)
    if currency and fixed and currency != fixed:
        raise BusinessError(
            "validation_error", f"A {account_type} account must be in {fixed}.", field="currency"
        )
    return currency or fixed or Currency.JOD


def open_account(user, account_type, currency=None):
    """A new active account at 0.00 for ``user``; retries on the rare number collision."""
    currency = resolve_currency(account_type, currency)
    for _ in range(NUMBER_ATTEMPTS):
        try:
            with transaction.atomic():
                account = Account.objects.create(
                    account_number=new_account_number(), user=user, type=account_type, currency=currency
                )
        except IntegrityError:
            continue
        account.card_count = 0
        return account
    raise RuntimeError("Could not allocate a unique account number.")


def set_account_active(account_number, active):
    """Freeze (``active=False``) or unfreeze a customer account under a row lock.

    Raises ``Account.DoesNotExist`` for unknown or system accounts and
    ``invalid_state`` when the account is already in the asked state.
    """
    with transaction.atomic():
        account = Account.objects.select_for_update().get(account_number=account_number, is_system=False)
        if account.is_active == active:
            state = "active" if active else "frozen"
            raise BusinessError("invalid_state", f"The account is already {state}.")
        account.is_active = active
        account.save(update_fields=["is_active", "updated_at"])
    return account
