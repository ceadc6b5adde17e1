"""Geometry of the score-trend line chart; the template draws it as SVG (no JS, no colour cue)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

WIDTH = 640
NARROW_WIDTH = 360  # drawn for phones, where a wide chart would shrink its text too much
HEIGHT = 260
MARGIN_LEFT = 56
MARGIN_RIGHT = 24
MARGIN_TOP = 24
MARGIN_BOTTOM = 44
Y_TICKS = (0.0, 0.25, 0.5, 0.75, 1.0)


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    label: str  # the value, written next to the point: "72%"
    caption: str  # what the point is, for the x axis and the tooltip: "3 Mar"


@dataclass(frozen=True)
class LineChart:
    width: int
    height: int
    left: float
    right: float
    top: float
    bottom: float
    points: tuple[ChartPoint, ...]
    y_ticks: tuple[tuple[float, str], ...]  # (y, "50%")
    max_captions: int = 8

    @property
    def path(self) -> str:
        return " ".join(
            f"{'M' if i == 0 else 'L'}{p.x:.1f},{p.y:.1f}" for i, p in enumerate(self.points)
        )

    @property
    def x_labels(self) -> tuple[ChartPoint, ...]:
        """At most `max_captions` captions, so they never overlap; always the last one."""
        step = max(1, -(-len(self.points) // self.max_captions))
        last = len(self.points) - 1
        return tuple(p for i, p in enumerate(self.points) if (last - i) % step == 0)


def line_chart(
    values: Sequence[tuple[str, float]], width: int = WIDTH, max_captions: int = 8
) -> LineChart:
    """Scores (0..1) with their captions, oldest first, placed left to right."""
    left, right = MARGIN_LEFT, width - MARGIN_RIGHT
    top, bottom = MARGIN_TOP, HEIGHT - MARGIN_BOTTOM

    def y_of(score: float) -> float:
        return bottom - min(1.0, max(0.0, score)) * (bottom - top)

    count = len(values)
    points = tuple(
        ChartPoint(
            x=(left + right) / 2 if count == 1 else left + i * (right - left) / (count - 1),
            y=y_of(score),
            label=f"{round(score * 100)}%",
            caption=caption,
        )
        for i, (caption, score) in enumerate(values)
    )
    ticks = tuple((y_of(t), f"{round(t * 100)}%") for t in Y_TICKS)
    return LineChart(width, HEIGHT, left, right, top, bottom, points, ticks, max_captions)
