"""Summaries, descriptions and examples of the risk operations (nexus/schema.py reads them)."""
from nexus.schema import Doc, request_example, response_example

INCIDENT = {
    "id": 812, "user": None, "user_email": None, "ip": "203.0.113.7", "country": "RU",
    "attempted_email": "ann@example.com", "event": "Brute-force suspected on account", "rule": "brute_force",
    "severity": "high", "details": {"failed_attempts": 5, "window_minutes": 10}, "gemini_analysis": None,
    "analysis_model": None, "timestamp": "2026-11-30T03:12:44+03:00",
}

OPERATIONS = {
    ("GET", "/risk/incidents/"): Doc(
        "List incidents",
        "Newest first. Filters `severity`, `country`, `event` (contains), `rule`, `user`, `ip`, `date_from`, "
        "`date_to`; `ordering=timestamp|-timestamp|severity`. The rules and their settings: docs/risk.md.",
        (response_example("incidents", INCIDENT),),
    ),
    ("GET", "/risk/incidents/{id}/"): Doc("Read an incident", "One incident with its details and any stored analysis.", (response_example("incident", INCIDENT),)),
    ("GET", "/risk/logins/"): Doc(
        "List login events", "Every login attempt, newest first; filters `successful`, `user`, `ip`.",
        (response_example("logins", {
            "id": 4021, "user": None, "ip": "203.0.113.7", "country": "RU", "successful": False,
            "attempted_email": "ann@example.com", "user_agent": "python-requests/2.32", "source": "password",
            "failure_reason": "invalid_credentials", "timestamp": "2026-11-30T03:12:40+03:00",
        }),),
    ),
    ("GET", "/risk/kpis/"): Doc(
        "Risk KPIs",
        "Incident and login counts for the risk dashboard: totals, critical and high alerts, failed logins, "
        "distinct attacking IPs, the last 24 hours, by severity, top IPs and countries.",
    ),
    ("POST", "/risk/analyze/"): Doc(
        "Analyse an incident",
        "A stored incident (`incident_id`) or an ad-hoc one. `recommended_action` is deterministic (TERMINATE, "
        "FREEZE, BLOCK or MONITOR); the text comes from Gemini with `GEMINI_API_KEY`, else a data-based text "
        "with `ai_generated: false`.",
        (
            request_example("stored incident", {"incident_id": 812}),
            response_example("analysis", {"incident_id": 812, "recommended_action": "FREEZE",
                                          "analysis": "Five failed passwords for one account in ten minutes…",
                                          "ai_generated": False, "model": None}),
        ),
    ),
    ("POST", "/risk/axes/unlock-ip/"): Doc(
        "Lift a login lockout",
        "Clears the failed-login lockout (429 `locked_out`) of one IP.",
        (
            request_example("unlock", {"ip": "203.0.113.7"}),
            response_example("cleared", {"detail": "Login lockouts cleared for 203.0.113.7.", "cleared_attempts": 15}),
        ),
    ),
}
