"""Reads for the moderation pages. Staff see private fields; these never feed public pages."""

from django.db.models import Q, QuerySet

from retex.consultations.models import Consultation
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony


def queue_testimonies(*, consultation: Consultation) -> QuerySet[Testimony]:
    """What waits for a moderator: new testimonies and edits of published ones, oldest first."""
    return (
        Testimony.objects.filter(consultation=consultation)
        .filter(Q(status=TestimonyStatus.SUBMITTED) | Q(pending_revision__isnull=False))
        .select_related("territory")
        .order_by("submitted_at", "pk")
    )
