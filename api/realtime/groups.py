ADMIN_ALERTS = "admin_alerts"


def user_group(user_id):
    return f"user_{user_id}"


def session_group(session_id):
    """Every socket opened with a token of one login session (``AuthSession``)."""
    return f"session_{session_id}"
