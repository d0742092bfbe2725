"""The neighbourhood view of an entity page in headless Chromium (tests/browser/conftest.py): the graph is
drawn from the JSON endpoint, one shape per node, inside the view; a click opens a neighbour's page.

The server holds tests/data/analytics with its pole lists public. Screenshot kept as a test artefact:
var/test-artefacts/neighbourhood.png (the view of Datalys, two links deep).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote

from browser_support import Live, Traffic

if TYPE_CHECKING:
    from playwright.sync_api import Page

DATALYS = "/id/org/be-0450222233"
DRAWN = "#neighbourhood-graph[data-state=drawn]"
# the nodes cytoscape drew: visible, and whose centre lies inside the view's box
IN_VIEW = """() => {
  const cy = window.ecokgNeighbourhood, box = cy.container().getBoundingClientRect();
  return cy.nodes().filter((n) => {
    const p = n.renderedPosition();
    return n.visible() && p.x >= 0 && p.y >= 0 && p.x <= box.width && p.y <= box.height;
  }).map((n) => n.id());
}"""


def json_of(page: Page, live: Live, depth: int) -> dict:
    answer = page.request.get(f"{live.url}/api/v1/entities/neighbourhood?iri={quote(live.url + DATALYS, safe='')}"
                              f"&depth={depth}")
    assert answer.ok
    graph: dict = answer.json()
    return graph


def test_the_neighbourhood_of_a_firm_is_drawn_and_leads_to_its_neighbours(live: Live, page: Page, traffic: Traffic,
                                                                          artefacts: Path) -> None:
    response = page.goto(live.url + DATALYS)
    assert response is not None and response.status == 200
    page.wait_for_selector(DRAWN)
    one = json_of(page, live, 1)
    # Datalys (M2): the cluster, BioWin, IMAGIA (B1) and YEASTOMICS (B2), pole lists being public here
    assert len(one["nodes"]) == 5
    assert sorted(page.evaluate(IN_VIEW)) == sorted(n["id"] for n in one["nodes"])
    assert page.locator("#neighbourhood-note").inner_text() == "5 nodes, 6 links."

    page.select_option("#neighbourhood-depth", "2")
    page.wait_for_selector("#neighbourhood-graph[data-state=drawn][data-nodes='19']")
    two = json_of(page, live, 2)
    # then the cluster's 7 other members, BioWin's 2 other members and 2 other projects, IMAGIA's lab and its
    # French partner, YEASTOMICS's lab: 1 + 4 + 14
    assert len(two["nodes"]) == 19
    assert sorted(page.evaluate(IN_VIEW)) == sorted(n["id"] for n in two["nodes"])
    page.locator("#neighbourhood").screenshot(path=artefacts / "neighbourhood.png")

    # a click on BioWin's node opens its page
    x, y = page.evaluate("""(id) => {
      const cy = window.ecokgNeighbourhood, p = cy.getElementById(id).renderedPosition();
      const box = cy.container().getBoundingClientRect();
      return [box.left + p.x, box.top + p.y];
    }""", f"{live.url}/id/pole/biowin")
    with page.expect_navigation():
        page.mouse.click(x, y)
    assert page.url == f"{live.url}/id/pole/biowin"
    page.wait_for_selector(DRAWN)  # the pole's own view
    assert traffic.elsewhere() == []
    assert traffic.errors == []
