"""Département outlines for maps: derived from communes' outlines at each load of the reference.

First on small made-up geometries (unit squares as communes), then on the real reference that
conftest loads."""

import pytest

from retex.territories.models import TerritoryOutline
from retex.territories.outlines import (
    BoundaryCollector,
    Outline,
    douglas_peucker,
    parse_svg_path,
    point_in_ring,
    ring_area,
    simplified_outlines,
)
from retex.territories.projection import METROPOLE, OVERSEAS_FRAMES, Frame, frame_for
from tests.factories import territory

# Made-up geometries are drawn as they are: x = longitude, y = -latitude (north up in SVG).
FLAT = Frame("flat", lambda x, y: (x, -y), tolerance_km=0.1)


def square(x: int, y: int) -> list[tuple[float, float]]:
    """A commune one unit wide, as a closed ring (first point repeated, as in the source)."""
    return [(x, y), (x + 1, y), (x + 1, y + 1), (x, y + 1), (x, y)]


def outlines_of(communes: dict[str, list[list[tuple[float, float]]]]) -> dict[str, Outline]:
    collector = BoundaryCollector()
    for group, rings in communes.items():
        for ring in rings:
            collector.add(group, [ring])
    return simplified_outlines(collector.boundaries(), frame_for=lambda group: FLAT)


def corners(outline: Outline) -> list[set[tuple[float, float]]]:
    return [set(ring) for ring in outline.rings]


def test_edges_shared_by_two_communes_of_a_departement_disappear():
    outlines = outlines_of({"A": [square(0, 0), square(1, 0)], "B": [square(2, 0)]})

    # A is one 2 x 1 rectangle: the edge between its two communes and the points along its
    # straight sides are gone.
    assert corners(outlines["A"]) == [{(0, 0), (2, 0), (2, -1), (0, -1)}]
    assert corners(outlines["B"]) == [{(2, 0), (3, 0), (3, -1), (2, -1)}]
    assert ring_area(outlines["A"].rings[0]) == 2


def test_a_border_is_simplified_once_for_both_departements():
    """A wiggly border (wiggles smaller than the tolerance) between two départements becomes
    the same straight line in both: no gap, no overlap."""
    border = [(0, 1)] + [(x, 1 + (0.05 if x % 2 else 0)) for x in range(1, 10)] + [(10, 1)]
    north = [*border, (10, 2), (0, 2), (0, 1)]
    south = [(0, 0), (10, 0), *reversed(border), (0, 0)]

    outlines = outlines_of({"N": [north], "S": [south]})

    shared = corners(outlines["N"])[0] & corners(outlines["S"])[0]
    assert shared == {(0, -1), (10, -1)}
    assert corners(outlines["N"]) == [{(0, -1), (10, -1), (10, -2), (0, -2)}]


def test_holes_left_by_missing_communes_are_filled_but_enclaves_stay_holes():
    ring_of_eight = [square(x, y) for x in range(3) for y in range(3) if (x, y) != (1, 1)]
    outlines = outlines_of(
        {
            # A commune is missing in the middle of G: no other département there.
            "G": ring_of_eight,
            # H surrounds a commune of another département, E: an enclave.
            "H": [square(x + 10, y) for x in range(3) for y in range(3) if (x, y) != (1, 1)],
            "E": [square(11, 1)],
        }
    )

    assert corners(outlines["G"]) == [{(0, 0), (3, 0), (3, -3), (0, -3)}]
    assert len(outlines["H"].rings) == 2
    assert {(11, -1), (12, -1), (12, -2), (11, -2)} in corners(outlines["H"])
    assert corners(outlines["E"]) == [{(11, -1), (12, -1), (12, -2), (11, -2)}]


def test_islands_are_kept_and_specks_below_the_tolerance_dropped():
    speck = [(5, 5), (5.01, 5), (5.01, 5.01), (5, 5.01), (5, 5)]
    outlines = outlines_of({"I": [square(0, 0), square(3, 0), speck]})

    assert sorted(ring_area(ring) for ring in outlines["I"].rings) == [1, 1]


def test_a_ring_drawn_back_along_itself_cancels_its_own_spike():
    with_spike = [(0, 0), (1, 0), (1, 1), (1, 2), (1, 1), (0, 1), (0, 0)]

    outlines = outlines_of({"S": [with_spike]})

    assert corners(outlines["S"]) == [{(0, 0), (1, 0), (1, -1), (0, -1)}]


def test_douglas_peucker_keeps_what_departs_from_the_line_more_than_the_tolerance():
    line = [(0, 0), (1, 0.05), (2, 0), (3, 2), (4, 0), (5, 0)]

    assert douglas_peucker(line, 0.1) == [(0, 0), (2, 0), (3, 2), (4, 0), (5, 0)]
    assert douglas_peucker(line, 3) == [(0, 0), (5, 0)]


def test_svg_path_is_read_back_to_the_same_rings():
    outline = Outline(rings=(((0.0, 0.0), (1.25, 0.0), (1.25, -1.5), (0.0, 0.0)),))

    assert outline.svg_path() == "M0 0 1.25 0 1.25 -1.5Z"
    assert parse_svg_path(outline.svg_path()) == [list(outline.rings[0])]


# --- The real reference ---------------------------------------------------------------------


@pytest.mark.django_db
def test_every_departement_has_an_outline_in_its_frame():
    outlines = TerritoryOutline.objects.select_related("territory")

    assert outlines.count() == 101
    frames = {outline.territory.code: outline.frame for outline in outlines}
    assert {code for code, frame in frames.items() if frame != METROPOLE} == set(OVERSEAS_FRAMES)
    assert frames["60"] == frames["2A"] == METROPOLE
    assert frames["974"] == "974"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("commune", "departement", "neighbour"),
    [
        ("60057", "60", "80"),  # Beauvais, Oise; not Somme
        ("62041", "62", "59"),  # Arras, Pas-de-Calais; not Nord
        ("75056", "75", "92"),  # Paris; not Hauts-de-Seine around it
        ("13001", "13", "84"),  # Aix-en-Provence, Bouches-du-Rhône; not Vaucluse
        ("2B096", "2B", "2A"),  # Corte, Haute-Corse
        ("97411", "974", None),  # Saint-Denis, La Réunion
        ("97302", "973", None),  # Cayenne, Guyane
        ("97209", "972", None),  # Fort-de-France, Martinique
    ],
)
def test_towns_lie_in_their_departement_outline(commune, departement, neighbour):
    """A town hall on a harbour may fall in the sea of an outline simplified to the kilometre
    (Marseille's does): the metropolitan towns here are inland. Overseas outlines keep more
    detail (a quarter of a kilometre or less)."""
    place = territory(commune)
    x, y = frame_for(departement).project(place.longitude, place.latitude)

    def contains(code: str) -> bool:
        outline = TerritoryOutline.objects.get(territory=territory(code, kind="departement"))
        assert outline.x_min <= outline.x_max and outline.y_min <= outline.y_max
        inside = sum(point_in_ring((x, y), ring) for ring in parse_svg_path(outline.path))
        return inside % 2 == 1  # even-odd, as SVG fills them

    assert contains(departement)
    if neighbour:
        assert not contains(neighbour)


@pytest.mark.django_db
def test_areas_are_close_to_the_official_ones():
    def area(code: str) -> float:
        outline = TerritoryOutline.objects.get(territory=territory(code, kind="departement"))
        return sum(ring_area(ring) for ring in parse_svg_path(outline.path))

    # Official areas (km²): Oise 5,860; Paris 105; Guyane 83,534; La Réunion 2,504.
    assert area("60") == pytest.approx(5_860, rel=0.03)
    assert area("75") == pytest.approx(105, rel=0.05)
    assert area("973") == pytest.approx(83_534, rel=0.03)
    assert area("974") == pytest.approx(2_504, rel=0.03)


@pytest.mark.django_db
def test_neighbours_share_their_border_points():
    def points(code: str) -> set[tuple[float, float]]:
        outline = TerritoryOutline.objects.get(territory=territory(code, kind="departement"))
        return {point for ring in parse_svg_path(outline.path) for point in ring}

    oise, somme, ardeche = points("60"), points("80"), points("07")

    assert len(oise & somme) >= 10
    assert not oise & ardeche
