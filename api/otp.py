"""One-time codes: made with ``secrets``, stored as keyed hashes, checked once.

The same check serves login codes, transfer codes and Google sign-in codes.
"""
import hashlib
import hmac
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import F
from django.utils import timezone

from nexus.errors import BusinessError


def generate_code(digits=6):
    """A crypto-random numeric code; leading zeros allowed."""
    return f"{secrets.randbelow(10**digits):0{digits}d}"


def hash_code(code, purpose):
    message = f"{purpose}:{code}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()


def issue(model, *, user, purpose, ttl_seconds, code=None, **fields):
    """Create a code row for ``user`` and return ``(row, clear_code)``."""
    code = code or generate_code()
    row = model.objects.create(
        user=user,
        code_hash=hash_code(code, purpose),
        expires_at=timezone.now() + timedelta(seconds=ttl_seconds),
        **fields,
    )
    return row, code


def consume(otp, code, purpose, *, field="code", lock_on_last_wrong=False):
    """Use ``otp`` with ``code`` or raise the contract's OTP error.

    Attempts are counted and the code is spent with conditional UPDATEs, so
    concurrent guesses can neither exceed the limit nor use a code twice.
    ``lock_on_last_wrong`` answers the last allowed wrong try with
    ``otp_locked`` (transfers) instead of ``invalid_otp`` (login).
    """
    max_attempts = settings.OTP_MAX_ATTEMPTS
    now = timezone.now()
    live = type(otp).objects.filter(pk=otp.pk, used_at__isnull=True, attempts__lt=max_attempts)
    if otp.used_at is not None:
        raise BusinessError("invalid_otp", "Invalid verification code.", field=field)
    if otp.attempts >= max_attempts:
        raise BusinessError("otp_locked", "Too many wrong codes. Request a new one.", field=field)
    if now >= otp.expires_at:
        raise BusinessError("otp_expired", "The verification code has expired.", field=field)
    if not hmac.compare_digest(hash_code(code, purpose), otp.code_hash):
        if not live.update(attempts=F("attempts") + 1):
            raise BusinessError("otp_locked", "Too many wrong codes. Request a new one.", field=field)
        otp.refresh_from_db(fields=["attempts"])
        attempts_left = max(max_attempts - otp.attempts, 0)
        if attempts_left == 0 and lock_on_last_wrong:
            raise BusinessError(
                "otp_locked", "Too many wrong codes. Request a new one.", field=field, extra={"attempts_left": 0}
            )
        raise BusinessError(
            "invalid_otp", "Invalid verification code.", field=field, extra={"attempts_left": attempts_left}
        )
    if not live.update(used_at=now):
        raise BusinessError("invalid_otp", "Invalid verification code.", field=field)
    otp.used_at = now
