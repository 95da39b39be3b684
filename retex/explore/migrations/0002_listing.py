"""The listing: one row per published testimony with what the list filters, counts and orders
by, its rows counted by place, themes and sub-topics (the cells), by tools (the tool sets) and
by tool, coarse place and topics (the tool cells), and the facet slots that give its
many-valued filters their bits (see retex.explore.search.listing and .slots). SQLite's
full-text table gets a column for the filters' tokens; PostgreSQL's gets the consultation, its
vectors gain word pairs, filter and bucket lexemes, and a smaller vector ranks (see
retex.explore.search).

All are written by retex.explore.search only, with plain SQL, like the full-text tables: no
Django model but the rank table's (for joins). The next migration fills them.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

SQLITE_CREATE = [
    # The full-text table gets a column for the filters' tokens (see search.lexemes).
    "DROP TABLE explore_search_fts",
    "CREATE VIRTUAL TABLE explore_search_fts USING fts5(title, body, facets,"
    " tokenize = 'unicode61')",
    "CREATE TABLE explore_listing ("
    " testimony_id integer PRIMARY KEY,"
    " consultation_id integer NOT NULL,"
    " published_at datetime NOT NULL,"
    " territory_id integer NULL,"
    " region integer NOT NULL,"
    " departement integer NOT NULL,"
    " kind integer NOT NULL,"
    " band integer NULL,"
    " place integer NOT NULL,"
    " population integer NULL,"
    " themes integer NOT NULL DEFAULT 0,"
    " subtopics integer NOT NULL DEFAULT 0,"
    " tools integer NOT NULL DEFAULT 0)",
    # SQLite reads an index in its order without sorting, and an index holding every column
    # a query reads spares a row lookup per testimony: one such index for the pages by date
    # and one for the pages by population (a rare combination of filters walks one alone), one
    # per grouping of the counts.
    "CREATE INDEX explore_listing_date ON explore_listing (consultation_id, published_at DESC,"
    " testimony_id DESC, themes, subtopics, tools, region, departement, kind, band,"
    " territory_id)",
    "CREATE INDEX explore_listing_population ON explore_listing (consultation_id,"
    " population DESC, published_at DESC, testimony_id DESC, themes, subtopics, tools, region,"
    " departement, kind, band, territory_id)",
    "CREATE INDEX explore_listing_geography ON explore_listing (consultation_id, place,"
    " themes, subtopics, tools, territory_id)",
    "CREATE INDEX explore_listing_topics ON explore_listing (consultation_id, themes,"
    " subtopics, region, departement, kind, band, tools, territory_id)",
    "CREATE INDEX explore_listing_tools ON explore_listing (consultation_id, tools, themes,"
    " subtopics, region, departement, kind, band, place, territory_id)",
    "CREATE INDEX explore_listing_territory ON explore_listing (territory_id)",
    # The cells, in the order of the counts by place; an index in that of the counts by topic.
    "CREATE TABLE explore_listing_cell ("
    " consultation_id integer NOT NULL,"
    " place integer NOT NULL,"
    " themes integer NOT NULL,"
    " subtopics integer NOT NULL,"
    " region integer NOT NULL,"
    " departement integer NOT NULL,"
    " kind integer NOT NULL,"
    " band integer NULL,"
    " n integer NOT NULL,"
    " PRIMARY KEY (consultation_id, place, themes, subtopics)) WITHOUT ROWID",
    "CREATE INDEX explore_listing_cell_topics ON explore_listing_cell (consultation_id, themes,"
    " subtopics, region, departement, kind, band, n)",
    "CREATE TABLE explore_listing_toolset ("
    " consultation_id integer NOT NULL,"
    " tools integer NOT NULL,"
    " n integer NOT NULL,"
    " PRIMARY KEY (consultation_id, tools)) WITHOUT ROWID",
    "CREATE TABLE explore_listing_toolcell ("
    " consultation_id integer NOT NULL,"
    " tool integer NOT NULL,"
    " region integer NOT NULL,"
    " kind integer NOT NULL,"
    " band integer NOT NULL,"
    " themes integer NOT NULL,"
    " subtopics integer NOT NULL,"
    " n integer NOT NULL,"
    " PRIMARY KEY (consultation_id, tool, region, kind, band, themes, subtopics))"
    " WITHOUT ROWID",
    "CREATE TABLE explore_facet_slot ("
    " consultation_id integer NOT NULL,"
    " facet integer NOT NULL,"
    " value_id integer NOT NULL,"
    " slot integer NOT NULL,"
    " PRIMARY KEY (consultation_id, facet, value_id),"
    " UNIQUE (consultation_id, facet, slot))",
]
SQLITE_DROP = [
    "DROP TABLE explore_search_fts",
    "CREATE VIRTUAL TABLE explore_search_fts USING fts5(title, body, tokenize = 'unicode61')",
    "DROP TABLE IF EXISTS explore_listing",
    "DROP TABLE IF EXISTS explore_listing_cell",
    "DROP TABLE IF EXISTS explore_listing_toolset",
    "DROP TABLE IF EXISTS explore_listing_toolcell",
    "DROP TABLE IF EXISTS explore_facet_slot",
]

POSTGRES_CREATE = [
    "ALTER TABLE explore_search_document ADD COLUMN consultation_id bigint NULL",
    "CREATE TABLE explore_search_rank (testimony_id bigint PRIMARY KEY, vector tsvector NOT NULL)",
    # In the row, compressed, rather than moved to the TOAST table: ranking reads it.
    "ALTER TABLE explore_search_rank ALTER COLUMN vector SET STORAGE MAIN",
    "CREATE TABLE explore_listing ("
    " testimony_id bigint PRIMARY KEY,"
    " consultation_id bigint NOT NULL,"
    " published_at timestamp with time zone NOT NULL,"
    " territory_id bigint NULL,"
    " region smallint NOT NULL,"
    " departement smallint NOT NULL,"
    " kind smallint NOT NULL,"
    " band smallint NULL,"
    " place integer NOT NULL,"
    " population integer NULL,"
    " themes bigint NOT NULL DEFAULT 0,"
    " subtopics bigint NOT NULL DEFAULT 0,"
    " tools bigint NOT NULL DEFAULT 0)",
    # Pages by date or population: an index-only scan holds every column a filter reads.
    "CREATE INDEX explore_listing_date ON explore_listing (consultation_id, published_at DESC,"
    " testimony_id DESC) INCLUDE (themes, subtopics, tools, region, departement, kind,"
    " band, territory_id)",
    "CREATE INDEX explore_listing_population ON explore_listing (consultation_id,"
    " population DESC NULLS LAST, published_at DESC, testimony_id DESC) INCLUDE (themes,"
    " subtopics, tools, region, departement, kind, band, territory_id)",
    # A tool filter reads the combinations of tools that hold it (see search.listing).
    "CREATE INDEX explore_listing_tools ON explore_listing (consultation_id, tools) INCLUDE"
    " (themes, subtopics, region, departement, kind, band, place, territory_id)",
    "CREATE INDEX explore_listing_territory ON explore_listing (territory_id)",
    "CREATE TABLE explore_listing_cell ("
    " consultation_id bigint NOT NULL,"
    " place integer NOT NULL,"
    " themes bigint NOT NULL,"
    " subtopics bigint NOT NULL,"
    " region smallint NOT NULL,"
    " departement smallint NOT NULL,"
    " kind smallint NOT NULL,"
    " band smallint NULL,"
    " n integer NOT NULL,"
    " PRIMARY KEY (consultation_id, place, themes, subtopics))",
    "CREATE TABLE explore_listing_toolset ("
    " consultation_id bigint NOT NULL,"
    " tools bigint NOT NULL,"
    " n integer NOT NULL,"
    " PRIMARY KEY (consultation_id, tools))",
    "CREATE TABLE explore_listing_toolcell ("
    " consultation_id bigint NOT NULL,"
    " tool smallint NOT NULL,"
    " region smallint NOT NULL,"
    " kind smallint NOT NULL,"
    " band smallint NOT NULL,"
    " themes bigint NOT NULL,"
    " subtopics bigint NOT NULL,"
    " n integer NOT NULL,"
    " PRIMARY KEY (consultation_id, tool, region, kind, band, themes, subtopics))",
    "CREATE TABLE explore_facet_slot ("
    " consultation_id bigint NOT NULL,"
    " facet smallint NOT NULL,"
    " value_id bigint NOT NULL,"
    " slot smallint NOT NULL,"
    " PRIMARY KEY (consultation_id, facet, value_id),"
    " UNIQUE (consultation_id, facet, slot))",
]
POSTGRES_DROP = [
    "DROP TABLE IF EXISTS explore_search_rank",
    "DROP TABLE IF EXISTS explore_listing",
    "DROP TABLE IF EXISTS explore_listing_cell",
    "DROP TABLE IF EXISTS explore_listing_toolset",
    "DROP TABLE IF EXISTS explore_listing_toolcell",
    "DROP TABLE IF EXISTS explore_facet_slot",
    "ALTER TABLE explore_search_document DROP COLUMN IF EXISTS consultation_id",
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("explore", "0001_search_index"),
        ("contributions", "0003_testimony_withheld_fields"),
    ]

    operations = [
        migrations.CreateModel(
            name="PostgresRankEntry",
            fields=[
                (
                    "testimony",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_rank_vector",
                        serialize=False,
                        to="contributions.testimony",
                    ),
                ),
                ("vector", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "db_table": "explore_search_rank",
                "managed": False,
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
