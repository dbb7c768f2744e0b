"""OpenAPI generation: areas as tags, a summary, description and examples per operation, and
the contract's error body on every operation.

The words live beside each app (``api/schema.py``, ``risk/schema.py``,
``business/schema.py``) as ``OPERATIONS``: ``{(METHOD, path): Doc}``, with the
path as the schema shows it. Views stay free of documentation; an
``extend_schema`` on a view still wins over these.
"""
from dataclasses import dataclass, field
from functools import cache
from importlib import import_module

from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.utils import OpenApiExample
from rest_framework import serializers

DOC_MODULES = ("api.schema", "risk.schema", "business.schema")

# Most specific prefix first; every operation gets one of these areas
# (described in SPECTACULAR_SETTINGS["TAGS"]).
TAGS_BY_PREFIX = (
    ("/api/admin/", "staff"),
    ("/risk/axes/", "staff"),
    ("/api/accounts", "accounts"),
    ("/api/cards/", "accounts"),
    ("/api/transfers/", "transfers"),
    ("/api/bill", "bills"),
    ("/api/notifications/", "notifications"),
    ("/api/health/", "platform"),
    ("/auth/", "auth"),
    ("/risk/", "risk"),
    ("/business/", "business"),
)


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()
    code = serializers.CharField()


class ValidationErrorSerializer(ErrorSerializer):
    errors = serializers.DictField(child=serializers.ListField(child=serializers.CharField()))


ERROR_RESPONSES = {
    "400": ValidationErrorSerializer,
    "401": ErrorSerializer,
    "403": ErrorSerializer,
    "404": ErrorSerializer,
    "405": ErrorSerializer,
    "409": ErrorSerializer,
    "413": ErrorSerializer,
    "415": ErrorSerializer,
    "429": ErrorSerializer,
}


@dataclass(frozen=True)
class Doc:
    summary: str
    description: str = ""
    examples: tuple = field(default_factory=tuple)


def request_example(name, value, summary=""):
    return OpenApiExample(name, value=value, summary=summary or name, request_only=True)


def response_example(name, value, status=200, summary=""):
    return OpenApiExample(name, value=value, summary=summary or name, response_only=True, status_codes=[str(status)])


def error_example(code, detail, status=400, **extra):
    """The contract's error body; a 400 also carries ``errors``."""
    body = {"detail": detail, "code": code, **extra}
    if status == 400 and "errors" not in extra:
        body["errors"] = {"non_field_errors": [detail]}
    return response_example(code, body, status=status)


@cache
def operation_docs():
    docs = {}
    for module in DOC_MODULES:
        docs.update(import_module(module).OPERATIONS)
    return docs


class ContractAutoSchema(AutoSchema):
    def _doc(self):
        docs = operation_docs()
        method = self.method.upper()
        return docs.get((method, self.path)) or docs.get((method, self.path.rstrip("/") + "/"))

    def get_summary(self):
        doc = self._doc()
        return doc.summary if doc else super().get_summary()

    def get_description(self):
        doc = self._doc()
        return doc.description if doc and doc.description else super().get_description()

    def get_examples(self):
        doc = self._doc()
        return list(doc.examples) if doc else super().get_examples()

    def get_tags(self):
        for prefix, tag in TAGS_BY_PREFIX:
            if self.path.startswith(prefix):
                return [tag]
        return super().get_tags()

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for status_code, serializer in ERROR_RESPONSES.items():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(serializer, status_code, direction=direction)
        return responses


class SessionJWTScheme(SimpleJWTScheme):
    target_class = "api.authentication.SessionJWTAuthentication"
    name = "jwtAuth"
