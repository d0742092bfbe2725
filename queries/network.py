"""Network metrics over the collaboration graph: central actors, communities, bridges between poles.

Which graph and which algorithms, and why: docs/decisions/0005-network-metrics.md. In short:

- `collaboration_graph` builds the graph from three named queries (``network-nodes``,
  ``network-strong-edges``, ``network-weak-edges``). **This is the one place where the whole collaboration
  graph is held in memory** (a networkx ``Graph``); recommendations walk only a neighbourhood, in batches.
  Nodes: organisations (companies, labs, institutions, other organisations) and projects; strong edges
  ``participates_in`` (participant - project) and ``unit_of`` (lab - institution); with ``weak=True`` also
  poles and the cluster, with ``member_of`` and ``labelled_by`` edges.
- `centrality`: betweenness on the strong-tie graph as it is (two-mode: organisations and projects), exact
  up to `EXACT_LIMIT` nodes, networkx's k-sample approximation above (`SAMPLES` sources, seed `SEED`); each
  row says which. Degree = distinct partner organisations through projects.
- `communities`: networkx Louvain (seed `SEED`) on the organisation projection (two organisations linked
  when they share a project, weight = shared projects).
- `pole_bridges`: a counting question, answered by the named query ``pole-bridges``.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable
from typing import Any

import networkx as nx

from graph.errors import InvalidParameter
from graph.sources import Sources
from queries.identify import local_name
from queries.registry import rows_of

EXACT_LIMIT = 5_000
"""Graphs with more nodes than this get sampled betweenness (exact cost grows as nodes x edges)."""
SAMPLES = 500
"""Source nodes sampled for approximate betweenness."""
SEED = 42
"""The seed of every randomised algorithm here, so that a result is the same at each run."""

ORGANISATION_KINDS = frozenset({"company", "lab", "institution", "organisation"})


# -- the graph -------------------------------------------------------------------------------------
def collaboration_graph(sources: Sources, *, restricted: bool = True, weak: bool = False) -> nx.Graph:
    """The collaboration graph, whole, in memory (the only place it is: see the module docstring).

    Node attributes: ``kind`` (company, lab, institution, organisation, project, pole, cluster) and
    ``label``. Edge attribute ``relation``: participates_in, unit_of (strong), member_of, labelled_by (weak,
    only with ``weak=True``, when poles and clusters are nodes too). Nodes and edges are added in IRI order,
    so that seeded algorithms give the same result at each run.
    """
    graph = nx.Graph()
    for row in rows_of(sources, "network-nodes", restricted=restricted, keep=True):
        if row["kind"] in ("pole", "cluster") and not weak:
            continue
        graph.add_node(row["node"], kind=row["kind"], label=row["label"] or local_name(row["node"]))
    edges = rows_of(sources, "network-strong-edges", restricted=restricted, keep=True)
    if weak:
        edges += rows_of(sources, "network-weak-edges", restricted=restricted, keep=True)
    for row in sorted(edges, key=lambda r: (r["source"], r["target"], r["relation"])):
        source, target = row["source"], row["target"]
        for node in (source, target):  # an end the node query does not know (untyped): an organisation
            if node not in graph:
                graph.add_node(node, kind="organisation", label=local_name(node))
        graph.add_edge(source, target, relation=row["relation"])
    return graph


def organisations(graph: nx.Graph) -> list[str]:
    """The organisation nodes, in IRI order."""
    return sorted(n for n, kind in graph.nodes(data="kind") if kind in ORGANISATION_KINDS)


def projects_of(graph: nx.Graph, organisation: str) -> set[str]:
    return {n for n in graph[organisation]
            if graph.nodes[n].get("kind") == "project" and graph[organisation][n].get("relation") == "participates_in"}


def partners(graph: nx.Graph, organisation: str) -> set[str]:
    """The distinct organisations that share at least one project with this one."""
    out: set[str] = set()
    for project in projects_of(graph, organisation):
        out.update(n for n in graph[project]
                   if n != organisation and graph[project][n].get("relation") == "participates_in")
    return out


def organisation_projection(graph: nx.Graph) -> nx.Graph:
    """Organisations linked when they share a project; ``weight`` = the number of projects they share.

    Only organisations with at least one partner are nodes (an organisation alone is no community)."""
    weights: Counter[tuple[str, str]] = Counter()
    for project in sorted(n for n, kind in graph.nodes(data="kind") if kind == "project"):
        members = sorted(n for n in graph[project] if graph[project][n].get("relation") == "participates_in")
        for i, a in enumerate(members):
            for b in members[i + 1:]:
                weights[(a, b)] += 1
    projection = nx.Graph()
    for (a, b), weight in sorted(weights.items()):
        for node in (a, b):
            if node not in projection:
                projection.add_node(node, **graph.nodes[node])
        projection.add_edge(a, b, weight=weight)
    return projection


# -- betweenness -----------------------------------------------------------------------------------
def betweenness(graph: nx.Graph, *, exact_limit: int = EXACT_LIMIT, samples: int = SAMPLES,
                seed: int = SEED) -> tuple[dict[Hashable, float], str]:
    """Raw betweenness of every node (normalized=False: for each pair of other nodes, the share of their
    shortest paths through the node, summed over the pairs; an undirected pair counted once), and how it
    was computed: exact when the graph has at most `exact_limit` nodes, else networkx's estimate from
    `samples` source nodes drawn with `seed` (scaled to the whole graph)."""
    n = graph.number_of_nodes()
    if n <= exact_limit:
        return dict(nx.betweenness_centrality(graph, normalized=False)), "exact"
    k = min(samples, n)
    values = nx.betweenness_centrality(graph, k=k, normalized=False, seed=seed)
    return dict(values), f"approximate: networkx k-sample estimate from {k} of {n} nodes, seed {seed}"


def centrality(sources: Sources, *, top: int = 20, restricted: bool = True) -> list[dict[str, Any]]:
    """Organisations ranked by betweenness in the strong-tie collaboration graph.

    Each row: rank, iri, label, kind, betweenness (normalised: raw / ((n-1)(n-2)/2), n = nodes of the
    graph, projects and lone organisations included), betweenness_raw, degree (distinct partner
    organisations through projects), projects (distinct projects taken part in), method ("exact", or the
    sampling used: see `betweenness`). Ranked by betweenness, then degree (both descending), then IRI."""
    if top < 1:
        raise InvalidParameter("top must be at least 1")
    graph = collaboration_graph(sources, restricted=restricted)
    raw, method = betweenness(graph)
    n = graph.number_of_nodes()
    scale = 2 / ((n - 1) * (n - 2)) if n > 2 else 0.0
    rows = []
    for org in organisations(graph):
        rows.append({
            "iri": org, "label": graph.nodes[org]["label"], "kind": graph.nodes[org]["kind"],
            "betweenness": raw.get(org, 0.0) * scale, "betweenness_raw": raw.get(org, 0.0),
            "degree": len(partners(graph, org)), "projects": len(projects_of(graph, org)), "method": method,
        })
    rows.sort(key=lambda r: (-r["betweenness_raw"], -r["degree"], r["iri"]))
    return [{"rank": i, **row} for i, row in enumerate(rows[:top], start=1)]


# -- communities -----------------------------------------------------------------------------------
def communities(sources: Sources, *, restricted: bool = True) -> list[dict[str, Any]]:
    """Communities of organisations: Louvain (seed `SEED`) on the organisation projection.

    Each: community (1-based number), size, members ({iri, label, kind}, by label then IRI), poles (each
    pole with the number of members connected to it - a member of the pole, or taking part in a project it
    labelled - most first) and dominant_poles (the poles with the most members; several on a tie, none when
    no member is connected to a pole). Organisations without partners are in no community. Ordered by size
    (descending), then the first member IRI."""
    graph = collaboration_graph(sources, restricted=restricted, weak=True)
    projection = organisation_projection(graph)
    if projection.number_of_nodes() == 0:
        return []
    found = nx.community.louvain_communities(projection, weight="weight", seed=SEED)
    groups = sorted((sorted(c) for c in found), key=lambda members: (-len(members), members[0]))
    poles_of = _poles_of(graph)
    out = []
    for number, members in enumerate(groups, start=1):
        counts: Counter[str] = Counter(p for m in members for p in poles_of.get(m, ()))
        poles = [{"iri": p, "label": graph.nodes[p]["label"], "members": c}
                 for p, c in sorted(counts.items(), key=lambda pc: (-pc[1], pc[0]))]
        best = poles[0]["members"] if poles else 0
        out.append({
            "community": number,
            "size": len(members),
            "members": sorted(({"iri": m, "label": graph.nodes[m]["label"], "kind": graph.nodes[m]["kind"]}
                               for m in members), key=lambda m: (m["label"].casefold(), m["iri"])),
            "poles": poles,
            "dominant_poles": [p for p in poles if p["members"] == best],
        })
    return out


def _poles_of(graph: nx.Graph) -> dict[str, set[str]]:
    """Organisation -> the poles it is connected to: member of, or in a project labelled by."""
    out: defaultdict[str, set[str]] = defaultdict(set)
    for a, b, relation in graph.edges(data="relation"):
        if relation == "member_of":
            org, pole = (a, b) if graph.nodes[b]["kind"] == "pole" else (b, a)
            if graph.nodes[pole]["kind"] == "pole":
                out[org].add(pole)
        elif relation == "labelled_by":
            project, pole = (a, b) if graph.nodes[b]["kind"] == "pole" else (b, a)
            for participant in graph[project]:
                if graph[project][participant].get("relation") == "participates_in":
                    out[participant].add(pole)
    return out


# -- bridges between poles -------------------------------------------------------------------------
def pole_bridges(sources: Sources, *, top: int = 20, restricted: bool = True) -> list[dict[str, Any]]:
    """Firms connected to two or more poles (analyst question 9), from the named query ``pole-bridges``.

    A firm (an organisation that is no lab or institution) is connected to a pole when it is a member of it
    or takes part in a project the pole labelled. Each row: rank, iri, label, kind, poles (each {iri, label,
    member, projects}, by label), pole_count, project_poles (poles it reaches through projects),
    member_poles, projects (its projects in those poles). Ranked by pole_count, project_poles, projects (all
    descending: a bridge through shared work before one through memberships), then IRI."""
    if top < 1:
        raise InvalidParameter("top must be at least 1")
    firms: dict[str, dict[str, Any]] = {}
    for row in rows_of(sources, "pole-bridges", restricted=restricted, keep=True):
        firm = firms.setdefault(row["firm"], {"iri": row["firm"], "label": row["label"] or local_name(row["firm"]),
                                              "kind": row["kind"], "poles": {}})
        if row["label"] and row["label"] < firm["label"]:
            firm["label"] = row["label"]
        firm["poles"].setdefault(row["pole"], {"iri": row["pole"], "label": row["pole_label"] or row["pole"],
                                               "member": bool(row["member"]), "projects": int(row["projects"])})
    out = []
    for firm in firms.values():
        poles = sorted(firm["poles"].values(), key=lambda p: (p["label"].casefold(), p["iri"]))
        out.append({
            "iri": firm["iri"], "label": firm["label"], "kind": firm["kind"], "poles": poles,
            "pole_count": len(poles),
            "project_poles": sum(1 for p in poles if p["projects"] > 0),
            "member_poles": sum(1 for p in poles if p["member"]),
            "projects": sum(p["projects"] for p in poles),
        })
    out.sort(key=lambda f: (-f["pole_count"], -f["project_poles"], -f["projects"], f["iri"]))
    return [{"rank": i, **firm} for i, firm in enumerate(out[:top], start=1)]

