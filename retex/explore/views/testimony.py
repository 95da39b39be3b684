"""The public page of one testimony."""

from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from retex.contributions.enums import AttachmentKind, WithholdableField
from retex.contributions.models import Attachment, Testimony, Tool
from retex.explore import selectors
from retex.explore.history import testimony_history
from retex.explore.similar import similar_testimonies


@dataclass(frozen=True)
class PublicFields:
    """The withholdable fields as the public may see them: those a moderator kept private are
    empty, so the template cannot show them by mistake."""

    difficulties: str = ""
    lessons: str = ""
    tools: list[Tool] = field(default_factory=list)
    partners: str = ""
    cost_and_team: str = ""
    started_on: date | None = None
    ended_on: date | None = None
    links: list[str] = field(default_factory=list)
    images: list[Attachment] = field(default_factory=list)
    documents: list[Attachment] = field(default_factory=list)


def _web_links(links: object) -> list[str]:
    # Only web addresses become links (never javascript: or data:).
    if not isinstance(links, list):
        return []
    return [
        link for link in links if isinstance(link, str) and link.startswith(("https://", "http://"))
    ]


def public_fields(testimony: Testimony) -> PublicFields:
    shows = testimony.shows_publicly
    attachments = list(testimony.attachments.all()) if shows(WithholdableField.ATTACHMENTS) else []
    return PublicFields(
        difficulties=testimony.difficulties if shows(WithholdableField.DIFFICULTIES) else "",
        lessons=testimony.lessons if shows(WithholdableField.LESSONS) else "",
        tools=list(testimony.tools.all()) if shows(WithholdableField.TOOLS) else [],
        partners=testimony.partners if shows(WithholdableField.PARTNERS) else "",
        cost_and_team=testimony.cost_and_team if shows(WithholdableField.COST_AND_TEAM) else "",
        started_on=testimony.started_on if shows(WithholdableField.DATES) else None,
        ended_on=testimony.ended_on if shows(WithholdableField.DATES) else None,
        links=_web_links(testimony.links) if shows(WithholdableField.LINKS) else [],
        images=[a for a in attachments if a.kind == AttachmentKind.IMAGE],
        documents=[a for a in attachments if a.kind != AttachmentKind.IMAGE],
    )


def permalink_path(testimony: Testimony) -> str:
    """The page's stable address: the default language's, whatever the visitor's."""
    with translation.override(settings.LANGUAGE_CODE):
        return reverse("explore:testimony", kwargs={"pk": testimony.pk})


def testimony_detail(request: HttpRequest, pk: int) -> HttpResponse:
    try:
        testimony = selectors.published_testimony(pk=pk)
    except Testimony.DoesNotExist as error:
        raise Http404 from error
    public = public_fields(testimony)
    for attachment in (*public.images, *public.documents):
        # Written out on paper (print.css).
        attachment.absolute_url = request.build_absolute_uri(attachment.file.url)
    return render(
        request,
        "explore/testimony_detail.html",
        {
            "testimony": testimony,
            "consultation": testimony.consultation,
            "public": public,
            "history": testimony_history(testimony=testimony),
            "similar": similar_testimonies(testimony),
            "permalink": request.build_absolute_uri(permalink_path(testimony)),
        },
    )
