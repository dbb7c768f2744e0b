"""Pre-aggregated business metrics (API.md §9).

Additive counters live on ``Counters`` (money in JOD, except currency rows,
which hold amounts in their own currency). Events never touch the main rows'
counters: they add to ``MetricShard`` rows (one of ``BUSINESS_METRIC_SHARDS``
per date and scope, chosen by the event's id), so concurrent transfers do not
queue on one "today" row. A read adds the main row and its shards; folding
(nightly, and on rebuild) moves shard totals into the main row.
"""
from django.conf import settings
from django.db import models

MONEY = {"max_digits": 16, "decimal_places": 2, "default": 0}


class Counters(models.Model):
    """The additive figures of one (date, scope); every event adds to them."""

    new_users = models.PositiveIntegerField(default=0)
    active_users = models.PositiveIntegerField(default=0)  # country rows only (daily DAU is exact, below)
    tx_success = models.PositiveIntegerField(default=0)
    tx_failed = models.PositiveIntegerField(default=0)
    tx_refunded = models.PositiveIntegerField(default=0)
    transferred_amount = models.DecimalField(**MONEY)
    fee_revenue = models.DecimalField(**MONEY)
    fx_volume = models.DecimalField(**MONEY)
    bill_count = models.PositiveIntegerField(default=0)
    bill_failed = models.PositiveIntegerField(default=0)
    bill_amount = models.DecimalField(**MONEY)
    bill_commission = models.DecimalField(**MONEY)
    refunded_amount = models.DecimalField(**MONEY)
    chargeback_amount = models.DecimalField(**MONEY)
    failed_logins = models.PositiveIntegerField(default=0)
    incidents = models.PositiveIntegerField(default=0)

    COUNTER_FIELDS = (
        "new_users", "active_users", "tx_success", "tx_failed", "tx_refunded", "transferred_amount",
        "fee_revenue", "fx_volume", "bill_count", "bill_failed", "bill_amount", "bill_commission",
        "refunded_amount", "chargeback_amount", "failed_logins", "incidents",
    )

    class Meta:
        abstract = True

    def counters(self):
        return {name: getattr(self, name) for name in self.COUNTER_FIELDS}


class DailyBusinessMetrics(Counters):
    """One row per business date; population figures are exact and set, not added."""

    date = models.DateField(unique=True)
    total_users = models.PositiveIntegerField(default=0)
    dau = models.PositiveIntegerField(default=0)
    wau = models.PositiveIntegerField(default=0)
    mau = models.PositiveIntegerField(default=0)
    ai_insight = models.TextField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        verbose_name_plural = "daily business metrics"

    def __str__(self):
        return f"Metrics {self.date}"


class CountryUserMetrics(Counters):
    date = models.DateField()
    country = models.CharField(max_length=2)

    class Meta:
        ordering = ["-date", "country"]
        constraints = [models.UniqueConstraint(fields=["date", "country"], name="country_metrics_date_country")]
        verbose_name_plural = "country user metrics"

    def __str__(self):
        return f"{self.country} {self.date}"


class CurrencyMetrics(Counters):
    """Amounts in ``currency`` itself, not JOD."""

    date = models.DateField()
    currency = models.CharField(max_length=3)

    class Meta:
        ordering = ["-date", "currency"]
        constraints = [models.UniqueConstraint(fields=["date", "currency"], name="currency_metrics_date_currency")]
        verbose_name_plural = "currency metrics"

    def __str__(self):
        return f"{self.currency} {self.date}"


class MetricShard(Counters):
    """Not-yet-folded increments of one (date, scope); scope is ``day``, ``country:JO`` or ``currency:USD``."""

    date = models.DateField()
    scope = models.CharField(max_length=16)
    shard = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["date", "scope", "shard"], name="metric_shard_key")]

    def __str__(self):
        return f"{self.scope} {self.date} #{self.shard}"


class DailyActiveUser(models.Model):
    """A user with a successful login that day: the source of exact DAU/WAU/MAU."""

    date = models.DateField()
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["date", "user"], name="daily_active_user_once")]
        indexes = [models.Index(fields=["date", "user"])]

    def __str__(self):
        return f"{self.user_id} on {self.date}"


class Summary(Counters):
    """A period's sum of daily rows; ``active_users`` is the exact distinct count over the period."""

    fx_spread_revenue = models.DecimalField(**MONEY)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class WeeklySummary(Summary):
    week_start = models.DateField(unique=True)
    week_end = models.DateField()

    class Meta:
        ordering = ["-week_start"]
        verbose_name_plural = "weekly summaries"

    def __str__(self):
        return f"Week of {self.week_start}"


class MonthlySummary(Summary):
    month = models.DateField(unique=True, help_text="First day of the month.")

    class Meta:
        ordering = ["-month"]
        verbose_name_plural = "monthly summaries"

    def __str__(self):
        return f"Month {self.month:%Y-%m}"


class Insight(models.Model):
    """An advisor answer, reused while the figures and the prompt version are unchanged."""

    summary = models.TextField()
    recommended_action = models.TextField(blank=True)
    report_json = models.JSONField(default=dict)
    ai_analysis = models.TextField(blank=True)
    ai_generated = models.BooleanField(default=False)
    model = models.CharField(max_length=64, blank=True)
    prompt_version = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class DailyAIInsight(Insight):
    date = models.DateField(unique=True)

    class Meta:
        ordering = ["-date"]

    def __str__(self):
        return f"Insight {self.date}"


class MonthlyAIInsight(Insight):
    month = models.DateField(unique=True, help_text="First day of the month.")

    class Meta:
        ordering = ["-month"]

    def __str__(self):
        return f"Insight {self.month:%Y-%m}"
