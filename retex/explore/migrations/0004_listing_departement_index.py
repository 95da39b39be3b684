"""A département's rows of the listing (the map links to a département's list): the counts
the cells cannot give (the tools') read them alone instead of every row of the consultation.
"""

from django.db import migrations

SQLITE = (
    "CREATE INDEX IF NOT EXISTS explore_listing_departement ON explore_listing"
    " (consultation_id, departement, tools, themes, subtopics, region, kind, band, place,"
    " territory_id)"
)
POSTGRES = (
    "CREATE INDEX IF NOT EXISTS explore_listing_departement ON explore_listing"
    " (consultation_id, departement) INCLUDE (tools, themes, subtopics, region, kind, band,"
    " place, territory_id)"
)
DROP = "DROP INDEX IF EXISTS explore_listing_departement"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("sqlite", "postgresql"):
        schema_editor.execute(SQLITE if vendor == "sqlite" else POSTGRES)


def drop(apps, schema_editor):
    schema_editor.execute(DROP)


class Migration(migrations.Migration):
    dependencies = [
        ("explore", "0003_listing_fill"),
    ]

    operations = [
        migrations.RunPython(create, drop),
    ]
