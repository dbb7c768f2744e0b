"""Building committed events the way production does, for the risk tests."""
import random
from decimal import Decimal

from django.test import TestCase

from api import signals
from api.models import Account, Transaction
from risk.models import Incident, LoginEvent

UA_DESKTOP = "Mozilla/5.0 (X11; Linux x86_64) Firefox/140.0"
UA_PHONE = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0) Safari/604.1"


def committed():
    """Run on-commit callbacks (the rules) when the block ends, as a real commit would."""
    return TestCase.captureOnCommitCallbacks(execute=True)


def login_event(user=None, *, successful=True, email=None, ip="198.51.100.7", country="JO", user_agent=UA_DESKTOP,
                reason=""):
    with committed():
        return LoginEvent.objects.create(
            user=user,
            attempted_email=email if email is not None else (user.email if user else ""),
            successful=successful,
            ip=ip,
            country=country,
            user_agent=user_agent,
            failure_reason=reason if not successful else "",
        )


def failures(count, email, ip="198.51.100.7", user=None):
    for _ in range(count):
        login_event(user, successful=False, email=email, ip=ip, reason="invalid_credentials")


def account(user, currency="JOD", balance="100000.00"):
    number = str(random.randint(10**11, 10**12 - 1))
    return Account.objects.create(account_number=number, user=user, currency=currency, balance=Decimal(balance))


def transfer(sender, receiver, amount="100.00", *, status="SUCCESS", kind=None, ip="198.51.100.7", country="JO",
             meta=None, failure_reason=None):
    """A committed transfer row and its ``transfer_created`` signal, as api/services/transfers.py sends it."""
    kind = kind or ("INTERNAL" if sender.user_id == receiver.user_id else "EXTERNAL")
    amount = Decimal(amount)
    with committed():
        txn = Transaction.objects.create(
            kind=kind,
            status=status,
            initiated_by=sender.user,
            sender_account=sender,
            receiver_account=receiver,
            amount=amount,
            currency=sender.currency,
            credited_amount=amount,
            credited_currency=receiver.currency,
            failure_reason=failure_reason,
            ip=ip,
            country=country,
            request_meta=meta or {"user_agent": UA_DESKTOP, "via": "", "x_tor_exit": ""},
        )
        signals.transfer_created.send_robust(sender=Transaction, transaction=txn)
    return txn


def incidents(rule, **filters):
    return Incident.objects.filter(rule=rule, **filters)
