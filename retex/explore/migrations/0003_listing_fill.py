"""Fill the listing and index again the full text of an existing database (the demo's, a
production one): the same as `retex search rebuild`. A new database has nothing to index.

Not atomic: the rebuild commits batch after batch (see search_index_rebuild), so that a large
database is not indexed in one long transaction; run again, it picks up where it is (each
batch is an upsert).
"""

from django.db import migrations


def rebuild_when_needed(apps, schema_editor):
    alias = schema_editor.connection.alias
    Testimony = apps.get_model("contributions", "Testimony")
    if not Testimony.objects.using(alias).filter(status="published").exists():
        return
    # The current code on purpose: it writes what the current search reads.
    from retex.explore.search import search_index_rebuild  # noqa: PLC0415

    search_index_rebuild(using=alias, progress=print)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("explore", "0002_listing"),
    ]

    operations = [
        migrations.RunPython(rebuild_when_needed, migrations.RunPython.noop),
    ]
