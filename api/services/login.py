"""Two-step login: password then an emailed code (API.md §3.4–3.5, §3.11).

The API and the admin site both sign in through these functions: one lockout,
one trail of login signals (``api.signals``, recorded by ``risk``), one set of risk rules.
"""
from datetime import timedelta

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.signals import user_login_failed
from django.db import transaction

from api import otp, signals
from api.models import AuthSession, LoginOTP
from api.models.outbox_records import queue_email
from api.services.sessions import issue_tokens, mark_signed_in, open_session
from nexus.client import request_context
from nexus.errors import BusinessError, InvalidCredentials, LockedOut

LOGIN_PURPOSE = "login"
INVALID_CODE = "Invalid verification code."


def start_login(request, email, password, staff_only=False):
    """Check the password and email a login code; same refusal for every failure.

    ``staff_only`` (the admin site) refuses a customer's right password like a
    wrong one, counted by axes and the risk rules as a failure.
    The attempt that reaches AXES_FAILURE_LIMIT still answers 401; attempts
    after it answer 429 until the cool-off passes or staff unlock the IP.
    """
    context = request_context(request)
    django_request = getattr(request, "_request", request)
    locked_before = AxesProxyHandler.is_locked(django_request, {"email": email})
    user = None if locked_before else authenticate(django_request, email=email, password=password)
    if user is not None and staff_only and not user.is_staff:
        user_login_failed.send(sender=__name__, credentials={"email": email}, request=django_request)
        user = None
    if user is None:
        django_request.axes_locked_out = False  # Our body, not axes' middleware response.
        known = get_user_model().objects.filter(email__iexact=email).first()
        signals.login_attempted.send(
            sender=__name__,
            user=known,
            email=email,
            successful=False,
            failure_reason="locked_out" if locked_before else "invalid_credentials",
            context=context,
        )
        raise LockedOut() if locked_before else InvalidCredentials()
    with transaction.atomic():
        _, code = otp.issue(LoginOTP, user=user, purpose=f"{LOGIN_PURPOSE}:{user.pk}", ttl_seconds=settings.LOGIN_OTP_TTL_SECONDS)
        minutes = settings.LOGIN_OTP_TTL_SECONDS // 60
        queue_email(
            "Your Nexus Bank verification code",
            f"Your verification code is {code}. It expires in {minutes} minutes.\n"
            "If you did not try to sign in, change your password.",
            user.email,
        )


def check_login_code(request, email, code, staff_only=False):
    """The user whose newest login code is ``code``, with the request's context.

    No oracle: an unknown email, a user without a code, a used, expired or
    dead code and a wrong code all get the same 400 ``invalid_otp`` with the
    same detail and no attempt count, so the answer never tells whether an
    email exists or has a live code. The incident keeps the real reason.
    """
    context = request_context(request)
    users = get_user_model().objects.filter(email__iexact=email, is_active=True)
    user = users.filter(is_staff=True).first() if staff_only else users.first()
    latest = LoginOTP.objects.filter(user=user).first() if user else None
    try:
        if latest is None:
            raise BusinessError("invalid_otp", INVALID_CODE, field="code")
        # Only the newest code counts: a new init voids every earlier code.
        otp.consume(latest, code, f"{LOGIN_PURPOSE}:{user.pk}")
    except BusinessError as error:
        signals.otp_failed.send(
            sender=__name__, stage="login", reason=error.business_code, user=user, context=context, attempted_email=email
        )
        raise BusinessError("invalid_otp", INVALID_CODE, field="code") from None
    return user, context


def verify_login(request, email, code):
    """Trade the latest login code for a token pair."""
    user, context = check_login_code(request, email, code)
    return complete_login(user, AuthSession.Source.PASSWORD, context)


def complete_login(user, source, context, session=None):
    """Issue tokens (in ``session`` when given) and record the successful login."""
    tokens = issue_tokens(user, source, session=session)
    record_login(user, source, context)
    return tokens


def open_admin_session(user, context):
    """The session behind a staff member's admin cookie, recorded as an admin login."""
    session = open_session(user, AuthSession.Source.ADMIN, timedelta(hours=settings.ADMIN_SESSION_HOURS))
    mark_signed_in(user)
    record_login(user, AuthSession.Source.ADMIN, context)
    return session


def record_login(user, source, context):
    """Report the successful login (a LoginEvent the risk rules and the metrics read)."""
    signals.login_attempted.send(
        sender=__name__, user=user, email=user.email, successful=True, source=source, context=context
    )
