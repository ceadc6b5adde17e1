"""Bar and line charts as SVG strings, drawn on the server. Pure.

Readable without colour and without sight: every chart has a <title> and a <desc>
(tied to the svg with aria-labelledby / aria-describedby), axis titles, tick labels and
value labels; lines differ by dash pattern and marker shape as well as colour, and each
line is named at its end and in a legend. All text is escaped. No style attributes
(the site's CSP forbids them): presentation attributes and classes only.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

# Room around the plot for tick labels, axis titles and the legend.
_LEFT, _RIGHT, _TOP, _BOTTOM = 56, 24, 16, 58
_FONT = 12
# Dash patterns and markers that tell lines apart in black and white.
_DASHES = ("", "8 4", "2 4", "12 4 2 4")
_MARKERS = ("circle", "square", "triangle", "diamond")
_COLOURS = ("#1d4ed8", "#b45309", "#047857", "#7c3aed")


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float | None]  # None: no value at that x (the line breaks)


def _text(value: object) -> str:
    return escape(str(value), quote=True)


def _number(value: float) -> str:
    """Coordinates with at most 2 decimals, so the SVG is stable and small."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def chart_id(title: str) -> str:
    """An id made from the title ("Reviews per day" -> "chart-reviews-per-day")."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return f"chart-{slug or 'untitled'}"


def nice_ticks(top: float, count: int = 5) -> list[float]:
    """Round tick values from 0 to at least `top`: steps of 1, 2 or 5 times a power of ten."""
    if top <= 0 or not math.isfinite(top):
        return [0.0, 1.0]
    raw = top / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    ticks = [0.0]
    while ticks[-1] < top - 1e-9:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _default_format(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:.2f}"


def _label_step(count: int, plot_width: float, min_gap: float = 46) -> int:
    """Show every n-th x label so that labels do not overlap."""
    if count <= 1:
        return 1
    return max(1, math.ceil(min_gap / (plot_width / count)))


def _open(width: int, height: int, ident: str, title: str, desc: str, kind: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" role="img" '
        f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
        f'aria-labelledby="{ident}-title" aria-describedby="{ident}-desc" '
        f'font-family="system-ui, sans-serif" font-size="{_FONT}">',
        f'<title id="{ident}-title">{_text(title)}</title>',
        f'<desc id="{ident}-desc">{_text(desc)}</desc>',
    ]


def _y_axis(ticks: Sequence[float], scale, fmt, width: int, height: int, y_label: str) -> list[str]:
    parts = ['<g class="axis y-axis">']
    for tick in ticks:
        y = _number(scale(tick))
        parts.append(
            f'<line class="grid" x1="{_LEFT}" x2="{width - _RIGHT}" y1="{y}" y2="{y}" '
            f'stroke="#d4d4d8" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y}" text-anchor="end" dominant-baseline="middle" '
            f'fill="#1c1c1e">{_text(fmt(tick))}</text>'
        )
    middle = _number(_TOP + (height - _TOP - _BOTTOM) / 2)
    parts.append(
        f'<text class="axis-title" x="14" y="{middle}" text-anchor="middle" '
        f'transform="rotate(-90 14 {middle})" fill="#1c1c1e">{_text(y_label)}</text>'
    )
    parts.append("</g>")
    return parts


def _x_axis(
    labels: Sequence[str], centre, width: int, height: int, x_label: str, plot_width: float
) -> list[str]:
    base = height - _BOTTOM
    parts = [
        '<g class="axis x-axis">',
        f'<line x1="{_LEFT}" x2="{width - _RIGHT}" y1="{base}" y2="{base}" '
        f'stroke="#1c1c1e" stroke-width="1"/>',
    ]
    step = _label_step(len(labels), plot_width)
    for index, label in enumerate(labels):
        if index % step:
            continue
        parts.append(
            f'<text x="{_number(centre(index))}" y="{base + 16}" text-anchor="middle" '
            f'fill="#1c1c1e">{_text(label)}</text>'
        )
    parts.append(
        f'<text class="axis-title" x="{_number(_LEFT + plot_width / 2)}" y="{height - 8}" '
        f'text-anchor="middle" fill="#1c1c1e">{_text(x_label)}</text>'
    )
    parts.append("</g>")
    return parts


def bar_chart(
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    x_label: str,
    y_label: str,
    value_format=_default_format,
    y_max: float | None = None,
    reference: tuple[float, str] | None = None,
    width: int = 640,
    height: int = 280,
    ident: str | None = None,
) -> str:
    """Vertical bars with their values written on top (zero bars get no label).

    `reference` draws a dashed, labelled horizontal line (e.g. a target: (0.9, "desired 90%")).
    `value_format` turns numbers into tick and value labels (e.g. percentages).
    """
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")
    if any(v < 0 or not math.isfinite(v) for v in values):
        raise ValueError("bar values must be finite and >= 0")
    ident = ident or chart_id(title)
    plot_width = width - _LEFT - _RIGHT
    plot_height = height - _TOP - _BOTTOM
    top = max([*values, reference[0] if reference else 0.0, y_max or 0.0, 0.0])
    ticks = nice_ticks(top) if y_max is None else nice_ticks(y_max)
    y_top = ticks[-1]

    def scale(value: float) -> float:
        return _TOP + plot_height * (1 - value / y_top)

    slot = plot_width / max(len(values), 1)
    bar_width = max(1.0, slot * 0.7)

    def centre(index: int) -> float:
        return _LEFT + slot * (index + 0.5)

    parts = _open(width, height, ident, title, desc, "bar")
    parts += _y_axis(ticks, scale, value_format, width, height, y_label)
    parts.append('<g class="bars">')
    show_values = bar_width >= 9
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = scale(value)
        x = centre(index) - bar_width / 2
        parts.append(
            f'<rect class="chart-bar" x="{_number(x)}" y="{_number(y)}" '
            f'width="{_number(bar_width)}" '
            f'height="{_number(_TOP + plot_height - y)}" fill="#1d4ed8" stroke="#1e3a8a">'
            f"<title>{_text(label)}: {_text(value_format(value))}</title></rect>"
        )
        if show_values and value > 0:
            # Inside a tall bar (white on the bar), above a short one: lines drawn across
            # the chart (a reference) then never run through a value.
            size = min(_FONT, max(9, int(bar_width * 0.8)))
            inside = _TOP + plot_height - y >= size + 8
            parts.append(
                f'<text class="value" x="{_number(centre(index))}" '
                f'y="{_number(y + size + 3 if inside else y - 4)}" text-anchor="middle" '
                f'font-size="{size}" fill="{"#fff" if inside else "#1c1c1e"}">'
                f"{_text(value_format(value))}</text>"
            )
    parts.append("</g>")
    if reference is not None:
        parts += _reference_line(reference, scale, width)
    parts += _x_axis(labels, centre, width, height, x_label, plot_width)
    parts.append("</svg>")
    return "\n".join(parts)


# Horizontal bars: one row per category, its name written in full on the left.
_ROW, _LABEL_CHAR = 28, 7.2  # row height; a rough width of one label character


def horizontal_bar_chart(
    title: str,
    desc: str,
    labels: Sequence[str],
    values: Sequence[float],
    *,
    x_label: str,
    value_format=_default_format,
    x_max: float | None = None,
    reference: tuple[float, str] | None = None,
    width: int = 640,
    ident: str | None = None,
) -> str:
    """Bars from the left, their values in a column on the right: for categories with long
    names (topics), which a vertical chart could only cut short or run together."""
    if len(labels) != len(values):
        raise ValueError(f"{len(labels)} labels for {len(values)} values")
    if any(v < 0 or not math.isfinite(v) for v in values):
        raise ValueError("bar values must be finite and >= 0")
    ident = ident or chart_id(title)
    longest = max((len(label) for label in labels), default=0)
    left = min(width * 0.45, 16 + longest * _LABEL_CHAR)
    right = 56  # room for the column of values
    top = 28 if reference else 12
    height = top + _ROW * max(len(values), 1) + 44
    plot_width = width - left - right
    base = height - 44
    ticks = nice_ticks(max([*values, reference[0] if reference else 0.0, x_max or 0.0]))
    x_top = ticks[-1]

    def scale(value: float) -> float:
        return left + plot_width * value / x_top

    parts = _open(width, height, ident, title, desc, "hbar")
    parts.append('<g class="axis x-axis">')
    for tick in ticks:
        x = _number(scale(tick))
        parts.append(
            f'<line class="grid" x1="{x}" x2="{x}" y1="{top}" y2="{base}" '
            f'stroke="#d4d4d8" stroke-width="1"/>'
        )
        parts.append(
            f'<text x="{x}" y="{base + 16}" text-anchor="middle" fill="#1c1c1e">'
            f"{_text(value_format(tick))}</text>"
        )
    parts.append(
        f'<text class="axis-title" x="{_number(left + plot_width / 2)}" y="{height - 8}" '
        f'text-anchor="middle" fill="#1c1c1e">{_text(x_label)}</text></g>'
    )
    parts.append('<g class="bars">')
    for index, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = top + _ROW * index
        middle = _number(y + _ROW / 2)
        parts.append(
            f'<text x="{_number(left - 8)}" y="{middle}" text-anchor="end" '
            f'dominant-baseline="middle" fill="#1c1c1e">{_text(label)}</text>'
        )
        parts.append(
            f'<rect class="chart-bar" x="{_number(left)}" y="{_number(y + 5)}" '
            f'width="{_number(scale(value) - left)}" height="{_ROW - 10}" fill="#1d4ed8" '
            f'stroke="#1e3a8a"><title>{_text(label)}: {_text(value_format(value))}</title></rect>'
        )
        # Values in a column right of the plot: a reference line never runs through one.
        parts.append(
            f'<text class="value" x="{_number(left + plot_width + 8)}" y="{middle}" '
            f'dominant-baseline="middle" fill="#1c1c1e">{_text(value_format(value))}</text>'
        )
    parts.append("</g>")
    parts.append(
        f'<line x1="{_number(left)}" x2="{_number(left)}" y1="{top}" y2="{base}" '
        f'stroke="#1c1c1e" stroke-width="1"/>'
    )
    if reference is not None:
        value, label = reference
        x = _number(scale(value))
        parts.append(
            f'<g class="reference"><line x1="{x}" x2="{x}" y1="{top - 4}" y2="{base}" '
            f'stroke="#991b1b" stroke-width="2" stroke-dasharray="6 4"/>'
            f'<text x="{x}" y="{top - 10}" text-anchor="middle" fill="#991b1b">'
            f"{_text(label)}</text></g>"
        )
    parts.append("</svg>")
    return "\n".join(parts)


def _reference_line(reference: tuple[float, str], scale, width: int) -> list[str]:
    value, label = reference
    y = _number(scale(value))
    return [
        f'<g class="reference"><line x1="{_LEFT}" x2="{width - _RIGHT}" y1="{y}" y2="{y}" '
        f'stroke="#991b1b" stroke-width="2" stroke-dasharray="6 4"/>',
        f'<text x="{width - _RIGHT}" y="{_number(float(y) - 5)}" text-anchor="end" '
        f'fill="#991b1b">{_text(label)}</text></g>',
    ]


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "circle":
        return f'<circle cx="{_number(x)}" cy="{_number(y)}" r="4" fill="{colour}"/>'
    if shape == "square":
        return (
            f'<rect x="{_number(x - 4)}" y="{_number(y - 4)}" width="8" height="8" '
            f'fill="{colour}"/>'
        )
    if shape == "triangle":
        points = (
            f"{_number(x)},{_number(y - 5)} {_number(x - 5)},{_number(y + 4)} "
            f"{_number(x + 5)},{_number(y + 4)}"
        )
        return f'<polygon points="{points}" fill="{colour}"/>'
    points = (
        f"{_number(x)},{_number(y - 5)} {_number(x + 5)},{_number(y)} "
        f"{_number(x)},{_number(y + 5)} {_number(x - 5)},{_number(y)}"
    )
    return f'<polygon points="{points}" fill="{colour}"/>'


def line_chart(
    title: str,
    desc: str,
    x_labels: Sequence[str],
    series: Sequence[Series],
    *,
    x_label: str,
    y_label: str,
    value_format=_default_format,
    y_max: float | None = None,
    width: int = 640,
    height: int = 280,
    ident: str | None = None,
) -> str:
    """Lines over shared x labels; each series with its own dash pattern and marker.

    The last value of each line is written at its end with the series name; a legend
    under the chart repeats each pattern with its name.
    """
    if not series:
        raise ValueError("a line chart needs at least one series")
    if len(series) > len(_DASHES):
        raise ValueError(f"at most {len(_DASHES)} series can be told apart")
    for one in series:
        if len(one.values) != len(x_labels):
            raise ValueError(
                f"series {one.name!r} has {len(one.values)} values for {len(x_labels)} labels"
            )
    ident = ident or chart_id(title)
    legend_height = 20
    plot_width = width - _LEFT - _RIGHT - 90  # room for the end labels
    plot_height = height - _TOP - _BOTTOM - legend_height
    present = [v for one in series for v in one.values if v is not None]
    ticks = nice_ticks(y_max if y_max is not None else max([*present, 0.0]))
    y_top = ticks[-1]

    def scale(value: float) -> float:
        return _TOP + plot_height * (1 - value / y_top)

    slot = plot_width / max(len(x_labels), 1)

    def centre(index: int) -> float:
        return _LEFT + slot * (index + 0.5)

    parts = _open(width, height, ident, title, desc, "line")
    parts += _y_axis(ticks, scale, value_format, width - 90, height - legend_height, y_label)
    for number, one in enumerate(series):
        colour, dash, shape = _COLOURS[number], _DASHES[number], _MARKERS[number]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(f'<g class="series series-{number + 1}">')
        runs: list[list[tuple[float, float]]] = [[]]
        for index, value in enumerate(one.values):
            if value is None:
                runs.append([])
            else:
                runs[-1].append((centre(index), scale(value)))
        for run in runs:
            if len(run) > 1:
                points = " ".join(f"{_number(x)},{_number(y)}" for x, y in run)
                parts.append(
                    f'<polyline points="{points}" fill="none" stroke="{colour}" '
                    f'stroke-width="2"{dash_attr}/>'
                )
        for index, value in enumerate(one.values):
            if value is not None:
                parts.append(
                    f"<g>{_marker(shape, centre(index), scale(value), colour)}"
                    f"<title>{_text(one.name)}, {_text(x_labels[index])}: "
                    f"{_text(value_format(value))}</title></g>"
                )
        parts.append("</g>")
    parts += _end_labels(series, centre, scale, value_format)
    parts += _x_axis(x_labels, centre, width - 90, height - legend_height, x_label, plot_width)
    parts += _legend(series, height)
    parts.append("</svg>")
    return "\n".join(parts)


def _end_labels(series: Sequence[Series], centre, scale, value_format) -> list[str]:
    """Each line's name and last value at its end, moved apart when they would overlap."""
    ends = []
    for one in series:
        last = max((i for i, v in enumerate(one.values) if v is not None), default=None)
        if last is not None:
            ends.append([scale(one.values[last]) + 4, centre(last) + 8, one, last])
    ends.sort(key=lambda end: end[0])
    for before, after in zip(ends, ends[1:], strict=False):
        after[0] = max(after[0], before[0] + _FONT + 2)
    return [
        f'<text class="end-label" x="{_number(x)}" y="{_number(y)}" fill="#1c1c1e">'
        f"{_text(one.name)}: {_text(value_format(one.values[last]))}</text>"
        for y, x, one, last in ends
    ]


def _legend(series: Sequence[Series], height: int) -> list[str]:
    parts = ['<g class="legend">']
    x = _LEFT
    y = height - 10
    for number, one in enumerate(series):
        colour, dash, shape = _COLOURS[number], _DASHES[number], _MARKERS[number]
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{x}" x2="{x + 30}" y1="{y - 4}" y2="{y - 4}" stroke="{colour}" '
            f'stroke-width="2"{dash_attr}/>'
        )
        parts.append(_marker(shape, x + 15, y - 4, colour))
        parts.append(f'<text x="{x + 36}" y="{y}" fill="#1c1c1e">{_text(one.name)}</text>')
        x += 50 + 7 * len(one.name)
    parts.append("</g>")
    return parts
