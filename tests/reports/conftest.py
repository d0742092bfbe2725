"""Stores the report tests share: the hand-made ecosystem of tests/data/analytics (its README tells who does
what) and the demo at scale 1, each loaded once per module, as a user would load them."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from graph.sources import Sources
from graph.store import EmbeddedStore
from loaders import demo
from loaders.run import load

BASE = "http://example.org/"
ANALYTICS = Path(__file__).parents[1] / "data" / "analytics"


@pytest.fixture(scope="module")
def fresh(system_dump: bytes) -> Callable[[], Sources]:
    def make() -> Sources:
        store = EmbeddedStore.in_memory()
        store.restore(io.BytesIO(system_dump))
        return Sources(store, BASE, exclusive=True)

    return make


@pytest.fixture(scope="module")
def analytics(fresh: Callable[[], Sources]) -> Sources:
    """The analytics fixture; pole lists restricted, as the loader makes them."""
    sources = fresh()
    load(sources, "members", [ANALYTICS / "members.csv"])
    load(sources, "labs", [ANALYTICS / "labs.csv"])
    for pole in ("wagralim", "biowin"):
        load(sources, "poles", sorted(ANALYTICS.glob(f"{pole}-*.csv")), pole=pole)
    return sources


@pytest.fixture(scope="module")
def demo_sources(fresh: Callable[[], Sources], tmp_path_factory: pytest.TempPathFactory) -> Sources:
    """`ecokg demo --scale 1`: the demo's files written, then loaded (public, as the demo loads them)."""
    sources = fresh()
    for f in demo.generate(tmp_path_factory.mktemp("demo"), scale=1):
        load(sources, f.kind, list(f.paths), source=f.source, access="public")
    return sources
