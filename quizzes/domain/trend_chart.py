"""The score-trend line chart: its geometry, and the SVG string drawn from it, as every chart
is drawn (on the server, text escaped, no colour cue: each point carries its value)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

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

    def title(self) -> str:
        return "Score per quiz: " + ", ".join(f"{p.caption} {p.label}" for p in self.points)

    def svg(self, ident: str) -> str:
        """The chart as SVG, titled `{ident}-title` and described by `{ident}-desc` (the
        caption the page writes beside it)."""
        parts = [
            f'<svg class="line-chart" viewBox="0 0 {self.width} {self.height}" role="img" '
            f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" focusable="false">',
            f'<title id="{ident}-title">{_text(self.title())}</title>',
        ]
        for y, label in self.y_ticks:
            parts.append(
                f'<line class="grid" x1="{self.left}" x2="{self.right}" y1="{y}" y2="{y}"></line>'
            )
            parts.append(
                f'<text class="axis-label" x="{self.left - 8}" y="{y + 4}" text-anchor="end">'
                f"{_text(label)}</text>"
            )
        parts += [
            f'<line class="axis" x1="{self.left}" x2="{self.left}" y1="{self.top}" '
            f'y2="{self.bottom}"></line>',
            f'<line class="axis" x1="{self.left}" x2="{self.right}" y1="{self.bottom}" '
            f'y2="{self.bottom}"></line>',
        ]
        for p in self.x_labels:
            parts.append(
                f'<text class="axis-label" x="{p.x}" y="{self.bottom + 18}" '
                f'text-anchor="middle">{_text(p.caption)}</text>'
            )
        parts.append(
            f'<text class="axis-title" x="{(self.left + self.right) / 2}" y="{self.height - 6}" '
            'text-anchor="middle">Quiz, by date submitted</text>'
        )
        if len(self.points) > 1:
            parts.append(f'<path class="trend-line" d="{self.path}"></path>')
        for p in self.points:
            # The value above its point, or below when the point is at the top.
            label_y = p.y - 10 if p.y > self.top + 14 else p.y + 20
            parts.append(
                f'<circle class="trend-point" cx="{p.x}" cy="{p.y}" r="4.5"><title>'
                f"{_text(p.caption)}: {_text(p.label)}</title></circle>"
            )
            parts.append(
                f'<text class="point-label" x="{p.x}" y="{label_y}" text-anchor="middle">'
                f"{_text(p.label)}</text>"
            )
        parts.append("</svg>")
        return "\n".join(parts)


def _text(value: str) -> str:
    return escape(value, quote=True)


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
