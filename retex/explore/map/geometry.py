"""The fixed part of the map of France: département outlines laid out on one canvas.

Metropolitan France fills the top; the five overseas départements sit below it in a row of
insets, each at its own scale. The outlines come from the territories reference
(`TerritoryOutline`, simplified and projected at load time); here they are only moved into
place and written as compact SVG paths, once per process: the result is kept in memory until
the reference changes.
"""

import threading
from dataclasses import dataclass

from django.db.models import Count, Max

from retex.territories.models import TerritoryOutline
from retex.territories.outlines import parse_svg_path
from retex.territories.projection import METROPOLE, OVERSEAS_FRAMES, frame_for
from retex.territories.selectors import reference_version

# Canvas units per kilometre of metropolitan France: coordinates are whole numbers, so half a
# kilometre is the finest step (under a pixel on any screen, as on a printed page).
UNITS_PER_KM = 2
# Room around France for the largest circles (see svg.MAX_RADIUS) of places near its edges.
MARGIN = 60
INSET_GAP = 24
INSET_PADDING = 12
INSET_LABEL_HEIGHT = 56


@dataclass(frozen=True)
class Placement:
    """Moves a frame's kilometres onto the canvas: scaled, then shifted."""

    scale: float
    dx: float
    dy: float

    def apply(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale + self.dx, y * self.scale + self.dy


@dataclass(frozen=True)
class DepartementShape:
    pk: int
    code: str
    name: str
    path: str  # SVG path data on the canvas


@dataclass(frozen=True)
class Inset:
    """The box of an overseas département, below metropolitan France."""

    code: str
    name: str
    x: int
    y: int
    width: int
    height: int


@dataclass(frozen=True)
class BaseMap:
    width: int
    height: int
    departements: tuple[DepartementShape, ...]
    insets: tuple[Inset, ...]
    placements: dict[str, Placement]

    def place(
        self, departement_code: str, longitude: float, latitude: float
    ) -> tuple[float, float] | None:
        """Canvas position of a point of a département (None when its frame is not drawn)."""
        frame = frame_for(departement_code)
        placement = self.placements.get(frame.name)
        if placement is None:
            return None
        return placement.apply(*frame.project(longitude, latitude))


_lock = threading.Lock()
_built: tuple[tuple, BaseMap] | None = None


def base_map() -> BaseMap:
    """The canvas and its outlines, built at the first call and again after a new load of the
    reference (told by the reference version, and by the outlines' count and keys for a
    process whose cache a load elsewhere cannot reach)."""
    global _built
    stamp = (
        reference_version(),
        *TerritoryOutline.objects.aggregate(count=Count("pk"), last=Max("pk")).values(),
    )
    built = _built
    if built is not None and built[0] == stamp:
        return built[1]
    with _lock:
        fresh = _build()
        _built = (stamp, fresh)
    return fresh


def _build() -> BaseMap:
    outlines = list(
        TerritoryOutline.objects.select_related("territory").only(
            "frame",
            "path",
            "x_min",
            "y_min",
            "x_max",
            "y_max",
            "territory__code",
            "territory__name",
        )
    )
    metropole = [outline for outline in outlines if outline.frame == METROPOLE]
    overseas = {
        outline.territory.code: outline for outline in outlines if outline.frame != METROPOLE
    }
    placements: dict[str, Placement] = {}
    width = height = 2 * MARGIN
    if metropole:
        x_min = min(outline.x_min for outline in metropole)
        y_min = min(outline.y_min for outline in metropole)
        x_max = max(outline.x_max for outline in metropole)
        y_max = max(outline.y_max for outline in metropole)
        placements[METROPOLE] = Placement(
            UNITS_PER_KM, MARGIN - x_min * UNITS_PER_KM, MARGIN - y_min * UNITS_PER_KM
        )
        width = round((x_max - x_min) * UNITS_PER_KM) + 2 * MARGIN
        height = round((y_max - y_min) * UNITS_PER_KM) + 2 * MARGIN

    insets = []
    codes = [code for code in OVERSEAS_FRAMES if code in overseas]
    if codes:
        slots = len(OVERSEAS_FRAMES)
        box_width = (width - 2 * MARGIN - (slots - 1) * INSET_GAP) // slots
        box_height = box_width
        top = height
        for index, code in enumerate(codes):
            outline = overseas[code]
            left = MARGIN + index * (box_width + INSET_GAP)
            inner_width = box_width - 2 * INSET_PADDING
            inner_height = box_height - 2 * INSET_PADDING - INSET_LABEL_HEIGHT
            scale = min(
                inner_width / max(outline.x_max - outline.x_min, 1e-6),
                inner_height / max(outline.y_max - outline.y_min, 1e-6),
            )
            drawn_width = (outline.x_max - outline.x_min) * scale
            drawn_height = (outline.y_max - outline.y_min) * scale
            placements[code] = Placement(
                scale,
                left + INSET_PADDING + (inner_width - drawn_width) / 2 - outline.x_min * scale,
                top
                + INSET_LABEL_HEIGHT
                + INSET_PADDING
                + (inner_height - drawn_height) / 2
                - outline.y_min * scale,
            )
            insets.append(Inset(code, outline.territory.name, left, top, box_width, box_height))
        height = top + box_height + MARGIN

    shapes = []
    for outline in sorted(outlines, key=lambda outline: outline.territory.code):
        placement = placements.get(outline.frame)
        if placement is None:
            continue
        path = _canvas_path(parse_svg_path(outline.path), placement)
        if path:
            shapes.append(
                DepartementShape(
                    outline.territory_id, outline.territory.code, outline.territory.name, path
                )
            )
    return BaseMap(
        width=width,
        height=height,
        departements=tuple(shapes),
        insets=tuple(insets),
        placements=placements,
    )


def _canvas_path(rings: list[list[tuple[float, float]]], placement: Placement) -> str:
    """Rings moved onto the canvas, rounded to whole units, written with relative moves
    (`M x y l dx dy dx dy … z`): about half the size of absolute coordinates."""
    parts = []
    for ring in rings:
        points: list[tuple[int, int]] = []
        for x, y in ring[:-1]:
            canvas_x, canvas_y = placement.apply(x, y)
            point = (round(canvas_x), round(canvas_y))
            if not points or point != points[-1]:
                points.append(point)
        while len(points) > 1 and points[-1] == points[0]:
            points.pop()
        if len(set(points)) < 3:
            continue
        numbers = [points[0][0], points[0][1]]
        moves = []
        for (x1, y1), (x2, y2) in zip(points, points[1:], strict=False):
            moves += [x2 - x1, y2 - y1]
        parts.append(f"M{_join(numbers)}l{_join(moves)}z")
    return "".join(parts)


def _join(numbers: list[int]) -> str:
    """Numbers as SVG reads them: a minus sign separates as well as a space does."""
    text = []
    for index, number in enumerate(numbers):
        if index and number >= 0:
            text.append(" ")
        text.append(str(number))
    return "".join(text)
