"""Bits for the many-valued filters: themes, sub-topics and tools.

A testimony has several themes, sub-topics and tools. The listing keeps each of the three as
one 64-bit integer per testimony, one bit per value, so that a filter is a bit test on the row
("themes & 4 != 0") and the counts per value come from a GROUP BY on the integer (a few hundred
distinct combinations, split into bits in Python) instead of a join per link.

Which bit stands for which value is the consultation's *slot* table
(explore_facet_slot: consultation, facet, value id, slot). A value gets the next free slot the
first time a testimony of the consultation that carries it is indexed, and keeps it (a rebuild
keeps them too, so rows written before and after agree). Bits 0 to 62 are usable: past 63
values of one facet in one consultation (say, the 64th different tool), the extra values have
no slot: their filter reads the many-to-many table instead (exact, slower), and they are left
out of the counts.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import connections

from retex.contributions.models import Tool
from retex.explore.search.documents import ListingRow

SLOT_TABLE = "explore_facet_slot"

THEME, SUBTOPIC, TOOL = 0, 1, 2
FACETS = (THEME, SUBTOPIC, TOOL)
MAX_SLOTS = 63
# Key of PostgreSQL's advisory lock that serialises slot assignments ("rtx" + 1).
_LOCK_KEY = 0x727478_01


@dataclass
class Slots:
    """A consultation's slots: value id → slot, per facet."""

    by_facet: dict[int, dict[int, int]] = field(
        default_factory=lambda: {facet: {} for facet in FACETS}
    )

    def bits(self, facet: int, value_ids: Iterable[int]) -> int:
        slots = self.by_facet[facet]
        bits = 0
        for value_id in value_ids:
            slot = slots.get(value_id)
            if slot is not None:
                bits |= 1 << slot
        return bits

    def slot(self, facet: int, value_id: int) -> int | None:
        return self.by_facet[facet].get(value_id)

    def values_of_bits(self, facet: int) -> list[tuple[int, int]]:
        """(bit, value id) of every slotted value of the facet."""
        return [(1 << slot, value_id) for value_id, slot in self.by_facet[facet].items()]


def slots_read(consultation_ids: Sequence[int], *, using: str) -> dict[int, Slots]:
    """The slots of these consultations (one query)."""
    found = {consultation_id: Slots() for consultation_id in consultation_ids}
    if not consultation_ids:
        return found
    marks = ", ".join(["%s"] * len(consultation_ids))
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT consultation_id, facet, value_id, slot FROM {SLOT_TABLE}"
            f" WHERE consultation_id IN ({marks})",
            list(consultation_ids),
        )
        for consultation_id, facet, value_id, slot in cursor.fetchall():
            found[consultation_id].by_facet[facet][value_id] = slot
    return found


@dataclass(frozen=True)
class SlottedTool:
    id: int
    slug: str
    name: str


def slots_and_tools(consultation_id: int, *, using: str) -> tuple[Slots, list[SlottedTool]]:
    """A consultation's slots and, in the same query, the tools that have one (the tools its
    published testimonies name: the list's tool filter offers them)."""
    slots = Slots()
    tools = []
    with connections[using].cursor() as cursor:
        cursor.execute(
            f"SELECT s.facet, s.value_id, s.slot, t.slug, t.name FROM {SLOT_TABLE} AS s"
            f" LEFT JOIN {Tool._meta.db_table} AS t ON s.facet = %s AND t.id = s.value_id"
            " WHERE s.consultation_id = %s",
            [TOOL, consultation_id],
        )
        for facet, value_id, slot, slug, name in cursor.fetchall():
            slots.by_facet[facet][value_id] = slot
            if facet == TOOL and slug is not None:
                tools.append(SlottedTool(id=value_id, slug=slug, name=name))
    return slots, tools


def slotted_values(consultation_id: int, facet: str) -> tuple[str, list]:
    """SQL (with its parameters) selecting the ids of the values of a facet ("theme",
    "subtopic" or "tool") that have a slot in the consultation: those its published testimonies
    carry, as a subquery (`pk__in=RawSQL(*slotted_values(…))`)."""
    code = {"theme": THEME, "subtopic": SUBTOPIC, "tool": TOOL}[facet]
    return (
        f"SELECT value_id FROM {SLOT_TABLE} WHERE consultation_id = %s AND facet = %s",
        [consultation_id, code],
    )


def _values(row: ListingRow) -> dict[int, tuple[int, ...]]:
    return {THEME: row.theme_ids, SUBTOPIC: row.subtopic_ids, TOOL: row.tool_ids}


def slots_assign(rows: Sequence[ListingRow], *, using: str) -> dict[int, Slots]:
    """The slots of the rows' consultations, after giving a free slot to each value of the
    rows that has none (the most frequent in these rows first). Runs inside the caller's
    transaction; on PostgreSQL an advisory lock per consultation keeps two publications from
    taking the same slot."""
    consultation_ids = sorted({row.consultation_id for row in rows})
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for consultation_id in consultation_ids:
                cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [_LOCK_KEY, consultation_id])
    slots = slots_read(consultation_ids, using=using)
    new: list[tuple[int, int, int, int]] = []
    for consultation_id in consultation_ids:
        known = slots[consultation_id]
        for facet in FACETS:
            frequency: dict[int, int] = {}
            for row in rows:
                if row.consultation_id == consultation_id:
                    for value_id in _values(row)[facet]:
                        frequency[value_id] = frequency.get(value_id, 0) + 1
            taken = known.by_facet[facet]
            missing = sorted(
                (value_id for value_id in frequency if value_id not in taken),
                key=lambda value_id: (-frequency[value_id], value_id),
            )
            for value_id in missing:
                if len(taken) >= MAX_SLOTS:
                    break
                slot = len(taken)
                taken[value_id] = slot
                new.append((consultation_id, facet, value_id, slot))
    if new:
        with connection.cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {SLOT_TABLE} (consultation_id, facet, value_id, slot)"
                " VALUES (%s, %s, %s, %s)",
                new,
            )
    return slots
