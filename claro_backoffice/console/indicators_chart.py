"""An indicator's values per day as a bar chart drawn on the server (SVG), readable without colour: each bar carries
its value as text and a `<title>`, the axis its scale, the chart a title and a description; the page shows the same
figures as a table beside it. Percentages (0..100) and NPS points (−100..100): the scale starts at zero and ends at
the first "round" number at or above the largest value (below zero likewise for a negative NPS)."""

from __future__ import annotations

import dataclasses
import math

from markupsafe import Markup, escape

from claro_backoffice.console.kpi import figure

WIDTH, HEIGHT = 600, 230
LEFT, RIGHT, TOP, BOTTOM = 48, 8, 22, 42
PLOT_HEIGHT = HEIGHT - TOP - BOTTOM  # 166
PLOT_WIDTH = WIDTH - LEFT - RIGHT  # 544
ROUND = (1, 2, 5, 10, 20, 25, 50, 100)
LABELLED_BARS = 16  # with more days than this the value labels would overlap: the table beside says them


@dataclasses.dataclass(frozen=True)
class Bar:
    date: str
    value: float | None
    x: float
    y: float
    width: float
    height: float


def _round_up(value: float) -> float:
    """The first round number at or above `value` (0 for 0): 3.64 -> 5, 26 -> 50, 100 -> 100, 130 -> 200."""
    if value <= 0:
        return 0
    for step in ROUND:
        if value <= step:
            return step
    return math.ceil(value / 100) * 100


def scale(values: list[float | None]) -> tuple[float, float]:
    """(bottom, top) of the axis: from −round(|lowest|) (0 when none is negative) to round(highest), never empty."""
    known = [v for v in values if v is not None]
    top = _round_up(max(known, default=0))
    bottom = -_round_up(-min(known, default=0))
    return (bottom, top) if top > bottom else (0, 1)


def bars(days: list[dict]) -> list[Bar]:
    """One bar per day (`date`, `value`); a day with no value (denominator 0) has a bar of height 0."""
    bottom, top = scale([d.get("value") for d in days])
    slot = PLOT_WIDTH / max(len(days), 1)

    def y(value: float) -> float:
        return TOP + (top - value) / (top - bottom) * PLOT_HEIGHT

    made = []
    for index, day in enumerate(days):
        value = day.get("value")
        high, low = (max(value, 0), min(value, 0)) if value is not None else (0, 0)
        made.append(
            Bar(
                date=day["date"],
                value=value,
                x=round(LEFT + index * slot + slot * 0.2, 1),
                y=round(y(high), 1),
                width=round(slot * 0.6, 1),
                height=round(y(low) - y(high), 1),
            )
        )
    return made


def _day_label(date: str) -> str:
    return f"{int(date[8:10])}/{int(date[5:7])}"


def svg(indicator: str, days: list[dict], chart_id: str) -> Markup:
    """The chart of one indicator's `byDay`, as an accessible inline SVG."""
    bottom, top = scale([d.get("value") for d in days])
    drawn = bars(days)
    title = f"{indicator} por día"
    first, last = (_day_label(days[0]["date"]), _day_label(days[-1]["date"])) if days else ("", "")
    description = (
        f"Barras de {first} a {last}; eje de {figure(indicator, bottom)} a {figure(indicator, top)}. "
        "Los mismos datos están en la tabla siguiente."
    )
    every = max(1, math.ceil(len(days) / 14))  # day labels that fit under the bars
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="{WIDTH}" height="{HEIGHT}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" class="chart" '
        f'data-testid="indicator-chart" data-indicator="{escape(indicator)}" '
        f'data-scale-bottom="{bottom:g}" data-scale-top="{top:g}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]
    for value in sorted({bottom, 0, top}):  # the axis: bottom, zero and top, each written out
        y = TOP + (top - value) / (top - bottom) * PLOT_HEIGHT
        parts.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" class="axis"/>')
        tick = escape(figure(indicator, value))
        parts.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" class="tick">{tick}</text>')
    for index, bar in enumerate(drawn):
        said = figure(indicator, bar.value) if bar.value is not None else "sin datos"
        centre = bar.x + bar.width / 2
        parts.append(
            f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" class="bar" '
            f'data-date="{bar.date}" data-value="{"" if bar.value is None else f"{bar.value:g}"}">'
            f"<title>{escape(_day_label(bar.date))}: {escape(said)}</title></rect>"
        )
        if len(drawn) <= LABELLED_BARS:
            label_y = (bar.y - 4) if (bar.value or 0) >= 0 else (bar.y + bar.height + 13)
            parts.append(
                f'<text x="{centre:.1f}" y="{label_y:.1f}" text-anchor="middle" class="value">{escape(said)}</text>'
            )
        if index % every == 0:
            parts.append(
                f'<text x="{centre:.1f}" y="{HEIGHT - BOTTOM + 16}" text-anchor="middle" class="day">'
                f"{escape(_day_label(bar.date))}</text>"
            )
    parts.append("</svg>")
    return Markup("".join(parts))
