"""The full-text search index: an FTS5 table on SQLite, a tsvector table with a GIN index on
PostgreSQL (see retex.explore.search). Fill it with `retex search rebuild`."""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

import retex.explore.models

SQLITE_CREATE = [
    # rowid = testimony id. The text is already normalised (stems of a-z and 0-9): the
    # tokenizer only has to split on spaces. detail=full (the default) keeps positions for
    # phrase queries.
    "CREATE VIRTUAL TABLE explore_search_fts USING fts5(title, body, tokenize = 'unicode61')",
]
SQLITE_DROP = ["DROP TABLE IF EXISTS explore_search_fts"]

POSTGRES_CREATE = [
    "CREATE TABLE explore_search_document ("
    " testimony_id bigint PRIMARY KEY, document tsvector NOT NULL)",
    "CREATE INDEX explore_search_document_gin ON explore_search_document USING gin (document)",
]
POSTGRES_DROP = ["DROP TABLE IF EXISTS explore_search_document"]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("contributions", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="PostgresSearchEntry",
            fields=[
                (
                    "testimony",
                    models.OneToOneField(
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="contributions.testimony",
                    ),
                ),
                ("document", django.contrib.postgres.search.SearchVectorField()),
            ],
            options={
                "db_table": "explore_search_document",
                "managed": False,
            },
        ),
        migrations.CreateModel(
            name="SqliteSearchEntry",
            fields=[
                (
                    "testimony",
                    retex.explore.models.RowidOneToOneField(
                        db_column="rowid",
                        db_constraint=False,
                        on_delete=django.db.models.deletion.DO_NOTHING,
                        primary_key=True,
                        related_name="search_fts",
                        serialize=False,
                        to="contributions.testimony",
                    ),
                ),
                ("title", models.TextField()),
                ("body", models.TextField()),
                (
                    "fts",
                    retex.explore.models.Fts5TableColumn(db_column="explore_search_fts"),
                ),
            ],
            options={
                "db_table": "explore_search_fts",
                "managed": False,
            },
        ),
        migrations.RunPython(
            _run({"sqlite": SQLITE_CREATE, "postgresql": POSTGRES_CREATE}),
            _run({"sqlite": SQLITE_DROP, "postgresql": POSTGRES_DROP}),
        ),
    ]
