"""Staff dashboards over pre-aggregated rows (API.md §9.2) and the advisor (§9.3)."""

from drf_spectacular.utils import OpenApiParameter, PolymorphicProxySerializer, extend_schema
from rest_framework import serializers as drf_serializers
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response

from . import advisor
from . import serializers as s
from .metrics import read, summaries
from .metrics.days import business_date
from .models import CountryUserMetrics, CurrencyMetrics, DailyBusinessMetrics, MonthlySummary, WeeklySummary

OVERVIEW_ROWS = 12


def _paginated(serializer_class, name):
    return type(
        name,
        (drf_serializers.Serializer,),
        {
            "count": drf_serializers.IntegerField(),
            "next": drf_serializers.URLField(allow_null=True),
            "previous": drf_serializers.URLField(allow_null=True),
            "results": serializer_class(many=True),
        },
    )


def _one_or_page(serializer_class, name):
    return PolymorphicProxySerializer(
        component_name=f"{name}OneOrPage",
        serializers=[serializer_class, _paginated(serializer_class, f"Paginated{name}List")],
        resource_type_field_name=None,
    )


def _date_param(name, description):
    return OpenApiParameter(name, str, description=description)


class StaffView(GenericAPIView):
    permission_classes = [IsAdminUser]

    def page_of(self, queryset, build, serializer_class):
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(serializer_class(build(page), many=True).data)


class DailyView(StaffView):
    queryset = DailyBusinessMetrics.objects.all()
    serializer_class = s.DailyRowSerializer

    @extend_schema(
        parameters=[
            _date_param("date", "YYYY-MM-DD: that day's row (zeroed, id null, when nothing happened)."),
            _date_param("date_from", "YYYY-MM-DD, inclusive."),
            _date_param("date_to", "YYYY-MM-DD, inclusive."),
        ],
        responses={200: _one_or_page(s.DailyRowSerializer, "DailyRow")},
    )
    def get(self, request):
        day = s.query_date(request, "date")
        if day is not None:
            return Response(s.DailyRowSerializer(read.daily_for(day)).data)
        date_from, date_to = s.query_date(request, "date_from"), s.query_date(request, "date_to")
        qs = self.get_queryset()
        if date_from:
            qs = qs.filter(date__gte=date_from)
        if date_to:
            qs = qs.filter(date__lte=date_to)
        return self.page_of(qs, read.daily_rows, s.DailyRowSerializer)


class WeeklyView(StaffView):
    queryset = WeeklySummary.objects.all()
    serializer_class = s.WeeklySerializer

    @extend_schema(
        parameters=[_date_param("week", "YYYY-MM-DD, any day of the week (Monday–Sunday).")],
        responses={200: _one_or_page(s.WeeklySerializer, "Weekly")},
    )
    def get(self, request):
        day = s.query_date(request, "week")
        if day is not None:
            return Response(s.WeeklySerializer(summaries.payload("week", *summaries.week_bounds(day))).data)
        return self.page_of(self.get_queryset(), lambda rows: summaries.payloads("week", rows), s.WeeklySerializer)


class MonthlyView(StaffView):
    queryset = MonthlySummary.objects.all()
    serializer_class = s.MonthlySerializer

    @extend_schema(
        parameters=[_date_param("month", "YYYY-MM or YYYY-MM-DD; without it, the last 12 months with data.")],
        responses={200: _one_or_page(s.MonthlySerializer, "Monthly")},
    )
    def get(self, request):
        value = request.query_params.get("month")
        if value not in (None, ""):
            start = s.parse_month(value)
            return Response(s.MonthlySerializer(summaries.payload("month", *summaries.month_bounds(start))).data)
        rows = self.get_queryset()[:OVERVIEW_ROWS]
        return self.page_of(rows, lambda page: summaries.payloads("month", page), s.MonthlySerializer)


class KeyedMetricsView(StaffView):
    # Per-date rows of one scope (``key``: country or currency), optionally of one date and one key.
    # (A comment, not a docstring: drf-spectacular would publish it as every subclass's description.)
    key = None
    key_length = None

    def rows(self, qs):
        raise NotImplementedError

    def list_rows(self, request):
        qs = self.get_queryset()
        day = s.query_date(request, "date")
        if day is not None:
            qs = qs.filter(date=day)
        if request.query_params.get(self.key):
            qs = qs.filter(**{self.key: s.parse_code(request.query_params[self.key], self.key, self.key_length)})
        return self.page_of(qs, self.rows, self.serializer_class)


class CountriesView(KeyedMetricsView):
    queryset = CountryUserMetrics.objects.all()
    serializer_class = s.CountrySerializer
    key = "country"
    key_length = 2

    def rows(self, qs):
        return read.country_rows(qs)

    @extend_schema(
        parameters=[_date_param("date", "YYYY-MM-DD"), OpenApiParameter("country", str)],
        responses={200: _paginated(s.CountrySerializer, "PaginatedCountryList")},
    )
    def get(self, request):
        return self.list_rows(request)


class CurrenciesView(KeyedMetricsView):
    queryset = CurrencyMetrics.objects.all()
    serializer_class = s.CurrencySerializer
    key = "currency"
    key_length = 3

    def rows(self, qs):
        return read.currency_rows(qs)

    @extend_schema(
        parameters=[_date_param("date", "YYYY-MM-DD"), OpenApiParameter("currency", str)],
        responses={200: _paginated(s.CurrencySerializer, "PaginatedCurrencyList")},
    )
    def get(self, request):
        return self.list_rows(request)


class ActiveView(StaffView):
    queryset = DailyBusinessMetrics.objects.all()
    serializer_class = s.ActiveSerializer

    @extend_schema(
        parameters=[_date_param("date", "YYYY-MM-DD: that day's row (zeroed when no data).")],
        responses={200: _one_or_page(s.ActiveSerializer, "Active")},
    )
    def get(self, request):
        day = s.query_date(request, "date")
        if day is not None:
            row = DailyBusinessMetrics.objects.filter(date=day).first()
            return Response(s.ActiveSerializer(read.active_payload(row, day)).data)
        return self.page_of(self.get_queryset(), lambda rows: [read.active_payload(r) for r in rows], s.ActiveSerializer)


class OverviewView(StaffView):
    serializer_class = s.OverviewSerializer
    pagination_class = None

    @extend_schema(parameters=[_date_param("date", "YYYY-MM-DD (default: today).")], responses={200: s.OverviewSerializer})
    def get(self, request):
        day = s.query_date(request, "date") or business_date()
        weeks = WeeklySummary.objects.all()[:OVERVIEW_ROWS]
        months = MonthlySummary.objects.all()[:OVERVIEW_ROWS]
        body = {
            "daily": read.daily_for(day),
            "weekly": summaries.payloads("week", weeks),
            "monthly": summaries.payloads("month", months),
            "country": read.country_rows(CountryUserMetrics.objects.all()[:OVERVIEW_ROWS]),
            "currency": read.currency_rows(CurrencyMetrics.objects.all()[:OVERVIEW_ROWS]),
            "active": [read.active_payload(r) for r in DailyBusinessMetrics.objects.all()[:OVERVIEW_ROWS]],
        }
        return Response(s.OverviewSerializer(body).data)


class AdvisorView(StaffView):
    serializer_class = s.AdvisorRequestSerializer
    pagination_class = None

    @extend_schema(request=s.AdvisorRequestSerializer, responses={200: s.AdvisorResponseSerializer})
    def post(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = advisor.advise(data.validated_data["period_type"], data.validated_data["period"])
        return Response(s.AdvisorResponseSerializer(answer).data)


class DailyInsightView(StaffView):
    serializer_class = s.DailyInsightRequestSerializer
    pagination_class = None

    @extend_schema(request=s.DailyInsightRequestSerializer, responses={200: s.DailyInsightResponseSerializer})
    def post(self, request):
        data = self.get_serializer(data=request.data)
        data.is_valid(raise_exception=True)
        return Response(s.DailyInsightResponseSerializer(advisor.daily_insight(data.validated_data["date"])).data)


