"""The ecosystem report on the analytics fixture (numbers worked out by hand from its README) and on the demo.

Keys in comments: M1..M8 cluster members, W1..W3 Wagralim and B1, B3 BioWin members, projects W1..W4 and B1..B4.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from graph.config import Settings
from graph.errors import InvalidParameter
from graph.sources import Sources
from queries.registry import rows_of
from reports import pdf
from reports.ecosystem import ecosystem_report, write_report
from reports.figures import QUERIES, gather
from reports.messages import CATALOGUE, Messages

CARD = re.compile(r'data-figure="(?P<field>[a-z_]+)"><span class="figure">(?P<value>[^<]+)</span>')
CHARTS = ("coverage-chart", "gaps-chart", "offer-chart", "provinces-chart", "provinces-map", "countries-chart",
          "history-chart", "network-chart")


def cards(html: str) -> dict[str, str]:
    return {m["field"]: m["value"] for m in CARD.finditer(html)}


def test_key_figures_of_the_analytics_ecosystem(analytics: Sources) -> None:
    html = unescape(ecosystem_report(analytics))
    # 13 companies (8 members + W1 W2 W3 B1 B3), pole members W1 W2 W3 M3 + B1 B3 M2, 4 foreign partners in FR DE SE
    assert cards(html) == {"companies": "13", "cluster_members": "8", "pole_members": "7", "labs": "5",
                           "projects": "8", "poles": "2", "foreign_partners": "4", "countries": "3"}
    for chart in CHARTS:
        assert f'id="{chart}"' in html
    assert "<script" not in html and "http://" not in html.split("<body>", 1)[0]  # no script, nothing fetched
    assert '<html lang="fr">' in html and "Rapport sur l'écosystème numérique" in html


def test_french_and_english_text_and_technology_labels(analytics: Sources) -> None:
    fr, en = unescape(ecosystem_report(analytics, lang="fr")), unescape(ecosystem_report(analytics, lang="en"))
    # the largest gap: digital health (B1, B2; firm B1; no supply: 3/1), then HPC (W2, B2, B4: 3/1, IRI after)
    assert "santé numérique" in fr and "calcul haute performance" in fr and "digital health" not in fr
    assert "digital health" in en and "high-performance computing" in en
    assert '<html lang="en">' in en and "Digital ecosystem report" in en
    for key, (french, english) in CATALOGUE.items():
        if "{" not in french and "|" not in french and key not in ("title",):
            assert (french in fr) == (english in en), key  # each fixed text shown in one is shown in the other


def test_every_section_names_its_named_queries(analytics: Sources) -> None:
    html = unescape(ecosystem_report(analytics, lang="en"))
    named = set(re.findall(r"Source: named query ([^<]+)\.</p>", html))
    shown = {q.strip() for names in named for q in names.split(",")}
    expected = {q.strip() for names in QUERIES.values() for q in names.split(",")}
    assert shown == expected


def test_a_public_reader_sees_no_restricted_source(analytics: Sources) -> None:
    html = unescape(ecosystem_report(analytics, restricted=False))
    # only the member directory and the labs are public: no pole member, project or foreign partner
    assert cards(html) == {"companies": "8", "cluster_members": "8", "pole_members": "0", "labs": "5",
                           "projects": "0", "poles": "0", "foreign_partners": "0", "countries": "0"}
    assert "pole-wagralim" not in html and "Wagralim" not in html
    assert Messages("fr")("public_only") in html


def test_a_pole_report(analytics: Sources) -> None:
    html = unescape(ecosystem_report(analytics, pole="wagralim", lang="en"))
    # Wagralim: members W1 W2 W3 M3, projects W1..W4, 11 participants of which 2 labs and 3 foreign
    assert cards(html) == {"members": "4", "cluster_members": "1", "projects": "4", "participants": "11",
                           "labs": "2", "foreign_partners": "3"}
    assert "Pole Wagralim" in html and "BioWin" not in html.split('id="offer"', 1)[0]
    assert Messages("en")("whole_note") in html  # the sections about the whole ecosystem say so
    with pytest.raises(InvalidParameter, match="no pole 'skywin'"):
        gather(analytics, pole="skywin")


def test_the_demo_report_renders_with_its_query_numbers(demo_sources: Sources) -> None:
    html = unescape(ecosystem_report(demo_sources, lang="en"))
    key = rows_of(demo_sources, "key-figures")[0]
    m = Messages("en")
    assert cards(html) == {field: m.number(value) for field, value in key.items()}
    for row in rows_of(demo_sources, "pole-digital-coverage"):
        note = m("coverage_note", covered=row["projects_with_digital_partner"], total=row["projects"],
                 share=m.share(row["share"]))
        assert f'data-key="{row["pole"]}"' in html and note in html
    assert html.count('class="bar"') >= 6 + 12  # a bar per pole and per top gap at least


def test_a_pdf_without_chromium_fails_before_any_query_and_says_how(analytics: Sources, tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdf.shutil, "which", lambda name: None)
    with pytest.raises(pdf.PdfEngineMissing, match="apt-get install --no-install-recommends chromium"):
        write_report(analytics, tmp_path / "report.pdf")
    assert not (tmp_path / "report.pdf").exists()
    with pytest.raises(Exception, match=r"\.html or \.pdf"):
        write_report(analytics, tmp_path / "report.docx")
    assert write_report(analytics, tmp_path / "report.html").read_text(encoding="utf-8").startswith("<!doctype html>")


def test_the_http_report_respects_access_and_etags(analytics: Sources) -> None:
    client = TestClient(create_app(analytics, url="http://testserver", settings=Settings()))
    answer = client.get("/reports/ecosystem", params={"lang": "en"})
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert "Digital ecosystem report" in answer.text
    assert cards(answer.text)["pole_members"] == "0"  # anonymous: the restricted pole lists are hidden
    again = client.get("/reports/ecosystem", params={"lang": "en"}, headers={"If-None-Match": answer.headers["etag"]})
    assert again.status_code == 304
    assert client.get("/reports/ecosystem", params={"lang": "en"}).headers["etag"] == answer.headers["etag"]
    assert client.get("/reports/ecosystem").headers["etag"] != answer.headers["etag"]  # French is another answer
    assert client.get("/reports/ecosystem", params={"lang": "de"}).status_code == 422
    assert client.get("/reports/ecosystem", params={"pole": "wagralim"}).status_code == 422  # hidden: no such pole
