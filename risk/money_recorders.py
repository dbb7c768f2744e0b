"""Incidents for what the money pipeline refuses, from its signals (``api`` does not import ``risk``).

Sent synchronously by ``api.services.transfers``: a refused transfer after
its database transaction rolled back (so the incident stays), a failed
confirmation code inside the confirmation's transaction (which commits).
"""
from django.dispatch import receiver

from api import signals

from .incidents import record_failed_otp
from .rules.transactions import record_failed_transfer


@receiver(signals.transfer_refused, dispatch_uid="risk.transfer_refused")
def on_transfer_refused(sender, user, context, reason, details, **kwargs):
    record_failed_transfer(user, context, reason, details)


@receiver(signals.transfer_code_failed, dispatch_uid="risk.transfer_code_failed")
def on_transfer_code_failed(sender, user, context, reason, transaction_id, **kwargs):
    record_failed_otp("transfer", reason, user=user, context=context, transaction_id=transaction_id)
