"""Incident analysis for staff (API.md §8.4 ``/risk/analyze/``).

``determine_action`` is the recommendation, always deterministic: the AI only
writes prose around it and never acts. With ``GEMINI_API_KEY`` the prose comes
from Gemini (one attempt, ``GEMINI_TIMEOUT_SECONDS``); without a key or on any
error it is a short text built from the incident's own data.
"""
import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from nexus import gemini

from .models import Incident

logger = logging.getLogger(__name__)

TERMINATE, FREEZE, BLOCK, MONITOR = "TERMINATE", "FREEZE", "BLOCK", "MONITOR"

# Wording that decides the action regardless of severity, checked most severe first.
TERMINATE_WORDS = ("fraud", "compromis")
FREEZE_WORDS = ("credential stuffing", "credential_stuffing", "brute force", "brute-force", "brute_force",
                "impossible travel", "impossible_travel")
BLOCK_WORDS = ("failed", "failure")

REASONS = {
    TERMINATE: "end every session of the account and review it before access is restored",
    FREEZE: "freeze the affected accounts until the customer confirms the activity",
    BLOCK: "block the source (IP or device) and watch for repeats",
    MONITOR: "no action needed now; keep watching the account",
}


def determine_action(severity, event="", rule=""):
    """TERMINATE / FREEZE / BLOCK / MONITOR from severity and wording (API.md §8.4)."""
    text = f"{event} {rule}".lower()
    severity = (severity or "").lower()
    if severity == Incident.Severity.CRITICAL or any(word in text for word in TERMINATE_WORDS):
        return TERMINATE
    if severity == Incident.Severity.HIGH or any(word in text for word in FREEZE_WORDS):
        return FREEZE
    if severity == Incident.Severity.MEDIUM or any(word in text for word in BLOCK_WORDS):
        return BLOCK
    return MONITOR


def analyze(incident, refresh=False):
    """Analyze an Incident (saved) or an unsaved ad-hoc one; returns the response body."""
    action = determine_action(incident.severity, incident.event, incident.rule)
    saved = incident.pk is not None
    if saved and not refresh and incident.gemini_analysis and incident.analysis_model:
        return _answer(incident, action, incident.gemini_analysis, incident.analysis_model)
    text, model = None, None
    if settings.GEMINI_API_KEY:
        text, model = _ai_analysis(incident, action)
    if not text:
        text, model = deterministic_analysis(incident, action), None
    if saved:
        incident.gemini_analysis, incident.analysis_model = text, model or ""
        incident.save(update_fields=["gemini_analysis", "analysis_model"])
    return _answer(incident, action, text, model)


def _answer(incident, action, text, model):
    return {
        "incident_id": incident.pk,
        "recommended_action": action,
        "analysis": text,
        "ai_generated": model is not None,
        "model": model,
    }


# --- deterministic --------------------------------------------------------------


def deterministic_analysis(incident, action):
    """A short reading built only from the incident and its neighbours in the data."""
    who = incident.attempted_email or (incident.user.email if incident.user_id else "")
    parts = [f"{(incident.severity or 'unrated').capitalize()} incident: {incident.event}"]
    if incident.rule:
        parts[0] += f" (rule {incident.rule})"
    where = " ".join(
        bit for bit in (f"for {who}" if who else "", f"from IP {incident.ip}" if incident.ip else "",
                        f"in {incident.country}" if incident.country else "") if bit
    )
    if where:
        parts[0] += f" {where}"
    parts[0] += "."
    facts = ", ".join(f"{key}={_short(value)}" for key, value in sorted((incident.details or {}).items())[:8])
    if facts:
        parts.append(f"Details: {facts}.")
    related = _related_counts(incident)
    if related:
        parts.append(related)
    parts.append(f"Recommended action: {action} — {REASONS[action]}.")
    return " ".join(parts)


def _related_counts(incident):
    start = (incident.timestamp or timezone.now()) - timedelta(hours=24)
    others = Incident.objects.filter(timestamp__gte=start).exclude(pk=incident.pk)
    notes = []
    if incident.ip:
        notes.append(f"{others.filter(ip=incident.ip).count()} other incident(s) from this IP")
    if incident.user_id:
        notes.append(f"{others.filter(user_id=incident.user_id).count()} other incident(s) on this user")
    return f"In the last 24 hours: {'; '.join(notes)}." if notes else ""


def _short(value):
    text = ", ".join(map(str, value)) if isinstance(value, list) else str(value)
    return text if len(text) <= 80 else text[:77] + "..."


# --- Gemini ---------------------------------------------------------------------


def _ai_analysis(incident, action):
    """(text, model) from Gemini, or (None, None) on any failure: the caller falls back."""
    try:
        text = gemini.generate(_prompt(incident, action))
    except Exception as exc:  # Timeouts, API and network errors alike: never a 500.
        logger.warning("Gemini analysis of incident %s failed: %s", incident.pk, exc)
        return None, None
    text = (text or "").strip()
    return (text, settings.GEMINI_MODEL) if text else (None, None)


def _prompt(incident, action):
    return (
        "You are a bank security analyst. In at most 120 words, explain what this incident most likely "
        "means and what staff should check. The recommended action is already decided "
        f"({action}); do not propose a different one.\n"
        f"Event: {incident.event}\nRule: {incident.rule or '-'}\nSeverity: {incident.severity or '-'}\n"
        f"IP: {incident.ip or '-'}\nCountry: {incident.country or '-'}\n"
        f"Attempted email: {incident.attempted_email or '-'}\nDetails: {incident.details or {}}\n"
    )
