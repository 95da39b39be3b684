"""Reads for the public pages: only published data ever leaves here."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from retex.consultations.models import Consultation, DeadlineExtension, Subtopic, Theme
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony


def consultations_for_home() -> QuerySet[Consultation]:
    return Consultation.objects.ordered_for_home().select_related("audience_rule")


def consultation_for_page(*, slug: str) -> Consultation:
    themes = Theme.objects.prefetch_related(
        Prefetch("subtopics", queryset=Subtopic.objects.order_by("position", "pk"))
    ).order_by("position", "pk")
    return (
        Consultation.objects.select_related("audience_rule")
        .prefetch_related(
            Prefetch("themes", queryset=themes),
            Prefetch(
                "deadline_extensions",
                queryset=DeadlineExtension.objects.order_by("created_at", "pk"),
            ),
        )
        .get(slug=slug)
    )


@dataclass(frozen=True)
class ConsultationCounters:
    published: int
    territories: int
    by_theme: dict[int, int]


def consultation_counters(*, consultation: Consultation) -> ConsultationCounters:
    published = Testimony.objects.filter(
        consultation=consultation, status=TestimonyStatus.PUBLISHED
    )
    by_theme = dict(
        published.values("themes")
        .annotate(count=Count("pk", distinct=True))
        .values_list("themes", "count")
    )
    return ConsultationCounters(
        published=published.count(),
        territories=published.values("territory").distinct().count(),
        by_theme=by_theme,
    )


def published_counts_by_consultation(consultation_ids: list[int]) -> dict[int, int]:
    return dict(
        Testimony.objects.filter(
            consultation_id__in=consultation_ids, status=TestimonyStatus.PUBLISHED
        )
        .values("consultation")
        .annotate(count=Count("pk"))
        .values_list("consultation", "count")
    )
