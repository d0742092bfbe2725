"""Figures about the store: what each source holds, and how many entities of each class are visible."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox

from graph.sources import Sources

ENTITIES_PER_CLASS = Path(__file__).with_name("stats") / "entities-per-class.rq"


def statistics(sources: Sources) -> dict[str, Any]:
    """{"sources": {name: {version, access, quads, rows, loaded}}, "entities": {class local name: n}}.

    Quad counts come from the load records (no scan); entities from one query over the visible graph.
    """
    current = sources.current()
    per_source = {
        name: {"version": v.number, "access": v.access, "quads": v.quads, "rows": v.rows, "loaded": v.ended}
        for name, v in sorted(current.items())
    }
    result = sources.store.query(ENTITIES_PER_CLASS.read_text(encoding="utf-8"), dataset=sources.dataset())
    assert isinstance(result, ox.QuerySolutions)
    entities: dict[str, int] = {}
    for row in result:
        cls, n = row["class"], row["entities"]
        if isinstance(cls, ox.NamedNode) and isinstance(n, ox.Literal):
            local = cls.value.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
            entities[local] = entities.get(local, 0) + int(n.value)
    return {"sources": per_source, "entities": entities}
