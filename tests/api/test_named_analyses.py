"""The typed analyses over HTTP: gaps, collaboration paths, recommendations, network metrics.

Every expectation is worked out by hand from tests/data/analytics/README.md (keys M1..M8, W1..W4, B1..B4 as
there), each for a caller with a read key and for an anonymous one, who sees no pole file: no project, no pole
membership.
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import get_args

import pytest
from named_support import (
    BIOWIN,
    BRIXTEL,
    FICTIVE,
    ID,
    LAB_HPC,
    LAB_IMAGE,
    LIEGE_DATA,
    OPTIFRUIT,
    PHARMALYS,
    TECH,
    WAGRALIM,
    Api,
    api_over,
    load_analytics,
    org,
    problems,
)

from api.models import Relation
from graph.sources import Sources
from loaders.run import load
from queries.paths import RELATIONS


@pytest.fixture
def api(sources: Sources) -> Api:
    return api_over(load_analytics(sources))


# -- gaps ------------------------------------------------------------------------------------------
TECHNOLOGIES = "/api/v1/gaps/technologies"


def test_technology_gap(api: Api) -> None:
    # anonymous: only the members' own needs count (M1 ERP, M2 cybersecurity); supply: M4 offers cybersecurity,
    # M3 ERP; M3 (ERP, e-invoicing), M5 (CRM), M8 (e-invoicing) digital transformation; UMONS-QUANT's post-quantum
    # cryptography is a lab for cybersecurity. Ties on the score (1/2) and demand, then by IRI.
    assert api.json(TECHNOLOGIES)["rows"] == [
        {"technology": f"{TECH}cybersecurity", "label": "cybersecurity", "demand_projects": 0, "demand_firms": 1,
         "supply": 1, "labs": 1, "gap_score": 0.5},
        {"technology": f"{TECH}erp", "label": "enterprise resource planning", "demand_projects": 0,
         "demand_firms": 1, "supply": 1, "labs": 0, "gap_score": 0.5},
        {"technology": f"{TECH}digital-transformation", "label": "digital transformation", "demand_projects": 0,
         "demand_firms": 1, "supply": 3, "labs": 0, "gap_score": 0.25},
    ]
    # with the key, the projects' needs: digital health (B1, B2; firm B1; labs UCL-IMAGE, UNAMUR-DATA) and HPC
    # (W2, B2, B4; lab ULIEGE-HPC) lead with 3 / (0 + 1)
    page = api.json(f"{TECHNOLOGIES}?limit=2", read=True)
    leading = [(r["technology"], r["demand_projects"], r["demand_firms"], r["labs"], r["gap_score"])
               for r in page["rows"]]
    assert leading == [(f"{TECH}digital-health", 2, 1, 2, 3.0), (f"{TECH}high-performance-computing", 3, 0, 1, 3.0)]
    assert page["next"] == "http://testserver/api/v1/gaps/technologies?offset=2&limit=2"
    # only BioWin's demand: HPC by B2 and B4; projects active in 2025 or later: B2 (to 2025-05), B4 (2025-2026)
    for query in ("pole=biowin", "year_from=2025"):
        hpc = next(r for r in api.json(f"{TECHNOLOGIES}?{query}", read=True)["rows"]
                   if r["technology"] == f"{TECH}high-performance-computing")
        assert hpc["demand_projects"] == 2, query
    # no cluster member offers digital health, HPC, bioinformatics, medical imaging AI, digital twin, simulation
    assert len(api.json(f"{TECHNOLOGIES}?max_supply=0", read=True)["rows"]) == 6


def test_technology_gap_parameter_errors(api: Api) -> None:
    assert problems(api.get(f"{TECHNOLOGIES}?region=B")) == [
        (["query", "region"], "parameter 'region' (iri): 'B': not a NUTS code (e.g. BE3, BE32, BE332)")]
    assert problems(api.get(f"{TECHNOLOGIES}?pole=Not a pole"))[0][0] == ["query", "pole"]
    assert problems(api.get(f"{TECHNOLOGIES}?max_supply=-1"))[0][0] == ["query", "max_supply"]


def test_pole_coverage(api: Api) -> None:
    assert api.json("/api/v1/gaps/poles")["rows"] == []  # no project is public
    # README: BioWin 4 projects, 3 with a digital partner (B3 alone is not); Wagralim 4, 2 (W3 and W4 are not)
    assert api.json("/api/v1/gaps/poles?pole=wagralim", read=True)["rows"] == [
        {"pole": WAGRALIM, "pole_label": "Wagralim", "projects": 4, "projects_with_digital_partner": 2,
         "share": 0.5, "projects_needing_digital_without_partner": 1}]
    assert [r["share"] for r in api.json("/api/v1/gaps/poles", read=True)["rows"]] == [0.75, 0.5]


def test_projects_without_digital_partner(api: Api) -> None:
    assert api.json("/api/v1/gaps/projects")["rows"] == []
    # B3 SECUREG (its coordinator alone) and W4 LAITWIN (a lab without expertise); W3 needs nothing
    assert api.json("/api/v1/gaps/projects", read=True)["rows"] == [
        {"project": f"{ID}project/biowin-bw-2024-03", "title": "Registre patients sécurisé", "pole": BIOWIN,
         "pole_label": "BioWin", "technologies": "cybersecurity, e-invoicing"},
        {"project": f"{ID}project/wagralim-wg-2024-04", "title": "Jumeau numérique de la laiterie",
         "pole": WAGRALIM, "pole_label": "Wagralim", "technologies": "digital twin"},
    ]


# -- paths -----------------------------------------------------------------------------------------
PATH = "/api/v1/paths?from=0450.111.177&to=UCL-IMAGE"


def test_a_collaboration_path(api: Api) -> None:
    # M1 and UCL-IMAGE are both partners of W1 OPTIFRUIT (2019-2020). Any other path leaves M1 through W1 and
    # comes back to UCL-IMAGE through B4 (W1 - W1's coordinator - W4 - GEMBLOUX-AGRO - ULiège - ULIEGE-HPC - B4):
    # 8 hops, more than 6
    answer = api.json(PATH, read=True)
    assert (answer["from"], answer["to"], answer["message"]) == (FICTIVE, LAB_IMAGE, None)
    assert answer["paths"] == [{"length": 2, "hops": [
        {"from": FICTIVE, "relation": "participates_in", "to": OPTIFRUIT,
         "via": f"{ID}participation/wagralim-wg-2019-01/be-0450111177", "label": "Tri optique des fruits",
         "start": "2019-01-01", "end": "2020-12-31"},
        {"from": OPTIFRUIT, "relation": "participates_in", "to": LAB_IMAGE,
         "via": f"{ID}participation/wagralim-wg-2019-01/ucl-image", "label": "Laboratoire d'imagerie médicale",
         "start": "2019-01-01", "end": "2020-12-31"}]}]
    # the project is restricted: anonymously there is no path, which is an answer, not an error
    anonymous = api.json(PATH)
    assert anonymous == {"from": FICTIVE, "to": LAB_IMAGE, "paths": [],
                         "message": "no path between 0450.111.177 and UCL-IMAGE within 6 hops"}
    # the only tie ended in 2020; without participations nothing is left
    assert api.json(f"{PATH}&since=2021-01-01", read=True)["paths"] == []
    assert api.json(f"{PATH}&avoid=participates_in&max_length=3", read=True)["message"] == \
        "no path between 0450.111.177 and UCL-IMAGE within 3 hops"


def test_the_api_knows_the_relations_of_the_path_search() -> None:
    assert set(get_args(Relation)) == RELATIONS  # `avoid` is checked against this list before the search runs


def test_path_errors_name_the_parameter(api: Api) -> None:
    ((loc, msg),) = problems(api.get("/api/v1/paths?from=nobody-at-all&to=UCL-IMAGE"))
    assert loc == ["query", "from"] and "nothing in the visible graph is named 'nobody-at-all'" in msg
    assert problems(api.get("/api/v1/paths?from=UCL-IMAGE&to=ucl-image"))[0] == (
        ["query"], f"both ends are {LAB_IMAGE}: give two different actors")
    assert problems(api.get(f"{PATH}&since=2024-01-01&until=2020-01-01"))[0][0] == ["query"]
    for bad in ("avoid=friendship", "k=0", "max_length=11", "since=yesterday"):
        assert problems(api.get(f"{PATH}&{bad}"))[0][0][0] == "query", bad
    assert problems(api.get("/api/v1/paths?from=UCL-IMAGE"))[0][0] == ["query", "to"]


# -- recommendations -------------------------------------------------------------------------------
def test_recommendations_for_a_project(api: Api) -> None:
    # W1 needs image recognition: M7 Liège Data offers it (M1's computer vision and UCL-IMAGE are broader, and
    # both are partners already). M7's only project is W2, beyond 4 hops of W1: 0.5 x 1 + 0 + 0
    (only,) = api.json("/api/v1/recommendations?project=WG-2019-01", read=True)["candidates"]
    assert (only["iri"], only["kind"], only["score"], only["distance"], only["shared_partners"]) == \
        (LIEGE_DATA, "company", 0.5, None, [])
    assert only["technologies"] == [f"{TECH}image-recognition"]
    assert only["reasons"][:2] == ["offers image recognition (needed: image recognition)",
                                   "not connected within 4 hops"]
    # the project is restricted: anonymously it is unknown
    ((loc, msg),) = problems(api.get("/api/v1/recommendations?project=WG-2019-01"))
    assert loc == ["query", "project"] and msg.startswith("unknown project 'WG-2019-01' among public sources")


def test_recommendations_for_a_firm_and_a_technology(api: Api) -> None:
    url = "/api/v1/recommendations?company=0450.222.233&technology=high-performance-computing"
    # only ULIEGE-HPC has HPC. From M2: B1, B2 (1) - Pharmalys, M4, UCL-IMAGE, Institut, M8, UNAMUR-DATA (2) -
    # B4 (3) - ULIEGE-HPC (4). Shared partners (worked with M2 and with ULIEGE-HPC, in B4): Pharmalys (partners
    # in B1 and B4: M2, M4, UCL-IMAGE, Institut, ULIEGE-HPC = 5) and UCL-IMAGE (W1: Fromagerie, M1; B1:
    # Pharmalys, M2, M4, Institut; B4: ULIEGE-HPC = 7). AA = 1/ln 5 + 1/ln 7
    aa = 1 / math.log(5) + 1 / math.log(7)
    (hpc,) = api.json(url, read=True)["candidates"]
    assert (hpc["iri"], hpc["kind"], hpc["distance"]) == (LAB_HPC, "lab", 4)
    assert hpc["shared_partners"] == [LAB_IMAGE, PHARMALYS]
    assert hpc["adamic_adar"] == pytest.approx(aa)
    assert hpc["score"] == pytest.approx(0.5 + 0.3 / 4 + 0.2 * aa / (1 + aa))
    # anonymously M2 is in no project: not connected, nobody shared
    (alone,) = api.json(url)["candidates"]
    assert (alone["iri"], alone["distance"], alone["shared_partners"], alone["score"]) == (LAB_HPC, None, [], 0.5)


def test_recommendation_errors(api: Api) -> None:
    for query in ("", "project=WG-2019-01&company=0450.222.233", "company=0450.222.233"):
        assert problems(api.get(f"/api/v1/recommendations?{query}")) == [
            (["query"], "give project, or company with technology")]
    assert problems(api.get("/api/v1/recommendations?company=0450.222.233&technology=alchemy"))[0][0] == \
        ["query", "technology"]
    assert problems(api.get("/api/v1/recommendations?company=0999.999.999&technology=erp"))[0][0] == \
        ["query", "company"]


# -- network ---------------------------------------------------------------------------------------
def test_centrality(api: Api) -> None:
    # UCL-IMAGE takes part in W1, B1 and B4, with 7 distinct partners: W1-firm, M1; B1-firm, M2, M4, the
    # French institute; ULIEGE-HPC
    def image(read: bool) -> dict[str, object]:
        return next(r for r in api.json("/api/v1/network/centrality?top=1000", read=read) if r["iri"] == LAB_IMAGE)

    assert (image(True)["projects"], image(True)["degree"], image(True)["method"]) == (3, 7, "exact")
    assert (image(False)["projects"], image(False)["degree"], image(False)["betweenness"]) == (0, 0, 0.0)
    assert len(api.json("/api/v1/network/centrality?top=2", read=True)) == 2


def test_communities(api: Api) -> None:
    assert api.json("/api/v1/network/communities") == []  # without projects nobody has a partner
    found = api.json("/api/v1/network/communities", read=True)
    # organisations with a partner: W1 (W1-firm, M1, UCL-IMAGE), W2 (W2-firm, M6, M7, two foreign partners),
    # W3 (W3-firm, Nordic Pack), W4 (+ GEMBLOUX-AGRO), B1 (B1-firm, M2, M4, the French institute), B2 (M8,
    # UNAMUR-DATA), B4 (ULIEGE-HPC): 18; B3's coordinator works alone. W2 and W3 share nobody with the rest: each
    # is a community of its own, connected to Wagralim only
    assert sum(c["size"] for c in found) == 18
    by_members = {frozenset(m["iri"] for m in c["members"]): c for c in found}
    w2 = frozenset({org("0810222291"), org("0450666651"), LIEGE_DATA, f"{ID}org/fr-agro-robotique-sas",
                    f"{ID}org/de-lebensmittel-technik-gmbh"})
    w3 = frozenset({org("0810333347"), f"{ID}org/se-nordic-pack-ab"})
    assert by_members[w2]["dominant_poles"] == [{"iri": WAGRALIM, "label": "Wagralim", "members": 5}]
    assert by_members[w3]["poles"] == [{"iri": WAGRALIM, "label": "Wagralim", "members": 2}]


def test_bridges(sources: Sources, tmp_path: Path) -> None:
    # nobody is connected to two poles in the fixture; make Brixtel (a Wagralim member) a BioWin member too, in
    # a restricted pole file of its own
    load_analytics(sources)
    extra = tmp_path / "biowin-extra.csv"
    extra.write_text("enterprise_number,name,member_since\n0450.333.386,Brixtel Logistique SRL,2022-01-01\n")
    load(sources, "poles", [extra], pole="biowin", source="pole-biowin-extra")
    api = api_over(sources)
    assert api.json("/api/v1/network/bridges") == []
    assert api.json("/api/v1/network/bridges", read=True) == [{
        "rank": 1, "iri": BRIXTEL, "label": "Brixtel Logistique SRL", "kind": "company",
        "poles": [{"iri": BIOWIN, "label": "BioWin", "member": True, "projects": 0},
                  {"iri": WAGRALIM, "label": "Wagralim", "member": True, "projects": 0}],
        "pole_count": 2, "project_poles": 0, "member_poles": 2, "projects": 0}]


# -- caching ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("url", [TECHNOLOGIES, PATH, "/api/v1/recommendations?project=WG-2019-01",
                                 "/api/v1/network/centrality", "/api/v1/network/communities"])
def test_typed_answers_have_etags_per_access_level(api: Api, url: str) -> None:
    keyed = api.get(url, read=True)
    assert keyed.status_code == 200 and keyed.headers["cache-control"] == "private, no-cache"
    assert api.get(url, read=True, headers={"If-None-Match": keyed.headers["etag"]}).status_code == 304
    anonymous = api.get(url, headers={"If-None-Match": keyed.headers["etag"]})
    assert anonymous.status_code in (200, 422) and anonymous.headers.get("etag") != keyed.headers["etag"]

