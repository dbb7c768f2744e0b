"""OpenAPI generation: every operation documents the contract's error body."""
from drf_spectacular.contrib.rest_framework_simplejwt import SimpleJWTScheme
from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers


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


class ContractAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction=direction)
        for status_code, serializer in ERROR_RESPONSES.items():
            if status_code not in responses:
                responses[status_code] = self._get_response_for_code(serializer, status_code, direction=direction)
        return responses


class SessionJWTScheme(SimpleJWTScheme):
    target_class = "api.authentication.SessionJWTAuthentication"
    name = "jwtAuth"
