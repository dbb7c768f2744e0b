"""The API's JSON request parser: exact numbers, bounded nesting.

DRF's own ``JSONParser`` turns every JSON number with a fraction into a
``float``, so ``1.0000000000000000000001`` arrives as ``1.0`` and passes the
two-decimal check of a money field. Here such numbers become ``Decimal``
(integers stay ``int``), so a money field sees exactly what the client sent.
A number in exponent notation (``1E-2``) stays a ``float`` as before: it is
not plain decimal notation, and money fields refuse floats.
NaN and Infinity are always refused (DRF's strict JSON), and a body nested
deeper than ``JSON_MAX_DEPTH`` is a 400 instead of a ``RecursionError``.
"""
import codecs
import math
from decimal import Decimal

from django.conf import settings
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser, get_encoding
from rest_framework.utils import json


class ExactJSONParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        reader = codecs.getreader(get_encoding(parser_context or {}))(stream)
        try:
            data = json.load(reader, parse_float=_fraction)
        except RecursionError:
            raise ParseError(_too_deep()) from None
        except ValueError as exc:
            raise ParseError(f"JSON parse error - {exc}") from None
        if nesting_depth(data) > settings.JSON_MAX_DEPTH:
            raise ParseError(_too_deep())
        return data


def _fraction(text):
    """A JSON number with a fraction or exponent: exact Decimal, or a finite float for exponent notation."""
    if "e" not in text and "E" not in text:
        return Decimal(text)
    value = float(text)
    if math.isinf(value):
        raise ValueError(f"{text} is out of range")
    return value


def _too_deep():
    return f"JSON parse error - nested deeper than {settings.JSON_MAX_DEPTH} levels."


def nesting_depth(data):
    """How many arrays/objects deep ``data`` goes (a scalar is 0), without recursion."""
    deepest = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            children = value.values()
        elif isinstance(value, list):
            children = value
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest
