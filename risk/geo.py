"""Client IP and country of a request (API.md §8.1)."""
import ipaddress
import logging

import requests
from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_ip(request):
    """First ``X-Forwarded-For`` hop when proxies are trusted, else REMOTE_ADDR."""
    meta = request.META
    if settings.TRUST_PROXY_HEADERS:
        forwarded = meta.get("HTTP_X_FORWARDED_FOR", "")
        first = forwarded.split(",")[0].strip()
        if _valid_ip(first):
            return first
    remote = meta.get("REMOTE_ADDR", "")
    return remote if _valid_ip(remote) else None


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
