"""Counting requests per key in the cache (Redis in production), for friction-free limits."""

import hashlib

from django.core.cache import cache
from django.http import HttpRequest


def _cache_key(scope: str, key: str) -> str:
    # Hashed: e-mail addresses and IPs are not kept in clear in the cache.
    digest = hashlib.sha256(f"{scope}:{key}".encode()).hexdigest()[:32]
    return f"ratelimit:{scope}:{digest}"


def rate_limit_exceeded(*, scope: str, key: str, limit: int, period_seconds: int) -> bool:
    """Count one more hit for (scope, key) in the current window; True once over the limit."""
    cache_key = _cache_key(scope, key)
    if cache.add(cache_key, 1, timeout=period_seconds):
        return limit < 1
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=period_seconds)
        hits = 1
    return hits > limit


def rate_limit_reset(*, scope: str, key: str) -> None:
    """Forget the hits counted for (scope, key)."""
    cache.delete(_cache_key(scope, key))


def client_ip(request: HttpRequest) -> str:
    """The client's address as seen by the server (the proxy in front sets REMOTE_ADDR through
    its own configuration; X-Forwarded-For is not trusted here)."""
    return request.META.get("REMOTE_ADDR", "")
