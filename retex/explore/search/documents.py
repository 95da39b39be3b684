"""What the index holds for a published testimony: its text, normalised (the full-text part), and
the values the list filters on (the listing part). Both respect what the public pages show:

- an anonymous testimony shows its collectivity only as a kind, a population band and a
  région: its collectivity's name is not indexed, and its listing row has no territory, no
  département and no population (so that no filter, count or order can tell them);
- a field a moderator kept private (`withheld_fields`: difficulties, lessons, tools) is neither
  indexed nor counted: its words find nothing, its tools match no filter.
"""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from functools import lru_cache

from retex.contributions.enums import TestimonyStatus, WithholdableField
from retex.contributions.models import Testimony
from retex.explore.search.text import normalise
from retex.territories.enums import PopulationBand
from retex.territories.models import Territory

# The original fields searched, in the order snippets look for a match.
BODY_FIELDS = ("initiative", "difficulties", "lessons")

_NO_DATE = datetime(1970, 1, 1, tzinfo=UTC)

# The listing's small integer codes for the kind and the population band (in band order).
KIND_CODES = {"commune": 0, "epci": 1}
OTHER_KIND_CODE = 9
BAND_CODES = {band: index for index, band in enumerate(PopulationBand.values)}
NO_BAND_CODE = 9
# Corsica's départements, the only official codes that are not numbers.
_LETTER_CODES = {"2A": 201, "2B": 202}
_LETTER_NUMBERS = {number: code for code, number in _LETTER_CODES.items()}


def code_number(code: str) -> int:
    """A région or département code as the listing stores it: "32" → 32, "2A" → 201, "" → 0
    (integers group and compare faster than text)."""
    if not code:
        return 0
    return _LETTER_CODES.get(code) or int(code)


@lru_cache(maxsize=1024)
def number_code(number: int) -> str:
    """The official code back: 1 → "01", 974 → "974", 201 → "2A", 0 → ""."""
    if not number:
        return ""
    return _LETTER_NUMBERS.get(number) or str(number).zfill(2)


def place_number(region: int, departement: int, kind: int, band: int | None) -> int:
    """The four place values of a listing row in one integer, grouped on in one column."""
    return ((departement * 100 + region) * 10 + kind) * 10 + (
        NO_BAND_CODE if band is None else band
    )


def place_values(place: int) -> tuple[int, int, int, int | None]:
    """(region, departement, kind, band) of a place number."""
    band = place % 10
    kind = place // 10 % 10
    region = place // 100 % 100
    departement = place // 10_000
    return region, departement, kind, None if band == NO_BAND_CODE else band


def public_body_fields(withheld_fields: Sequence[str]) -> tuple[str, ...]:
    """The body fields a testimony shows publicly (and so indexes and quotes in snippets)."""
    # Only the difficulties and the lessons may be withheld (WithholdableField).
    return tuple(name for name in BODY_FIELDS if name not in withheld_fields)


@dataclass(frozen=True, slots=True)
class SearchDocument:
    """The normalised text of a testimony. `body_parts` are its public texts in order (the
    initiative, difficulties, lessons, tool names, collectivity name); each is a string of
    stems. A phrase never spans two parts."""

    testimony_id: int
    consultation_id: int
    title: str
    body_parts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ListingRow:
    """What the list filters, counts and orders a published testimony by. `theme_ids`,
    `subtopic_ids` and `tool_ids` become bits once the consultation's slots are known."""

    testimony_id: int
    consultation_id: int
    published_at: datetime
    territory_id: int | None
    region: str
    departement: str
    kind: int
    band: int | None
    population: int | None
    theme_ids: tuple[int, ...]
    subtopic_ids: tuple[int, ...]
    tool_ids: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class IndexEntry:
    document: SearchDocument
    listing: ListingRow


# No join to the territory: SQLite, with statistics on territories but none yet on testimonies,
# would then scan the territories and sort the testimonies for every batch.
_COLUMNS = (
    "pk",
    "status",
    "consultation_id",
    "title",
    *BODY_FIELDS,
    "anonymous",
    "withheld_fields",
    "territory_id",
    "published_at",
)


def _links(through, column: str, testimony_ids: Sequence[int], using: str) -> dict[int, list]:
    found: dict[int, list] = defaultdict(list)
    rows = through.objects.using(using).filter(testimony_id__in=testimony_ids)
    for testimony_id, value in rows.order_by(column).values_list("testimony_id", column):
        found[testimony_id].append(value)
    return found


def _entries(rows: Sequence[tuple], using: str) -> list[IndexEntry]:
    rows = [row for row in rows if row[1] == TestimonyStatus.PUBLISHED]
    if not rows:
        return []
    ids = [row[0] for row in rows]
    tools = defaultdict(list)
    links = Testimony.tools.through.objects.using(using).filter(testimony_id__in=ids)
    for testimony_id, tool_id, name in links.order_by("tool__name", "tool_id").values_list(
        "testimony_id", "tool_id", "tool__name"
    ):
        tools[testimony_id].append((tool_id, name))
    themes = _links(Testimony.themes.through, "theme_id", ids, using)
    subtopics = _links(Testimony.subtopics.through, "subtopic_id", ids, using)
    places = Territory.objects.using(using).filter(pk__in={row[-2] for row in rows})
    territories = {
        pk: (name, kind, population, region or "", departement or "")
        for pk, name, kind, population, region, departement in places.values_list(
            "pk", "name", "kind", "population", "region__code", "departement__code"
        )
    }
    entries = []
    for row in rows:
        pk, _status, consultation_id, title, *body, anonymous, withheld, territory_id, at = row
        withheld = withheld or []
        texts = dict(zip(BODY_FIELDS, body, strict=True))
        name, kind, population, region, departement = territories[territory_id]
        parts = [texts[field] for field in public_body_fields(withheld)]
        tools_public = WithholdableField.TOOLS.value not in withheld
        if tools_public:
            parts += [tool_name for _tool_id, tool_name in tools.get(pk, ())]
        # An anonymous testimony must not be found by its collectivity's name.
        if not anonymous:
            parts.append(name)
        band = PopulationBand.for_population(population)
        document = SearchDocument(
            testimony_id=pk,
            consultation_id=consultation_id,
            title=normalise(title),
            body_parts=tuple(filter(None, map(normalise, parts))),
        )
        listing = ListingRow(
            testimony_id=pk,
            consultation_id=consultation_id,
            # A published testimony has its date; a row bulk-written without one goes last.
            published_at=at or _NO_DATE,
            territory_id=None if anonymous else territory_id,
            region=region,
            departement="" if anonymous else departement,
            kind=KIND_CODES.get(kind, OTHER_KIND_CODE),
            band=BAND_CODES[band] if band else None,
            population=None if anonymous else population,
            theme_ids=tuple(themes.get(pk, ())),
            subtopic_ids=tuple(subtopics.get(pk, ())),
            tool_ids=tuple(tool_id for tool_id, _name in tools.get(pk, ())) if tools_public else (),
        )
        entries.append(IndexEntry(document=document, listing=listing))
    return entries


def entries_for(testimony_ids: Sequence[int], *, using: str) -> list[IndexEntry]:
    """The index entries of those testimonies that are published (the others have none)."""
    rows = list(
        Testimony.objects.using(using)
        .filter(pk__in=testimony_ids)
        .order_by()
        .values_list(*_COLUMNS)
    )
    return _entries(rows, using)


def entries_in_batches(*, batch_size: int, using: str) -> Iterator[list[IndexEntry]]:
    """Every published testimony's entry, in batches by increasing id: memory stays flat
    whatever the number of testimonies (keyset pagination, no OFFSET)."""
    # The state is checked in Python, not in SQL: given "status = … AND id > … ORDER BY id",
    # SQLite without statistics walks the whole status index and sorts, for every batch.
    last = 0
    while True:
        rows = list(
            Testimony.objects.using(using)
            .filter(pk__gt=last)
            .order_by("pk")
            .values_list(*_COLUMNS)[:batch_size]
        )
        if not rows:
            return
        last = rows[-1][0]
        entries = _entries(rows, using)
        if entries:
            yield entries
