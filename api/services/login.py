"""Two-step login: password then an emailed code (API.md §3.4–3.5)."""
from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.db import transaction

from api import otp
from api.models import AuthSession, LoginOTP
from api.services.sessions import issue_tokens
from api.tasks import queue_email
from nexus.errors import BusinessError, InvalidCredentials, LockedOut
from risk.geo import client_country, client_ip
from risk.incidents import record_failed_otp
from risk.models import LoginEvent

LOGIN_PURPOSE = "login"


def request_context(request):
    """Who is calling from where, as the risk rules read it."""
    ip = client_ip(request)
    return {
        "ip": ip,
        "country": client_country(request, ip),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500],
    }


def start_login(request, email, password):
    """Check the password and email a login code; same refusal for every failure.

    The attempt that reaches AXES_FAILURE_LIMIT still answers 401; attempts
    after it answer 429 until the cool-off passes or staff unlock the IP.
    """
    context = request_context(request)
    django_request = getattr(request, "_request", request)
    locked_before = AxesProxyHandler.is_locked(django_request, {"email": email})
    user = None if locked_before else authenticate(django_request, email=email, password=password)
    if user is None:
        django_request.axes_locked_out = False  # Our body, not axes' middleware response.
        known = get_user_model().objects.filter(email__iexact=email).first()
        LoginEvent.objects.create(
            user=known,
            attempted_email=email[:254],
            successful=False,
            failure_reason="locked_out" if locked_before else "invalid_credentials",
            **context,
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


def verify_login(request, email, code):
    """Trade the latest login code for a token pair."""
    context = request_context(request)
    user = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
    latest = LoginOTP.objects.filter(user=user).first() if user else None
    try:
        if latest is None:
            raise BusinessError("invalid_otp", "Invalid verification code.", field="code")
        # Only the newest code counts: a new init voids every earlier code.
        otp.consume(latest, code, f"{LOGIN_PURPOSE}:{user.pk}")
    except BusinessError as error:
        record_failed_otp("login", error.business_code, user=user, context=context, attempted_email=email)
        raise
    return complete_login(user, AuthSession.Source.PASSWORD, context)


def complete_login(user, source, context):
    """Open a session and record the successful login the rules and metrics read."""
    tokens = issue_tokens(user, source)
    LoginEvent.objects.create(
        user=user, attempted_email=user.email, successful=True, source=source, **context
    )
    return tokens
