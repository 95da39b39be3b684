"""The moderation queue: what waits for a decision, oldest first, with filters."""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from retex.moderation import duplicates, selectors, services
from retex.moderation.access import StaffContext, staff_view
from retex.moderation.forms import BulkPublishForm, QueueFilterForm, filters_query

QUEUE_PAGE_SIZE = 50


@staff_view()
def queue(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """Testimonies waiting for a decision, oldest first: whoever waited longest comes first."""
    consultation = staff.consultation
    themes = selectors.themes_of(consultation)
    form = QueueFilterForm(request.GET, themes=themes)
    filters = form.filters()
    # Newcomers are compared with their collectivity's other testimonies (many: by the worker).
    unscanned = duplicates.duplicates_refresh_for_queue(consultation=consultation)
    result = selectors.queue_testimonies(consultation=consultation, filters=filters)
    # The page is chosen on the ids alone, then only its rows are read in full.
    ids = result.testimonies.values_list("pk", flat=True)
    if filters.q:  # a search: read its matches once, not once to count and once for the page
        ids = list(ids)
    paginator = Paginator(ids, QUEUE_PAGE_SIZE)
    if not filters.q:  # counted without the order's joins
        paginator.count = result.count()
    page = paginator.get_page(request.GET.get("page"))
    rows = selectors.queue_rows(list(page.object_list), state=filters.state)
    query = filters_query(filters)
    return render(
        request,
        "moderation/queue.html",
        {
            "staff": staff,
            "form": form,
            "filters": filters,
            "page": page,
            "rows": rows,
            "result": result,
            "filter_query": query,
            "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2),
            "unscanned": unscanned,
            "can_bulk_publish": filters.state in ("waiting", "submitted", "unpublished"),
            "waiting_view": filters.state in ("waiting", "submitted", "edit"),
        },
    )


@require_POST
@staff_view()
def bulk_publish(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """Publish the ticked testimonies, each on its own; say which were and which were not."""
    back = reverse("moderation:queue", args=[staff.consultation.slug])
    themes = selectors.themes_of(staff.consultation)
    query = filters_query(QueueFilterForm(request.GET, themes=themes).filters())
    back = f"{back}?{query}" if query else back
    form = BulkPublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, form.errors["selected"][0])
        return redirect(back)
    outcomes = services.testimonies_publish_many(
        consultation=staff.consultation,
        testimony_ids=form.cleaned_data["selected"],
        moderator=request.user,
    )
    published = [outcome for outcome in outcomes if outcome.published]
    if published:
        titles = ", ".join(f"« {outcome.title} »" for outcome in published)
        messages.success(
            request,
            ngettext(
                "%(count)d testimony published: %(titles)s.",
                "%(count)d testimonies published: %(titles)s.",
                len(published),
            )
            % {"count": len(published), "titles": titles},
        )
    for outcome in outcomes:
        if not outcome.published:
            messages.error(
                request,
                _("No. %(number)s %(title)s was not published: %(reason)s")
                % {
                    "number": outcome.testimony_id,
                    "title": f"« {outcome.title} »" if outcome.title else "",
                    "reason": outcome.message,
                },
            )
    return redirect(back)
