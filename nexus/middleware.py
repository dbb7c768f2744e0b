"""Request ids (accept ``X-Request-ID`` or make one, echo it, log it) and the NUL-byte gate."""
import contextvars
import logging
import re
import uuid

_request_id = contextvars.ContextVar("request_id", default="-")
_VALID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")


class RequestIDMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get(self.header, "")
        request_id = incoming if _VALID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        try:
            response = self.get_response(request)
        finally:
            _request_id.reset(token)
        response[self.header] = request_id
        return response


class RequestIDLogFilter(logging.Filter):
    def filter(self, record):
        record.request_id = _request_id.get()
        return True


class RejectNulBytesMiddleware:
    """A NUL byte in a header or a query parameter is a 400 before any code stores it.

    PostgreSQL cannot hold NUL in text, and request values are stored in many
    places (user agents of login events and axes' attempts, filters in queries):
    each would otherwise be a 500.
    """

    message = "Header and query parameter values must not contain NUL bytes."

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if any("\x00" in value for value in _client_values(request)):
            # Imported here: LOGGING loads this module before DRF can be imported.
            from nexus.errors import NON_FIELD, error_response

            return error_response(400, "validation_error", self.message, errors={NON_FIELD: [self.message]})
        return self.get_response(request)


def _client_values(request):
    for key, value in request.META.items():
        if key.startswith("HTTP_") and isinstance(value, str):
            yield value
    for _key, values in request.GET.lists():
        yield from values
