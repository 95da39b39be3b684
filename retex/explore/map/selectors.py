"""What the map counts: published testimonies per département and per collectivity.

Two grouped queries whatever the number of testimonies: one counts them per collectivity
(anonymous ones apart), one reads those collectivities. An anonymous testimony shows only its
size band and région in public, so it is counted in no commune and no département: the map
says how many are left out instead.
"""

import json
from collections import Counter
from dataclasses import dataclass, field

from django.db import connections
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL

from retex.contributions.models import Testimony
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory

# Collectivities drawn as circles; a département is shaded instead, a région not drawn.
PLACE_KINDS = (TerritoryKind.COMMUNE, TerritoryKind.EPCI)


@dataclass(frozen=True)
class PlaceCount:
    """A commune or intercommunality with its published testimonies."""

    pk: int
    name: str
    kind: str
    departement_code: str | None
    departement_name: str | None
    longitude: float | None
    latitude: float | None
    population: int | None
    count: int


@dataclass(frozen=True)
class MapCounts:
    total: int = 0
    anonymous: int = 0
    # Named testimonies of a collectivity without a département (a région): on no map.
    outside_departements: int = 0
    by_departement: dict[str, int] = field(default_factory=dict)
    departement_names: dict[str, str] = field(default_factory=dict)
    # How many communes and intercommunalities have named testimonies, and those of them
    # described (all, or the `max_places` with the most testimonies), most testimonies first.
    place_count: int = 0
    places: list[PlaceCount] = field(default_factory=list)

    @property
    def on_map(self) -> int:
        return self.total - self.anonymous - self.outside_departements


def map_counts(*, testimonies: QuerySet[Testimony], max_places: int | None = None) -> MapCounts:
    """Counts for the map of these published testimonies (any filtered queryset of them); with
    `max_places`, only that many places are described (those with the most testimonies)."""
    grouped = (
        testimonies.select_related(None)
        .prefetch_related(None)
        .order_by()
        .values_list("territory_id", "anonymous")
        # COUNT(*), not COUNT(id): an index without the id can then answer alone.
        .annotate(count=Count("*"))
    )
    total = anonymous = 0
    named: dict[int, int] = {}
    for territory_id, is_anonymous, count in _rows(grouped):
        total += count
        if is_anonymous:
            anonymous += count
        else:
            named[territory_id] = named.get(territory_id, 0) + count
    territories = Territory.objects.filter(
        pk__in=_id_list(list(named), testimonies.db)
    ).values_list(
        "pk",
        "kind",
        "code",
        "name",
        "longitude",
        "latitude",
        "population",
        "departement__code",
        "departement__name",
    )
    by_departement: Counter[str] = Counter()
    departement_names: dict[str, str] = {}
    outside = 0
    places = []
    for row in _rows(territories):
        pk, kind, code, name, _longitude, _latitude, population, departement_code, dep_name = row
        count = named[pk]
        if kind == TerritoryKind.DEPARTEMENT:
            departement_code, dep_name = code, name
        if departement_code is None:
            outside += count
            continue
        by_departement[departement_code] += count
        departement_names[departement_code] = dep_name
        if kind in PLACE_KINDS:
            # Most testimonies first; between equals, the larger place (the one people look
            # for), then by name.
            places.append(((-count, -(population or 0), name, pk), row, count))
    places.sort(key=lambda place: place[0])
    described = places if max_places is None else places[:max_places]
    return MapCounts(
        total=total,
        anonymous=anonymous,
        outside_departements=outside,
        by_departement=dict(by_departement),
        departement_names=departement_names,
        place_count=len(places),
        places=[_place(row, count) for _key, row, count in described],
    )


def _rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list() query as the database driver returns them: thousands of
    rows skip Django's per-value conversions, which none of these columns needs (booleans
    come back as 0/1 from SQLite, as True/False from PostgreSQL: both read the same)."""
    sql, params = queryset.query.sql_with_params()
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _place(row: tuple, count: int) -> PlaceCount:
    pk, kind, _code, name, longitude, latitude, population, departement_code, dep_name = row
    return PlaceCount(
        pk=pk,
        name=name,
        kind=kind,
        departement_code=departement_code,
        departement_name=dep_name,
        longitude=longitude,
        latitude=latitude,
        population=population,
        count=count,
    )


def _id_list(ids: list[int], alias: str) -> RawSQL | list[int]:
    """The ids as one query parameter: Django would otherwise bind thousands of them one by
    one (tens of milliseconds for a map of 100,000 testimonies)."""
    vendor = connections[alias].vendor
    if vendor == "sqlite":
        return RawSQL("SELECT value FROM json_each(%s)", [json.dumps(ids)])
    if vendor == "postgresql":
        # An array literal as text: psycopg's list adapter checks every element (slow here).
        return RawSQL("SELECT unnest(%s::bigint[])", ["{" + ",".join(map(str, ids)) + "}"])
    return ids
