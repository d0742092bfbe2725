"""The report's drawings: bar and step charts, the province map and the network picture."""

from __future__ import annotations

import re
from datetime import datetime

import networkx as nx
import pytest

from graph.sources import Sources
from queries.network import collaboration_graph
from reports.charts import Bar, Line, Series, bars, lines
from reports.geo import SCALE, province_map, provinces
from reports.network_view import LABELLED, drawn_graph, picture

BASE = "http://example.org/id/"


def bar_widths(svg: str) -> list[float]:
    """The widths of the bars' rectangles (the legend's squares are 10 wide and come first)."""
    return [float(w) for w in re.findall(r'<rect x="[^"]+" y="[^"]+" width="([^"]+)" height="\d+" fill="#', svg)
            if w != "10"]


def test_bars_are_as_long_as_their_values_and_lanes_stack() -> None:
    series = [Series("a", "#000"), Series("b", "#111")]
    side = bars([Bar("k1", "one", (10, 5), "10 / 5"), Bar("k2", "two", (4, 0), "4")], series, chart="c")
    assert side.count('class="bar"') == 2 and 'data-key="k1"' in side and "10 / 5" in side
    w = bar_widths(side)
    assert len(w) == 3  # 10, 5 and 4 on one scale; a 0 draws nothing
    assert w[0] == pytest.approx(2 * w[1], abs=0.2) and w[0] == pytest.approx(10 / 4 * w[2], abs=0.2)
    stacked = bars([Bar("k", "one", (10, 5), "")], series, chart="c", lanes=[[0, 1]])
    x = [float(v) for v in re.findall(r'<rect x="([^"]+)" y="[^"]+" width="[^"]+" height="15"', stacked)]
    assert len(x) == 2 and x[1] > x[0]  # b starts where a ends
    assert "<text" in stacked and 'class="value"' not in stacked  # no note, no value text


def test_steps_hold_each_value_until_the_next_point_and_the_last_to_the_end() -> None:
    t1, t2, t3 = datetime(2026, 1, 1), datetime(2026, 2, 1), datetime(2026, 3, 1)
    svg = lines([Line("members", "#000", ((t1, 10), (t2, 20))), Line("labs", "#111", ((t3, 5),))], chart="h")
    members, labs = re.findall(r'<polyline points="([^"]+)"', svg)
    points = [tuple(map(float, p.split(","))) for p in members.split()]
    assert points[0][1] == points[1][1] and points[2][1] == points[3][1] < points[0][1]  # up at t2
    assert points[1][0] == points[2][0] and points[3][0] == max(p[0] for p in points)  # held to t3
    first, second = labs.split()  # loaded once, at the end: a step from t3 to t3
    assert first == second and float(first.split(",")[0]) == points[3][0]
    assert "2026-01-01" in svg and "2026-03-01" in svg


def test_the_map_shades_provinces_by_value_and_names_them() -> None:
    shapes = provinces()
    # Brussels and the ten provinces, each drawn; Liège lies east of Hainaut, Luxembourg south of Namur
    assert sorted(shapes["provinces"]) == ["BE10", "BE21", "BE22", "BE23", "BE24", "BE25", "BE31", "BE32", "BE33",
                                           "BE34", "BE35"]
    label = {code: s["label"] for code, s in shapes["provinces"].items()}
    assert label["BE33"][0] > label["BE32"][0] and label["BE34"][1] > label["BE35"][1]
    svg = province_map({"BE33": 10, "BE35": 1}, {"BE33": "Liège", "BE35": "Namur"}, chart="m", caption="firms")
    found = re.findall(r'fill="(#[0-9a-f]+)" fill-rule="evenodd" class="province" data-key="(BE\d+)"', svg)
    fill = {code: colour for colour, code in found}
    assert fill["BE33"] == SCALE[-1] and fill["BE35"] == SCALE[0] and fill["BE21"] not in SCALE
    assert re.findall(r'class="value map-value">(\d+)<', svg) == ["10", "1"]


def test_the_network_picture_of_the_analytics_ecosystem(analytics: Sources) -> None:
    graph = collaboration_graph(analytics, weak=True)
    drawn = drawn_graph(graph)
    kinds = nx.get_node_attributes(drawn, "role")
    # 2 poles, 8 projects; participants: 11 in Wagralim's and 9 in BioWin's projects, UCL-IMAGE in both = 19;
    # and the institutions of the 4 labs in projects (ULiège, UCLouvain, UNamur, and ULiège again for Gembloux)
    assert sum(1 for r in kinds.values() if r == "pole") == 2
    assert sum(1 for r in kinds.values() if r == "project") == 8
    participants = [n for n, r in kinds.items() if r not in ("pole", "project", "institution")]
    assert len(participants) == 19
    assert f"{BASE}org/be-0450555595" not in drawn  # Wavre Web: in no project
    # cluster members in projects are "digital": M1 M2 M4 M6 M7 M8 (M3 and M5 are in none)
    assert sum(1 for r in kinds.values() if r == "digital") == 6
    wagralim = drawn_graph(graph, f"{BASE}pole/wagralim")
    assert sum(1 for r in nx.get_node_attributes(wagralim, "role").values() if r == "project") == 4
    shown = picture(drawn, {role: role for role in ("pole", "project", "digital", "company", "lab", "institution",
                                                     "organisation")})
    assert shown.nodes == drawn.number_of_nodes() and shown.svg.count('class="node"') == shown.nodes
    assert shown.svg.count("pole-label") == 2 and shown.svg.count('class="node-label"') <= LABELLED
