"""Figures about the store: what each source holds, and how many entities of each class are visible."""

from __future__ import annotations

from typing import Any

from graph.sources import Sources
from queries.registry import rows_of


def statistics(sources: Sources, *, restricted: bool = True) -> dict[str, Any]:
    """{"sources": {name: {version, access, quads, rows, loaded}}, "entities": {class local name: n}}, over
    the sources a caller may see (public ones only unless `restricted`).

    Quad counts come from the load records (no scan); entities from the named query entities-per-class.
    """
    per_source = {
        name: {"version": v.number, "access": v.access, "quads": v.quads, "rows": v.rows, "loaded": v.ended}
        for name, v in sorted(sources.current().items()) if restricted or v.access == "public"
    }
    entities: dict[str, int] = {}
    for row in rows_of(sources, "entities-per-class", restricted=restricted, keep=True):
        local = str(row["class"]).rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        entities[local] = entities.get(local, 0) + int(row["entities"])
    return {"sources": per_source, "entities": entities}
