"""The back office's door: which consultation a staff URL may open, for whom.

Every back office view goes through `staff_view`; per-action checks use `rules`. A staff
member who is not in a consultation's team gets a 404 for it, so they learn nothing about it,
not even that it exists; a moderator who opens an organiser's page gets a 403.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404, HttpRequest, HttpResponse

from retex.consultations.models import Consultation
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.moderation import rules


@dataclass(frozen=True)
class StaffContext:
    """What the back office layout needs to know about the consultation being worked on."""

    consultation: Consultation
    can_organise: bool


def _counted(testimonies: QuerySet[Testimony]) -> Subquery:
    return Subquery(
        testimonies.filter(consultation=OuterRef("pk"))
        .order_by()
        .values("consultation")
        .annotate(count=Count("pk"))
        .values("count")[:1]
    )


def consultations_for_staff(user) -> QuerySet[Consultation]:
    """The consultations a user may moderate, with the size of their moderation queue (new
    testimonies and edits waiting, counted apart: each count reads an index)."""
    consultations = Consultation.objects.all()
    if not user.is_superuser:
        consultations = consultations.filter(memberships__user=user)
    return consultations.annotate(
        queue_size=Coalesce(_counted(Testimony.objects.filter(status=TestimonyStatus.SUBMITTED)), 0)
        + Coalesce(_counted(Testimony.objects.filter(pending_revision_id__gt=0)), 0)
    ).order_by("-opens_at", "pk")


def staff_consultation(user, slug: str, *, organise: bool = False) -> StaffContext:
    try:
        consultation = Consultation.objects.get(slug=slug)
    except Consultation.DoesNotExist as error:
        raise Http404 from error
    if not rules.can_moderate(user, consultation):
        raise Http404
    can_organise = rules.can_organise(user, consultation)
    if organise and not can_organise:
        raise PermissionDenied
    return StaffContext(consultation=consultation, can_organise=can_organise)


def staff_view(*, organise: bool = False) -> Callable:
    """Decorate a back office view taking `(request, staff, ...)` from a URL with `<slug>`.

    Signed-out visitors go to the sign-in page; `request.staff` is set for the layout."""

    def decorator(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
        @wraps(view)
        @login_required
        def wrapped(request: HttpRequest, slug: str, *args, **kwargs) -> HttpResponse:
            staff = staff_consultation(request.user, slug, organise=organise)
            request.staff = staff
            return view(request, staff, *args, **kwargs)

        return wrapped

    return decorator
