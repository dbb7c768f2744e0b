"""DRF throttles keyed on the one client address (``risk.geo.client_ip``).

DRF's own ``get_ident`` reads ``X-Forwarded-For`` whatever the deployment,
so a client could pick a new identity per request and never be throttled.
"""
from rest_framework import throttling

from risk.geo import client_ip


class ClientIPMixin:
    def get_ident(self, request):
        return client_ip(request) or ""


class AnonRateThrottle(ClientIPMixin, throttling.AnonRateThrottle):
    pass


class UserRateThrottle(ClientIPMixin, throttling.UserRateThrottle):
    pass


class ScopedRateThrottle(ClientIPMixin, throttling.ScopedRateThrottle):
    pass
