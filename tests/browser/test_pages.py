"""The SPARQL editor and an entity page, loaded in headless Chromium from a live server (tests/browser/conftest.py).

The server holds the ecosystem of tests/data/analytics (its README tells who is who). Each test checks that
no request left the server and that the page logged no error. Screenshots, kept as test artefacts:
var/test-artefacts/yasgui.png (the editor with a named query's answer) and var/test-artefacts/entity.png.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from browser_support import Live, Traffic

from api.editor import named_query_tabs

if TYPE_CHECKING:
    from playwright.sync_api import Page

ACTIVE = ".yasgui .tabPanel.active"


def run_active_tab(page: Page) -> None:
    page.locator(f"{ACTIVE} .yasqe_queryButton").click()
    page.wait_for_selector(f"{ACTIVE} .yasr table tbody tr")


def column(page: Page, n: int) -> list[str]:
    """The texts of the n-th column of the active tab's result table (column 1 numbers the rows)."""
    return page.locator(f"{ACTIVE} .yasr table tbody td:nth-child({n})").all_inner_texts()


def test_the_editor_shows_the_named_queries_as_tabs_and_runs_one(live: Live, page: Page, traffic: Traffic,
                                                                  artefacts: Path) -> None:
    response = page.goto(f"{live.url}/sparql")  # Chromium asks for text/html
    assert response is not None and response.status == 200
    page.wait_for_selector(f"{ACTIVE} .yasqe .CodeMirror")  # YASQE's editor is up
    tabs = page.locator(".yasgui .tabsList .tab a span").all_inner_texts()
    assert tabs == [t.name for t in named_query_tabs(live.sources.base)]
    assert "neighbours" not in tabs  # tagged internal

    page.locator(".yasgui .tabsList .tab a span", has_text=re.compile(r"^adoption-gap$")).click()  # not adoption-gaps
    run_active_tab(page)
    # adoption-gap with no technology: every pole member that needs some technology, by name. From the
    # fixture's tables: Wagralim's W1, W2, W3 and BioWin's B1, B3 and Datalys (M2); Brixtel, a Wagralim
    # member, needs nothing.
    assert column(page, 3) == ["Biscuiterie Mosane SRL", "Brasserie Carolo SRL", "Clinique Numérique SA",
                               "Datalys SA", "Fromagerie du Plateau SA", "Pharmalys Essai SA"]
    page.screenshot(path=artefacts / "yasgui.png", full_page=True)
    assert traffic.elsewhere() == []
    assert [u for u in traffic.urls if u.startswith(f"{live.url}/static/yasgui/")], "the vendored bundle"
    assert traffic.errors == []


def test_a_query_typed_in_a_new_tab_runs_with_the_preloaded_prefixes_and_the_tab_is_kept(
        live: Live, page: Page, traffic: Traffic) -> None:
    page.goto(f"{live.url}/sparql")
    page.wait_for_selector(f"{ACTIVE} .CodeMirror")
    page.locator(".yasgui .tabsList .addTab").click()
    editor = page.locator(f"{ACTIVE} .CodeMirror")
    assert "PREFIX eco: <https://w3id.org/ecokg/def#>" in editor.inner_text()  # the new tab's template
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.press("Delete")
    # typed key by key: the completers run, and the one for prefixes must declare ecokg's eco:, not its own
    page.keyboard.type("SELECT ?label WHERE {\n?pole a eco:CompetitivenessPole ; skos:prefLabel ?label .\n}\n"
                       "ORDER BY ?label")
    assert "PREFIX eco: <https://w3id.org/ecokg/def#>" in editor.inner_text()
    run_active_tab(page)
    # the six poles of ontology/reference.ttl, by their skos:prefLabel
    assert column(page, 2) == ["BioWin", "Greenwin", "Logistics in Wallonia", "MecaTech", "Skywin", "Wagralim"]

    page.reload()
    page.wait_for_selector(f"{ACTIVE} .CodeMirror")
    tabs = page.locator(".yasgui .tabsList .tab a span").all_inner_texts()
    assert tabs == [*(t.name for t in named_query_tabs(live.sources.base)), "Query"]
    assert traffic.elsewhere() == []
    assert traffic.errors == []




def test_an_entity_page_names_the_entity_and_links_to_others(live: Live, page: Page, traffic: Traffic,
                                                            artefacts: Path) -> None:
    pole = f"{live.url}/id/pole/biowin"  # the server's base IRI is its URL: an entity's IRI is its page
    response = page.goto(pole)
    assert response is not None and response.status == 200
    assert "BioWin" in page.locator("h1").inner_text()  # its skos:prefLabel in ontology/reference.ttl
    links = {a for a in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)")
             if a.startswith(f"{live.url}/id/") and a.split("#")[0] != pole}
    assert links, "no link to another entity"
    page.screenshot(path=artefacts / "entity.png", full_page=True)

    other = page.goto(sorted(links)[0])  # and that entity's page is there too
    assert other is not None and other.status == 200
    assert page.locator("h1").inner_text().strip()
    assert traffic.elsewhere() == []
    # the app serves no /favicon.ico yet, which Chromium asks for on a page that names no icon (reported)
    assert [e for e in traffic.errors if "/favicon.ico" not in e] == []
