from django.contrib import admin

from nexus.readonly_admin import ReadOnlyAdmin

from .models import (
    CountryUserMetrics,
    CurrencyMetrics,
    DailyActiveUser,
    DailyAIInsight,
    DailyBusinessMetrics,
    MetricShard,
    MonthlyAIInsight,
    MonthlySummary,
    WeeklySummary,
)

# Metrics are derived data: staff read them here; the receivers and rebuild_metrics write them.


@admin.register(DailyBusinessMetrics)
class DailyBusinessMetricsAdmin(ReadOnlyAdmin):
    list_display = ("date", "dau", "wau", "mau", "total_users", "tx_success", "transferred_amount", "fee_revenue")
    date_hierarchy = "date"


@admin.register(CountryUserMetrics)
class CountryUserMetricsAdmin(ReadOnlyAdmin):
    list_display = ("date", "country", "new_users", "active_users", "tx_success", "transferred_amount")
    list_filter = ("country",)


@admin.register(CurrencyMetrics)
class CurrencyMetricsAdmin(ReadOnlyAdmin):
    list_display = ("date", "currency", "tx_success", "transferred_amount", "fx_volume", "fee_revenue")
    list_filter = ("currency",)


@admin.register(WeeklySummary)
class WeeklySummaryAdmin(ReadOnlyAdmin):
    list_display = ("week_start", "week_end", "active_users", "tx_success", "transferred_amount")


@admin.register(MonthlySummary)
class MonthlySummaryAdmin(ReadOnlyAdmin):
    list_display = ("month", "active_users", "tx_success", "transferred_amount")


@admin.register(MetricShard)
class MetricShardAdmin(ReadOnlyAdmin):
    list_display = ("date", "scope", "shard", "tx_success", "transferred_amount")


@admin.register(DailyActiveUser)
class DailyActiveUserAdmin(ReadOnlyAdmin):
    list_display = ("date", "user")
    raw_id_fields = ("user",)


@admin.register(DailyAIInsight)
class DailyAIInsightAdmin(ReadOnlyAdmin):
    list_display = ("date", "ai_generated", "model", "prompt_version", "updated_at")


@admin.register(MonthlyAIInsight)
class MonthlyAIInsightAdmin(ReadOnlyAdmin):
    list_display = ("month", "ai_generated", "model", "prompt_version", "updated_at")
