"""Reports over HTTP: the ecosystem report as one self-contained HTML page (/reports/ecosystem).

Built from what the caller may see (anonymous callers: public sources only), in French or English, for the
whole ecosystem or one pole. It runs some twenty named queries and lays the network out, a few seconds on
the demo: the answer carries an ETag of the question and of the graph versions the caller sees, so a browser
that asks again gets a 304 until the next load. PDF is the CLI's (`ecokg report --out report.pdf`): printing
spawns a browser, which a public endpoint should not do on every request.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.access import Principal, reader, sources_of
from api.named import cache_headers, etag, not_modified
from reports.ecosystem import ecosystem_report

router = APIRouter()
Reader = Annotated[Principal, Depends(reader)]


@router.get("/reports/ecosystem", response_class=HTMLResponse, tags=["reports"],
            summary="The ecosystem report: key figures, gaps, offer, regions, network, data quality",
            responses={200: {"content": {"text/html": {"example": "<!doctype html><html lang=\"fr\">…"}}},
                       304: {"description": "If-None-Match names the current ETag: the report has not changed"}})
def ecosystem(
    request: Request,
    who: Reader,
    lang: Annotated[Literal["fr", "en"], Query(description="the report's language")] = "fr",
    pole: Annotated[str | None, Query(description="one pole only: its key (wagralim) or IRI",
                                      examples=["wagralim"])] = None,
) -> Response:
    """The report as a self-contained HTML page (styles and charts inline, no script): print it from the
    browser, or ask the CLI for a PDF."""
    tag = etag(request, who, "ecosystem-report")
    if (unchanged := not_modified(request, tag)) is not None:
        return unchanged
    html = ecosystem_report(sources_of(request), lang=lang, pole=pole, restricted=who.restricted)
    return HTMLResponse(html, headers=cache_headers(tag))
