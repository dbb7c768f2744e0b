"""Authentication rules (API.md §8.2), evaluated once per committed LoginEvent."""
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import timezone

from risk.incidents import raise_incident
from risk.models import Incident, LoginEvent

from . import evaluate, fired_since, local_hour_in, since

Severity = Incident.Severity
EVENT_USER = object()  # _raise's default: the event's own user.


def _raise(event, rule, title, severity, user=EVENT_USER, **kwargs):
    """An incident about ``event``: its user (unless given), IP, country and attempted email."""
    return raise_incident(
        rule,
        title,
        severity,
        user=event.user if user is EVENT_USER else user,
        ip=event.ip,
        country=event.country,
        attempted_email=event.attempted_email,
        **kwargs,
    )


def _recent_failures(event):
    return LoginEvent.objects.filter(
        successful=False,
        timestamp__gte=since(event.timestamp, settings.RISK_AUTH_WINDOW_MINUTES),
        timestamp__lte=event.timestamp,
    )


def _earlier_successes(event):
    return (
        LoginEvent.objects.filter(user_id=event.user_id, successful=True, timestamp__lte=event.timestamp)
        .exclude(pk=event.pk)
        .order_by("-timestamp", "-id")
    )


# --- failures ------------------------------------------------------------------


def failed_login(event):
    if event.successful:
        return None
    attempts = _recent_failures(event).filter(attempted_email__iexact=event.attempted_email).count()
    return _raise(
        event,
        "failed_login",
        "Failed login attempt",
        Severity.LOW,
        details={"failed_attempts": attempts, "failure_reason": event.failure_reason},
    )


def brute_force(event):
    """Many failures on one email inside the window; once per window per email."""
    if event.successful or not event.attempted_email:
        return None
    attempts = _recent_failures(event).filter(attempted_email__iexact=event.attempted_email).count()
    if attempts < settings.RISK_BRUTE_FORCE_FAILURES:
        return None
    start = since(event.timestamp, settings.RISK_AUTH_WINDOW_MINUTES)
    if fired_since("brute_force", start, attempted_email__iexact=event.attempted_email):
        return None
    return _raise(
        event,
        "brute_force",
        "Brute-force suspected on account",
        Severity.HIGH,
        details={"failed_attempts": attempts, "window_minutes": settings.RISK_AUTH_WINDOW_MINUTES},
        customer_notice=(
            f"We saw {attempts} failed sign-in attempts on your account. "
            "If this was not you, change your password."
        ),
    )


def credential_stuffing(event):
    """Many failures from one IP across several emails; once per window per IP."""
    if event.successful or not event.ip:
        return None
    failures = _recent_failures(event).filter(ip=event.ip)
    attempts = failures.count()
    emails = sorted({email.lower() for email in failures.values_list("attempted_email", flat=True) if email})
    if attempts < settings.RISK_STUFFING_FAILURES or len(emails) < settings.RISK_STUFFING_TARGETS:
        return None
    if fired_since("credential_stuffing", since(event.timestamp, settings.RISK_AUTH_WINDOW_MINUTES), ip=event.ip):
        return None
    return _raise(
        event,
        "credential_stuffing",
        "Credential stuffing suspected from IP",
        Severity.HIGH,
        user=None,  # Aimed at many accounts, not one.
        details={"failed_attempts": attempts, "distinct_targets": len(emails), "emails": emails[:50]},
    )


# --- successes -----------------------------------------------------------------


def impossible_travel(event):
    """A different country than the previous login with a known country, that one ≤ 1 h ago."""
    if not event.successful or not event.country or event.user_id is None:
        return None
    previous = _earlier_successes(event).exclude(country="").first()
    if previous is None or previous.country == event.country:
        return None
    if previous.timestamp < since(event.timestamp, settings.RISK_IMPOSSIBLE_TRAVEL_MINUTES):
        return None
    minutes = int((event.timestamp - previous.timestamp).total_seconds() // 60)
    return _raise(
        event,
        "impossible_travel",
        "Impossible travel suspected",
        Severity.HIGH,
        details={"previous_country": previous.country, "previous_ip": previous.ip, "minutes_between": minutes},
        customer_notice=(
            f"Your account signed in from {event.country} {minutes} minutes after a sign-in from "
            f"{previous.country}. If this was not you, change your password."
        ),
    )


def new_country(event):
    if not event.successful or not event.country or event.user_id is None:
        return None
    known = set(_earlier_successes(event).exclude(country="").values_list("country", flat=True))
    if not known or event.country in known:
        return None
    return _raise(
        event,
        "new_country",
        "Login from new country",
        Severity.MEDIUM,
        details={"known_countries": sorted(known)},
        customer_notice=f"New sign-in to your account from {event.country}. If this was not you, change your password.",
    )


def new_device(event):
    if not event.successful or event.user_id is None:
        return None
    earlier = _earlier_successes(event)
    if not earlier.exists() or earlier.filter(user_agent=event.user_agent).exists():
        return None
    return _raise(
        event,
        "new_device",
        "Login from new device",
        Severity.MEDIUM,
        details={"user_agent": event.user_agent},
        customer_notice="New sign-in to your account from a device we have not seen before. "
        "If this was not you, change your password.",
    )


def unusual_hour(event):
    if not event.successful:
        return None
    if not local_hour_in(event.timestamp, settings.RISK_UNUSUAL_HOUR_START, settings.RISK_UNUSUAL_HOUR_END):
        return None
    return _raise(
        event, "unusual_hour", "Login at unusual hour", Severity.LOW,
        details={"local_time": timezone.localtime(event.timestamp).isoformat()},
    )


def shared_ip(event):
    """Many distinct users signing in from one IP inside the window; once per window per IP."""
    if not event.successful or not event.ip:
        return None
    start = since(event.timestamp, settings.RISK_SHARED_IP_WINDOW_MINUTES)
    users = set(
        LoginEvent.objects.filter(
            successful=True, ip=event.ip, user__isnull=False, timestamp__gte=start, timestamp__lte=event.timestamp
        ).values_list("user_id", flat=True)
    )
    if len(users) < settings.RISK_SHARED_IP_USERS or fired_since("shared_ip", start, ip=event.ip):
        return None
    return _raise(
        event,
        "shared_ip",
        "Multiple accounts from same IP",
        Severity.MEDIUM,
        user=None,
        details={"distinct_users": len(users), "user_ids": sorted(users)[:50]},
    )


def login_success(event):
    """Audit trail of every successful login; staff logins stand out."""
    if not event.successful:
        return None
    staff = event.user is not None and event.user.is_staff
    return _raise(
        event,
        "login_success",
        "Admin login" if staff else "Successful login",
        Severity.MEDIUM if staff else Severity.LOW,
        details={"source": event.source},
    )


LOGIN_RULES = [
    failed_login,
    brute_force,
    credential_stuffing,
    impossible_travel,
    new_country,
    new_device,
    unusual_hour,
    shared_ip,
    login_success,
]


def evaluate_login(event):
    return evaluate(LOGIN_RULES, event)


# --- lockout (django-axes) -----------------------------------------------------


def lockout(ip, username, country=""):
    """Axes locked an IP out: critical, once per lockout (again only after staff unlock the IP)."""
    start = timezone.now() - settings.AXES_COOLOFF_TIME
    last = Incident.objects.filter(rule="lockout", ip=ip or None, timestamp__gte=start).first()
    if last is not None and not _unlocked_since(ip, last.timestamp):
        return None
    user = get_user_model().objects.filter(email__iexact=username).first() if username else None
    return raise_incident(
        "lockout",
        "User locked out",
        Severity.CRITICAL,
        user=user,
        ip=ip,
        country=country,
        attempted_email=(username or "")[:254],
        details={
            "failure_limit": settings.AXES_FAILURE_LIMIT,
            "cooloff_minutes": int(settings.AXES_COOLOFF_TIME.total_seconds() // 60),
        },
    )


def _unlocked_since(ip, moment):
    """Staff unlocked this IP (§7.5) after ``moment``: a new lockout is a new incident."""
    return Incident.objects.filter(
        rule="admin_action", details__target_type="ip", details__target_id=ip, timestamp__gt=moment
    ).exists()
