"""Signal receivers: committed events in, incidents out.

Rules run after commit, delivered from the outbox (``api.events``), so they
see only committed data, never slow down or break the login or transfer
that caused them, and are never lost to a process killed after its commit.
"""
import logging

from axes.signals import user_locked_out
from django.db.models.signals import post_save
from django.dispatch import receiver

from api import signals
from api.events import at_batch_end
from api.models.outbox_records import announce
from nexus.client import client_country

from .models import LoginEvent
from .rules import auth as auth_rules
from .rules import transactions as transaction_rules

logger = logging.getLogger(__name__)


@receiver(post_save, sender=LoginEvent, dispatch_uid="risk.login_event_saved")
def on_login_event(sender, instance, created, raw=False, **kwargs):
    """Write the row's ``login_recorded`` event with it: the rules and counters exist exactly when the row does.

    Callers create the row in a transaction (``risk.recorders``), so the two commit together.
    """
    if created and not raw:
        announce(instance, "login_recorded")


@receiver(signals.login_recorded, dispatch_uid="risk.login_recorded")
def on_login_recorded(sender, login_event, **kwargs):
    # Inside the delivering batch: the incidents commit with the event's delivery, and a
    # database error rolls the event back for a retry instead of losing its incidents.
    auth_rules.evaluate_login(login_event)


@receiver(signals.transfer_created, dispatch_uid="risk.transfer_created")
def on_transfer_created(sender, transaction, **kwargs):
    # Delivered from the outbox (api.events) with the committed row and what the rules
    # read; run for the whole batch at its end, the incidents commit with its delivery.
    at_batch_end(transaction_rules.evaluate_transfers, transaction)


@receiver(user_locked_out, dispatch_uid="risk.user_locked_out")
def on_user_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    try:
        country = client_country(request, ip_address) if request is not None and ip_address else ""
        auth_rules.lockout(ip_address or None, username, country)
    except Exception:  # Recording must never change the lockout answer.
        logger.exception("Recording the lockout of %s failed", ip_address)
