"""The analyses as typed HTTP operations (/api/v1/gaps, /paths, /recommendations, /network), with pydantic
answers (api/models.py). They share api.named's ETags, paging and parameter errors: every answer is computed
from what the caller may see, and an If-None-Match naming its ETag gets a 304 before anything runs."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, Any

import pyoxigraph as ox
from fastapi import APIRouter, Query, Request, Response

from api.access import Principal, sources_of
from api.models import (
    Bridge,
    Central,
    CollaborationPath,
    Community,
    Page,
    Paths,
    PoleCoveragePage,
    ProjectsWithoutDigitalPartnerPage,
    Recommendations,
    Relation,
    TechnologyGapPage,
)
from api.named import (
    MAX_LIMIT,
    Paging,
    PagingArgs,
    ParameterErrors,
    Reader,
    cache_headers,
    etag,
    not_modified,
    page_rows,
)
from graph.errors import InvalidParameter
from graph.sources import Sources
from queries import network, paths
from queries.identify import AmbiguousEntity, UnknownEntity, resolve_actor
from queries.recommend import recommend_for_company, recommend_for_project
from queries.registry import BadParameter, get

router = APIRouter(route_class=ParameterErrors)


# -- gaps ------------------------------------------------------------------------------------------
def _typed_page(request: Request, response: Response, who: Principal, name: str, values: dict[str, Any],
                paging: Paging, model: type[Page]) -> Page | Response:
    """One page of a named query's rows as `model`."""
    spec = get(name)
    rows = page_rows(request, who, spec, values, paging)
    if isinstance(rows, Response):
        return rows
    response.headers.update(rows.headers())
    return model.model_validate({"rows": rows.result.rows, "offset": rows.result.offset, "limit": paging.size(spec),
                                 "has_more": rows.result.has_more, "next": rows.next})


Poles = Annotated[list[str] | None, Query(description="a pole's IRI or key; repeat for several",
                                          examples=[["biowin", "wagralim"]])]


@router.get("/api/v1/gaps/technologies", response_model=TechnologyGapPage, tags=["gaps"],
            summary="Technology gap: demand for each technology against the cluster's supply")
def technology_gap(
    request: Request, response: Response, who: Reader, paging: PagingArgs,
    pole: Poles = None,
    region: Annotated[str | None, Query(description="a NUTS code: firms, labs and project participants must "
                                                    "lie in it", examples=["BE33"])] = None,
    year_from: Annotated[int | None, Query(description="projects active in or after this year",
                                           examples=[2021])] = None,
    year_to: Annotated[int | None, Query(description="projects started in or before this year",
                                         examples=[2024])] = None,
    max_supply: Annotated[int | None, Query(ge=0, description="technologies offered by at most this many "
                                                             "cluster members", examples=[1])] = None,
) -> Page | Response:
    """Technologies in demand (projects and firms that need them, narrower concepts counted) that few cluster
    members offer, ranked by gap score = demand / (supply + 1): the named query `technology-gap`."""
    values = {"pole": pole, "region": region, "year_from": year_from, "year_to": year_to, "max_supply": max_supply}
    return _typed_page(request, response, who, "technology-gap", values, paging, TechnologyGapPage)


@router.get("/api/v1/gaps/poles", response_model=PoleCoveragePage, tags=["gaps"],
            summary="Pole digital coverage: each pole's projects with a digital partner")
def pole_coverage(request: Request, response: Response, who: Reader, paging: PagingArgs,
                  pole: Poles = None) -> Page | Response:
    """For each competitiveness pole, its projects, those with a digital partner (a cluster member or a lab
    with some expertise), the share, and the projects needing digital technologies without one: the named
    query `pole-digital-coverage`."""
    return _typed_page(request, response, who, "pole-digital-coverage", {"pole": pole}, paging, PoleCoveragePage)


@router.get("/api/v1/gaps/projects", response_model=ProjectsWithoutDigitalPartnerPage, tags=["gaps"],
            summary="Projects needing digital technologies without a digital partner")
def projects_without_partner(request: Request, response: Response, who: Reader, paging: PagingArgs,
                             pole: Poles = None) -> Page | Response:
    """The poles' projects that need technologies of the taxonomy and have no digital partner, with what they
    need: the named query `projects-without-digital-partner`."""
    return _typed_page(request, response, who, "projects-without-digital-partner", {"pole": pole}, paging,
                       ProjectsWithoutDigitalPartnerPage)


# -- paths and recommendations ---------------------------------------------------------------------
@contextmanager
def _about(parameter: str) -> Iterator[None]:
    """Name `parameter` in the parameter errors raised inside."""
    try:
        yield
    except BadParameter:
        raise
    except InvalidParameter as exc:
        raise BadParameter(str(exc), parameter=parameter) from exc


def _actor(sources: Sources, text: str, parameter: str, restricted: bool) -> ox.NamedNode:
    with _about(parameter):
        return resolve_actor(sources, text, restricted=restricted)


Actor = "an IRI, an enterprise number, the key of an IRI (be-0450111177), a lab code, a project id or a CORDIS PIC"


@router.get("/api/v1/paths", response_model=Paths, tags=["paths"],
            summary="Shortest collaboration paths between two actors")
def collaboration_paths(
    request: Request, response: Response, who: Reader,
    source: Annotated[str, Query(alias="from", description=f"one end: {Actor}", examples=["0450.111.177"])],
    target: Annotated[str, Query(alias="to", description="the other end, written the same ways",
                                 examples=["UCL-IMAGE"])],
    k: Annotated[int, Query(ge=1, le=paths.MAX_K, description="how many paths", examples=[3])] = 3,
    max_length: Annotated[int, Query(ge=1, le=paths.MAX_LENGTH, description="hops at most", examples=[6])] = 6,
    weak: Annotated[bool, Query(description="also follow weak ties: pole and cluster membership, attendance at "
                                            "the same event", examples=[False])] = False,
    avoid: Annotated[list[Relation] | None, Query(description="relations not to follow; repeat for several",
                                                  examples=[["labelled_by"]])] = None,
    since: Annotated[date | None, Query(description="only ties overlapping a window from this day",
                                        examples=["2020-01-01"])] = None,
    until: Annotated[date | None, Query(description="... until this day", examples=["2024-12-31"])] = None,
) -> Paths | Response:
    """The k shortest simple paths of at most max_length hops, shortest first, hop by hop with the
    participation or membership that is the evidence and its dates. Strong ties (taking part in a project, a
    lab's institution) unless `weak`. No path: an empty list and a message saying so."""
    tag = etag(request, who)
    if (unchanged := not_modified(request, tag)) is not None:
        return unchanged
    sources = sources_of(request)
    a = _actor(sources, source, "from", who.restricted)
    b = _actor(sources, target, "to", who.restricted)
    found = paths.find_paths(sources, a, b, k=k, max_length=max_length, weak=weak, avoid=avoid or (),
                             start=since, end=until, restricted=who.restricted)
    response.headers.update(cache_headers(tag))
    return Paths.model_validate({
        "from": a.value, "to": b.value, "paths": [CollaborationPath.model_validate(p.to_json()) for p in found],
        "message": None if found else paths.no_path_message(source, target, max_length)})


@router.get("/api/v1/recommendations", response_model=Recommendations, tags=["recommendations"],
            summary="Partners for a project, or for a firm looking for a technology")
def recommendations(
    request: Request, response: Response, who: Reader,
    project: Annotated[str | None, Query(description="a project: its IRI, id or key",
                                         examples=["WG-2019-01"])] = None,
    company: Annotated[str | None, Query(description=f"with technology, the firm asking: {Actor}",
                                         examples=["0450.222.233"])] = None,
    technology: Annotated[str | None, Query(description="with company, the technology sought: a concept IRI, "
                                                        "tech:slug or slug", examples=["high-performance-computing"])
                          ] = None,
    limit: Annotated[int, Query(ge=1, le=100, description="candidates at most", examples=[10])] = 10,
) -> Recommendations | Response:
    """Cluster member firms and research labs ranked by what they can bring (coverage of the needed
    technologies), how close they already are (hops in the collaboration graph) and shared partners, each with
    its reasons in words. Give `project`, or `company` with `technology`."""
    if bool(project) == bool(company) or bool(company) != bool(technology):
        raise InvalidParameter("give project, or company with technology")
    tag = etag(request, who)
    if (unchanged := not_modified(request, tag)) is not None:
        return unchanged
    sources = sources_of(request)
    if project:
        with _about("project"):
            found = recommend_for_project(sources, project, limit=limit, restricted=who.restricted)
    else:
        try:
            found = recommend_for_company(sources, company or "", technology or "", limit=limit,
                                          restricted=who.restricted)
        except (UnknownEntity, AmbiguousEntity) as exc:  # the company; the technology is checked against the taxonomy
            raise BadParameter(str(exc), parameter="company") from exc
        except InvalidParameter as exc:
            raise BadParameter(str(exc), parameter="technology") from exc
    response.headers.update(cache_headers(tag))
    return Recommendations.model_validate({"candidates": [c.to_json() for c in found]})


# -- network ---------------------------------------------------------------------------------------
Top = Annotated[int, Query(ge=1, le=MAX_LIMIT, description="how many, best first", examples=[20])]


def _network(request: Request, response: Response, who: Principal, compute: Callable[[Sources, bool], Any]) -> Any:
    tag = etag(request, who)
    if (unchanged := not_modified(request, tag)) is not None:
        return unchanged
    answer = compute(sources_of(request), who.restricted)
    response.headers.update(cache_headers(tag))
    return answer


@router.get("/api/v1/network/centrality", response_model=list[Central], tags=["network"],
            summary="Central actors: betweenness in the collaboration graph")
def centrality(request: Request, response: Response, who: Reader, top: Top = 20) -> Any:
    """Organisations ranked by betweenness in the strong-tie collaboration graph (organisations and projects),
    with their partners and projects; exact up to 5,000 nodes, a seeded sample above (`method` says which)."""
    return _network(request, response, who, lambda s, r: network.centrality(s, top=top, restricted=r))


@router.get("/api/v1/network/communities", response_model=list[Community], tags=["network"],
            summary="Communities of organisations that work together")
def communities(request: Request, response: Response, who: Reader) -> Any:
    """Louvain communities (seeded) of the organisations linked by shared projects, largest first, with the
    poles their members are connected to and the dominant ones. Organisations without partners are in none."""
    return _network(request, response, who, lambda s, r: network.communities(s, restricted=r))


@router.get("/api/v1/network/bridges", response_model=list[Bridge], tags=["network"],
            summary="Bridges: firms connected to two or more poles")
def bridges(request: Request, response: Response, who: Reader, top: Top = 20) -> Any:
    """Firms connected to several competitiveness poles, as members or through projects the poles labelled,
    ranked by the number of poles, then those reached through shared work."""
    return _network(request, response, who, lambda s, r: network.pole_bridges(s, top=top, restricted=r))
