from .accounts import Account, Card
from .bills import Biller, BillPayment
from .ledger import LedgerEntry, Transaction
from .notifications import Notification
from .otp import LoginOTP, SocialLoginCode, TransferOTP
from .outbox import OutboxEvent
from .sessions import AuthSession
from .users import User, UserAddress, UserProfile

__all__ = [
    "Account",
    "AuthSession",
    "BillPayment",
    "Biller",
    "Card",
    "LedgerEntry",
    "LoginOTP",
    "Notification",
    "OutboxEvent",
    "SocialLoginCode",
    "Transaction",
    "TransferOTP",
    "User",
    "UserAddress",
    "UserProfile",
]
