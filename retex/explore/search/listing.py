"""Reads of the listing: a page of a consultation's published testimonies under filters, an
order and maybe a search, with how many there are and the counts per filter value.

Everything is read from the listing table (one row per published testimony, the columns the
list filters on; see documents.ListingRow and slots), never from the testimonies and their
links, so that the work does not depend on joins:

- **Counts per filter value** follow the usual rule of faceted lists: the count shown beside a
  value is the number of testimonies the list would show with that value chosen instead, the
  other filters unchanged (a région's count ignores the chosen région, not the chosen theme).
  Themes and sub-topics count as one dimension (a sub-topic belongs to a theme): their counts
  ignore both choices. Tools are the exception: several may be chosen and a testimony must
  name them all, so a tool's count is how many of the current results also name it. Three
  groupings give all of them: by (région, département, kind, band) under the many-valued
  filters; by (themes, sub-topics) under the others; by tools under all. Each returns at most
  a few thousand groups, which Python sorts out (a group's count goes to a value when it passes
  the other filters); the total comes with them. One statement: three GROUP BY that SQLite
  reads each from an index in its order, or one pass with GROUPING SETS on PostgreSQL.
- **A page** is one more query on the same table, ordered by date or population, with
  LIMIT/OFFSET.
- **With a search**, the ids of the newest `SEARCH_WINDOW` + 1 matches are read from the
  full-text index alone (the filters are words of the index too: see lexemes.py), first those
  passing the filters, then, when they are no more than `SEARCH_WINDOW`, those of the words
  alone. When the latter are no more than `SEARCH_WINDOW`, everything (filters, counts, order,
  page) is computed from their listing rows in Python, exactly. Otherwise the newest
  `SEARCH_WINDOW` that pass the filters are ranked; the count then says "more than" when
  there are more, and the counts per value are not given (None): counting every match of a
  word found in a quarter of the testimonies is what this bound avoids.
"""

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connections

from retex.contributions.enums import WithholdableField
from retex.contributions.models import Testimony
from retex.explore.models import CELL_TABLE, LISTING_TABLE, TOOLCELL_TABLE, TOOLSET_TABLE
from retex.explore.search.backends import backend_for
from retex.explore.search.documents import (
    BAND_CODES,
    KIND_CODES,
    code_number,
    number_code,
    place_values,
)
from retex.explore.search.lexemes import filter_lexemes
from retex.explore.search.slots import SUBTOPIC, THEME, TOOL, Slots, slots_read
from retex.explore.search.text import ParsedQuery

# How many matches of a search are read at most (see the module's docstring).
SEARCH_WINDOW = 1000

DATE, RELEVANCE, POPULATION = "date", "relevance", "population"

_KIND_NAMES = {code: name for name, code in KIND_CODES.items()}
_BAND_NAMES = {code: name for name, code in BAND_CODES.items()}
_ORDER_SQL = {
    DATE: "l.published_at DESC, l.testimony_id DESC",
    POPULATION: "l.population DESC NULLS LAST, l.published_at DESC, l.testimony_id DESC",
}
_ROW_COLUMNS = (
    "l.testimony_id",
    "l.published_at",
    "l.population",
    "l.territory_id",
    "l.region",
    "l.departement",
    "l.kind",
    "l.band",
    "l.themes",
    "l.subtopics",
    "l.tools",
)


@dataclass(frozen=True)
class ListingQuery:
    """A filter state in the listing's terms (ids and codes already resolved). `nothing` says
    a filter names something that does not exist (an unknown région code): no testimony."""

    consultation_id: int
    theme_id: int | None = None
    subtopic_id: int | None = None
    region: str = ""
    departement: str = ""
    territory_id: int | None = None
    kind: str = ""
    band: str = ""
    tool_ids: tuple[int, ...] = ()
    nothing: bool = False
    text: ParsedQuery | None = None
    sort: str = DATE


@dataclass
class FacetCounts:
    """Published testimonies per filter value (see the module's docstring for the rule).
    Keys: theme, sub-topic and tool ids, région and département codes, kind and band values.
    A value absent has none."""

    themes: dict[int, int] = field(default_factory=dict)
    subtopics: dict[int, int] = field(default_factory=dict)
    tools: dict[int, int] = field(default_factory=dict)
    regions: dict[str, int] = field(default_factory=dict)
    departements: dict[str, int] = field(default_factory=dict)
    kinds: dict[str, int] = field(default_factory=dict)
    bands: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ListingPage:
    """One page of the listing: the ids of its testimonies in order, how many testimonies
    match in all (`count`, or more than that when not `exact`), the counts per filter value
    (None for a search with more than SEARCH_WINDOW matches), and the search rank of each
    testimony of the page (searches only)."""

    testimony_ids: list[int]
    count: int
    exact: bool
    counts: FacetCounts | None
    ranks: dict[int, float] = field(default_factory=dict)


@dataclass(frozen=True)
class _Condition:
    sql: str
    params: list
    # Whether Python can check it on a row or a group (False: a subquery, SQL only).
    in_python: bool = True
    column: int = -1  # the row column it tests (_ROW_COLUMNS index)
    value: int | None = None  # equality, or the bits that must all be set
    bits: bool = False


# Dimensions that are one value per testimony, and their row column.
_SINGLE = {"region": 4, "departement": 5, "kind": 6, "band": 7}
_THEMES, _SUBTOPICS, _TOOLS = 8, 9, 10


def _link_subquery(table: str, column: str, value_id: int) -> tuple[str, list]:
    return (
        f"l.testimony_id IN (SELECT testimony_id FROM {table} WHERE {column} = %s)",
        [value_id],
    )


def _conditions(query: ListingQuery, slots: Slots) -> dict[str, _Condition]:
    """One condition per active filter, by dimension."""
    found: dict[str, _Condition] = {}
    if query.nothing:
        found["nothing"] = _Condition("1 = 0", [], in_python=False)
    for name, facet, value_id, table, column, row_column in (
        ("theme", THEME, query.theme_id, "contributions_testimony_themes", "theme_id", _THEMES),
        (
            "subtopic",
            SUBTOPIC,
            query.subtopic_id,
            "contributions_testimony_subtopics",
            "subtopic_id",
            _SUBTOPICS,
        ),
    ):
        if value_id is None:
            continue
        slot = slots.slot(facet, value_id)
        if slot is None:
            sql, params = _link_subquery(table, column, value_id)
            found[name] = _Condition(sql, params, in_python=False)
        else:
            found[name] = _Condition(
                f"l.{column.split('_')[0]}s & %s <> 0",
                [1 << slot],
                column=row_column,
                value=1 << slot,
                bits=True,
            )
    if query.tool_ids:
        mask = slots.bits(TOOL, query.tool_ids)
        unslotted = [tool_id for tool_id in query.tool_ids if slots.slot(TOOL, tool_id) is None]
        sql_parts, params = [], []
        if mask:
            # The combinations of tools holding them all, from the tool sets: an index on
            # the tools then finds their rows without reading the others.
            sql_parts.append(
                f"l.tools IN (SELECT tools FROM {TOOLSET_TABLE} WHERE consultation_id = %s"
                " AND tools & %s = %s)"
            )
            params += [query.consultation_id, mask, mask]
        for tool_id in unslotted:
            # Tools a moderator kept private are 0 in the listing, never in the links table.
            sql_parts.append(
                "l.testimony_id IN (SELECT link.testimony_id FROM contributions_testimony_tools"
                " AS link JOIN contributions_testimony AS t ON t.id = link.testimony_id"
                " WHERE link.tool_id = %s AND CAST(t.withheld_fields AS text) NOT LIKE %s)"
            )
            params += [tool_id, f'%"{WithholdableField.TOOLS.value}"%']
        found["tools"] = _Condition(
            " AND ".join(sql_parts),
            params,
            in_python=not unslotted,
            column=_TOOLS,
            value=mask,
            bits=True,
        )
    if query.territory_id is not None:
        found["territory"] = _Condition(
            "l.territory_id = %s", [query.territory_id], column=3, value=query.territory_id
        )
    single_values = {
        "region": code_number(query.region) or None,
        "departement": code_number(query.departement) or None,
        "kind": KIND_CODES.get(query.kind) if query.kind else None,
        "band": BAND_CODES.get(query.band) if query.band else None,
    }
    for name, value in single_values.items():
        if value is not None:
            found[name] = _Condition(
                f"l.{name} = %s",
                [value],
                column=_SINGLE[name],
                value=value,
            )
    return found


def _where(consultation_id: int, conditions: Iterable[_Condition]) -> tuple[str, list]:
    sql, params = ["l.consultation_id = %s"], [consultation_id]
    for condition in conditions:
        sql.append(condition.sql)
        params += condition.params
    return " AND ".join(sql), params


def _passes(condition: _Condition, row: Sequence) -> bool:
    if condition.bits:
        return row[condition.column] & condition.value == condition.value
    return row[condition.column] == condition.value


# --- Counts ----------------------------------------------------------------------------------

# The three groupings, each with the dimensions whose filters it leaves to Python.
_GEO_DIMENSIONS = ("region", "departement", "kind", "band")
_TOPIC_DIMENSIONS = ("theme", "subtopic")


def _split(conditions: dict[str, _Condition], python_side: Sequence[str]) -> tuple[list, dict]:
    """(conditions SQL applies, conditions Python applies per group) for a grouping."""
    in_sql, in_python = [], {}
    for name, condition in conditions.items():
        if name in python_side and condition.in_python:
            in_python[name] = condition
        else:
            in_sql.append(condition)
    return in_sql, in_python


# The filters the cells can apply (they hold these columns), and those the tool cells can (no
# département: their place is the région). Any other filter, a tool or a collectivity, sends
# the counts to the listing's rows.
_CELL_DIMENSIONS = frozenset({"theme", "subtopic", "region", "departement", "kind", "band"})
_TOOLCELL_DIMENSIONS = frozenset({"theme", "subtopic", "region", "kind", "band"})
_NULL = "CAST(NULL AS bigint)"


@dataclass(frozen=True)
class _Grouping:
    number: int
    python_side: tuple[str, ...]  # the dimensions whose filters Python applies to its groups
    columns: str  # place, themes, subtopics, tools (NULL for those it does not group by)
    group_by: str


_GROUPINGS = (
    _Grouping(0, _GEO_DIMENSIONS, f"l.place, {_NULL}, {_NULL}, {_NULL}", "l.place"),
    _Grouping(
        1, _TOPIC_DIMENSIONS, f"{_NULL}, l.themes, l.subtopics, {_NULL}", "l.themes, l.subtopics"
    ),
    _Grouping(2, (), f"{_NULL}, {_NULL}, {_NULL}, l.tools", "l.tools"),
)


def _source(grouping: _Grouping, conditions: dict[str, _Condition]) -> tuple[str, str, str]:
    """Where a grouping reads (table, count, tools column): the smallest table that holds the
    columns of its filters."""
    names = {name for name, c in conditions.items() if c.in_python} | {
        "sql only" for c in conditions.values() if not c.in_python
    }
    if grouping.number < 2:
        if names <= _CELL_DIMENSIONS:
            return CELL_TABLE, "sum(l.n)", ""
    elif not names:
        return TOOLSET_TABLE, "sum(l.n)", ""
    elif names <= _TOOLCELL_DIMENSIONS:
        # One row per tool: its bit stands for the combination.
        return TOOLCELL_TABLE, "sum(l.n)", "CAST(1 AS bigint) << l.tool"
    return LISTING_TABLE, "count(*)", ""


def _counts_sql(
    query: ListingQuery, conditions: dict[str, _Condition], vendor: str
) -> tuple[str, list]:
    """One statement, three groupings (0: by place, 1: by topics, 2: by tools), joined by
    UNION ALL, each reading the smallest counting table its filters allow: the cells, the tool
    sets or the tool cells (a few thousand rows, each with its count), or else the listing's
    rows. SQLite reads each from an index in its grouping's order. On PostgreSQL, slower per
    row, the groupings that need the rows share one pass (GROUPING SETS)."""
    parts, params, on_rows = [], [], []
    for grouping in _GROUPINGS:
        table, counted, tools_column = _source(grouping, conditions)
        if table == LISTING_TABLE and vendor == "postgresql":
            on_rows.append(grouping)
            continue
        columns, group_by = grouping.columns, grouping.group_by
        if tools_column:
            columns = columns.replace("l.tools", tools_column)
            group_by = "l.tool"
        in_sql, _ = _split(conditions, grouping.python_side)
        where, where_params = _where(query.consultation_id, in_sql)
        parts.append(
            f"SELECT {grouping.number}, {columns}, {counted} FROM {table} AS l"
            f" WHERE {where} GROUP BY {group_by}"
        )
        params += where_params
    if len(on_rows) == 1:
        alone = on_rows[0]
        in_sql, _ = _split(conditions, alone.python_side)
        where, where_params = _where(query.consultation_id, in_sql)
        parts.append(
            f"SELECT {alone.number}, {alone.columns}, count(*) FROM {LISTING_TABLE} AS l"
            f" WHERE {where} GROUP BY {alone.group_by}"
        )
        params += where_params
    elif on_rows:
        sql, more = _grouping_sets_sql(query, conditions, on_rows)
        parts.append(sql)
        params += more
    return " UNION ALL ".join(parts), params


def _grouping_sets_sql(
    query: ListingQuery, conditions: dict[str, _Condition], groupings: list[_Grouping]
) -> tuple[str, list]:
    """Several groupings in one pass over the listing's rows: the WHERE clause holds the
    conditions they share, each counts the rows passing its own (FILTER), and GROUPING() says
    which set a group belongs to (a bit set for each other set's column)."""
    in_sql = {g.number: _split(conditions, g.python_side)[0] for g in groupings}
    common = [c for c in in_sql[groupings[0].number] if all(c in s for s in in_sql.values())]
    keys = [each.group_by.split(",")[0] for each in groupings]
    grouping = f"GROUPING({', '.join(keys)})"
    numbers, counts, params = [], [], []
    for index, each in enumerate(groupings):
        bits = (1 << len(groupings)) - 1 - (1 << (len(groupings) - 1 - index))
        own = [c for c in in_sql[each.number] if c not in common]
        numbers.append(f"WHEN {bits} THEN {each.number}")
        counts.append(
            f"WHEN {bits} THEN count(*) FILTER (WHERE"
            f" {' AND '.join(f'({c.sql})' for c in own) or 'TRUE'})"
        )
        params += [value for c in own for value in c.params]
    included = {each.number for each in groupings}
    columns = ", ".join(
        [
            "l.place" if 0 in included else _NULL,
            "l.themes, l.subtopics" if 1 in included else f"{_NULL}, {_NULL}",
            "l.tools" if 2 in included else _NULL,
        ]
    )
    where, where_params = _where(query.consultation_id, common)
    sets = ", ".join(f"({each.group_by})" for each in groupings)
    sql = (
        f"SELECT CASE {grouping} {' '.join(numbers)} END, {columns},"
        f" CASE {grouping} {' '.join(counts)} END FROM {LISTING_TABLE} AS l"
        f" WHERE {where} GROUP BY GROUPING SETS ({sets})"
    )
    return sql, params + where_params


def _count_groups(query: ListingQuery, conditions: dict[str, _Condition], using: str) -> list:
    """The groups of the three groupings: (grouping, region, departement, kind, band, themes,
    subtopics, tools, count), the place number read back into its four values."""
    connection = connections[using]
    sql, params = _counts_sql(query, conditions, connection.vendor)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        counted = cursor.fetchall()
    groups = []
    for grouping, place, themes, subtopics, tools, n in counted:
        if not n:
            continue
        if grouping == 0:
            groups.append((0, *place_values(place), None, None, None, n))
        else:
            groups.append((grouping, None, None, None, None, themes, subtopics, tools, n))
    return groups


def _add_bits(by_bit: dict[int, int], bits: int, n: int) -> None:
    while bits:
        lowest = bits & -bits
        by_bit[lowest] += n
        bits ^= lowest


def _by_value(by_bit: dict[int, int], slots: Slots, facet: int) -> dict[int, int]:
    return {value_id: by_bit[bit] for bit, value_id in slots.values_of_bits(facet) if bit in by_bit}


def _facets(
    groups: Iterable[Sequence], conditions: dict[str, _Condition], slots: Slots
) -> tuple[FacetCounts, int]:
    """The counts per value, and the total, from the groups of the three groupings: (kind,
    region, departement, kind code, band code, themes, subtopics, tools, count)."""
    total = 0
    _, geo_python = _split(conditions, _GEO_DIMENSIONS)
    geo_conditions = list(geo_python.items())
    regions: dict[str, int] = defaultdict(int)
    departements: dict[str, int] = defaultdict(int)
    kinds: dict[str, int] = defaultdict(int)
    bands: dict[str, int] = defaultdict(int)
    themes: dict[int, int] = defaultdict(int)
    subtopics: dict[int, int] = defaultdict(int)
    tools: dict[int, int] = defaultdict(int)
    for grouping, region, departement, kind, band, theme_set, subtopic_set, tool_set, n in groups:
        if grouping == 0:
            # A group counts for a dimension when it passes the filters of the others: when
            # it fails none, or fails only that dimension's own.
            row = (None, None, None, None, region, departement, kind, band)
            failed = [name for name, c in geo_conditions if not _passes(c, row)]
            if len(failed) > 1:
                continue
            only = failed[0] if failed else None
            if only is None:
                total += n
            if region and only in (None, "region"):
                regions[number_code(region)] += n
            if departement and only in (None, "departement"):
                departements[number_code(departement)] += n
            if kind in _KIND_NAMES and only in (None, "kind"):
                kinds[_KIND_NAMES[kind]] += n
            if band is not None and only in (None, "band"):
                bands[_BAND_NAMES[band]] += n
        elif grouping == 1:
            # Themes and sub-topics are one dimension (a sub-topic belongs to a theme): their
            # counts ignore both choices.
            _add_bits(themes, theme_set, n)
            _add_bits(subtopics, subtopic_set, n)
        else:
            _add_bits(tools, tool_set, n)
    counts = FacetCounts(
        themes=_by_value(themes, slots, THEME),
        subtopics=_by_value(subtopics, slots, SUBTOPIC),
        tools=_by_value(tools, slots, TOOL),
        regions=dict(regions),
        departements=dict(departements),
        kinds=dict(kinds),
        bands=dict(bands),
    )
    return counts, total


def _groups_of_rows(rows: Sequence[Sequence], conditions: dict[str, _Condition]) -> list[tuple]:
    """The three groupings of `_counts_sql`, made in Python from rows (a search's matches)."""
    geo_sql, _ = _split(conditions, _GEO_DIMENSIONS)
    topic_sql, _ = _split(conditions, _TOPIC_DIMENSIONS)
    everything = list(conditions.values())
    groupings: list[dict[tuple, int]] = [defaultdict(int), defaultdict(int), defaultdict(int)]
    for row in rows:
        if all(_passes(c, row) for c in geo_sql):
            groupings[0][(row[4], row[5], row[6], row[7], None, None, None)] += 1
        if all(_passes(c, row) for c in topic_sql):
            groupings[1][(None, None, None, None, row[8], row[9], None)] += 1
        if all(_passes(c, row) for c in everything):
            groupings[2][(None, None, None, None, None, None, row[10])] += 1
    return [
        (index, *key, n) for index, grouping in enumerate(groupings) for key, n in grouping.items()
    ]


# --- Pages -----------------------------------------------------------------------------------


def _sort_key(sort: str, ranks: dict[int, float]):
    def key(row: Sequence) -> tuple:
        testimony_id, published_at, population = row[0], row[1], row[2]
        newest = (published_at, testimony_id)
        if sort == RELEVANCE:
            return (ranks.get(testimony_id, 0.0), newest)
        if sort == POPULATION:
            return (population is not None, population or 0, newest)
        return newest

    return key


def listing_count(query: ListingQuery, *, using: str = DEFAULT_DB_ALIAS) -> FacetCounts:
    """Only the counts per filter value of a filter state (no search, no page)."""
    slots = slots_read([query.consultation_id], using=using)[query.consultation_id]
    conditions = _conditions(query, slots)
    return _facets(_count_groups(query, conditions, using), conditions, slots)[0]


def listing_page(
    query: ListingQuery,
    *,
    page_number: int,
    page_size: int,
    slots: Slots | None = None,
    using: str = DEFAULT_DB_ALIAS,
) -> tuple[ListingPage, int]:
    """A page of the listing and the page number actually shown (the last one when
    `page_number` is past it, the first when it is below 1). `slots`: the consultation's,
    when the caller has read them already (see slots.slots_and_tools)."""
    if slots is None:
        slots = slots_read([query.consultation_id], using=using)[query.consultation_id]
    conditions = _conditions(query, slots)
    if query.text:
        return _search_page(query, conditions, slots, page_number, page_size, using)
    counts, total = _facets(_count_groups(query, conditions, using), conditions, slots)
    number = _page_number(page_number, total, page_size)
    with connections[using].cursor() as cursor:
        where, where_params = _where(query.consultation_id, conditions.values())
        order = _ORDER_SQL[POPULATION if query.sort == POPULATION else DATE]
        cursor.execute(
            f"SELECT l.testimony_id FROM {LISTING_TABLE} AS l WHERE {where} ORDER BY {order}"
            " LIMIT %s OFFSET %s",
            [*where_params, page_size, (number - 1) * page_size],
        )
        ids = [row[0] for row in cursor.fetchall()]
    return ListingPage(testimony_ids=ids, count=total, exact=True, counts=counts), number


def listing_search_matches(
    query: ListingQuery, *, using: str = DEFAULT_DB_ALIAS
) -> tuple[list[int], bool]:
    """The ids of the newest SEARCH_WINDOW testimonies matching `query.text` and passing its
    filters, newest first, and whether they are all the matches: what the API and the files
    list for a search, read from the full-text index like the list page's."""
    slots = slots_read([query.consultation_id], using=using)[query.consultation_id]
    ids = _search_ids(query, _conditions(query, slots), filtered=True, using=using)
    return ids[:SEARCH_WINDOW], len(ids) <= SEARCH_WINDOW


def _page_number(asked: int, count: int, page_size: int) -> int:
    last = max(1, -(-count // page_size))
    return min(max(1, asked), last)


def _search_ids(
    query: ListingQuery, conditions: dict[str, _Condition], *, filtered: bool, using: str
) -> list[int]:
    """The newest SEARCH_WINDOW + 1 matches of the words in the consultation, passing the
    filters when `filtered` (else only the conditions Python cannot check), newest first:
    their ids only, read from the full-text index (the filters as its lexemes or tokens)."""
    sql_only = [c for c in conditions.values() if not c.in_python]
    extra_where, extra_params = _and(sql_only) if sql_only else ("", [])
    lexemes = []
    if filtered:
        lexemes = filter_lexemes(
            theme_id=query.theme_id,
            subtopic_id=query.subtopic_id,
            region=query.region,
            departement=query.departement,
            territory_id=query.territory_id,
            kind=KIND_CODES.get(query.kind) if query.kind else None,
            band=BAND_CODES.get(query.band) if query.band else None,
            tool_ids=query.tool_ids,
        )
    return backend_for(using).listing_search_ids(
        query.text,
        consultation_id=query.consultation_id,
        lexemes=lexemes,
        extra_where=extra_where,
        extra_params=extra_params,
        limit=SEARCH_WINDOW + 1,
    )


def _search_rows(query: ListingQuery, ids: list[int], using: str) -> list[tuple]:
    """Their listing rows (see _ROW_COLUMNS), newest first, with their rank last (None unless
    sorting by relevance)."""
    if not ids:
        return []
    backend = backend_for(using)
    # The date only orders the rows: read as the database sorts it, not made a datetime.
    columns = [backend.sortable_date if c == "l.published_at" else c for c in _ROW_COLUMNS]
    return backend.listing_rows(query.text, ids, columns=columns, ranked=query.sort == RELEVANCE)


def _and(conditions: Sequence[_Condition]) -> tuple[str, list]:
    params: list = []
    for condition in conditions:
        params += condition.params
    return " AND ".join(f"({c.sql})" for c in conditions), params


def _search_page(
    query: ListingQuery,
    conditions: dict[str, _Condition],
    slots: Slots,
    page_number: int,
    page_size: int,
    using: str,
) -> tuple[ListingPage, int]:
    counts = None
    in_python = all(condition.in_python for condition in conditions.values())
    ids = filtered_ids = None
    if conditions:
        # The matches that pass the filters first: when there are more than the window, the
        # matches of the words alone are more still, and are not read.
        filtered_ids = _search_ids(query, conditions, filtered=True, using=using)
    if in_python and (filtered_ids is None or len(filtered_ids) <= SEARCH_WINDOW):
        ids = _search_ids(query, conditions, filtered=False, using=using)
    if ids is not None and len(ids) <= SEARCH_WINDOW:
        # Every match of the words is here: filters, counts and order in Python, exact.
        rows = _search_rows(query, ids, using)
        counts, _ = _facets(_groups_of_rows(rows, conditions), conditions, slots)
        results = [row for row in rows if all(_passes(c, row) for c in conditions.values())]
        exact = True
    else:
        # More matches than read: the newest that pass the filters, no counts.
        kept = filtered_ids if filtered_ids is not None else ids
        exact = len(kept) <= SEARCH_WINDOW
        results = _search_rows(query, kept[:SEARCH_WINDOW], using)
    ranks = {row[0]: row[-1] or 0.0 for row in results}
    results.sort(key=_sort_key(query.sort, ranks), reverse=True)
    number = _page_number(page_number, len(results), page_size)
    shown = results[(number - 1) * page_size : number * page_size]
    page = ListingPage(
        testimony_ids=[row[0] for row in shown],
        count=len(results),
        exact=exact,
        counts=counts,
        ranks={row[0]: ranks[row[0]] for row in shown},
    )
    return page, number


def listing_testimonies(testimony_ids: Sequence[int], queryset) -> list[Testimony]:
    """The testimonies of a page, from `queryset`, in the page's order."""
    found = {testimony.pk: testimony for testimony in queryset.filter(pk__in=testimony_ids)}
    return [found[pk] for pk in testimony_ids if pk in found]
