from django.db import DatabaseError, connection
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from nexus.health import COUNTERS, failure_counts


class HealthView(APIView):
    """Liveness and database reachability, for load balancers and uptime checks.

    It also counts failures the app survives on purpose (``nexus.health``), such as
    a risk rule that raised; they never change the status code.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = []

    @extend_schema(
        responses={
            200: inline_serializer(
                "Health",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    **{name: serializers.IntegerField(allow_null=True) for name in COUNTERS},
                },
            ),
            503: inline_serializer(
                "HealthUnavailable",
                {
                    "status": serializers.CharField(),
                    "database": serializers.CharField(),
                    "detail": serializers.CharField(),
                    "code": serializers.CharField(),
                },
            ),
        }
    )
    def get(self, request):
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
        except DatabaseError:
            return Response(
                {
                    "status": "error",
                    "database": "unreachable",
                    "detail": "The database is unreachable.",
                    "code": "service_unavailable",
                },
                status=status.HTTP_503_SERVICE_UNAVAILABLE,
            )
        return Response({"status": "ok", "database": "ok", **failure_counts()})
