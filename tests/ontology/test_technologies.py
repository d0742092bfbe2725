"""The digital-technology taxonomy (ontology/technologies.ttl): shape, labels and euroSciVoc mappings."""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache
from pathlib import Path

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, SKOS

ONTOLOGY = Path(__file__).resolve().parents[2] / "ontology"
TECH = Namespace("https://w3id.org/ecokg/tech/")
SCHEME = TECH.scheme

EXPECTED_SLUGS = [
    # artificial intelligence
    "artificial-intelligence", "machine-learning", "deep-learning", "computer-vision",
    "natural-language-processing", "generative-ai", "large-language-models", "speech-technologies",
    "recommender-systems", "optimisation", "reinforcement-learning",
    # data and analytics
    "data-analytics", "big-data", "data-engineering", "business-intelligence", "data-visualisation",
    "data-science", "statistics", "data-governance", "open-data",
    # cloud and edge
    "cloud-computing", "saas", "edge-computing", "devops", "serverless",
    # cybersecurity
    "cybersecurity", "network-security", "identity-access-management", "cryptography", "security-audit",
    "ot-security", "cyber-hygiene",
    # IoT
    "internet-of-things", "sensors", "embedded-systems", "industrial-iot", "smart-buildings",
    # HPC and quantum
    "high-performance-computing", "simulation", "quantum-computing",
    # blockchain, XR, robotics, digital twins
    "blockchain", "extended-reality", "augmented-reality", "virtual-reality", "3d-modelling",
    "robotics", "industrial-robots", "cobots", "drones", "autonomous-vehicles", "digital-twin",
    # networks
    "networks", "5g", "lpwan", "satellite-communications",
    # software engineering
    "software-engineering", "web-development", "mobile-apps", "custom-software", "apis-integration",
    "low-code", "ux-ui-design", "software-testing", "open-source",
    # soft digital transformation
    "digital-transformation", "erp", "crm", "e-invoicing", "e-commerce", "process-automation", "rpa",
    "accounting-software", "collaboration-tools", "digital-marketing", "website",
    # other domains
    "geospatial", "digital-health", "medical-imaging-ai", "bioinformatics", "fintech", "e-learning",
]


@lru_cache(maxsize=1)
def taxonomy() -> Graph:
    return Graph().parse(ONTOLOGY / "technologies.ttl", format="turtle")


@lru_cache(maxsize=1)
def euroscivoc() -> Graph:
    return Graph().parse(ONTOLOGY / "euroscivoc.ttl", format="turtle")


def concepts() -> set[URIRef]:
    return {c for c in taxonomy().subjects(RDF.type, SKOS.Concept) if isinstance(c, URIRef)}


def broader(concept: URIRef) -> list[URIRef]:
    return [b for b in taxonomy().objects(concept, SKOS.broader) if isinstance(b, URIRef)]


def depth(concept: URIRef) -> int:
    seen: set[URIRef] = set()
    level = 1
    while parents := broader(concept):
        assert concept not in seen, f"cycle through {concept}"
        seen.add(concept)
        concept = parents[0]
        level += 1
    return level


def test_at_least_80_concepts_all_in_the_scheme() -> None:
    cs = concepts()
    assert len(cs) >= 80
    g = taxonomy()
    assert (SCHEME, RDF.type, SKOS.ConceptScheme) in g
    assert all((c, SKOS.inScheme, SCHEME) in g for c in cs)
    assert all(str(c).startswith(str(TECH)) for c in cs)


def test_at_least_three_levels() -> None:
    levels = {depth(c) for c in concepts()}
    assert {1, 2, 3} <= levels


def test_one_broader_per_concept_or_top() -> None:
    g = taxonomy()
    tops = set(g.objects(SCHEME, SKOS.hasTopConcept))
    assert tops == set(g.subjects(SKOS.topConceptOf, SCHEME))
    for c in concepts():
        parents = broader(c)
        if c in tops:
            assert parents == [], f"top concept {c} has a broader concept"
        else:
            assert len(parents) == 1, f"{c} has {len(parents)} broader concepts"
            assert parents[0] in concepts(), f"{c} has a broader concept outside the scheme"


def test_every_concept_reaches_a_top_concept() -> None:
    g = taxonomy()
    tops = set(g.objects(SCHEME, SKOS.hasTopConcept))
    for c in concepts():
        node = c
        for _ in range(20):
            parents = broader(node)
            if not parents:
                break
            node = parents[0]
        assert node in tops, f"{c} does not reach a top concept"


def test_every_concept_has_one_pref_label_in_fr_and_en() -> None:
    g = taxonomy()
    for c in concepts():
        labels = [lab for lab in g.objects(c, SKOS.prefLabel) if isinstance(lab, Literal)]
        assert sorted(str(lab.language) for lab in labels) == ["en", "fr"], c
        assert all(str(lab).strip() for lab in labels), c


def test_labels_are_unique_per_language() -> None:
    g = taxonomy()
    owners: dict[tuple[str | None, str], set[URIRef]] = defaultdict(set)
    for c in concepts():
        for prop in (SKOS.prefLabel, SKOS.altLabel):
            for lab in g.objects(c, prop):
                assert isinstance(lab, Literal) and lab.language in ("fr", "en"), (c, lab)
                key = (lab.language, str(lab).casefold())
                owners[key].add(c)
    clashes = {key: sorted(map(str, cs)) for key, cs in owners.items() if len(cs) > 1}
    assert clashes == {}


def test_pref_and_alt_labels_are_disjoint_within_a_concept() -> None:
    g = taxonomy()
    for c in concepts():
        for lang in ("fr", "en"):
            labels = [str(lab).casefold() for prop in (SKOS.prefLabel, SKOS.altLabel)
                      for lab in g.objects(c, prop) if isinstance(lab, Literal) and lab.language == lang]
            assert len(labels) == len(set(labels)), (c, lang)


@pytest.mark.parametrize("label, slug", [
    ("IA", "artificial-intelligence"), ("AI", "artificial-intelligence"), ("ML", "machine-learning"),
    ("cyber", "cybersecurity"), ("ERP", "erp"), ("CRM", "crm"), ("RPA", "rpa"), ("IoT", "internet-of-things"),
    ("BI", "business-intelligence"), ("Power BI", "business-intelligence"), ("5G", "5g"),
    ("blockchain", "blockchain"), ("VR", "virtual-reality"), ("AR", "augmented-reality"),
    ("jumeau numérique", "digital-twin"), ("facturation électronique", "e-invoicing"),
    ("Peppol", "e-invoicing"),
    ("e-commerce", "e-commerce"), ("webshop", "e-commerce"), ("IA générative", "generative-ai"),
    ("vision par ordinateur", "computer-vision"), ("LoRa", "lpwan"), ("HPC", "high-performance-computing"),
])
def test_spreadsheet_labels_find_their_concept(label: str, slug: str) -> None:
    g = taxonomy()
    found = {c for prop in (SKOS.prefLabel, SKOS.altLabel) for c, lab in g.subject_objects(prop)
             if isinstance(lab, Literal) and str(lab).casefold() == label.casefold()}
    assert found == {TECH[slug]}


def test_expected_topics_are_present() -> None:
    missing = [slug for slug in EXPECTED_SLUGS if TECH[slug] not in concepts()]
    assert missing == []


def test_definitions_are_english_one_liners() -> None:
    g = taxonomy()
    for c, definition in g.subject_objects(SKOS.definition):
        assert isinstance(definition, Literal) and definition.language == "en", c
        assert "\n" not in str(definition), c


def test_euroscivoc_mappings_resolve() -> None:
    g, esv = taxonomy(), euroscivoc()
    esv_concepts = set(esv.subjects(RDF.type, SKOS.Concept))
    mappings = [(c, t) for prop in (SKOS.exactMatch, SKOS.closeMatch) for c, t in g.subject_objects(prop)]
    assert len(mappings) >= 30
    unresolved = [(str(c), str(t)) for c, t in mappings if t not in esv_concepts]
    assert unresolved == []


def test_some_euroscivoc_mappings_by_hand() -> None:
    g = taxonomy()
    esv = Namespace("urn:cordis:euroscivoc:")
    assert (TECH["machine-learning"], SKOS.exactMatch, esv["23_47_297_933"]) in g
    assert (TECH["computer-vision"], SKOS.exactMatch, esv["23_47_297_935"]) in g
    assert (TECH["quantum-computing"], SKOS.exactMatch, esv["25_73_453_449_1207"]) in g
    assert (TECH["5g"], SKOS.exactMatch, esv["25_73_30020_455_1221_73074801_1711"]) in g


def test_euroscivoc_copy_keeps_its_origin() -> None:
    head = (ONTOLOGY / "euroscivoc.ttl").read_text(encoding="utf-8").splitlines()[:5]
    assert head[0].startswith("# DERIVED")
    assert any("/work/shared/data/taxonomies/" in line and "CORDIS" in line for line in head)
