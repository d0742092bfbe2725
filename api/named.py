"""Named queries as HTTP operations for partner tools (/api/v1/queries), and what the typed analyses share.

- ``/api/v1/queries`` lists the named queries (those tagged ``internal`` are building blocks of the Python
  analyses and stay out of the API); ``/api/v1/queries/{name}`` runs one. Each query is an OpenAPI operation
  of its own there (STYLE.md 1), its parameters described from its header so that /docs and API fuzzers know
  them; the registry does the checking. Answers come as JSON, CSV or XLSX (Accept or ``?format=``), a page
  at a time, with the next page's URL in the body and in a ``Link`` header.
- Gaps, paths, recommendations and network metrics have typed operations in api.analyses, sharing this
  module's paging, ETags and parameter errors.

Every answer is computed from what the caller may see (``restricted=who.restricted``). Its ETag is a digest of
the question (path, parameters, page, format, caller's access level) and of the graph versions the caller sees,
which change with every load (decision 0002): an ``If-None-Match`` naming it gets a 304 before anything runs.
Parameter problems are answered 422 in FastAPI's own shape (``detail: [{loc, msg, type}]``), ``loc`` naming the
parameter, whether FastAPI or ecokg found them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Coroutine
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Query, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from api.access import Principal, reader, sources_of
from api.formats import XLSX, csv_text, xlsx_bytes
from api.models import (
    QueryInfo,
    QueryPage,
)
from api.negotiation import negotiate
from graph.errors import InvalidParameter, QueryNotFound
from graph.sources import Sources
from queries import paths
from queries.registry import BadParameter, MalformedQuery, Param, QuerySpec, Result, load_registry, run

MAX_LIMIT = 1000
"""The most rows one page may hold."""
MAX_OFFSET = 1_000_000_000
"""The largest offset: beyond any result, and within what Python slices (a larger one would be a 500)."""
RESERVED = ("offset", "limit", "format")
"""Query-string names of the operations themselves: no named query may have a parameter so named."""
MEDIA = {"json": "application/json", "csv": "text/csv", "xlsx": XLSX}
QUERIES_TAG = "named queries"
_IRI_FORMS = {  # what a caller may write for an IRI parameter of each kind, and an example
    "org": ("an organisation IRI, its key (be-0450222233) or an enterprise number", "0450.222.233"),
    "nuts": ("a NUTS code (BE3, BE33, BE332) or its IRI", "BE33"),
    "technology": ("a concept IRI, tech:slug or slug", "computer-vision"),
    "sector": ("a sector concept IRI, sector:slug or slug", "transport-logistics"),
    "pole": ("a pole IRI or its key", "wagralim"),
    "cluster": ("a cluster IRI or its key", "ict-wallonia"),
    "lab": ("a lab IRI or its key (the lab code in lower case)", "uliege-hpc"),
    "project": ("a project IRI or its key (pole-projectid)", "wagralim-wg-2019-01"),
    "any": ("a full IRI", None),
}
_ABOUT_ANSWERS = (
    "\n\nAnswers in JSON (default), CSV or XLSX by `Accept` or `?format=`; `offset` and `limit` page the rows "
    "(the next page's URL is `next` in JSON and a `Link: <...>; rel=\"next\"` header). Send the `ETag` back as "
    "`If-None-Match` to get a 304 while the data you may see is unchanged. Anonymous callers see public "
    "sources only; a key with the `read` scope sees restricted ones (pole project lists) too."
)

Reader = Annotated[Principal, Depends(reader)]


class ParameterErrors(APIRoute):
    """Turns ecokg's parameter errors into FastAPI's 422, naming the parameter when the error does."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except (InvalidParameter, paths.SearchTooWide) as exc:
                loc = ("query", exc.parameter) if isinstance(exc, BadParameter) else ("query",)
                raise RequestValidationError([{"type": "invalid_parameter", "loc": loc, "msg": str(exc)}]) from exc

        return answer


router = APIRouter(route_class=ParameterErrors)


# -- pages, formats and ETags ----------------------------------------------------------------------
@dataclass(frozen=True)
class Paging:
    """The page a caller asks for."""

    offset: int
    limit: int | None

    def size(self, spec: QuerySpec) -> int:
        """Rows per page: as asked, else the query's page size, never more than MAX_LIMIT."""
        return self.limit or min(spec.pagination or MAX_LIMIT, MAX_LIMIT)


def _paging(
    offset: Annotated[int, Query(ge=0, le=MAX_OFFSET, description="rows to skip", examples=[0])] = 0,
    limit: Annotated[int | None, Query(ge=1, le=MAX_LIMIT, description="rows per page (default: the query's "
                                       f"page size, at most {MAX_LIMIT})", examples=[50])] = None,
) -> Paging:
    return Paging(offset, limit)


PagingArgs = Annotated[Paging, Depends(_paging)]
Format = Annotated[Literal["json", "csv", "xlsx"] | None,
                   Query(alias="format", description="overrides Accept", examples=["csv"])]


def etag(request: Request, who: Principal, *question: object) -> str:
    """A digest of the question and of the graph versions this caller sees (they change with every load)."""
    sources: Sources = sources_of(request)
    given = sorted(request.query_params.multi_items(), key=lambda item: item[0])  # a multi value keeps its order
    key = [request.app.version, str(request.base_url), request.url.path, given, who.restricted,
           [g.value for g in sources.dataset(restricted=who.restricted)], *question]
    return '"' + hashlib.sha256(json.dumps(key, default=str).encode()).hexdigest()[:32] + '"'


def not_modified(request: Request, tag: str) -> Response | None:
    """The 304 for a caller whose If-None-Match names `tag` (or is *), else None."""
    given = request.headers.get("if-none-match", "")
    if given.strip() == "*" or tag in {t.strip().removeprefix("W/") for t in given.split(",")}:
        return Response(status_code=304, headers=cache_headers(tag))
    return None


def cache_headers(tag: str) -> dict[str, str]:
    # private: an answer may hold restricted sources, which no shared cache may keep
    return {"ETag": tag, "Cache-Control": "private, no-cache", "Vary": "Accept, Authorization, X-API-Key"}


def _next(request: Request, result: Result) -> str | None:
    """The absolute URL of the next page, with the same parameters."""
    if not result.has_more or result.limit is None:
        return None
    return str(request.url.include_query_params(offset=result.offset + result.limit, limit=result.limit))


def _link(url: str | None) -> dict[str, str]:
    return {"Link": f'<{url}>; rel="next"'} if url else {}


def _media(request: Request, fmt: str | None) -> str:
    if fmt:
        return MEDIA[fmt]
    chosen = negotiate(request.headers.get("accept"), list(MEDIA.values()))
    if chosen is None:
        raise HTTPException(406, f"cannot answer in {request.headers.get('accept')}: ask for "
                                 f"{', '.join(MEDIA.values())}, or use ?format={'|'.join(MEDIA)}")
    return chosen


def _query_values(request: Request) -> dict[str, str | list[str]]:
    """The query string minus the operation's own names; a name given several times is a list."""
    values: dict[str, str | list[str]] = {}
    for name in request.query_params:
        if name not in RESERVED:
            given = request.query_params.getlist(name)
            values[name] = given if len(given) > 1 else given[0]
    return values


# -- named queries ---------------------------------------------------------------------------------
def _public() -> dict[str, QuerySpec]:
    """The queries of the API, by name: all but those tagged internal."""
    specs = [s for s in sorted(load_registry().values(), key=lambda s: s.name) if "internal" not in s.tags]
    clash = [f"{s.name}: {p.name}" for s in specs for p in s.params if p.name in RESERVED]
    if clash:
        raise MalformedQuery(f"parameter names taken by the API ({', '.join(RESERVED)}): {'; '.join(clash)}")
    return {s.name: s for s in specs}


PUBLIC = _public()


@router.get("/api/v1/queries", response_model=list[QueryInfo], tags=[QUERIES_TAG],
            summary="The named queries and their parameters")
def list_queries(request: Request) -> list[QueryInfo]:
    """Every named query partner tools may run, with what it answers, its page size and its parameters
    (type, kind of entity for IRIs, required, default, allowed values, several values or one)."""
    return [QueryInfo(name=s.name, url=str(request.url_for(f"query-{s.name}")), summary=s.summary,
                      description=s.description, tags=s.tags, page_size=s.pagination, params=s.params)
            for s in PUBLIC.values()]


@dataclass(frozen=True)
class _Rows:
    """A page of a named query's rows for one caller, and the headers that go with it."""

    result: Result
    next: str | None
    tag: str

    def headers(self) -> dict[str, str]:
        return cache_headers(self.tag) | _link(self.next)


def page_rows(request: Request, who: Principal, spec: QuerySpec, values: dict[str, Any], paging: Paging,
          *question: object) -> _Rows | Response:
    """One page of `spec`'s rows, or the 304 when the caller's copy is current (then nothing runs)."""
    limit = paging.size(spec)
    tag = etag(request, who, spec.body, paging.offset, limit, *question)
    if (unchanged := not_modified(request, tag)) is not None:
        return unchanged
    result = run(sources_of(request), spec, values, restricted=who.restricted, offset=paging.offset, limit=limit)
    return _Rows(result, _next(request, result), tag)


def _answer(request: Request, who: Principal, spec: QuerySpec, paging: Paging, fmt: str | None) -> Response:
    media = _media(request, fmt)
    rows = page_rows(request, who, spec, _query_values(request), paging, media)
    if isinstance(rows, Response):
        return rows
    result, headers = rows.result, rows.headers()
    if media == MEDIA["json"]:
        return JSONResponse(QueryPage(columns=result.columns, rows=result.rows, offset=result.offset,
                                      limit=paging.size(spec), has_more=result.has_more,
                                      next=rows.next).model_dump(mode="json"), headers=headers)
    extension = next(k for k, v in MEDIA.items() if v == media)
    headers["Content-Disposition"] = f'attachment; filename="{spec.name}.{extension}"'
    if media == XLSX:
        return Response(xlsx_bytes(result, spec.name), media_type=XLSX, headers=headers)
    return Response(csv_text(result), media_type="text/csv; charset=utf-8", headers=headers)


_QUERY_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"description": "a page of rows", "content": {
        "text/csv": {"schema": {"type": "string"}, "example": "pole,pole_label,projects\nhttp://127.0.0.1:8000/"
                     "id/pole/biowin,BioWin,4\n"},
        XLSX: {"schema": {"type": "string", "format": "binary"}}},
        "headers": {"ETag": {"schema": {"type": "string"}, "description": "send it back as If-None-Match"},
                    "Link": {"schema": {"type": "string"}, "description": 'the next page: <url>; rel="next"'}}},
    304: {"description": "If-None-Match names the current ETag: the answer has not changed"},
    406: {"description": "none of JSON, CSV or XLSX is acceptable"},
}


def _openapi_param(p: Param) -> dict[str, Any]:
    """The OpenAPI description of one parameter of a named query, from its header."""
    schema: dict[str, Any] = {"type": {"int": "integer", "decimal": "number"}.get(p.type, "string")}
    if p.type == "date":
        schema["format"] = "date"
    if p.allowed:
        schema["enum"] = p.allowed
    if p.default is not None:
        schema["default"] = p.default
    forms, kind_example = _IRI_FORMS[p.kind] if p.type == "iri" else ("", None)
    example: Any = p.default if p.default is not None else p.allowed[0] if p.allowed else kind_example
    if p.multi:
        schema = {"type": "array", "items": schema}
        example = None if example is None else [example]
    how = (f" Give {forms}." if forms else "") + (" Repeat it for several values." if p.multi else "")
    described = {"name": p.name, "in": "query", "required": p.required, "schema": schema, "style": "form",
                 "explode": True, "description": p.description + how}
    return described | ({"example": example} if example is not None else {})


def _operation(spec: QuerySpec) -> Callable[..., Response]:
    def run_query(request: Request, who: Reader, paging: PagingArgs, fmt: Format = None) -> Response:
        return _answer(request, who, spec, paging, fmt)

    return run_query


for _spec in PUBLIC.values():  # before the {name} route below, which would match these paths too
    router.add_api_route(
        f"/api/v1/queries/{_spec.name}", _operation(_spec), methods=["GET"], response_model=QueryPage,
        tags=[QUERIES_TAG], summary=_spec.summary, description=_spec.description + _ABOUT_ANSWERS,
        operation_id=f"query_{_spec.name.replace('-', '_')}", name=f"query-{_spec.name}",
        responses=_QUERY_RESPONSES, openapi_extra={"parameters": [_openapi_param(p) for p in _spec.params]})


@router.get("/api/v1/queries/{name}", include_in_schema=False)
def unknown_query(name: str) -> None:
    """Every query of the API has its own route above: a name that reaches this one is no such query."""
    raise QueryNotFound(f"no named query '{name}' (known: {', '.join(PUBLIC)})")
