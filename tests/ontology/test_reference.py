"""ontology/reference.ttl: the ICT cluster, the six poles and the sector scheme.

Decision tested here: a pole's name is a proper noun, so its skos:prefLabel is ONE plain literal (no language
tag), like every organisation name in ecokg; what is translated is its dcterms:description (@fr and @en).
The cluster's label is descriptive, so it is given @fr and @en. Sector labels are @fr and @en.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict

import pyoxigraph as ox
import pyshacl
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, RDF, SKOS

from ontology import (
    ECOSYSTEM_TTL,
    ONTOLOGY_DIR,
    POLE_IDS,
    REFERENCE_TTL,
    SHAPES_TTL,
    TECHNOLOGIES_TTL,
)
from ontology.vocab import ECO, ORG, SCHEMA, SECTOR

BASE = "http://127.0.0.1:8000/"
SCHEME = SECTOR.scheme

# Read by hand from /work/shared/data/poles/walloon_poles_pics_from_cordis.csv (CORDIS organisationID_PIC).
# MecaTech has no row there: no PIC.
EXPECTED_PICS = {
    "biowin": "993523956",
    "greenwin": "954501826",
    "logistics-in-wallonia": "963728466",
    "skywin": "966222433",
    "wagralim": "959172473",
}
EXPECTED_NAMES = {
    "biowin": "BioWin",
    "greenwin": "Greenwin",
    "logistics-in-wallonia": "Logistics in Wallonia",
    "mecatech": "MecaTech",
    "skywin": "Skywin",
    "wagralim": "Wagralim",
}
EXPECTED_DOMAINS = {
    "biowin": "health-biotech",
    "greenwin": "green-chemistry-environment",
    "logistics-in-wallonia": "transport-logistics",
    "mecatech": "mechanical-engineering",
    "skywin": "aerospace",
    "wagralim": "agri-food",
}
REQUIRED_SECTORS = {
    *EXPECTED_DOMAINS.values(), "digital", "energy", "construction", "finance", "retail-ecommerce",
    "public-sector", "education", "media-culture", "tourism", "textile",
}


def _parse(base: str = BASE) -> Graph:
    return Graph().parse(REFERENCE_TTL, format="turtle", publicID=base)


@pytest.fixture(scope="module")
def ref() -> Graph:
    return _parse()


def pole(pole_id: str, base: str = BASE) -> URIRef:
    return URIRef(f"{base}id/pole/{pole_id}")


CLUSTER = URIRef(f"{BASE}id/cluster/ict-wallonia")


def _langs(graph: Graph, subject: URIRef, predicate: URIRef) -> list[str | None]:
    return [o.language for o in graph.objects(subject, predicate) if isinstance(o, Literal)]


def _concepts(graph: Graph) -> set[URIRef]:
    return {c for c in graph.subjects(SKOS.inScheme, SCHEME) if isinstance(c, URIRef)}


def _norm(label: str) -> str:
    """As the loaders match labels: case, accents and punctuation do not matter."""
    decomposed = unicodedata.normalize("NFKD", label.casefold())
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return re.sub(r"[\s\-_./'’()]+", " ", bare).strip()


# --- files and the Python face --------------------------------------------------------------------------

def test_paths_are_next_to_the_package() -> None:
    for path in (ECOSYSTEM_TTL, SHAPES_TTL, REFERENCE_TTL, TECHNOLOGIES_TTL):
        assert path.parent == ONTOLOGY_DIR and path.suffix == ".ttl"
    for path in (ECOSYSTEM_TTL, SHAPES_TTL, REFERENCE_TTL):
        assert path.is_file()


def test_pole_ids_constant() -> None:
    assert POLE_IDS == ("biowin", "greenwin", "logistics-in-wallonia", "mecatech", "skywin", "wagralim")


# --- relative IRIs resolved against the deployment's base -------------------------------------------------

def test_file_leaves_the_base_to_the_loader() -> None:
    statements = [
        line.strip() for line in REFERENCE_TTL.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]
    assert not [line for line in statements if line.lower().startswith(("@base", "base "))]
    assert not [line for line in statements if "127.0.0.1" in line or "localhost" in line]


@pytest.mark.parametrize("base", [BASE, "https://kg.example.org/ecokg/"])
def test_iris_follow_the_base(base: str) -> None:
    graph = _parse(base)
    minted = {str(s) for s in graph.subjects() if isinstance(s, URIRef) and str(s).startswith(base)}
    expected = {f"{base}id/pole/{p}" for p in POLE_IDS} | {f"{base}id/cluster/ict-wallonia"}
    assert minted == expected
    assert not any(str(t).startswith("file:") for triple in graph for t in triple)


def test_pyoxigraph_parses_it_with_a_base_like_rdflib(ref: Graph) -> None:
    quads = list(ox.parse(path=str(REFERENCE_TTL), format=ox.RdfFormat.TURTLE, base_iri=BASE))
    assert len(quads) == len(ref)
    assert ox.NamedNode(str(pole("biowin"))) in {q.subject for q in quads}


# --- poles ------------------------------------------------------------------------------------------------

def test_exactly_the_six_poles(ref: Graph) -> None:
    poles = set(ref.subjects(RDF.type, ECO.CompetitivenessPole))
    assert poles == {pole(p) for p in POLE_IDS}
    for p in poles:
        assert (p, RDF.type, ORG.FormalOrganization) in ref


@pytest.mark.parametrize("pole_id", POLE_IDS)
def test_pole_name_is_one_plain_literal(ref: Graph, pole_id: str) -> None:
    labels = list(ref.objects(pole(pole_id), SKOS.prefLabel))
    assert labels == [Literal(EXPECTED_NAMES[pole_id])]
    assert labels[0].language is None
    for alt in ref.objects(pole(pole_id), SKOS.altLabel):
        assert _norm(str(alt)) != _norm(EXPECTED_NAMES[pole_id])


@pytest.mark.parametrize("pole_id", POLE_IDS)
def test_pole_description_in_french_and_english(ref: Graph, pole_id: str) -> None:
    assert sorted(_langs(ref, pole(pole_id), DCTERMS.description)) == ["en", "fr"]


@pytest.mark.parametrize("pole_id", POLE_IDS)
def test_pole_domain_and_website(ref: Graph, pole_id: str) -> None:
    assert set(ref.objects(pole(pole_id), ECO.domain)) == {SECTOR[EXPECTED_DOMAINS[pole_id]]}
    urls = list(ref.objects(pole(pole_id), SCHEMA.url))
    assert len(urls) == 1 and isinstance(urls[0], URIRef) and str(urls[0]).startswith("https://")


def test_liw_alias(ref: Graph) -> None:
    assert Literal("LIW") in set(ref.objects(pole("logistics-in-wallonia"), SKOS.altLabel))


def test_pole_pics_match_cordis(ref: Graph) -> None:
    found = {}
    for pole_id in POLE_IDS:
        pics = list(ref.objects(pole(pole_id), ECO.pic))
        assert len(pics) <= 1
        if pics:
            assert pics[0].datatype is None and pics[0].language is None  # a plain string
            found[pole_id] = str(pics[0])
    assert found == EXPECTED_PICS


# --- the cluster ------------------------------------------------------------------------------------------

def test_cluster(ref: Graph) -> None:
    assert set(ref.subjects(RDF.type, ECO.Cluster)) == {CLUSTER}
    assert (CLUSTER, RDF.type, ORG.FormalOrganization) in ref
    labels = set(ref.objects(CLUSTER, SKOS.prefLabel))
    assert labels == {
        Literal("Cluster TIC de Wallonie", lang="fr"), Literal("ICT cluster of Wallonia", lang="en"),
    }
    assert set(ref.objects(CLUSTER, ECO.domain)) == {SECTOR.digital}
    assert sorted(_langs(ref, CLUSTER, DCTERMS.description)) == ["en", "fr"]


# --- sectors ----------------------------------------------------------------------------------------------

def test_sector_scheme(ref: Graph) -> None:
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in ref
    assert sorted(_langs(ref, SCHEME, SKOS.prefLabel)) == ["en", "fr"]
    concepts = _concepts(ref)
    assert 15 <= len(concepts) <= 20
    assert concepts == set(ref.subjects(RDF.type, SKOS.Concept))
    assert concepts == set(ref.objects(SCHEME, SKOS.hasTopConcept))
    assert concepts == set(ref.subjects(SKOS.topConceptOf, SCHEME))
    assert {SECTOR[s] for s in REQUIRED_SECTORS} <= concepts


def test_every_domain_is_a_sector(ref: Graph) -> None:
    assert set(ref.objects(None, ECO.domain)) <= _concepts(ref)


def test_each_sector_has_one_french_and_one_english_preflabel(ref: Graph) -> None:
    for concept in _concepts(ref):
        assert str(concept).startswith(str(SECTOR))
        assert sorted(_langs(ref, concept, SKOS.prefLabel)) == ["en", "fr"], concept
        alt_langs = _langs(ref, concept, SKOS.altLabel)
        assert alt_langs and None not in alt_langs, concept


def test_no_label_names_two_sectors(ref: Graph) -> None:
    """A word typed in a sector column must designate one sector only (case and accents ignored)."""
    owners: dict[str, set[URIRef]] = defaultdict(set)
    for concept in _concepts(ref):
        for predicate in (SKOS.prefLabel, SKOS.altLabel):
            for label in ref.objects(concept, predicate):
                owners[_norm(str(label))].add(concept)
    shared = {label: concepts for label, concepts in owners.items() if len(concepts) > 1}
    assert not shared


def test_alt_labels_differ_from_pref_labels(ref: Graph) -> None:
    for concept in _concepts(ref):
        prefs = {(_norm(str(label)), label.language) for label in ref.objects(concept, SKOS.prefLabel)}
        for alt in ref.objects(concept, SKOS.altLabel):
            assert (_norm(str(alt)), alt.language) not in prefs, (concept, alt)


@pytest.mark.parametrize(
    ("typed", "slug"),
    [
        ("santé", "health-biotech"),
        ("Pharma", "health-biotech"),
        ("medtech", "health-biotech"),
        ("logistique", "transport-logistics"),
        ("agroalimentaire", "agri-food"),
        ("Agro-alimentaire", "agri-food"),
        ("food", "agri-food"),
        ("aéronautique", "aerospace"),
        ("Aeronautique", "aerospace"),
        ("économie circulaire", "green-chemistry-environment"),
        ("TIC", "digital"),
        ("ICT", "digital"),
        ("e-commerce", "retail-ecommerce"),
    ],
)
def test_words_people_type_find_their_sector(ref: Graph, typed: str, slug: str) -> None:
    matches = {
        c for c in _concepts(ref)
        for predicate in (SKOS.prefLabel, SKOS.altLabel)
        for label in ref.objects(c, predicate)
        if _norm(str(label)) == _norm(typed)
    }
    assert matches == {SECTOR[slug]}


# --- the reference data passes its own shapes -------------------------------------------------------------

def test_reference_conforms_to_the_shapes(ref: Graph) -> None:
    shapes = Graph().parse(SHAPES_TTL, format="turtle")
    conforms, report, _ = pyshacl.validate(ref, shacl_graph=shapes, inference="none")
    assert conforms, report.serialize(format="turtle")
