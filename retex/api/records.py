"""What of a published testimony may leave Retex through the API and the open-data files.

The one place that applies the privacy rules to those outputs (the web pages apply the same
ones in their templates):

- only published testimonies, and only the columns listed in `RECORD_COLUMNS`: they are read
  as plain values (no model instance, so nothing else can be reached by mistake): never
  `author_*`, `link_key`, moderation decisions, revisions or the audit log;
- an anonymous testimony names no collectivity: its territory is reduced to its kind, its
  population band and its région (no id, code, name, population, département);
- a field the moderator withheld (`Testimony.withheld_fields`, see `Testimony.shows_publicly`)
  comes out empty, exactly as if the author had left it blank: the outputs do not even tell
  that something was withheld.

Records are built in batches: one query for the testimonies' columns, then one per relation
(themes, sub-topics, tools, attachments) for the whole batch. A 100,000-row export thus makes
a few hundred queries and no model instance, in constant memory.
"""

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.conf import settings
from django.core.files.storage import default_storage
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.urls import reverse
from django.utils import translation

from retex.consultations.models import Consultation
from retex.contributions.enums import TestimonyStatus, WithholdableField
from retex.contributions.models import Attachment, Testimony
from retex.territories.enums import PopulationBand

# A function that turns a site path into a full address ("https://retex.example/…").
Absolute = Callable[[str], str]

# Every column of a testimony an output reads.
RECORD_COLUMNS = (
    "id",
    "status",
    "consultation_id",
    "title",
    "initiative",
    "difficulties",
    "lessons",
    "partners",
    "cost_and_team",
    "started_on",
    "ended_on",
    "links",
    "anonymous",
    "withheld_fields",
    "published_at",
    "territory_id",
    "territory__kind",
    "territory__code",
    "territory__name",
    "territory__population",
    "territory__departement__code",
    "territory__departement__name",
    "territory__region__code",
    "territory__region__name",
)
# Testimonies read per query (and their themes, tools… per query).
BATCH_SIZE = 500


@dataclass(frozen=True, slots=True)
class PublicPlace:
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class PublicTerritory:
    kind: str
    population_band: str | None
    region: PublicPlace | None
    # None for an anonymous testimony:
    id: int | None = None
    code: str | None = None
    name: str | None = None
    population: int | None = None
    departement: PublicPlace | None = None


@dataclass(frozen=True, slots=True)
class PublicLabel:
    id: int
    title: str


@dataclass(frozen=True, slots=True)
class PublicAttachment:
    kind: str
    url: str
    thumbnail_url: str | None
    size: int
    width: int | None
    height: int | None


@dataclass(frozen=True, slots=True)
class PublicTestimony:
    id: int
    url: str
    consultation: str
    title: str
    published_at: datetime | None
    anonymous: bool
    territory: PublicTerritory
    themes: list[PublicLabel]
    subtopics: list[PublicLabel]
    initiative: str
    difficulties: str
    lessons: str
    tools: list[str]
    partners: str
    cost_and_team: str
    started_on: date | None
    ended_on: date | None
    links: list[str]
    attachments: list[PublicAttachment]


def web_links(links: object) -> list[str]:
    """Only web addresses are published as links (never javascript: or data:), as on the page."""
    if not isinstance(links, list):
        return []
    return [
        link for link in links if isinstance(link, str) and link.startswith(("https://", "http://"))
    ]


def site_url(request: HttpRequest, viewname: str, *args) -> str:
    """A page's full address in the site's main language: data outlives a visit, and its
    links must not depend on the language of whoever downloaded it."""
    with translation.override(settings.LANGUAGE_CODE):
        return request.build_absolute_uri(reverse(viewname, args=args))


class TestimonyAddresses:
    """Permalinks of testimonies' web pages, in the site's main language (stable addresses for
    data that outlives a visit). Reversed once: an export makes 100,000 of them."""

    SENTINEL = 987654321

    def __init__(self, absolute: Absolute) -> None:
        with translation.override(settings.LANGUAGE_CODE):
            path = reverse("explore:testimony", kwargs={"pk": self.SENTINEL})
        self._before, self._after = absolute(path).split(str(self.SENTINEL))

    def __call__(self, testimony_id: int) -> str:
        return f"{self._before}{testimony_id}{self._after}"


def _place(code: str | None, name: str | None) -> PublicPlace | None:
    return PublicPlace(code=code, name=name) if code is not None else None


def _territory(row, *, anonymous: bool) -> PublicTerritory:
    band = PopulationBand.for_population(row.territory__population)
    common = {
        "kind": row.territory__kind,
        "population_band": band.value if band else None,
        "region": _place(row.territory__region__code, row.territory__region__name),
    }
    if anonymous:
        return PublicTerritory(**common)
    return PublicTerritory(
        **common,
        id=row.territory_id,
        code=row.territory__code,
        name=row.territory__name,
        population=row.territory__population,
        departement=_place(row.territory__departement__code, row.territory__departement__name),
    )


def _grouped(pairs: Iterable[tuple]) -> dict[int, list]:
    grouped: dict[int, list] = defaultdict(list)
    for testimony_id, *value in pairs:
        grouped[testimony_id].append(value[0] if len(value) == 1 else value)
    return grouped


class _Batch:
    """The relations of a batch of testimonies, one query each."""

    def __init__(self, rows: list, absolute: Absolute) -> None:
        ids = [row.id for row in rows]
        # Not joined to the testimonies' query: SQLite would then sort the whole selection.
        self.consultation_slugs = dict(
            Consultation.objects.filter(pk__in={row.consultation_id for row in rows}).values_list(
                "pk", "slug"
            )
        )
        through = Testimony.themes.through.objects.filter(testimony_id__in=ids)
        self.themes = _grouped(
            (t, PublicLabel(pk, title))
            for t, pk, title in through.order_by("theme__position", "theme_id").values_list(
                "testimony_id", "theme_id", "theme__title"
            )
        )
        through = Testimony.subtopics.through.objects.filter(testimony_id__in=ids)
        self.subtopics = _grouped(
            (t, PublicLabel(pk, title))
            for t, pk, title in through.order_by(
                "subtopic__theme__position", "subtopic__position", "subtopic_id"
            ).values_list("testimony_id", "subtopic_id", "subtopic__title")
        )
        through = Testimony.tools.through.objects.filter(testimony_id__in=ids)
        self.tools = _grouped(
            through.order_by("tool__name", "tool_id").values_list("testimony_id", "tool__name")
        )
        files = (
            Attachment.objects.filter(testimony_id__in=ids, awaiting_moderation=False)
            .order_by("created_at", "pk")
            .values_list("testimony_id", "kind", "file", "thumbnail", "size", "width", "height")
        )
        self.attachments = _grouped(
            (
                testimony_id,
                PublicAttachment(
                    kind=kind,
                    url=absolute(default_storage.url(file)),
                    thumbnail_url=absolute(default_storage.url(thumbnail)) if thumbnail else None,
                    size=size,
                    width=width,
                    height=height,
                ),
            )
            for testimony_id, kind, file, thumbnail, size, width, height in files
        )


def _record(row, batch: _Batch, addresses: TestimonyAddresses) -> PublicTestimony:
    withheld = set(row.withheld_fields or ())

    def shows(field: WithholdableField) -> bool:  # as Testimony.shows_publicly
        return field.value not in withheld

    dates_shown = shows(WithholdableField.DATES)
    return PublicTestimony(
        id=row.id,
        url=addresses(row.id),
        consultation=batch.consultation_slugs[row.consultation_id],
        title=row.title,
        published_at=row.published_at,
        anonymous=row.anonymous,
        territory=_territory(row, anonymous=row.anonymous),
        themes=batch.themes.get(row.id, []),
        subtopics=batch.subtopics.get(row.id, []),
        initiative=row.initiative,
        difficulties=row.difficulties if shows(WithholdableField.DIFFICULTIES) else "",
        lessons=row.lessons if shows(WithholdableField.LESSONS) else "",
        tools=batch.tools.get(row.id, []) if shows(WithholdableField.TOOLS) else [],
        partners=row.partners if shows(WithholdableField.PARTNERS) else "",
        cost_and_team=row.cost_and_team if shows(WithholdableField.COST_AND_TEAM) else "",
        started_on=row.started_on if dates_shown else None,
        ended_on=row.ended_on if dates_shown else None,
        links=web_links(row.links) if shows(WithholdableField.LINKS) else [],
        attachments=batch.attachments.get(row.id, [])
        if shows(WithholdableField.ATTACHMENTS)
        else [],
    )


def _rows_in_batches(testimonies: QuerySet[Testimony], batch_size: int) -> Iterator[list]:
    """The testimonies' columns, newest first (publication date, then id), `batch_size` rows
    per query. Each query starts where the previous one stopped (keyset pagination), so none
    sorts the whole selection nor holds a cursor open while the file is sent: on PostgreSQL,
    sorting 100,000 rows with their texts took seconds before the first row came."""
    rows = testimonies.prefetch_related(None).values_list(*RECORD_COLUMNS, named=True)
    dated = rows.filter(published_at__isnull=False).order_by("-published_at", "-id")
    last = None
    while True:
        page = dated
        if last is not None:
            # `published_at <= …` bounds the index scan; the rest breaks the ties.
            page = dated.filter(
                Q(published_at__lte=last.published_at),
                Q(published_at__lt=last.published_at) | Q(id__lt=last.id),
            )
        batch = list(page[:batch_size])
        if not batch:
            break
        yield batch
        last = batch[-1]
    # A published testimony always has its date; should one lack it, it still comes, last.
    undated = rows.filter(published_at__isnull=True).order_by("-id")
    while batch := list(undated[:batch_size]):
        yield batch
        undated = undated.filter(id__lt=batch[-1].id)


def public_records(
    testimonies: QuerySet[Testimony], *, absolute: Absolute, batch_size: int = BATCH_SIZE
) -> Iterator[PublicTestimony]:
    """The public records of these testimonies, newest first (publication date, then id),
    read batch by batch.

    Whatever the queryset, a testimony that is not published is skipped: a caller's mistake
    cannot publish it."""
    addresses = TestimonyAddresses(absolute)
    for read in _rows_in_batches(testimonies, batch_size):
        batch = [row for row in read if row.status == TestimonyStatus.PUBLISHED]
        relations = _Batch(batch, absolute)
        for row in batch:
            yield _record(row, relations, addresses)
