"""The ecosystem report as a person sees it: the demo's report opened in headless Chromium, its charts drawn
and its numbers those of the named queries; printed to PDF, each page kept as a PNG for review
(var/test-artefacts/report.html, report.pdf, report-page-N.png). Then the served report of the live
analytics ecosystem, in English."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from browser_support import Live

from graph.sources import Sources
from graph.startup import ensure_system
from graph.store import EmbeddedStore
from loaders import demo
from loaders.run import load
from queries.registry import rows_of
from reports.ecosystem import ecosystem_report
from reports.messages import Messages
from reports.pdf import html_to_pdf

if TYPE_CHECKING:
    from playwright.sync_api import Page

CHARTS = ("coverage-chart", "gaps-chart", "offer-chart", "provinces-chart", "provinces-map", "countries-chart",
          "history-chart", "network-chart")


@pytest.fixture(scope="module")
def demo_report(tmp_path_factory: pytest.TempPathFactory, artefacts: Path) -> tuple[Sources, Path]:
    """`ecokg demo --scale 1` loaded, and its French report written to var/test-artefacts/report.html."""
    sources = Sources(EmbeddedStore.in_memory(), "http://example.org/", exclusive=True)
    ensure_system(sources)
    for f in demo.generate(tmp_path_factory.mktemp("demo"), scale=1):
        load(sources, f.kind, list(f.paths), source=f.source, access="public")
    page = artefacts / "report.html"
    page.write_text(ecosystem_report(sources, lang="fr"), encoding="utf-8")
    return sources, page


def texts(page: Page, selector: str) -> list[str]:
    """The text of every element `selector` finds (textContent: SVG text has no innerText)."""
    return [t.strip() for t in page.locator(selector).all_text_contents()]


def test_the_demo_report_in_chromium_shows_the_named_queries_numbers(page: Page,
                                                                     demo_report: tuple[Sources, Path]) -> None:
    sources, report = demo_report
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.goto(report.as_uri())
    assert requested == [report.as_uri()]  # self-contained: nothing else is fetched
    m = Messages("fr")

    for chart in CHARTS:  # each chart is drawn, with marks of some size
        box = page.locator(f"svg#{chart}").bounding_box()
        assert box is not None and box["width"] > 200 and box["height"] > 100, chart
        marks = page.locator(f"svg#{chart} rect, svg#{chart} circle, svg#{chart} path, svg#{chart} polyline")
        assert marks.count() > 0, chart
    assert page.locator("svg#network-chart circle.node").count() > 200

    key = rows_of(sources, "key-figures")[0]
    for field, value in key.items():
        assert texts(page, f'[data-figure="{field}"] .figure') == [m.number(value)], field

    for row in rows_of(sources, "pole-digital-coverage"):
        note = m("coverage_note", covered=m.number(row["projects_with_digital_partner"]),
                 total=m.number(row["projects"]), share=m.share(row["share"]))
        assert texts(page, f'#coverage-chart g.bar[data-key="{row["pole"]}"] text.value') == [note]

    labels = {r["technology"]: r["label"] for r in rows_of(sources, "technology-labels", {"lang": "fr"})}
    gaps = rows_of(sources, "technology-gap")[:12]
    shown = [[c.strip() for c in row.locator("td").all_text_contents()]
             for row in page.locator("#gaps-table tbody tr").all()]
    assert shown == [[labels[g["technology"]], *(m.number(g[c]) for c in ("demand_projects", "demand_firms", "supply",
                                                                             "labs", "gap_score"))] for g in gaps]
    assert page.locator("#gaps-chart g.bar").count() == len(gaps)

    families = dict.fromkeys((r["family"], r["suppliers"]) for r in rows_of(sources, "offer-by-family"))
    for family, suppliers in families:
        assert texts(page, f'#offer-chart g.bar[data-key="{family}"] text.value') == [m.number(suppliers)]

    for row in rows_of(sources, "actors-by-region", {"level": "province"}):
        code = row["region"].rsplit("/", 1)[-1]
        if row["companies"]:
            assert texts(page, f'#provinces-map g.area[data-key="{code}"] .map-value') == [str(row["companies"])]
        assert page.locator(f'#provinces-chart g.bar[data-key="{row["region"]}"] rect').count() >= 1

    for row in rows_of(sources, "partner-countries"):
        note = m("country_note", organisations=m.count("n_organisations", row["organisations"]),
                 projects=m.count("n_projects", row["projects"]))
        assert texts(page, f'#countries-chart g.bar[data-key="{row["country"]}"] text.value') == [note]

    isolated = rows_of(sources, "isolated-actors")
    assert page.locator("#isolated-list li").count() == len(isolated)
    quality = {r["check"]: m.number(r["entities"]) for r in rows_of(sources, "quality-checks")}
    checks = [row.get_attribute("data-key") for row in page.locator("#quality-table tbody tr").all()]
    assert {check: texts(page, f'#quality-table tr[data-key="{check}"] td.n')[0] for check in checks} == quality


def test_the_demo_report_prints_to_pdf_pages_a_person_can_review(demo_report: tuple[Sources, Path],
                                                                  artefacts: Path) -> None:
    pdfium = pytest.importorskip("pypdfium2", reason="pypdfium2 comes with the dev extra (.[dev])")
    sources, report = demo_report
    for old in artefacts.glob("report-page-*.png"):
        old.unlink()
    out = html_to_pdf(report.read_text(encoding="utf-8"), artefacts / "report.pdf")
    document = pdfium.PdfDocument(str(out))
    assert 8 <= len(document) <= 20
    words = " ".join(p.get_textpage().get_text_range() for p in document)
    key = rows_of(sources, "key-figures")[0]
    assert "Rapport sur l'écosystème numérique" in words and str(key["companies"]) in words
    for number, page in enumerate(document, start=1):
        image = page.render(scale=1.5).to_pil()
        image.save(artefacts / f"report-page-{number}.png")
        assert image.convert("L").getextrema()[0] < 128  # something dark is printed on every page
    document.close()


def test_the_served_report_in_english(page: Page, live: Live) -> None:
    page.goto(f"{live.url}/reports/ecosystem?lang=en")
    assert page.title().startswith("Digital ecosystem report")
    # the live fixture makes the pole lists public: 13 companies, 7 pole members, 8 projects, 2 poles
    figures = {f: texts(page, f'[data-figure="{f}"] .figure')[0]
               for f in ("companies", "pole_members", "projects", "poles")}
    assert figures == {"companies": "13", "pole_members": "7", "projects": "8", "poles": "2"}
    assert texts(page, "#gaps-table tbody tr:first-child td")[0] == "digital health"
    assert page.locator("svg#network-chart circle.node").count() > 20
