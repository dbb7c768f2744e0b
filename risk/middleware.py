"""Authorization logging (API.md §8.3): refusals become incidents, without flooding.

403 answers, throttled requests (429), login lock-out refusals and invalid or
revoked tokens (401 ``token_not_valid``) are recorded as medium incidents.
Repeated hits of one kind from one source (IP and user) inside
``RISK_AUTHZ_WINDOW_MINUTES`` raise the ``count`` of the open incident instead
of creating new ones.
"""
import json
import logging
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from nexus.client import client_country, client_ip

from .incidents import raise_incident
from .models import Incident

logger = logging.getLogger(__name__)

# rule → event, per refusal kind.
EVENTS = {
    "authz_forbidden": "Access denied (403)",
    "authz_throttled": "Request throttled (429)",
    "authz_locked_out": "Login refused while locked out (429)",
    "authz_invalid_token": "Invalid or revoked token (401)",
}


class AuthorizationLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        rule = refusal_rule(response)
        if rule is not None:
            try:
                record_refusal(rule, request, response.status_code)
            except Exception:  # Logging a refusal must never change the answer.
                logger.exception("Recording %s failed", rule)
        return response


def refusal_rule(response):
    """The incident rule for this answer, or None when it is not a refusal we log."""
    status = response.status_code
    if status == 403:
        return "authz_forbidden"
    if status == 429:
        return "authz_locked_out" if _error_code(response) == "locked_out" else "authz_throttled"
    if status == 401 and _error_code(response) == "token_not_valid":
        return "authz_invalid_token"
    return None


def _error_code(response):
    data = getattr(response, "data", None)
    if isinstance(data, dict):
        return str(data.get("code", ""))
    if "json" in response.get("Content-Type", "") and len(response.content) < 4096:
        try:
            body = json.loads(response.content)
        except ValueError:
            return ""
        return str(body.get("code", "")) if isinstance(body, dict) else ""
    return ""


def record_refusal(rule, request, status):
    ip = client_ip(request)
    user = getattr(request, "user", None)
    user = user if user is not None and user.is_authenticated else None
    now = timezone.now()
    hit = {"path": request.path[:200], "method": request.method, "status": status, "at": now.isoformat()}
    start = now - timedelta(minutes=settings.RISK_AUTHZ_WINDOW_MINUTES)
    with transaction.atomic():
        open_incident = (
            Incident.objects.select_for_update()
            .filter(rule=rule, ip=ip, user=user, timestamp__gte=start)
            .order_by("-timestamp", "-id")
            .first()
        )
        if open_incident is not None:
            details = dict(open_incident.details)
            details["count"] = int(details.get("count", 1)) + 1
            details["last"] = hit
            open_incident.details = details
            open_incident.save(update_fields=["details"])
            return open_incident
        return raise_incident(
            rule,
            EVENTS[rule],
            Incident.Severity.MEDIUM,
            user=user,
            ip=ip,
            country=client_country(request, ip) if ip else "",
            details={"count": 1, "first": hit, "last": hit},
        )
