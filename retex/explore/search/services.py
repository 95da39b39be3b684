"""Writes to the search index. Only published testimonies are in it."""

import time
from collections.abc import Callable, Iterable

from django.db import DEFAULT_DB_ALIAS, transaction

from retex.contributions.models import Testimony
from retex.explore.search.backends import backend_for
from retex.explore.search.documents import entries_for, entries_in_batches
from retex.explore.search.slots import slots_assign

REBUILD_BATCH_SIZE = 2000


def search_index_update(*, testimony_ids: Iterable[int], using: str = DEFAULT_DB_ALIAS) -> None:
    """Index again those testimonies that are published, and take the others out: their
    text (the search) and their listing row (the list's filters, counts and orders).

    Call it whenever a testimony is published, edited (once the published text changes),
    unpublished, withdrawn or deleted: a few milliseconds for one testimony. The index lives in
    the same database: called inside the service's transaction, it commits or rolls back with
    the change itself.
    """
    ids = sorted({int(pk) for pk in testimony_ids})
    if not ids:
        return
    backend = backend_for(using)
    with transaction.atomic(using=using):
        entries = entries_for(ids, using=using)
        backend.delete(ids)
        if entries:
            slots = slots_assign([entry.listing for entry in entries], using=using)
            backend.write(entries, slots, replace=False)


def search_index_rebuild(
    *,
    progress: Callable[[str], None] | None = None,
    batch_size: int = REBUILD_BATCH_SIZE,
    using: str = DEFAULT_DB_ALIAS,
) -> int:
    """Index every published testimony again and drop the rows of the others; returns how
    many are indexed.

    Batch after batch, each in its own transaction: memory stays flat, the search keeps
    answering meanwhile (with the old row of a testimony until its batch is written), and the
    publications made meanwhile are not blocked for long. Run it after a change of the
    normalisation (stop words, stemmer) or of what is indexed, or after writes that bypassed
    the services (bulk imports, the demo generator).
    """
    say = progress or (lambda message: None)
    backend = backend_for(using)
    total = Testimony.objects.using(using).published().count()
    say(f"{total} published testimonies to index.")
    backend.rebuild_starting()
    started = time.monotonic()
    written = 0
    for entries in entries_in_batches(batch_size=batch_size, using=using):
        with transaction.atomic(using=using):
            slots = slots_assign([entry.listing for entry in entries], using=using)
            backend.write(entries, slots, replace=True)
        written += len(entries)
        elapsed = time.monotonic() - started
        say(f"{written}/{total} indexed ({written / max(elapsed, 1e-6):,.0f}/s).")
    with transaction.atomic(using=using):
        removed = backend.delete_unpublished()
    if removed:
        say(f"{removed} rows of testimonies no longer published removed.")
    backend.rebuild_finished()
    return written
