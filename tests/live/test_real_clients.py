"""A running `ecokg serve` answered by the clients analysts and partner tools use: SPARQLWrapper, rdflib's
SPARQLStore, and httpx for the JSON API. Expected figures from tests/data/analytics/README.md: 8 member firms
are public; the pole files (restricted) add 5 firms and the 8 projects."""

from __future__ import annotations

import httpx
import rdflib
from rdflib.plugins.stores.sparqlstore import SPARQLStore
from server import Live
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

ECO = "https://w3id.org/ecokg/def#"
COUNT = f"PREFIX eco: <{ECO}> SELECT (COUNT(DISTINCT ?c) AS ?n) WHERE {{ ?c a eco:%s }}"


def count_with_sparqlwrapper(live: Live, cls: str, key: str | None = None) -> int:
    client = SPARQLWrapper(f"{live.url}/sparql")
    client.setQuery(COUNT % cls)
    client.setReturnFormat(JSON)
    if key:
        client.addCustomHttpHeader("Authorization", f"Bearer {key}")
    answer = client.query().convert()
    return int(answer["results"]["bindings"][0]["n"]["value"])  # type: ignore[index,call-overload]


def test_sparqlwrapper_sees_public_sources_anonymously_and_all_with_a_read_key(live: Live) -> None:
    assert count_with_sparqlwrapper(live, "Company") == 8
    assert count_with_sparqlwrapper(live, "Project") == 0
    assert count_with_sparqlwrapper(live, "Company", live.reader_key) == 13
    assert count_with_sparqlwrapper(live, "Project", live.reader_key) == 8


def test_sparqlwrapper_construct_as_turtle(live: Live) -> None:
    client = SPARQLWrapper(f"{live.url}/sparql")
    client.setQuery(f"PREFIX eco: <{ECO}> CONSTRUCT {{ ?l a eco:ResearchLab }} WHERE {{ ?l a eco:ResearchLab }}")
    client.setReturnFormat(TURTLE)
    graph = rdflib.Graph().parse(data=client.query().convert(), format="turtle")  # type: ignore[arg-type]
    assert len(graph) == 5  # the five labs of labs.csv
    assert set(graph.objects()) == {rdflib.URIRef(f"{ECO}ResearchLab")}


def test_rdflib_sparqlstore_queries_the_endpoint(live: Live) -> None:
    graph = rdflib.Graph(store=SPARQLStore(f"{live.url}/sparql", returnFormat="json"))
    rows = list(graph.query(
        f"PREFIX eco: <{ECO}> PREFIX rov: <http://www.w3.org/ns/regorg#> "
        "SELECT ?name WHERE { ?c a eco:Company ; rov:legalName ?name } ORDER BY ?name"))
    names = [str(r[0]) for r in rows]  # type: ignore[index]
    assert len(names) == 8
    assert "Wavre Web SRL" in names and "Liège Data SRL" in names
    assert "Pharmalys Essai SA" not in names  # a BioWin (restricted) firm


def test_json_api_with_httpx(live: Live) -> None:
    anonymous = httpx.get(f"{live.url}/api/v1/stats").json()
    assert anonymous["entities"]["Company"] == 8
    assert "pole-biowin" not in anonymous["sources"]
    partner = httpx.get(f"{live.url}/api/v1/stats", headers=live.auth(live.reader_key)).json()
    assert partner["entities"]["Company"] == 13
    assert partner["sources"]["pole-biowin"]["access"] == "restricted"
    assert httpx.get(f"{live.url}/api/v1/stats", headers=live.auth("not-a-key")).status_code == 403


def test_every_answer_carries_a_request_id(live: Live) -> None:
    given = httpx.get(f"{live.url}/health", headers={"X-Request-ID": "trace-42"})
    assert given.headers["x-request-id"] == "trace-42"
    made = httpx.get(f"{live.url}/health", headers={"X-Request-ID": "bad id with spaces"})
    assert len(made.headers["x-request-id"]) == 32 and " " not in made.headers["x-request-id"]
