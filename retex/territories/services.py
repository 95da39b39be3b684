"""Loading the territories reference: one idempotent operation, safe to run again."""

import math
import time
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction

from retex.core.text import fold, fold_without_legal_form, fold_words
from retex.territories import reference_data
from retex.territories.enums import TerritoryKind
from retex.territories.models import Territory, TerritoryNameToken, TerritoryOutline
from retex.territories.outlines import BoundaryCollector, simplified_outlines
from retex.territories.projection import frame_for
from retex.territories.selectors import REFERENCE_VERSION_KEY

UPDATED_FIELDS = [
    "name",
    "search_name",
    "search_alias",
    "legal_form",
    "population",
    "departement",
    "region",
    "epci",
    "latitude",
    "longitude",
]


@dataclass(frozen=True)
class TerritoriesLoadReport:
    regions: int
    departements: int
    epcis: int
    communes: int
    tokens: int
    outlines: int = 0


def _territory(kind: str, code: str, name: str, **fields) -> Territory:
    return Territory(
        kind=kind,
        code=code,
        name=name,
        search_name=fold(name),
        search_alias=fold_without_legal_form(name) if kind == TerritoryKind.EPCI else "",
        **fields,
    )


def _upsert(territories: list[Territory]) -> dict[str, int]:
    """Insert or update by (kind, code); returns code -> primary key."""
    Territory.objects.bulk_create(
        territories,
        batch_size=2000,
        update_conflicts=True,
        unique_fields=["kind", "code"],
        update_fields=UPDATED_FIELDS,
    )
    kind = territories[0].kind
    return dict(Territory.objects.filter(kind=kind).values_list("code", "pk"))


def _weighted_centre(
    members: list[reference_data.CommuneRow],
) -> tuple[float | None, float | None]:
    """Population-weighted centre of member communes: where a group's people live."""
    placed = [
        member
        for member in members
        if member.latitude is not None
        and member.longitude is not None
        and math.isfinite(member.latitude)
        and math.isfinite(member.longitude)
    ]
    if not placed:
        return None, None
    weights = [max(m.population or 0, 1) for m in placed]
    total = sum(weights)
    latitude = sum(m.latitude * w for m, w in zip(placed, weights, strict=True)) / total
    longitude = sum(m.longitude * w for m, w in zip(placed, weights, strict=True)) / total
    return latitude, longitude


def territories_load(
    *, progress: Callable[[str], None] = lambda message: None
) -> TerritoriesLoadReport:
    """Load (or refresh) every région, département, EPCI and commune of the reference.

    Upserts on the official code, so running it twice changes nothing and territories already
    referenced by testimonies keep their primary keys. Groups get the population and the
    population-weighted centre of their member communes.
    """
    regions = list(reference_data.regions())
    departements = list(reference_data.departements())
    epcis = list(reference_data.epcis())
    boundaries = BoundaryCollector()
    communes = list(reference_data.communes(boundaries=boundaries))
    progress(f"{len(communes)} communes read from the reference files.")

    communes_by_departement: dict[str, list[reference_data.CommuneRow]] = defaultdict(list)
    communes_by_epci: dict[str, list[reference_data.CommuneRow]] = defaultdict(list)
    for commune in communes:
        if commune.departement_source_id:
            communes_by_departement[commune.departement_source_id].append(commune)
        if commune.epci_source_id:
            communes_by_epci[commune.epci_source_id].append(commune)
    departement_by_source = {d.source_id: d for d in departements}
    region_code_by_source = {r.source_id: r.code for r in regions}

    def population_of(members: list[reference_data.CommuneRow]) -> int | None:
        known = [m.population for m in members if m.population is not None]
        return sum(known) if known else None

    with transaction.atomic():
        region_members: dict[str, list[reference_data.CommuneRow]] = defaultdict(list)
        for departement in departements:
            region_members[departement.region_source_id] += communes_by_departement[
                departement.source_id
            ]
        region_pks = _upsert(
            [
                _territory(
                    TerritoryKind.REGION,
                    region.code,
                    region.name,
                    population=population_of(region_members[region.source_id]),
                    **dict(
                        zip(
                            ["latitude", "longitude"],
                            _weighted_centre(region_members[region.source_id]),
                            strict=True,
                        )
                    ),
                )
                for region in regions
            ]
        )
        region_pk_by_source = {
            source: region_pks[code] for source, code in region_code_by_source.items()
        }

        def departement_fields(members: list[reference_data.CommuneRow]) -> dict:
            latitude, longitude = _weighted_centre(members)
            return {
                "population": population_of(members),
                "latitude": latitude,
                "longitude": longitude,
            }

        departement_pks = _upsert(
            [
                _territory(
                    TerritoryKind.DEPARTEMENT,
                    departement.code,
                    departement.name,
                    region_id=region_pk_by_source[departement.region_source_id],
                    **departement_fields(communes_by_departement[departement.source_id]),
                )
                for departement in departements
            ]
        )
        departement_pk_by_source = {d.source_id: departement_pks[d.code] for d in departements}

        def main_departement(members: list[reference_data.CommuneRow]) -> str | None:
            """The département where most of a group's inhabitants live."""
            weights: Counter[str] = Counter()
            for member in members:
                if member.departement_source_id:
                    weights[member.departement_source_id] += max(member.population or 0, 1)
            return weights.most_common(1)[0][0] if weights else None

        epci_territories = []
        for epci in epcis:
            members = communes_by_epci[epci.source_id]
            departement_source = main_departement(members)
            region_source = (
                departement_by_source[departement_source].region_source_id
                if departement_source
                else None
            )
            epci_territories.append(
                _territory(
                    TerritoryKind.EPCI,
                    epci.code,
                    epci.name,
                    legal_form=epci.legal_form,
                    departement_id=departement_pk_by_source.get(departement_source),
                    region_id=region_pk_by_source.get(region_source),
                    **departement_fields(members),
                )
            )
        epci_pks = _upsert(epci_territories)
        epci_pk_by_source = {e.source_id: epci_pks[e.code] for e in epcis}
        progress(f"{len(regions)} régions, {len(departements)} départements, {len(epcis)} EPCI.")

        commune_territories = []
        for commune in communes:
            departement = departement_by_source.get(commune.departement_source_id or "")
            commune_territories.append(
                _territory(
                    TerritoryKind.COMMUNE,
                    commune.code,
                    commune.name,
                    population=commune.population,
                    departement_id=departement_pk_by_source.get(commune.departement_source_id),
                    region_id=region_pk_by_source.get(departement.region_source_id)
                    if departement
                    else None,
                    epci_id=epci_pk_by_source.get(commune.epci_source_id),
                    latitude=commune.latitude,
                    longitude=commune.longitude,
                )
            )
        _upsert(commune_territories)
        progress(f"{len(communes)} communes saved.")

        token_count = _rebuild_name_tokens()
        progress(f"{token_count} name words indexed for search.")

        outline_count = _replace_outlines(
            boundaries,
            departement_codes={d.source_id: d.code for d in departements},
            departement_pks=departement_pks,
        )
        progress(f"{outline_count} département outlines drawn for maps.")

    _refresh_planner_statistics()
    cache.set(REFERENCE_VERSION_KEY, str(time.time_ns()), timeout=None)

    return TerritoriesLoadReport(
        regions=len(regions),
        departements=len(departements),
        epcis=len(epcis),
        communes=len(communes),
        tokens=token_count,
        outlines=outline_count,
    )


def _replace_outlines(
    boundaries: BoundaryCollector,
    *,
    departement_codes: dict[str, str],
    departement_pks: dict[str, int],
) -> int:
    """Every département's map outline, derived again from its communes' outlines."""
    by_code = {
        departement_codes[source_id]: edges
        for source_id, edges in boundaries.boundaries().items()
        if source_id in departement_codes
    }
    outlines = simplified_outlines(by_code, frame_for=frame_for)
    TerritoryOutline.objects.all().delete()
    rows = []
    for code, outline in outlines.items():
        x_min, y_min, x_max, y_max = outline.bounds
        rows.append(
            TerritoryOutline(
                territory_id=departement_pks[code],
                frame=frame_for(code).name,
                path=outline.svg_path(),
                x_min=x_min,
                y_min=y_min,
                x_max=x_max,
                y_max=y_max,
            )
        )
    TerritoryOutline.objects.bulk_create(rows)
    return len(rows)


def _refresh_planner_statistics() -> None:
    """Without fresh statistics after a bulk load, PostgreSQL's planner guesses a few rows where
    there are tens of thousands and picks nested loops that turn a 5 ms search into a second."""
    tables = [Territory._meta.db_table, TerritoryNameToken._meta.db_table]
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(table)}")


def _rebuild_name_tokens() -> int:
    TerritoryNameToken.objects.all().delete()
    tokens = []
    for pk, name in Territory.objects.values_list("pk", "name"):
        for word in set(fold_words(name)):
            tokens.append(TerritoryNameToken(territory_id=pk, token=word[:64]))
    TerritoryNameToken.objects.bulk_create(tokens, batch_size=5000)
    return len(tokens)
