"""Every IRI minted under the base, as Linked Data, and search by name.

The base IRI defaults to this server's own address, so that its IRIs dereference: a request path P stands
for the IRI `sources.base + P[1:]` (/id/org/be-0450111177, /graph/source/members/v1). A browser gets an
HTML page, a client Turtle, JSON-LD, N-Triples or RDF/XML by content negotiation, or by `?format=`.
Anonymous callers see public sources only: an entity only a restricted source knows is 404 to them, as if
it did not exist, rather than 403, which would reveal it.
"""

from __future__ import annotations

from typing import Annotated, Literal

import pyoxigraph as ox
from fastapi import APIRouter, Depends, HTTPException, Path, Query, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from api.access import Principal, reader, sources_of
from api.entity_page import not_found, page_of, render
from api.negotiation import negotiate
from api.neighbourhood import CYTOSCAPE, SCRIPT, GraphOut, graph_json, section
from graph.errors import InvalidParameter
from ontology.vocab import prefixes
from queries.entities import SearchType, canonical_of, describe, search
from queries.neighbourhood import MAX_DEPTH, NODE_CAP, neighbourhood

router = APIRouter()
Reader = Annotated[Principal, Depends(reader)]

Format = Literal["html", "ttl", "jsonld", "nt", "rdf"]
_MEDIA: dict[Format, tuple[str, ox.RdfFormat | None]] = {
    "ttl": ("text/turtle", ox.RdfFormat.TURTLE),
    "html": ("text/html", None),
    "jsonld": ("application/ld+json", ox.RdfFormat.JSON_LD),
    "nt": ("application/n-triples", ox.RdfFormat.N_TRIPLES),
    "rdf": ("application/rdf+xml", ox.RdfFormat.RDF_XML),
}
"""What an entity is served as, in our order of preference when a client accepts several equally (*/*:
Turtle; a browser names text/html first)."""
_OFFERS = {media: key for key, (media, _) in _MEDIA.items()} | {"application/json": "jsonld"}
_VARY = {"Vary": "Accept, Accept-Language"}

_RESPONSES: dict[int | str, dict] = {
    200: {"description": "The description, in the negotiated format",
          "content": {media: {} for media in _OFFERS if media != "text/html"} | {"text/html": {}}},
    404: {"description": "Nothing the caller may see describes this IRI"},
    406: {"description": "None of the accepted media types can be produced"},
}
FormatQuery = Annotated[Format | None, Query(alias="format", description="Overrides the Accept header.")]


@router.get("/id/{path:path}", summary="An entity as Linked Data (HTML, Turtle, JSON-LD, N-Triples, RDF/XML)",
            response_class=Response, responses=_RESPONSES, tags=["entities"])
def entity(path: Annotated[str, Path(examples=["org/be-0450111177", "pole/biowin"])], request: Request,
           who: Reader, fmt: FormatQuery = None) -> Response:
    """The entity BASE/id/{path}: its statements, those of its #fragment IRIs, the labels of what it links
    to, what refers to it, and the sources it comes from."""
    return _answer(request, who, f"id/{path}", fmt)


@router.get("/graph/{path:path}", summary="A source or a source version, and its provenance, as Linked Data",
            response_class=Response, responses=_RESPONSES, tags=["entities"])
def graph(path: Annotated[str, Path(examples=["source/members/v1", "source/members"])], request: Request,
          who: Reader, fmt: FormatQuery = None) -> Response:
    """The graph BASE/graph/{path} as the load log records it: a version's load, files, rows, dates and
    agent (not its content: that is what /sparql is for)."""
    return _answer(request, who, f"graph/{path}", fmt)


def _answer(request: Request, who: Principal, path: str, fmt: Format | None) -> Response:
    chosen = fmt or _OFFERS.get(negotiate(request.headers.get("accept"), list(_OFFERS)) or "")
    if chosen is None:
        return JSONResponse({"detail": f"can answer only {', '.join(_OFFERS)}"}, status_code=406, headers=_VARY)
    sources = sources_of(request)
    lang = language(request.headers.get("accept-language"))
    iri = sources.base + path
    try:
        canonical = canonical_of(sources, iri, restricted=who.restricted)
        found = None if canonical else describe(sources, iri, restricted=who.restricted)
    except InvalidParameter:  # not even an IRI (a space, a '<'...): nothing describes it
        canonical = found = None
    if canonical and canonical.startswith(sources.base):  # an alias entity resolution rewrote away
        target = "/" + canonical.removeprefix(sources.base) + (f"?{request.url.query}" if request.url.query else "")
        return RedirectResponse(target, status_code=303, headers=_VARY)
    if found is None:
        if chosen == "html":
            return HTMLResponse(not_found(iri, lang=lang), status_code=404, headers=_VARY)
        return JSONResponse({"detail": f"nothing describes <{iri}>"}, status_code=404, headers=_VARY)
    if chosen == "html":
        return HTMLResponse(render(found, base=sources.base, lang=lang, graph=section(found, lang=lang)),
                            headers=_VARY)
    media, rdf_format = _MEDIA[chosen]
    body = ox.serialize(found.rdf(), format=rdf_format, prefixes=prefixes())
    return Response(body, media_type=media, headers=_VARY)


def language(accept_language: str | None) -> Literal["en", "fr"]:
    """French or English, whichever the reader ranks higher (English when neither is named)."""
    best: dict[str, float] = {}
    for part in (accept_language or "").split(","):
        tag, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        primary = tag.split("-")[0].strip().lower()
        best[primary] = max(best.get(primary, 0.0), q)
    return "fr" if best.get("fr", 0.0) > best.get("en", 0.0) else "en"


# -- neighbourhood ---------------------------------------------------------------------------------
@router.get("/api/v1/entities/neighbourhood", response_model=GraphOut, tags=["entities"],
            summary="An entity's neighbourhood in the collaboration graph, as nodes and edges",
            responses={404: {"description": "Nothing the caller may see describes this IRI"},
                       422: {"description": "iri is no IRI, or depth is out of range"}},
            description="The nodes within `depth` links of the entity (projects it takes part in, poles and "
                        "clusters it is a member of, a lab's institution, a project's pole, and so on) and the "
                        "edges between them, over the sources the caller may see; nodes typed (company, lab, "
                        "institution, pole, cluster, project, organisation) and labelled in the reader's language "
                        f"(Accept-Language). At most {NODE_CAP} nodes, the nearest first: `capped` says when there "
                        "were more. What the entity pages draw.")
def entity_neighbourhood(
    request: Request,
    response: Response,
    who: Reader,
    iri: Annotated[str, Query(min_length=1, max_length=2000, examples=["http://127.0.0.1:8000/id/pole/biowin"],
                              description="The entity (a full IRI).")],
    depth: Annotated[int, Query(ge=1, le=MAX_DEPTH, description="Links to follow from the entity.")] = 1,
) -> GraphOut:
    sources = sources_of(request)
    lang = language(request.headers.get("accept-language"))
    response.headers.update(_VARY)
    try:
        found = neighbourhood(sources, iri, depth=depth, restricted=who.restricted, lang=lang)
    except InvalidParameter as exc:
        raise HTTPException(422, f"iri: {iri!r} is not a full IRI") from exc
    if found is None:
        raise HTTPException(404, f"nothing describes <{iri}>")
    return graph_json(found, base=sources.base, lang=lang)


@router.get("/static/cytoscape/{file}", include_in_schema=False)
def cytoscape_file(file: str) -> Response:
    return CYTOSCAPE.response(file)


@router.get("/static/entity/{file}", include_in_schema=False)
def entity_script(file: str) -> Response:
    return SCRIPT.response(file)


# -- search ----------------------------------------------------------------------------------------
class SearchHit(BaseModel):
    iri: str
    label: str = Field(description="Its name in the reader's language (Accept-Language: French or English).")
    matched: str = Field(description="The name that matched: the label, a project's acronym, another name.")
    types: list[SearchType]
    rank: int = Field(ge=1, le=4, description="1 exact name, 2 a name starts with q, 3 a word of a name "
                                              "starts with q, 4 a name contains q.")
    page: str = Field(description="Its Linked Data page on this server.")


class SearchResults(BaseModel):
    model_config = ConfigDict(json_schema_extra={"examples": [{
        "query": "liege", "hits": [
            {"iri": "http://127.0.0.1:8000/id/org/be-0450777707", "label": "Liège Data SRL",
             "matched": "Liège Data SRL", "types": ["Company"], "rank": 2, "page": "/id/org/be-0450777707"},
            {"iri": "http://127.0.0.1:8000/id/org/inst-universite-de-liege", "label": "Université de Liège",
             "matched": "Université de Liège", "types": ["Institution"], "rank": 3,
             "page": "/id/org/inst-universite-de-liege"}]}]})

    query: str
    hits: list[SearchHit]


@router.get("/api/v1/search", response_model=SearchResults, tags=["entities"],
            summary="Find companies, institutions, labs, poles, the cluster and projects by name",
            responses={422: {"description": "q is empty or longer than 200 characters"}})
def search_entities(
    request: Request,
    response: Response,
    who: Reader,
    q: Annotated[str, Query(min_length=1, max_length=200, examples=["liege"],
                            description="Part of a name; accents and case do not matter.")],
    types: Annotated[list[SearchType] | None, Query(alias="type", description="Only these kinds (repeatable).")]
    = None,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
) -> SearchResults:
    """Names ranked: exact, then starting with q, then with a word starting with q, then containing q; ties
    by the shorter name, then alphabetically. Over the sources the caller may see."""
    if not q.strip():
        raise HTTPException(422, "q must contain something other than spaces")
    sources = sources_of(request)
    response.headers.update(_VARY)  # labels follow Accept-Language
    hits = search(sources, q, restricted=who.restricted, types=types or (), limit=limit,
                  lang=language(request.headers.get("accept-language")))
    return SearchResults(query=q, hits=[
        SearchHit(iri=h.iri, label=h.label, matched=h.matched, types=h.types, rank=h.rank,
                  page=page_of(h.iri, sources.base) or h.iri) for h in hits])
