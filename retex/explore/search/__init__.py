"""French full-text search over published testimonies: one interface, two backends.

What is searched: a testimony's title, its initiative, difficulties and lessons, the names of
its tools, and its collectivity's name (unless the testimony is anonymous). Only published
testimonies are in the index.

How (and why this way):

- **One normalisation pipeline, in Python** (`text.py`), for documents and queries alike:
  words → fold accents and case (`retex.core.text.fold`) → drop French stop words and single
  letters → Snowball French stemmer. "Commandes", "commande" and "COMMANDÉ" all become
  "command"; "télétravail" and "teletravail" are the same word. The databases only ever see
  these stems, so SQLite and PostgreSQL find exactly the same testimonies, and neither needs
  a French dictionary, `unaccent` or any extension.
- **SQLite** (the embedded default): an FTS5 table `explore_search_fts(title, body)` whose
  rowid is the testimony's id, joined to the testimony table on `testimony.id = +fts.rowid`.
  The unary plus matters: it keeps SQLite from running one MATCH per testimony (see
  `models.RowidRel`). Ranked by bm25, the title weighing ten times the rest.
- **PostgreSQL** (production): a table `explore_search_document(testimony_id, document
  tsvector)` with a GIN index; the tsvector is `to_tsvector('simple', …)` of the stems, the
  title with weight A, the rest B. Joined on testimony_id, matched with `@@ to_tsquery`,
  ranked by `ts_rank_cd` (A = 1.0, B = 0.2).
- **Queries** (`parse_query`): loose words are required terms (AND); text in double quotes
  (or « guillemets ») is a phrase whose stems must follow each other (FTS5 "a b", tsquery
  a <-> b); on request the last word also matches as a prefix. Stop words are dropped from
  phrases as from the index: "marché de plein vent" finds "marché du plein vent" too, never
  the three words apart.
- **Bounded work** (`search`): a search returns at most 1,000 testimonies. One query walks
  the index newest first (both backends give that order without sorting), keeps the matches
  that pass the caller's filters and stops after 1,001: that is the count ("more than
  1,000" past it) and the candidates; the returned queryset ranks only them. A word found in
  a quarter of a million testimonies then costs no more than a rarer one, where ranking every
  match would take seconds. `limit=None` ranks them all.
- **Snippets** are built in Python from the original text (accents and capitals as written):
  the same word splitter gives each word's offsets and stem, matches are wrapped in <mark>,
  everything else escaped, and the ~200 characters with the most different matches kept.
- **Kept in sync** by `search_index_update(testimony_ids=…)`, called by the services that
  publish, edit or unpublish a testimony, and rebuilt by `retex search rebuild`
  (`search_index_rebuild`), in batches with flat memory.

The backend is chosen from the connection's vendor (`backends.backend_for`); the explore app's
migration creates the tables of that vendor only.
"""

from retex.explore.search.listing import (
    SEARCH_WINDOW,
    FacetCounts,
    ListingPage,
    ListingQuery,
    listing_count,
    listing_page,
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
