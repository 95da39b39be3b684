"""Any-term lookups for "similar testimonies" (retex.explore.similar), on both index backends.

The search proper (selectors.search) requires every term; finding testimonies close to a given
one needs the opposite: for each of a few distinctive stems, which testimonies hold it. Two
reads, each one SQL statement whatever the number of stems, each bounded:

- `term_document_counts`: in how many indexed testimonies each stem appears (its document
  frequency, for an inverse-document-frequency weight), counting no further than `cap`: the
  exact figure for a stem in 30,000 testimonies does not matter, it is common either way.
  SQLite counts (FTS5 reads a doclist fast); PostgreSQL first takes the stems its statistics
  know to be common (`pg_stats`, kept by ANALYZE), and counts the others only.
- `testimonies_with_terms`: for each stem, the published testimonies of one consultation that
  hold it (at most `cap`; meant for stems held by fewer, so the list is whole).

Stems come from `text.normalise`/`words` ([a-z0-9]+ only); anything else is ignored, so
neither FTS5's syntax nor tsquery's can be reached. The scoring is done by the caller, in
Python, from these plain lists: SQLite and PostgreSQL then give exactly the same answer.
"""

import re
from collections.abc import Sequence

from django.db import connections

from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.explore.models import POSTGRES_TABLE, SQLITE_TABLE

_STEM = re.compile(r"[a-z0-9]+")
_TESTIMONY_TABLE = Testimony._meta.db_table


def _clean(stems: Sequence[str]) -> list[str]:
    return list(dict.fromkeys(stem for stem in stems if _STEM.fullmatch(stem)))


def term_document_counts(stems: Sequence[str], *, cap: int, using: str) -> dict[str, int]:
    """How many indexed (published) testimonies hold each stem, at most `cap` each."""
    stems = _clean(stems)
    if not stems:
        return {}
    connection = connections[using]
    counts: dict[str, int] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            # FTS5 yields the rowids of a term's doclist one by one: LIMIT stops the reading.
            one = (
                f"(SELECT count(*) FROM (SELECT 1 FROM {SQLITE_TABLE}"
                f" WHERE {SQLITE_TABLE} MATCH %s LIMIT %s))"
            )
            params: list = []
            for stem in stems:
                params += [f'"{stem}"', cap]
        else:
            # Reading a common word's whole posting list and its rows costs tens of
            # milliseconds: the planner's statistics tell the common words instead.
            counts = dict.fromkeys(_postgres_common_stems(cursor, stems, at_least=cap), cap)
            stems = [stem for stem in stems if stem not in counts]
            if not stems:
                return counts
            one = (
                f"(SELECT count(*) FROM (SELECT 1 FROM {POSTGRES_TABLE}"
                " WHERE document @@ to_tsquery('simple', %s) LIMIT %s) AS hits)"
            )
            params = []
            for stem in stems:
                params += [stem, cap]
        cursor.execute("SELECT " + ", ".join([one] * len(stems)), params)
        row = cursor.fetchone()
    return counts | dict(zip(stems, row, strict=True))


def _postgres_common_stems(cursor, stems: Sequence[str], *, at_least: int) -> set[str]:
    """Those stems that ANALYZE found in at least `at_least` testimonies (estimated from the
    most common lexemes it keeps for the tsvector column; none before a first ANALYZE)."""
    cursor.execute(
        "SELECT s.most_common_elems::text::text[], s.most_common_elem_freqs, c.reltuples"
        " FROM pg_stats AS s JOIN pg_class AS c ON c.oid = to_regclass(%s)"
        " WHERE s.schemaname = current_schema() AND s.tablename = %s"
        " AND s.attname = 'document'",
        [POSTGRES_TABLE, POSTGRES_TABLE],
    )
    row = cursor.fetchone()
    if row is None or not row[0] or row[2] is None or row[2] <= 0:
        return set()
    lexemes, frequencies, rows = row
    wanted = set(stems)
    # The frequencies list ends with three summary figures, after one per lexeme.
    return {
        lexeme
        for lexeme, frequency in zip(lexemes, frequencies, strict=False)
        if lexeme in wanted and frequency * rows >= at_least
    }


def testimonies_with_terms(
    stems: Sequence[str], *, consultation_id: int, exclude_id: int, cap: int, using: str
) -> dict[str, list[int]]:
    """For each stem, the ids of the newest published testimonies of the consultation (other
    than `exclude_id`) whose indexed text holds it, at most `cap` per stem."""
    stems = _clean(stems)
    if not stems:
        return {}
    connection = connections[using]
    if connection.vendor == "sqlite":
        # As in backends.SqliteBackend: the MATCH runs once, newest first (FTS5 gives that
        # order), and each match is fetched by primary key (+rowid: see models.RowidRel).
        one = (
            f"SELECT * FROM (SELECT %s AS term, t.id FROM {SQLITE_TABLE} AS f"
            f" JOIN {_TESTIMONY_TABLE} AS t ON t.id = +f.rowid"
            f" WHERE f.{SQLITE_TABLE} MATCH %s AND t.consultation_id = %s"
            " AND t.status = %s AND t.id <> %s ORDER BY f.rowid DESC LIMIT %s)"
        )

        def params_of(index: int, stem: str) -> list:
            return [index, f'"{stem}"', consultation_id, published, exclude_id, cap]
    else:
        # The matches first, through the GIN index (OFFSET 0 keeps the subquery apart: the
        # planner cannot turn it into a walk of the primary key testing every row), then
        # their testimonies by primary key. Callers look up words held by few testimonies.
        one = (
            f"(SELECT %s AS term, t.id FROM (SELECT testimony_id FROM {POSTGRES_TABLE}"
            " WHERE document @@ to_tsquery('simple', %s) LIMIT %s OFFSET 0) AS d"
            f" JOIN {_TESTIMONY_TABLE} AS t ON t.id = d.testimony_id"
            " WHERE t.consultation_id = %s AND t.status = %s AND t.id <> %s)"
        )

        def params_of(index: int, stem: str) -> list:
            return [index, stem, cap, consultation_id, published, exclude_id]

    published = TestimonyStatus.PUBLISHED.value
    params: list = []
    for index, stem in enumerate(stems):
        params += params_of(index, stem)
    found: dict[str, list[int]] = {stem: [] for stem in stems}
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join([one] * len(stems)), params)
        for index, testimony_id in cursor.fetchall():
            found[stems[index]].append(testimony_id)
    return found
