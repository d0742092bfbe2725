"""An entity's neighbourhood in the collaboration graph, for the interactive view of its page.

The edges are those of the path search and the network metrics (the internal named query `neighbours`:
takes part in a project, member of a pole or cluster, unit of an institution, project labelled by a pole),
walked `depth` hops from the entity over what the caller may see. Nodes are kept nearest first and, within
a hop, poles and clusters, then projects, then actors (each by IRI), up to NODE_CAP: a pole's thousand
members would make a picture no one reads. Edges are those between kept nodes, the outermost ones included
(one more query asks for their neighbours). Every IRI is bound as an RDF term by the registry.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal, get_args

import pyoxigraph as ox

from graph.sources import Sources
from queries.entities import SEARCH_TYPES, iri_of, pick_label, triples
from queries.registry import rows_in_batches

NODE_CAP = 100
"""The most nodes a neighbourhood holds, the entity included."""
MAX_DEPTH = 2
BATCH = 200
"""Nodes per query."""

Relation = Literal["participates_in", "member_of", "unit_of", "labelled_by"]
_DRAWN = frozenset(get_args(Relation))
"""The relations drawn: an event's attendance (the `neighbours` query's attends) is not, yet."""
_KINDS = {iri: kind.lower() for kind, iri in SEARCH_TYPES.items()}  # in SEARCH_TYPES' order: the finest first
_RANK = {"company": 0, "lab": 0, "organisation": 0, "institution": 1, "project": 2, "pole": 3, "cluster": 3}
"""An edge goes from the lower rank to the higher: a firm to its project, a lab to its institution, a
project to its pole."""
_FIRST = {"group": 0, "project": 1, "actor": 2}
"""Which neighbours a capped hop keeps first (the kinds of the `neighbours` query)."""


@dataclass(frozen=True)
class Node:
    iri: str
    label: str
    """Its short name (a project's acronym) when it has one, else its label in the reader's language."""
    title: str
    """Its full label (the IRI when it has none)."""
    kind: str
    """company, lab, institution, pole, cluster, project, organisation; other for none of these."""
    depth: int


@dataclass(frozen=True)
class Edge:
    source: str
    target: str
    relation: Relation


@dataclass(frozen=True)
class Neighbourhood:
    iri: str
    depth: int
    nodes: list[Node]
    edges: list[Edge]
    capped: bool
    """Whether more nodes lie within `depth` hops than `nodes` holds."""


def neighbourhood(sources: Sources, iri: str, *, depth: int = 1, restricted: bool, lang: str = "en",
                  cap: int = NODE_CAP) -> Neighbourhood | None:
    """The nodes within `depth` hops of `iri` and the edges between them; None when the caller may see
    nothing about `iri` (InvalidParameter when it is no IRI)."""
    hops = {iri: 0}
    rows: list[dict[str, Any]] = []
    frontier, capped = [iri], False
    while frontier:
        found = [r for r in rows_in_batches(sources, "neighbours", "node", frontier, BATCH, restricted=restricted)
                 if r["relation"] in _DRAWN]
        rows += found
        layer = hops[frontier[0]] + 1
        if layer > depth or capped:
            break
        new = {r["neighbour"]: r["kind"] for r in found if r["neighbour"] not in hops}
        kept = sorted(new, key=lambda n: (_FIRST[new[n]], n))[:cap - len(hops)]
        capped = len(kept) < len(new)
        hops.update(dict.fromkeys(kept, layer))
        frontier = kept
    nodes = _described(sources, hops, restricted, lang)
    if not rows and nodes[0].kind == "other" and nodes[0].title == iri:
        return None  # nothing visible links it, types it or names it
    kinds = {n.iri: n.kind for n in nodes}
    edges = {_edge(r, kinds) for r in rows if r["node"] in hops and r["neighbour"] in hops}
    return Neighbourhood(iri, depth, nodes, sorted(edges, key=lambda e: (e.source, e.target, e.relation)), capped)


def _edge(row: dict[str, Any], kinds: dict[str, str]) -> Edge:
    ends = sorted((row["node"], row["neighbour"]), key=lambda n: (_RANK.get(kinds[n], 0), n))
    return Edge(ends[0], ends[1], row["relation"])


def _described(sources: Sources, hops: dict[str, int], restricted: bool, lang: str) -> list[Node]:
    """The nodes, nearest first, with their kind and labels."""
    iris = list(hops)
    classes: dict[str, set[str]] = {}
    shorts: dict[str, list[str]] = {}
    for row in rows_in_batches(sources, "neighbourhood-nodes", "node", iris, BATCH, restricted=restricted,
                               others={"class": list(_KINDS)}):
        if row["class"]:
            classes.setdefault(row["node"], set()).add(row["class"])
        if row["short"]:
            shorts.setdefault(row["node"], []).append(row["short"])
    labels: dict[str, list[ox.Literal]] = {}
    for t in triples(sources, "node-labels", "node", iris, sources.dataset(restricted=restricted)):
        if isinstance(t.object, ox.Literal):
            labels.setdefault(iri_of(t.subject), []).append(t.object)
    nodes = []
    for n in iris:
        title = pick_label(labels.get(n, []), lang) or n
        kind = next((k for c, k in _KINDS.items() if c in classes.get(n, ())), "other")
        nodes.append(Node(n, min(shorts[n]) if n in shorts else title, title, kind, hops[n]))
    return nodes
