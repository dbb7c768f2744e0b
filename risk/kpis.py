"""Risk KPIs for the staff dashboard (API.md §8.4 ``/risk/kpis/``)."""
from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from .models import Incident, LoginEvent

ATTACK_SEVERITIES = (Incident.Severity.HIGH, Incident.Severity.CRITICAL)
WINDOWS = {"last_24h": timedelta(hours=24), "last_7d": timedelta(days=7), "last_30d": timedelta(days=30)}
TOP = 5
EMPTY = {"ip": {"ip__isnull": True}, "country": {"country": ""}}


def risk_kpis(now=None):
    now = now or timezone.now()
    counts = Incident.objects.aggregate(
        total=Count("id"),
        critical=Count("id", filter=Q(severity=Incident.Severity.CRITICAL)),
        high=Count("id", filter=Q(severity=Incident.Severity.HIGH)),
        last_24h=Count("id", filter=Q(timestamp__gte=now - WINDOWS["last_24h"])),
    )
    logins = LoginEvent.objects.aggregate(total=Count("id"), failed=Count("id", filter=Q(successful=False)))
    return {
        "total_incidents": counts["total"],
        "critical_alerts": counts["critical"],
        "high_alerts": counts["high"],
        "failed_logins": logins["failed"],
        "unique_attack_ips": unique_attack_ips(),
        "incidents_last_24h": counts["last_24h"],
        "by_severity": severity_windows(now),
        "total_logins": logins["total"],
        "failed_login_rate": round(logins["failed"] / logins["total"], 4) if logins["total"] else 0.0,
        "top_ips": top_values("ip", now),
        "top_countries": top_values("country", now),
    }


def unique_attack_ips():
    """Distinct IPs behind failed logins or high/critical incidents."""
    failed = LoginEvent.objects.filter(successful=False, ip__isnull=False).order_by().values("ip")
    alarming = Incident.objects.filter(severity__in=ATTACK_SEVERITIES, ip__isnull=False).order_by().values("ip")
    return failed.union(alarming).count()


def severity_windows(now):
    """Incident counts per severity for each window, in one query."""
    aggregates = {
        f"{window}:{severity}": Count("id", filter=Q(severity=severity, timestamp__gte=now - length))
        for window, length in WINDOWS.items()
        for severity in Incident.Severity.values
    }
    row = Incident.objects.filter(timestamp__gte=now - max(WINDOWS.values())).aggregate(**aggregates)
    return {
        window: {severity: row[f"{window}:{severity}"] for severity in Incident.Severity.values}
        for window in WINDOWS
    }


def top_values(field, now):
    rows = (
        Incident.objects.filter(timestamp__gte=now - WINDOWS["last_30d"])
        .exclude(**EMPTY[field])
        .order_by()
        .values(field)
        .annotate(count=Count("id"))
        .order_by("-count", field)[:TOP]
    )
    return [{field: row[field], "count": row["count"]} for row in rows]
