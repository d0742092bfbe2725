"""The HTTP service: health and statistics at this stage (the full API comes with issue 4)."""

from __future__ import annotations

import html
import json
import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.responses import HTMLResponse

from graph.sources import Sources
from graph.store import OWNER_FILE
from queries.stats import statistics


def create_app(sources: Sources, url: str) -> FastAPI:
    """An app serving `sources`; while it runs it leaves a card in the store naming itself (decision 0003)."""
    card = Path(sources.store.location) / OWNER_FILE

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if sources.store.location != ":memory:":
            card.write_text(json.dumps({"pid": os.getpid(), "url": url}), encoding="utf-8")
        try:
            yield
        finally:
            card.unlink(missing_ok=True)

    app = FastAPI(title="ecokg", version="0.1.0", lifespan=lifespan,
                  description="Knowledge graph of an innovation ecosystem: companies, poles, projects, labs.")

    @app.get("/health", summary="Is the service up, and what does it serve")
    def health() -> dict[str, Any]:
        return {"status": "ok", "store": sources.store.location, "sources": len(sources.current())}

    @app.get("/api/v1/stats", summary="Quads per source and entities per class")
    def stats_json() -> dict[str, Any]:
        return statistics(sources)

    @app.get("/", response_class=HTMLResponse, summary="Statistics page")
    def stats_page() -> str:
        return _stats_html(statistics(sources))

    return app


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
<p><a href="/health">/health</a> · <a href="/api/v1/stats">/api/v1/stats</a> · <a href="/docs">API docs</a></p>
</body></html>"""
