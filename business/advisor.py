"""The business advisor (API.md §9.3): read-only, advisory, never a 500.

The report (totals, ratios, period-over-period changes, risk signals) and the
recommended action are always computed from the metrics. With
``GEMINI_API_KEY`` Gemini writes the summary and analysis around them (one
call, ``GEMINI_TIMEOUT_SECONDS``, prompt ``PROMPT_VERSION``); without a key or
on any error the summary is deterministic and ``ai_generated`` is false. An
AI answer is stored and reused while the figures and prompt version are the
same.
"""
import json
import logging
from datetime import timedelta
from decimal import Decimal

from django.conf import settings

from nexus import gemini

from .metrics import figures, read, summaries
from .models import DailyAIInsight, DailyBusinessMetrics, MonthlyAIInsight

logger = logging.getLogger(__name__)

PROMPT_VERSION = "business-advisor-v1"

WATCHED_CHANGES = ("total_transactions_success", "total_transferred_amount", "net_revenue", "active_users")


def _plain(value):
    return f"{value:.2f}" if isinstance(value, Decimal) else value


def _pct(part, whole):
    return round(float(Decimal(part) * 100 / Decimal(whole)), 2) if whole else 0.0


def report_fields():
    """The figures of ``report_json``: the §9.1 figures, each once, with the active users after the new ones."""
    return figures.layout(("active_users",), report=True)


def _changes(current, previous):
    out = {}
    for name in report_fields():
        cur, prev = Decimal(current[name]), Decimal(previous[name])
        out[name] = {
            "previous": _plain(previous[name]),
            "current": _plain(current[name]),
            "change": _plain(cur - prev) if isinstance(current[name], Decimal) else int(cur - prev),
            "change_pct": _pct(cur - prev, prev) if prev else None,
        }
    return out


def _ratios(fig):
    attempts = fig["total_transactions_success"] + fig["total_transactions_failed"]
    bills = fig["bill_payments_count"] + fig["bill_payments_failed"]
    return {
        "transfer_failure_rate_pct": _pct(fig["total_transactions_failed"], attempts),
        "refund_rate_pct": _pct(fig["total_transactions_refunded"], fig["total_transactions_success"]),
        "bill_failure_rate_pct": _pct(fig["bill_payments_failed"], bills),
        "fx_share_pct": _pct(fig["fx_volume"], fig["total_transferred_amount"] + fig["bill_payments_amount"]),
        "revenue_per_active_user": _plain(
            (fig["net_revenue"] / fig["active_users"]).quantize(Decimal("0.01")) if fig["active_users"] else Decimal("0.00")
        ),
    }


def _signals(fig, ratios, changes):
    """Points to investigate, each a short sentence; thresholds from settings."""
    limit = float(settings.BUSINESS_ADVISOR_FAILURE_RATE_PCT)
    alert = float(settings.BUSINESS_ADVISOR_CHANGE_ALERT_PCT)
    found = []
    if ratios["transfer_failure_rate_pct"] > limit:
        found.append(f"Transfer failure rate {ratios['transfer_failure_rate_pct']}% is above {limit:g}%.")
    if ratios["bill_failure_rate_pct"] > limit:
        found.append(f"Bill payment failure rate {ratios['bill_failure_rate_pct']}% is above {limit:g}%.")
    if fig["total_transactions_refunded"]:
        found.append(f"{fig['total_transactions_refunded']} transaction(s) reversed, {_plain(fig['total_refunded_amount'])} JOD refunded.")
    if fig["incidents"]:
        found.append(f"{fig['incidents']} security incident(s) recorded.")
    if fig["failed_logins"]:
        found.append(f"{fig['failed_logins']} failed login attempt(s).")
    for name in WATCHED_CHANGES:
        pct = changes[name]["change_pct"]
        if pct is not None and abs(pct) >= alert:
            found.append(f"{name.replace('_', ' ').capitalize()} changed {pct:+.1f}% versus the previous period.")
    return found


def _action(fig, ratios, signals):
    limit = float(settings.BUSINESS_ADVISOR_FAILURE_RATE_PCT)
    if fig["incidents"] or fig["failed_logins"] > fig["active_users"]:
        return "Review the security incidents and failed logins on /risk/incidents/ before anything else."
    if ratios["transfer_failure_rate_pct"] > limit or ratios["bill_failure_rate_pct"] > limit:
        return "Investigate the failed transfers and bill payments (mostly insufficient funds or expired codes?)."
    if fig["total_transactions_refunded"]:
        return "Check why transactions were reversed and whether the refunds point to a product or fraud issue."
    if signals:
        return "Look into the largest period-over-period changes listed in the report."
    if not fig["total_transactions_success"]:
        return "No transfers in this period: confirm the data is complete before drawing conclusions."
    return "No anomalies: keep monitoring; no action needed."


def build_report(period_type, period):
    """The figures of ``period`` and of the one before it."""
    if period_type == "daily":
        current, previous = read.daily_for(period), read.daily_for(period - timedelta(days=1))
        label = period.isoformat()
    else:
        current = summaries.payload("month", *summaries.month_bounds(period))
        previous = summaries.payload("month", *summaries.month_bounds(period - timedelta(days=1)))
        label = period.strftime("%Y-%m")
    changes = _changes(current, previous)
    ratios = _ratios(current)
    signals = _signals(current, ratios, changes)
    report = {
        "period_type": period_type,
        "period": label,
        "currency": settings.BASE_CURRENCY,
        "totals": {name: _plain(current[name]) for name in report_fields()},
        "previous_totals": {name: _plain(previous[name]) for name in report_fields()},
        "ratios": ratios,
        "changes": changes,
        "risk_signals": signals,
    }
    return report, _action(current, ratios, signals)


def deterministic_summary(report):
    t, c = report["totals"], report["changes"]
    span = "day" if report["period_type"] == "daily" else "month"

    def delta(name):
        pct = c[name]["change_pct"]
        return f" ({pct:+.1f}% vs previous {span})" if pct is not None else ""

    text = (
        f"{report['period']}: {t['total_transactions_success']} successful transfers{delta('total_transactions_success')} "
        f"moving {t['total_transferred_amount']} {report['currency']}, {t['total_transactions_failed']} failed; "
        f"{t['bill_payments_count']} bills paid. Net revenue {t['net_revenue']} {report['currency']}"
        f"{delta('net_revenue')}; {t['active_users']} active users, {t['new_users']} new."
    )
    if report["risk_signals"]:
        text += " Points to investigate: " + " ".join(report["risk_signals"])
    return text


# --- Gemini -------------------------------------------------------------------


def _prompt(report, action):
    return (
        f"[prompt {PROMPT_VERSION}] You advise the management of a small digital bank. Using only the JSON "
        "figures below (money in JOD), answer in JSON with keys \"summary\" (at most 80 words), "
        "\"analysis\" (at most 200 words: trends, ratios, risks to investigate). The recommended action is "
        f"already decided ({action!r}); do not propose actions that change data.\n"
        + json.dumps(report, sort_keys=True)
    )


def _ai(report, action):
    """``(summary, analysis)`` from Gemini, or None on any failure (the caller falls back)."""
    try:
        text = (gemini.generate(_prompt(report, action), json_response=True) or "").strip()
    except Exception as exc:  # timeouts, API and network errors alike: never a 500
        logger.warning("Gemini business advice failed: %s", exc)
        return None
    if not text:
        return None
    try:
        body = json.loads(text)
        summary, analysis = str(body.get("summary") or "").strip(), str(body.get("analysis") or "").strip()
    except (ValueError, AttributeError):
        summary, analysis = "", text
    return (summary or deterministic_summary(report), analysis or summary)


# --- answers ---------------------------------------------------------------------


def _store(period_type, period):
    if period_type == "daily":
        return DailyAIInsight, {"date": period}
    return MonthlyAIInsight, {"month": period.replace(day=1)}


def advise(period_type, period):
    """The §9.3 advisor answer for a day or a month (first day), stored as an insight."""
    if period_type == "monthly":
        period = period.replace(day=1)
    report, action = build_report(period_type, period)
    model, lookup = _store(period_type, period)
    stored = model.objects.filter(**lookup).first()
    reusable = stored and stored.ai_generated and stored.prompt_version == PROMPT_VERSION and stored.report_json == report
    if not reusable:
        ai = _ai(report, action) if settings.GEMINI_API_KEY else None
        values = {
            "summary": ai[0] if ai else deterministic_summary(report),
            "ai_analysis": ai[1] if ai else "",
            "recommended_action": action,
            "report_json": report,
            "ai_generated": ai is not None,
            "model": settings.GEMINI_MODEL if ai else "",
            "prompt_version": PROMPT_VERSION if ai else "",
        }
        stored, _ = model.objects.update_or_create(defaults=values, **lookup)
    return {
        "period_type": period_type,
        "date_or_month": report["period"],
        "model": stored.model or None,
        "ai_generated": stored.ai_generated,
        "summary": stored.summary,
        "recommended_action": stored.recommended_action,
        "report_json": stored.report_json,
        "ai_analysis": stored.ai_analysis or None,
    }


def daily_insight(day):
    """The day's advice as one text, kept on the day's metrics row (when the day has one)."""
    answer = advise("daily", day)
    text = f"{answer['summary']} Recommended action: {answer['recommended_action']}"
    if answer["ai_analysis"] and answer["ai_analysis"] != answer["summary"]:
        text += f"\n\n{answer['ai_analysis']}"
    DailyBusinessMetrics.objects.filter(date=day).update(ai_insight=text)
    return {"date": day, "insight": text, "ai_generated": answer["ai_generated"], "saved": True}
