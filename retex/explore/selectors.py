"""Reads for the public pages: only published data ever leaves here."""

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.core.paginator import Page, Paginator
from django.db import DEFAULT_DB_ALIAS, models
from django.db.models import Case, Count, F, Prefetch, Q, QuerySet, Value, When
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from retex.consultations.models import Consultation, DeadlineExtension, Subtopic, Theme
from retex.contributions.enums import TestimonyStatus, WithholdableField
from retex.contributions.models import Attachment, Testimony, Tool
from retex.core.text import fold
from retex.explore import search
from retex.explore.search import ParsedQuery, parse_query
from retex.explore.search.slots import Slots
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
    "withheld_fields",
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


class TestimonySort(models.TextChoices):
    """The orders of the list. Relevance needs a search; without one the list is by date."""

    DATE = "date", _("Newest first")
    RELEVANCE = "relevance", _("Most relevant first")
    POPULATION = "population", _("Largest local authorities first")


# How much of a query string is read: enough for any real use, bounded for the rest.
MAX_QUERY_LENGTH = 200
MAX_TOOLS = 10
_REGION_CODE = re.compile(r"\d{2}")
_DEPARTEMENT_CODE = re.compile(r"\d{2,3}|2[AB]")
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,80}")


def _positive_int(value: str | None) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and 0 < len(value) <= 18 else None


def _code(value: str | None, pattern: re.Pattern) -> str:
    value = (value or "").strip().upper()
    return value if pattern.fullmatch(value) else ""


@dataclass(frozen=True)
class TestimonyFilters:
    """What a visitor chose on the list: the one description of a filter state, shared by the
    page, the map's links, the API and the files. Every field empty means "all".

    Query parameters (`from_params` / `to_params`): `theme` and `subtopic` (ids), `region` and
    `departement` (official codes), `kind` (commune | epci), `band` (a PopulationBand),
    `tool` (a Tool slug, repeatable: the testimonies name every tool given), `territory` (a
    Territory id: one collectivity), `q` (words to search for), `sort` (date | relevance |
    population; see `resolved_sort`). The page number is the view's business.

    Anonymous testimonies never match a `departement` or `territory` filter (they show only
    their région and population band), and testimonies whose tools were kept private never
    match a `tool` filter: a filter must not reveal what the page hides.
    """

    theme: int | None = None
    subtopic: int | None = None
    region: str = ""
    departement: str = ""
    kind: str = ""
    band: str = ""
    tools: tuple[str, ...] = ()
    territory: int | None = None
    q: str = ""
    sort: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, Any]) -> "TestimonyFilters":
        """Read a query string (a QueryDict, or any mapping of names to strings). Malformed or
        unknown values are dropped, never an error: a shared link always opens."""
        get_list = getattr(params, "getlist", None)
        tools = get_list("tool") if get_list else [params.get("tool") or ""]
        kind = (params.get("kind") or "").strip()
        band = (params.get("band") or "").strip()
        sort = (params.get("sort") or "").strip()
        return cls(
            theme=_positive_int(params.get("theme")),
            subtopic=_positive_int(params.get("subtopic")),
            region=_code(params.get("region"), _REGION_CODE),
            departement=_code(params.get("departement"), _DEPARTEMENT_CODE),
            kind=kind if kind in LIST_KINDS else "",
            band=band if band in PopulationBand.values else "",
            tools=tuple(
                dict.fromkeys(
                    slug.strip().lower() for slug in tools if _SLUG.fullmatch(slug.strip())
                )
            )[:MAX_TOOLS],
            territory=_positive_int(params.get("territory")),
            q=" ".join((params.get("q") or "").split())[:MAX_QUERY_LENGTH],
            sort=sort if sort in TestimonySort.values else "",
        )

    def to_params(self) -> QueryDict:
        """The query string of this state (`.urlencode()`), in a fixed order, empty fields left
        out: the same state always gives the same address."""
        params = QueryDict(mutable=True)
        for name, value in (
            ("q", self.q),
            ("theme", self.theme),
            ("subtopic", self.subtopic),
            ("region", self.region),
            ("departement", self.departement),
            ("kind", self.kind),
            ("band", self.band),
            ("territory", self.territory),
        ):
            if value:
                params[name] = str(value)
        if self.tools:
            params.setlist("tool", list(self.tools))
        if self.sort:
            params["sort"] = self.sort
        return params

    def replace(self, **changes: Any) -> "TestimonyFilters":
        return dataclasses.replace(self, **changes)

    @property
    def filtered(self) -> bool:
        """Whether any filter (not the search, not the order) narrows the list."""
        return any(
            (
                self.theme,
                self.subtopic,
                self.region,
                self.departement,
                self.kind,
                self.band,
                self.tools,
                self.territory,
            )
        )

    @property
    def resolved_sort(self) -> str:
        """The order in force: the one asked for; by default relevance when searching and
        date otherwise; relevance without a search is by date."""
        if self.sort == TestimonySort.POPULATION:
            return TestimonySort.POPULATION
        if self.q and self.sort in ("", TestimonySort.RELEVANCE):
            return TestimonySort.RELEVANCE
        return TestimonySort.DATE


def _public_testimonies() -> QuerySet[Testimony]:
    return (
        Testimony.objects.published()
        .select_related("territory__departement", "territory__region")
        .only(*_LIST_FIELDS)
    )


def band_bounds(band: str) -> tuple[int, int | None]:
    """The population range of a band: lower bound included, upper excluded (None: no bound)."""
    lower = 0
    for value, upper in BAND_UPPER_BOUNDS:
        if value == band:
            return lower, upper
        lower = upper
    return lower, None


def tools_withheld() -> Q:
    """Testimonies whose list of tools a moderator kept private (on SQLite and PostgreSQL alike:
    the JSON list is matched as text, its values being fixed words)."""
    return Q(withheld_fields__icontains=f'"{WithholdableField.TOOLS.value}"')


def testimonies_filtered(
    *, consultation: Consultation, filters: TestimonyFilters
) -> QuerySet[Testimony]:
    """The published testimonies of a consultation matching the filters (not the search), with
    their collectivity and themes; newest first, or largest collectivity first when
    `filters.resolved_sort` says so (anonymous ones, whose population is not shown, last).

    The rows are read from the testimonies themselves (always exact): what the API and the
    files use. The list page reads the same selection from the listing index
    (`retex.explore.search.listing_page`), which answers in a few milliseconds with the counts
    per filter value; tests keep both in agreement."""
    testimonies = _public_testimonies().filter(consultation=consultation)
    if filters.theme:
        testimonies = testimonies.filter(themes=filters.theme)
    if filters.subtopic:
        testimonies = testimonies.filter(subtopics=filters.subtopic)
    if filters.region:
        testimonies = testimonies.filter(territory__region__code=filters.region)
    if filters.departement:
        testimonies = testimonies.filter(
            anonymous=False, territory__departement__code=filters.departement
        )
    if filters.territory:
        testimonies = testimonies.filter(anonymous=False, territory_id=filters.territory)
    if filters.kind in LIST_KINDS:
        testimonies = testimonies.filter(territory__kind=filters.kind)
    if filters.band in PopulationBand.values:
        lower, upper = band_bounds(filters.band)
        testimonies = testimonies.filter(territory__population__gte=lower)
        if upper is not None:
            testimonies = testimonies.filter(territory__population__lt=upper)
    for slug in filters.tools:
        testimonies = testimonies.filter(
            pk__in=Testimony.tools.through.objects.filter(tool__slug=slug).values("testimony_id")
        )
    if filters.tools:
        testimonies = testimonies.exclude(tools_withheld())
    testimonies = testimonies.prefetch_related(
        Prefetch("themes", queryset=Theme.objects.only("id", "title", "position"))
    )
    if filters.resolved_sort == TestimonySort.POPULATION:
        shown_population = Case(
            When(anonymous=True, then=Value(None)), default=F("territory__population")
        )
        return testimonies.order_by(shown_population.desc(nulls_last=True), "-published_at", "-pk")
    return testimonies.order_by("-published_at", "-pk")


@dataclass(frozen=True)
class FilterOption:
    """One value of a filter as the list offers it: `count` testimonies would be listed with
    it chosen (None when the counts are not given)."""

    value: str
    label: str
    count: int | None
    selected: bool


@dataclass(frozen=True)
class ThemeOption(FilterOption):
    subtopics: tuple[FilterOption, ...] = ()


@dataclass(frozen=True)
class TestimonyListPage:
    """Everything the list page shows for a filter state."""

    filters: TestimonyFilters
    sort: str
    testimonies: list[Testimony]
    page: Page
    count: int
    count_exact: bool
    # False for a search with more matches than the search reads (see search.listing).
    counts_shown: bool
    themes: list[ThemeOption]
    regions: list[FilterOption]
    departements: list[FilterOption]
    kinds: list[FilterOption]
    bands: list[FilterOption]
    tools: list[FilterOption]
    territory: Territory | None
    query: ParsedQuery | None


def _option(value: Any, label: str, counts: dict | None, chosen: Any) -> FilterOption:
    return FilterOption(
        value=str(value),
        label=label,
        count=None if counts is None else counts.get(value, 0),
        selected=value == chosen,
    )


def _kept(options: list[FilterOption]) -> list[FilterOption]:
    """Values that list something, and the chosen one whatever its count."""
    return [option for option in options if option.selected or option.count != 0]


def listing_query(
    *, consultation: Consultation, filters: TestimonyFilters
) -> tuple[search.ListingQuery, Slots, list[search.SlottedTool]]:
    """The filters (search included) in the listing's terms, with the consultation's slots and
    tools: what the list page and the API's search read the listing with."""
    query = parse_query(filters.q) if filters.q else None
    slots, tools = search.slots_and_tools(consultation.pk, using=DEFAULT_DB_ALIAS)
    tool_ids = {tool.slug: tool.id for tool in tools}
    if any(slug not in tool_ids for slug in filters.tools):
        # A tool none of the published testimonies names, or one past the 63 bits.
        for tool in Tool.objects.filter(slug__in=filters.tools).only("id", "name", "slug"):
            tool_ids[tool.slug] = tool.pk
            tools.append(search.SlottedTool(id=tool.pk, slug=tool.slug, name=tool.name))
    listing = search.ListingQuery(
        consultation_id=consultation.pk,
        theme_id=filters.theme,
        subtopic_id=filters.subtopic,
        region=filters.region,
        departement=filters.departement,
        territory_id=filters.territory,
        kind=filters.kind,
        band=filters.band,
        tool_ids=tuple(tool_ids[slug] for slug in filters.tools if slug in tool_ids),
        # Only stop words ("de la"), or a tool that does not exist: nothing matches.
        nothing=bool(filters.q and not query)
        or any(slug not in tool_ids for slug in filters.tools),
        text=query or None,
        sort=filters.resolved_sort,
    )
    return listing, slots, tools


def testimony_list_page(
    *, consultation: Consultation, filters: TestimonyFilters, page_number: int, page_size: int
) -> TestimonyListPage:
    """A page of the consultation's published testimonies under `filters` (search included),
    with the counts per filter value, read from the listing index (see
    `retex.explore.search.listing`): a few milliseconds whatever the number of testimonies.
    Anonymous testimonies and private tools follow the rules of `TestimonyFilters`."""
    listing, slots, tools = listing_query(consultation=consultation, filters=filters)
    query = listing.text
    result, number = search.listing_page(
        listing, page_number=page_number, page_size=page_size, slots=slots
    )
    page = Paginator(range(result.count), page_size).page(number)
    testimonies = search.listing_testimonies(
        result.testimony_ids,
        _public_testimonies().prefetch_related(
            Prefetch("themes", queryset=Theme.objects.only("id", "title", "position"))
        ),
    )
    counts = result.counts
    if counts is None:  # a broad search: every région and département is offered
        offered = Q(kind__in=[TerritoryKind.REGION, TerritoryKind.DEPARTEMENT])
    else:
        offered = Q(
            kind=TerritoryKind.REGION, code__in={filters.region, *counts.regions} - {""}
        ) | Q(
            kind=TerritoryKind.DEPARTEMENT,
            code__in={filters.departement, *counts.departements} - {""},
        )
    places = Territory.objects.filter(offered | Q(pk=filters.territory or 0))
    names: dict[tuple[str, str], str] = {}
    territory = None
    for pk, kind, code, name in places.values_list("pk", "kind", "code", "name"):
        if pk == filters.territory:
            territory = Territory(pk=pk, kind=kind, code=code, name=name)
        names[(kind, code)] = name
    region_options = [
        _option(code, name, counts and counts.regions, filters.region)
        for (kind, code), name in names.items()
        if kind == TerritoryKind.REGION
    ]
    departement_options = [
        _option(code, f"{code} – {name}", counts and counts.departements, filters.departement)
        for (kind, code), name in names.items()
        if kind == TerritoryKind.DEPARTEMENT
    ]
    themes = []
    for theme in consultation.themes.prefetch_related(
        Prefetch("subtopics", queryset=Subtopic.objects.order_by("position", "pk"))
    ).order_by("position", "pk"):
        option = _option(theme.pk, theme.title, counts and counts.themes, filters.theme)
        subtopics = tuple(
            _option(sub.pk, sub.title, counts and counts.subtopics, filters.subtopic)
            for sub in theme.subtopics.all()
        )
        themes.append(ThemeOption(**dataclasses.asdict(option), subtopics=subtopics))
    return TestimonyListPage(
        filters=filters,
        sort=filters.resolved_sort,
        testimonies=testimonies,
        page=page,
        count=result.count,
        count_exact=result.exact,
        counts_shown=counts is not None,
        themes=themes,
        regions=_kept(sorted(region_options, key=lambda option: fold(option.label))),
        departements=_kept(sorted(departement_options, key=lambda option: option.value)),
        kinds=[
            _option(kind.value, kind.label, counts and counts.kinds, filters.kind)
            for kind in LIST_KINDS
        ],
        bands=[
            _option(value, label, counts and counts.bands, filters.band)
            for value, label in PopulationBand.choices
        ],
        tools=_kept(
            [
                FilterOption(
                    value=tool.slug,
                    label=tool.name,
                    count=None if counts is None else counts.tools.get(tool.id, 0),
                    selected=tool.slug in filters.tools,
                )
                for tool in sorted(tools, key=lambda tool: fold(tool.name))
            ]
        ),
        territory=territory,
        query=query,
    )


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
    """One published testimony with what its public page shows; DoesNotExist otherwise.

    Its fields may be kept private (`withheld_fields`): the page checks `shows_publicly`.
    `updated_at` keys the cache of its similar testimonies; the consultation comes with its
    deadline extensions (the public history of its schedule)."""
    return (
        Testimony.objects.published()
        .select_related("consultation", "territory__departement", "territory__region")
        .only(
            *_PAGE_FIELDS,
            "withheld_fields",
            "updated_at",
            "consultation__slug",
            "consultation__title",
        )
        .prefetch_related(
            Prefetch("themes", queryset=Theme.objects.order_by("position", "pk")),
            Prefetch("subtopics", queryset=Subtopic.objects.order_by("position", "pk")),
            Prefetch("tools", queryset=Tool.objects.order_by("name")),
            Prefetch(
                "consultation__deadline_extensions",
                queryset=DeadlineExtension.objects.only(
                    "id",
                    "consultation_id",
                    "previous_closes_at",
                    "new_closes_at",
                    "reason",
                    "created_at",
                ).order_by("created_at", "pk"),
            ),
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
