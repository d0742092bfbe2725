"""The SPARQL editor's page and its vendored files (api/editor.py); tests/browser runs it in Chromium."""

from __future__ import annotations

import json
import re

import pyoxigraph as ox
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api.editor import EditorTab, editor_page, named_query_tabs, router, with_prefixes
from ontology.vocab import prefixes
from queries.registry import load_registry

PREFIXES = {"rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#", "xsd": "http://www.w3.org/2001/XMLSchema#",
            "skos": "http://www.w3.org/2004/02/skos/core#"}


@pytest.fixture(scope="module")
def client() -> TestClient:
    app = FastAPI()
    app.include_router(router)
    return TestClient(app)


def config_of(page: str) -> dict:
    """The JSON the page hands to its script, as the browser's JSON.parse reads it."""
    match = re.search(r'<script type="application/json" id="editor-config">(.*?)</script>', page, re.DOTALL)
    assert match, "no config element"
    return json.loads(match[1])


# -- the vendored files ----------------------------------------------------------------------------
@pytest.mark.parametrize(("name", "media_type", "starts"), [
    ("yasgui.min.js", "text/javascript", b"(function(e,t){"),
    ("yasgui.min.css", "text/css", b".yasr "),
    ("LICENSE", "text/plain", b"MIT License"),
])
def test_vendored_files_are_served_with_their_type_and_a_long_cache(client: TestClient, name: str,
                                                                     media_type: str, starts: bytes) -> None:
    response = client.get(f"/static/yasgui/{name}")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith(media_type)
    assert "max-age=31536000" in response.headers["cache-control"]
    assert response.content.startswith(starts)


@pytest.mark.parametrize("path", ["README.md", "..%2Feditor.py", "../editor.py", "..%2F..%2Fapp.py",
                                  "%2E%2E/editor.py", "yasgui.min.js.map", "%2Fetc%2Fpasswd"])
def test_nothing_else_is_served(client: TestClient, path: str) -> None:
    response = client.get(f"/static/yasgui/{path}")
    assert response.status_code == 404
    assert b"import" not in response.content and b"root:" not in response.content


# -- the tabs --------------------------------------------------------------------------------------
def test_one_tab_per_named_query_but_the_internal_ones() -> None:
    tabs = named_query_tabs("http://example.org/")
    names = [t.name for t in tabs]
    # queries/paths/{neighbours,entity-labels,resolve-actor}.rq are tagged internal: code calls them, people don't
    assert {"neighbours", "entity-labels", "resolve-actor"}.isdisjoint(names)
    assert names == [s.name for s in load_registry().values() if "internal" not in s.tags]
    assert {"technology-gap", "recommend-project", "entities-per-class"} <= set(names)
    gap = next(t for t in tabs if t.name == "technology-gap")
    assert gap.title == load_registry()["technology-gap"].summary


def test_a_tab_has_every_parameter_in_a_values_block_defaults_bound_the_rest_undef() -> None:
    tabs = {t.name: t for t in named_query_tabs("http://example.org/")}
    gap = tabs["regional-gaps"].query  # level: enum default nuts3; within: optional; max_supply: int default 0
    assert '# - ?level: enum, one of nuts3, province, default nuts3.' in gap
    assert 'VALUES (?level) { ("nuts3") }' in gap
    assert 'VALUES (?within ?max_supply) { (UNDEF "0"^^<http://www.w3.org/2001/XMLSchema#integer>) }' in gap
    project = tabs["recommend-project"].query  # its one parameter is required: UNDEF all the same
    assert "# - ?project: iri (project), required." in project
    assert "VALUES (?project) { (UNDEF) }" in project
    assert "# @params" not in gap + project


def test_every_tab_runs_on_a_plain_endpoint_once_the_page_adds_its_prefixes() -> None:
    """A plain store knows no prefixes: the text the page hands to YASGUI must declare every one it uses."""
    store = ox.Store()
    for tab in named_query_tabs("http://example.org/"):
        text = with_prefixes(tab.query, prefixes())
        assert isinstance(store.query(text), ox.QuerySolutions), tab.name


def test_with_prefixes_declares_only_what_is_used_and_undeclared_after_the_leading_comments() -> None:
    query = ("# ages rdf: in a comment\nPREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
             "SELECT ?x WHERE { ?x skos:notation ?n FILTER(datatype(?n) = xsd:integer) "
             "?x <http://example.org/rdf:not-a-prefix> ?y }\n")
    assert with_prefixes(query, PREFIXES) == (
        "# ages rdf: in a comment\nPREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n" + query.split("\n", 1)[1])


# -- the page --------------------------------------------------------------------------------------
def test_the_page_points_yasgui_at_the_endpoint_with_the_tabs_and_prefixes() -> None:
    tabs = [EditorTab("first", "First", "SELECT * WHERE { ?s rdf:type ?o }\n"),
            EditorTab("second", "Second", "ASK { ?s ?p ?o }\n")]
    page = editor_page("/sparql", tabs, PREFIXES)
    config = config_of(page)
    assert config["endpoint"] == "/sparql"
    assert [t["name"] for t in config["tabs"]] == ["first", "second"]
    assert config["tabs"][0]["query"] == ("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
                                          "SELECT * WHERE { ?s rdf:type ?o }\n")
    assert config["tabs"][1]["query"] == "ASK { ?s ?p ?o }\n"
    assert config["prefixes"] == PREFIXES
    assert config["newTab"].startswith("PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>\n"
                                       "PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n")
    assert re.search(r'<script src="/static/yasgui/yasgui\.min\.js\?v=[0-9a-f]{12}"></script>', page)
    assert re.search(r'<link rel="stylesheet" href="/static/yasgui/yasgui\.min\.css\?v=[0-9a-f]{12}">', page)


def test_a_query_text_cannot_end_the_script_or_inject_markup() -> None:
    nasty = 'SELECT * WHERE { ?s ?p "</script><script>alert(1)</script><!--" } # & &amp; \u2028\n'
    page = editor_page("/sparql?x=</script>", [EditorTab("x</script>", "<b>", nasty)], {})
    assert page.count("</script>") == 3  # the bundle's, the config's and the inline script's: none from the data
    assert "<script>alert" not in page and "<!--" not in page and "<b>" not in page
    config = config_of(page)
    assert config["tabs"] == [{"name": "x</script>", "query": nasty}]
    assert config["endpoint"] == "/sparql?x=</script>"


def test_the_storage_key_follows_the_tabs_so_stale_tabs_never_hide_new_queries() -> None:
    one = [EditorTab("a", "A", "ASK {}\n")]
    key = config_of(editor_page("/sparql", one, PREFIXES))["persistenceId"]
    assert key == config_of(editor_page("/sparql", list(one), dict(PREFIXES)))["persistenceId"]
    assert key != config_of(editor_page("/sparql", [EditorTab("a", "A", "ASK { ?s ?p ?o }\n")],
                                        PREFIXES))["persistenceId"]
    assert key != config_of(editor_page("/sparql", [*one, EditorTab("b", "B", "ASK {}\n")],
                                        PREFIXES))["persistenceId"]
