"""Every named query that runs without parameters answers the same, rows in the same order, on the three ways
ecokg reads a store: embedded (union of graphs), a remote server given the list of visible graphs
(`ECOKG_STORE=http://...`), and a remote server's union (`union-default-graph`, the engine `ecokg serve` owns).
The hand-computed answers are checked on both backends elsewhere in tests/queries; this covers the dataset
forms over HTTP, and the queries whose answers are only checked embedded (tests/graph/test_union_dataset.py).
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from test_gap_queries import BASE, load_analytics

from graph.sources import Sources
from graph.store import EmbeddedStore
from queries.registry import load_registry, rows_of


@pytest.mark.parametrize("fresh", ["remote"], indirect=True)
def test_every_named_query_answers_alike_embedded_and_remote_through_the_list_and_the_union(
        fresh: Callable[..., Sources]) -> None:
    listed = fresh(load_analytics)  # not exclusive: the list of graphs as default-graph-uri
    union = Sources(listed.store, BASE, exclusive=True)
    copy = io.BytesIO()
    listed.store.dump(copy)
    embedded_store = EmbeddedStore.in_memory()
    embedded_store.restore(io.BytesIO(copy.getvalue()))
    embedded = Sources(embedded_store, BASE, exclusive=True)
    assert union.union_is_visible(restricted=True)  # the store holds exactly what a full reader sees
    checked = 0
    for name, spec in load_registry().items():
        if any(p.required for p in spec.params):
            continue
        for restricted in (True, False):
            expected = rows_of(embedded, spec, restricted=restricted)
            assert rows_of(listed, spec, restricted=restricted) == expected, (name, restricted, "list")
            assert rows_of(union, spec, restricted=restricted) == expected, (name, restricted, "union")
            checked += bool(expected)
    assert checked >= 30  # most of them have rows on this fixture (38 of 54 query and access pairs when written)
