"""The two index backends behind one interface: write entries, delete rows, join a testimony
queryset to the matches, and the SQL pieces the listing reads use. The text they receive is
already normalised (search.text)."""

import math
from collections import defaultdict
from collections.abc import Sequence
from typing import Protocol

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ImproperlyConfigured
from django.db import connections, transaction
from django.db.models import F, FloatField, Func, QuerySet, Value

from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.explore.models import (
    CELL_TABLE,
    LISTING_TABLE,
    POSTGRES_RANK_TABLE,
    POSTGRES_TABLE,
    SQLITE_TABLE,
    TOOLCELL_TABLE,
    TOOLSET_TABLE,
)
from retex.explore.search.documents import (
    NO_BAND_CODE,
    IndexEntry,
    SearchDocument,
    code_number,
    place_number,
)
from retex.explore.search.lexemes import (
    bucket_lexeme,
    bucket_of,
    consultation_lexeme,
    first_id_of,
    fts5_tokens,
    quoted,
    row_lexemes,
)
from retex.explore.search.slots import SUBTOPIC, THEME, TOOL, Slots
from retex.explore.search.text import ParsedQuery

# How much more a word of the title counts than a word of the rest.
SQLITE_WEIGHTS = (10.0, 1.0, 0.0)  # bm25 weight of each FTS5 column: title, body, facets
POSTGRES_WEIGHTS = [0.1, 0.1, 0.2, 1.0]  # ts_rank_cd weights of D, C, B (body), A (title)

# Between two parts of the body (initiative, difficulties…), so that no phrase spans them: a
# single letter, which neither the index nor a query ever holds otherwise (see text.words).
PART_SEPARATOR = " x "
# PostgreSQL keeps positions up to 16,383, and at most 256 of them per lexeme.
_MAX_POSITION = 16_383
_MAX_POSITIONS_PER_LEXEME = 256

_DELETE_CHUNK = 500
# The GIN index of the full-text table (see the migrations).
_GIN_INDEX = "explore_search_document_gin"
# The most buckets a search probe asks for at once (see PostgresBackend.listing_search_ids).
_MAX_PROBE_BUCKETS = 24
_PUBLISHED = TestimonyStatus.PUBLISHED.value
_TESTIMONY_TABLE = Testimony._meta.db_table

# The listing's columns, and their types on PostgreSQL (see the migration).
LISTING_COLUMNS = (
    "testimony_id",
    "consultation_id",
    "published_at",
    "territory_id",
    "region",
    "departement",
    "kind",
    "band",
    "place",
    "population",
    "themes",
    "subtopics",
    "tools",
)
_POSTGRES_LISTING_TYPES = (
    "bigint",
    "bigint",
    "timestamptz",
    "bigint",
    "smallint",
    "smallint",
    "smallint",
    "smallint",
    "integer",
    "integer",
    "bigint",
    "bigint",
    "bigint",
)


def _listing_values(
    entries: Sequence[IndexEntry], slots: dict[int, Slots], alias: str
) -> list[tuple]:
    # Dates stored as Django stores them (on SQLite, text in UTC that sorts as it should).
    adapt_datetime = connections[alias].ops.adapt_datetimefield_value
    values = []
    for entry in entries:
        row = entry.listing
        consultation_slots = slots[row.consultation_id]
        region, departement = code_number(row.region), code_number(row.departement)
        values.append(
            (
                row.testimony_id,
                row.consultation_id,
                adapt_datetime(row.published_at),
                row.territory_id,
                region,
                departement,
                row.kind,
                row.band,
                place_number(region, departement, row.kind, row.band),
                row.population,
                consultation_slots.bits(THEME, row.theme_ids),
                consultation_slots.bits(SUBTOPIC, row.subtopic_ids),
                consultation_slots.bits(TOOL, row.tool_ids),
            )
        )
    return values


class SearchBackend(Protocol):
    # The reverse relation from Testimony to the full-text table, for joins.
    relation: str
    # The listing's date as a value that sorts like it, cheaper to read than a datetime.
    sortable_date: str
    # The lookup that keeps the testimonies of a list of ids, on the index's id column.
    in_lookup: str

    def write(
        self, entries: Sequence[IndexEntry], slots: dict[int, Slots], *, replace: bool
    ) -> None: ...

    def delete(self, testimony_ids: Sequence[int]) -> None: ...

    def delete_unpublished(self) -> int: ...

    def rebuild_starting(self) -> None: ...

    def rebuild_finished(self) -> None: ...

    def matching(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        """Those of the queryset that match (joined to the index)."""
        ...

    def ranked(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        """`matching`, annotated with `search_rank` (higher is better)."""
        ...

    def newest_matches(
        self, queryset: QuerySet[Testimony], query: ParsedQuery, limit: int
    ) -> list[int]:
        """The ids of the newest `limit` testimonies of the queryset that match, newest
        first."""
        ...

    def listing_search_ids(
        self,
        query: ParsedQuery,
        *,
        consultation_id: int,
        lexemes: Sequence[str],
        extra_where: str,
        extra_params: Sequence,
        limit: int,
    ) -> list[int]:
        """For the listing reads: the ids of the newest `limit` matches of the words in the
        consultation that hold the filters' `lexemes` (see search.lexemes) and pass
        `extra_where` (conditions on the listing as `l`, that no lexeme says), newest first."""
        ...

    def listing_rows(
        self, query: ParsedQuery, ids: Sequence[int], *, columns: Sequence[str], ranked: bool
    ) -> list[tuple]:
        """`columns` of the listing (as `l`) of these matches and their rank last (None
        unless `ranked`), newest first."""
        ...


# The tables that count the listing's rows by a few of their columns, kept up to date at each
# indexing: the cells (by place and topics), the tool sets (by combination of tools), the tool
# cells (by tool, coarse place and topics: a row counts once for each of its tools). Each: its
# key, the columns the key determines, and what a listing row (LISTING_COLUMNS order) adds to
# it. See listing.py for what reads them.
def _positions(*names: str) -> list[int]:
    return [LISTING_COLUMNS.index(name) for name in names]


_CELL_VALUES = _positions("consultation_id", "place", "themes", "subtopics")
_CELL_EXTRA = _positions("region", "departement", "kind", "band")
_TOOLSET_VALUES = _positions("consultation_id", "tools")
_TOOLCELL_VALUES = _positions("consultation_id", "region", "kind", "band", "themes", "subtopics")
_TOOLS = LISTING_COLUMNS.index("tools")


def _cells_of(row: Sequence) -> list[tuple]:
    return [tuple(row[i] for i in (*_CELL_VALUES, *_CELL_EXTRA))]


def _toolsets_of(row: Sequence) -> list[tuple]:
    return [tuple(row[i] for i in _TOOLSET_VALUES)]


def _toolcells_of(row: Sequence) -> list[tuple]:
    consultation_id, region, kind, band, themes, subtopics = (row[i] for i in _TOOLCELL_VALUES)
    # A key column: no NULL (an unknown band has a code of its own).
    band = NO_BAND_CODE if band is None else band
    tools = row[_TOOLS]
    return [
        (consultation_id, slot, region, kind, band, themes, subtopics)
        for slot in range(63)
        if tools >> slot & 1
    ]


_COUNTED = (
    (
        CELL_TABLE,
        ("consultation_id", "place", "themes", "subtopics"),
        ("region", "departement", "kind", "band"),
        _cells_of,
        "SELECT consultation_id, place, themes, subtopics, region, departement, kind, band,"
        f" count(*) FROM {LISTING_TABLE} GROUP BY consultation_id, place, themes, subtopics,"
        " region, departement, kind, band",
    ),
    (
        TOOLSET_TABLE,
        ("consultation_id", "tools"),
        (),
        _toolsets_of,
        f"SELECT consultation_id, tools, count(*) FROM {LISTING_TABLE}"
        " GROUP BY consultation_id, tools",
    ),
    (
        TOOLCELL_TABLE,
        ("consultation_id", "tool", "region", "kind", "band", "themes", "subtopics"),
        (),
        _toolcells_of,
        # Each row once per tool: its tools' bits, one by one.
        "WITH RECURSIVE slots(slot) AS (SELECT 0 UNION ALL SELECT slot + 1 FROM slots"
        " WHERE slot < 62) SELECT consultation_id, slot, region, kind,"
        f" coalesce(band, {NO_BAND_CODE}), themes, subtopics, count(*) FROM {LISTING_TABLE}"
        " JOIN slots ON tools & (CAST(1 AS bigint) << slot) <> 0"
        f" GROUP BY consultation_id, slot, region, kind, coalesce(band, {NO_BAND_CODE}),"
        " themes, subtopics",
    ),
)


class _ListingWriter:
    """The listing's rows and counts, the same on both backends but for the bulk insert."""

    alias: str

    def _write_listing(
        self, entries: Sequence[IndexEntry], slots: dict[int, Slots], *, replace: bool
    ) -> None:
        rows = _listing_values(entries, slots, self.alias)
        self._insert_listing(rows, replace=replace)
        # A rebuild (replace) counts again at the end instead.
        if not replace:
            self._change_counts(rows, +1)

    def _insert_listing(self, rows: list[tuple], *, replace: bool) -> None:
        columns = ", ".join(LISTING_COLUMNS)
        marks = ", ".join(["%s"] * len(LISTING_COLUMNS))
        conflict = ""
        if replace:
            updates = ", ".join(f"{name} = excluded.{name}" for name in LISTING_COLUMNS[1:])
            conflict = f" ON CONFLICT (testimony_id) DO UPDATE SET {updates}"
        with connections[self.alias].cursor() as cursor:
            cursor.executemany(
                f"INSERT INTO {LISTING_TABLE} ({columns}) VALUES ({marks}){conflict}", rows
            )

    def _change_counts(self, rows: Sequence[Sequence], sign: int) -> None:
        """Add (+1) or take away (-1) listing rows (in LISTING_COLUMNS order) to the counting
        tables; emptied counts go."""
        with connections[self.alias].cursor() as cursor:
            for table, key, extra, counts_of, _recount in _COUNTED:
                counted: dict[tuple, int] = defaultdict(int)
                for row in rows:
                    for values in counts_of(row):
                        counted[values] += 1
                if not counted:
                    continue
                columns = ", ".join([*key, *extra, "n"])
                marks = ", ".join(["%s"] * (len(key) + len(extra) + 1))
                cursor.executemany(
                    f"INSERT INTO {table} ({columns}) VALUES ({marks})"
                    f" ON CONFLICT ({', '.join(key)}) DO UPDATE SET n = {table}.n + excluded.n",
                    [(*values, sign * n) for values, n in counted.items()],
                )
                if sign < 0:
                    matching = " AND ".join(f"{name} = %s" for name in key)
                    cursor.executemany(
                        f"DELETE FROM {table} WHERE {matching} AND n <= 0",
                        [values[: len(key)] for values in counted],
                    )

    def _delete_listing(self, testimony_ids: Sequence[int]) -> None:
        with connections[self.alias].cursor() as cursor:
            for start in range(0, len(testimony_ids), _DELETE_CHUNK):
                chunk = list(testimony_ids[start : start + _DELETE_CHUNK])
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(
                    f"SELECT {', '.join(LISTING_COLUMNS)} FROM {LISTING_TABLE}"
                    f" WHERE testimony_id IN ({marks})",
                    chunk,
                )
                self._change_counts(cursor.fetchall(), -1)
                cursor.execute(
                    f"DELETE FROM {LISTING_TABLE} WHERE testimony_id IN ({marks})", chunk
                )

    def _delete_unpublished_listing(self) -> int:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {LISTING_TABLE} WHERE NOT EXISTS (SELECT 1 FROM"
                f" {_TESTIMONY_TABLE} AS testimony WHERE testimony.id ="
                f" {LISTING_TABLE}.testimony_id AND testimony.status = %s)",
                [_PUBLISHED],
            )
            return cursor.rowcount

    def _count_again(self) -> None:
        """The counting tables from the listing, all at once (after a rebuild), in one
        transaction."""
        with transaction.atomic(using=self.alias), connections[self.alias].cursor() as cursor:
            for table, key, extra, _counts_of, recount in _COUNTED:
                columns = ", ".join((*key, *extra))
                cursor.execute(f"DELETE FROM {table}")
                cursor.execute(f"INSERT INTO {table} ({columns}, n) {recount}")


class SqliteBackend(_ListingWriter):
    """An FTS5 table, rowid = testimony id, ranked with bm25 (title weighted up)."""

    relation = "search_fts"
    in_lookup = "rowid_in"
    sortable_date = "(l.published_at || '')"  # the text as stored, in UTC

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def write(
        self, entries: Sequence[IndexEntry], slots: dict[int, Slots], *, replace: bool
    ) -> None:
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        with connections[self.alias].cursor() as cursor:
            cursor.executemany(
                f"{verb} INTO {SQLITE_TABLE} (rowid, title, body, facets) VALUES (%s, %s, %s, %s)",
                [
                    (
                        entry.document.testimony_id,
                        entry.document.title,
                        PART_SEPARATOR.join(entry.document.body_parts),
                        " ".join(
                            fts5_tokens(
                                [
                                    consultation_lexeme(entry.listing.consultation_id),
                                    *row_lexemes(entry.listing),
                                ]
                            )
                        ),
                    )
                    for entry in entries
                ],
            )
        self._write_listing(entries, slots, replace=replace)

    def delete(self, testimony_ids: Sequence[int]) -> None:
        with connections[self.alias].cursor() as cursor:
            for start in range(0, len(testimony_ids), _DELETE_CHUNK):
                chunk = list(testimony_ids[start : start + _DELETE_CHUNK])
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN ({marks})", chunk)
        self._delete_listing(testimony_ids)

    def delete_unpublished(self) -> int:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {SQLITE_TABLE} WHERE rowid NOT IN"
                f" (SELECT id FROM {_TESTIMONY_TABLE} WHERE status = %s)",
                [_PUBLISHED],
            )
            removed = cursor.rowcount
        return max(removed, self._delete_unpublished_listing())

    def rebuild_starting(self) -> None:
        pass

    def rebuild_finished(self) -> None:
        # Merge the index's segments into one: fewer b-trees to read for each query. Fresh
        # statistics let the planner pick the listing's indexes.
        self._count_again()
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('optimize')")
            for table in (LISTING_TABLE, CELL_TABLE, TOOLSET_TABLE, TOOLCELL_TABLE):
                cursor.execute(f"ANALYZE {table}")

    def matching(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        # The join (see models.RowidRel) lets SQLite run the MATCH first and fetch each
        # matching testimony by primary key.
        return queryset.filter(search_fts__fts__match=fts5_expression(query))

    def ranked(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        bm25 = Func(
            F("search_fts__fts"),
            *(Value(weight) for weight in SQLITE_WEIGHTS),
            function="bm25",
            output_field=FloatField(),
        )
        # bm25 is negative, smaller is better.
        return self.matching(queryset, query).annotate(search_rank=-bm25)

    def newest_matches(
        self, queryset: QuerySet[Testimony], query: ParsedQuery, limit: int
    ) -> list[int]:
        # One query: FTS5 reads its matches newest first and the join stops at `limit`.
        key = f"{self.relation}__testimony_id"
        return list(
            self.matching(queryset, query).order_by(f"-{key}").values_list(key, flat=True)[:limit]
        )

    def listing_search_ids(
        self,
        query: ParsedQuery,
        *,
        consultation_id: int,
        lexemes: Sequence[str],
        extra_where: str,
        extra_params: Sequence,
        limit: int,
    ) -> list[int]:
        # The consultation and the filters are tokens of the facets column: FTS5 intersects
        # their lists with the words' and reads the matches newest first, alone. The listing
        # is only read for the conditions no token says.
        tokens = fts5_tokens([consultation_lexeme(consultation_id), *lexemes])
        facets = " AND ".join(f'facets : "{token}"' for token in tokens)
        match = f"({fts5_expression(query)}) AND {facets}"
        listing = where = ""
        if extra_where:
            listing = f" CROSS JOIN {LISTING_TABLE} AS l ON l.testimony_id = f.rowid"
            where = f" AND {extra_where}"
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"SELECT f.rowid FROM {SQLITE_TABLE} AS f{listing}"
                f" WHERE f.{SQLITE_TABLE} MATCH %s{where} ORDER BY f.rowid DESC LIMIT %s",
                [match, *extra_params, limit],
            )
            return [row[0] for row in cursor.fetchall()]

    def listing_rows(
        self, query: ParsedQuery, ids: Sequence[int], *, columns: Sequence[str], ranked: bool
    ) -> list[tuple]:
        marks = ", ".join(["%s"] * len(ids))
        with connections[self.alias].cursor() as cursor:
            if not ranked:
                cursor.execute(
                    f"SELECT {', '.join(columns)}, NULL FROM {LISTING_TABLE} AS l"
                    f" WHERE l.testimony_id IN ({marks}) ORDER BY l.testimony_id DESC",
                    list(ids),
                )
                return cursor.fetchall()
            # bm25 needs the MATCH: it is run again, keeping these rows only (checked on the
            # rowid while reading the MATCH: see models.RowidIn).
            weights = ", ".join(str(weight) for weight in SQLITE_WEIGHTS)
            cursor.execute(
                f"SELECT {', '.join(columns)}, -bm25(f.{SQLITE_TABLE}, {weights})"
                f" FROM {SQLITE_TABLE} AS f CROSS JOIN {LISTING_TABLE} AS l"
                f" ON l.testimony_id = f.rowid WHERE f.{SQLITE_TABLE} MATCH %s"
                f" AND +f.rowid IN ({marks}) ORDER BY f.rowid DESC",
                [fts5_expression(query), *ids],
            )
            return cursor.fetchall()


def fts5_expression(query: ParsedQuery) -> str:
    """An FTS5 query: "a" AND "b c" AND ("d" OR "de"*). Stems are [a-z0-9]+ only, so quoting
    them is enough to keep FTS5's own syntax (AND, NEAR, column filters) out."""
    parts = [f'"{term}"' for term in query.terms]
    if query.prefix:
        parts[-1] = f'({parts[-1]} OR "{query.prefix}"*)'
    parts += ['"' + " ".join(phrase) + '"' for phrase in query.phrases]
    return " AND ".join(parts)


class LiteralSearchQuery(SearchQuery):
    """A tsquery given as tsquery text (`'a' & 'b_c'`), cast as is: to_tsquery would split
    the word pairs (`b_c`) at the underscore."""

    def as_sql(self, compiler, connection, **extra_context):
        value_sql, params = compiler.compile(self.source_expressions[-1])
        return f"({value_sql})::tsquery", params


class PostgresBackend(_ListingWriter):
    """A tsvector per testimony (title weight A, the rest B) with a GIN index, ranked with
    ts_rank_cd. The vector is written as tsvector text: our stems with their positions, and
    each pair of consecutive stems as one more lexeme ("march_plein" at the position of
    "march"), so that a phrase is found from the index alone instead of reading the
    positions of every testimony holding its words."""

    relation = "search_document"
    in_lookup = "in"
    sortable_date = "extract(epoch FROM l.published_at)"

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def write(
        self, entries: Sequence[IndexEntry], slots: dict[int, Slots], *, replace: bool
    ) -> None:
        # One statement per table and batch. Rows that do not change are not rewritten, so
        # rebuilding an up-to-date index writes nothing.
        ids = [entry.document.testimony_id for entry in entries]
        texts = [tsvector_texts(e.document, row_lexemes(e.listing)) for e in entries]
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {POSTGRES_TABLE} AS entry (testimony_id, consultation_id, document)"
                " SELECT id, consultation_id, vector::tsvector"
                " FROM unnest(%s::bigint[], %s::bigint[], %s::text[])"
                " AS doc(id, consultation_id, vector)"
                " ON CONFLICT (testimony_id) DO UPDATE SET document = EXCLUDED.document,"
                " consultation_id = EXCLUDED.consultation_id"
                " WHERE entry.document IS DISTINCT FROM EXCLUDED.document"
                " OR entry.consultation_id IS DISTINCT FROM EXCLUDED.consultation_id",
                [ids, [e.document.consultation_id for e in entries], [t[0] for t in texts]],
            )
            cursor.execute(
                f"INSERT INTO {POSTGRES_RANK_TABLE} AS entry (testimony_id, vector)"
                " SELECT id, vector::tsvector FROM unnest(%s::bigint[], %s::text[])"
                " AS doc(id, vector)"
                " ON CONFLICT (testimony_id) DO UPDATE SET vector = EXCLUDED.vector"
                " WHERE entry.vector IS DISTINCT FROM EXCLUDED.vector",
                [ids, [t[1] for t in texts]],
            )
        self._write_listing(entries, slots, replace=replace)

    def _insert_listing(self, rows: list[tuple], *, replace: bool) -> None:
        # One statement per batch: the columns as arrays.
        columns = ", ".join(LISTING_COLUMNS)
        arrays = ", ".join(f"%s::{kind}[]" for kind in _POSTGRES_LISTING_TYPES)
        updates = ", ".join(f"{name} = excluded.{name}" for name in LISTING_COLUMNS[1:])
        conflict = f" ON CONFLICT (testimony_id) DO UPDATE SET {updates}" if replace else ""
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {LISTING_TABLE} ({columns}) SELECT * FROM unnest({arrays}){conflict}",
                [list(column) for column in zip(*rows, strict=True)],
            )

    def delete(self, testimony_ids: Sequence[int]) -> None:
        with connections[self.alias].cursor() as cursor:
            for table in (POSTGRES_TABLE, POSTGRES_RANK_TABLE):
                cursor.execute(
                    f"DELETE FROM {table} WHERE testimony_id = ANY(%s)", [list(testimony_ids)]
                )
        self._delete_listing(testimony_ids)

    def delete_unpublished(self) -> int:
        removed = 0
        with connections[self.alias].cursor() as cursor:
            for table in (POSTGRES_TABLE, POSTGRES_RANK_TABLE):
                cursor.execute(
                    f"DELETE FROM {table} AS entry WHERE NOT EXISTS (SELECT 1 FROM"
                    f" {_TESTIMONY_TABLE} AS testimony WHERE testimony.id = entry.testimony_id"
                    " AND testimony.status = %s)",
                    [_PUBLISHED],
                )
                removed = max(removed, cursor.rowcount)
        return max(removed, self._delete_unpublished_listing())

    def rebuild_starting(self) -> None:
        # Filling an empty index: building the GIN index once at the end is several times
        # faster than inserting every vector's few hundred lexemes into it one by one.
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"SELECT EXISTS (SELECT 1 FROM {POSTGRES_TABLE})")
            if not cursor.fetchone()[0]:
                cursor.execute(f"DROP INDEX IF EXISTS {_GIN_INDEX}")

    def rebuild_finished(self) -> None:
        with connections[self.alias].cursor() as cursor:
            cursor.execute("SELECT to_regclass(%s) IS NULL", [_GIN_INDEX])
            if cursor.fetchone()[0]:
                with transaction.atomic(using=self.alias):
                    cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
                    cursor.execute(
                        f"CREATE INDEX {_GIN_INDEX} ON {POSTGRES_TABLE} USING gin (document)"
                    )
        # Fresh statistics on the lexemes let the planner see how many rows a query matches.
        self._count_again()
        with connections[self.alias].cursor() as cursor:
            tables = (
                POSTGRES_TABLE,
                POSTGRES_RANK_TABLE,
                LISTING_TABLE,
                CELL_TABLE,
                TOOLSET_TABLE,
                TOOLCELL_TABLE,
            )
            for table in tables:
                cursor.execute(f"ANALYZE {table}")

    def _tsquery(self, query: ParsedQuery) -> SearchQuery:
        return LiteralSearchQuery(tsquery_text(query))

    def matching(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        return queryset.filter(search_document__document=self._tsquery(query))

    def ranked(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        rank = SearchRank(
            F("search_rank_vector__vector"),
            LiteralSearchQuery(rank_tsquery_text(query)),
            weights=POSTGRES_WEIGHTS,
            cover_density=True,
        )
        return self.matching(queryset, query).annotate(search_rank=rank)

    def newest_matches(
        self, queryset: QuerySet[Testimony], query: ParsedQuery, limit: int
    ) -> list[int]:
        # As listing_search_ids, with the queryset's own filters: the newest buckets of ids
        # first (see there), so that a common word does not read all its matches.
        words = tsquery_text(query)
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"SELECT max(testimony_id) FROM {POSTGRES_TABLE}")
            newest = cursor.fetchone()[0]
        if newest is None:
            return []
        found: list[int] = []
        bucket, size = bucket_of(newest), 2
        while bucket >= 0 and len(found) < limit:
            if size > _MAX_PROBE_BUCKETS:  # the rest, all at once
                probe = queryset.filter(pk__lt=first_id_of(bucket + 1))
                text = words
            else:
                buckets = range(bucket, max(bucket - size, -1), -1)
                probe = queryset
                text = f"({words}) & ({' | '.join(quoted(map(bucket_lexeme, buckets)))})"
            # pk + 0: sorted after the match, not found by walking the primary key.
            ids = (
                probe.filter(search_document__document=LiteralSearchQuery(text))
                .annotate(newest_first=F("pk") + 0)
                .order_by("-newest_first")
                .values_list("pk", flat=True)[: limit - len(found)]
            )
            found += list(ids)
            if size > _MAX_PROBE_BUCKETS:
                break
            bucket -= size
            per_id = len(found) / (newest + 1 - first_id_of(bucket + 1))
            if not per_id:
                size = _MAX_PROBE_BUCKETS + 1
                continue
            size = max(1, math.ceil((limit - len(found)) / per_id * 1.3 / first_id_of(1)))
        return found

    def listing_search_ids(
        self,
        query: ParsedQuery,
        *,
        consultation_id: int,
        lexemes: Sequence[str],
        extra_where: str,
        extra_params: Sequence,
        limit: int,
    ) -> list[int]:
        # The words and the filters are one tsquery, answered by the GIN index alone; only
        # the conditions it cannot express (`extra_where`) read the listing. Asking for all its
        # matches at once would read each of them (250,000 for a common word in 1,000,000):
        # the newest bucket is asked first, then as many older ones as the matches found so
        # far say are needed (at most _MAX_PROBE_BUCKETS: a long OR of buckets costs more
        # than it saves), and past that the rest at once (when that few match per bucket, the
        # rest is few). A common word stops at the first bucket, a rare one costs two or
        # three small reads. "testimony_id + 0" keeps PostgreSQL from walking the primary key
        # instead, testing the vector of every testimony on its way.
        required = " & ".join([f"({tsquery_text(query)})", *quoted(lexemes)])
        listing = ""
        if extra_where:
            listing = f" JOIN {LISTING_TABLE} AS l ON l.testimony_id = f.testimony_id"
        probe_sql = (
            f"SELECT f.testimony_id FROM {POSTGRES_TABLE} AS f{listing}"
            " WHERE f.document @@ %s::tsquery AND f.consultation_id = %s{older}"
            f"{' AND ' + extra_where if extra_where else ''}"
            " ORDER BY f.testimony_id + 0 DESC LIMIT %s"
        )
        found: list[int] = []
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"SELECT max(testimony_id) FROM {POSTGRES_TABLE} WHERE consultation_id = %s",
                [consultation_id],
            )
            newest = cursor.fetchone()[0]
            if newest is None:
                return []
            # Two buckets first: the newest is rarely full.
            bucket, size = bucket_of(newest), 2
            while bucket >= 0 and len(found) < limit:
                if size > _MAX_PROBE_BUCKETS:  # the rest, all at once
                    probe, older, older_params = (
                        required,
                        " AND f.testimony_id < %s",
                        [first_id_of(bucket + 1)],
                    )
                else:
                    buckets = range(bucket, max(bucket - size, -1), -1)
                    probe = f"{required} & ({' | '.join(quoted(map(bucket_lexeme, buckets)))})"
                    older, older_params = "", []
                cursor.execute(
                    probe_sql.format(older=older),
                    [probe, consultation_id, *older_params, *extra_params, limit - len(found)],
                )
                found += [row[0] for row in cursor.fetchall()]
                if size > _MAX_PROBE_BUCKETS:
                    break
                bucket -= size
                # Matches per identifier so far, and the buckets that should give the rest.
                read = newest + 1 - first_id_of(bucket + 1)
                per_id = len(found) / read
                if not per_id:  # nothing yet: few match, if any
                    size = _MAX_PROBE_BUCKETS + 1
                    continue
                needed = (limit - len(found)) / per_id
                size = max(1, math.ceil(needed * 1.3 / first_id_of(1)))
        return found

    def listing_rows(
        self, query: ParsedQuery, ids: Sequence[int], *, columns: Sequence[str], ranked: bool
    ) -> list[tuple]:
        # The rank only when asked: it reads each row's rank vector.
        rank = "NULL"
        params: list = []
        if ranked:
            weights = "{" + ", ".join(str(weight) for weight in POSTGRES_WEIGHTS) + "}"
            rank = f"ts_rank_cd('{weights}'::float4[], r.vector, %s::tsquery)"
            params.append(rank_tsquery_text(query))
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"SELECT {', '.join(columns)}, {rank} FROM {LISTING_TABLE} AS l"
                f" LEFT JOIN {POSTGRES_RANK_TABLE} AS r ON r.testimony_id = l.testimony_id"
                " WHERE l.testimony_id = ANY(%s) ORDER BY l.testimony_id DESC",
                [*params, list(ids)],
            )
            return cursor.fetchall()


def tsvector_texts(document: SearchDocument, lexemes: Sequence[str] = ()) -> tuple[str, str]:
    """The document as tsvector text, twice: for the search, `'march':3A,12B 'march_plein':12B
    … '~r32'` (the words, their pairs, the listing's `lexemes` last, without position); for
    the rank, the words alone. Parts are numbered one after the other with a gap of one
    position, so that no pair spans two."""
    # Written for speed: a rebuild makes a million of these.
    positions: dict[str, list[str]] = defaultdict(list)
    pairs: dict[str, list[str]] = defaultdict(list)
    position = 1
    for text, weight in ((document.title, "A"), *((part, "B") for part in document.body_parts)):
        stems = text.split()
        labels = [
            f"{min(at, _MAX_POSITION)}{weight}" for at in range(position, position + len(stems))
        ]
        for stem, label in zip(stems, labels, strict=True):
            positions[stem].append(label)
        for first, second, label in zip(stems, stems[1:], labels, strict=False):
            pairs[f"{first}_{second}"].append(label)
        position += len(stems) + 1
    # Past the last position, several words share it: PostgreSQL wants each once.
    words = [
        f"'{lexeme}':{','.join(dict.fromkeys(found[:_MAX_POSITIONS_PER_LEXEME]))}"
        for lexeme, found in positions.items()
    ]
    pair_words = [
        f"'{lexeme}':{','.join(dict.fromkeys(found[:_MAX_POSITIONS_PER_LEXEME]))}"
        for lexeme, found in pairs.items()
    ]
    return " ".join([*words, *pair_words, *quoted(lexemes)]), " ".join(words)


def rank_tsquery_text(query: ParsedQuery) -> str:
    """For the rank vector (words only): every term and every word of every phrase."""
    parts = [f"'{term}'" for term in query.terms]
    if query.prefix:
        parts[-1] = f"({parts[-1]} | '{query.prefix}':*)"
    parts += [f"'{stem}'" for phrase in query.phrases for stem in phrase]
    return " & ".join(dict.fromkeys(parts))


def tsquery_text(query: ParsedQuery) -> str:
    """tsquery text: 'a' & ('b_c' <-> 'c_d') & ('e' | 'de':*). A phrase of two stems is one
    pair lexeme; a longer one, its pairs one after the other. Stems are [a-z0-9]+ only."""
    parts = [f"'{term}'" for term in query.terms]
    if query.prefix:
        parts[-1] = f"({parts[-1]} | '{query.prefix}':*)"
    for phrase in query.phrases:
        pairs = [f"'{first}_{second}'" for first, second in zip(phrase, phrase[1:], strict=False)]
        parts.append("(" + " <-> ".join(pairs) + ")")
    return " & ".join(parts)


def backend_for(alias: str) -> SearchBackend:
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return SqliteBackend(alias)
    if vendor == "postgresql":
        return PostgresBackend(alias)
    raise ImproperlyConfigured(f"Full-text search supports SQLite and PostgreSQL, not {vendor}.")
