"""Drawing the map as SVG markup: the same function serves the public page and any document
that embeds the map (the results' PDF). Strings are built directly: up to 101 départements
and `MAX_CIRCLES` circles, each with its link and label, are too many small pieces for a
template to render quickly.

Colours: départements are shaded on a sequential blue scale (ColorBrewer "Blues", readable
with every common colour-vision deficiency and in greys); circles are orange, the contrasting
hue of a blue–orange pair. Every shape with testimonies is a link with an accessible name.
"""

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from django.utils.formats import get_format, number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext

from retex.explore.map.geometry import INSET_LABEL_HEIGHT, BaseMap
from retex.explore.map.selectors import MapCounts, PlaceCount

NO_TESTIMONY_COLOUR = "#f0f0f0"
SCALE_COLOURS = ("#c6dbef", "#9ecae1", "#6baed6", "#3182bd", "#08519c")
BORDER_COLOUR = "#8c8c8c"
CIRCLE_COLOUR = "#e66101"
CIRCLE_BORDER_COLOUR = "#4d2000"
# Circle radii in canvas units (half-kilometres): the area grows with the count, the
# smallest stays visible and clickable, the largest does not hide a région.
MIN_RADIUS = 14
RADIUS_PER_SQRT_COUNT = 14
MAX_RADIUS = 60
# Beyond a few hundred, circles hide each other and France; the page grows by a link each.
# The places with the most testimonies are drawn, the others count in their département.
MAX_CIRCLES = 300


@dataclass(frozen=True)
class ScaleClass:
    lower: int
    upper: int
    colour: str

    @property
    def label(self) -> str:
        if self.lower == self.upper:
            return ngettext("%(count)s testimony", "%(count)s testimonies", self.lower) % {
                "count": _number(self.lower)
            }
        return gettext("%(lower)s to %(upper)s testimonies") % {
            "lower": _number(self.lower),
            "upper": _number(self.upper),
        }


def colour_scale(counts: Sequence[int]) -> list[ScaleClass]:
    """Up to five classes of département counts, with round bounds near the quintiles."""
    values = sorted(count for count in counts if count > 0)
    if not values:
        return []
    highest = values[-1]
    if highest <= len(SCALE_COLOURS):
        uppers = list(range(1, highest + 1))
    else:
        uppers = []
        for share in (0.2, 0.4, 0.6, 0.8):
            bound = _round_number(values[min(len(values) - 1, int(share * len(values)))])
            if bound < highest and (not uppers or bound > uppers[-1]):
                uppers.append(bound)
        uppers.append(highest)
    colours = _spread(SCALE_COLOURS, len(uppers))
    classes = []
    lower = 1
    for upper, colour in zip(uppers, colours, strict=True):
        classes.append(ScaleClass(lower, upper, colour))
        lower = upper + 1
    return classes


def _round_number(value: int) -> int:
    """The largest of 1, 2, 5, 10, 20, 50… not above the value (at least 1)."""
    if value < 1:
        return 1
    magnitude = 10 ** int(math.log10(value))
    for step in (5, 2, 1):
        if step * magnitude <= value:
            return step * magnitude
    return magnitude


def _spread(colours: Sequence[str], count: int) -> list[str]:
    """`count` colours of the palette, as far apart as possible, light to dark."""
    if count >= len(colours):
        return list(colours)
    if count == 1:
        return [colours[len(colours) // 2]]
    last = len(colours) - 1
    return [colours[round(index * last / (count - 1))] for index in range(count)]


def _colour(count: int, classes: list[ScaleClass]) -> str:
    if count <= 0:
        return NO_TESTIMONY_COLOUR
    for scale_class in classes:
        if count <= scale_class.upper:
            return scale_class.colour
    return NO_TESTIMONY_COLOUR


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


def grouped_numbers() -> Callable[[int], str]:
    """A formatter of whole numbers as `number_format(…, force_grouping=True)` writes them in
    the active language ("12 345", "12,345"), with the locale looked up once instead of for
    each of hundreds of numbers."""
    separator = get_format("THOUSAND_SEPARATOR")

    def grouped(value: int) -> str:
        return f"{value:,}".replace(",", separator) if abs(value) >= 1000 else str(value)

    return grouped


def place_label(name: str, count: int) -> str:
    return _Labels()(name, count)


class _Labels:
    """Accessible names such as "Beauvais: 3 testimonies", translated once per count."""

    def __init__(self) -> None:
        self.grouped = grouped_numbers()
        self.formats: dict[int, str] = {}

    def __call__(self, name: str, count: int) -> str:
        text = self.formats.get(count)
        if text is None:
            text = self.formats[count] = ngettext(
                "%(name)s: %(count)s testimony", "%(name)s: %(count)s testimonies", count
            )
        return text % {"name": name, "count": self.grouped(count)}


def france_map_svg(
    *,
    base: BaseMap,
    counts: MapCounts,
    classes: list[ScaleClass],
    title: str,
    departement_url: Callable[[str], str] | None = None,
    place_url: Callable[[PlaceCount], str] | None = None,
    element_id: str = "france-map",
    max_circles: int = MAX_CIRCLES,
) -> SafeString:
    """The map as an inline `<svg>`: départements shaded by count, a circle sized by count for
    each commune or intercommunality (the first `max_circles` of `counts.places`). With the URL
    functions, each of them is a link (to the filtered list, on the public page); without, a
    plain drawing (a printed document)."""
    title_id = f"{element_id}-title"
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{escape(element_id)}" class="france-map"'
        f' viewBox="0 0 {base.width} {base.height}" role="group"'
        f' aria-labelledby="{escape(title_id)}">',
        f'<title id="{escape(title_id)}">{escape(title)}</title>',
    ]
    parts.append('<g class="france-map__insets" aria-hidden="true">')
    for inset in base.insets:
        parts.append(
            f'<rect x="{inset.x}" y="{inset.y}" width="{inset.width}" height="{inset.height}"'
            f' fill="none" stroke="{BORDER_COLOUR}" stroke-width="1.5"/>'
            f'<text x="{inset.x + 14}" y="{inset.y + INSET_LABEL_HEIGHT - 14}"'
            f' font-size="40" font-weight="600" fill="#3a3a3a">{escape(inset.name)}</text>'
        )
    parts.append("</g>")

    labels = _Labels()
    blank, shaded = [], []
    for shape in base.departements:
        count = counts.by_departement.get(shape.code, 0)
        path = (
            f'<path d="{shape.path}" fill="{_colour(count, classes)}"'
            f' stroke="{BORDER_COLOUR}" stroke-width="1.5" fill-rule="evenodd"/>'
        )
        if not count:
            blank.append(path)
            continue
        label = escape(labels(shape.name, count))
        if departement_url is None:
            shaded.append(path)
        else:
            shaded.append(
                f'<a href="{escape(departement_url(shape.code))}" aria-label="{label}">'
                f"<title>{label}</title>{path}</a>"
            )
    parts += ['<g class="france-map__blank" aria-hidden="true">', *blank, "</g>"]
    parts += ['<g class="france-map__departements">', *shaded, "</g>"]

    circles = _circles(base, counts.places[:max_circles])
    parts.append(
        f'<g class="france-map__places" fill="{CIRCLE_COLOUR}" fill-opacity="0.85"'
        f' stroke="{CIRCLE_BORDER_COLOUR}" stroke-width="2">'
    )
    for place, x, y, radius in circles:
        circle = f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{radius:.1f}"/>'
        if place_url is None:
            parts.append(circle)
        else:
            label = escape(labels(place.name, place.count))
            parts.append(
                f'<a href="{escape(place_url(place))}" aria-label="{label}">'
                f"<title>{label}</title>{circle}</a>"
            )
    parts.append("</g></svg>")
    # Every text and address above is escaped.
    return mark_safe("".join(parts))


def _circles(
    base: BaseMap, places: list[PlaceCount]
) -> list[tuple[PlaceCount, float, float, float]]:
    """Placed circles, biggest first so that smaller ones stay on top and clickable."""
    highest = max((place.count for place in places), default=1)
    # Area proportional to the count, on one scale for the whole map; shrunk when the largest
    # circle would pass the maximum.
    per_sqrt_count = min(RADIUS_PER_SQRT_COUNT, MAX_RADIUS / math.sqrt(highest))
    circles = []
    for place in places:
        if place.longitude is None or place.latitude is None or not place.departement_code:
            continue
        point = base.place(place.departement_code, place.longitude, place.latitude)
        if point is None:
            continue
        radius = max(MIN_RADIUS, per_sqrt_count * math.sqrt(place.count))
        circles.append((place, point[0], point[1], radius))
    circles.sort(key=lambda circle: (-circle[3], circle[0].name))
    return circles
