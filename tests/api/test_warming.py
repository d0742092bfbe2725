"""api.warming: after a write, the first caller of a parameterless named query gets an answer computed ahead.

Expectations from tests/data/analytics/README.md: members.csv lists eight cluster member firms.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from named_support import DATA, api_over

from api.named import PUBLIC
from api.warming import Warmer, warm
from graph.sources import Sources
from loaders.run import load

COMPANY = "https://w3id.org/ecokg/def#Company"


def companies(api: Any) -> int:
    rows = api.json("/api/v1/queries/entities-per-class")["rows"]
    return next((r["entities"] for r in rows if r["class"] == COMPANY), 0)


def test_after_warming_no_parameterless_query_waits_for_the_store(
        sources: Sources, count_queries: Callable[[Sources], Any]) -> None:
    load(sources, "members", [DATA / "members.csv"])
    store = count_queries(sources)
    assert warm(sources) > 0
    warmed = store.calls
    api = api_over(sources)
    for name, spec in PUBLIC.items():
        if not any(p.required for p in spec.params):
            assert api.get(f"/api/v1/queries/{name}").status_code == 200  # anonymous
            assert api.get(f"/api/v1/queries/{name}", read=True).status_code == 200  # with a key
    assert store.calls == warmed
    assert companies(api) == 8
    assert api.get("/api/v1/queries/firm-labs?firm=0450222233").status_code == 200  # a parameter: asked now
    assert store.calls > warmed


def test_the_warmer_warms_again_after_a_load(sources: Sources, count_queries: Callable[[Sources], Any]) -> None:
    store = count_queries(sources)
    warmer = Warmer(sources, every=0.05)
    warmer.start()
    try:
        load(sources, "members", [DATA / "members.csv"])
        deadline = time.monotonic() + 60
        while warmer.warmed != sources.generation and time.monotonic() < deadline:
            time.sleep(0.05)
        assert warmer.warmed == sources.generation
        asked = store.calls
        assert companies(api_over(sources)) == 8
        assert store.calls == asked
    finally:
        warmer.stop()
        warmer.join(timeout=30)
    assert not warmer.is_alive()
