"""The HTTP service: one FastAPI app over one `Sources`, its routes grouped by what they serve.

- api.sparql: the SPARQL 1.1 Protocol endpoint (/sparql); api.editor: its browser editor, YASGUI
- api.named: named queries for partner tools (/api/v1/queries); api.analyses: the typed analyses
- api.entities: every minted IRI as Linked Data (/id/...), and search (/api/v1/search)
- api.uploads: authenticated source uploads (/api/v1/sources/{kind})
- api.reports: the ecosystem report as one HTML page (/reports/ecosystem)
- api.exports: the offer catalogue as an Excel workbook or CSV (/api/v1/exports/catalogue.xlsx|.csv)
"""

from __future__ import annotations

import html
import json
import os
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Annotated, Any

from fastapi import Depends, FastAPI, Request
from fastapi.middleware.cors import CORSMiddleware
from fastapi.middleware.gzip import GZipMiddleware
from fastapi.responses import HTMLResponse, JSONResponse, Response

from api import analyses, editor, entities, exports, named, reports, sparql, uploads
from api.access import Principal, reader
from api.middleware import BodyLimit, HeadAsGet, RequestLog
from api.ratelimit import RateLimit
from api.warming import Warmer
from graph.config import Settings, get_settings
from graph.errors import EcokgError, InvalidParameter, QueryNotFound, QueryTimeout, StoreUnavailable
from graph.sources import Sources
from queries.stats import statistics

Reader = Annotated[Principal, Depends(reader)]


def create_app(sources: Sources, *, url: str, settings: Settings | None = None,
               owner_card: Path | None = None, warm: bool = False) -> FastAPI:
    """An app serving `sources`. While it runs it leaves `owner_card` (decision 0003) naming itself, and with
    `warm` it computes the named queries' first pages after every write (api.warming)."""
    settings = settings or get_settings()

    @asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        if owner_card is not None:
            owner_card.write_text(json.dumps({"pid": os.getpid(), "url": url}), encoding="utf-8")
        warmer = Warmer(sources) if warm else None
        if warmer is not None:
            warmer.start()
        try:
            yield
        finally:
            if warmer is not None:
                warmer.stop()
            if owner_card is not None:
                owner_card.unlink(missing_ok=True)

    app = FastAPI(title="ecokg", version="0.1.0", lifespan=lifespan,
                  description="Knowledge graph of an innovation ecosystem: companies, poles, projects, labs.")
    app.state.sources = sources
    app.state.settings = settings
    app.add_middleware(BodyLimit, max_bytes=int(settings.max_body_mb * 1024 * 1024))
    app.add_middleware(GZipMiddleware, minimum_size=2048)  # the editor's bundle, big answers
    if settings.cors_origins:
        app.add_middleware(CORSMiddleware, allow_origins=settings.cors_origins, allow_methods=["GET", "POST"],
                           allow_headers=["Authorization", "X-API-Key", "Content-Type", "X-Request-ID"],
                           expose_headers=["ETag", "Link", "X-Request-ID", "X-Ecokg-Truncated", "X-Ecokg-Row-Limit"])
    app.add_middleware(RateLimit, per_minute=settings.rate_limit_per_minute, burst=settings.rate_limit_burst)
    app.add_middleware(HeadAsGet)
    app.add_middleware(RequestLog)  # outermost: every answer, a 413 included, has an id and a log line
    for error, status in _STATUS.items():
        app.add_exception_handler(error, _problem(status))
    for module in (sparql, editor, named, analyses, entities, uploads, exports, reports):
        app.include_router(module.router)

    @app.get("/health", summary="Is the service up, and what does it serve",
             responses={200: {"content": {"application/json": {"example": {
                 "status": "ok", "sources": 15, "quads": 249806}}}},
                 503: {"description": "the store does not answer"}})
    def health() -> JSONResponse:
        """Cheap on purpose (a trivial query to the engine): it must answer while long queries run."""
        try:
            sources.store.ping()
        except StoreUnavailable as exc:
            return JSONResponse({"status": "unavailable", "detail": str(exc)}, status_code=503)
        current = sources.current()
        return JSONResponse({"status": "ok", "sources": len(current),
                             "quads": sum(v.quads for v in current.values())})

    @app.get("/api/v1/stats", summary="Quads per source and entities per class",
             responses={200: {"content": {"application/json": {"example": {
                 "sources": {"members": {"version": 3, "access": "public", "quads": 4120, "rows": 168,
                                         "loaded": "2026-11-28T10:15:02Z"}},
                 "entities": {"Company": 168, "ResearchLab": 44}}}}}})
    def stats_json(who: Reader) -> dict[str, Any]:
        return statistics(sources, restricted=who.restricted)

    @app.get("/favicon.ico", include_in_schema=False)
    def favicon() -> Response:
        """No icon, said plainly: a 404 would be a console error on every page a browser opens."""
        return Response(status_code=204)

    @app.get("/", response_class=HTMLResponse, summary="Statistics page",
             responses={200: {"content": {"text/html": {"example": "<!doctype html><html>…<h1>ecokg</h1>…"}}}})
    def stats_page(who: Reader) -> str:
        return _stats_html(statistics(sources, restricted=who.restricted))

    return app


_STATUS: dict[type[Exception], int] = {
    QueryNotFound: 404, InvalidParameter: 422, QueryTimeout: 503, StoreUnavailable: 503,
    EcokgError: 400,  # any other refusal of ecokg's (e.g. a load that names no pole): the caller's to fix
}


def _problem(status: int) -> Callable[[Request, Exception], Awaitable[JSONResponse]]:
    """ecokg's errors as HTTP answers, in one place (graph/errors.py)."""
    async def handle(_: Request, exc: Exception) -> JSONResponse:
        headers = {"Retry-After": "5"} if status == 503 else None
        return JSONResponse({"detail": str(exc)}, status_code=status, headers=headers)
    return handle


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
