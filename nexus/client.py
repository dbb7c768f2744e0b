"""Who is calling from where: client IP and country of a request (API.md §8.1).

Here, below both ``api`` and ``risk``, so that login events, transactions,
throttles, axes and the risk rules all read the same address.
"""
import ipaddress
import logging

import requests
from django.conf import settings
from django.core.cache import cache
from ipware import get_client_ip

logger = logging.getLogger(__name__)


def client_ip(request):
    """The one client address for throttles, axes, login events, risk rules and incidents.

    The socket peer (``REMOTE_ADDR``), unless ``TRUST_PROXY_HEADERS`` is on: then the
    ``X-Forwarded-For`` hop appended by the outermost of ``TRUSTED_PROXY_COUNT``
    proxies, counted from the right. Every hop left of it is client-supplied and
    may be forged, so it is never read. Without enough hops (a direct connection
    to the app), the socket peer again. ``None`` when there is no valid address.
    """
    if settings.TRUST_PROXY_HEADERS:
        # ipware counts the proxies *listed* in the header; the innermost proxy is
        # the socket peer and appends the hop before it, so one fewer is listed.
        forwarded, _routable = get_client_ip(
            request,
            proxy_count=settings.TRUSTED_PROXY_COUNT - 1,
            request_header_order=["HTTP_X_FORWARDED_FOR"],
            strict=False,
        )
        if forwarded:
            return forwarded
    remote = request.META.get("REMOTE_ADDR", "")
    return remote if _valid_ip(remote) else None


def request_context(request):
    """Who is calling from where, as login events, transactions and the risk rules store it."""
    ip = client_ip(request)
    return {
        "ip": ip,
        "country": client_country(request, ip),
        "user_agent": request.META.get("HTTP_USER_AGENT", "")[:500],
    }


def axes_client_ip(request):
    """django-axes needs a string; same answer as ``client_ip``."""
    return client_ip(request) or ""


def client_country(request, ip=None):
    """ISO alpha-2 country of the caller, or "" when unknown."""
    if settings.TRUST_PROXY_HEADERS:
        header = request.META.get("HTTP_CF_IPCOUNTRY", "").strip().upper()
        if len(header) == 2 and header.isalpha() and header != "XX":
            return header
    ip = ip if ip is not None else client_ip(request)
    return lookup_country(ip) if ip else ""


def lookup_country(ip):
    """IPInfo lookup for public IPs, cached 24 h; "" without a token or on error."""
    if not settings.IPINFO_TOKEN or not _is_public(ip):
        return ""
    cache_key = f"ipinfo:{ip}"
    cached = cache.get(cache_key)
    if cached is not None:
        return cached
    try:
        response = requests.get(
            f"https://ipinfo.io/{ip}/country",
            params={"token": settings.IPINFO_TOKEN},
            timeout=settings.IPINFO_TIMEOUT_SECONDS,
        )
        response.raise_for_status()
        country = response.text.strip().upper()
        country = country if len(country) == 2 and country.isalpha() else ""
    except requests.RequestException as exc:
        logger.warning("IPInfo lookup for %s failed: %s", ip, exc)
        return ""
    cache.set(cache_key, country, settings.IPINFO_CACHE_SECONDS)
    return country


def _valid_ip(value):
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def _is_public(ip):
    try:
        return ipaddress.ip_address(ip).is_global
    except ValueError:
        return False
