"""The public page of one testimony."""

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from retex.contributions.enums import AttachmentKind
from retex.contributions.models import Testimony
from retex.explore import selectors


def testimony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        testimony = selectors.published_testimony(pk=pk)
    except Testimony.DoesNotExist as error:
        raise Http404 from error
    attachments = list(testimony.attachments.all())
    return render(
        request,
        "explore/testimony_detail.html",
        {
            "testimony": testimony,
            "consultation": testimony.consultation,
            "images": [a for a in attachments if a.kind == AttachmentKind.IMAGE],
            "documents": [a for a in attachments if a.kind != AttachmentKind.IMAGE],
            # Only web addresses become links (never javascript: or data:).
            "links": [
                link
                for link in testimony.links
                if isinstance(link, str) and link.startswith(("https://", "http://"))
            ],
        },
    )
