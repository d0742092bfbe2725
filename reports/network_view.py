"""The collaboration network as a picture: poles, their projects, and the firms and labs taking part.

What is drawn, so that it stays readable at several hundred nodes: the nodes of the collaboration graph
(queries.network.collaboration_graph, from named queries) that take part in a project, are a project or a
pole, or are the institution of a drawn lab; edges participates_in, labelled_by, unit_of, and member_of
between drawn nodes (the cluster itself is not drawn: its members are told by their colour, or it would be
a hub tied to every firm). Positions: networkx's force layout (seeded, so the same data gives the same
picture), poles started on a circle so that each pole's projects gather around it. Node size grows with
degree; only poles and the most connected nodes are labelled, with a halo so that labels stay readable
over edges. No script: plain SVG.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape

import networkx as nx
from markupsafe import Markup

from queries.network import SEED

WIDTH, HEIGHT = 1000.0, 720.0
LABELLED = 14
"""How many nodes besides the poles get a label: the most connected ones."""
DRAWN_RELATIONS = ("participates_in", "labelled_by", "unit_of", "member_of")

COLOURS = {
    "pole": "#7c3aed", "project": "#f59e0b", "digital": "#2563eb", "company": "#94a3b8",
    "lab": "#16a34a", "institution": "#0d9488", "organisation": "#cbd5e1",
}
"""Node colour by role; "digital" is a company that is a member of a cluster."""


@dataclass(frozen=True)
class Picture:
    svg: Markup
    nodes: int
    edges: int
    roles: dict[str, int]
    """How many drawn nodes have each role (the legend's keys)."""


def drawn_graph(graph: nx.Graph, pole: str | None = None) -> nx.Graph:
    """The part of `graph` the picture shows (see the module docstring); with `pole`, only that pole, its
    projects and their participants."""
    keep: set[str] = set()
    for a, b, relation in graph.edges(data="relation"):
        if relation in ("participates_in", "labelled_by"):
            keep.update((a, b))
    if pole is not None:
        projects = {n for n in graph[pole] if graph.nodes[n]["kind"] == "project"} if pole in graph else set()
        keep = {pole} | projects | {p for project in projects for p in graph[project]
                                    if graph[project][p].get("relation") == "participates_in"}
    keep |= {institution for a, b, relation in graph.edges(data="relation") if relation == "unit_of"
             for lab, institution in ((a, b), (b, a)) if lab in keep and graph.nodes[lab]["kind"] == "lab"}
    drawn = nx.Graph()
    for node in sorted(keep):
        drawn.add_node(node, **graph.nodes[node], role=_role(graph, node))
    for a, b, relation in graph.edges(data="relation"):
        if relation in DRAWN_RELATIONS and a in keep and b in keep:
            drawn.add_edge(a, b, relation=relation)
    return drawn


def _role(graph: nx.Graph, node: str) -> str:
    kind = graph.nodes[node]["kind"]
    if kind == "company" and any(graph.nodes[n]["kind"] == "cluster" for n in graph[node]):
        return "digital"
    return kind if kind in COLOURS else "organisation"


def picture(graph: nx.Graph, legend: dict[str, str]) -> Picture:
    """The SVG of `graph` (a `drawn_graph`), its legend's role names from `legend` (the reader's language)."""
    roles: dict[str, int] = {}
    for _, role in graph.nodes(data="role"):
        roles[role] = roles.get(role, 0) + 1
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart network" id="network-chart" '
           f'viewBox="0 0 {WIDTH:.0f} {HEIGHT:.0f}" width="{WIDTH:.0f}" height="{HEIGHT:.0f}" role="img">']
    pos = _layout(graph)
    for a, b in graph.edges():
        (x1, y1), (x2, y2) = pos[a], pos[b]
        out.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" class="edge"/>')
    degree = dict(graph.degree())
    for node in sorted(graph, key=lambda n: (graph.nodes[n]["role"] == "pole", degree[n], n)):
        x, y = pos[node]
        label = graph.nodes[node].get("label") or node
        out.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{_radius(graph, node, degree):.1f}" '
                   f'fill="{COLOURS[graph.nodes[node]["role"]]}" class="node"><title>{escape(label)}</title></circle>')
    for node, (x, y), pole in _labels(graph, pos, degree):
        out.append(f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="middle" class="node-label'
                   f'{" pole-label" if pole else ""}">{escape(_short(graph.nodes[node].get("label") or node))}</text>')
    out.append(_legend(roles, legend))
    out.append("</svg>")
    return Picture(Markup("".join(out)), graph.number_of_nodes(), graph.number_of_edges(), roles)


def _layout(graph: nx.Graph) -> dict[str, tuple[float, float]]:
    """The largest connected part by force layout over the frame; smaller separate parts (a project whose
    partners work with nobody else) in a row along its bottom, so that none pushes the rest into a corner."""
    parts = sorted((sorted(c) for c in nx.connected_components(graph)), key=lambda c: (-len(c), c[0]))
    if not parts:
        return {}
    main, rest = parts[0], parts[1:]
    margin, bottom = 40.0, 60.0 + (50.0 if rest else 0.0)  # room for labels, the small parts and the legend
    poles = [n for n in main if graph.nodes[n]["role"] == "pole"]
    start = {p: (math.cos(2 * math.pi * i / len(poles)), math.sin(2 * math.pi * i / len(poles)))
             for i, p in enumerate(poles)}
    raw = nx.spring_layout(graph.subgraph(main), k=1.6 / math.sqrt(len(main)), pos=start or None, iterations=120,
                           seed=SEED, method="force")
    xs, ys = [p[0] for p in raw.values()], [p[1] for p in raw.values()]
    sx = (WIDTH - 2 * margin) / ((max(xs) - min(xs)) or 1)
    sy = (HEIGHT - margin - bottom) / ((max(ys) - min(ys)) or 1)
    pos = {n: (margin + (p[0] - min(xs)) * sx, margin + (p[1] - min(ys)) * sy) for n, p in raw.items()}
    x = margin
    for part in rest:
        radius = min(4.0 * len(part), 40.0)
        for i, node in enumerate(part):
            angle = 2 * math.pi * i / len(part)
            pos[node] = (x + radius * (1 + math.cos(angle)), HEIGHT - 85 + radius * math.sin(angle))
        x += 2 * radius + 24
    return pos


def _radius(graph: nx.Graph, node: str, degree: dict[str, int]) -> float:
    return (7.0 if graph.nodes[node]["role"] == "pole" else 2.2) + 0.9 * math.sqrt(degree[node])


def _labels(graph: nx.Graph, pos: dict[str, tuple[float, float]],
            degree: dict[str, int]) -> list[tuple[str, tuple[float, float], bool]]:
    """Where to write which labels: every pole, then the most connected nodes whose label would overlap no
    label already placed, LABELLED of them at most. Poles come last in the list, so they are drawn on top."""
    poles = sorted(n for n in graph if graph.nodes[n]["role"] == "pole")
    others = sorted((n for n in graph if graph.nodes[n]["role"] != "pole"), key=lambda n: (-degree[n], n))
    placed: list[tuple[str, tuple[float, float], bool]] = []
    boxes: list[tuple[float, float, float, float]] = []
    for node in [*poles, *others]:
        pole = node in poles
        if not pole and len(placed) - len(poles) >= LABELLED:
            break
        x, y = pos[node]
        y -= _radius(graph, node, degree) + (5 if pole else 4)
        half = len(_short(graph.nodes[node].get("label") or node)) * (5.4 if pole else 4.3) + 2
        box = (x - half, y - (16 if pole else 13), x + half, y + 3)
        if pole or not any(box[0] < b[2] and b[0] < box[2] and box[1] < b[3] and b[1] < box[3] for b in boxes):
            placed.append((node, (x, y), pole))
            boxes.append(box)
    return [p for p in placed if not p[2]] + [p for p in placed if p[2]]


def _legend(roles: dict[str, int], names: dict[str, str]) -> str:
    out, x, y = [], 40.0, HEIGHT - 34
    for role, colour in COLOURS.items():
        if role not in roles:
            continue
        text = f"{names[role]} ({roles[role]})"
        step = 14 + len(text) * 8.4 + 20
        if x + step - 20 > WIDTH - 20:
            x, y = 40.0, y + 20
        out.append(f'<circle cx="{x + 5:.1f}" cy="{y - 5}" r="6" fill="{colour}"/>'
                   f'<text x="{x + 15:.1f}" y="{y}" class="legend">{escape(text)}</text>')
        x += step
    return "".join(out)


def _short(label: str, limit: int = 28) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"
