"""The store contract: what graph.sources relies on, checked on every backend (STYLE.md 4): the embedded
store in memory and on disk, and the remote store against a real Oxigraph server (the `engine` fixture)."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from graph.engine import Engine
from graph.remote import RemoteStore
from graph.store import EmbeddedStore, GraphStore

G1, G2 = ox.NamedNode("http://example.org/g1"), ox.NamedNode("http://example.org/g2")
S, P = ox.NamedNode("http://example.org/s"), ox.NamedNode("http://example.org/p")


@pytest.fixture(params=["memory", "disk", "remote"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[GraphStore]:
    s: GraphStore
    if request.param == "remote":
        engine: Engine = request.getfixturevalue("engine")
        s = RemoteStore(engine.url, timeout_s=engine.timeout_s)
        s.restore(io.BytesIO(b""))  # the server is shared by the session: start empty
    else:
        s = EmbeddedStore.in_memory() if request.param == "memory" else EmbeddedStore(tmp_path / "store")
    yield s
    s.close()


def lines(*objects: str) -> list[bytes]:
    return [f"{S} {P} {ox.Literal(o)} .\n".encode() for o in objects]


def values(store: GraphStore, dataset: list[ox.NamedNode], query: str = "SELECT ?o WHERE { ?s ?p ?o }") -> set[str]:
    return {r["o"].value for r in store.query(query, dataset=dataset)}  # type: ignore[union-attr,index]


def test_bulk_add_streams_chunks_into_one_graph(store: GraphStore) -> None:
    store.bulk_add(G1, [*lines("a", "b"), b"", *lines('with "quotes" and \\ and\nnewline')])
    assert values(store, [G1]) == {"a", "b", 'with "quotes" and \\ and\nnewline'}
    assert store.graphs() == [G1]


def test_a_query_sees_its_dataset_and_nothing_else(store: GraphStore) -> None:
    store.bulk_add(G1, lines("one"))
    store.bulk_add(G2, lines("two"))
    assert values(store, [G1]) == {"one"}
    assert values(store, [G1, G2]) == {"one", "two"}
    # neither GRAPH ?g nor FROM reaches a graph outside the dataset
    assert values(store, [G1], "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }") == {"one"}
    assert values(store, [G1], f"SELECT ?o FROM {G2} WHERE {{ ?s ?p ?o }}") == {"one"}
    assert values(store, [G1], f"SELECT ?o FROM NAMED {G2} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}") == {"one"}


def test_named_graphs_apart_from_the_default_graph_and_empty_lists(store: GraphStore) -> None:
    store.bulk_add(G1, lines("one"))
    store.bulk_add(G2, lines("two"))
    in_graphs = "SELECT ?o WHERE { GRAPH ?g { ?s ?p ?o } }"
    assert {r["o"].value for r in store.query(in_graphs, dataset=[G1], named=[G2])} == {"two"}  # type: ignore
    assert values(store, []) == set()  # an empty dataset is empty, not "everything"
    assert {r["o"].value for r in store.query(in_graphs, dataset=[G1], named=[])} == set()  # type: ignore


def test_prefixes_and_query_forms(store: GraphStore) -> None:
    store.bulk_add(G1, lines("one"))
    ask = store.query("ASK { ex:s ex:p ?o }", dataset=[G1], prefixes={"ex": "http://example.org/"})
    assert isinstance(ask, ox.QueryBoolean) and bool(ask)
    built = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", dataset=[G1])
    assert [t.object for t in built] == [ox.Literal("one")]  # type: ignore[union-attr]
    with pytest.raises(SyntaxError):
        store.query("SELECT WHERE", dataset=[G1])
    store.ping()


def test_add_atomic_and_drop_graph(store: GraphStore) -> None:
    store.add_atomic([ox.Quad(S, P, ox.Literal("x"), G1), ox.Quad(S, P, ox.Literal("y"), G2)])
    assert {q.object.value for q in store.quads(G1)} == {"x"}  # type: ignore[union-attr]
    store.drop_graph(G1)
    assert list(store.quads(G1)) == [] and store.graphs() == [G2]


def test_quads_by_subject_and_predicate(store: GraphStore) -> None:
    other = ox.NamedNode("http://example.org/other")
    store.add_atomic([ox.Quad(S, P, ox.Literal("x"), G1), ox.Quad(other, P, ox.Literal("y"), G1)])
    assert [q.object.value for q in store.quads(G1, S)] == ["x"]  # type: ignore[union-attr]
    assert len(list(store.quads(None, None, P))) == 2


def test_dump_and_restore_round_trip_every_graph(store: GraphStore) -> None:
    store.bulk_add(G1, lines("a"))
    store.bulk_add(G2, lines("b"))
    dump = io.BytesIO()
    store.dump(dump)
    store.bulk_add(G1, lines("later"))
    store.restore(io.BytesIO(dump.getvalue()))
    assert values(store, [G1, G2]) == {"a", "b"}


def test_a_second_process_cannot_open_a_store_in_use(tmp_path: Path) -> None:
    import subprocess
    import sys

    first = EmbeddedStore(tmp_path / "store")
    code = ("import sys\nfrom graph.store import EmbeddedStore\nfrom graph.errors import StoreLocked\n"
            f"try:\n    EmbeddedStore({str(tmp_path / 'store')!r})\nexcept StoreLocked as e:\n"
            "    print(e); sys.exit(3)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parents[2])
    first.close()
    assert done.returncode == 3, done.stderr
    assert "open for writing by another process" in done.stdout
