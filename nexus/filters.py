"""Query-string filters shared by the apps."""
import django_filters
from django import forms
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

# Primary keys are BigAutoField: a larger number can match nothing and would
# overflow the database driver, so it is a 400 like any malformed filter.
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1


@extend_schema_field(OpenApiTypes.INT64)
class IdFilter(django_filters.NumberFilter):
    """A whole-number id filter (``?user=``) bounded to the database's integer range."""

    field_class = forms.IntegerField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", BIGINT_MIN)
        kwargs.setdefault("max_value", BIGINT_MAX)
        super().__init__(*args, **kwargs)
