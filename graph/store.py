"""The store interface every backend implements, and the embedded Oxigraph backend.

The interface is small on purpose: what graph.sources needs to write versions atomically, and what
queries need to read a chosen dataset. Only graph.sources writes (ARCHITECTURE.md, "Rules of the house").
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Protocol

import pyoxigraph as ox

from graph.errors import StoreLocked

QueryResult = ox.QuerySolutions | ox.QueryBoolean | ox.QueryTriples | list[ox.Triple]  # a list from a remote store


class GraphStore(Protocol):
    """What ecokg asks of a quad store."""

    location: str

    def query(
        self,
        sparql: str,
        *,
        dataset: Sequence[ox.NamedNode] | None,
        named: Sequence[ox.NamedNode] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        """Run a query whose default graph is the union of `dataset`, and whose GRAPH sees only `named`
        (default: `dataset`); FROM clauses are overridden. An empty list is an empty dataset. `dataset=None`
        is every graph of the store as one union: much faster than a list (decision 0006), for when the
        caller knows the store holds exactly what the query may see (graph.sources decides)."""
        ...

    def quads(
        self,
        graph: ox.NamedNode | None = None,
        subject: ox.NamedNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | None = None,
    ) -> Iterator[ox.Quad]:
        """Quads matching a pattern; `graph=None` means every graph, `obj` an object IRI."""
        ...

    def graphs(self) -> list[ox.NamedNode]: ...

    def ping(self) -> None:
        """Raise StoreUnavailable unless the store answers."""
        ...

    def bulk_add(self, graph: ox.NamedNode, ntriples: Iterable[bytes]) -> None:
        """Add N-Triples (streamed in chunks) to `graph`, fast and without a transaction: for new,
        invisible graphs only (graph.sources commits them)."""
        ...

    def add_atomic(self, quads: Sequence[ox.Quad]) -> None:
        """Add a few quads in one transaction: all of them or none."""
        ...

    def drop_graph(self, graph: ox.NamedNode) -> None: ...

    def dump(self, out: BinaryIO) -> None:
        """Every quad as N-Quads."""
        ...

    def restore(self, source: BinaryIO) -> None:
        """Replace the whole content by an N-Quads dump."""
        ...

    def optimize(self) -> None: ...

    def close(self) -> None: ...


class EmbeddedStore:
    """pyoxigraph's on-disk store, opened by one process at a time (its lock file enforces it)."""

    def __init__(self, path: str | Path) -> None:
        self.location = str(path)
        Path(path).mkdir(parents=True, exist_ok=True)
        try:
            self._store = ox.Store(str(path))
        except OSError as exc:
            if "lock" not in str(exc).lower():
                raise
            raise StoreLocked(_locked_message(Path(path))) from exc

    @classmethod
    def in_memory(cls) -> EmbeddedStore:
        """A store for tests and one-off work; same behaviour, nothing on disk."""
        self = cls.__new__(cls)
        self.location = ":memory:"
        self._store = ox.Store()
        return self

    def query(
        self,
        sparql: str,
        *,
        dataset: Sequence[ox.NamedNode] | None,
        named: Sequence[ox.NamedNode] | None = None,
        prefixes: dict[str, str] | None = None,
    ) -> QueryResult:
        if dataset is None:
            return self._store.query(sparql, use_default_graph_as_union=True, prefixes=prefixes)
        default: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = list(dataset)
        graphs: list[ox.NamedNode | ox.BlankNode] = list(dataset if named is None else named)
        return self._store.query(sparql, default_graph=default, named_graphs=graphs, prefixes=prefixes)

    def quads(
        self,
        graph: ox.NamedNode | None = None,
        subject: ox.NamedNode | None = None,
        predicate: ox.NamedNode | None = None,
        obj: ox.NamedNode | None = None,
    ) -> Iterator[ox.Quad]:
        return iter(self._store.quads_for_pattern(subject, predicate, obj, graph))

    def graphs(self) -> list[ox.NamedNode]:
        return [g for g in self._store.named_graphs() if isinstance(g, ox.NamedNode)]

    def ping(self) -> None:
        """In-process: reachable while open."""

    def bulk_add(self, graph: ox.NamedNode, ntriples: Iterable[bytes]) -> None:
        """One bulk load per BULK_BYTES of N-Triples: pyoxigraph's bulk loader holds a whole call's triples
        in memory (2 M triples: 1.8 GB in one call, 0.3 GB in calls of 250,000). Calls of ~95,000 took a KBO
        load of 7.2 M triples from 612 to 571 MB at the same speed, and left the demo x100's rate unchanged."""
        for body in batches(ntriples, BULK_BYTES):
            self._store.bulk_load(body, ox.RdfFormat.N_TRIPLES, to_graph=graph)

    def add_atomic(self, quads: Sequence[ox.Quad]) -> None:
        self._store.extend(quads)

    def drop_graph(self, graph: ox.NamedNode) -> None:
        self._store.remove_graph(graph)

    def dump(self, out: BinaryIO) -> None:
        self._store.dump(out, ox.RdfFormat.N_QUADS)

    def restore(self, source: BinaryIO) -> None:
        self._store.clear()
        self._store.bulk_load(source, ox.RdfFormat.N_QUADS)
        self._store.flush()

    def optimize(self) -> None:
        self._store.optimize()

    def close(self) -> None:
        self._store.flush()
        del self._store


BULK_BYTES = 12 << 20  # about 95,000 triples of N-Triples


def batches(chunks: Iterable[bytes], limit: int) -> Iterator[bytes]:
    """Chunks of whole lines joined into batches of about `limit` bytes; at least one (an empty graph is
    still written)."""
    pending: list[bytes] = []
    size, sent = 0, False
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= limit:
            yield b"".join(pending)
            pending, size, sent = [], 0, True
    if pending or not sent:
        yield b"".join(pending)


OWNER_FILE = "ecokg-owner.json"


def _locked_message(path: Path) -> str:
    """Name the process that holds the store, when `ecokg serve` left its card (see decision 0003)."""
    card = path / OWNER_FILE
    try:
        owner = json.loads(card.read_text(encoding="utf-8"))
        who = f"ecokg serve (pid {owner['pid']}) at {owner['url']}"
    except (OSError, ValueError, KeyError):
        who = "another process"
    return (
        f"the store {path} is open for writing by {who}. Only one process may write it: stop that "
        "process, or send the change to the running server."
    )


def open_store(location: str, *, timeout_s: float = 30.0) -> GraphStore:
    """The backend a location names: an http(s) URL for a SPARQL server (an Oxigraph server's layout), else
    a directory for the embedded store."""
    if location.startswith(("http://", "https://")):
        from graph.remote import configured  # graph.remote builds on this module's interface

        return configured(location, timeout_s=timeout_s)
    return EmbeddedStore(location)
