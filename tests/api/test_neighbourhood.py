"""The neighbourhood of an entity (queries/neighbourhood.py, /api/v1/entities/neighbourhood, the section of
entity pages) on the analytics fixture: every expected node and edge is worked out by hand from the
fixture's README (who is a member of what, who takes part in which project).

members.csv and labs.csv are public sources; the Wagralim and BioWin files (pole members, projects,
participants) restricted: an anonymous caller sees cluster memberships and lab institutions only.
"""

from __future__ import annotations

import io

import pytest
from named_support import BIOWIN, DATALYS, FICTIVE, ID, LAB_IMAGE, Api, api_over, load_analytics

from api.neighbourhood import graph_json
from graph.sources import Sources
from graph.store import EmbeddedStore
from queries.neighbourhood import neighbourhood

CLUSTER = f"{ID}cluster/ict-wallonia"
IMAGIA, YEASTOMICS = f"{ID}project/biowin-bw-2020-01", f"{ID}project/biowin-bw-2022-02"  # B1, B2
OPTIFRUIT, BIOSIM = f"{ID}project/wagralim-wg-2019-01", f"{ID}project/biowin-bw-2025-04"  # W1, B4
UCLOUVAIN = f"{ID}org/inst-uclouvain"
URL = "/api/v1/entities/neighbourhood"


@pytest.fixture(scope="module")
def api(system_dump: bytes) -> Api:
    store = EmbeddedStore.in_memory()
    store.restore(io.BytesIO(system_dump))
    return api_over(load_analytics(Sources(store, "http://example.org/")))


def graph(api: Api, iri: str, *, read: bool = False, depth: int = 1, lang: str = "en") -> dict:
    answer = api.get(URL, read=read, params={"iri": iri, "depth": depth}, headers={"Accept-Language": lang})
    assert answer.status_code == 200, answer.text
    return answer.json()


def nodes(found: dict) -> set[tuple[str, str, int]]:
    return {(n["id"], n["kind"], n["depth"]) for n in found["nodes"]}


def edges(found: dict) -> set[tuple[str, str, str]]:
    return {(e["source"], e["target"], e["relation"]) for e in found["edges"]}


def test_a_firm_its_poles_and_projects(api: Api) -> None:
    # Datalys (M2): a cluster member, a BioWin member, partner of IMAGIA (B1) and coordinator of YEASTOMICS
    # (B2), both labelled by BioWin: the two projects are linked to the pole too
    found = graph(api, DATALYS, read=True)
    assert found["nodes"][0]["id"] == DATALYS and found["nodes"][0]["depth"] == 0
    assert nodes(found) == {(DATALYS, "company", 0), (CLUSTER, "cluster", 1), (BIOWIN, "pole", 1),
                            (IMAGIA, "project", 1), (YEASTOMICS, "project", 1)}
    assert edges(found) == {
        (DATALYS, CLUSTER, "member_of"), (DATALYS, BIOWIN, "member_of"), (DATALYS, IMAGIA, "participates_in"),
        (DATALYS, YEASTOMICS, "participates_in"), (IMAGIA, BIOWIN, "labelled_by"), (YEASTOMICS, BIOWIN, "labelled_by")}
    assert (found["capped"], found["note"]) == (False, "5 nodes, 6 links.")
    by_id = {n["id"]: n for n in found["nodes"]}
    # a project by its acronym, its title kept; the pages of IRIs minted here
    assert (by_id[IMAGIA]["label"], by_id[IMAGIA]["title"]) == ("IMAGIA", "Imagerie médicale assistée par IA")
    assert by_id[BIOWIN]["page"] == "/id/pole/biowin"


def test_anonymous_callers_see_the_public_sources_only(api: Api) -> None:
    found = graph(api, DATALYS)  # BioWin's lists are restricted: the cluster membership alone
    assert nodes(found) == {(DATALYS, "company", 0), (CLUSTER, "cluster", 1)}
    assert edges(found) == {(DATALYS, CLUSTER, "member_of")}
    assert api.get(URL, params={"iri": IMAGIA}).status_code == 404  # a project only BioWin's list knows


def test_a_lab_its_institution_and_projects_in_french(api: Api) -> None:
    # UCL-IMAGE: a unit of UCLouvain (labs.csv), partner of OPTIFRUIT (W1), IMAGIA (B1) and BIOSIM (B4)
    found = graph(api, LAB_IMAGE, read=True, lang="fr")
    assert nodes(found) == {(LAB_IMAGE, "lab", 0), (UCLOUVAIN, "institution", 1), (OPTIFRUIT, "project", 1),
                            (IMAGIA, "project", 1), (BIOSIM, "project", 1)}
    assert (LAB_IMAGE, UCLOUVAIN, "unit_of") in edges(found)  # from the lab to its institution
    assert len(found["edges"]) == 4 and found["note"] == "5 nœuds, 4 liens."


def test_two_links_away(api: Api) -> None:
    # Fictive Vision (M1): the cluster and OPTIFRUIT (W1); then the cluster's 7 other members, OPTIFRUIT's
    # coordinator Fromagerie du Plateau, its lab UCL-IMAGE and its pole Wagralim
    found = graph(api, FICTIVE, read=True, depth=2)
    assert [n["depth"] for n in found["nodes"]] == [0, 1, 1, *[2] * 10]
    assert {n["id"] for n in found["nodes"] if n["depth"] == 2} >= {DATALYS, LAB_IMAGE, f"{ID}pole/wagralim"}


def test_a_large_neighbourhood_is_capped_nearest_and_groups_first(api: Api) -> None:
    sources: Sources = api.client.app.state.sources  # type: ignore[attr-defined]
    # the cluster's 8 members are its neighbours; with room for 3 nodes: the cluster and the two smallest IRIs
    found = neighbourhood(sources, CLUSTER, depth=1, restricted=True, cap=3)
    assert found is not None and found.capped
    assert [n.iri for n in found.nodes] == [CLUSTER, FICTIVE, DATALYS]
    assert graph_json(found, base=sources.base, lang="en").note.startswith("More than 3 nodes lie within 1 link(s)")
    # Datalys at depth 1 with room for 3: poles and clusters before projects
    found = neighbourhood(sources, DATALYS, depth=1, restricted=True, cap=3)
    assert found is not None and [n.iri for n in found.nodes] == [DATALYS, CLUSTER, BIOWIN]
    assert {(e.source, e.target) for e in found.edges} == {(DATALYS, CLUSTER), (DATALYS, BIOWIN)}


@pytest.mark.parametrize(("params", "status"), [
    ({"iri": f"{ID}org/be-0999999999"}, 404),  # no such firm
    ({"iri": "not an iri"}, 422),
    ({"iri": DATALYS, "depth": 3}, 422),
    ({"iri": DATALYS, "depth": 0}, 422),
])
def test_what_is_not_answered(api: Api, params: dict, status: int) -> None:
    assert api.get(URL, params=params, read=True).status_code == status


def test_the_page_of_a_firm_holds_the_view_and_that_of_a_municipality_does_not(api: Api) -> None:
    page = api.get("/id/org/be-0450222233", headers={"Accept": "text/html", "Accept-Language": "fr"}).text
    assert '<div id="neighbourhood-graph"' in page and "<h2 id=\"neighbourhood-title\">Voisinage</h2>" in page
    assert 'data-src="/api/v1/entities/neighbourhood?iri=http%3A%2F%2Fexample.org%2Fid%2Forg%2Fbe-0450222233"' in page
    assert '<script src="/static/cytoscape/cytoscape.min.js?v=' in page
    place = api.get("/id/municipality/62063", headers={"Accept": "text/html"}).text  # Liège: no such links
    assert 'id="neighbourhood"' not in place and "<script" not in place


@pytest.mark.parametrize(("path", "starts"), [("/static/cytoscape/cytoscape.min.js", b"/**"),
                                              ("/static/cytoscape/LICENSE", b"Copyright (c) 2016"),
                                              ("/static/entity/neighbourhood.js", b"// The neighbourhood view")])
def test_the_scripts_are_served_from_here(api: Api, path: str, starts: bytes) -> None:
    answer = api.get(path)
    assert answer.status_code == 200 and answer.content.startswith(starts)
    assert "max-age=31536000" in answer.headers["cache-control"]


@pytest.mark.parametrize("path", ["/static/cytoscape/README.md", "/static/entity/..%2Fyasgui%2FLICENSE",
                                  "/static/cytoscape/cytoscape.cjs.js"])
def test_nothing_else_is_served(api: Api, path: str) -> None:
    assert api.get(path).status_code == 404
