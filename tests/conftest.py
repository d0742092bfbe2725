"""Fixtures shared by every test: stores with the bundled model loaded, under a test base IRI."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from graph.engine import Engine
from graph.sources import Sources
from graph.startup import ensure_system
from graph.store import EmbeddedStore
from loaders.vocabulary import Vocabulary
from ontology.iris import Minter

BASE = "http://example.org/"
# Tests make hundreds of requests a second from one address: no rate limit unless a test sets one itself
# (tests/api/test_operations.py). Servers started by tests inherit it.
os.environ["ECOKG_RATE_LIMIT_PER_MINUTE"] = "0"
DATA = Path(__file__).parent / "data"


@pytest.fixture(scope="session")
def system_dump(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The bundled sources loaded once, as N-Quads, so each test starts from them cheaply."""
    store = EmbeddedStore.in_memory()
    ensure_system(Sources(store, BASE))
    path = tmp_path_factory.mktemp("system") / "system.nq"
    with path.open("wb") as f:
        store.dump(f)
    return path.read_bytes()


@pytest.fixture
def sources(system_dump: bytes) -> Sources:
    """An in-memory store holding the bundled model and nothing else."""
    import io

    store = EmbeddedStore.in_memory()
    store.restore(io.BytesIO(system_dump))
    return Sources(store, BASE, exclusive=True)


@pytest.fixture
def disk_sources(tmp_path: Path, system_dump: bytes) -> Iterator[Sources]:
    """The same on disk, for what needs a real store directory."""
    import io

    store = EmbeddedStore(tmp_path / "store")
    store.restore(io.BytesIO(system_dump))
    yield Sources(store, BASE, exclusive=True)
    store.close()


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Engine]:
    """A real Oxigraph server (the PyPI package `oxigraph`) on a free loopback port, for the remote backend."""
    running = Engine(tmp_path_factory.mktemp("engine") / "store", timeout_s=5).start()
    yield running
    running.stop()


@pytest.fixture
def vocab(sources: Sources) -> Vocabulary:
    return Vocabulary.from_store(sources)


@pytest.fixture
def minter() -> Minter:
    return Minter(BASE)


class QueryCounter:
    """Stands in for a Sources' store and counts the queries sent to it (to tell a kept answer from a query)."""

    def __init__(self, sources: Sources) -> None:
        self.inner, self.calls = sources.store, 0
        sources.store = self  # type: ignore[assignment]

    def query(self, *args: object, **kwargs: object) -> object:
        self.calls += 1
        return self.inner.query(*args, **kwargs)  # type: ignore[arg-type]

    def __getattr__(self, name: str) -> object:
        return getattr(self.inner, name)


@pytest.fixture
def count_queries() -> Callable[[Sources], QueryCounter]:
    """`count_queries(sources)`: from now on, count the queries `sources` sends its store."""
    return QueryCounter
