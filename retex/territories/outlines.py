"""Simplified outlines of groups of communes (départements), derived from the communes' own.

The reference gives each commune's outline, and neighbouring communes share their vertices
exactly. An edge drawn by two communes of the same département lies inside it: once those
pairs cancel out, the edges left are the département's boundary. They are chained into rings,
projected (see `projection`) and simplified with Douglas–Peucker, one *arc* at a time: a
stretch of boundary between two junctions is simplified once and used by both départements
it separates, so that neighbours still fit together without gaps or overlaps. Holes that only
mark communes missing from the source are dropped. Pure Python, no geometry library.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import pairwise

from retex.territories.projection import Frame

Point = tuple[float, float]
Edge = tuple[Point, Point]


def _edge(a: Point, b: Point) -> Edge:
    return (a, b) if a < b else (b, a)


class BoundaryCollector:
    """Collects commune rings by group and keeps only the edges no two of them share."""

    def __init__(self) -> None:
        self._edges: dict[str, set[Edge]] = defaultdict(set)

    def add(self, group: str, rings: Iterable[Sequence[Point]]) -> None:
        edges = self._edges[group]
        for ring in rings:
            if len(ring) < 2:
                continue
            closed = ring if ring[0] == ring[-1] else [*ring, ring[0]]
            # _edge() inlined: a million calls at each load.
            ring_edges = [(a, b) if a < b else (b, a) for a, b in pairwise(closed) if a != b]
            unique = set(ring_edges)
            if len(unique) == len(ring_edges):
                edges.symmetric_difference_update(unique)  # the common case, done in C
            else:  # a ring that runs back along itself: each pass toggles the edge
                for edge in ring_edges:
                    edges.symmetric_difference_update((edge,))

    def boundaries(self) -> dict[str, set[Edge]]:
        return {group: edges for group, edges in self._edges.items() if edges}


@dataclass(frozen=True)
class Outline:
    """Closed rings (last point = first) in a frame's kilometres; holes are rings too, and a
    drawing fills them with the even-odd rule."""

    rings: tuple[tuple[Point, ...], ...]

    @property
    def bounds(self) -> tuple[float, float, float, float]:
        xs = [x for ring in self.rings for x, _ in ring]
        ys = [y for ring in self.rings for _, y in ring]
        return min(xs), min(ys), max(xs), max(ys)

    def svg_path(self) -> str:
        """SVG path data: `M x y x y … Z` per ring, to the nearest 10 metres."""
        return "".join(
            "M" + " ".join(f"{_number(x)} {_number(y)}" for x, y in ring[:-1]) + "Z"
            for ring in self.rings
        )


def _number(value: float) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


def parse_svg_path(path: str) -> list[list[Point]]:
    """The rings of a path written by `Outline.svg_path`, each closed again."""
    rings = []
    for part in path.split("Z"):
        numbers = [float(value) for value in part.lstrip("M").split()]
        if len(numbers) >= 6:
            ring = list(zip(numbers[0::2], numbers[1::2], strict=True))
            rings.append([*ring, ring[0]])
    return rings


def simplified_outlines(
    boundaries: Mapping[str, set[Edge]], *, frame_for: Callable[[str], Frame]
) -> dict[str, Outline]:
    """Each group's boundary edges (see `BoundaryCollector`) as a simplified outline in its
    frame. Groups without any ring left (too small to draw) are absent."""
    owners: dict[Edge, list[str]] = defaultdict(list)
    for group, edges in boundaries.items():
        for edge in edges:
            owners[edge].append(group)
    degree: Counter[Point] = Counter()
    for a, b in owners:
        degree[a] += 1
        degree[b] += 1
    simplifier = _ArcSimplifier(owners=owners, degree=degree)

    outlines = {}
    for group, edges in boundaries.items():
        frame = frame_for(group)
        rings: list[tuple[list[Point], bool]] = []
        for ring in _chain(edges):
            if len(ring) < 4:
                continue
            alone = all(len(owners[_edge(a, b)]) == 1 for a, b in pairwise(ring))
            simplified = simplifier.ring(ring, frame)
            if len(simplified) >= 4:
                rings.append((simplified, alone))
        kept = _without_gaps(rings)
        if kept:
            outlines[group] = Outline(rings=tuple(tuple(ring) for ring in kept))
    return outlines


def _chain(edges: set[Edge]) -> list[list[Point]]:
    """Edges joined end to end into closed rings (first point repeated at the end)."""
    neighbours: dict[Point, list[Point]] = defaultdict(list)
    for a, b in edges:
        neighbours[a].append(b)
        neighbours[b].append(a)
    used: set[Edge] = set()
    rings = []
    for start, second in sorted(edges):
        if (start, second) in used:
            continue
        used.add((start, second))
        ring = [start, second]
        current = second
        while current != start:
            following = next(
                (p for p in neighbours[current] if _edge(current, p) not in used), None
            )
            if following is None:  # an open chain: broken source data, left out
                break
            used.add(_edge(current, following))
            ring.append(following)
            current = following
        if ring[-1] == start:
            rings.append(ring)
    return rings


class _ArcSimplifier:
    """Simplifies rings arc by arc, each arc once whichever ring asks for it first."""

    def __init__(self, *, owners: dict[Edge, list[str]], degree: Counter[Point]) -> None:
        self.owners = owners
        self.degree = degree
        self.arcs: dict[tuple, list[Point]] = {}

    def ring(self, ring: list[Point], frame: Frame) -> list[Point]:
        points = ring[:-1]
        count = len(points)

        def owners_of(index: int) -> list[str]:  # of the edge from point `index` to the next
            return self.owners[_edge(points[index], points[(index + 1) % count])]

        breaks = [
            index
            for index in range(count)
            if self.degree[points[index]] > 2 or owners_of(index - 1) != owners_of(index)
        ]
        if not breaks:
            return self._closed(points, frame)
        result: list[Point] = []
        for position, start in enumerate(breaks):
            end = breaks[(position + 1) % len(breaks)]
            arc = points[start : end + 1] if end > start else points[start:] + points[: end + 1]
            simplified = self._arc(arc, frame)
            result.extend(simplified if not result else simplified[1:])
        return result

    def _arc(self, arc: list[Point], frame: Frame) -> list[Point]:
        forward = (arc[0], arc[1], arc[-1])
        backward = (arc[-1], arc[-2], arc[0])
        reverse = backward < forward
        key = (frame.name, *(backward if reverse else forward))
        if key not in self.arcs:
            canonical = arc[::-1] if reverse else arc
            projected = [frame.project(*point) for point in canonical]
            self.arcs[key] = douglas_peucker(projected, frame.tolerance_km)
        simplified = self.arcs[key]
        return simplified[::-1] if reverse else simplified

    def _closed(self, points: list[Point], frame: Frame) -> list[Point]:
        """A ring with no junction (an island, an enclave): started at its smallest point
        and turned the same way for every group that draws it."""
        start = points.index(min(points))
        rotated = points[start:] + points[:start]
        if rotated[-1] < rotated[1]:
            rotated = [rotated[0], *rotated[:0:-1]]
        key = (frame.name, "ring", rotated[0])
        if key not in self.arcs:
            projected = [frame.project(*point) for point in [*rotated, rotated[0]]]
            x0, y0 = projected[0]
            far = max(
                range(len(projected)),
                key=lambda i: (projected[i][0] - x0) ** 2 + (projected[i][1] - y0) ** 2,
            )
            first = douglas_peucker(projected[: far + 1], frame.tolerance_km)
            second = douglas_peucker(projected[far:], frame.tolerance_km)
            self.arcs[key] = first + second[1:]
        return self.arcs[key]


def douglas_peucker(points: list[Point], tolerance: float) -> list[Point]:
    """The points of a polyline that keep it within `tolerance` of the original; the ends
    always stay."""
    if len(points) < 3:
        return list(points)
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        if last - first < 2:
            continue
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        length = math.hypot(dx, dy)
        farthest, distance = first, -1.0
        for index in range(first + 1, last):
            x, y = points[index]
            if length:
                candidate = abs(dy * (x - x1) - dx * (y - y1)) / length
            else:
                candidate = math.hypot(x - x1, y - y1)
            if candidate > distance:
                farthest, distance = index, candidate
        if distance > tolerance:
            keep[farthest] = True
            stack.append((first, farthest))
            stack.append((farthest, last))
    return [point for point, kept in zip(points, keep, strict=True) if kept]


def ring_area(ring: Sequence[Point]) -> float:
    """Area enclosed by a closed ring (last point = first), whatever its direction."""
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in pairwise(ring))) / 2


def point_in_ring(point: Point, ring: Sequence[Point]) -> bool:
    """Even-odd test of a point against a closed ring."""
    x, y = point
    inside = False
    for (x1, y1), (x2, y2) in pairwise(ring):
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def _without_gaps(rings: list[tuple[list[Point], bool]]) -> list[list[Point]]:
    """Drops the holes that belong to no other group: in this data they are communes missing
    from the source, not real features (a lake inside a département belongs to a commune)."""
    areas = [ring_area(ring) for ring, _ in rings]
    kept = []
    for index, (ring, alone) in enumerate(rings):
        is_gap = alone and any(
            areas[other] > areas[index] and point_in_ring(ring[0], outer)
            for other, (outer, _) in enumerate(rings)
            if other != index
        )
        if not is_gap:
            kept.append(ring)
    return kept
