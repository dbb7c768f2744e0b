"""Summaries, descriptions and examples of the business-metric operations (nexus/schema.py reads them)."""
from nexus.schema import Doc, request_example, response_example

DAILY = {
    "id": 120, "date": "2026-11-29", "new_users": 3, "total_users": 48, "active_users": 21, "active_users_7d": 37,
    "active_users_30d": 45, "total_transactions_success": 96, "total_transactions_failed": 4,
    "total_transactions_refunded": 0, "total_transferred_amount": "9012.40", "avg_transaction_value": "93.88",
    "fee_revenue": "61.20", "fx_volume": "1850.00", "fx_spread_revenue": "5.55", "bill_payments_count": 9,
    "bill_payments_failed": 0, "bill_payments_amount": "315.00", "bill_commission_revenue": "3.15",
    "total_refunded_amount": "0.00", "total_chargeback_amount": "0.00", "net_revenue": "69.90", "profit": "69.90",
    "failed_logins": 5, "incidents": 2, "metrics_by_region": {"JO": {"tx_count": 60}},
    "metrics_by_type": {"transfer": 96, "bill_payment": 9},
    "metrics_by_currency": {"JOD": {"tx_count": 70, "amount": "6400.00", "fee_revenue": "45.00"}}, "ai_insight": None,
}
DATE_QUERY = "`date=YYYY-MM-DD` gives one row (zeroed for a date without data)"

OPERATIONS = {
    ("GET", "/business/daily/"): Doc(
        "Daily metrics",
        f"Newest first; {DATE_QUERY}; `date_from`, `date_to` give the stored rows in range. Money is JOD. "
        "Definitions: docs/metrics.md.",
        (response_example("one day", DAILY),),
    ),
    ("GET", "/business/weekly/"): Doc(
        "Weekly summaries", "Monday–Sunday sums of the daily rows; `week=` any day of the week. Active users are "
        "exact distinct counts over the week."
    ),
    ("GET", "/business/monthly/"): Doc(
        "Monthly summaries", "`month=YYYY-MM` (or any day of it); without it the last 12 months with data."
    ),
    ("GET", "/business/countries/"): Doc("Metrics by country", f"{DATE_QUERY}; `country=` filters."),
    ("GET", "/business/currencies/"): Doc(
        "Metrics by currency", f"{DATE_QUERY}; `currency=` filters. Amounts are in that currency."
    ),
    ("GET", "/business/active/"): Doc("Active users", "Exact DAU, WAU (7 days) and MAU (30 days) ending each date."),
    ("GET", "/business/overview/"): Doc(
        "Overview", "The daily row of `date` and the latest 12 rows of every other kind, in one answer."
    ),
    ("POST", "/business/ai/advisor/"): Doc(
        "Ask the advisor",
        "A reading of a day or a month: summary, recommended action and the figures used (`report_json`). From "
        "Gemini with `GEMINI_API_KEY`, else deterministic (`ai_generated: false`). Read-only.",
        (
            request_example("a day", {"period_type": "daily", "date": "2026-11-29"}),
            response_example("reading", {
                "period_type": "daily", "date_or_month": "2026-11-29", "model": None, "ai_generated": False,
                "summary": "96 transfers, net revenue 69.90 JOD…", "recommended_action": "MONITOR",
                "report_json": {"totals": {"net_revenue": "69.90"}, "ratios": {}, "changes": {}}, "ai_analysis": "…",
            }),
        ),
    ),
    ("POST", "/business/ai/daily-insight/"): Doc(
        "Write the daily insight", "Stores a short text on that day's row (shown as `ai_insight`).",
        (request_example("a day", {"date": "2026-11-29"}),
         response_example("saved", {"date": "2026-11-29", "insight": "…", "ai_generated": False, "saved": True})),
    ),
}
