"""The report's named queries (queries/reports/*.rq) on the hand-made ecosystem of tests/data/analytics/.

Every expectation is worked out from the fixture's README tables (keys M1..M8 cluster members, W1..W3 Wagralim
and B1, B3 BioWin members, projects W1..W4 and B1..B4; M2 Datalys is also a BioWin member, M3 Brixtel also a
Wagralim member). They run on both backends (tests/queries/conftest.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pyoxigraph as ox
import pytest
from test_gap_queries import BASE, DATA, tech

from graph.sources import LoadInput, Sources
from loaders.run import load
from ontology.vocab import RDF, T, node, prefixes
from queries.registry import rows_of

WAGRALIM, BIOWIN = f"{BASE}id/pole/wagralim", f"{BASE}id/pole/biowin"
PROVINCE = "http://data.europa.eu/nuts/code/"


def org(digits: str) -> str:
    return f"{BASE}id/org/be-{digits}"


@pytest.fixture
def eco(sources: Sources) -> Sources:
    """The fixture ecosystem loaded as a user would; pole lists restricted, as the loader makes them."""
    load(sources, "members", [DATA / "members.csv"])
    load(sources, "labs", [DATA / "labs.csv"])
    for pole in ("wagralim", "biowin"):
        load(sources, "poles", sorted(DATA.glob(f"{pole}-*.csv")), pole=pole)
    return sources


def rows(sources: Sources, name: str, restricted: bool = True, **values: Any) -> list[dict[str, Any]]:
    return rows_of(sources, name, values, restricted=restricted)


def test_key_figures(eco: Sources) -> None:
    # 8 members + W1 W2 W3 B1 B3 = 13 companies; pole members W1 W2 W3 M3 (Wagralim) and B1 B3 M2 (BioWin) = 7;
    # foreign partners Agro Robotique (FR), Lebensmittel Technik (DE), Institut Essai (FR), Nordic Pack (SE)
    assert rows(eco, "key-figures") == [{"companies": 13, "cluster_members": 8, "pole_members": 7, "labs": 5,
                                         "projects": 8, "poles": 2, "foreign_partners": 4, "countries": 3}]
    # a caller who sees public sources only sees the member directory and the labs, no pole list
    assert rows(eco, "key-figures", restricted=False) == [{
        "companies": 8, "cluster_members": 8, "pole_members": 0, "labs": 5, "projects": 0, "poles": 0,
        "foreign_partners": 0, "countries": 0}]


def test_pole_figures(eco: Sources) -> None:
    # BioWin: members B1 B3 M2 (M2 in the cluster); projects B1..B4; participants B1-Pharmalys, M2, M4,
    # UCL-IMAGE, Institut (FR), M8, UNAMUR-DATA, B3-Clinique, ULIEGE-HPC = 9, of which 3 labs and 1 foreign.
    # Wagralim: members W1 W2 W3 M3 (M3 in the cluster); participants W1, M1, UCL-IMAGE, W2, M6, M7, Agro (FR),
    # Lebensmittel (DE), W3, Nordic Pack (SE), GEMBLOUX-AGRO = 11, of which 2 labs and 3 foreign.
    biowin = {"pole": BIOWIN, "pole_label": "BioWin", "members": 3, "cluster_members": 1, "projects": 4,
              "participants": 9, "labs": 3, "foreign_partners": 1}
    wagralim = {"pole": WAGRALIM, "pole_label": "Wagralim", "members": 4, "cluster_members": 1, "projects": 4,
                "participants": 11, "labs": 2, "foreign_partners": 3}
    assert rows(eco, "pole-figures") == [biowin, wagralim]
    assert rows(eco, "pole-figures", pole=["wagralim"]) == [wagralim]
    assert rows(eco, "pole-figures", restricted=False) == []


def test_technology_labels_in_each_language(eco: Sources) -> None:
    fr = {r["technology"]: r for r in rows(eco, "technology-labels")}
    en = {r["technology"]: r for r in rows(eco, "technology-labels", lang="en")}
    assert fr[tech("image-recognition")] == {
        "technology": tech("image-recognition"), "label": "reconnaissance d'images",
        "family": tech("artificial-intelligence"), "family_label": "intelligence artificielle"}
    assert en[tech("e-invoicing")]["label"] == "e-invoicing"
    assert en[tech("e-invoicing")]["family_label"] == "digital transformation"
    assert fr[tech("digital-twin")]["family"] == tech("digital-twin")  # a top concept is its own family
    # one row per concept, each in one of the 18 families the scheme lists as top concepts
    assert fr.keys() == en.keys()
    assert len({r["family"] for r in fr.values()}) == 18


def test_offer_by_family(eco: Sources) -> None:
    def row(family: str, suppliers: int, offered: str, firm: str, label: str, province: str, name: str) -> dict:
        return {"family": tech(family), "suppliers": suppliers, "offered": tech(offered), "firm": org(firm),
                "label": label, "province": PROVINCE + province, "province_label": name}

    liege, namur, hainaut = "Prov. Liège", "Prov. Namur", "Prov. Hainaut"
    expected = [  # AI: M1 M2 M7; digital transformation: M3 M5 M8; one supplier each for the others
        row("artificial-intelligence", 3, "computer-vision", "0450111177", "Fictive Vision SRL", "BE33", liege),
        row("artificial-intelligence", 3, "deep-learning", "0450111177", "Fictive Vision SRL", "BE33", liege),
        row("artificial-intelligence", 3, "image-recognition", "0450777707", "Liège Data SRL", "BE33", liege),
        row("artificial-intelligence", 3, "machine-learning", "0450222233", "Datalys SA", "BE35", namur),
        row("digital-transformation", 3, "crm", "0450555595", "Wavre Web SRL", "BE31", "Prov. Brabant Wallon"),
        row("digital-transformation", 3, "e-invoicing", "0450333386", "Brixtel Logistique SRL", "BE32", hainaut),
        row("digital-transformation", 3, "e-invoicing", "0450888860", "Namur Soft SA", "BE35", namur),
        row("digital-transformation", 3, "erp", "0450333386", "Brixtel Logistique SRL", "BE32", hainaut),
        row("cybersecurity", 1, "cybersecurity", "0450444442", "Hainaut Cyber SRL", "BE32", hainaut),
        row("data-analytics", 1, "business-intelligence", "0450222233", "Datalys SA", "BE35", namur),
        row("internet-of-things", 1, "predictive-maintenance", "0450666651", "Ardenne IoT SA", "BE34",
            "Prov. Luxembourg (BE)"),
        row("software-engineering", 1, "web-development", "0450555595", "Wavre Web SRL", "BE31",
            "Prov. Brabant Wallon"),
    ]
    assert rows(eco, "offer-by-family") == expected
    # every company: Clinique Numérique (B3, no cluster member) offers cybersecurity too
    cyber = [r for r in rows(eco, "offer-by-family", firms="all") if r["family"] == tech("cybersecurity")]
    assert [(r["firm"], r["suppliers"]) for r in cyber] == [(org("0620333311"), 2), (org("0450444442"), 2)]


def test_actors_by_region(eco: Sources) -> None:
    def row(code: str, label: str, companies: int, cluster: int, pole: int, labs: int, province: str = "") -> dict:
        return {"region": PROVINCE + code, "region_label": label, "province": PROVINCE + (province or code),
                "companies": companies, "cluster_members": cluster, "pole_members": pole, "labs": labs}

    # BE31: M5, B1, UCL-IMAGE; BE32: M3 (also Wagralim), M4, W3, UMONS-QUANT; BE33: M1, M7, W2, B3, ULIEGE-HPC;
    # BE34: M6; BE35: M2 (also BioWin), M8, W1, UNAMUR-DATA, GEMBLOUX-AGRO
    assert rows(eco, "actors-by-region") == [
        row("BE31", "Prov. Brabant Wallon", 2, 1, 1, 1), row("BE32", "Prov. Hainaut", 3, 2, 2, 1),
        row("BE33", "Prov. Liège", 4, 2, 2, 1), row("BE34", "Prov. Luxembourg (BE)", 1, 1, 0, 0),
        row("BE35", "Prov. Namur", 3, 2, 2, 2)]
    # NUTS 3: Hainaut splits into Mons (M4, UMONS-QUANT) and Charleroi (M3 at Gosselies, W3)
    assert rows(eco, "actors-by-region", level="nuts3") == [
        row("BE310", "Arr. Nivelles", 2, 1, 1, 1, "BE31"), row("BE323", "Arr. Mons", 1, 1, 0, 1, "BE32"),
        row("BE32B", "Arr. Charleroi", 2, 1, 2, 0, "BE32"), row("BE332", "Arr. Liège", 4, 2, 2, 1, "BE33"),
        row("BE341", "Arr. Arlon", 1, 1, 0, 0, "BE34"), row("BE352", "Arr. Namur", 3, 2, 2, 2, "BE35")]


def test_partner_countries(eco: Sources) -> None:
    # FR: Agro Robotique (W2) and Institut Essai (B1); DE: Lebensmittel Technik (W2); SE: Nordic Pack (W3)
    assert rows(eco, "partner-countries") == [{"country": "FR", "organisations": 2, "projects": 2},
                                              {"country": "DE", "organisations": 1, "projects": 1},
                                              {"country": "SE", "organisations": 1, "projects": 1}]


def test_quality_checks(eco: Sources) -> None:
    # every firm is located and named, every member offers or needs something (M3..M8 offer), every project
    # has dates and a coordinator; GEMBLOUX-AGRO declares no expertise
    assert {r["check"]: r["entities"] for r in rows(eco, "quality-checks")} == {
        "company-without-legal-name": 0, "company-without-location": 0, "lab-without-expertise": 1,
        "member-without-technology": 0, "project-without-dates": 0, "project-without-participant": 0}


def test_load_history_and_unknown_labels_read_the_load_log(eco: Sources, tmp_path: Path) -> None:
    members = tmp_path / "members.csv"  # the directory again, Wavre Web's CRM written as nobody's concept
    text = (DATA / "members.csv").read_text(encoding="utf-8")
    members.write_text(text.replace("développement web, CRM", "développement web, outil maison"), encoding="utf-8")
    assert "outil maison" in members.read_text(encoding="utf-8")
    load(eco, "members", [members])
    everything = ["public", "restricted"]
    history = rows_of(eco, "load-history", {"access": everything}, graphs=[eco.meta])
    data = [(r["source"], r["version"], r["access"], r["rows"], r["current"]) for r in history
            if r["source"] in ("members", "labs", "pole-wagralim", "pole-biowin")]
    assert data == [("members", 1, "public", 8, False), ("labs", 1, "public", 5, True),
                    ("pole-wagralim", 1, "restricted", 20, True), ("pole-biowin", 1, "restricted", 19, True),
                    ("members", 2, "public", 8, True)]
    second = history[-1]
    assert (second["added"], second["removed"], second["changed"]) == (0, 0, 1)  # Wavre Web lost its CRM offer
    public = rows_of(eco, "load-history", {"access": ["public"]}, graphs=[eco.meta])
    assert {r["source"] for r in public} & {"pole-wagralim", "pole-biowin"} == set()
    assert rows_of(eco, "unknown-labels", {"access": everything}, graphs=[eco.meta]) == [
        {"source": "members", "label": "outil maison"}]


def test_duplicate_candidates_lists_links_left_for_review(eco: Sources) -> None:
    """Links as entity resolution writes them (the links graph is a source like the others); only those
    still to review are listed, with the labels the member directory gives."""
    assert rows(eco, "duplicate-candidates") == []
    eco_ns = prefixes()["eco"]

    def term(name: str) -> ox.NamedNode:
        return ox.NamedNode(eco_ns + name)

    review, applied = ox.NamedNode(f"{BASE}id/link/1"), ox.NamedNode(f"{BASE}id/link/2")
    alias, canonical = ox.NamedNode(org("0450888860")), ox.NamedNode(org("0450222233"))
    triples = [(review, node(RDF.type), term("Link")), (review, term("linkStatus"), ox.Literal("review")),
               (review, term("alias"), alias), (review, term("canonical"), canonical),
               (review, term("linkScore"), ox.Literal("85.5", datatype=T.xsd.decimal)),
               (applied, node(RDF.type), term("Link")), (applied, term("linkStatus"), ox.Literal("applied")),
               (applied, term("alias"), canonical), (applied, term("canonical"), alias)]
    eco.replace("links-test", triples, lambda: LoadInput(files=[], rows=2, loader_version="test"))
    assert rows(eco, "duplicate-candidates") == [{
        "link": review.value, "alias": alias.value, "alias_label": "Namur Soft SA", "canonical": canonical.value,
        "canonical_label": "Datalys SA", "score": 85.5}]
