from django.conf import settings
from django.db import models

from .ledger import Transaction


class OneTimeCode(models.Model):
    """A short-lived code, stored only as a keyed hash (see ``api.otp``)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    code_hash = models.CharField(max_length=64)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        abstract = True
        ordering = ["-created_at", "-id"]


class LoginOTP(OneTimeCode):
    class Meta(OneTimeCode.Meta):
        verbose_name = "login OTP"
        indexes = [models.Index(fields=["user", "-created_at"])]


class TransferOTP(OneTimeCode):
    transaction = models.OneToOneField(Transaction, on_delete=models.CASCADE, related_name="otp")

    class Meta(OneTimeCode.Meta):
        verbose_name = "transfer OTP"


class SocialLoginCode(OneTimeCode):
    """The one-time code that trades a finished Google sign-in for tokens.

    It belongs to the session the Google sign-in opened: revoking that
    session (terminate-session, block) kills a code not yet traded.
    """

    session = models.ForeignKey("api.AuthSession", on_delete=models.CASCADE, null=True, related_name="+")

    class Meta(OneTimeCode.Meta):
        indexes = [models.Index(fields=["code_hash"])]
