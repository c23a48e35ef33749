"""Charts for the statistics page, drawn on the server: geometry only, as plain numbers.

The template (frontdesk/statistics/chart.html) turns a `Chart` into inline SVG with no script
and no style attribute, so it shows without JavaScript and under the strict CSP. The numbers
themselves are in the table beside each chart; the chart is for seeing the shape.

Two kinds: `columns` for a count over time (weeks, months, years), `bars` for categories, with
each category's name above its bar so long Swedish labels never crowd a narrow screen. A hidden
count ("<5") has no bar, which would show its size, only a dotted mark on the baseline.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from frontdesk.statistics import Table

WIDTH = 640
# Columns over time
PLOT_TOP, PLOT_BOTTOM, PLOT_LEFT, PLOT_RIGHT = 12, 210, 44, WIDTH - 8
COLUMNS_HEIGHT = 240
MAX_PERIOD_LABELS = 8
# Bars per category
# Narrower than columns, so names stay readable when a phone scales the chart down.
BARS_WIDTH = 400
ROW_HEIGHT, BAR_HEIGHT, LABEL_GAP = 44, 16, 6
BAR_LEFT, BAR_RIGHT = 4, BARS_WIDTH - 56


@dataclass(frozen=True)
class Mark:
    """One column or bar: where it is drawn, and what it says when hovered."""

    label: str
    shown: str  # the count as the table shows it, "<5" when hidden
    hidden: bool
    x: int
    y: int
    width: int
    height: int
    label_x: int  # where the category or period label is written (label_y for bars)
    label_y: int
    value_x: int  # where the count is written next to a bar
    value_y: int
    show_label: bool = True


@dataclass(frozen=True)
class Tick:
    """A horizontal grid line of a column chart, with its value."""

    value: int
    y: int


@dataclass(frozen=True)
class Chart:
    kind: str  # "columns" or "bars"
    width: int
    height: int
    marks: tuple[Mark, ...]
    ticks: tuple[Tick, ...] = ()
    baseline: int = 0
    plot_left: int = 0
    plot_right: int = 0


def chart_for(table: Table, labels: dict[str, str]) -> Chart:
    """The chart of a protected table; `labels` name its categories (or periods) for people."""
    if table.over_time:
        return columns(table, labels)
    return bars(table, labels)


def columns(table: Table, labels: dict[str, str]) -> Chart:
    """A column per period, on a scale with round grid lines."""
    cells = list(table)
    top = nice_ceiling(max((cell.value or 0 for cell in cells), default=0))
    slot = (PLOT_RIGHT - PLOT_LEFT) / max(len(cells), 1)
    width = max(1, round(slot * 0.7))
    every = max(1, math.ceil(len(cells) / MAX_PERIOD_LABELS))
    marks = []
    for i, cell in enumerate(cells):
        height = 0 if cell.value is None else round((PLOT_BOTTOM - PLOT_TOP) * cell.value / top)
        x = round(PLOT_LEFT + slot * i + (slot - width) / 2)
        marks.append(
            Mark(
                label=labels.get(cell.period, cell.period),
                shown=cell.antal,
                hidden=cell.value is None,
                x=x,
                y=PLOT_BOTTOM - height,
                width=width,
                height=height,
                label_x=round(PLOT_LEFT + slot * i + slot / 2),
                label_y=PLOT_BOTTOM + 18,
                value_x=0,
                value_y=0,
                show_label=i % every == 0,
            )
        )
    ticks = tuple(
        Tick(value, round(PLOT_BOTTOM - (PLOT_BOTTOM - PLOT_TOP) * value / top))
        for value in range(0, top + 1, top // 5)
    )
    return Chart(
        "columns",
        WIDTH,
        COLUMNS_HEIGHT,
        tuple(marks),
        ticks,
        baseline=PLOT_BOTTOM,
        plot_left=PLOT_LEFT,
        plot_right=PLOT_RIGHT,
    )


def bars(table: Table, labels: dict[str, str]) -> Chart:
    """A bar per category, its name above it and its count after it."""
    cells = list(table)
    top = max((cell.value or 0 for cell in cells), default=0) or 1
    marks = []
    for i, cell in enumerate(cells):
        row = i * ROW_HEIGHT
        length = 0 if cell.value is None else round((BAR_RIGHT - BAR_LEFT) * cell.value / top)
        bar_y = row + 18 + LABEL_GAP
        marks.append(
            Mark(
                label=labels.get(cell.kategori, cell.kategori),
                shown=cell.antal,
                hidden=cell.value is None,
                x=BAR_LEFT,
                y=bar_y,
                width=length,
                height=BAR_HEIGHT,
                label_x=BAR_LEFT,
                label_y=row + 16,
                value_x=BAR_LEFT + length + 6,
                value_y=bar_y + BAR_HEIGHT - 3,
            )
        )
    return Chart("bars", BARS_WIDTH, max(len(cells), 1) * ROW_HEIGHT, tuple(marks))


def nice_ceiling(value: int) -> int:
    """The smallest of 5, 10, 20, 25, 50, 100, 200, 250, … that is at least `value`, so a
    chart's five steps between grid lines are round numbers."""
    magnitude = 1
    while True:
        for step in (5, 10, 20, 25, 50):
            ceiling = step * magnitude
            if value <= ceiling:
                return ceiling
        magnitude *= 10
