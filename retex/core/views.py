import re

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import Resolver404, resolve
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.views.csrf import csrf_failure as django_csrf_failure

from retex.core.models import OutboxMessage

OUTBOX_MESSAGES = 100
_URL = re.compile(r"https?://[^\s<>\"']+")
# Punctuation that ends a sentence rather than an address: "…see https://x.fr/a."
_TRAILING = ".,;:!?)»"


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form posted after its session expired comes back filled in, with a fresh token,
    instead of Django's bare 403 page: a long testimony is never lost to a timeout.

    A view opts in with a `redisplay_after_csrf_failure(request, *args, **kwargs)` attribute
    that shows the posted data again and changes nothing else. Other pages keep the default.
    """
    if request.method == "POST":
        try:
            match = resolve(request.path_info)
        except Resolver404:
            match = None
        redisplay = getattr(match.func, "redisplay_after_csrf_failure", None) if match else None
        if redisplay is not None:
            response = redisplay(request, *match.args, **match.kwargs)
            if not response.has_header("Location"):  # a redirection stays one
                response.status_code = 403
            return response
    return django_csrf_failure(request, reason=reason)


def linkify(text: str) -> SafeString:
    """Escape everything, then make http(s) addresses clickable (nothing else is trusted)."""
    parts = []
    position = 0
    for match in _URL.finditer(text):
        url = match.group(0).rstrip(_TRAILING)
        end = match.start() + len(url)
        parts.append(escape(text[position : match.start()]))
        parts.append(format_html('<a href="{}">{}</a>', url, url))
        position = end
    parts.append(escape(text[position:]))
    return mark_safe("".join(parts))  # every piece is escaped above


def outbox(request: HttpRequest) -> HttpResponse:
    """The e-mails the demo kept instead of sending them (only where the setting allows)."""
    if not settings.RETEX_OUTBOX_PAGE:
        raise Http404
    messages = list(OutboxMessage.objects.order_by("-created_at", "-pk")[:OUTBOX_MESSAGES])
    for message in messages:
        message.body_html = linkify(message.body)
    return render(request, "core/outbox.html", {"outbox": messages})
