"""The one serializer field for money amounts (API.md §1.2)."""
import re
from decimal import Decimal

from django.db import models
from rest_framework import serializers

# Plain decimal notation in ASCII digits: no exponent, NaN or Infinity, no
# other script's digits (``Decimal("١٠٠")`` would otherwise read as 100).
PLAIN_DECIMAL = re.compile(r"[+-]?[0-9]+(?:\.[0-9]+)?")


class MoneyField(serializers.DecimalField):
    """An amount with at most two decimals, sent as a JSON string or number.

    JSON numbers reach the field exactly (int or Decimal, see
    nexus/parsers.py), so ``1.0000000000000000000001`` is refused whichever
    way it is sent; a float has already lost digits and is refused too.
    """

    default_error_messages = {
        "invalid": 'Enter an amount in digits 0-9 with at most two decimals, such as "100.00".',
    }

    def __init__(self, **kwargs):
        kwargs.setdefault("max_digits", 14)
        kwargs.setdefault("decimal_places", 2)
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        if isinstance(data, bool) or not isinstance(data, (str, int, Decimal)):
            self.fail("invalid")
        text = data.strip() if isinstance(data, str) else str(data)
        if not PLAIN_DECIMAL.fullmatch(text):
            self.fail("invalid")
        return super().to_internal_value(text)

    def validate_precision(self, value):
        """Name the decimals first: "1.0000000000000000000001" is too precise, not too long."""
        if value.as_tuple().exponent < -self.decimal_places:
            self.fail("max_decimal_places", max_decimal_places=self.decimal_places)
        return super().validate_precision(value)


class MoneyModelSerializer(serializers.ModelSerializer):
    """A model serializer whose money columns (``DecimalField``) are ``MoneyField``."""

    serializer_field_mapping = {**serializers.ModelSerializer.serializer_field_mapping, models.DecimalField: MoneyField}


def positive_amount(value):
    """Rule 1 of API.md §5.1: amounts are > 0 (two decimals at most is the field's own check)."""
    if value <= 0:
        raise serializers.ValidationError("Amount must be greater than zero.")
    return value
