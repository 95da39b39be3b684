"""The map of France of a consultation's published testimonies.

`testimony_map(…)` gives everything a page or a document needs: the SVG markup
(`france_map_svg`), the counts behind it (for a table and a summary) and the colour classes
(for a legend). The département outlines are computed when the territories reference is
loaded (`retex.territories.outlines`); see `geometry` for the layout and the in-memory cache.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.safestring import SafeString

from retex.contributions.models import Testimony
from retex.explore.map.geometry import BaseMap, base_map
from retex.explore.map.selectors import MapCounts, PlaceCount, map_counts
from retex.explore.map.svg import (
    MAX_CIRCLES,
    ScaleClass,
    colour_scale,
    france_map_svg,
    grouped_numbers,
    place_label,
)


@dataclass(frozen=True)
class TestimonyMap:
    svg: SafeString
    counts: MapCounts
    classes: list[ScaleClass]
    base: BaseMap

    @property
    def drawn_places(self) -> list[PlaceCount]:
        """The places drawn as circles: all, or the `max_circles` with the most testimonies."""
        return self.counts.places

    @property
    def places_not_drawn(self) -> int:
        return self.counts.place_count - len(self.counts.places)


def testimony_map(
    *,
    testimonies: QuerySet[Testimony],
    title: str,
    departement_url: Callable[[str], str] | None = None,
    place_url: Callable[[PlaceCount], str] | None = None,
    max_circles: int = MAX_CIRCLES,
) -> TestimonyMap:
    """The map of these published testimonies; links only when URL functions are given."""
    counts = map_counts(testimonies=testimonies, max_places=max_circles)
    classes = colour_scale(list(counts.by_departement.values()))
    base = base_map()
    svg = france_map_svg(
        base=base,
        counts=counts,
        classes=classes,
        title=title,
        departement_url=departement_url,
        place_url=place_url,
        max_circles=max_circles,
    )
    return TestimonyMap(svg=svg, counts=counts, classes=classes, base=base)


__all__ = [
    "MAX_CIRCLES",
    "MapCounts",
    "PlaceCount",
    "ScaleClass",
    "TestimonyMap",
    "base_map",
    "colour_scale",
    "france_map_svg",
    "grouped_numbers",
    "map_counts",
    "place_label",
    "testimony_map",
]
