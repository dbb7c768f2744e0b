"""Rate limits keyed on the one client address (``nexus.client.client_ip``).

DRF's own ``get_ident`` reads ``X-Forwarded-For`` whatever the deployment,
so a client could pick a new identity per request and never be throttled;
allauth has its own reading of the same header.
"""
from allauth.account.adapter import DefaultAccountAdapter
from django.core.exceptions import PermissionDenied
from rest_framework import throttling

from nexus.client import client_ip


class ClientIPMixin:
    def get_ident(self, request):
        return client_ip(request) or ""


class AnonRateThrottle(ClientIPMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientIPMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientIPMixin, throttling.ScopedRateThrottle):
    pass


class AccountAdapter(DefaultAccountAdapter):
    """allauth's rate limits key on the same client address as everything else."""

    def get_client_ip(self, request):
        ip = client_ip(request)
        if not ip:
            raise PermissionDenied("Unable to determine client IP address")
        return ip
