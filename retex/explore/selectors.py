"""Reads for the public pages: only published data ever leaves here."""

from dataclasses import dataclass

from django.db.models import Count, Prefetch, QuerySet

from retex.consultations.models import Consultation, DeadlineExtension, Subtopic, Theme
from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Attachment, Testimony, Tool
from retex.territories.enums import BAND_UPPER_BOUNDS, PopulationBand, TerritoryKind
from retex.territories.models import Territory


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


# The fields a public testimony page may show; author_* and link_key are never read.
_TERRITORY_FIELDS = (
    "territory__name",
    "territory__kind",
    "territory__population",
    "territory__departement__name",
    "territory__departement__code",
    "territory__region__name",
    "territory__region__code",
)
_LIST_FIELDS = (
    "id",
    "consultation_id",
    "territory_id",
    "title",
    "initiative",
    "difficulties",
    "lessons",
    "anonymous",
    "published_at",
    *_TERRITORY_FIELDS,
)
_PAGE_FIELDS = (
    *_LIST_FIELDS,
    "partners",
    "cost_and_team",
    "started_on",
    "ended_on",
    "links",
)
LIST_KINDS = (TerritoryKind.COMMUNE, TerritoryKind.EPCI)


@dataclass(frozen=True)
class TestimonyFilters:
    """What a visitor chose on the list; every field empty means "all"."""

    theme: int | None = None
    subtopic: int | None = None
    region: str = ""
    kind: str = ""
    band: str = ""
    q: str = ""


def _public_testimonies() -> QuerySet[Testimony]:
    return (
        Testimony.objects.published()
        .select_related("territory__departement", "territory__region")
        .only(*_LIST_FIELDS)
    )


def _band_bounds(band: str) -> tuple[int, int | None]:
    lower = 0
    for value, upper in BAND_UPPER_BOUNDS:
        if value == band:
            return lower, upper
        lower = upper
    return lower, None


def testimonies_filtered(
    *, consultation: Consultation, filters: TestimonyFilters
) -> QuerySet[Testimony]:
    """The published testimonies of a consultation matching the filters (not the search),
    newest first, with their collectivity and themes."""
    testimonies = _public_testimonies().filter(consultation=consultation)
    if filters.theme:
        testimonies = testimonies.filter(themes=filters.theme)
    if filters.subtopic:
        testimonies = testimonies.filter(subtopics=filters.subtopic)
    if filters.region:
        testimonies = testimonies.filter(territory__region__code=filters.region)
    if filters.kind in LIST_KINDS:
        testimonies = testimonies.filter(territory__kind=filters.kind)
    if filters.band in PopulationBand.values:
        lower, upper = _band_bounds(filters.band)
        testimonies = testimonies.filter(territory__population__gte=lower)
        if upper is not None:
            testimonies = testimonies.filter(territory__population__lt=upper)
    return testimonies.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("id", "title", "position"))
    ).order_by("-published_at", "-pk")


def regions_with_testimonies(*, consultation: Consultation) -> QuerySet[Territory]:
    """The régions of the collectivities that published in this consultation (filter options)."""
    return (
        Territory.objects.filter(
            kind=TerritoryKind.REGION,
            pk__in=Testimony.objects.published()
            .filter(consultation=consultation)
            .values("territory__region"),
        )
        .only("id", "code", "name")
        .order_by("name")
    )


def published_testimony(*, pk: int) -> Testimony:
    """One published testimony with what its public page shows; DoesNotExist otherwise."""
    return (
        Testimony.objects.published()
        .select_related("consultation", "territory__departement", "territory__region")
        .only(*_PAGE_FIELDS, "consultation__slug", "consultation__title")
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "pk")),
            Prefetch("subtopics", queryset=Subtopic.objects.order_by("position", "pk")),
            Prefetch("tools", queryset=Tool.objects.order_by("name")),
            Prefetch(
                "attachments",
                queryset=Attachment.objects.filter(awaiting_moderation=False).order_by(
                    "created_at", "pk"
                ),
            ),
        )
        .get(pk=pk)
    )


def published_counts_by_theme(*, consultation: Consultation) -> dict[int, int]:
    """Published testimonies per theme of a consultation, in one grouped query."""
    return dict(
        Testimony.objects.published()
        .filter(consultation=consultation)
        .values("themes")
        .annotate(count=Count("pk", distinct=True))
        .values_list("themes", "count")
    )
