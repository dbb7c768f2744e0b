"""Path converters: a malformed identifier matches no route, so it never reaches the database."""
from django.urls import register_converter


class AccountNumberConverter:
    """Account numbers are 12 ASCII digits (``api.services.accounts.new_account_number``)."""

    regex = "[0-9]{12}"

    def to_python(self, value):
        return value

    def to_url(self, value):
        return str(value)


register_converter(AccountNumberConverter, "account_number")
