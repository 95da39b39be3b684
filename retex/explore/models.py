"""The search index's tables, one per database backend (see retex.explore.search).

Both are written by retex.explore.search only, with plain SQL, and read through a join from
Testimony. Django does not manage them (managed = False): the migration creates the one that
fits the database, as a SQLite FTS5 virtual table or a PostgreSQL table with a GIN index.

Neither has a foreign key constraint: an index row whose testimony is gone joins nothing and is
removed by the next update or rebuild, and Django's test flush (TRUNCATE of managed tables on
PostgreSQL) keeps working.
"""

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Expression, Lookup
from django.db.models.fields.related_lookups import RelatedIn

from retex.contributions.models import Testimony

SQLITE_TABLE = "explore_search_fts"
POSTGRES_TABLE = "explore_search_document"
# PostgreSQL: a smaller vector per testimony, for ranking only (see search.backends).
POSTGRES_RANK_TABLE = "explore_search_rank"
# The listing: one row per published testimony with what the list filters, counts and orders by
# (both backends; plain SQL in retex.explore.search.listing), and the bits of its many-valued
# filters (retex.explore.search.slots).
LISTING_TABLE = "explore_listing"
# The listing's rows counted by place, themes and sub-topics (what most counts per filter value
# read: a few thousand cells instead of a row per testimony).
CELL_TABLE = "explore_listing_cell"
# The listing's rows counted by combination of tools (the tools' counts with no filter, and the
# combinations a tool filter matches).
TOOLSET_TABLE = "explore_listing_toolset"
# The listing's rows counted by tool (once for each of their tools), région, kind, band and
# topics: the tools' counts under most filters.
TOOLCELL_TABLE = "explore_listing_toolcell"


class Fts5TableColumn(models.TextField):
    """The hidden column named after an FTS5 table: the left side of MATCH, and the first
    argument of its ranking functions. Never selected or written."""


@Fts5TableColumn.register_lookup
class Fts5Match(Lookup):
    lookup_name = "match"

    def as_sql(self, compiler, connection):
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        return f"{lhs} MATCH {rhs}", [*lhs_params, *rhs_params]


class _RowidJoin(Expression):
    """testimony.id = +fts.rowid. The unary plus hides the rowid from FTS5 as a constraint, so
    SQLite cannot plan "for each testimony, run the full-text query for that rowid" (a full
    MATCH per testimony: seconds on 100,000) and runs the MATCH once, fetching each matching
    testimony by primary key. Without statistics on the testimony table, it otherwise often
    chooses the former."""

    def __init__(self, testimony_alias: str, fts_alias: str) -> None:
        super().__init__()
        self.testimony_alias = testimony_alias
        self.fts_alias = fts_alias

    def as_sql(self, compiler, connection):
        qn = compiler.quote_name_unless_alias
        testimony_id = f"{qn(self.testimony_alias)}.{qn(Testimony._meta.pk.column)}"
        return f"{testimony_id} = +{qn(self.fts_alias)}.rowid", []


class RowidRel(models.OneToOneRel):
    # The join from Testimony: no column pair, the whole condition is the "extra restriction"
    # (compiled with the join's current aliases).
    def get_joining_fields(self):
        return ()

    def get_extra_restriction(self, alias, related_alias):
        return _RowidJoin(testimony_alias=related_alias, fts_alias=alias)


class RowidOneToOneField(models.OneToOneField):
    """The FTS5 table's rowid, as a one-to-one link to the testimony with that id."""

    rel_class = RowidRel


@RowidOneToOneField.register_lookup
class RowidIn(RelatedIn):
    """rowid IN (…) that FTS5 does not see as a rowid constraint (unary plus): the MATCH is
    then read once, each rowid checked against the list, instead of one MATCH per rowid of
    the list (each re-reading a common word's whole doclist)."""

    lookup_name = "rowid_in"

    def as_sql(self, compiler, connection):
        sql, params = super().as_sql(compiler, connection)
        return f"+{sql}", params


class SqliteSearchEntry(models.Model):
    """SQLite: one row of the FTS5 table; its rowid is the testimony's id."""

    testimony = RowidOneToOneField(
        Testimony,
        primary_key=True,
        db_column="rowid",
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_fts",
    )
    title = models.TextField()
    body = models.TextField()
    fts = Fts5TableColumn(db_column=SQLITE_TABLE)

    class Meta:
        managed = False
        db_table = SQLITE_TABLE

    def __str__(self) -> str:
        return f"search entry of testimony {self.pk}"


class PostgresSearchEntry(models.Model):
    """PostgreSQL: the testimony's weighted tsvector (title A, the rest B), GIN-indexed."""

    testimony = models.OneToOneField(
        Testimony,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_document",
    )
    document = SearchVectorField()

    class Meta:
        managed = False
        db_table = POSTGRES_TABLE

    def __str__(self) -> str:
        return f"search entry of testimony {self.pk}"


class PostgresRankEntry(models.Model):
    """PostgreSQL: the testimony's words with their positions and weights, without the pairs
    and the listing's lexemes of the search vector, kept in the table's rows (not TOASTed):
    ranking a thousand matches then reads a kilobyte each instead of four."""

    testimony = models.OneToOneField(
        Testimony,
        primary_key=True,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="search_rank_vector",
    )
    vector = SearchVectorField()

    class Meta:
        managed = False
        db_table = POSTGRES_RANK_TABLE

    def __str__(self) -> str:
        return f"rank vector of testimony {self.pk}"
