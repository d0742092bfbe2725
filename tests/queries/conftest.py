"""Every query test that reads a store runs on both backends with the same expectations (issue 7): the
embedded store in memory, and a real Oxigraph server (the session `engine`) through graph.remote.

The embedded store is its process's only writer, so its queries take the union of the store's graphs; the
remote one is used as `ECOKG_STORE=http://...` uses a server that others may share (graph.startup): never
`exclusive`, so its queries name the visible graphs as default-graph-uri (decision 0008).

A fixture's loads run once per module and backend, through the backend; later tests get the resulting
graphs copied in. Over HTTP only what differs is copied: the meta graph, and each graph that came, went or
holds other quads (two setups may each write version 1 of a source: the same graph IRI, other content).
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator

import pyoxigraph as ox
import pytest

from graph.engine import Engine
from graph.remote import RemoteStore
from graph.sources import Sources
from graph.store import EmbeddedStore, GraphStore

BASE = "http://example.org/"
META = f"{BASE}graph/meta"
Setup = Callable[[Sources], object]
Snapshot = dict[str, list[ox.Quad]]  # graph IRI -> its quads


@pytest.fixture(scope="module", params=["embedded", "remote"])
def fresh(request: pytest.FixtureRequest, system_dump: bytes) -> Iterator[Callable[..., Sources]]:
    """`fresh(setup=None)`: Sources over a store holding the bundled model and what `setup` loads, on this
    backend. The remote stores are the session's one server, so only the last one made may be used."""
    remote = request.param == "remote"
    store: GraphStore | None = None
    if remote:
        engine: Engine = request.getfixturevalue("engine")
        store = RemoteStore(engine.url, timeout_s=engine.timeout_s)
        store.restore(io.BytesIO(b""))  # whatever other tests left there
    snapshots: dict[Setup | None, Snapshot] = {None: split(system_dump)}
    held: Snapshot = {}  # what the remote store holds now

    def make(setup: Setup | None = None) -> Sources:
        nonlocal held
        target = store or EmbeddedStore.in_memory()
        wanted = snapshots.get(setup) or snapshots[None]
        reset(target, wanted, held if remote else {})
        sources = Sources(target, BASE, exclusive=not remote)
        held = wanted
        if setup not in snapshots:
            setup(sources)  # type: ignore[misc]
            snapshots[setup] = held = {g.value: list(target.quads(g)) for g in target.graphs()}
        return sources

    yield make
    if store is not None:
        store.close()


@pytest.fixture
def sources(fresh: Callable[..., Sources]) -> Sources:
    """tests/conftest.py's `sources`, on each backend."""
    return fresh()


def reset(store: GraphStore, snapshot: Snapshot, held: Snapshot) -> None:
    """Make `store`, which holds `held` (or less), hold exactly the graphs of `snapshot`, rewriting only the meta
    graph and what differs."""
    kept = {g for g in snapshot.keys() & held.keys() - {META} if set(snapshot[g]) == set(held[g])}
    for graph in {g.value for g in store.graphs()} - kept:
        store.drop_graph(ox.NamedNode(graph))
    store.add_atomic(snapshot[META])  # small: 0.05 s over HTTP, a bulk load 0.15 s
    for graph in snapshot.keys() - kept - {META}:
        lines = (f"{q.subject} {q.predicate} {q.object} .\n" for q in snapshot[graph])
        store.bulk_add(ox.NamedNode(graph), ["".join(lines).encode()])


def split(dump: bytes) -> Snapshot:
    graphs: Snapshot = {}
    for quad in ox.parse(dump, ox.RdfFormat.N_QUADS):
        graphs.setdefault(quad.graph_name.value, []).append(quad)  # type: ignore[union-attr]
    return graphs
