"""Flat coordinates for maps of France, in kilometres, with y pointing down as in SVG.

Metropolitan France (Corsica included) uses Lambert-93, the official projection (EPSG:2154,
conic conformal on the GRS80 ellipsoid): shapes and areas look as on any French map. Each
overseas département has its own frame: an equirectangular projection around its centre
(longitudes shortened by the cosine of its latitude), accurate enough at that size. A map shows
those frames as insets, each at its own scale.
"""

import math
from collections.abc import Callable
from dataclasses import dataclass

METROPOLE = "metropole"

# Lambert-93 (EPSG:2154) parameters.
_SEMI_MAJOR_AXIS_M = 6_378_137.0
_ECCENTRICITY = 0.0818191910428158
_FALSE_EASTING_M = 700_000.0
_FALSE_NORTHING_M = 6_600_000.0
_EARTH_RADIUS_KM = 6371.0088


def _m(latitude: float) -> float:
    return math.cos(latitude) / math.sqrt(1 - (_ECCENTRICITY * math.sin(latitude)) ** 2)


def _t(latitude: float) -> float:
    sine = _ECCENTRICITY * math.sin(latitude)
    return math.tan(math.pi / 4 - latitude / 2) / ((1 - sine) / (1 + sine)) ** (_ECCENTRICITY / 2)


_PARALLEL_1, _PARALLEL_2, _ORIGIN_LATITUDE, _ORIGIN_LONGITUDE = map(
    math.radians, (44.0, 49.0, 46.5, 3.0)
)
_N = math.log(_m(_PARALLEL_1) / _m(_PARALLEL_2)) / math.log(_t(_PARALLEL_1) / _t(_PARALLEL_2))
_F = _m(_PARALLEL_1) / (_N * _t(_PARALLEL_1) ** _N)
_RHO_0 = _SEMI_MAJOR_AXIS_M * _F * _t(_ORIGIN_LATITUDE) ** _N


def lambert93(longitude: float, latitude: float) -> tuple[float, float]:
    """Lambert-93 coordinates in kilometres; y is negated (north is up in SVG)."""
    rho = _SEMI_MAJOR_AXIS_M * _F * _t(math.radians(latitude)) ** _N
    theta = _N * (math.radians(longitude) - _ORIGIN_LONGITUDE)
    x = _FALSE_EASTING_M + rho * math.sin(theta)
    y = _FALSE_NORTHING_M + _RHO_0 - rho * math.cos(theta)
    return x / 1000, -y / 1000


@dataclass(frozen=True)
class Frame:
    """Where a département is drawn: the projection of its points and how much detail its
    outline keeps (the simplification tolerance, in kilometres)."""

    name: str
    project: Callable[[float, float], tuple[float, float]]
    tolerance_km: float


def _equirectangular(
    centre_latitude: float, centre_longitude: float
) -> Callable[[float, float], tuple[float, float]]:
    shrink = math.cos(math.radians(centre_latitude))

    def project(longitude: float, latitude: float) -> tuple[float, float]:
        x = _EARTH_RADIUS_KM * math.radians(longitude - centre_longitude) * shrink
        y = _EARTH_RADIUS_KM * math.radians(latitude - centre_latitude)
        return x, -y

    return project


METROPOLE_FRAME = Frame(METROPOLE, lambert93, tolerance_km=1.0)
# Overseas départements, by INSEE code, in the order maps show them.
OVERSEAS_FRAMES = {
    "971": Frame("971", _equirectangular(16.2, -61.5), tolerance_km=0.25),
    "972": Frame("972", _equirectangular(14.65, -61.0), tolerance_km=0.2),
    "973": Frame("973", _equirectangular(4.0, -53.0), tolerance_km=1.0),
    "974": Frame("974", _equirectangular(-21.1, 55.5), tolerance_km=0.25),
    "976": Frame("976", _equirectangular(-12.8, 45.15), tolerance_km=0.15),
}


def frame_for(departement_code: str) -> Frame:
    """The frame of a département (metropolitan France unless it is overseas)."""
    return OVERSEAS_FRAMES.get(departement_code, METROPOLE_FRAME)
