"""Issuing payment cards: Luhn-valid numbers and a CVV kept only as a hash."""
import secrets
from datetime import date

from django.contrib.auth.hashers import make_password
from django.db import IntegrityError, transaction
from django.utils import timezone

from api.models import Card
from nexus.errors import BusinessError

NUMBER_ATTEMPTS = 10
CARD_PREFIX = "4"
CARD_LENGTH = 16
VALID_YEARS = 5


def luhn_check_digit(partial):
    """The digit that makes ``partial`` + digit pass the Luhn check."""
    total = 0
    for index, char in enumerate(reversed(partial)):
        digit = int(char)
        if index % 2 == 0:  # Doubled: these sit at odd positions once the check digit is appended.
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return str((10 - total % 10) % 10)


def luhn_valid(number):
    return number.isdigit() and luhn_check_digit(number[:-1]) == number[-1]


def new_card_number():
    body_length = CARD_LENGTH - len(CARD_PREFIX) - 1
    partial = CARD_PREFIX + "".join(str(secrets.randbelow(10)) for _ in range(body_length))
    return partial + luhn_check_digit(partial)


def new_cvv():
    return f"{secrets.randbelow(1000):03d}"


def expiration_from(issued):
    """Five years after ``issued``; 29 February falls back to the 28th."""
    try:
        return issued.replace(year=issued.year + VALID_YEARS)
    except ValueError:
        return date(issued.year + VALID_YEARS, issued.month, 28)


def issue_card(account, card_type=Card.CardType.DEBIT):
    """A new active card on ``account``; the clear CVV is never kept nor returned."""
    if not account.is_active:
        raise BusinessError("account_frozen", "Cards cannot be issued on a frozen account.")
    cvv_hash = make_password(new_cvv())
    expires = expiration_from(timezone.localdate())
    for _ in range(NUMBER_ATTEMPTS):
        number = new_card_number()
        try:
            with transaction.atomic():
                return Card.objects.create(
                    account=account,
                    card_type=card_type,
                    card_number=number,
                    last4=number[-4:],
                    cvv_hash=cvv_hash,
                    expiration_date=expires,
                )
        except IntegrityError:
            continue
    raise RuntimeError("Could not allocate a unique card number.")
