"""Settings of the open data and API, checked when Retex starts (a typo must not become a 500
on every API request)."""

import re

from django.conf import settings
from django.core.checks import Error, register

RATE = re.compile(r"\d+/(s|sec|second|m|min|minute|h|hour|d|day)")


@register()
def api_rate_check(app_configs, **kwargs) -> list[Error]:
    if RATE.fullmatch(str(settings.RETEX_API_RATE)):
        return []
    return [
        Error(
            f"RETEX_API_RATE must read like 120/minute, not {settings.RETEX_API_RATE!r}.",
            hint="A number, a slash, then second, minute, hour or day.",
            id="retex_api.E001",
        )
    ]
