"""The listing's values as extra words of a testimony's full-text entry: lexemes of its
tsvector on PostgreSQL, tokens of the FTS5 table's `facets` column on SQLite.

A search with filters then runs inside the GIN index alone: `'commande' & '~r32' & '~t4'`
intersects posting lists, where a condition on the listing table would be checked on
every testimony holding the word (a quarter of them for a common word). They start with "~",
which no stem holds (stems are [a-z0-9]+), and have no position: ranks ignore them (the rank
uses the words alone).

The *bucket* lexeme (`~b<id // 8192>`) groups testimonies by id: the newest matches of a common
word are found by asking the newest buckets first (see backends.PostgresBackend), so that the
work stays bounded by the matches kept, not by all the matches.
"""

from collections.abc import Iterable, Sequence

from retex.explore.search.documents import ListingRow

BUCKET_BITS = 13


def bucket_of(testimony_id: int) -> int:
    return testimony_id >> BUCKET_BITS


def first_id_of(bucket: int) -> int:
    return bucket << BUCKET_BITS


def bucket_lexeme(bucket: int) -> str:
    return f"~b{bucket}"


def consultation_lexeme(consultation_id: int) -> str:
    """SQLite's full-text table has no consultation column: a token says it (PostgreSQL's
    has one)."""
    return f"~c{consultation_id}"


def row_lexemes(row: ListingRow) -> list[str]:
    """The lexemes of a testimony's listing values (as `filter_lexemes` asks for them)."""
    found = [bucket_lexeme(bucket_of(row.testimony_id)), f"~k{row.kind}"]
    if row.region:
        found.append(f"~r{row.region}")
    if row.departement:
        found.append(f"~d{row.departement}")
    if row.territory_id is not None:
        found.append(f"~p{row.territory_id}")
    if row.band is not None:
        found.append(f"~n{row.band}")
    found += [f"~t{pk}" for pk in row.theme_ids]
    found += [f"~s{pk}" for pk in row.subtopic_ids]
    found += [f"~o{pk}" for pk in row.tool_ids]
    return found


def filter_lexemes(
    *,
    theme_id: int | None,
    subtopic_id: int | None,
    region: str,
    departement: str,
    territory_id: int | None,
    kind: int | None,
    band: int | None,
    tool_ids: Sequence[int],
) -> list[str]:
    """The lexemes a testimony passing these filters holds (each one required). The
    consultation is not one of them: the index's own column says it, more cheaply than a
    lexeme every testimony of the consultation holds."""
    found = []
    for prefix, value in (
        ("t", theme_id),
        ("s", subtopic_id),
        ("r", region or None),
        ("d", departement or None),
        ("p", territory_id),
        ("k", kind),
        ("n", band),
    ):
        if value is not None:
            found.append(f"~{prefix}{value}")
    found += [f"~o{pk}" for pk in tool_ids]
    return found


def quoted(lexemes: Iterable[str]) -> list[str]:
    """As tsquery or tsvector text (lexemes hold no quote nor backslash)."""
    return [f"'{lexeme}'" for lexeme in lexemes]


def fts5_tokens(lexemes: Iterable[str]) -> list[str]:
    """SQLite: the lexemes as FTS5 tokens ("~r32" → "zzr32"), letters and digits only as the
    tokenizer wants them, in their own column (no search of the words looks there), without
    the buckets (FTS5 reads its matches newest first by itself)."""
    return [f"zz{lexeme[1:].lower()}" for lexeme in lexemes if not lexeme.startswith("~b")]
