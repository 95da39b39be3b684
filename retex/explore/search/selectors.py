"""Reads: testimonies matching a search, ranked, and their highlighted extracts."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from retex.contributions.models import Testimony
from retex.explore.search.backends import backend_for
from retex.explore.search.documents import public_body_fields
from retex.explore.search.snippets import SNIPPET_LENGTH, highlight, snippet
from retex.explore.search.text import ParsedQuery, parse_query


def _parsed(text: str | ParsedQuery, prefix_last: bool = False) -> ParsedQuery:
    return text if isinstance(text, ParsedQuery) else parse_query(text, prefix_last=prefix_last)


# A search returns at most this many testimonies: ranking every match of a word found in a
# quarter of 1,000,000 testimonies takes seconds, and no one reads past page 50.
RESULTS_LIMIT = 1000


@dataclass(frozen=True)
class SearchCount:
    """How many testimonies matched: `value`, or more than `value` when not `exact`."""

    value: int
    exact: bool


@dataclass(frozen=True)
class SearchResults:
    """What a results page needs. `testimonies` is a lazy queryset (paginate it, add
    select_related…); its count is `count.value`, known already."""

    query: ParsedQuery
    testimonies: QuerySet[Testimony]
    count: SearchCount


def search(
    *,
    queryset: QuerySet[Testimony],
    text: str | ParsedQuery,
    prefix_last: bool = False,
    limit: int | None = RESULTS_LIMIT,
) -> SearchResults:
    """The testimonies of `queryset` that match `text`, most relevant first, each with its
    `search_rank` (higher is better; only comparable within one search), and their count.

    The queryset keeps its own filters (consultation, theme, région…); the index only holds
    published testimonies, so nothing else can match. When more than `limit` testimonies
    match, the results are the `limit` most recent of them (by id), ranked, and the count
    says "more than `limit`": the work stays bounded however broad the search. The
    candidates are read first, newest first, and no further than `limit + 1` (FTS5 walks its
    index in that order; PostgreSQL asks the newest buckets of ids first, see
    `backends.PostgresBackend.newest_matches`); the returned queryset ranks only them.
    `limit=None` ranks every match (and counts them with one more query).

    A text with no searchable word (empty, or only stop words such as "de la") matches
    nothing: check `parse_query(text)` first to show something else. `prefix_last` lets the
    last word match as a prefix (search as you type).
    """
    query = _parsed(text, prefix_last)
    if not query:
        return SearchResults(query=query, testimonies=queryset.none(), count=SearchCount(0, True))
    backend = backend_for(queryset.db)
    if limit is None:
        ranked = backend.ranked(queryset, query)
        count = SearchCount(value=ranked.count(), exact=True)
    else:
        key = f"{backend.relation}__testimony_id"
        newest = backend.newest_matches(queryset, query, limit + 1)
        count = SearchCount(value=min(len(newest), limit), exact=len(newest) <= limit)
        # The condition is on the index's own id column: SQLite checks it while reading the
        # MATCH, before fetching any testimony (see models.RowidIn).
        ranked = backend.ranked(
            queryset.filter(**{f"{key}__{backend.in_lookup}": newest[:limit]}), query
        )
    return SearchResults(
        query=query, testimonies=ranked.order_by("-search_rank", "-pk"), count=count
    )


def search_testimonies(
    *,
    queryset: QuerySet[Testimony],
    text: str | ParsedQuery,
    prefix_last: bool = False,
    limit: int | None = RESULTS_LIMIT,
) -> QuerySet[Testimony]:
    """`search(…).testimonies`: the matching testimonies of `queryset`, most relevant first,
    annotated with `search_rank`; at most `limit`, the most recent, when more match."""
    return search(queryset=queryset, text=text, prefix_last=prefix_last, limit=limit).testimonies


def search_count(
    *,
    queryset: QuerySet[Testimony],
    text: str | ParsedQuery,
    prefix_last: bool = False,
    at_most: int = RESULTS_LIMIT,
) -> SearchCount:
    """How many testimonies of `queryset` match `text`, counting no further than `at_most`
    (an exact count reads every match: 25,000 for a common word in 100,000 testimonies)."""
    query = _parsed(text, prefix_last)
    if not query:
        return SearchCount(value=0, exact=True)
    matches = backend_for(queryset.db).matching(queryset, query)
    found = matches.order_by().values("pk")[: at_most + 1].count()
    return SearchCount(value=min(found, at_most), exact=found <= at_most)


def search_snippets(
    *, testimony: Testimony, text: str | ParsedQuery, length: int = SNIPPET_LENGTH
) -> SafeString:
    """About `length` characters of the testimony's initiative, difficulties or lessons
    (whichever matches best; never one a moderator kept private) with the matched words in
    <mark>; safe HTML. Load the testimonies with their `withheld_fields`."""
    query = _parsed(text)
    fields = public_body_fields(testimony.withheld_fields or [])
    return snippet([getattr(testimony, name) for name in fields], query, length=length)


def search_snippets_many(
    *, testimonies: Iterable[Testimony], text: str | ParsedQuery, length: int = SNIPPET_LENGTH
) -> dict[int, SafeString]:
    """`search_snippets` for a page of results, by testimony id (the query is parsed once)."""
    query = _parsed(text)
    return {
        testimony.pk: search_snippets(testimony=testimony, text=query, length=length)
        for testimony in testimonies
    }


def search_highlight(*, text: str, query: str | ParsedQuery) -> SafeString:
    """A whole short text (a title) escaped, with the words matching the query in <mark>."""
    return highlight(text, _parsed(query))
