from django import forms
from django.db.models import Case, IntegerField, Q, Value, When
from django_filters import rest_framework as filters
from rest_framework.filters import OrderingFilter

from nexus.filters import IdFilter

from .models import Incident, LoginEvent


class IPFilter(filters.Filter):
    """Exact IP; a malformed one is a 400, never a database error."""

    field_class = forms.GenericIPAddressField


class IncidentFilter(filters.FilterSet):
    severity = filters.ChoiceFilter(choices=Incident.Severity.choices)
    country = filters.CharFilter(lookup_expr="iexact")
    event = filters.CharFilter(lookup_expr="icontains")
    rule = filters.CharFilter()
    user = IdFilter(field_name="user_id")
    ip = IPFilter()
    date_from = filters.DateFilter(field_name="timestamp", lookup_expr="date__gte")
    date_to = filters.DateFilter(field_name="timestamp", lookup_expr="date__lte")
    search = filters.CharFilter(method="filter_search", help_text="event, rule, email, IP or country")

    class Meta:
        model = Incident
        fields = []

    def filter_search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(event__icontains=value)
            | Q(rule__icontains=value)
            | Q(attempted_email__icontains=value)
            | Q(user__email__icontains=value)
            | Q(ip__icontains=value)
            | Q(country__iexact=value)
        )


class LoginEventFilter(filters.FilterSet):
    successful = filters.BooleanFilter()
    user = IdFilter(field_name="user_id")
    ip = IPFilter()

    class Meta:
        model = LoginEvent
        fields = []


def with_severity_rank(queryset):
    return queryset.annotate(
        severity_rank=Case(
            *(When(severity=name, then=Value(rank)) for name, rank in Incident.SEVERITY_RANK.items()),
            default=Value(-1),
            output_field=IntegerField(),
        )
    )


class IncidentOrdering(OrderingFilter):
    """``timestamp``, ``-timestamp`` (default) or ``severity`` (most severe first, then newest)."""

    ORDERINGS = {
        "timestamp": ["timestamp", "id"],
        "-timestamp": ["-timestamp", "-id"],
        "severity": ["-severity_rank", "-timestamp", "-id"],
        "-severity": ["severity_rank", "-timestamp", "-id"],
    }

    def get_ordering(self, request, queryset, view):
        param = request.query_params.get(self.ordering_param, "").strip()
        return self.ORDERINGS.get(param, self.ORDERINGS["-timestamp"])

    def get_schema_operation_parameters(self, view):
        return [
            {
                "name": self.ordering_param,
                "required": False,
                "in": "query",
                "description": "timestamp, -timestamp (default) or severity (most severe first)",
                "schema": {"type": "string", "enum": list(self.ORDERINGS)},
            }
        ]
