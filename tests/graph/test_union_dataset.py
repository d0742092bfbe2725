"""Decision 0008: queries go through the store's union of graphs when, and only when, it is exactly what the
caller may see; the answers are the same either way. `calls` records which way each query went."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest

from graph.sources import Sources
from graph.store import EmbeddedStore
from loaders.run import load
from queries.registry import load_registry, rows_of

DATA = Path(__file__).parents[1] / "data" / "analytics"


class Recording(EmbeddedStore):
    """The embedded store, noting for each query whether it went through the union (dataset=None)."""

    calls: list[bool]

    def query(self, sparql: str, *, dataset: Any, named: Any = None, prefixes: Any = None) -> Any:
        self.calls.append(dataset is None)
        return super().query(sparql, dataset=dataset, named=named, prefixes=prefixes)


def recording(sources: Sources) -> Sources:
    """`sources` over the same in-memory store, recording which way each query goes."""
    store = Recording.__new__(Recording)
    store.__dict__.update(sources.store.__dict__)
    store.calls = []
    return Sources(store, sources.base, exclusive=True)


@pytest.fixture
def eco(sources: Sources) -> Sources:
    """The analytics fixture (pole files restricted), on a recording store."""
    fixture_sources = recording(sources)
    load(fixture_sources, "members", [DATA / "members.csv"])
    load(fixture_sources, "labs", [DATA / "labs.csv"])
    for pole in ("wagralim", "biowin"):
        load(fixture_sources, "poles", sorted(DATA.glob(f"{pole}-*.csv")), pole=pole)
    return fixture_sources


def went_through_union(sources: Sources, restricted: bool = True) -> bool:
    calls = sources.store.calls  # type: ignore[attr-defined]
    calls.clear()
    rows_of(sources, "entities-per-class", restricted=restricted)
    return bool(calls[-1])


def test_every_named_query_answers_the_same_through_the_union_and_the_list(eco: Sources) -> None:
    listed = Sources(eco.store, eco.base, exclusive=False)  # never the union
    for name, spec in load_registry().items():
        if any(p.required for p in spec.params):
            continue  # their answers are checked elsewhere; here the optional-only ones, run as they are
        for restricted in (True, False):
            fast = rows_of(eco, spec, restricted=restricted)
            slow = rows_of(listed, spec, restricted=restricted)
            assert _sorted(fast) == _sorted(slow), (name, restricted)
    assert went_through_union(eco) and not went_through_union(listed)


def test_the_union_only_when_it_is_what_the_caller_may_see(eco: Sources) -> None:
    assert went_through_union(eco, restricted=True)
    assert not went_through_union(eco, restricted=False)  # the pole lists are restricted: a list hides them
    leftover = ox.NamedNode(f"{eco.base}graph/source/members/v99")  # as a killed load leaves it
    eco.store.bulk_add(leftover, [b"<http://example.org/x> <http://example.org/p> \"hidden\" .\n"])
    eco._only_visible = None  # another writer did that behind our back: forget what we knew
    assert not went_through_union(eco)
    assert not any(r["class"] == "http://example.org/p" for r in rows_of(eco, "entities-per-class"))
    eco.cleanup()
    assert went_through_union(eco)


def test_everyone_takes_the_union_when_every_source_is_public(sources: Sources) -> None:
    public = recording(sources)
    load(public, "members", [DATA / "members.csv"])
    assert went_through_union(public, restricted=False)
    classes = {r["class"].rsplit("#", 1)[-1] for r in rows_of(public, "entities-per-class", restricted=False)}
    assert "Company" in classes and not classes & {"Activity", "Agent", "SourceVersion"}


def test_a_load_waits_for_union_queries_and_queries_meanwhile_take_the_list(
        eco: Sources, monkeypatch: pytest.MonkeyPatch) -> None:
    entered, release = threading.Event(), threading.Event()
    original = EmbeddedStore.query

    def slow_union(self: Any, sparql: str, **kwargs: Any) -> Any:
        self.calls.append(kwargs.get("dataset") is None)
        if kwargs.get("dataset") is None and not entered.is_set():
            entered.set()
            release.wait(5)
        return original(self, sparql, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(Recording, "query", slow_union)
        reader = threading.Thread(target=rows_of, args=(eco, "entities-per-class"))
        reader.start()
        assert entered.wait(5)
        loaded = threading.Event()
        writer = threading.Thread(target=lambda: (load(eco, "labs", [DATA / "labs.csv"]), loaded.set()))
        writer.start()
        time.sleep(0.3)
        assert not loaded.is_set()  # the load waits for the union query that started before it
        eco.store.calls.clear()  # type: ignore[attr-defined]
        rows_of(eco, "entities-per-class")
        assert eco.store.calls == [False]  # type: ignore[attr-defined]  # a new query takes the list meanwhile
        release.set()
        reader.join(5)
        writer.join(30)
        assert loaded.is_set()
    assert went_through_union(eco)  # and the union again once the load is done


def _sorted(rows: list[dict[str, Any]]) -> list[str]:
    return sorted(repr(sorted(r.items())) for r in rows)
