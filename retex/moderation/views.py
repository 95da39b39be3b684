"""Back office pages for moderators (the queue and the review page come with their views)."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from retex.moderation import selectors
from retex.moderation.access import StaffContext, consultations_for_staff, staff_view


@login_required
def staff_home(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "staff/home.html",
        {"consultations": list(consultations_for_staff(request.user))},
    )


QUEUE_PAGE_SIZE = 50


@staff_view()
def queue(request: HttpRequest, staff: StaffContext) -> HttpResponse:
    """Testimonies waiting for a decision, oldest first: whoever waited longest comes first."""
    waiting = selectors.queue_testimonies(consultation=staff.consultation)
    page = Paginator(waiting, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "moderation/queue.html", {"staff": staff, "page": page})
