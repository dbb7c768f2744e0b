from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models


class Incident(models.Model):
    class Severity(models.TextChoices):
        LOW = "low"
        MEDIUM = "medium"
        HIGH = "high"
        CRITICAL = "critical"

    # Sort key for ?ordering=severity (most severe first).
    SEVERITY_RANK = {"low": 0, "medium": 1, "high": 2, "critical": 3}

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="incidents"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    attempted_email = models.CharField(max_length=254, blank=True)
    event = models.CharField(max_length=200)
    rule = models.CharField(max_length=50, db_index=True)
    severity = models.CharField(max_length=8, choices=Severity.choices, db_index=True)
    details = models.JSONField(default=dict, blank=True, encoder=DjangoJSONEncoder)
    gemini_analysis = models.TextField(blank=True)
    # The model that wrote ``gemini_analysis``; empty when it is the deterministic text.
    analysis_model = models.CharField(max_length=100, blank=True)
    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["rule", "-timestamp"]),
            models.Index(fields=["ip", "-timestamp"]),
            models.Index(fields=["user", "-timestamp"]),
        ]

    def __str__(self):
        return f"[{self.severity}] {self.event}"


class LoginEvent(models.Model):
    class Source(models.TextChoices):
        PASSWORD = "password"  # noqa: S105 - a login source, not a secret
        GOOGLE = "google"
        OTHER = "other"

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="login_events"
    )
    ip = models.GenericIPAddressField(null=True, blank=True)
    country = models.CharField(max_length=2, blank=True)
    successful = models.BooleanField()
    attempted_email = models.CharField(max_length=254, blank=True)
    user_agent = models.CharField(max_length=500, blank=True)
    source = models.CharField(max_length=8, choices=Source.choices, default=Source.PASSWORD)
    failure_reason = models.CharField(max_length=64, blank=True)
    timestamp = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-timestamp", "-id"]
        indexes = [
            models.Index(fields=["user", "successful", "-timestamp"]),
            models.Index(fields=["attempted_email", "successful", "-timestamp"]),
            models.Index(fields=["ip", "successful", "-timestamp"]),
        ]

    def __str__(self):
        outcome = "ok" if self.successful else "failed"
        return f"{self.attempted_email or self.user_id} {outcome} from {self.ip}"
