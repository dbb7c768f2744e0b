from rest_framework import serializers

from .models import Incident, LoginEvent

BIGINT_MAX = 2**63 - 1


class IncidentSerializer(serializers.ModelSerializer):
    user_email = serializers.EmailField(source="user.email", read_only=True, allow_null=True, default=None)

    class Meta:
        model = Incident
        fields = [
            "id", "user", "user_email", "ip", "country", "attempted_email", "event", "rule", "severity",
            "details", "gemini_analysis", "analysis_model", "timestamp",
        ]
        read_only_fields = fields


class LoginEventSerializer(serializers.ModelSerializer):
    user_email = serializers.EmailField(source="user.email", read_only=True, allow_null=True, default=None)

    class Meta:
        model = LoginEvent
        fields = [
            "id", "user", "user_email", "ip", "country", "successful", "attempted_email", "user_agent",
            "source", "failure_reason", "timestamp",
        ]
        read_only_fields = fields


class SeverityCountsSerializer(serializers.Serializer):
    low = serializers.IntegerField()
    medium = serializers.IntegerField()
    high = serializers.IntegerField()
    critical = serializers.IntegerField()


class SeverityWindowsSerializer(serializers.Serializer):
    last_24h = SeverityCountsSerializer()
    last_7d = SeverityCountsSerializer()
    last_30d = SeverityCountsSerializer()


class IpCountSerializer(serializers.Serializer):
    ip = serializers.IPAddressField()
    count = serializers.IntegerField()


class CountryCountSerializer(serializers.Serializer):
    country = serializers.CharField()
    count = serializers.IntegerField()


class KpiSerializer(serializers.Serializer):
    total_incidents = serializers.IntegerField()
    critical_alerts = serializers.IntegerField()
    high_alerts = serializers.IntegerField()
    failed_logins = serializers.IntegerField()
    unique_attack_ips = serializers.IntegerField()
    incidents_last_24h = serializers.IntegerField()
    by_severity = SeverityWindowsSerializer()
    total_logins = serializers.IntegerField()
    failed_login_rate = serializers.FloatField(help_text="failed_logins / total_logins (0 when none)")
    top_ips = IpCountSerializer(many=True, help_text="Incident counts by IP, last 30 days")
    top_countries = CountryCountSerializer(many=True, help_text="Incident counts by country, last 30 days")


class AnalyzeRequestSerializer(serializers.Serializer):
    """Either ``incident_id`` or an ad-hoc incident (``event`` required)."""

    incident_id = serializers.IntegerField(required=False, min_value=1, max_value=BIGINT_MAX)
    event = serializers.CharField(required=False, max_length=200)
    rule = serializers.CharField(required=False, allow_blank=True, max_length=50, default="")
    severity = serializers.ChoiceField(choices=Incident.Severity.choices, required=False, allow_blank=True, default="")
    ip = serializers.IPAddressField(required=False, allow_null=True, default=None)
    country = serializers.CharField(required=False, allow_blank=True, max_length=2, default="")
    attempted_email = serializers.CharField(required=False, allow_blank=True, max_length=254, default="")
    details = serializers.DictField(required=False, default=dict)
    refresh = serializers.BooleanField(required=False, default=False)

    def validate(self, attrs):
        if attrs.get("incident_id") is None and not attrs.get("event"):
            raise serializers.ValidationError({"incident_id": ["Give incident_id or an ad-hoc incident with event."]})
        return attrs

    def ad_hoc_incident(self):
        """An unsaved Incident built from the request."""
        data = self.validated_data
        return Incident(
            event=data["event"], rule=data["rule"], severity=data["severity"], ip=data["ip"],
            country=data["country"].upper(), attempted_email=data["attempted_email"], details=data["details"],
        )


class AnalyzeResponseSerializer(serializers.Serializer):
    incident_id = serializers.IntegerField(allow_null=True)
    recommended_action = serializers.ChoiceField(choices=["TERMINATE", "FREEZE", "BLOCK", "MONITOR"])
    analysis = serializers.CharField()
    ai_generated = serializers.BooleanField()
    model = serializers.CharField(allow_null=True)


class UnlockIpSerializer(serializers.Serializer):
    ip = serializers.IPAddressField()


class UnlockIpResponseSerializer(serializers.Serializer):
    detail = serializers.CharField()
    cleared_attempts = serializers.IntegerField()
