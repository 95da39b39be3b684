"""What the index holds for a testimony: its normalised title, and the rest in one body."""

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.explore.search.text import normalise
from retex.territories.models import Territory

# The original fields searched, in the order snippets look for a match.
BODY_FIELDS = ("initiative", "difficulties", "lessons")


@dataclass(frozen=True, slots=True)
class SearchDocument:
    testimony_id: int
    title: str
    body: str


def _documents(rows: Sequence[tuple], using: str) -> list[SearchDocument]:
    rows = [row for row in rows if row[1] == TestimonyStatus.PUBLISHED]
    if not rows:
        return []
    tool_names = _tool_names([row[0] for row in rows], using)
    territory_names = dict(
        Territory.objects.using(using)
        .filter(pk__in={row[-1] for row in rows})
        .values_list("pk", "name")
    )
    documents = []
    for pk, _status, title, initiative, difficulties, lessons, anonymous, territory_id in rows:
        parts = [initiative, difficulties, lessons, *tool_names.get(pk, ())]
        # An anonymous testimony shows its collectivity only as a population band and a
        # région: its name must not find it either.
        if not anonymous:
            parts.append(territory_names[territory_id])
        documents.append(
            SearchDocument(
                testimony_id=pk, title=normalise(title), body=normalise("\n".join(parts))
            )
        )
    return documents


# No join to the territory: SQLite, with statistics on territories but none yet on testimonies,
# would then scan the territories and sort the testimonies for every batch.
_COLUMNS = ("pk", "status", "title", *BODY_FIELDS, "anonymous", "territory_id")


def _tool_names(testimony_ids: Sequence[int], using: str) -> dict[int, list[str]]:
    names: dict[int, list[str]] = defaultdict(list)
    links = Testimony.tools.through.objects.using(using).filter(testimony_id__in=testimony_ids)
    for testimony_id, name in links.values_list("testimony_id", "tool__name"):
        names[testimony_id].append(name)
    return names


def documents_for(testimony_ids: Sequence[int], *, using: str) -> list[SearchDocument]:
    """The documents of those testimonies that are published (the others have none)."""
    rows = list(
        Testimony.objects.using(using)
        .filter(pk__in=testimony_ids)
        .order_by()
        .values_list(*_COLUMNS)
    )
    return _documents(rows, using)


def documents_in_batches(*, batch_size: int, using: str) -> Iterator[list[SearchDocument]]:
    """Every published testimony's document, in batches by increasing id: memory stays flat
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
        documents = _documents(rows, using)
        if documents:
            yield documents
