"""The SPARQL 1.1 Protocol endpoint (/sparql), driven through the app.

Data, and what the expectations are worked out from:
- the bundled model: ontology/reference.ttl's six competitiveness poles (POLES below: label, CORDIS PIC; MecaTech
  has none), each with a French and an English description;
- tests/data/analytics/members.csv (eight cluster members, public), reloaded from tests/data/sparql/members-v2.csv
  (its first two firms) with the superseded version left in the store, so that Wavre Web lives only there; and a
  version graph written but never committed (members/v99), as a killed load leaves it;
- tests/data/analytics/wagralim-*.csv, a pole's files (restricted): projects WG-2019-01, WG-2021-02, WG-2023-03
  and WG-2024-04.
"""

from __future__ import annotations

import csv
import gc
import io
import json
import socket
import threading
import time
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from fastapi.testclient import TestClient
from httpx import Response
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import RDF, SKOS

from api.access import new_key
from api.app import create_app
from graph.config import ApiKey, Settings
from graph.sources import Sources
from graph.store import EmbeddedStore
from loaders.run import load

BASE = "http://example.org/"
DATA = Path(__file__).parents[1] / "data"
ANALYTICS = DATA / "analytics"
ENDPOINT = "http://testserver/sparql"

READ_SECRET, READ_DIGEST = new_key()
WRITE_SECRET, WRITE_DIGEST = new_key()
ANONYMOUS: dict[str, str] = {}
READ_KEY = {"Authorization": f"Bearer {READ_SECRET}"}
WRITE_ONLY_KEY = {"X-API-Key": WRITE_SECRET}

RESULTS_JSON, RESULTS_XML = "application/sparql-results+json", "application/sparql-results+xml"
CSV, TSV = "text/csv", "text/tab-separated-values"
SPARQL_RESULTS = "{http://www.w3.org/2005/sparql-results#}"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
XSD_STRING, XSD_INTEGER = "http://www.w3.org/2001/XMLSchema#string", "http://www.w3.org/2001/XMLSchema#integer"
ECO, SD, T = (Namespace("https://w3id.org/ecokg/def#"), Namespace("http://www.w3.org/ns/sparql-service-description#"),
              Namespace("http://example.org/test#"))

POLES = {  # slug: (skos:prefLabel, eco:pic), from ontology/reference.ttl
    "biowin": ("BioWin", "993523956"), "greenwin": ("Greenwin", "954501826"),
    "logistics-in-wallonia": ("Logistics in Wallonia", "963728466"), "mecatech": ("MecaTech", None),
    "skywin": ("Skywin", "966222433"), "wagralim": ("Wagralim", "959172473"),
}
BY_SLUG = sorted(POLES)  # biowin, greenwin, logistics-in-wallonia, mecatech, ...
BY_LABEL = sorted(POLES, key=lambda slug: POLES[slug][0])  # BioWin, Greenwin, Logistics..., MecaTech, Skywin, ...
SYSTEM_GRAPHS = {f"{BASE}graph/{name}/v1" for name in ("ontology", "taxonomy", "euroscivoc", "reference", "geography")}
META = f"{BASE}graph/meta"
MEMBERS, MEMBERS_V1, MEMBERS_V2 = (f"{BASE}graph/source/members{v}" for v in ("", "/v1", "/v2"))
UNCOMMITTED = f"{BASE}graph/source/members/v99"
WAGRALIM, WAGRALIM_V1 = f"{BASE}graph/source/pole-wagralim", f"{BASE}graph/source/pole-wagralim/v1"
FICTIVE_VISION, WAVRE_WEB = f"{BASE}id/org/be-0450111177", f"{BASE}id/org/be-0450555595"
HIDDEN = "http://example.org/x"
PROJECTS = {f"{BASE}id/project/wagralim-wg-{n}" for n in ("2019-01", "2021-02", "2023-03", "2024-04")}


def pole(slug: str) -> str:
    return f"{BASE}id/pole/{slug}"


def app_client(sources: Sources, *, max_rows: int = 10_000, raise_server_exceptions: bool = True) -> TestClient:
    keys = [ApiKey(name="partner", sha256=READ_DIGEST, scopes=frozenset({"read"})),
            ApiKey(name="uploader", sha256=WRITE_DIGEST, scopes=frozenset({"write"}))]
    app = create_app(sources, url="http://testserver", settings=Settings(max_rows=max_rows, api_keys=keys))
    return TestClient(app, raise_server_exceptions=raise_server_exceptions)


@pytest.fixture(scope="module")
def eco(system_dump: bytes) -> Sources:
    """The bundled model; members loaded, then reloaded with two firms while the old version is kept (as a load
    killed before dropping it would leave it); a version written and never committed; a restricted pole.
    Built once for the module: no test here writes (the endpoint cannot)."""
    store = EmbeddedStore.in_memory()
    store.restore(io.BytesIO(system_dump))
    sources = Sources(store, BASE)
    load(sources, "members", [ANALYTICS / "members.csv"])
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "drop_graph", lambda graph: None)
        load(sources, "members", [DATA / "sparql" / "members-v2.csv"])
    store.bulk_add(ox.NamedNode(UNCOMMITTED), [f'<{HIDDEN}> <http://example.org/p> "hidden" .\n'.encode()])
    load(sources, "poles", sorted(ANALYTICS.glob("wagralim-*.csv")), pole="wagralim")
    # what the tests hide is really there
    assert sources.current()["members"].graph.value == MEMBERS_V2
    assert sources.current()["pole-wagralim"].access == "restricted"
    assert list(store.quads(ox.NamedNode(MEMBERS_V1), ox.NamedNode(WAVRE_WEB)))
    assert list(store.quads(ox.NamedNode(UNCOMMITTED), ox.NamedNode(HIDDEN)))
    return sources


@pytest.fixture(scope="module")
def client(eco: Sources) -> TestClient:
    return app_client(eco)


@pytest.fixture(scope="module")
def capped(eco: Sources) -> TestClient:
    """At most two rows (or triples) an answer."""
    return app_client(eco, max_rows=2)


def get(client: TestClient, query: str, accept: str | None = None, headers: dict[str, str] | None = None,
        **graphs: str) -> Response:
    """GET /sparql; `graphs` are protocol parameters with '_' for '-' (default_graph_uri=...)."""
    params = [("query", query), *((k.replace("_", "-"), v) for k, v in graphs.items())]
    return client.get("/sparql", params=params, headers={**(headers or {}), **({"Accept": accept} if accept else {})})


def bindings(response: Response) -> list[dict[str, str]]:
    """A SELECT's rows as {variable: value}, from its SPARQL JSON answer."""
    assert response.status_code == 200, response.text
    return [{v: b["value"] for v, b in row.items()} for row in response.json()["results"]["bindings"]]


# -- parsing every results format back, into one shape: {variable: term or None} -------------------
Term = tuple[str, ...] | tuple[str, str, str | None, str | None] | None  # (kind, value[, datatype, language])


def simple(datatype: str | None) -> str | None:
    """xsd:string, written or not, is a simple literal's datatype (RDF 1.1): both read as None."""
    return None if datatype == XSD_STRING else datatype


def from_json(body: bytes) -> tuple[list[str], list[dict[str, Term]]]:
    doc = json.loads(body)

    def term(t: dict[str, str]) -> Term:
        if t["type"] == "literal":
            return ("literal", t["value"], simple(t.get("datatype")), t.get("xml:lang"))
        return (t["type"], t["value"])

    variables = doc["head"]["vars"]
    return variables, [{v: term(row[v]) if v in row else None for v in variables} for row in doc["results"]["bindings"]]


def from_xml(body: bytes) -> tuple[list[str], list[dict[str, Term]]]:
    root = ET.fromstring(body)
    variables = [str(v.get("name")) for v in root.iter(f"{SPARQL_RESULTS}variable")]
    rows = []
    for result in root.iter(f"{SPARQL_RESULTS}result"):
        row: dict[str, Term] = dict.fromkeys(variables)
        for binding in result.findall(f"{SPARQL_RESULTS}binding"):
            (element,) = list(binding)
            kind = element.tag.removeprefix(SPARQL_RESULTS)
            text = element.text or ""
            row[str(binding.get("name"))] = (("literal", text, simple(element.get("datatype")), element.get(XML_LANG))
                                             if kind == "literal" else (kind, text))
        rows.append(row)
    return variables, rows


def from_tsv(body: bytes) -> tuple[list[str], list[dict[str, Term]]]:
    """TSV writes terms in their N-Triples form; pyoxigraph reads them back as terms."""
    solutions = ox.parse_query_results(body, ox.QueryResultsFormat.TSV)
    assert isinstance(solutions, ox.QuerySolutions)
    variables = [v.value for v in solutions.variables]

    def term(t: Any) -> Term:
        if t is None:
            return None
        if isinstance(t, ox.Literal):
            return ("literal", t.value, None if t.language else simple(t.datatype.value), t.language)
        return ("uri" if isinstance(t, ox.NamedNode) else "bnode", t.value)

    return variables, [{v: term(s[v]) for v in variables} for s in solutions]


def from_csv(body: bytes) -> tuple[list[str], list[dict[str, str | None]]]:
    """CSV keeps values only; an unbound variable is an empty field (read as None)."""
    header, *lines = list(csv.reader(io.StringIO(body.decode("utf-8"), newline="")))
    return header, [{v: value or None for v, value in zip(header, line, strict=True)} for line in lines]


READERS = {RESULTS_JSON: from_json, RESULTS_XML: from_xml, TSV: from_tsv}


# -- the protocol: three ways to send a query ------------------------------------------------------
POLE_LABELS = "SELECT ?pole ?label WHERE { ?pole a eco:CompetitivenessPole ; skos:prefLabel ?label } ORDER BY ?label"
POLES_BY_GRAPH = "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?pole a eco:CompetitivenessPole } } GROUP BY ?g"
REFERENCE, TAXONOMY = f"{BASE}graph/reference", f"{BASE}graph/taxonomy"


@pytest.mark.parametrize(("param", "query", "graph", "expected"), [
    ("default-graph-uri", POLE_LABELS, REFERENCE, [{"pole": pole(s), "label": POLES[s][0]} for s in BY_LABEL]),
    ("default-graph-uri", POLE_LABELS, TAXONOMY, []),  # the poles are not there: the parameter was read
    ("named-graph-uri", POLES_BY_GRAPH, REFERENCE, [{"g": f"{REFERENCE}/v1", "n": "6"}]),
    ("named-graph-uri", POLES_BY_GRAPH, TAXONOMY, []),
])
def test_get_post_form_and_post_direct_give_the_same_answer(client: TestClient, param: str, query: str, graph: str,
                                                            expected: list[dict[str, str]]) -> None:
    """The graph parameters travel with the query: in the URL, in the form, or in the URL of a direct POST."""
    by_get = client.get("/sparql", params={"query": query, param: graph})
    by_form = client.post("/sparql", data={"query": query, param: graph})
    direct = client.post("/sparql", params={param: graph}, content=query.encode(),
                         headers={"Content-Type": "application/sparql-query"})
    assert bindings(by_get) == bindings(by_form) == bindings(direct) == expected
    assert by_get.content == by_form.content == direct.content


@pytest.mark.parametrize(("method", "kwargs", "status"), [
    ("post", {"data": {"default-graph-uri": REFERENCE}}, 400),  # no query
    ("post", {"content": b"", "headers": {"Content-Type": "application/sparql-query"}, "params": {"x": "1"}}, 400),
    ("get", {"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400),  # two queries
    ("post", {"params": {"query": "ASK {}"}, "content": b"ASK {}",
              "headers": {"Content-Type": "application/sparql-query"}}, 400),
    ("post", {"content": b"ASK {}", "headers": {"Content-Type": "text/plain"}}, 415),
])
def test_protocol_mistakes_are_answered_with_a_reason(client: TestClient, method: str, kwargs: dict[str, Any],
                                                      status: int) -> None:
    response = getattr(client, method)("/sparql", **kwargs)
    assert response.status_code == status
    assert response.json()["detail"]


# -- SELECT and ASK in every results format ----------------------------------------------------------
POLE_TERMS = """SELECT ?pole ?label ?pic ?fr ?length ?node WHERE {
  ?pole a eco:CompetitivenessPole ; skos:prefLabel ?label .
  OPTIONAL { ?pole eco:pic ?pic }
  BIND(STRLANG(?label, "fr") AS ?fr) BIND(STRLEN(?label) AS ?length) BIND(BNODE() AS ?node)
} ORDER BY ?label"""
POLE_VARIABLES = ["pole", "label", "pic", "fr", "length", "node"]


def expected_pole_terms() -> list[dict[str, Term]]:
    """By hand: an IRI, a plain string, a string or nothing (MecaTech), a French literal, an integer."""
    return [{"pole": ("uri", pole(slug)), "label": ("literal", label, None, None),
             "pic": None if pic is None else ("literal", pic, None, None), "fr": ("literal", label, None, "fr"),
             "length": ("literal", str(len(label)), XSD_INTEGER, None), "node": ("bnode",)}
            for slug in BY_LABEL for label, pic in [POLES[slug]]]


@pytest.mark.parametrize("media", [RESULTS_JSON, RESULTS_XML, TSV])
def test_select_terms_survive_each_format(client: TestClient, media: str) -> None:
    response = get(client, POLE_TERMS, media)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    variables, rows = READERS[media](response.content)
    assert variables == POLE_VARIABLES
    nodes = [row["node"] for row in rows]
    assert all(n is not None and n[0] == "bnode" and n[1] for n in nodes)
    assert len(set(nodes)) == 6  # a fresh blank node per row
    assert [{**row, "node": ("bnode",)} for row in rows] == expected_pole_terms()


def test_select_values_in_csv(client: TestClient) -> None:
    response = get(client, POLE_TERMS, CSV)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(CSV)
    assert response.content.count(b"\r\n") == 7  # header and six rows, lines ended as RFC 4180 says
    header, rows = from_csv(response.content)
    assert header == POLE_VARIABLES
    assert all(str(row["node"]).startswith("_:") for row in rows)
    assert len({row["node"] for row in rows}) == 6
    assert [{**row, "node": None} for row in rows] == [
        {"pole": pole(slug), "label": label, "pic": pic, "fr": label, "length": str(len(label)), "node": None}
        for slug in BY_LABEL for label, pic in [POLES[slug]]]


TRICKY = 'Pôle <&> "quoted", comma\ttab\nline \\ end'
TRICKY_QUERY = r"""SELECT ?text ?iri WHERE {
  BIND("Pôle <&> \"quoted\", comma\ttab\nline \\ end"@fr-be AS ?text) BIND(<http://example.org/a?b=1&c=2> AS ?iri) }"""


@pytest.mark.parametrize("media", [RESULTS_JSON, RESULTS_XML, TSV])
def test_characters_that_each_format_must_escape(client: TestClient, media: str) -> None:
    _, rows = READERS[media](get(client, TRICKY_QUERY, media).content)
    assert rows == [{"text": ("literal", TRICKY, None, "fr-be"), "iri": ("uri", "http://example.org/a?b=1&c=2")}]


def test_characters_that_csv_must_quote(client: TestClient) -> None:
    _, rows = from_csv(get(client, TRICKY_QUERY, CSV).content)
    assert rows == [{"text": TRICKY, "iri": "http://example.org/a?b=1&c=2"}]


@pytest.mark.parametrize(("query", "answer"), [
    (f'ASK {{ <{BASE}id/pole/biowin> eco:pic "993523956" }}', True),
    (f"ASK {{ <{BASE}id/pole/mecatech> eco:pic ?pic }}", False),  # MecaTech has no PIC
])
def test_ask_in_json_and_xml(client: TestClient, query: str, answer: bool) -> None:
    as_json = get(client, query, RESULTS_JSON)
    assert as_json.headers["content-type"].startswith(RESULTS_JSON)
    assert as_json.json()["boolean"] is answer
    assert "results" not in as_json.json()
    as_xml = get(client, query, RESULTS_XML)
    assert as_xml.headers["content-type"].startswith(RESULTS_XML)
    root = ET.fromstring(as_xml.content)
    assert root.tag == f"{SPARQL_RESULTS}sparql"
    assert root.findtext(f"{SPARQL_RESULTS}boolean") == ("true" if answer else "false")
    assert root.find(f"{SPARQL_RESULTS}results") is None
    assert bool(ox.parse_query_results(as_json.content, ox.QueryResultsFormat.JSON)) is answer
    assert bool(ox.parse_query_results(as_xml.content, ox.QueryResultsFormat.XML)) is answer


# -- CONSTRUCT and DESCRIBE in every RDF format ----------------------------------------------------
GRAPH_FORMATS = [("text/turtle", "turtle"), ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
                 ("application/rdf+xml", "xml")]
POLE_GRAPH = """PREFIX t: <http://example.org/test#>
CONSTRUCT { ?pole skos:prefLabel ?label ; eco:pic ?pic ; t:fr ?fr ; t:length ?length ;
                t:about [ skos:prefLabel ?label ] }
WHERE { ?pole a eco:CompetitivenessPole ; skos:prefLabel ?label OPTIONAL { ?pole eco:pic ?pic }
        BIND(STRLANG(?label, "fr") AS ?fr) BIND(STRLEN(?label) AS ?length) }"""


def expected_pole_graph() -> Graph:
    g = Graph()
    for slug, (label, pic) in POLES.items():
        node, about = URIRef(pole(slug)), BNode()
        g.add((node, SKOS.prefLabel, Literal(label)))
        g.add((node, T.fr, Literal(label, lang="fr")))
        g.add((node, T.length, Literal(str(len(label)), datatype=URIRef(XSD_INTEGER))))
        g.add((node, T.about, about))
        g.add((about, SKOS.prefLabel, Literal(label)))
        if pic is not None:
            g.add((node, ECO.pic, Literal(pic)))
    return g


def expected_mecatech() -> Graph:
    """Every statement of ontology/reference.ttl about MecaTech (its description: there, in French and English)."""
    g, node = Graph(), URIRef(pole("mecatech"))
    for p, o in [
        (RDF.type, ECO.CompetitivenessPole), (RDF.type, URIRef("http://www.w3.org/ns/org#FormalOrganization")),
        (SKOS.prefLabel, Literal("MecaTech")), (SKOS.altLabel, Literal("Pôle MecaTech")),
        (ECO.domain, URIRef("https://w3id.org/ecokg/sector/mechanical-engineering")),
        (URIRef("https://schema.org/url"), URIRef("https://www.polemecatech.be")),
        (URIRef("http://purl.org/dc/terms/description"), Literal(
            "Pôle de compétitivité du génie mécanique et de l'industrie manufacturière : procédés de fabrication, "
            "matériaux, machines et usine du futur.", lang="fr")),
        (URIRef("http://purl.org/dc/terms/description"), Literal(
            "Competitiveness pole for mechanical engineering and manufacturing: production processes, materials, "
            "machinery and the factory of the future.", lang="en")),
    ]:
        g.add((node, p, o))
    return g


@pytest.mark.parametrize(("media", "rdflib_format"), GRAPH_FORMATS)
@pytest.mark.parametrize(("query", "expected"), [
    (POLE_GRAPH, expected_pole_graph()),
    (f"DESCRIBE <{BASE}id/pole/mecatech>", expected_mecatech()),
], ids=["construct", "describe"])
def test_graph_answers_in_each_rdf_format(client: TestClient, media: str, rdflib_format: str, query: str,
                                          expected: Graph) -> None:
    response = get(client, query, media)
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith(media)
    got = Graph().parse(data=response.content, format=rdflib_format)
    assert len(got) == len(expected)  # 35 triples (6 x 5 + 5 PICs) for the CONSTRUCT, 8 for the DESCRIBE
    assert isomorphic(got, expected)


# -- negotiation -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("query", "accept"), [
    (POLE_LABELS, "image/png"),
    (POLE_LABELS, "text/turtle"),  # a SELECT has no RDF answer
    ("ASK {}", "application/ld+json"),
    (POLE_GRAPH, RESULTS_JSON),  # a CONSTRUCT has no results answer
    (POLE_GRAPH, f"{CSV}, image/*"),
    (POLE_GRAPH, "text/turtle;q=0, application/*;q=0"),
])
def test_406_when_no_acceptable_format_exists(client: TestClient, query: str, accept: str) -> None:
    response = get(client, query, accept)
    assert response.status_code == 406
    assert "can answer as" in response.json()["detail"]


def test_default_formats_without_accept(eco: Sources) -> None:
    client = app_client(eco)
    del client.headers["accept"]  # httpx sends Accept: */* unless told otherwise
    select = client.get("/sparql", params={"query": POLE_LABELS})
    assert "accept" not in select.request.headers
    assert select.headers["content-type"].startswith(RESULTS_JSON)
    construct = client.get("/sparql", params={"query": POLE_GRAPH})
    assert construct.headers["content-type"].startswith("text/turtle")
    assert isomorphic(Graph().parse(data=construct.content, format="turtle"), expected_pole_graph())


@pytest.mark.parametrize(("query", "accept", "media"), [
    (POLE_LABELS, "*/*", RESULTS_JSON),
    (POLE_LABELS, f"{RESULTS_JSON};q=0.5, {CSV}", CSV),
    (POLE_LABELS, f"{CSV};q=0.2, {RESULTS_XML};q=0.9, */*;q=0.1", RESULTS_XML),
    (POLE_LABELS, f"text/*, {CSV};q=0", TSV),
    (POLE_LABELS, "application/json", "application/json"),
    (POLE_GRAPH, "text/turtle;q=0.1, application/n-triples;q=0.9", "application/n-triples"),
    (POLE_GRAPH, "application/*", "application/n-triples"),
    (POLE_GRAPH, "text/*;q=0.5, application/rdf+xml", "application/rdf+xml"),
])
def test_q_values_and_wildcards_are_honoured(client: TestClient, query: str, accept: str, media: str) -> None:
    response = get(client, query, accept)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media)


# -- refusals: malformed queries, updates, SERVICE, deep nesting -----------------------------------
@pytest.mark.parametrize("query", ["SELECT * WHERE { ?s ?p }", "ASK { ?s ?p ?o", "SELECT ?x WHERE { ?x a nope:Thing }"])
def test_a_malformed_query_is_400_with_the_parser_message(client: TestClient, query: str) -> None:
    with pytest.raises(SyntaxError) as parser:
        ox.Store().query(query, prefixes={"eco": str(ECO), "skos": str(SKOS)})
    for response in (get(client, query), client.post("/sparql", content=query.encode(),
                                                     headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 400
        assert str(parser.value) in response.json()["detail"]


def test_text_that_is_no_query_is_400(client: TestClient) -> None:
    response = get(client, "HELLO WORLD")
    assert response.status_code == 400
    assert "SELECT, ASK, CONSTRUCT or DESCRIBE" in response.json()["detail"]


UPDATES = [
    ("INSERT DATA { <http://example.org/a> <http://example.org/b> 'c' }", "INSERT"),
    ("DELETE WHERE { ?s ?p ?o }", "DELETE"),
    ("LOAD <http://127.0.0.1:9/data.ttl>", "LOAD"),
    ("CLEAR ALL", "CLEAR"),
    ("DROP ALL", "DROP"),
    ("CREATE GRAPH <http://example.org/g>", "CREATE"),
]


def still_six_poles(client: TestClient) -> None:
    assert len(bindings(get(client, POLE_LABELS))) == 6


@pytest.mark.parametrize(("update", "word"), UPDATES)
def test_updates_sent_as_a_query_are_403(client: TestClient, update: str, word: str) -> None:
    for response in (get(client, update), client.post("/sparql", data={"query": update}),
                     client.post("/sparql", content=update.encode(),
                                 headers={"Content-Type": "application/sparql-query"})):
        assert response.status_code == 403
        assert response.json()["detail"] == f"this endpoint is read-only: {word} (SPARQL Update) is not allowed"
    still_six_poles(client)


def test_the_update_parameter_and_an_update_body_are_403(client: TestClient) -> None:
    for response in (
        client.get("/sparql", params={"update": "DROP ALL"}),
        client.get("/sparql", params={"update": "DROP ALL", "query": POLE_LABELS}),
        client.post("/sparql", data={"update": "DROP ALL"}),
        client.post("/sparql", data={"update": ""}),
        client.post("/sparql", content=b"DROP ALL", headers={"Content-Type": "application/sparql-update"}),
    ):
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]
        assert "SPARQL Update" in response.json()["detail"]
    still_six_poles(client)


class Listener:
    """A TCP port on 127.0.0.1 that counts the connections made to it, closing each at once (so that a
    client that did connect fails fast instead of waiting for an answer)."""

    def __init__(self) -> None:
        self._server = socket.create_server(("127.0.0.1", 0))
        self._server.settimeout(0.02)
        self.port = self._server.getsockname()[1]
        self._connections = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()

    def _serve(self) -> None:
        while not self._stop.is_set():
            self._take()

    def _take(self) -> bool:
        """Accept, close and count one connection; False when none came (in time)."""
        try:
            connection, _ = self._server.accept()
        except (TimeoutError, BlockingIOError):
            return False
        connection.close()
        self._connections += 1
        return True

    def close(self) -> int:
        """Stop, and count the connections made, those still waiting to be accepted included."""
        if not self._stop.is_set():
            self._stop.set()
            self._thread.join()
            self._server.setblocking(False)
            while self._take():
                pass
            self._server.close()
        return self._connections


@pytest.fixture
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


@pytest.mark.parametrize("pattern", [
    "SERVICE <{url}> {{ ?s ?p ?o }}",
    "SERVICE SILENT <{url}> {{ ?s ?p ?o }}",
    "?s ?p ?o . OPTIONAL {{ service <{url}> {{ ?s ?q ?r }} }}",
    "{{ SELECT ?s WHERE {{ SERVICE <{url}> {{ ?s ?p ?o }} }} }}",
])
def test_service_is_refused_with_no_outbound_request(client: TestClient, listener: Listener, pattern: str) -> None:
    query = "SELECT * WHERE { " + pattern.format(url=f"http://127.0.0.1:{listener.port}/sparql") + " }"
    response = get(client, query)
    assert response.status_code == 403
    assert response.json()["detail"] == "federated queries (SERVICE) are not allowed on this endpoint"
    assert listener.close() == 0


@pytest.mark.parametrize("pattern", [
    "LOAD <{url}>",
    "LOAD SILENT <{url}> INTO GRAPH <http://example.org/g>",
    "load <{url}>",
    "PREFIX ex: <http://example.org/>\nLOAD <{url}> INTO GRAPH ex:g",
])
def test_load_is_refused_with_no_outbound_request(client: TestClient, listener: Listener, pattern: str) -> None:
    """LOAD would make the engine fetch a URL: refused (by every way a query or an update can be sent)
    before anything runs, so that no connection reaches the listener."""
    update = pattern.format(url=f"http://127.0.0.1:{listener.port}/data.ttl")
    bodies = [client.post("/sparql", content=update.encode(), headers={"Content-Type": f"application/sparql-{kind}"})
              for kind in ("query", "update")]
    for response in (get(client, update), client.post("/sparql", data={"query": update}),
                     client.get("/sparql", params={"update": update}), client.post("/sparql", data={"update": update}),
                     *bodies):
        assert response.status_code == 403, response.text
        assert "read-only" in response.json()["detail"]
    assert listener.close() == 0
    still_six_poles(client)


def test_the_listener_does_see_a_connection(listener: Listener) -> None:
    """The check above could only pass by blindness if the listener saw nothing; it sees a client."""
    socket.create_connection(("127.0.0.1", listener.port)).close()
    assert listener.close() == 1


@pytest.mark.filterwarnings("ignore::pytest.PytestUnraisableExceptionWarning")  # the failed query's leftovers
def test_service_glued_to_a_dot_makes_no_outbound_request(eco: Sources, listener: Listener) -> None:
    client = app_client(eco, raise_server_exceptions=False)
    query = f"SELECT * WHERE {{ ?s ?p ?o.SERVICE <http://127.0.0.1:{listener.port}/sparql> {{ ?a ?b ?c }} }}"
    response = get(client, query)
    connections = listener.close()
    gc.collect()  # what the failed query left (its solutions, held by a traceback) goes here, not in a later test
    assert (response.status_code, connections) == (403, 0)


def test_keywords_in_strings_iris_comments_and_names_are_no_refusal(client: TestClient) -> None:
    query = """PREFIX ex: <http://example.org/>
    # DROP ALL ; SERVICE <http://127.0.0.1:9/> {}
    SELECT ?word ?long ?service ?drop WHERE {
      BIND("DROP" AS ?word) BIND('''INSERT DATA { <a> <b> <c> } ; LOAD <x>''' AS ?long)
      BIND(ex:drop AS ?service) BIND(<http://example.org/service/clear> AS ?drop) }"""
    assert bindings(get(client, query)) == [{"word": "DROP", "long": "INSERT DATA { <a> <b> <c> } ; LOAD <x>",
                                             "service": "http://example.org/drop",
                                             "drop": "http://example.org/service/clear"}]


@pytest.mark.parametrize("levels", [2_000, 50_000])
@pytest.mark.parametrize(("opening", "closing"), [("{", "}"), ("(", ")")])
def test_deep_nesting_is_400_at_once_and_the_app_still_answers(client: TestClient, levels: int, opening: str,
                                                               closing: str) -> None:
    if opening == "{":
        query = "SELECT * WHERE " + "{" * levels + " ?s ?p ?o " + "}" * levels
    else:
        query = "SELECT * WHERE { FILTER(" + "(" * levels + "true" + ")" * levels + ") }"
    started = time.perf_counter()
    response = client.post("/sparql", data={"query": query})
    assert time.perf_counter() - started < 1
    assert response.status_code == 400
    assert "nested more than" in response.json()["detail"]
    still_six_poles(client)


# -- the row cap -----------------------------------------------------------------------------------
def first_poles(n: int) -> str:
    return f"SELECT ?pole WHERE {{ ?pole a eco:CompetitivenessPole }} ORDER BY ?pole LIMIT {n}"


def test_a_select_beyond_the_cap_is_cut_and_says_so(capped: TestClient) -> None:
    response = get(capped, first_poles(3))
    assert bindings(response) == [{"pole": pole("biowin")}, {"pole": pole("greenwin")}]
    assert response.headers["x-ecokg-truncated"] == "true"
    assert response.json()["ecokg"]["truncated"] is True
    as_csv = get(capped, first_poles(3), CSV)
    assert as_csv.headers["x-ecokg-truncated"] == "true"
    assert from_csv(as_csv.content)[1] == [{"pole": pole("biowin")}, {"pole": pole("greenwin")}]
    as_xml = get(capped, first_poles(3), RESULTS_XML)
    assert as_xml.headers["x-ecokg-truncated"] == "true"
    assert len(from_xml(as_xml.content)[1]) == 2


def test_an_answer_within_the_cap_is_whole_and_says_nothing(capped: TestClient) -> None:
    response = get(capped, first_poles(2))
    assert bindings(response) == [{"pole": pole("biowin")}, {"pole": pole("greenwin")}]
    assert "x-ecokg-truncated" not in response.headers
    assert "ecokg" not in response.json()


@pytest.mark.parametrize(("limit", "truncated"), [(3, True), (2, False)])
def test_construct_triples_are_capped_too(capped: TestClient, limit: int, truncated: bool) -> None:
    query = ("CONSTRUCT { ?pole a eco:CompetitivenessPole } WHERE { ?pole a eco:CompetitivenessPole } "
             f"ORDER BY ?pole LIMIT {limit}")
    response = get(capped, query, "application/n-triples")
    got = Graph().parse(data=response.content, format="nt")
    firsts = {(URIRef(pole(slug)), RDF.type, ECO.CompetitivenessPole) for slug in BY_SLUG[:3]}
    assert len(got) == 2
    assert set(got) <= firsts
    assert ("x-ecokg-truncated" in response.headers) is truncated


# -- the dataset: current, visible versions only ---------------------------------------------------
WAYS = {  # every way a query can name the graphs it reads; PATTERN binds ?o, GRAPH_IRI names one graph
    "default graph": ("SELECT ?o WHERE { PATTERN }", {}),
    "GRAPH ?g": ("SELECT ?o WHERE { GRAPH ?g { PATTERN } }", {}),
    "FROM": ("SELECT ?o FROM <GRAPH_IRI> WHERE { PATTERN }", {}),
    "FROM NAMED": ("SELECT ?o FROM NAMED <GRAPH_IRI> WHERE { GRAPH ?g { PATTERN } }", {}),
    "default-graph-uri": ("SELECT ?o WHERE { PATTERN }", {"default_graph_uri": "GRAPH_IRI"}),
    "named-graph-uri": ("SELECT ?o WHERE { GRAPH ?g { PATTERN } }", {"named_graph_uri": "GRAPH_IRI"}),
}


def everywhere(values: set[str]) -> dict[str, set[str]]:
    return {way: values for way in WAYS}


def seen(client: TestClient, graph: str, pattern: str, headers: dict[str, str]) -> dict[str, set[str]]:
    """The values of ?o in `pattern` through each way of naming `graph`."""
    out = {}
    for way, (template, params) in WAYS.items():
        query = template.replace("PATTERN", pattern).replace("GRAPH_IRI", graph)
        response = get(client, query, headers=headers, **{k: v.replace("GRAPH_IRI", graph) for k, v in params.items()})
        out[way] = {row["o"] for row in bindings(response)}
    return out


@pytest.mark.parametrize("who", [ANONYMOUS, READ_KEY], ids=["anonymous", "read key"])
@pytest.mark.parametrize(("graph", "subject"), [
    (UNCOMMITTED, HIDDEN),  # written, never committed
    (MEMBERS_V1, WAVRE_WEB),  # committed, then superseded by v2
    (MEMBERS, WAVRE_WEB),  # the stable IRI stands for v2, which has no Wavre Web
], ids=["uncommitted", "superseded", "stable-iri"])
def test_versions_that_are_not_current_are_invisible_every_way(client: TestClient, who: dict[str, str], graph: str,
                                                                subject: str) -> None:
    assert seen(client, graph, f"<{subject}> ?p ?o", who) == everywhere(set())


@pytest.mark.parametrize("graph", [MEMBERS_V2, MEMBERS], ids=["version", "stable-iri"])
def test_the_current_version_is_visible_every_way(client: TestClient, graph: str) -> None:
    """The control of the test above: the same ways do see what is current (Fictive Vision is in v2)."""
    names = seen(client, graph, f"<{FICTIVE_VISION}> skos:prefLabel ?o", ANONYMOUS)
    assert names == everywhere({"Fictive Vision SRL"})


@pytest.mark.parametrize(("who", "extra"), [
    (ANONYMOUS, set()),
    (WRITE_ONLY_KEY, set()),  # writing is no right to read restricted sources
    (READ_KEY, {WAGRALIM_V1, META}),
], ids=["anonymous", "write-only key", "read key"])
def test_graph_variable_lists_exactly_the_visible_graphs(client: TestClient, who: dict[str, str],
                                                         extra: set[str]) -> None:
    listed = bindings(get(client, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", headers=who))
    assert {row["g"] for row in listed} == SYSTEM_GRAPHS | {MEMBERS_V2} | extra


def test_stable_iri_in_default_graph_uri_and_from_is_the_current_version(client: TestClient) -> None:
    count = "SELECT (COUNT(DISTINCT ?c) AS ?n) FROM <GRAPH_IRI> WHERE { ?c a eco:Company }"
    for graph, firms in ((MEMBERS, "2"), (MEMBERS_V2, "2"), (f"{BASE}graph/reference", "0")):
        assert bindings(get(client, count.replace("GRAPH_IRI", graph))) == [{"n": firms}]
        by_param = get(client, count.replace("FROM <GRAPH_IRI> ", ""), default_graph_uri=graph)
        assert bindings(by_param) == [{"n": firms}]


# -- access: restricted sources and the meta graph -------------------------------------------------
@pytest.mark.parametrize("graph", [WAGRALIM_V1, WAGRALIM], ids=["version", "stable-iri"])
def test_a_restricted_source_is_seen_only_with_a_read_key(client: TestClient, graph: str) -> None:
    pattern = "?o a eco:Project"
    assert seen(client, graph, pattern, ANONYMOUS) == everywhere(set())
    assert seen(client, graph, pattern, WRITE_ONLY_KEY) == everywhere(set())
    assert seen(client, graph, pattern, READ_KEY) == everywhere(PROJECTS)


def test_an_unknown_key_is_403(client: TestClient) -> None:
    for headers in ({"Authorization": "Bearer not-a-key"}, {"X-API-Key": "not-a-key"}):
        response = get(client, POLE_LABELS, headers=headers)
        assert response.status_code == 403
        assert response.json()["detail"] == "unknown API key"


def test_the_load_records_are_seen_only_with_a_read_key(client: TestClient) -> None:
    """The meta graph says which sources exist (a restricted one included): read keys only."""
    pattern = "?version eco:ofSource ?o"
    assert seen(client, META, pattern, ANONYMOUS) == everywhere(set())
    sources = {f"{BASE}graph/{name}" for name in ("ontology", "taxonomy", "euroscivoc", "reference", "geography")}
    sources |= {MEMBERS, WAGRALIM}
    assert seen(client, META, pattern, READ_KEY) == everywhere(sources)


# -- without a query: service description and editor -----------------------------------------------
@pytest.mark.parametrize(("who", "named"), [
    (ANONYMOUS, SYSTEM_GRAPHS | {MEMBERS_V2}),
    (READ_KEY, SYSTEM_GRAPHS | {MEMBERS_V2, WAGRALIM_V1}),
], ids=["anonymous", "read key"])
@pytest.mark.parametrize("accept", ["text/turtle", None], ids=["turtle", "no-accept"])
def test_service_description(eco: Sources, who: dict[str, str], named: set[str], accept: str | None) -> None:
    client = app_client(eco)
    if accept is None:
        del client.headers["accept"]
    response = client.get("/sparql", headers={**who, **({"Accept": accept} if accept else {})})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/turtle")
    sd = Graph().parse(data=response.content, format="turtle")
    service = URIRef(ENDPOINT)
    assert (service, RDF.type, SD.Service) in sd
    assert (service, SD.endpoint, service) in sd
    assert (service, SD.supportedLanguage, SD.SPARQL11Query) in sd
    formats = {str(f).rsplit("/", 1)[1] for f in sd.objects(service, SD.resultFormat)}
    assert {"SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV", "SPARQL_Results_TSV", "Turtle",
            "N-Triples", "JSON-LD", "RDF_XML"} == formats
    dataset = sd.value(service, SD.defaultDataset)
    assert {str(sd.value(g, SD.name)) for g in sd.objects(dataset, SD.namedGraph)} == named


def test_a_browser_gets_the_editor(client: TestClient) -> None:
    browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
    response = client.get("/sparql", headers={"Accept": browser})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert response.text.startswith("<!doctype html>")
    config = response.text.split('<script type="application/json" id="editor-config">', 1)[1].split("</script>")[0]
    assert json.loads(config)["endpoint"] == ENDPOINT


def test_without_a_query_a_program_asking_for_results_gets_406(client: TestClient) -> None:
    assert client.get("/sparql", headers={"Accept": RESULTS_JSON}).status_code == 406
