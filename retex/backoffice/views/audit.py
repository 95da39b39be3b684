"""The audit log of a consultation, for its organisers: filter it, read it, export it."""

import csv
import json
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from retex.audit.labels import action_label, details_lines, target_label
from retex.audit.models import AuditEvent
from retex.audit.selectors import audit_events, event_actor
from retex.backoffice.forms_audit import AuditFilterForm
from retex.moderation.access import StaffContext, staff_view

PAGE_SIZE = 50
EXPORT_CHUNK_SIZE = 1000
UTF8_BOM = "\ufeff"
# A cell starting with one of these is a formula for spreadsheets: an author's name could
# then run something on the organiser's computer. Such cells get a leading apostrophe.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def _filter_form(request: HttpRequest, staff: StaffContext) -> AuditFilterForm:
    form = AuditFilterForm(request.GET or None, consultation_id=staff.consultation.pk)
    if form.is_bound:
        form.is_valid()
    return form


def _described(event: AuditEvent) -> AuditEvent:
    event.action_label = action_label(event.action)
    event.actor_name = event_actor(event)
    event.target_label = target_label(event.target_type)
    event.detail_lines = details_lines(event.target_type, event.details)
    return event


@staff_view(organise=True)
def audit(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """Every recorded action on the consultation, newest first, 50 a page."""
    form = _filter_form(request, staff)
    events = audit_events(consultation_id=staff.consultation.pk, filters=form.filters())
    page = Paginator(events, PAGE_SIZE).get_page(request.GET.get("page"))
    page.object_list = [_described(event) for event in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "backoffice/audit.html",
        {
            "staff": staff,
            "consultation": staff.consultation,
            "form": form,
            "page": page,
            "page_range": page.paginator.get_elided_page_range(page.number),
            "query": query.urlencode(),
        },
    )


class _Echo:
    """A file-like object that hands back what csv.writer writes, for streaming."""

    def write(self, value: str) -> str:
        return value


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _rows(events) -> Iterator[list[str]]:
    yield [
        _("Date"),
        _("Action"),
        _("Action code"),
        _("Who"),
        _("Kind of object"),
        _("Object number"),
        _("Details"),
    ]
    for event in events.iterator(chunk_size=EXPORT_CHUNK_SIZE):
        yield [
            timezone.localtime(event.created_at).isoformat(timespec="seconds"),
            action_label(event.action),
            event.action,
            event_actor(event),
            target_label(event.target_type),
            event.target_id,
            json.dumps(event.details, ensure_ascii=False, sort_keys=True),
        ]


@staff_view(organise=True)
def audit_export(request: HttpRequest, staff: StaffContext) -> StreamingHttpResponse:
    """The filtered log as CSV (UTF-8 with a byte order mark, for Excel), streamed row by row
    so that a long log never sits in memory."""
    form = _filter_form(request, staff)
    events = audit_events(consultation_id=staff.consultation.pk, filters=form.filters())
    writer = csv.writer(_Echo())
    language = translation.get_language()

    def content() -> Iterator[str]:
        # Rows are written while the response is sent, after the view has returned.
        with translation.override(language):
            yield UTF8_BOM
            for row in _rows(events):
                yield writer.writerow([_cell(value) for value in row])

    filename = f"journal-{staff.consultation.slug}-{timezone.localdate():%Y-%m-%d}.csv"
    response = StreamingHttpResponse(content(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
