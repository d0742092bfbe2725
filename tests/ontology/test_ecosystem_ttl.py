"""ontology/ecosystem.ttl declares exactly the ECO vocabulary of ontology/vocab.py, bilingually."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from rdflib import Graph, Literal, URIRef
from rdflib import namespace as rdfns
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS

from ontology import ECOSYSTEM_TTL, REFERENCE_TTL, SHAPES_TTL
from ontology.vocab import ECO, ORG, ROV, SCHEMA

# XSD is reached through its module: a DefinedNamespace that warns as a module global makes pytest's
# collection emit "_mock_name is not defined" warnings
XSD_NS = str(rdfns.XSD)

ECO_NS = str(ECO._NS)
ECO_TERMS = sorted(ECO.__annotations__)
ONTOLOGY_IRI = URIRef("https://w3id.org/ecokg/def")
SHAPES_FIXTURES = Path(__file__).resolve().parents[1] / "data" / "shapes"
BASE = "http://127.0.0.1:8000/"


@pytest.fixture(scope="module")
def onto() -> Graph:
    return Graph().parse(ECOSYSTEM_TTL, format="turtle")


def _texts(graph: Graph, subject: URIRef, predicate: URIRef, lang: str) -> list[str]:
    return [
        str(o) for o in graph.objects(subject, predicate) if isinstance(o, Literal) and o.language == lang
    ]


def _eco_local_names(graph: Graph) -> set[str]:
    names = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, URIRef) and str(term).startswith(ECO_NS):
                names.add(str(term)[len(ECO_NS):])
    return names


def test_parses_with_rdflib_and_pyoxigraph(onto: Graph) -> None:
    assert len(onto) > 100
    quads = list(ox.parse(path=str(ECOSYSTEM_TTL), format=ox.RdfFormat.TURTLE))
    assert len(quads) == len(onto)


def test_ontology_header(onto: Graph) -> None:
    assert list(onto.subjects(RDF.type, OWL.Ontology)) == [ONTOLOGY_IRI]
    for predicate in (DCTERMS.title, DCTERMS.description):
        for lang in ("en", "fr"):
            assert _texts(onto, ONTOLOGY_IRI, predicate, lang), (predicate, lang)
    created = onto.value(ONTOLOGY_IRI, DCTERMS.created)
    assert isinstance(created, Literal) and created.datatype == rdfns.XSD.date
    assert onto.value(ONTOLOGY_IRI, OWL.versionInfo) is not None


def test_vocab_has_terms() -> None:
    assert len(ECO_TERMS) > 40
    assert "Company" in ECO_TERMS and "offers" in ECO_TERMS


@pytest.mark.parametrize("name", ECO_TERMS)
def test_every_eco_term_is_declared_and_labelled_in_french_and_english(onto: Graph, name: str) -> None:
    term = ECO[name]
    types = set(onto.objects(term, RDF.type))
    if name[0].isupper():
        assert types == {OWL.Class}, f"eco:{name} should be an owl:Class, is {types}"
    else:
        assert len(types) == 1 and types <= {OWL.ObjectProperty, OWL.DatatypeProperty}, (
            f"eco:{name} should be an owl:ObjectProperty or an owl:DatatypeProperty, is {types}"
        )
    for predicate in (RDFS.label, RDFS.comment):
        for lang in ("fr", "en"):
            texts = _texts(onto, term, predicate, lang)
            assert len(texts) == 1, f"eco:{name} needs exactly one {predicate} @{lang}, has {texts}"
            assert texts[0].strip()
    assert (term, RDFS.isDefinedBy, ONTOLOGY_IRI) in onto


def test_ecosystem_declares_nothing_beyond_vocab(onto: Graph) -> None:
    declared = {
        str(s)[len(ECO_NS):]
        for s in onto.subjects(RDF.type, None)
        if isinstance(s, URIRef) and str(s).startswith(ECO_NS)
    }
    assert declared == set(ECO_TERMS)


@pytest.mark.parametrize(
    "path",
    [ECOSYSTEM_TTL, SHAPES_TTL, REFERENCE_TTL, *sorted(SHAPES_FIXTURES.glob("*.ttl"))],
    ids=lambda p: p.name,
)
def test_every_eco_term_used_exists_in_vocab(path: Path) -> None:
    graph = Graph().parse(path, format="turtle", publicID=BASE)
    unknown = _eco_local_names(graph) - set(ECO_TERMS)
    assert not unknown, f"{path.name} uses eco: terms missing from ontology/vocab.py: {sorted(unknown)}"


@pytest.mark.parametrize(
    "name", ["Company", "CompetitivenessPole", "Cluster", "Project", "ResearchLab", "Participation"]
)
def test_main_classes_exist(onto: Graph, name: str) -> None:
    assert name in ECO_TERMS
    assert (ECO[name], RDF.type, OWL.Class) in onto


@pytest.mark.parametrize(
    ("name", "parents"),
    [
        ("Company", {ORG.FormalOrganization, SCHEMA.Organization}),
        ("Cluster", {ORG.FormalOrganization}),
        ("CompetitivenessPole", {ORG.FormalOrganization}),
        ("ResearchInstitution", {ORG.FormalOrganization}),
        ("ResearchLab", {ORG.OrganizationalUnit}),
        ("Project", {SCHEMA.Project}),
        ("Source", {PROV.Entity}),
        ("SourceVersion", {PROV.Entity}),
        ("Participation", set()),
    ],
)
def test_classes_specialise_standard_classes(onto: Graph, name: str, parents: set[URIRef]) -> None:
    assert set(onto.objects(ECO[name], RDFS.subClassOf)) == parents


def test_company_is_not_necessarily_registered(onto: Graph) -> None:
    # a foreign firm is a company without being a rov:RegisteredOrganization
    assert (ECO.Company, RDFS.subClassOf, ROV.RegisteredOrganization) not in onto


@pytest.mark.parametrize("name", ["enterpriseNumber", "vatNumber", "pic", "labCode", "nisCode"])
def test_identifiers_are_dcterms_identifiers(onto: Graph, name: str) -> None:
    assert (ECO[name], RDFS.subPropertyOf, DCTERMS.identifier) in onto
    assert (ECO[name], RDF.type, OWL.DatatypeProperty) in onto


@pytest.mark.parametrize(
    ("name", "datatype"),
    [
        ("employees", rdfns.XSD.integer),
        ("budget", rdfns.XSD.decimal),
        ("contribution", rdfns.XSD.decimal),
        ("enterpriseNumber", rdfns.XSD.string),
        ("role", rdfns.XSD.string),
        ("version", rdfns.XSD.integer),
    ],
)
def test_datatype_ranges(onto: Graph, name: str, datatype: URIRef) -> None:
    assert onto.value(ECO[name], RDFS.range) == datatype


def test_ranges_match_property_kinds(onto: Graph) -> None:
    for prop in onto.subjects(RDF.type, OWL.DatatypeProperty):
        for rng in onto.objects(prop, RDFS.range):
            assert str(rng).startswith(XSD_NS), (prop, rng)
    for prop in onto.subjects(RDF.type, OWL.ObjectProperty):
        for rng in onto.objects(prop, RDFS.range):
            assert not str(rng).startswith(XSD_NS), (prop, rng)


def test_participation_links(onto: Graph) -> None:
    for name in ("participant", "project", "role", "contribution"):
        assert onto.value(ECO[name], RDFS.domain) == ECO.Participation
    assert onto.value(ECO.project, RDFS.range) == ECO.Project
    union = onto.value(ECO.participant, RDFS.range)
    members = set(onto.items(onto.value(union, OWL.unionOf)))
    assert {ECO.Company, ECO.ResearchLab, ECO.ResearchInstitution} <= members
