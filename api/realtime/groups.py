ADMIN_ALERTS = "admin_alerts"


def user_group(user_id):
    return f"user_{user_id}"
