"""Request parsing and response shapes of the business endpoints (money as two-decimal strings)."""
import re
from datetime import date, datetime

from rest_framework import serializers

from business.metrics import figures
from nexus.errors import BusinessError


def Money(**kwargs):  # noqa: N802 - reads like a field class
    return serializers.DecimalField(max_digits=18, decimal_places=2, **kwargs)


DATE_FORMAT_MESSAGE = "Enter a valid date in the format YYYY-MM-DD."
MONTH_FORMAT_MESSAGE = "Enter a valid month in the format YYYY-MM or YYYY-MM-DD."


DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MONTH_RE = re.compile(r"^\d{4}-\d{2}(-\d{2})?$")

# Reports reach 30 days before a date and to the end of its week or month; inside
# these bounds that arithmetic never leaves Python's calendar (years 1 to 9999).
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(9998, 12, 31)
RANGE_MESSAGE = f"Enter a date from {FIRST_DATE.isoformat()} to {LAST_DATE.isoformat()}."


def _in_range(day, field):
    if not FIRST_DATE <= day <= LAST_DATE:
        raise BusinessError("validation_error", RANGE_MESSAGE, field=field)
    return day


def parse_date(value, field):
    """``YYYY-MM-DD`` or a 400 on ``field`` that names the format (never a silent fallback)."""
    text = str(value).strip()
    try:
        if not DATE_RE.match(text):
            raise ValueError(text)
        day = datetime.strptime(text, "%Y-%m-%d").date()
    except ValueError:
        raise BusinessError("validation_error", DATE_FORMAT_MESSAGE, field=field) from None
    return _in_range(day, field)


def parse_month(value, field="month"):
    """``YYYY-MM`` or any ``YYYY-MM-DD`` of the month → its first day."""
    text = str(value).strip()
    if not MONTH_RE.match(text):
        raise BusinessError("validation_error", MONTH_FORMAT_MESSAGE, field=field)
    for fmt in ("%Y-%m", "%Y-%m-%d"):
        try:
            return _in_range(datetime.strptime(text, fmt).date().replace(day=1), field)
        except ValueError:
            continue
    raise BusinessError("validation_error", MONTH_FORMAT_MESSAGE, field=field)


def parse_code(value, field, length):
    """An ISO letter code (country: 2, currency: 3), upper-cased, or a 400 on ``field``."""
    text = str(value).strip()
    if len(text) != length or not (text.isascii() and text.isalpha()):
        raise BusinessError("validation_error", f"Enter a {length}-letter code.", field=field)
    return text.upper()


def query_date(request, name):
    value = request.query_params.get(name)
    return parse_date(value, name) if value not in (None, "") else None


# A row of the §9.1 figures (``figures.FIGURES``) and the declared fields: the
# declared ``leading`` fields come first and the ``population`` ones right after
# ``new_users`` (``figures.layout``); the other declared fields follow the figures.
# (A comment, not a docstring: the schema would show it on every row component.)
class FiguresSerializer(serializers.Serializer):
    leading = ()
    population = ()

    def get_fields(self):
        declared = super().get_fields()
        computed = {f.name: Money() if f.is_money else serializers.IntegerField() for f in figures.FIGURES}
        names = [*self.leading, *figures.layout(self.population)]
        fields = {name: declared.pop(name) if name in declared else computed[name] for name in names}
        return {**fields, **declared}


class DailyRowSerializer(FiguresSerializer):
    leading = ("id", "date")
    population = ("total_users", "active_users", "active_users_7d", "active_users_30d")

    id = serializers.IntegerField(allow_null=True)
    date = serializers.DateField()
    total_users = serializers.IntegerField()
    active_users = serializers.IntegerField(help_text="DAU: distinct users with a successful login that day.")
    active_users_7d = serializers.IntegerField(help_text="WAU: distinct active users in the 7 days ending that day.")
    active_users_30d = serializers.IntegerField(help_text="MAU: distinct active users in the 30 days ending that day.")
    metrics_by_region = serializers.DictField(child=serializers.DictField())
    metrics_by_type = serializers.DictField(child=serializers.IntegerField())
    metrics_by_currency = serializers.DictField(child=serializers.DictField())
    ai_insight = serializers.CharField(allow_null=True)


class PeriodFieldsSerializer(FiguresSerializer):
    population = ("active_users",)

    active_users = serializers.IntegerField(help_text="Exact distinct active users over the period.")


class WeeklySerializer(PeriodFieldsSerializer):
    week_start = serializers.DateField()
    week_end = serializers.DateField()


class MonthlySerializer(PeriodFieldsSerializer):
    month = serializers.DateField(help_text="First day of the month.")


class CountrySerializer(serializers.Serializer):
    date = serializers.DateField()
    country = serializers.CharField()
    count = serializers.IntegerField(help_text="Users of this country who signed up that day.")
    active_users = serializers.IntegerField()
    tx_count = serializers.IntegerField()
    tx_amount = Money(help_text="JOD")
    net_revenue = Money(help_text="JOD")


class CurrencySerializer(serializers.Serializer):
    date = serializers.DateField()
    currency = serializers.CharField()
    tx_count = serializers.IntegerField()
    tx_amount = Money(help_text="In this currency.")
    fx_volume = Money(help_text="In this currency.")
    fee_revenue = Money(help_text="In this currency.")
    fx_spread_revenue = Money(help_text="In this currency.")


class ActiveSerializer(serializers.Serializer):
    date = serializers.DateField()
    active_users = serializers.IntegerField()
    active_users_7d = serializers.IntegerField()
    active_users_30d = serializers.IntegerField()


class OverviewSerializer(serializers.Serializer):
    daily = DailyRowSerializer()
    weekly = WeeklySerializer(many=True)
    monthly = MonthlySerializer(many=True)
    country = CountrySerializer(many=True)
    currency = CurrencySerializer(many=True)
    active = ActiveSerializer(many=True)


class AdvisorRequestSerializer(serializers.Serializer):
    period_type = serializers.ChoiceField(choices=["daily", "monthly"])
    date = serializers.CharField(required=False, help_text="YYYY-MM-DD; required for daily.")
    month = serializers.CharField(required=False, help_text="YYYY-MM or any YYYY-MM-DD of the month; required for monthly.")

    def validate(self, attrs):
        if attrs["period_type"] == "daily":
            if not attrs.get("date"):
                raise serializers.ValidationError({"date": ["This field is required for a daily report."]})
            attrs["period"] = parse_date(attrs["date"], "date")
        else:
            if not attrs.get("month"):
                raise serializers.ValidationError({"month": ["This field is required for a monthly report."]})
            attrs["period"] = parse_month(attrs["month"])
        return attrs


class AdvisorResponseSerializer(serializers.Serializer):
    period_type = serializers.CharField()
    date_or_month = serializers.CharField()
    model = serializers.CharField(allow_null=True)
    ai_generated = serializers.BooleanField()
    summary = serializers.CharField()
    recommended_action = serializers.CharField()
    report_json = serializers.DictField()
    ai_analysis = serializers.CharField(allow_null=True)


class DailyInsightRequestSerializer(serializers.Serializer):
    date = serializers.CharField(help_text="YYYY-MM-DD")

    def validate(self, attrs):
        # Here, not in validate_date: a field validator would nest the error as "date.date".
        return {**attrs, "date": parse_date(attrs["date"], "date")}


class DailyInsightResponseSerializer(serializers.Serializer):
    date = serializers.DateField()
    insight = serializers.CharField()
    ai_generated = serializers.BooleanField()
    saved = serializers.BooleanField()
