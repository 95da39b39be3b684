"""Reading the territories reference: look-ups by code and by name."""

from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When

from retex.core.text import fold, fold_words
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory, TerritoryNameToken

MAX_QUERY_WORDS = 6
SEARCH_RESULT_FIELDS = [
    "kind",
    "code",
    "name",
    "population",
    "departement__code",
    "departement__name",
]
# Folded names only hold [a-z0-9]; the successor of a character is taken in that alphabet so
# that the bound compares the same way under any database collation.
_ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz"


def _prefix_upper_bound(prefix: str) -> str | None:
    """Smallest string greater than every string starting with `prefix` (None: no bound)."""
    stripped = prefix.rstrip("z")
    if not stripped:
        return None
    last = stripped[-1]
    position = _ALPHABET.find(last)
    successor = _ALPHABET[position + 1] if position >= 0 else chr(ord(last) + 1)
    return stripped[:-1] + successor


def _prefix_filter(field: str, prefix: str) -> dict[str, str]:
    """Keyword filter "field starts with prefix" as a range, which a plain B-tree index serves
    on SQLite and PostgreSQL alike (LIKE needs special operator classes or collations)."""
    bounds = {f"{field}__gte": prefix}
    upper = _prefix_upper_bound(prefix)
    if upper is not None:
        bounds[f"{field}__lt"] = upper
    return bounds


def territory_search(
    *, query: str, kinds: Iterable[str] | None = None, limit: int = 10
) -> QuerySet[Territory]:
    """Territories whose name has a word starting with each word of the query.

    Accent- and case-insensitive ("sete" finds Sète). Exact names come first, then names that
    start with the query (for a group, once its legal form is set aside: "beauv" matches the
    "Communauté d'agglomération du Beauvaisis"), then names with another matching word; bigger
    places first within each.
    """
    words = fold_words(query)[:MAX_QUERY_WORDS]
    if not words:
        return Territory.objects.none()
    territories = Territory.objects.all()
    kinds = [kind for kind in (kinds or []) if kind in TerritoryKind.values]
    if kinds:
        territories = territories.filter(kind__in=kinds)
    # The longest word is the most selective; shorter ones are checked on the same rows.
    for word in sorted(set(words), key=len, reverse=True):
        matching = TerritoryNameToken.objects.filter(**_prefix_filter("token", word))
        territories = territories.filter(pk__in=matching.values("territory_id"))
    folded_query = fold(query)
    return (
        territories.select_related("departement")
        .only(*SEARCH_RESULT_FIELDS)
        .annotate(
            name_match=Case(
                When(search_name=folded_query, then=Value(0)),
                When(search_alias=folded_query, then=Value(1)),
                When(
                    Q(**_prefix_filter("search_name", folded_query))
                    | Q(**_prefix_filter("search_alias", folded_query)),
                    then=Value(2),
                ),
                default=Value(3),
                output_field=IntegerField(),
            )
        )
        .order_by("name_match", F("population").desc(nulls_last=True), "name")[:limit]
    )


def territory_get(*, kind: str, code: str) -> Territory | None:
    return (
        Territory.objects.select_related("departement", "region", "epci")
        .filter(kind=kind, code=code)
        .first()
    )


REFERENCE_VERSION_KEY = "territories:reference-version"


def reference_version() -> str:
    """Changes at every load of the reference, so cached search answers never outlive it."""
    return cache.get_or_set(REFERENCE_VERSION_KEY, "0", timeout=None)
