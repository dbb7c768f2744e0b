"""Staff endpoints of the risk engine (API.md §8.4). Every view is staff-only."""
from axes.utils import reset as axes_reset
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import generics
from rest_framework.permissions import IsAdminUser
from rest_framework.response import Response
from rest_framework.views import APIView

from api.services.audit import record_admin_action

from . import advisor
from .filters import IncidentFilter, IncidentOrdering, LoginEventFilter, with_severity_rank
from .kpis import risk_kpis
from .models import Incident, LoginEvent
from .serializers import (
    AnalyzeRequestSerializer,
    AnalyzeResponseSerializer,
    IncidentSerializer,
    KpiSerializer,
    LoginEventSerializer,
    UnlockIpResponseSerializer,
    UnlockIpSerializer,
)


class StaffOnly:
    permission_classes = [IsAdminUser]


class IncidentListView(StaffOnly, generics.ListAPIView):
    serializer_class = IncidentSerializer
    filter_backends = [DjangoFilterBackend, IncidentOrdering]
    filterset_class = IncidentFilter

    def get_queryset(self):
        return with_severity_rank(Incident.objects.select_related("user"))


class IncidentDetailView(StaffOnly, generics.RetrieveAPIView):
    serializer_class = IncidentSerializer
    queryset = Incident.objects.select_related("user")


class LoginEventListView(StaffOnly, generics.ListAPIView):
    serializer_class = LoginEventSerializer
    queryset = LoginEvent.objects.select_related("user")
    filter_backends = [DjangoFilterBackend]
    filterset_class = LoginEventFilter


class KpiView(StaffOnly, APIView):
    @extend_schema(responses={200: KpiSerializer})
    def get(self, request):
        return Response(risk_kpis())


class AnalyzeView(StaffOnly, APIView):
    @extend_schema(request=AnalyzeRequestSerializer, responses={200: AnalyzeResponseSerializer})
    def post(self, request):
        serializer = AnalyzeRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        incident_id = serializer.validated_data.get("incident_id")
        if incident_id is not None:
            incident = get_object_or_404(Incident.objects.select_related("user"), pk=incident_id)
        else:
            incident = serializer.ad_hoc_incident()
        return Response(advisor.analyze(incident, refresh=serializer.validated_data["refresh"]))


class UnlockIpView(StaffOnly, APIView):
    @extend_schema(request=UnlockIpSerializer, responses={200: UnlockIpResponseSerializer})
    def post(self, request):
        serializer = UnlockIpSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        ip = serializer.validated_data["ip"]
        cleared = axes_reset(ip=ip)
        record_admin_action(request, "UNLOCK_IP", "ip", ip, cleared_attempts=cleared)
        return Response({"detail": f"Login lockouts cleared for {ip}.", "cleared_attempts": cleared})
