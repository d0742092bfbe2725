"""The HTTP service: one FastAPI app over one `Sources`, its routes grouped by what they serve.

- api.sparql: the SPARQL 1.1 Protocol endpoint and its browser editor (/sparql)
- api.named: named queries and the typed analyses for partner tools (/api/v1)
- api.entities: every minted IRI as Linked Data (/id/...), and search (/api/v1/search)
- api.uploads: authenticated source uploads (/api/v1/sources/{kind})
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI
from fastapi.responses import HTMLResponse

from api import entities, named, sparql, uploads
from api.access import Principal, reader
from graph.config import Settings, get_settings
from graph.sources import Sources
from graph.store import OWNER_FILE
from queries.stats import statistics

Reader = Annotated[Principal, Depends(reader)]


def create_app(sources: Sources, *, url: str, settings: Settings | None = None,
               owner_card: Path | None = None) -> FastAPI:
    """An app serving `sources`. While it runs it leaves `owner_card` (decision 0003) naming itself."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if owner_card is not None:
            owner_card.write_text(json.dumps({"pid": os.getpid(), "url": url}), encoding="utf-8")
        try:
            yield
        finally:
            if owner_card is not None:
                owner_card.unlink(missing_ok=True)

    app = FastAPI(title="ecokg", version="0.1.0", lifespan=lifespan,
                  description="Knowledge graph of an innovation ecosystem: companies, poles, projects, labs.")
    app.state.sources = sources
    app.state.settings = settings
    for module in (sparql, named, entities, uploads):
        app.include_router(module.router)

    @app.get("/health", summary="Is the service up, and what does it serve")
    def health() -> dict[str, Any]:
        return {"status": "ok", "store": sources.store.location, "sources": len(sources.current())}

    @app.get("/api/v1/stats", summary="Quads per source and entities per class")
    def stats_json(who: Reader) -> dict[str, Any]:
        return statistics(sources, restricted=who.restricted)

    @app.get("/", response_class=HTMLResponse, summary="Statistics page")
    def stats_page(who: Reader) -> str:
        return _stats_html(statistics(sources, restricted=who.restricted))

    return app


def owner_card_of(sources: Sources) -> Path | None:
    """Where `ecokg serve` leaves its card: in the store's directory (none for a memory or remote store)."""
    location = sources.store.location
    return None if location == ":memory:" or "://" in location else Path(location) / OWNER_FILE


def _stats_html(figures: dict[str, Any]) -> str:
    e = html.escape
    source_rows = "".join(
        f"<tr><td>{e(n)}</td><td>{s['version']}</td><td>{e(s['access'])}</td><td>{s['rows']}</td>"
        f"<td>{s['quads']:,}</td><td>{e(s['loaded'][:19])}</td></tr>"
        for n, s in figures["sources"].items()
    )
    class_rows = "".join(f"<tr><td>{e(c)}</td><td>{n:,}</td></tr>" for c, n in figures["entities"].items())
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8"><title>ecokg — statistics</title>
<style>body{{font-family:system-ui,sans-serif;margin:2rem;max-width:60rem}}table{{border-collapse:collapse;
margin-bottom:2rem}}td,th{{border-bottom:1px solid #ddd;padding:.3rem .8rem;text-align:left}}</style></head>
<body><h1>ecokg</h1><p>The knowledge graph of the ecosystem: what is loaded now.</p>
<h2>Sources</h2><table><tr><th>source</th><th>version</th><th>access</th><th>rows</th><th>quads</th>
<th>loaded (UTC)</th></tr>{source_rows}</table>
<h2>Entities per class</h2><table><tr><th>class</th><th>entities</th></tr>{class_rows}</table>
<p><a href="/sparql">SPARQL</a> · <a href="/health">/health</a> · <a href="/api/v1/stats">/api/v1/stats</a> ·
<a href="/docs">API docs</a></p>
</body></html>"""
