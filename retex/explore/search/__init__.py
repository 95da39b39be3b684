"""French full-text search and the list's filters over published testimonies: one interface,
two backends.

What is searched: a testimony's title, its initiative, difficulties and lessons, the names of
its tools, and its collectivity's name, but never what the public page hides: the name of an
anonymous testimony's collectivity, the fields a moderator kept private (`withheld_fields`).
Only published testimonies are in the index.

How (and why this way):

- **One normalisation pipeline, in Python** (`text.py`), for documents and queries alike:
  words → fold accents and case (`retex.core.text.fold`) → drop French stop words and single
  letters → Snowball French stemmer. "Commandes", "commande" and "COMMANDÉ" all become
  "command"; "télétravail" and "teletravail" are the same word. The databases only ever see
  these stems, so SQLite and PostgreSQL find exactly the same testimonies, and neither needs
  a French dictionary, `unaccent` or any extension.
- **The listing** (`listing.py`, `documents.ListingRow`): one row per published testimony
  with what the list filters, counts and orders by (consultation, date, région, département,
  kind, band, population, collectivity), the many-valued filters (themes, sub-topics, tools)
  as bits (`slots.py`). Small tables count its rows by a few columns and are kept up to date
  with it: the *cells* (by place and topics), the *tool sets* and the *tool cells*; the counts
  per filter value read them, a few thousand rows, instead of a row per testimony. An
  anonymous testimony's row has no département nor collectivity, a testimony's private tools
  no bit: no filter or count tells what the page hides.
- **SQLite** (the embedded default): an FTS5 table `explore_search_fts(title, body, facets)`
  whose rowid is the testimony's id; `facets` holds the listing's values as tokens
  (`lexemes.py`), so that a search with filters is answered by FTS5 alone, newest first.
  Ranked by bm25, the title weighing ten times the rest.
- **PostgreSQL** (production): `explore_search_document(testimony_id, consultation_id,
  document tsvector)` with a GIN index. The tsvector, written as text by Python, holds the
  stems with their positions (title weight A, the rest B), each pair of consecutive stems as
  one more lexeme (a phrase is found from the index alone), the listing's values as lexemes
  and a *bucket* lexeme per 8,192 ids: a search asks the newest buckets first and stops once
  it has enough (a common word does not read its 250,000 matches). Ranked by `ts_rank_cd` on
  a smaller vector without pairs, kept in the row (`explore_search_rank`).
- **Queries** (`parse_query`): loose words are required terms (AND); text in double quotes
  (or « guillemets ») is a phrase whose stems must follow each other; on request the last
  word also matches as a prefix. Stop words are dropped from phrases as from the index:
  "marché de plein vent" finds "marché du plein vent" too, never the three words apart.
- **Bounded work**: a search reads at most its 1,000 newest matches (`RESULTS_LIMIT`,
  `listing.SEARCH_WINDOW`): the count says "more than 1,000" past it, and only those are
  ranked. A word found in a quarter of a million testimonies then costs no more than a rarer
  one. `search` works on any testimony queryset (the moderation queue's search of published
  testimonies); the list page uses `listing_page`, which also gives the counts per filter
  value, and the API and the files `listing_search_matches`.
- **Snippets** are built in Python from the original text (accents and capitals as written):
  the same word splitter gives each word's offsets and stem, matches are wrapped in <mark>,
  everything else escaped, and the ~200 characters with the most different matches kept.
- **Kept in sync** by `search_index_update(testimony_ids=…)`, called by the services that
  publish, edit or unpublish a testimony, and rebuilt by `retex search rebuild`
  (`search_index_rebuild`), in batches with flat memory.

The backend is chosen from the connection's vendor (`backends.backend_for`); the explore app's
migrations create the tables of that vendor only.
"""

from retex.explore.search.listing import (
    SEARCH_WINDOW,
    FacetCounts,
    ListingPage,
    ListingQuery,
    listing_count,
    listing_page,
    listing_search_matches,
    listing_testimonies,
)
from retex.explore.search.selectors import (
    RESULTS_LIMIT,
    SearchCount,
    SearchResults,
    search,
    search_count,
    search_highlight,
    search_snippets,
    search_snippets_many,
    search_testimonies,
)
from retex.explore.search.services import search_index_rebuild, search_index_update
from retex.explore.search.slots import SlottedTool, slots_and_tools, slotted_values
from retex.explore.search.text import ParsedQuery, normalise, parse_query

__all__ = [
    "RESULTS_LIMIT",
    "SEARCH_WINDOW",
    "FacetCounts",
    "ListingPage",
    "ListingQuery",
    "listing_count",
    "listing_page",
    "listing_search_matches",
    "listing_testimonies",
    "SlottedTool",
    "slots_and_tools",
    "slotted_values",
    "ParsedQuery",
    "SearchCount",
    "SearchResults",
    "search",
    "normalise",
    "parse_query",
    "search_count",
    "search_highlight",
    "search_index_rebuild",
    "search_index_update",
    "search_snippets",
    "search_snippets_many",
    "search_testimonies",
]
