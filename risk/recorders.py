"""Recording what ``api`` reports: login events and security incidents.

``api`` sends the signals of ``api.signals`` and never imports ``risk``; these
receivers turn them into the rows the risk rules, the staff views and the
business metrics read. Connected in ``RiskConfig.ready``.
"""
from django.db import transaction
from django.dispatch import receiver

from api import signals
from api.models import AuthSession

from .incidents import ADMIN_ACTION_RULE, raise_incident, record_failed_otp
from .models import Incident, LoginEvent
from .rules.transactions import record_failed_transfer

# LoginEvent's sources are the contract's password, google and other: an admin-site sign-in
# is "other" (staff logins are "Admin login" in the rules whatever their source).
LOGIN_EVENT_SOURCES = {AuthSession.Source.ADMIN: LoginEvent.Source.OTHER}


@receiver(signals.login_attempted, dispatch_uid="risk.record_login")
def record_login(sender, user, email, successful, context, failure_reason="", source=None, **kwargs):
    """The LoginEvent and its outbox event (``risk.receivers``) in one transaction, even from autocommit."""
    fields = {"source": LOGIN_EVENT_SOURCES.get(source, source)} if source else {}
    with transaction.atomic():
        LoginEvent.objects.create(
            user=user,
            attempted_email=email[:254],
            successful=successful,
            failure_reason=failure_reason,
            **fields,
            **context,
        )


@receiver(signals.otp_failed, dispatch_uid="risk.record_failed_otp")
def on_otp_failed(sender, stage, reason, user, context, attempted_email="", details=None, **kwargs):
    record_failed_otp(stage, reason, user=user, context=context, attempted_email=attempted_email, **(details or {}))


@receiver(signals.staff_action, dispatch_uid="risk.record_staff_action")
def record_staff_action(sender, staff, action, context, details, **kwargs):
    """A staff action is a medium ``admin_action`` incident, the audit trail of API.md §7."""
    raise_incident(
        ADMIN_ACTION_RULE,
        f"Admin Action: {action}",
        Incident.Severity.MEDIUM,
        user=staff,
        ip=context["ip"],
        country=context["country"],
        details=details,
    )


@receiver(signals.transfer_refused, dispatch_uid="risk.transfer_refused")
def on_transfer_refused(sender, user, context, reason, details, **kwargs):
    """A transfer refused before anything was recorded (rules 3-6) is a failed_transfer incident."""
    record_failed_transfer(user, context, reason, details)
