"""The SPARQL 1.1 Protocol endpoint (/sparql): read-only, time-limited, over the caller's visible sources.

The dataset a query sees is decided here and only here: the current version of every source the caller
may see (decision 0002), narrowed by `default-graph-uri` / `named-graph-uri` or, failing those, by the
query's FROM / FROM NAMED. A graph outside it — an old or half-loaded version, a restricted source for an
anonymous caller — is simply absent, never an error that would tell it exists. A source's stable IRI
(`{base}graph/source/NAME`) may stand for its current version.
"""

from __future__ import annotations

from itertools import islice
from typing import Annotated, Any
from urllib.parse import parse_qs

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, Response

from api import results
from api.access import Principal, reader, settings_of, sources_of
from api.editor import editor_page, named_query_tabs
from api.negotiation import negotiate
from api.sparql_guard import Refused, Shape, inspect
from graph.errors import StoreUnavailable
from graph.sources import Sources
from graph.store import QueryResult
from ontology.vocab import prefixes

router = APIRouter(tags=["SPARQL"])
Reader = Annotated[Principal, Depends(reader)]

GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE, "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "application/ld+json": ox.RdfFormat.JSON_LD, "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "text/plain": ox.RdfFormat.N_TRIPLES,
}
_FORM = "application/x-www-form-urlencoded"
_DIRECT = "application/sparql-query"
_SD = "http://www.w3.org/ns/sparql-service-description#"


_DESCRIPTION = ("The SPARQL 1.1 Protocol: GET with `query=`, POST form-encoded, or POST `application/sparql-query`. "
    "SELECT/ASK answer as SPARQL JSON, XML, CSV or TSV, CONSTRUCT/DESCRIBE as Turtle, N-Triples, JSON-LD or "
    "RDF/XML, by `Accept`. Updates and SERVICE are refused (403); each query has a time limit (503 past it) "
    "and answers are capped (`X-Ecokg-Truncated: true` when the cap applied). Without a query: the editor "
    "for a browser, the service description for a program.")
_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/sparql-results+json": {"example": {
        "head": {"vars": ["pole"]}, "results": {"bindings": [
            {"pole": {"type": "uri", "value": "http://127.0.0.1:8000/id/pole/biowin"}}]}}}}},
    400: {"description": "malformed query"}, 403: {"description": "update or SERVICE"},
    406: {"description": "no acceptable format"}, 503: {"description": "time limit reached"}}


@router.get("/sparql", summary="SPARQL 1.1 query endpoint (read-only): GET", operation_id="sparql_get",
            description=_DESCRIPTION, responses=_RESPONSES)
async def sparql_get(request: Request, who: Reader) -> Response:
    return await _sparql(request, who)


@router.post("/sparql", summary="SPARQL 1.1 query endpoint (read-only): POST", operation_id="sparql_post",
             description=_DESCRIPTION, responses=_RESPONSES)
async def sparql_post(request: Request, who: Reader) -> Response:
    return await _sparql(request, who)


async def _sparql(request: Request, who: Principal) -> Response:
    params = await _protocol_params(request)
    if params.get("update"):
        raise HTTPException(403, "this endpoint is read-only: SPARQL Update is not accepted here")
    queries = params.get("query", [])
    if len(queries) > 1:
        raise HTTPException(400, "give one query, not several")
    if not queries:
        if request.method == "POST":
            raise HTTPException(400, "no query: send it as 'query=' or as an application/sparql-query body")
        if negotiate(request.headers.get("accept"), [*GRAPH_TYPES, "text/html"]) == "text/html":
            page = editor_page(str(request.url.replace(query="")), named_query_tabs(sources_of(request).base),
                               prefixes())
            return HTMLResponse(page)
        return _service_description(request, who)
    try:
        shape = inspect(queries[0])
    except Refused as exc:
        raise HTTPException(exc.status, str(exc)) from exc
    accept = request.headers.get("accept")
    offers = list(results.SELECT_TYPES) if shape.form in ("SELECT", "ASK") else list(GRAPH_TYPES)
    media = negotiate(accept, offers)
    if media is None:
        raise HTTPException(406, f"a {shape.form} query can answer as: {', '.join(offers)}")
    sources, limit = sources_of(request), settings_of(request).max_rows
    dataset = _dataset(sources, who, shape, params)
    body, truncated = await run_in_threadpool(_answer, sources, queries[0], dataset, who.restricted, media, limit)
    headers = {"X-Ecokg-Row-Limit": str(limit), "Vary": "Accept, Authorization, X-API-Key"}
    if truncated:
        headers["X-Ecokg-Truncated"] = "true"
    return Response(body, media_type=media, headers=headers)


async def _protocol_params(request: Request) -> dict[str, list[str]]:
    """query / update / default-graph-uri / named-graph-uri from wherever the protocol allows them."""
    params: dict[str, list[str]] = {}
    for key, value in request.query_params.multi_items():
        params.setdefault(key, []).append(value)
    if request.method == "POST":
        kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
        body = await request.body()
        if kind == _FORM:
            for key, values in parse_qs(body.decode("utf-8", errors="replace"), keep_blank_values=True).items():
                params.setdefault(key, []).extend(values)
        elif kind == _DIRECT:
            params.setdefault("query", []).append(body.decode("utf-8", errors="replace"))
        elif kind == "application/sparql-update":
            params["update"] = ["(body)"]
        else:
            raise HTTPException(415, f"send the query form-encoded ({_FORM}) or as {_DIRECT}")
    return params


Dataset = tuple[list[ox.NamedNode], list[ox.NamedNode]] | None
"""The default and named graphs a request narrowed its dataset to; None: everything the caller may see."""


def _dataset(sources: Sources, who: Principal, shape: Shape, params: dict[str, list[str]]) -> Dataset:
    visible = {g.value: g for g in sources.visible(restricted=who.restricted)}
    current = {sources.graph_of(name).value: v.graph.value for name, v in sources.current().items()}

    def narrowed(iris: list[str]) -> list[ox.NamedNode]:
        return [visible[i] for i in (current.get(iri, iri) for iri in iris) if i in visible]

    if "default-graph-uri" in params or "named-graph-uri" in params:
        return narrowed(params.get("default-graph-uri", [])), narrowed(params.get("named-graph-uri", []))
    if shape.has_from:
        return narrowed(shape.from_graphs), narrowed(shape.from_named)
    return None


def _answer(sources: Sources, query: str, dataset: Dataset, restricted: bool, media: str,
            limit: int) -> tuple[bytes, bool]:
    """Run the query and write the answer, at most `limit` rows; whether rows were left out. An error while
    the rows are read (they are read lazily) is the engine's failure: 503, never a part of the rows as 200."""
    try:
        if dataset is None:
            answer = sources.query(query, restricted=restricted, prefixes=prefixes())
        else:
            answer = sources.store.query(query, dataset=dataset[0], named=dataset[1], prefixes=prefixes())
        return _written(answer, media, limit)
    except SyntaxError as exc:
        raise HTTPException(400, f"malformed query: {exc}") from exc
    except OSError as exc:
        raise StoreUnavailable(f"the query failed while it ran: {exc}") from exc


def _written(answer: QueryResult, media: str, limit: int) -> tuple[bytes, bool]:
    if isinstance(answer, ox.QueryBoolean):
        return results.write(results.SELECT_TYPES[media], [], None, bool(answer)), False
    if isinstance(answer, ox.QuerySolutions):
        variables = [v.value for v in answer.variables]
        rows = [list(s) for s in islice(answer, limit + 1)]  # in the variables' order; by name is 4x slower
        cut = len(rows) > limit
        notice: dict[str, Any] = {"ecokg": {"truncated": True, "row_limit": limit}} if cut else {}
        return results.write(results.SELECT_TYPES[media], variables, rows[:limit], extra=notice), cut
    triples = list(islice(answer, limit + 1))
    return ox.serialize(triples[:limit], format=GRAPH_TYPES[media], prefixes=prefixes()) or b"", len(triples) > limit


def _service_description(request: Request, who: Principal) -> Response:
    """What this endpoint is and offers (SPARQL 1.1 Service Description), in the RDF format asked for."""
    media = negotiate(request.headers.get("accept"), list(GRAPH_TYPES))
    if media is None:
        raise HTTPException(406, f"the service description is available as: {', '.join(GRAPH_TYPES)}")
    fmt = "http://www.w3.org/ns/formats/"
    service = ox.NamedNode(str(request.url.replace(query="")))
    dataset = ox.BlankNode()
    rdf_type = ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type")

    def t(s: Any, p: str, o: Any) -> ox.Triple:
        return ox.Triple(s, rdf_type if p == "a" else ox.NamedNode(_SD + p), o)

    triples = [t(service, "a", ox.NamedNode(_SD + "Service")), t(service, "endpoint", service),
               t(service, "supportedLanguage", ox.NamedNode(_SD + "SPARQL11Query")),
               t(service, "defaultDataset", dataset), t(dataset, "a", ox.NamedNode(_SD + "Dataset"))]
    triples += [t(service, "resultFormat", ox.NamedNode(fmt + name)) for name in (
        "SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV",
        "Turtle", "N-Triples", "JSON-LD", "RDF_XML")]
    for graph in sources_of(request).dataset(restricted=who.restricted):
        named = ox.BlankNode()
        triples += [t(dataset, "namedGraph", named), t(named, "name", graph)]
    return Response(ox.serialize(triples, format=GRAPH_TYPES[media]) or b"", media_type=media)
