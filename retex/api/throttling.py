"""The API's rate limit: so many requests per client address, counted in the shared cache."""

import hashlib
import math

from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from rest_framework import exceptions
from rest_framework.throttling import SimpleRateThrottle

from retex.core.ratelimit import client_ip


class ApiRateThrottle(SimpleRateThrottle):
    """`RETEX_API_RATE` ("120/minute") per client address, read at each request (so that
    tests and operators can change it without restarting)."""

    scope = "api"

    def get_rate(self) -> str:
        return settings.RETEX_API_RATE

    def get_cache_key(self, request, view) -> str:
        # Addresses are not kept in clear in the cache (as in retex.core.ratelimit).
        digest = hashlib.sha256(client_ip(request).encode()).hexdigest()[:32]
        return f"throttle:{self.scope}:{digest}"


def rate_in_words(rate: str) -> str:
    """ "120/minute" -> "120 requests per minute", in the active language."""
    count, _slash, period = rate.partition("/")
    number = int(count)
    unit = period[:1]
    if unit == "s":
        return ngettext("%(count)s request per second", "%(count)s requests per second", number) % {
            "count": number
        }
    if unit == "h":
        return ngettext("%(count)s request per hour", "%(count)s requests per hour", number) % {
            "count": number
        }
    if unit == "d":
        return ngettext("%(count)s request per day", "%(count)s requests per day", number) % {
            "count": number
        }
    return ngettext("%(count)s request per minute", "%(count)s requests per minute", number) % {
        "count": number
    }


class TooManyRequests(exceptions.Throttled):
    """A 429 that says the limit and when to come back, in the client's language."""

    def __init__(self, wait: float | None) -> None:
        super().__init__(wait=wait)
        limit = rate_in_words(settings.RETEX_API_RATE)
        detail = _("Too many requests: the API answers %(limit)s from one address.") % {
            "limit": limit
        }
        if self.wait is not None:
            seconds = math.ceil(self.wait)
            detail += " " + ngettext(
                "Try again in %(seconds)s second.", "Try again in %(seconds)s seconds.", seconds
            ) % {"seconds": seconds}
        self.detail = exceptions.ErrorDetail(detail, code=self.default_code)
