"""The offer catalogue's named queries (queries/exports/*.rq) on the hand-made ecosystem of tests/data/analytics/.

Expected rows are worked out by hand from the fixture's README (who offers what, where) and members.csv (the
streets), the French and English labels from ontology/technologies.ttl and the NUTS names from
ontology/nuts2021_be.csv. Keys: M1..M8 the cluster members, B3 Clinique Numérique (a BioWin member only).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from test_gap_queries import BASE, BRIXTEL, CLINIQUE, DATALYS, FICTIVE, LIEGE_DATA, TECH, ask, eco

from graph.sources import Sources
from loaders.run import load
from queries.registry import rows_of

__all__ = ["eco"]

AI, DATA_FAMILY = f"{TECH}artificial-intelligence", f"{TECH}data-analytics"
LOCATION = {  # README "Firms": town (NUTS 3 / province); streets from members.csv
    DATALYS: ("Avenue de l'Espérance 8", "5000", "Namur", "BE352", "Arr. Namur", "Prov. Namur"),
    FICTIVE: ("Rue de la Science 1", "4000", "Liège", "BE332", "Arr. Liège", "Prov. Liège"),
    LIEGE_DATA: ("Quai de la Boverie 4", "4020", "Liège", "BE332", "Arr. Liège", "Prov. Liège"),
}


def offers(rows: list[dict], family: str) -> list[tuple[str, str]]:
    return [(r["firm_label"], r["offered_label"]) for r in rows if r["family"] == family]


def where(row: dict) -> tuple:
    return (row["street"], row["postcode"], row["municipality"], row["nuts3"], row["nuts3_label"], row["province"])


def test_the_families_are_the_eighteen_top_concepts_labelled_in_the_language_asked(eco: Sources) -> None:
    french = ask(eco, "technology-families")  # French by default
    assert len(french) == 18  # tech:scheme skos:hasTopConcept lists 18 concepts
    labels = {r["family"]: r["family_label"] for r in french}
    assert labels[AI] == "intelligence artificielle" and labels[f"{TECH}digital-twin"] == "jumeau numérique"
    english = {r["family"]: r["family_label"] for r in ask(eco, "technology-families", lang="en")}
    assert english[AI] == "artificial intelligence" and english[f"{TECH}e-learning"] == "e-learning"


def test_the_members_offer_by_family(eco: Sources) -> None:
    rows = ask(eco, "catalogue")
    # M1..M8 offer 12 (family, firm, concept) triples: AI 4 (M2 machine learning, M1 computer vision and deep
    # learning, M7 image recognition), cybersecurity 1 (M4), data and analytics 1 (M2 BI), software engineering
    # 1 (M5 web), IoT 1 (M6), digital transformation 4 (M3 e-invoicing and ERP, M8 e-invoicing, M5 CRM)
    assert len(rows) == 12
    assert offers(rows, AI) == [
        ("Datalys SA", "apprentissage automatique"),
        ("Fictive Vision SRL", "apprentissage profond"),  # deep learning < machine learning < AI
        ("Fictive Vision SRL", "vision par ordinateur"),
        ("Liège Data SRL", "reconnaissance d'images"),  # image recognition < computer vision < AI
    ]
    assert offers(rows, DATA_FAMILY) == [("Datalys SA", "informatique décisionnelle")]
    assert offers(rows, f"{TECH}digital-transformation") == [
        ("Brixtel Logistique SRL", "facturation électronique"),
        ("Brixtel Logistique SRL", "progiciel de gestion intégré"),
        ("Namur Soft SA", "facturation électronique"), ("Wavre Web SRL", "gestion de la relation client")]
    assert {r["family_label"] for r in rows if r["family"] == AI} == {"intelligence artificielle"}


def test_where_the_members_are(eco: Sources) -> None:
    rows = {r["org"]: r for r in ask(eco, "organisation-contacts", org=[DATALYS, FICTIVE, LIEGE_DATA, BRIXTEL])}
    assert {iri: where(row) for iri, row in rows.items()} == LOCATION | {
        BRIXTEL: ("Rue des Hangars 3", "6041", "Charleroi", "BE32B", "Arr. Charleroi", "Prov. Hainaut")}  # Gosselies
    # the fixture gives no website nor e-mail; Datalys's address, in members.csv and in BioWin's list, is one
    assert {(r["website"], r["email"]) for r in rows.values()} == {(None, None)}
    assert rows[DATALYS]["enterprise_number"] == "0450.222.233"


def test_english_labels_and_every_company(eco: Sources) -> None:
    rows = ask(eco, "catalogue", lang="en", firms="all")
    # all: B3 Clinique Numérique, a BioWin member who offers cybersecurity, joins M4 in that family
    cyber = [(r["firm"], r["offered_label"]) for r in rows if r["family"] == f"{TECH}cybersecurity"]
    assert cyber == [(CLINIQUE, "cybersecurity"), (f"{BASE}id/org/be-0450444442", "cybersecurity")]
    assert {r["family_label"] for r in rows if r["family"] == AI} == {"artificial intelligence"}


def test_anonymous_callers_see_what_public_sources_say(eco: Sources) -> None:
    # the BioWin file, which makes Clinique Numérique a company offering cybersecurity, is restricted
    public = rows_of(eco, "catalogue", {"firms": "all"}, restricted=False)
    assert CLINIQUE not in {r["firm"] for r in public}
    assert len(public) == 12  # the members.csv offers, public


@pytest.fixture
def contacts(sources: Sources, tmp_path: Path) -> Sources:
    """Three cluster members with contacts: a generic e-mail, a named one, a website without scheme."""
    path = tmp_path / "members.csv"
    path.write_text(
        "enterprise_number;name;website;email;street;postcode;city;offers\n"
        "0450.111.177;Fictive Vision SRL;www.fictive.example;Info@fictive.example;Rue de la Science 1;4000;Liège;"
        "computer vision\n"
        "0450.222.233;Datalys SA;https://datalys.example/;jean.dupont@datalys.example;;5000;Namur;machine learning\n"
        "0450.333.386;Brixtel Logistique SRL;;contact@brixtel.example;;;;ERP\n", encoding="utf-8")
    load(sources, "members", [path])
    return sources


def test_the_contact_is_the_organisations_never_a_persons(contacts: Sources) -> None:
    rows = {r["org"]: r for r in ask(contacts, "organisation-contacts", org=[FICTIVE, DATALYS, BRIXTEL])}
    assert (rows[FICTIVE]["website"], rows[FICTIVE]["email"]) == (
        "https://www.fictive.example", "Info@fictive.example")  # the loader adds https://
    assert (rows[DATALYS]["website"], rows[DATALYS]["email"]) == ("https://datalys.example/", None)  # a person's
    brixtel = rows[BRIXTEL]  # no address at all: no location
    assert (brixtel["email"], brixtel["street"], brixtel["municipality"], brixtel["province"]) == (
        "contact@brixtel.example", None, None, None)


def test_an_organisation_the_graph_does_not_hold_gives_no_row(contacts: Sources) -> None:
    assert [r["org"] for r in ask(contacts, "organisation-contacts", org=[FICTIVE, f"{BASE}id/org/be-0999999999"])] \
        == [FICTIVE]
