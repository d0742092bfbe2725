"""ontology/shapes.ttl, tested in pairs: per shape, a conforming example and examples breaking one rule each.

The examples are tests/data/shapes/<shape>-ok.ttl and <shape>-bad-<what>.ttl; they follow the patterns of
docs/ontology.md (what the loaders write). A bad example must fail with exactly one validation result, and the
test names that result: its focus node, sh:sourceShape, sh:resultPath and constraint component.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import NamedTuple

import pyshacl
import pytest
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib import namespace as rdfns  # rdfns.TIME, not TIME: see XSD_NS in test_ecosystem_ttl.py
from rdflib.namespace import DCTERMS, RDF, SH, SKOS

from ontology import SHAPES_TTL
from ontology.vocab import ECO, LOCN, ORG, ROV, SCHEMA

DATA = Path(__file__).resolve().parents[1] / "data" / "shapes"
ID = Namespace("http://127.0.0.1:8000/id/")  # the fixtures' @base
ECOSH = Namespace("https://w3id.org/ecokg/shapes#")


class Expected(NamedTuple):
    focus: str  # relative to ID
    shape: str  # local name in ECOSH
    path: URIRef | None  # None: a node-level constraint
    component: str  # local name of the sh: constraint component
    severity: str = "Violation"


COMPANY = "org/be-0436195241"
INSTITUTION = "org/be-0325777171"
LAB = "lab/ulg-montefiore"
PROJECT = "project/biowin-bw-2021-007"
COMPANY_PART = "participation/biowin-bw-2021-007/be-0436195241"
LAB_PART = "participation/biowin-bw-2021-007/ulg-montefiore"
SKYWIN_MEMBERSHIP = "membership/be-0436195241/skywin"
CLUSTER_MEMBERSHIP = "membership/be-0436195241/ict-wallonia"

BAD: dict[str, Expected] = {
    "company-bad-enterprise-number-format": Expected(
        COMPANY, "Company-enterpriseNumber", ECO.enterpriseNumber, "PatternConstraintComponent"),
    "company-bad-missing-legal-name": Expected(  # only a warning: see shapes.ttl
        COMPANY, "Company-named", ROV.legalName, "MinCountConstraintComponent", "Warning"),
    "company-bad-legal-name-not-text": Expected(
        COMPANY, "Company-legalName", ROV.legalName, "OrConstraintComponent"),
    "company-bad-two-enterprise-numbers": Expected(
        COMPANY, "Company-enterpriseNumber", ECO.enterpriseNumber, "MaxCountConstraintComponent"),
    "company-bad-vat-number": Expected(
        COMPANY, "Company-vatNumber", ECO.vatNumber, "PatternConstraintComponent"),
    "company-bad-employees-datatype": Expected(
        COMPANY, "Company-employees", ECO.employees, "DatatypeConstraintComponent"),
    "company-bad-offers-literal": Expected(
        COMPANY, "Company-offers", ECO.offers, "NodeKindConstraintComponent"),
    "address-bad-empty": Expected(
        f"{LAB}#address", "AddressShape", None, "OrConstraintComponent"),
    "address-bad-country-name": Expected(
        f"{COMPANY}#address", "Address-country", LOCN.adminUnitL1, "PatternConstraintComponent"),
    "address-bad-municipality-literal": Expected(
        f"{COMPANY}#address", "Address-municipality", ECO.municipality, "NodeKindConstraintComponent"),
    "membership-bad-date-datatype": Expected(
        f"{CLUSTER_MEMBERSHIP}#start", "Instant-inXSDDate", rdfns.TIME.inXSDDate,
        "DatatypeConstraintComponent"),
    "membership-bad-missing-organization": Expected(
        SKYWIN_MEMBERSHIP, "Membership-organization", ORG.organization, "MinCountConstraintComponent"),
    "membership-bad-two-members": Expected(
        SKYWIN_MEMBERSHIP, "Membership-member", ORG.member, "MaxCountConstraintComponent"),
    "membership-bad-member-not-in-data": Expected(
        SKYWIN_MEMBERSHIP, "Membership-member", ORG.member, "ClassConstraintComponent"),
    "membership-bad-empty-period": Expected(
        f"{CLUSTER_MEMBERSHIP}#during", "IntervalShape", None, "OrConstraintComponent"),
    "competitiveness-pole-bad-pic": Expected(
        "pole/biowin", "CompetitivenessPole-pic", ECO.pic, "PatternConstraintComponent"),
    "competitiveness-pole-bad-missing-label": Expected(
        "pole/biowin", "CompetitivenessPole-prefLabel", SKOS.prefLabel, "MinCountConstraintComponent"),
    "competitiveness-pole-bad-url-literal": Expected(
        "pole/biowin", "CompetitivenessPole-url", SCHEMA.url, "NodeKindConstraintComponent"),
    "cluster-bad-domain-literal": Expected(
        "cluster/ict-wallonia", "Cluster-domain", ECO.domain, "NodeKindConstraintComponent"),
    "cluster-bad-missing-label": Expected(
        "cluster/ict-wallonia", "Cluster-prefLabel", SKOS.prefLabel, "MinCountConstraintComponent"),
    "research-institution-bad-enterprise-number": Expected(
        INSTITUTION, "ResearchInstitution-enterpriseNumber", ECO.enterpriseNumber,
        "PatternConstraintComponent"),
    "research-institution-bad-unit-not-lab": Expected(
        INSTITUTION, "ResearchInstitution-hasUnit", ORG.hasUnit, "ClassConstraintComponent"),
    "research-lab-bad-missing-unit-of": Expected(
        LAB, "ResearchLab-unitOf", ORG.unitOf, "MinCountConstraintComponent"),
    "research-lab-bad-two-lab-codes": Expected(
        LAB, "ResearchLab-labCode", ECO.labCode, "MaxCountConstraintComponent"),
    "research-lab-bad-expertise-literal": Expected(
        LAB, "ResearchLab-hasExpertise", ECO.hasExpertise, "NodeKindConstraintComponent"),
    "research-lab-bad-unit-of-company": Expected(
        LAB, "ResearchLab-unitOf", ORG.unitOf, "ClassConstraintComponent"),
    "project-bad-start-date-datatype": Expected(
        PROJECT, "Project-startDate", SCHEMA.startDate, "DatatypeConstraintComponent"),
    "project-bad-no-title-nor-acronym": Expected(
        "project/skywin-sw-2022-001", "ProjectShape", None, "OrConstraintComponent"),
    "project-bad-two-identifiers": Expected(
        PROJECT, "Project-identifier", DCTERMS.identifier, "MaxCountConstraintComponent"),
    "project-bad-negative-budget": Expected(
        PROJECT, "Project-budget", ECO.budget, "MinInclusiveConstraintComponent"),
    "project-bad-budget-datatype": Expected(
        PROJECT, "Project-budget", ECO.budget, "DatatypeConstraintComponent"),
    "project-bad-end-before-start": Expected(
        PROJECT, "Project-datesInOrder", SCHEMA.startDate, "LessThanOrEqualsConstraintComponent"),
    "project-bad-pole-literal": Expected(
        PROJECT, "Project-labelledBy", ECO.labelledBy, "NodeKindConstraintComponent"),
    "participation-bad-role": Expected(
        COMPANY_PART, "Participation-role", ECO.role, "InConstraintComponent"),
    "participation-bad-negative-contribution": Expected(
        COMPANY_PART, "Participation-contribution", ECO.contribution, "MinInclusiveConstraintComponent"),
    "participation-bad-contribution-datatype": Expected(
        COMPANY_PART, "Participation-contribution", ECO.contribution, "DatatypeConstraintComponent"),
    "participation-bad-missing-project": Expected(
        LAB_PART, "Participation-project", ECO.project, "MinCountConstraintComponent"),
    "participation-bad-two-participants": Expected(
        LAB_PART, "Participation-participant", ECO.participant, "MaxCountConstraintComponent"),
    "participation-bad-participant-kind": Expected(
        LAB_PART, "Participation-participant", ECO.participant, "OrConstraintComponent"),
    "programme-bad-event-type": Expected(
        "event/ev-03", "Event-eventType", ECO.eventType, "InConstraintComponent"),
    "programme-bad-attendance-without-attendee": Expected(
        "attendance/ev-03/name-transports-mosans", "Attendance-attendee", ECO.attendee, "MinCountConstraintComponent"),
    "programme-bad-adoption-date-text": Expected(
        "adoption/be-0510222275/e-invoicing", "Adoption-startDate", SCHEMA.startDate, "DatatypeConstraintComponent"),
    "programme-bad-uses-label": Expected(
        "org/be-0510111122", "Organisation-uses", ECO.uses, "NodeKindConstraintComponent"),
}
OK = sorted(p.stem for p in DATA.glob("*-ok.ttl"))


@pytest.fixture(scope="module")
def shapes() -> Graph:
    return Graph().parse(SHAPES_TTL, format="turtle")


def _load(name: str) -> Graph:
    return Graph().parse(DATA / f"{name}.ttl", format="turtle")


def _validate(data: Graph, shapes: Graph) -> tuple[bool, Graph]:
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", advanced=False)
    return bool(conforms), report


def _results(report: Graph) -> list[URIRef | BNode]:
    return list(report.subjects(RDF.type, SH.ValidationResult))


def test_fixture_files_are_all_accounted_for() -> None:
    on_disk = {p.stem for p in DATA.glob("*.ttl")}
    assert on_disk == set(OK) | set(BAD)
    assert all("-bad-" in name for name in BAD)
    # every bad example varies an ok example of the same shape
    assert all(name.split("-bad-")[0] + "-ok" in OK for name in BAD)


@pytest.mark.parametrize("name", OK)
def test_ok_example_conforms(shapes: Graph, name: str) -> None:
    conforms, report = _validate(_load(name), shapes)
    assert conforms, report.serialize(format="turtle")


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_example_fails_exactly_where_expected(shapes: Graph, name: str) -> None:
    expected = BAD[name]
    conforms, report = _validate(_load(name), shapes)
    assert not conforms
    results = _results(report)
    assert len(results) == 1, report.serialize(format="turtle")
    result = results[0]
    assert report.value(result, SH.focusNode) == ID[expected.focus]
    assert report.value(result, SH.sourceShape) == ECOSH[expected.shape]
    assert report.value(result, SH.resultPath) == expected.path
    assert report.value(result, SH.sourceConstraintComponent) == SH[expected.component]
    assert report.value(result, SH.resultSeverity) == SH[expected.severity]
    langs = {m.language for m in report.objects(result, SH.resultMessage) if isinstance(m, Literal)}
    assert {"en", "fr"} <= langs, "the shape's messages reach the report in English and French"


def test_a_company_known_only_by_its_number_is_a_warning_not_a_violation(shapes: Graph) -> None:
    # what the poles loader writes for a participant given by enterprise number only
    data = Graph().parse(data=f"""
        @prefix eco: <{ECO._NS}> . @prefix org: <{ORG}> .
        <{ID[COMPANY]}> a eco:Company , org:FormalOrganization ; eco:enterpriseNumber "0436.195.241" .
    """, format="turtle")
    conforms, report, _ = pyshacl.validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert conforms
    assert [report.value(r, SH.sourceShape) for r in _results(report)] == [ECOSH["Company-named"]]


def _node_shapes(shapes: Graph) -> list[URIRef]:
    return sorted(s for s in shapes.subjects(RDF.type, SH.NodeShape) if isinstance(s, URIRef))


def test_node_shapes_are_the_expected_ones(shapes: Graph) -> None:
    targets = {shapes.value(s, SH.targetClass) for s in _node_shapes(shapes)}
    assert {
        ECO.Company, ECO.CompetitivenessPole, ECO.Cluster, ECO.ResearchInstitution, ECO.ResearchLab,
        ECO.Project, ECO.Participation, ORG.Membership, LOCN.Address,
    } <= targets
    assert None not in targets


def test_every_node_shape_is_tested_in_pairs(shapes: Graph) -> None:
    """Every node shape: an ok example with a node it targets; a bad example breaking one of its rules."""
    ok_types = set()
    for name in OK:
        ok_types |= set(_load(name).objects(None, RDF.type))
    failing = {ECOSH[e.shape] for e in BAD.values()}
    for node_shape in _node_shapes(shapes):
        assert shapes.value(node_shape, SH.targetClass) in ok_types, f"no ok example for {node_shape}"
        own = {node_shape, *shapes.objects(node_shape, SH.property)}
        assert own & failing, f"no bad example for {node_shape}"


def test_the_checks_the_loaders_rely_on_are_covered() -> None:
    covered = {(e.path, e.component) for e in BAD.values()}
    assert (ECO.enterpriseNumber, "PatternConstraintComponent") in covered
    assert (ECO.vatNumber, "PatternConstraintComponent") in covered
    assert (SCHEMA.startDate, "DatatypeConstraintComponent") in covered
    assert (rdfns.TIME.inXSDDate, "DatatypeConstraintComponent") in covered
    assert (ECO.role, "InConstraintComponent") in covered
    assert any(c == "MinCountConstraintComponent" for _, c in covered)
    assert any(c == "MaxCountConstraintComponent" for _, c in covered)


def test_every_shape_is_named_described_and_has_bilingual_messages(shapes: Graph) -> None:
    property_shapes = {o for s in _node_shapes(shapes) for o in shapes.objects(s, SH.property)}
    assert property_shapes and all(isinstance(p, URIRef) for p in property_shapes), "named property shapes"
    for shape in [*_node_shapes(shapes), *property_shapes]:
        for predicate in (SH.name, SH.description):
            assert any(
                isinstance(o, Literal) and o.language == "en" for o in shapes.objects(shape, predicate)
            ), (shape, predicate)
        has_own_constraint = shape in property_shapes or (shape, SH["or"], None) in shapes
        if has_own_constraint:
            langs = {m.language for m in shapes.objects(shape, SH.message) if isinstance(m, Literal)}
            assert langs == {"en", "fr"}, (shape, langs)


def test_shapes_graph_is_valid_shacl(shapes: Graph) -> None:
    # meta_shacl validates the shapes graph against the SHACL-for-SHACL shapes first (raises if invalid)
    conforms, _, _ = pyshacl.validate(_load("cluster-ok"), shacl_graph=shapes, meta_shacl=True)
    assert conforms


def _pattern(shapes: Graph, shape: str) -> str:
    pattern = shapes.value(ECOSH[shape], SH.pattern)
    assert pattern is not None
    return str(pattern)


@pytest.mark.parametrize(
    ("shape", "value", "valid"),
    [
        ("Company-enterpriseNumber", "0436.195.241", True),
        ("Company-enterpriseNumber", "1234.567.890", True),
        ("Company-enterpriseNumber", "0436195241", False),
        ("Company-enterpriseNumber", "436.195.241", False),
        ("Company-enterpriseNumber", "2436.195.241", False),
        ("Company-enterpriseNumber", "BE0436.195.241", False),
        ("Company-vatNumber", "BE0436195241", True),
        ("Company-vatNumber", "FR40123456789", True),
        ("Company-vatNumber", "NL123456789B01", True),
        ("Company-vatNumber", "CHE115665634MWST", True),  # Swiss, as CORDIS H2020 gives it
        ("Company-vatNumber", "CHE115665634MWSTX", False),
        ("Company-vatNumber", "BE436195241", False),
        ("Company-vatNumber", "BE2436195241", False),
        ("Company-vatNumber", "BE 0436 195 241", False),
        ("Company-vatNumber", "be0436195241", False),
        ("Company-vatNumber", "0436195241", False),
        ("Company-pic", "993523956", True),
        ("Company-pic", "99352395", False),
        ("Address-country", "BE", True),
        ("Address-country", "Belgique", False),
    ],
)
def test_identifier_patterns(shapes: Graph, shape: str, value: str, valid: bool) -> None:
    # pySHACL applies sh:pattern with Python's re.search
    assert bool(re.search(_pattern(shapes, shape), value)) is valid


def test_role_values(shapes: Graph) -> None:
    values = shapes.value(ECOSH["Participation-role"], SH["in"])
    assert [str(v) for v in shapes.items(values)] == ["coordinator", "partner", "subcontractor", "associated"]
