"""Collaboration paths between two actors (PRODUCT.md, "Collaboration paths").

The graph walked
----------------
Nodes are actors (companies, labs, institutions, foreign partners: any organisation), projects, poles
and clusters. Edges, by relation name (the names are part of the API):

- ``participates_in``: an actor and a project, through an eco:Participation. The n-ary participation is the
  evidence of the hop (``via``), not a hop of its own. Dates: the participation's, else the project's. Strong.
- ``unit_of``: a lab and its institution (org:unitOf). Strong.
- ``member_of``: an organisation and a pole or cluster, through an org:Membership (``via``), dated when
  the membership is. Weak.
- ``labelled_by``: a project and the pole that labelled it (eco:labelledBy), with the project's dates. Weak.
- ``attends``: an organisation and an event of the cluster's programme it attended, through an
  eco:Attendance (``via``), dated by the event. Weak: two firms at the same event are two hops apart.

Paths are undirected; each hop says the direction it was walked in. Weak ties are followed only when
asked (``weak=True``), otherwise every two cluster members would be two hops apart. One exception: when
an end of the search is itself a pole, a cluster or an event, the weak edges touching that end are followed
(a firm reaches a pole through its membership or a labelled project, an event through its attendance)
unless ``relations`` names the relations to follow explicitly or ``avoid`` excludes them.

The search
----------
By queries, nothing loads the whole graph: it works against a remote SPARQL store as well.

1. Bidirectional breadth-first search. The first query asks for the neighbours of both ends; then each
   round expands the smaller frontier (A's on a tie) with ONE batched query for the whole layer (named
   query ``neighbours``; layers of more than ``BATCH`` nodes are split in chunks of that size). Relations
   and the time window are filtered here, in Python, on the rows of the layer.
2. After side A has expanded ``da`` layers and side B ``db`` layers, every edge of every path of length
   <= da + db is known (an edge v_i v_i+1 of such a path is known from v_i's expansion when i < da, or from
   v_i+1's when L - i - 1 < db, and one of the two holds). So the search stops when the explored subgraph
   holds k simple paths of length <= da + db (they are then the k shortest of the whole graph), when
   da + db reaches ``max_length``, or when a frontier is empty (that side's component is fully known).
3. The k shortest simple paths of the explored subgraph are enumerated best-first over partial paths
   (an A* search whose heuristic is the breadth-first distance to B in the explored subgraph, a lower bound
   of any simple completion). Partial paths are ordered by (length + distance to B, node IRIs), so complete
   paths come out shortest first, ties in the order of their sequences of node IRIs; a path never repeats
   a node.

The graph in memory. A search asks one query per layer: tens of milliseconds each on millions of quads. So
`ecokg serve` also keeps, per access level and until the data changes, the whole graph's adjacency without
evidence (`prepare`, from network-strong-edges and network-weak-edges: the same edges; api.warming builds it
after each write). When it is there, layers are expanded from memory and only the evidence of the paths found
(via, dates) is asked, in one neighbours query: the same paths, hops and evidence. Searches it cannot answer
alike go by queries as above: a time window (dates live on the evidence), and the `attends` relation (events are
not in it), followed or possible at an end that is a pole or cluster.

Hubs. Poles, clusters and events are hubs (a cluster is joined to every member). They are reached only
through weak ties, so without ``weak`` they are never expanded, except as an end of the search. With ``weak`` they
are expanded like any node, and the search stops widening once it has seen ``MAX_NODES`` nodes: the paths
found up to the length fully explored are returned, and if there are none, ``SearchTooWide`` asks for a
narrower question rather than answering "no path" wrongly.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
from collections.abc import Collection, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.errors import EcokgError, InvalidParameter
from graph.sources import Sources
from queries import registry
from queries.identify import entity_labels, resolve_actor
from queries.kept import Kept

__all__ = [
    "RELATIONS",
    "STRONG",
    "WEAK",
    "Hop",
    "Path",
    "SearchTooWide",
    "find_paths",
    "nearest",
    "no_path_message",
    "paths_json",
    "prepare",
    "resolve_actor",
]

STRONG = frozenset({"participates_in", "unit_of"})
WEAK = frozenset({"member_of", "labelled_by", "attends"})
RELATIONS = STRONG | WEAK

MAX_K = 20
"""At most this many paths per question."""
MAX_LENGTH = 10
"""The longest max_length accepted (default 6)."""
BATCH = 500
"""Nodes per neighbour query: a layer wider than this is asked in several queries."""
MAX_NODES = 20_000
"""The search stops widening once it has seen this many nodes (see the module's docstring, Hubs)."""
MAX_POPS = 200_000
"""The enumeration of paths in the explored subgraph gives up after this many partial paths."""

_NEIGHBOURS = "neighbours"
_HUB_KINDS = ("group", "event")  # what the neighbours query calls a pole or cluster, and an event
_EDGE_QUERIES = ("network-strong-edges", "network-weak-edges")  # every relation but attends
_INDEXES = Kept(max_rows=50_000_000, max_entry_rows=25_000_000)
"""The graphs in memory, one per access level and state of the data, weighed by their edges."""


class SearchTooWide(EcokgError):
    """The search reached MAX_NODES before finding any path: the question must be narrowed."""


@dataclass(frozen=True)
class Hop:
    """One hop of a path, in the direction it is walked: `source` -> `target`."""

    source: str
    relation: str
    target: str
    via: str | None  # the participation or membership that is the evidence, if the relation has one
    label: str | None  # the label of `target`
    start: str | None  # ISO dates of the edge, when known
    end: str | None

    def to_json(self) -> dict[str, Any]:
        return {"from": self.source, "relation": self.relation, "to": self.target, "via": self.via,
                "label": self.label, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Path:
    hops: tuple[Hop, ...]

    @property
    def length(self) -> int:
        return len(self.hops)

    @property
    def nodes(self) -> tuple[str, ...]:
        """The nodes walked through, both ends included."""
        return (self.hops[0].source, *(h.target for h in self.hops)) if self.hops else ()

    def to_json(self) -> dict[str, Any]:
        return {"length": self.length, "hops": [h.to_json() for h in self.hops]}


def paths_json(paths: Iterable[Path]) -> dict[str, Any]:
    return {"paths": [p.to_json() for p in paths]}


def no_path_message(a: str | ox.NamedNode, b: str | ox.NamedNode, max_length: int) -> str:
    def name(x: str | ox.NamedNode) -> str:
        return x.value if isinstance(x, ox.NamedNode) else x

    return f"no path between {name(a)} and {name(b)} within {max_length} hops"


# -- the search ------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Edge:
    relation: str
    via: str | None
    start: str | None
    end: str | None

    def key(self) -> tuple[str, str, str, str]:
        return (self.relation, self.via or "", self.start or "", self.end or "")


@dataclass
class _Rules:
    """Which edges a question lets the search walk."""

    follow: frozenset[str]
    at_groups: frozenset[str]  # relations also followed where they touch an end that is a pole or cluster
    start: dt.date | None
    end: dt.date | None
    group_ends: frozenset[str] = frozenset()

    def usable(self, u: str, v: str, edge: _Edge) -> bool:
        if edge.relation not in self.follow and not (
            edge.relation in self.at_groups and (u in self.group_ends or v in self.group_ends)
        ):
            return False
        return _overlaps(_day(edge.start), _day(edge.end), self.start, self.end)


class _Index:
    """The collaboration graph of one access level in memory (attends apart), without evidence: node ids,
    and for each node its neighbours with the relation of each edge."""

    def __init__(self, edges: Iterable[tuple[str, str, str]]) -> None:
        self.ids: dict[str, int] = {}
        self.names: list[str] = []
        self.adj: list[list[tuple[int, str]]] = []
        self.groups: set[str] = set()  # poles and clusters: what a membership or a label leads to
        self.edges = 0
        for source, target, relation in edges:
            if source == target:
                continue
            u, v = self._id(source), self._id(target)
            self.adj[u].append((v, relation))
            self.adj[v].append((u, relation))
            self.edges += 1
            if relation in WEAK:
                self.groups.add(target)

    def _id(self, iri: str) -> int:
        found = self.ids.get(iri)
        if found is None:
            found = self.ids[iri] = len(self.names)
            self.names.append(iri)
            self.adj.append([])
        return found

    def neighbours(self, iri: str) -> Iterator[tuple[str, str]]:
        """(neighbour, relation) for each edge of `iri`; none for a node the graph does not hold."""
        node = self.ids.get(iri)
        for other, relation in self.adj[node] if node is not None else ():
            yield self.names[other], relation

    def __len__(self) -> int:
        return max(self.edges, 1)


def prepare(sources: Sources, *, restricted: bool = True) -> bool:
    """Build and keep the graph in memory for this access level, unless it is kept already or the data may
    change without this process knowing (then nothing can be kept). True when it is kept."""
    def build() -> _Index:
        return _Index((r["source"], r["target"], r["relation"]) for name in _EDGE_QUERIES
                      for r in registry.rows_of(sources, name, restricted=restricted))

    if sources.state(restricted=restricted) is None:
        return False
    _INDEXES.answer(sources, restricted, "collaboration graph", build)
    return True


@dataclass
class _Graph:
    """The explored part of the graph: what the neighbour queries returned (or the graph in memory, `index`),
    filtered by the rules."""

    sources: Sources
    restricted: bool
    rules: _Rules
    ends: tuple[str, ...]
    index: _Index | None = None
    adj: dict[str, dict[str, list[_Edge]]] = field(default_factory=dict)
    expanded: set[str] = field(default_factory=set)

    def expand(self, nodes: Sequence[str], among: Sequence[str] = ()) -> None:
        """Learn the neighbours of those of `nodes` not yet expanded (those of `among` only, when given): from
        the graph in memory, else by one query per BATCH nodes."""
        todo = sorted({n for n in nodes if n not in self.expanded})
        if self.index is not None:
            if not self.expanded:
                self.rules.group_ends = frozenset(n for n in todo if n in self.ends and n in self.index.groups)
            for u in todo:
                for v, relation in self.index.neighbours(u):
                    self._use(u, v, _Edge(relation, None, None, None))
        else:
            rows = registry.rows_in_batches(self.sources, _NEIGHBOURS, "node", todo, BATCH,
                                            restricted=self.restricted, others={"neighbour": list(among)})
            if not self.expanded:  # the first layer holds both ends: learn which are poles, clusters or events
                self.rules.group_ends = frozenset(
                    r["node"] for r in rows if r["node"] in self.ends and r["node_kind"] in _HUB_KINDS)
            for r in rows:
                self._use(r["node"], r["neighbour"], _Edge(r["relation"], r["via"], _text(r["start"]),
                                                           _text(r["end"])))
        self.expanded.update(todo)
        for n in todo:
            self.adj.setdefault(n, {})

    def _use(self, u: str, v: str, edge: _Edge) -> None:
        if u != v and self.rules.usable(u, v, edge):
            self._add(u, v, edge)
            self._add(v, u, edge)

    def _add(self, u: str, v: str, edge: _Edge) -> None:
        edges = self.adj.setdefault(u, {}).setdefault(v, [])
        if edge not in edges:
            edges.append(edge)
            edges.sort(key=_Edge.key)

    def edge(self, u: str, v: str) -> _Edge:
        """The evidence shown for a hop: of several edges between two nodes, the first by relation, via, dates."""
        return self.adj[u][v][0]


def find_paths(
    sources: Sources,
    a: str | ox.NamedNode,
    b: str | ox.NamedNode,
    *,
    k: int = 3,
    max_length: int = 6,
    weak: bool = False,
    relations: Collection[str] | None = None,
    avoid: Collection[str] = (),
    start: dt.date | None = None,
    end: dt.date | None = None,
    restricted: bool = True,
) -> list[Path]:
    """The k shortest simple paths between `a` and `b` of at most `max_length` hops, shortest first (ties
    in the order of their node IRIs); [] when there is none (see `no_path_message`).

    `relations`: the relations to follow (default: the strong ones, plus the weak ones with `weak`);
    `avoid`: relations never to follow; `start`/`end`: only edges whose dates overlap that window
    (undated edges always qualify). Strings for `a` and `b` go through `resolve_actor`. Raises
    InvalidParameter for bad options or ends, SearchTooWide when MAX_NODES is reached before any path."""
    if not 1 <= k <= MAX_K:
        raise InvalidParameter(f"k must be between 1 and {MAX_K}, not {k}")
    rules = _rules(max_length, weak, relations, avoid, start, end)
    na = _endpoint(sources, a, restricted)
    nb = _endpoint(sources, b, restricted)
    if na == nb:
        raise InvalidParameter(f"both ends are {na}: give two different actors")
    graph = _Graph(sources, restricted, rules, (na, nb), _index_for(sources, restricted, rules, (na, nb)))
    found, truncated = _search(graph, na, nb, k, max_length)
    if not found and truncated:
        raise SearchTooWide(f"the search between {na} and {nb} saw more than {MAX_NODES} nodes without "
                            "finding a path: narrow it (fewer relations, a time window, a shorter max_length, "
                            "or without weak ties)")
    return _to_paths(_with_evidence(graph, found), found)


def nearest(
    sources: Sources,
    starts: Sequence[str],
    targets: Collection[str],
    *,
    prefer: Collection[str] = (),
    max_length: int = 4,
    weak: bool = False,
    relations: Collection[str] | None = None,
    avoid: Collection[str] = (),
    restricted: bool = True,
) -> dict[str, Path]:
    """For each start, a shortest path of at most `max_length` hops from the nearest of `targets` (other than
    the start itself) to it: who could introduce it. Of the targets met at that distance, those in `prefer`
    first, then the smallest IRI; of its shortest paths, the one whose nodes, from the start on, come first in
    IRI order layer by layer. A start no target reaches is left out. The relations are chosen as for
    `find_paths`. Every start is searched at once: one batched neighbour query per layer for all of them;
    the search stops widening at MAX_NODES nodes, leaving out the starts not reached by then."""
    rules = _rules(max_length, weak, relations, avoid, None, None)
    graph = _Graph(sources, restricted, rules, (), _index_for(sources, restricted, rules, ()))
    wanted, preferred = set(targets), set(prefer)
    parents: dict[str, dict[str, str]] = {s: {s: s} for s in dict.fromkeys(starts)}
    frontiers = {s: [s] for s in parents}
    found: dict[str, tuple[str, ...]] = {}
    for _ in range(max_length):
        if not frontiers or len(graph.adj) > MAX_NODES:
            break
        graph.expand(sorted({n for layer in frontiers.values() for n in layer}))
        for start, layer in list(frontiers.items()):
            seen, nxt = parents[start], []
            for v in sorted(layer):
                for w in sorted(graph.adj.get(v, {})):
                    if w not in seen:
                        seen[w] = v
                        nxt.append(w)
            met = sorted((w not in preferred, w) for w in nxt if w in wanted and w != start)
            if met or not nxt:
                del frontiers[start]
            else:
                frontiers[start] = nxt
            if met:
                nodes = [met[0][1]]
                while nodes[-1] != start:
                    nodes.append(seen[nodes[-1]])
                found[start] = tuple(nodes)
    paths = _to_paths(_with_evidence(graph, list(found.values())), list(found.values()))
    return {nodes[-1]: path for nodes, path in zip(found.values(), paths, strict=True)}


def _index_for(sources: Sources, restricted: bool, rules: _Rules, ends: Sequence[str]) -> _Index | None:
    """The kept graph in memory, when there is one and it answers this question as the queries would."""
    index = _INDEXES.peek(sources, restricted, "collaboration graph")
    if not isinstance(index, _Index) or rules.start is not None or rules.end is not None or "attends" in rules.follow:
        return None
    if "attends" in rules.at_groups and any(e in index.groups or e not in index.ids for e in ends):
        return None  # an end that is a hub, or maybe an event: attends may be followed there
    return index


def _with_evidence(graph: _Graph, found: Sequence[tuple[str, ...]]) -> _Graph:
    """`graph` if it holds the evidence of its edges; else the same rules' graph of the paths' nodes, by query."""
    if graph.index is None:
        return graph
    evidence = _Graph(graph.sources, graph.restricted, graph.rules, graph.ends)
    walked = sorted({n for nodes in found for n in nodes})
    if walked:
        evidence.expand(walked, among=walked)
    return evidence


def _rules(max_length: int, weak: bool, relations: Collection[str] | None, avoid: Collection[str],
           start: dt.date | None, end: dt.date | None) -> _Rules:
    """What a question lets the search walk; InvalidParameter for a bad option."""
    relations = [relations] if isinstance(relations, str) else relations  # one name, not its letters
    avoid = [avoid] if isinstance(avoid, str) else avoid
    if not 1 <= max_length <= MAX_LENGTH:
        raise InvalidParameter(f"max_length must be between 1 and {MAX_LENGTH}, not {max_length}")
    if start is not None and end is not None and start > end:
        raise InvalidParameter(f"the time window starts ({start}) after it ends ({end})")
    for name, given in (("relations", relations or ()), ("avoid", avoid)):
        unknown = sorted(set(given) - RELATIONS)
        if unknown:
            raise InvalidParameter(f"{name}: unknown relation(s) {', '.join(unknown)} "
                                   f"(known: {', '.join(sorted(RELATIONS))})")
    follow: frozenset[str]
    at_groups: frozenset[str]
    if relations is not None:
        follow, at_groups = frozenset(relations), frozenset()
    else:
        follow, at_groups = STRONG | (WEAK if weak else frozenset()), WEAK
    return _Rules(follow - frozenset(avoid), at_groups - frozenset(avoid), start, end)


def _endpoint(sources: Sources, x: str | ox.NamedNode, restricted: bool) -> str:
    if isinstance(x, ox.NamedNode):
        return x.value
    return resolve_actor(sources, x, restricted=restricted).value


def _search(graph: _Graph, a: str, b: str, k: int, max_length: int) -> tuple[list[tuple[str, ...]], bool]:
    """Bidirectional BFS by layers (see the module's docstring), then the k shortest simple paths."""
    dist: tuple[dict[str, int], dict[str, int]] = ({a: 0}, {b: 0})
    frontier: list[list[str]] = [[a], [b]]
    depth = [0, 0]

    def advance(side: int) -> None:
        nxt: list[str] = []
        for v in frontier[side]:
            for w in sorted(graph.adj.get(v, {})):
                if w not in dist[side]:
                    dist[side][w] = depth[side] + 1
                    nxt.append(w)
        frontier[side] = nxt
        depth[side] += 1

    graph.expand([a, b])
    advance(0)
    advance(1)
    truncated = False
    while True:
        exhausted = not frontier[0] or not frontier[1]
        bound = max_length if exhausted else min(max_length, depth[0] + depth[1])
        found = _k_shortest(graph.adj, a, b, k, bound)
        if len(found) >= k or exhausted or bound >= max_length:
            return found, truncated
        if len(graph.adj) > MAX_NODES:
            return found, True
        side = 0 if len(frontier[0]) <= len(frontier[1]) else 1
        graph.expand(frontier[side])
        advance(side)


def _k_shortest(adj: dict[str, dict[str, list[_Edge]]], a: str, b: str, k: int, bound: int) -> list[tuple[str, ...]]:
    """The k shortest simple paths from a to b of at most `bound` hops in `adj`, in (length, node IRIs) order.

    Best-first over partial paths keyed by (hops so far + BFS distance to b, the path's nodes). The distance
    is a lower bound of any completion, so a complete path is popped only after every partial path that
    could still give a shorter one, or an equally long one with smaller node IRIs (each prefix of a path
    sorts before it)."""
    to_b = _distances(adj, b, bound)
    if a not in to_b or to_b[a] > bound:
        return []
    heap: list[tuple[int, tuple[str, ...]]] = [(to_b[a], (a,))]
    out: list[tuple[str, ...]] = []
    pops = 0
    while heap and len(out) < k and pops < MAX_POPS:
        _, path = heapq.heappop(heap)
        pops += 1
        last = path[-1]
        if last == b:
            out.append(path)
            continue
        for nbr in adj.get(last, {}):
            d = to_b.get(nbr)
            if d is None or nbr in path:
                continue
            f = len(path) + d  # len(path) = hops once nbr is added
            if f <= bound:
                heapq.heappush(heap, (f, (*path, nbr)))
    return out


def _distances(adj: dict[str, dict[str, list[_Edge]]], source: str, bound: int) -> dict[str, int]:
    dist = {source: 0}
    layer = [source]
    for d in range(1, bound + 1):
        nxt = []
        for v in layer:
            for w in adj.get(v, {}):
                if w not in dist:
                    dist[w] = d
                    nxt.append(w)
        layer = nxt
    return dist


def _to_paths(graph: _Graph, found: Sequence[tuple[str, ...]]) -> list[Path]:
    targets = sorted({n for p in found for n in p[1:]})
    labels = {n: row["label"] for n, row in entity_labels(graph.sources, targets, restricted=graph.restricted).items()}
    out = []
    for nodes in found:
        hops = []
        for u, v in itertools.pairwise(nodes):
            e = graph.edge(u, v)
            hops.append(Hop(u, e.relation, v, e.via, labels.get(v), e.start, e.end))
        out.append(Path(tuple(hops)))
    return out


# -- small helpers ----------------------------------------------------------------------------------------
def _text(value: object) -> str | None:
    return None if value is None else str(value)


def _day(value: str | None) -> dt.date | None:
    """An ISO date (or the date part of a dateTime) -> date; None when absent or unreadable."""
    if not value:
        return None
    try:
        return dt.date.fromisoformat(value[:10])
    except ValueError:
        return None


def _overlaps(s: dt.date | None, e: dt.date | None, ws: dt.date | None, we: dt.date | None) -> bool:
    """Does [s, e] meet the window [ws, we]? Bounds are inclusive; a missing bound is open."""
    return (s is None or we is None or s <= we) and (e is None or ws is None or e >= ws)
