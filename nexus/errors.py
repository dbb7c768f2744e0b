"""One error body for the whole API: ``{detail, code, errors?}``.

DRF exceptions pass through drf-standardized-errors' handler (which also turns
unexpected exceptions into a logged 500); the formatter below shapes its
output into the contract's body. Business-rule failures raise ``BusinessError``
with a machine code such as ``insufficient_funds``.
"""
import sqlite3
import sys

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import JsonResponse
from drf_standardized_errors.formatter import ExceptionFormatter
from drf_standardized_errors.handler import ExceptionHandler
from psycopg_pool import PoolTimeout
from rest_framework import exceptions, status
from rest_framework.settings import api_settings
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError

NON_FIELD = api_settings.NON_FIELD_ERRORS_KEY

# DRF's default codes renamed to the contract's.
CODE_ALIASES = {
    "invalid": "validation_error",
    "parse_error": "validation_error",
    "authentication_failed": "token_not_valid",
    "user_inactive": "token_not_valid",
    "user_not_found": "token_not_valid",
    "no_active_account": "token_not_valid",
    "not_authenticated": "not_authenticated",
    "permission_denied": "permission_denied",
    "not_found": "not_found",
    "method_not_allowed": "method_not_allowed",
    "throttled": "throttled",
}


class BusinessError(exceptions.ValidationError):
    """A 400 refusal by a business rule, with its own machine code.

    ``field`` names the request field at fault (``non_field_errors`` when
    None); ``extra`` adds top-level keys such as ``transaction_id``.
    """

    def __init__(self, code, detail, field=None, extra=None):
        self.business_code = code
        self.message = str(detail)
        self.extra = extra or {}
        super().__init__({field or NON_FIELD: [detail]}, code=code)


class IdempotencyConflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This idempotency key was already used with a different request."
    default_code = "idempotency_conflict"


class HasLedgerHistory(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = "This user has ledger history and cannot be deleted; staff can block the user instead."
    default_code = "has_ledger_history"


class InvalidCredentials(exceptions.AuthenticationFailed):
    default_detail = "Invalid email or password."
    default_code = "invalid_credentials"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = "The request body is larger than this server accepts."
    default_code = "payload_too_large"


class LockedOut(exceptions.APIException):
    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = "Too many failed login attempts. Try again later."
    default_code = "locked_out"


def _flatten(detail, prefix=""):
    """Turn nested serializer errors into ``{"a.b": [messages]}``."""
    if isinstance(detail, dict):
        flat = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            flat.update(_flatten(value, name))
        return flat
    if isinstance(detail, list):
        if all(not isinstance(item, (dict, list)) for item in detail):
            return {prefix or NON_FIELD: [str(item) for item in detail]}
        flat = {}
        for index, item in enumerate(detail):
            flat.update(_flatten(item, f"{prefix}.{index}" if prefix else str(index)))
        return flat
    return {prefix or NON_FIELD: [str(detail)]}


def _first_message(errors):
    for field, messages in errors.items():
        if messages:
            return messages[0] if field == NON_FIELD else f"{field}: {messages[0]}"
    return "Invalid input."


class ContractExceptionFormatter(ExceptionFormatter):
    def run(self):
        exc = self.exc
        if isinstance(exc, exceptions.ValidationError):
            errors = _flatten(exc.detail)
            body = {
                "detail": getattr(exc, "message", None) or _first_message(errors),
                "code": getattr(exc, "business_code", "validation_error"),
                "errors": errors,
            }
            body.update(getattr(exc, "extra", {}))
            return body
        detail = exc.detail
        if isinstance(detail, dict):  # SimpleJWT: {"detail", "code", "messages"}
            message = str(detail.get("detail", exc.default_detail))
            code = str(detail.get("code", exc.default_code))
        else:
            message = str(detail)
            code = getattr(detail, "code", None) or exc.default_code
        code = CODE_ALIASES.get(code, code)
        if exc.status_code == status.HTTP_400_BAD_REQUEST:
            return {"detail": message, "code": "validation_error", "errors": {NON_FIELD: [message]}}
        return {"detail": message, "code": code}


# --- The database busy past its wait: 503 with Retry-After, never a 500 ------------------
class DatabaseBusy(exceptions.APIException):
    status_code = status.HTTP_503_SERVICE_UNAVAILABLE
    default_detail = "The service is busy. Try again shortly."
    default_code = "service_unavailable"

    def __init__(self):
        super().__init__()
        self.wait = settings.DB_RETRY_AFTER_SECONDS  # DRF's handler turns it into Retry-After


def database_busy(exc):
    """True when ``exc`` is, or was raised from, a wait for the database that ran out.

    That is the psycopg pool's timeout (no connection free), or SQLite's busy timeout
    (another writer held the lock); Django wraps either in its ``OperationalError``.
    """
    while exc is not None:
        if isinstance(exc, PoolTimeout) or (isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)):
            return True
        exc = exc.__cause__
    return False


def database_busy_response():
    """``DatabaseBusy`` answered by a plain Django view or middleware."""
    busy = DatabaseBusy()
    response = error_response(busy.status_code, busy.default_code, str(busy.default_detail))
    response["Retry-After"] = str(busy.wait)
    return response


class ContractExceptionHandler(ExceptionHandler):
    def convert_known_exceptions(self, exc):
        if isinstance(exc, TokenError):
            return InvalidToken(str(exc))
        if isinstance(exc, RequestDataTooBig):
            return PayloadTooLarge()
        if database_busy(exc):
            return DatabaseBusy()
        return super().convert_known_exceptions(exc)


def error_response(status_code, code, detail, **extra):
    """The contract's error body for plain Django views and middleware."""
    return JsonResponse({"detail": detail, "code": code, **extra}, status=status_code)


def axes_lockout_response(request, *args, **kwargs):
    """django-axes lockout, answered in the contract's shape (429 locked_out)."""
    response = error_response(status.HTTP_429_TOO_MANY_REQUESTS, LockedOut.default_code, str(LockedOut.default_detail))
    response["Retry-After"] = str(int(settings.AXES_COOLOFF_TIME.total_seconds()))
    return response


# Plain Django error views (URLs that match no route, e.g. ``/api/cards/abc/``,
# or errors raised outside DRF): the same contract body instead of HTML pages.
def page_not_found(request, exception=None):
    return error_response(status.HTTP_404_NOT_FOUND, "not_found", "Not found.")


def bad_request(request, exception=None):
    """Django's 400 for a SuspiciousOperation; a body read outside DRF that is too big is a 413."""
    if isinstance(exception, RequestDataTooBig):
        return error_response(
            status.HTTP_413_REQUEST_ENTITY_TOO_LARGE, PayloadTooLarge.default_code, str(PayloadTooLarge.default_detail)
        )
    return error_response(
        status.HTTP_400_BAD_REQUEST, "validation_error", "Bad request.", errors={NON_FIELD: ["Bad request."]}
    )


def permission_denied(request, exception=None):
    return error_response(status.HTTP_403_FORBIDDEN, "permission_denied", "You do not have permission to perform this action.")


def server_error(request):
    if database_busy(sys.exc_info()[1]):  # raised outside DRF, e.g. in a middleware
        return database_busy_response()
    return error_response(status.HTTP_500_INTERNAL_SERVER_ERROR, "server_error", "A server error occurred.")
