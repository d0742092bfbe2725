"""Entity pages and search over HTTP (api/entities.py) on the analytics fixture (tests/data/analytics, whose
README tabulates every firm, lab and project): content negotiation, access per source, search ranking.

The base IRI of the test store is http://example.org/, so the path /id/org/be-0450333386 stands for
<http://example.org/id/org/be-0450333386>.
"""

from __future__ import annotations

import io
import json
import re

import pyoxigraph as ox
import pytest
import rdflib
from named_support import BRIXTEL, FICTIVE, ID, LIEGE_DATA, OPTIFRUIT, TECH, WAGRALIM, Api, api_over, load_analytics
from rdflib import RDF, SKOS, Literal, URIRef
from rdflib.compare import isomorphic

from api.neighbourhood import CYTOSCAPE, SCRIPT
from graph.sources import Sources
from graph.store import EmbeddedStore
from queries.entities import document_of

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ECO = rdflib.Namespace("https://w3id.org/ecokg/def#")
ORG = rdflib.Namespace("http://www.w3.org/ns/org#")
FROMAGERIE = f"{ID}org/be-0810111138"
LOADED = ("members", "labs", "pole-wagralim", "pole-biowin")


@pytest.fixture(scope="module")
def api(system_dump: bytes) -> Api:
    """Read-only tests: one app over the fixture for the whole module."""
    store = EmbeddedStore.in_memory()
    store.restore(io.BytesIO(system_dump))
    return api_over(load_analytics(Sources(store, "http://example.org/")))


def path(iri: str) -> str:
    return iri.removeprefix("http://example.org")


def loaded(api: Api, source: str) -> str:
    sources: Sources = api.client.app.state.sources  # type: ignore[attr-defined]
    return sources.current()[source].ended


# -- HTML ------------------------------------------------------------------------------------------
def test_a_company_page_for_a_browser(api: Api) -> None:
    # Brixtel (M3): cluster member (members.csv, public) and Wagralim member (restricted pole file)
    page = api.get(path(BRIXTEL), read=True, headers={"Accept": BROWSER})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "Accept" in [v.strip() for v in page.headers["vary"].split(",")]
    html = page.text
    assert "<title>Brixtel Logistique SRL</title>" in html and "<h1>Brixtel Logistique SRL</h1>" in html
    assert '<span title="https://w3id.org/ecokg/def#Company">company</span>' in html  # its type, by its label
    # its pole, through the membership that refers to it; the cluster likewise
    assert f'<a href="{path(WAGRALIM)}">Wagralim</a>' in html
    assert '<a href="/id/cluster/ict-wallonia">ICT cluster of Wallonia</a>' in html
    # its address is part of the page, and its municipality a link (Gosselies is in Charleroi, NIS 52011)
    assert '<section id="address">' in html and '<a href="/id/municipality/52011">Charleroi</a>' in html
    # the sources it comes from and when they were loaded
    assert f'<time datetime="{loaded(api, "members")}">' in html
    assert f'<time datetime="{loaded(api, "pole-wagralim")}">' in html
    assert '<a href="/graph/source/members/v1">1</a>' in html
    for fmt in ("ttl", "jsonld", "nt"):
        assert f'href="{path(BRIXTEL)}?format={fmt}"' in html
    # its one script, the neighbourhood view (tests/api/test_neighbourhood.py), comes from this server
    assert re.findall(r"<script[^>]*>", html) == [
        f'<script src="{CYTOSCAPE.url("cytoscape.min.js")}">', f'<script src="{SCRIPT.url("neighbourhood.js")}">']
    assert "http://example.org/id/" not in html.replace(f"<code>{BRIXTEL}</code>", "")


def test_the_page_speaks_french_when_asked(api: Api) -> None:
    html = api.get(path(BRIXTEL), headers={"Accept": BROWSER, "Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"}).text
    assert '<html lang="fr">' in html
    assert ">entreprise</span>" in html and "Cluster TIC de Wallonie" in html and "Propriétés" in html
    assert "ICT cluster of Wallonia" not in html


def test_anonymous_readers_see_public_sources_only(api: Api) -> None:
    html = api.get(path(BRIXTEL), headers={"Accept": BROWSER}).text
    assert f'href="{path(WAGRALIM)}"' not in html and "pole-wagralim" not in html
    assert f'<time datetime="{loaded(api, "members")}">' in html
    # Fromagerie du Plateau (W1) and the project OPTIFRUIT are only in Wagralim's restricted files: they do
    # not exist for an anonymous reader (404, not 403), and do with a read key
    for iri in (FROMAGERIE, OPTIFRUIT):
        for accept in (BROWSER, "text/turtle"):
            assert api.get(path(iri), headers={"Accept": accept}).status_code == 404
            assert api.get(path(iri), read=True, headers={"Accept": accept}).status_code == 200
    assert "Tri optique des fruits" in api.get(path(OPTIFRUIT), read=True, headers={"Accept": BROWSER}).text


def test_an_unknown_key_is_refused(api: Api) -> None:
    assert api.get(path(BRIXTEL), headers={"Authorization": "Bearer nope"}).status_code == 403


def test_values_are_escaped(api: Api) -> None:
    # the lab UCL-IMAGE is named "Laboratoire d'imagerie médicale": the apostrophe is escaped in the title
    html = api.get("/id/lab/ucl-image", headers={"Accept": BROWSER}).text
    assert "<title>Laboratoire d&#x27;imagerie médicale</title>" in html
    answer = api.get("/id/<script>", headers={"Accept": BROWSER})
    assert answer.status_code == 404 and "<script>" not in answer.text


# -- RDF -------------------------------------------------------------------------------------------
def graph_of(api: Api, url: str, accept: str, rdf_format: str, **options: object) -> rdflib.Graph:
    answer = api.get(url, headers={"Accept": accept}, **options)  # type: ignore[arg-type]
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith(accept)
    return rdflib.Graph().parse(data=answer.text, format=rdf_format)


def test_turtle_for_a_client(api: Api) -> None:
    g = graph_of(api, path(FICTIVE), "text/turtle", "turtle")
    me = URIRef(FICTIVE)
    # members.csv: Fictive Vision SRL, Liège 4000, offers computer vision and deep learning, needs ERP
    assert (me, SKOS.prefLabel, Literal("Fictive Vision SRL")) in g
    assert (me, RDF.type, ECO.Company) in g
    assert set(g.objects(me, ECO.offers)) == {URIRef(f"{TECH}computer-vision"), URIRef(f"{TECH}deep-learning")}
    assert (URIRef(f"{FICTIVE}#address"), URIRef("http://www.w3.org/ns/locn#postCode"), Literal("4000")) in g
    # the labels of what it links to, and what refers to it
    assert (URIRef(f"{TECH}erp"), SKOS.prefLabel, Literal("enterprise resource planning", lang="en")) in g
    assert (URIRef(f"{ID}membership/be-0450111177/ict-wallonia"), ORG.member, me) in g


def test_json_ld_n_triples_and_rdf_xml_say_the_same(api: Api) -> None:
    turtle = graph_of(api, path(LIEGE_DATA), "text/turtle", "turtle")
    assert len(turtle) > 10
    for accept, rdf_format in (("application/ld+json", "json-ld"), ("application/n-triples", "nt"),
                               ("application/rdf+xml", "xml")):
        assert isomorphic(graph_of(api, path(LIEGE_DATA), accept, rdf_format), turtle)
    json.loads(api.get(path(LIEGE_DATA), headers={"Accept": "application/json"}).text)  # JSON-LD is JSON


def test_format_parameter_overrides_accept_and_406(api: Api) -> None:
    answer = api.get(path(LIEGE_DATA), headers={"Accept": BROWSER}, params={"format": "nt"})
    assert answer.headers["content-type"].startswith("application/n-triples")
    assert api.get(path(LIEGE_DATA), headers={"Accept": "*/*"}).headers["content-type"].startswith("text/turtle")
    refused = api.get(path(LIEGE_DATA), headers={"Accept": "image/png"})
    assert refused.status_code == 406 and "Accept" in refused.headers["vary"]
    assert api.get(path(LIEGE_DATA), params={"format": "pdf"}).status_code == 422


def test_a_fragment_resolves_to_its_document(api: Api) -> None:
    g = graph_of(api, f"{path(LIEGE_DATA)}%23address", "text/turtle", "turtle")
    assert (URIRef(LIEGE_DATA), SKOS.prefLabel, Literal("Liège Data SRL")) in g


# -- the load log ----------------------------------------------------------------------------------
def test_a_source_version_tells_its_load(api: Api) -> None:
    html = api.get("/graph/source/members/v1", headers={"Accept": BROWSER}).text
    # members.csv: 8 rows, read by the load /id/load/members/v1
    assert "members.csv" in html and '<a href="/id/load/members/v1">' in html
    assert ">8<" in html
    assert api.get("/graph/source/pole-wagralim/v1", headers={"Accept": BROWSER}).status_code == 404
    restricted = api.get("/graph/source/pole-wagralim/v1", read=True, headers={"Accept": BROWSER}).text
    assert "wagralim-projects.csv" in restricted


def test_long_lists_are_cut_on_a_page_not_in_rdf(api: Api) -> None:
    # the load of the bundled geography lists every municipality it added: a page shows the first 50
    sources: Sources = api.client.app.state.sources  # type: ignore[attr-defined]
    version = sources.current()["geography"]
    added = sources.change_of(version).added
    assert len(added) > 100
    load = path(version.activity.value)
    assert f"… and {len(added) - 50} more" in api.get(load, headers={"Accept": BROWSER}).text
    g = graph_of(api, load, "text/turtle", "turtle")
    assert len(set(g.objects(None, ECO.addedEntity))) == len(added)


def test_every_iri_minted_under_the_base_resolves(api: Api) -> None:
    # every IRI under the base that the loaded sources name (entities, their fragments, memberships,
    # participations, the municipalities and poles they link to), and every subject of the load log (sources,
    # versions, loads, their files and #changes, agents)
    sources: Sources = api.client.app.state.sources  # type: ignore[attr-defined]
    named = [term for v in sources.current().values() if v.source in LOADED for q in sources.store.quads(v.graph)
             for term in (q.subject, q.object)] + [q.subject for q in sources.store.quads(sources.meta)]
    documents = sorted({document_of(t.value) for t in named
                        if isinstance(t, ox.NamedNode) and t.value.startswith("http://example.org/")})
    assert len(documents) > 100
    failing = [d for d in documents if api.get(path(d), read=True, headers={"Accept": "application/n-triples"})
               .status_code != 200]
    assert failing == []


# -- search ----------------------------------------------------------------------------------------
def test_search_by_name(api: Api) -> None:
    # "liege": Liège Data SRL starts with it (rank 2), Université de Liège has a word starting with it (3)
    answer = api.get("/api/v1/search", params={"q": "liege"})
    hits = answer.json()["hits"]
    assert [(h["label"], h["rank"]) for h in hits] == [("Liège Data SRL", 2), ("Université de Liège", 3)]
    assert hits[0] == {"iri": LIEGE_DATA, "label": "Liège Data SRL", "matched": "Liège Data SRL",
                       "types": ["Company", "Organisation"], "rank": 2, "page": path(LIEGE_DATA)}
    assert api.get(hits[0]["page"]).status_code == 200
    types = api.json("/api/v1/search?q=liege&type=Institution")["hits"]
    assert [h["label"] for h in types] == ["Université de Liège"]


def test_an_accented_query_and_access(api: Api) -> None:
    # PREDILINE (project W2, restricted) is found by "prédiline" with a read key only
    assert api.json("/api/v1/search?q=pr%C3%A9diline")["hits"] == []
    hits = api.json("/api/v1/search?q=pr%C3%A9diline", read=True)["hits"]
    assert [(h["label"], h["matched"], h["types"]) for h in hits] == [
        ("Maintenance prédictive des lignes de production", "PREDILINE", ["Project"])]
    # Fromagerie du Plateau (W1, restricted)
    assert api.json("/api/v1/search?q=fromagerie")["hits"] == []
    assert [h["iri"] for h in api.json("/api/v1/search?q=fromagerie", read=True)["hits"]] == [FROMAGERIE]


def test_search_ranking_by_hand(api: Api) -> None:
    # "win": only inside names: BioWin, Skywin (6 letters, alphabetical), then LAITWIN (W4's acronym, 7),
    # Greenwin (8); "bio": BIOSIM (B4) and BioWin start with it, 6 letters each: alphabetical
    assert [h["matched"] for h in api.json("/api/v1/search?q=win&limit=4", read=True)["hits"]] == [
        "BioWin", "Skywin", "LAITWIN", "Greenwin"]
    assert [(h["matched"], h["rank"]) for h in api.json("/api/v1/search?q=bio", read=True)["hits"]] == [
        ("BIOSIM", 2), ("BioWin", 2)]
    assert [(h["matched"], h["rank"]) for h in api.json("/api/v1/search?q=BIOWIN")["hits"]] == [("BioWin", 1)]


@pytest.mark.parametrize("params", [{"q": ""}, {"q": "   "}, {"q": "x" * 201}, {}, {"q": "a", "limit": 0},
                                    {"q": "a", "type": "Planet"}])
def test_search_refuses_bad_parameters(api: Api, params: dict[str, object]) -> None:
    assert api.get("/api/v1/search", params=params).status_code == 422
