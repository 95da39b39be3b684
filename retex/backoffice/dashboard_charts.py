"""The geometry of the dashboard's charts, drawn as SVG by the templates.

Two kinds of chart, both readable without colour: horizontal bars where the dark part of each
bar (published) sits inside the light one (received), and a timeline where received and
published testimonies are two lines, one solid, one dashed. Coordinates are in the SVG's own
units (its viewBox); the page scales the drawing to its width.
"""

import math
from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format, number_format
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from retex.backoffice.selectors_dashboard import Label, Tally, ThemeTally, Timeline

# Bars: each category is a line of text, with its bar below it.
BAR_CHART_WIDTH = 400
LABEL_HEIGHT = 18
BAR_HEIGHT = 14
ROW_GAP = 12
ROW_HEIGHT = LABEL_HEIGHT + BAR_HEIGHT + ROW_GAP
VALUE_ROOM = 64  # right of the longest bar, for its number
INDENT = 14  # sub-topics under their theme
LABEL_CHARACTERS = 52  # longer labels are cut in the drawing (the table has them whole)
SUMMARY_ITEMS = 6  # categories named in a chart's text alternative

# Timeline.
LINE_CHART_WIDTH = 720
LINE_CHART_HEIGHT = 280
LEFT = 52
RIGHT = 16
TOP = 16
BOTTOM = 32


def _number(value: int) -> str:
    return number_format(value, force_grouping=True)


@dataclass(frozen=True)
class BarRow:
    label: Label
    short_label: str
    received: int
    published: int
    level: int  # 0, or 1 for a sub-topic under its theme
    label_x: float
    label_y: float
    bar_x: float
    bar_y: float
    received_width: float
    published_width: float
    value_x: float
    value_y: float


@dataclass(frozen=True)
class BarChart:
    width: int
    height: int
    bar_height: int
    rows: list[BarRow]
    summary: str  # the text alternative: the biggest categories with their numbers


def _length(value: int, scale: float) -> float:
    # Any count above zero shows: a bar of less than a unit would vanish.
    return round(max(value * scale, 1.0), 1) if value else 0.0


def bar_chart(tallies: list[Tally]) -> BarChart:
    """Bars for a breakdown; a theme's sub-topics follow it, indented."""
    rows: list[tuple[Tally, int]] = []
    for tally in tallies:
        rows.append((tally, 0))
        if isinstance(tally, ThemeTally):
            rows += [(subtopic, 1) for subtopic in tally.subtopics]
    peak = max((tally.received for tally, _level in rows), default=0)
    drawn = []
    for index, (tally, level) in enumerate(rows):
        x = INDENT * level
        scale = (BAR_CHART_WIDTH - VALUE_ROOM - x) / peak if peak else 0.0
        top = index * ROW_HEIGHT
        received_width = _length(tally.received, scale)
        drawn.append(
            BarRow(
                label=tally.label,
                short_label=Truncator(str(tally.label)).chars(LABEL_CHARACTERS - 2 * level),
                received=tally.received,
                published=tally.published,
                level=level,
                label_x=x,
                label_y=top + LABEL_HEIGHT - 5,
                bar_x=x,
                bar_y=top + LABEL_HEIGHT,
                received_width=received_width,
                published_width=_length(tally.published, scale),
                value_x=round(x + received_width + 6, 1),
                value_y=top + LABEL_HEIGHT + BAR_HEIGHT - 2,
            )
        )
    return BarChart(
        width=BAR_CHART_WIDTH,
        height=max(len(rows) * ROW_HEIGHT - ROW_GAP, 1),
        bar_height=BAR_HEIGHT,
        rows=drawn,
        summary=_bar_summary(rows),
    )


def _bar_summary(rows: list[tuple[Tally, int]]) -> str:
    biggest = sorted(
        (tally for tally, level in rows if level == 0), key=lambda tally: -tally.received
    )
    parts = [
        _("%(label)s: %(received)s received, %(published)s published")
        % {
            "label": tally.label,
            "received": _number(tally.received),
            "published": _number(tally.published),
        }
        for tally in biggest[:SUMMARY_ITEMS]
    ]
    if len(biggest) > SUMMARY_ITEMS:
        parts.append(_("and %(count)d more in the table") % {"count": len(biggest) - SUMMARY_ITEMS})
    return "; ".join(parts) + "."


def nice_ceiling(value: int) -> tuple[int, int]:
    """A round maximum for an axis at or above `value`, and the step between its 4 ticks."""
    if value <= 4:
        return 4, 1
    raw_step = value / 4
    magnitude = 10 ** math.floor(math.log10(raw_step))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * magnitude
        if step >= raw_step:
            break
    step = max(int(step), 1)
    return step * math.ceil(value / step), step


@dataclass(frozen=True)
class Tick:
    position: float
    text: str


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: int
    right: float  # x of the plot's right edge
    top: int
    bottom: float  # y of the plot's base line
    received_points: str
    published_points: str
    y_ticks: list[Tick]
    x_ticks: list[Tick]
    first: date | None
    last: date | None
    summary: str


def _timeline_summary(timeline: Timeline) -> str:
    periods = timeline.periods
    if not periods:
        return _("No testimony received yet.")
    busiest = max(periods, key=lambda period: period.received)
    text = _(
        "From %(first)s to %(last)s: %(received)s testimonies received, %(published)s published."
    ) % {
        "first": date_format(periods[0].start, "j F Y"),
        "last": date_format(periods[-1].start, "j F Y"),
        "received": _number(sum(period.received for period in periods)),
        "published": _number(sum(period.published for period in periods)),
    }
    if busiest.received:
        busiest_text = (
            _("Busiest week: the week of %(day)s, %(count)s received.")
            if timeline.weekly
            else _("Busiest day: %(day)s, %(count)s received.")
        )
        text += " " + busiest_text % {
            "day": date_format(busiest.start, "j F Y"),
            "count": _number(busiest.received),
        }
    return text


def _x_ticks(starts: list[date], x_of) -> list[Tick]:
    """First days of months on a long timeline; Mondays on a short one."""
    if not starts:
        return []
    long_span = (starts[-1] - starts[0]).days > 45
    ticks = []
    for index, start in enumerate(starts):
        if long_span:
            new_month = index == 0 or start.month != starts[index - 1].month
            if new_month and (index == 0 or start.day <= 7):
                ticks.append(Tick(x_of(index), date_format(start, "M Y")))
        elif start.weekday() == 0 or index == 0:
            ticks.append(Tick(x_of(index), date_format(start, "j M")))
    # Labels closer than 40 units overlap: keep the later one (a month's start).
    kept: list[Tick] = []
    for tick in ticks:
        if kept and tick.position - kept[-1].position < 40:
            kept.pop()
        kept.append(tick)
    return kept


def line_chart(timeline: Timeline) -> LineChart:
    periods = timeline.periods
    right = LINE_CHART_WIDTH - RIGHT
    bottom = LINE_CHART_HEIGHT - BOTTOM
    ceiling, step = nice_ceiling(timeline.peak)
    plot_width = right - LEFT
    plot_height = bottom - TOP

    def x_of(index: int) -> float:
        if len(periods) <= 1:
            return LEFT + plot_width / 2
        return round(LEFT + index * plot_width / (len(periods) - 1), 1)

    def y_of(value: int) -> float:
        return round(bottom - value * plot_height / ceiling, 1)

    def points(values: list[int]) -> str:
        return " ".join(f"{x_of(index)},{y_of(value)}" for index, value in enumerate(values))

    return LineChart(
        width=LINE_CHART_WIDTH,
        height=LINE_CHART_HEIGHT,
        left=LEFT,
        right=right,
        top=TOP,
        bottom=bottom,
        received_points=points([period.received for period in periods]),
        published_points=points([period.published for period in periods]),
        y_ticks=[
            Tick(y_of(value), number_format(value, force_grouping=True))
            for value in range(0, ceiling + 1, step)
        ],
        x_ticks=_x_ticks([period.start for period in periods], x_of),
        first=periods[0].start if periods else None,
        last=periods[-1].start if periods else None,
        summary=_timeline_summary(timeline),
    )
