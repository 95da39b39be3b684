"""The two index backends behind one interface: write documents, delete rows, join a testimony
queryset to the matches. The text they receive is already normalised (search.text)."""

from collections.abc import Sequence
from typing import Protocol

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import ImproperlyConfigured
from django.db import connections
from django.db.models import F, FloatField, Func, QuerySet, Value

from retex.contributions.enums import TestimonyStatus
from retex.contributions.models import Testimony
from retex.explore.models import POSTGRES_TABLE, SQLITE_TABLE
from retex.explore.search.documents import SearchDocument
from retex.explore.search.text import ParsedQuery

# How much more a word of the title counts than a word of the rest.
SQLITE_WEIGHTS = (10.0, 1.0)  # bm25 weight of each FTS5 column: title, body
POSTGRES_WEIGHTS = [0.1, 0.1, 0.2, 1.0]  # ts_rank_cd weights of D, C, B (body), A (title)

_DELETE_CHUNK = 500


class SearchBackend(Protocol):
    # The reverse relation from Testimony to the index table, for joins.
    relation: str
    # The lookup that keeps the testimonies of a list of ids, on the index's id column.
    in_lookup: str

    def write(self, documents: Sequence[SearchDocument], *, replace: bool) -> None: ...

    def delete(self, testimony_ids: Sequence[int]) -> None: ...

    def delete_unpublished(self) -> int: ...

    def rebuild_finished(self) -> None: ...

    def matching(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        """Those of the queryset that match (joined to the index)."""
        ...

    def ranked(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        """`matching`, annotated with `search_rank` (higher is better)."""
        ...


class SqliteBackend:
    """An FTS5 table, rowid = testimony id, ranked with bm25 (title weighted up)."""

    relation = "search_fts"
    in_lookup = "rowid_in"

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def write(self, documents: Sequence[SearchDocument], *, replace: bool) -> None:
        verb = "INSERT OR REPLACE" if replace else "INSERT"
        with connections[self.alias].cursor() as cursor:
            cursor.executemany(
                f"{verb} INTO {SQLITE_TABLE} (rowid, title, body) VALUES (%s, %s, %s)",
                [(doc.testimony_id, doc.title, doc.body) for doc in documents],
            )

    def delete(self, testimony_ids: Sequence[int]) -> None:
        with connections[self.alias].cursor() as cursor:
            for start in range(0, len(testimony_ids), _DELETE_CHUNK):
                chunk = list(testimony_ids[start : start + _DELETE_CHUNK])
                marks = ", ".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM {SQLITE_TABLE} WHERE rowid IN ({marks})", chunk)

    def delete_unpublished(self) -> int:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {SQLITE_TABLE} WHERE rowid NOT IN"
                f" (SELECT id FROM {Testimony._meta.db_table} WHERE status = %s)",
                [TestimonyStatus.PUBLISHED.value],
            )
            return cursor.rowcount

    def rebuild_finished(self) -> None:
        # Merge the index's segments into one: fewer b-trees to read for each query.
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"INSERT INTO {SQLITE_TABLE} ({SQLITE_TABLE}) VALUES ('optimize')")

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


def fts5_expression(query: ParsedQuery) -> str:
    """An FTS5 query: "a" AND "b c" AND ("d" OR "de"*). Stems are [a-z0-9]+ only, so quoting
    them is enough to keep FTS5's own syntax (AND, NEAR, column filters) out."""
    parts = [f'"{term}"' for term in query.terms]
    if query.prefix:
        parts[-1] = f'({parts[-1]} OR "{query.prefix}"*)'
    parts += ['"' + " ".join(phrase) + '"' for phrase in query.phrases]
    return " AND ".join(parts)


class PostgresBackend:
    """A tsvector per testimony (title weight A, the rest B) with a GIN index, ranked with
    ts_rank_cd. The 'simple' configuration only splits and lower-cases: the stems are ours."""

    relation = "search_document"
    in_lookup = "in"

    def __init__(self, alias: str) -> None:
        self.alias = alias

    def write(self, documents: Sequence[SearchDocument], *, replace: bool) -> None:
        # One statement per batch; the tsvector is computed by PostgreSQL. Rows that do not
        # change are not rewritten, so rebuilding an up-to-date index writes nothing.
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {POSTGRES_TABLE} AS entry (testimony_id, document)"
                " SELECT id, setweight(to_tsvector('simple', title), 'A')"
                " || setweight(to_tsvector('simple', body), 'B')"
                " FROM unnest(%s::bigint[], %s::text[], %s::text[]) AS doc(id, title, body)"
                " ON CONFLICT (testimony_id) DO UPDATE SET document = EXCLUDED.document"
                " WHERE entry.document IS DISTINCT FROM EXCLUDED.document",
                [
                    [doc.testimony_id for doc in documents],
                    [doc.title for doc in documents],
                    [doc.body for doc in documents],
                ],
            )

    def delete(self, testimony_ids: Sequence[int]) -> None:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {POSTGRES_TABLE} WHERE testimony_id = ANY(%s)", [list(testimony_ids)]
            )

    def delete_unpublished(self) -> int:
        with connections[self.alias].cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {POSTGRES_TABLE} AS entry WHERE NOT EXISTS (SELECT 1 FROM"
                f" {Testimony._meta.db_table} AS testimony WHERE testimony.id = entry.testimony_id"
                " AND testimony.status = %s)",
                [TestimonyStatus.PUBLISHED.value],
            )
            return cursor.rowcount

    def rebuild_finished(self) -> None:
        # Fresh statistics on the lexemes let the planner see how many rows a query matches.
        with connections[self.alias].cursor() as cursor:
            cursor.execute(f"ANALYZE {POSTGRES_TABLE}")

    def _tsquery(self, query: ParsedQuery) -> SearchQuery:
        return SearchQuery(tsquery_expression(query), search_type="raw", config="simple")

    def matching(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        return queryset.filter(search_document__document=self._tsquery(query))

    def ranked(self, queryset: QuerySet[Testimony], query: ParsedQuery) -> QuerySet[Testimony]:
        rank = SearchRank(
            F("search_document__document"),
            self._tsquery(query),
            weights=POSTGRES_WEIGHTS,
            cover_density=True,
        )
        return self.matching(queryset, query).annotate(search_rank=rank)


def tsquery_expression(query: ParsedQuery) -> str:
    """A to_tsquery text: a & (b <-> c) & (d | de:*). Stems are [a-z0-9]+ only."""
    parts = list(query.terms)
    if query.prefix:
        parts[-1] = f"({parts[-1]} | {query.prefix}:*)"
    parts += ["(" + " <-> ".join(phrase) + ")" for phrase in query.phrases]
    return " & ".join(parts)


def backend_for(alias: str) -> SearchBackend:
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return SqliteBackend(alias)
    if vendor == "postgresql":
        return PostgresBackend(alias)
    raise ImproperlyConfigured(f"Full-text search supports SQLite and PostgreSQL, not {vendor}.")
