from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict:
    return {
        "site_name": settings.RETEX_SITE_NAME,
        # The local outbox is linked from the footer only where it exists (demo, development).
        "outbox_page": settings.RETEX_OUTBOX_PAGE,
    }
