"""Charts as inline SVG, written here: a report must open with no network and no script, and the few chart
shapes it needs (horizontal bars, stacked or side by side, and lines over time) are short to draw.

Every bar is a ``<g class="bar" data-key=...>`` holding its ``text.label`` and ``text.value``: what a reader
sees, and what the browser test compares with the named queries' numbers.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from html import escape

from markupsafe import Markup

FONT = 11.0
CHAR = 6.3
"""Average advance of a character at FONT px in the report's sans-serif (DejaVu Sans), to size columns."""


@dataclass(frozen=True)
class Series:
    name: str
    color: str


@dataclass(frozen=True)
class Bar:
    key: str
    label: str
    values: tuple[float, ...]
    """One value per series."""
    note: str
    """The text after the bar: the figures it stands for."""


def bars(rows: Sequence[Bar], series: Sequence[Series], *, chart: str, lanes: Sequence[Sequence[int]] | None = None,
         width: float = 680, max_label: int = 34) -> Markup:
    """Horizontal bars, one row per `rows` item, each row made of `lanes`: thin bars one under the other,
    each stacking the series whose indexes it lists (default: one lane per series, side by side)."""
    lanes = lanes or [[i] for i in range(len(series))]
    label_w = min(max((len(r.label) for r in rows), default=4), max_label) * CHAR + 8
    note_w = max((len(r.note) for r in rows), default=0) * CHAR + 10
    left, right = label_w, width - note_w
    thick = 16 if len(lanes) == 1 else max(7, 20 // len(lanes))
    row_h = thick * len(lanes) + 8
    legend, legend_y = _legend(series, min(left, 40), 12, width)
    top = legend_y + 14
    height = top + row_h * len(rows) + 22
    totals = [max((sum(r.values[i] for i in lane) for lane in lanes), default=0) for r in rows]
    scale_max = _nice(max(totals, default=0))
    span = right - left

    def x(v: float) -> float:
        return left + span * v / scale_max

    out = [_open(chart, width, height), legend]
    for tick in _ticks(scale_max):
        out.append(f'<line x1="{x(tick):.1f}" y1="{top - 4}" x2="{x(tick):.1f}" y2="{height - 18}" class="grid"/>'
                   f'<text x="{x(tick):.1f}" y="{height - 6}" class="tick" text-anchor="middle">{_num(tick)}</text>')
    for i, row in enumerate(rows):
        y = top + i * row_h
        middle = y + row_h / 2 - 4 + FONT / 2 + 0.5
        out.append(f'<g class="bar" data-key="{escape(row.key)}"><title>{escape(row.label)}</title>'
                   f'<text x="{left - 6:.1f}" y="{middle:.1f}" class="label" text-anchor="end">'
                   f'{escape(_cut(row.label, max_label))}</text>')
        for j, lane in enumerate(lanes):
            start = left
            for k in lane:
                w = span * row.values[k] / scale_max
                if w > 0:
                    out.append(f'<rect x="{start:.1f}" y="{y + j * thick:.1f}" width="{max(w, 1.5):.1f}" '
                               f'height="{thick - 1}" fill="{series[k].color}"/>')
                start += w
        if row.note:
            out.append(f'<text x="{x(totals[i]) + 5:.1f}" y="{middle:.1f}" class="value">{escape(row.note)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return Markup("".join(out))


@dataclass(frozen=True)
class Line:
    name: str
    color: str
    points: tuple[tuple[datetime, float], ...]


def lines(series: Sequence[Line], *, chart: str, width: float = 680, height: float = 240) -> Markup:
    """Values over time as steps: each series keeps its value from one point to the next, and its last one
    up to the latest time of any series (a source loaded once is a flat line from its load on); a dot at
    each point. The legend above."""
    legend, legend_y = _legend(series, 40, 12, width)
    left, right, top, bottom = 56, width - 16, legend_y + 16, height - 24
    times = [t for s in series for t, _ in s.points]
    first, last = min(times, default=datetime.min), max(times, default=datetime.min)
    scale_max = _nice(max((v for s in series for _, v in s.points), default=0))

    def x(t: datetime) -> float:
        return right if first == last else left + (right - left) * (t - first) / (last - first)

    def y(v: float) -> float:
        return bottom - (bottom - top) * v / scale_max

    out = [_open(chart, width, height), legend]
    for tick in _ticks(scale_max):
        out.append(f'<line x1="{left}" y1="{y(tick):.1f}" x2="{right}" y2="{y(tick):.1f}" class="grid"/>'
                   f'<text x="{left - 6}" y="{y(tick) + 4:.1f}" class="tick" text-anchor="end">{_num(tick)}</text>')
    same_day = first.date() == last.date()
    for when, anchor in ((first, "start"), (last, "end")) if first != last else ((last, "end"),):
        shown = f"{when:%Y-%m-%d %H:%M:%S}" if same_day else f"{when:%Y-%m-%d}"
        out.append(f'<text x="{x(when):.1f}" y="{height - 6}" class="tick" text-anchor="{anchor}">{shown}</text>')
    for s in series:
        points = sorted(s.points)
        steps = [f"{x(t):.1f},{y(v):.1f} {x(points[i + 1][0]) if i + 1 < len(points) else x(last):.1f},{y(v):.1f}"
                 for i, (t, v) in enumerate(points)]
        out.append(f'<polyline points="{" ".join(steps)}" fill="none" stroke="{s.color}" stroke-width="2"/>')
        out += [f'<circle cx="{x(t):.1f}" cy="{y(v):.1f}" r="3.5" fill="{s.color}" class="point">'
                f'<title>{escape(s.name)}: {_num(v)} ({t:%Y-%m-%d %H:%M})</title></circle>' for t, v in points]
    out.append("</svg>")
    return Markup("".join(out))


def _open(chart: str, width: float, height: float) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{escape(chart)}" '
            f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" role="img">')


def _legend(series: Sequence[Series | Line], x0: float, y0: float, width: float) -> tuple[str, float]:
    """The legend from (x0, y0), wrapped before `width`; and the y of its last line."""
    out, x, y = [], x0, y0
    for s in series:
        step = 14 + len(s.name) * CHAR + 18
        if x > x0 and x + step - 18 > width:
            x, y = x0, y + 15
        out.append(f'<rect x="{x:.1f}" y="{y - 8}" width="10" height="10" fill="{s.color}"/>'
                   f'<text x="{x + 14:.1f}" y="{y + 1}" class="legend">{escape(s.name)}</text>')
        x += step
    return "".join(out), y


def _nice(top: float) -> float:
    """The axis end: 1, 2, 2.5 or 5 times a power of ten, at or above `top` (1 for nothing)."""
    if top <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(top))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= top)


def _ticks(top: float) -> list[float]:
    step = top / 5 if top >= 5 or top != int(top) else 1.0
    return [step * i for i in range(round(top / step) + 1)]


def _num(v: float) -> str:
    return f"{v:g}"


def _cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"
