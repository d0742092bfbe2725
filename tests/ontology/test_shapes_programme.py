"""The programme-activity shapes of ontology/shapes.ttl (events, attendances, adoptions, eco:uses) on what the
events and adoption loaders write: the hand-made programme of tests/data/events, loaded and linked as a user
would, conforms; one hand-made broken fact per shape, added as the `corrections` source, gives exactly one result,
whose focus, path and shape are worked out from the fact itself.
"""

from __future__ import annotations

import io
from typing import NamedTuple

import pyoxigraph as ox
import pytest
from rdflib import Graph, URIRef

from graph.sources import LoadInput, Sources, Triple
from graph.store import EmbeddedStore
from graph.validation import validate_sources
from loaders.events import EVENT_TYPES, ROLES
from ontology import SHAPES_TTL
from ontology.vocab import SH, TECH, T
from tests.queries.test_programme_queries import BASE, EV, M1, P1, load_programme

ECOSH = "https://w3id.org/ecokg/shapes#"
EV1 = ox.NamedNode(EV[1])
EV99 = ox.NamedNode(f"{BASE}id/event/ev-99")
AT99 = ox.NamedNode(f"{BASE}id/attendance/ev-01/test")
AD99 = ox.NamedNode(f"{BASE}id/adoption/be-0470111191/test")
ERP = ox.NamedNode(str(TECH["erp"]))


def day(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=T.xsd.date)


Value = ox.NamedNode | ox.Literal | None
EVENT: dict[str, Value] = {"type": T.eco.Event, "identifier": ox.Literal("EV-99"), "title": ox.Literal("Atelier ERP"),
                           "eventType": ox.Literal("workshop"), "startDate": day("2025-06-01")}
"""A new event, EV-99, as the events loader writes one."""
ATTENDANCE: dict[str, Value] = {"type": T.eco.Attendance, "event": EV1, "attendee": ox.NamedNode(M1),
                                "startDate": day("2023-06-01")}
"""A new attendance of M1 at EV-01, as the events loader writes one."""
ADOPTION: dict[str, Value] = {"type": T.eco.Adoption, "adopter": ox.NamedNode(M1), "technology": ERP,
                              "startDate": day("2022-01-10")}
"""A new adoption of ERP by M1, as the adoption loader writes one."""


def new(subject: ox.NamedNode, values: dict[str, Value], **change: Value) -> list[Triple]:
    """`subject` with `values` (by predicate local name) but for `change`; a value None leaves the property out."""
    return [(subject, _term(k), v) for k, v in {**values, **change}.items() if v is not None]


def _term(name: str) -> ox.NamedNode:
    where = {"type": T.rdf, "identifier": T.dcterms, "title": T.dcterms, "startDate": T.schema,
             "location": T.schema, "about": T.schema}
    return getattr(where.get(name, T.eco), name)


class Broken(NamedTuple):
    facts: list[Triple]
    focus: ox.NamedNode
    path: ox.NamedNode | None  # None: a rule on the node itself
    shape: str  # local name in ecosh:


BROKEN = {
    "Event-identifier (a second id)": Broken(
        [(EV1, T.dcterms.identifier, ox.Literal("EV-1"))], EV1, T.dcterms.identifier, "Event-identifier"),
    "Event-title (none)": Broken(new(EV99, EVENT, title=None), EV99, T.dcterms.title, "Event-title"),
    "Event-eventType (not a known type)": Broken(
        new(EV99, EVENT, eventType=ox.Literal("webinar")), EV99, T.eco.eventType, "Event-eventType"),
    "Event-startDate (a date as plain text)": Broken(
        new(EV99, EVENT, startDate=ox.Literal("2025-06-01")), EV99, T.schema.startDate, "Event-startDate"),
    "Event-location (a second place)": Broken(
        [(EV1, T.schema.location, ox.Literal("Liège"))], EV1, T.schema.location, "Event-location"),
    "Event-targets (a label)": Broken(
        [(EV1, T.eco.targets, ox.Literal("logistique"))], EV1, T.eco.targets, "Event-targets"),
    "Event-about (a label)": Broken([(EV1, T.schema.about, ox.Literal("ERP"))], EV1, T.schema.about, "Event-about"),
    "Attendance-event (a project)": Broken(
        new(AT99, ATTENDANCE, event=ox.NamedNode(P1)), AT99, T.eco.event, "Attendance-event"),
    "Attendance-attendee (none)": Broken(
        new(AT99, ATTENDANCE, attendee=None), AT99, T.eco.attendee, "Attendance-attendee"),
    "Attendance-attendeeRole (French, as written)": Broken(
        new(AT99, ATTENDANCE, attendeeRole=ox.Literal("orateur")), AT99, T.eco.attendeeRole, "Attendance-attendeeRole"),
    "Attendance-startDate (none)": Broken(
        new(AT99, ATTENDANCE, startDate=None), AT99, T.schema.startDate, "Attendance-startDate"),
    "Adoption-adopter (an event)": Broken(new(AD99, ADOPTION, adopter=EV1), AD99, T.eco.adopter, "Adoption-adopter"),
    "Adoption-technology (a label)": Broken(
        new(AD99, ADOPTION, technology=ox.Literal("ERP")), AD99, T.eco.technology, "Adoption-technology"),
    "Adoption-startDate (none)": Broken(
        new(AD99, ADOPTION, startDate=None), AD99, T.schema.startDate, "Adoption-startDate"),
    "OrganisationUsesShape (an event using a tool)": Broken(
        [(EV1, T.eco.uses, ERP)], EV1, None, "OrganisationUsesShape"),
    "Organisation-uses (a label)": Broken(
        [(ox.NamedNode(M1), T.eco.uses, ox.Literal("ERP"))], ox.NamedNode(M1), T.eco.uses, "Organisation-uses"),
}


@pytest.fixture(scope="module")
def programme(system_dump: bytes) -> Sources:
    store = EmbeddedStore.in_memory()
    store.restore(io.BytesIO(system_dump))
    sources = Sources(store, BASE, exclusive=True)
    load_programme(sources)
    return sources


def correct(sources: Sources, facts: list[Triple]) -> None:
    """`facts` as the whole `corrections` source (replacing the previous test's)."""
    sources.replace("corrections", facts, lambda: LoadInput(files=(), rows=len(facts), loader_version="t"))


def test_the_programme_fixture_conforms(programme: Sources) -> None:
    correct(programme, [])
    # the shapes have something to check: 5 events, 18 attendances, 2 dated adoptions (tests/data/events/README.md)
    for cls, n in ((T.eco.Event, 5), (T.eco.Attendance, 18), (T.eco.Adoption, 2)):
        assert sum(1 for g in programme.dataset() for _ in programme.store.quads(g, None, T.rdf.type, cls)) == n
    assert [str(v) for v in validate_sources(programme)] == []


@pytest.mark.parametrize("name", sorted(BROKEN))
def test_a_broken_fact_gives_exactly_its_result(programme: Sources, name: str) -> None:
    broken = BROKEN[name]
    correct(programme, broken.facts)
    results = validate_sources(programme)
    path = broken.path.value if broken.path else ""
    assert [(v.focus, v.path, v.severity, v.shape) for v in results] == [
        (broken.focus.value, path, "Violation", ECOSH + broken.shape)]
    assert results[0].message


def test_every_new_shape_has_its_broken_fact() -> None:
    shapes = Graph().parse(SHAPES_TTL, format="turtle")
    added = {f"{ECOSH}{n}" for n in ("EventShape", "AttendanceShape", "AdoptionShape", "OrganisationUsesShape")}
    own = {str(p) for n in added for p in shapes.objects(URIRef(n), SH.property)} | {
        n for n in added if (URIRef(n), SH["class"], None) in shapes}
    assert own == {ECOSH + b.shape for b in BROKEN.values()}


def test_the_allowed_values_are_the_loader_s() -> None:
    shapes = Graph().parse(SHAPES_TTL, format="turtle")
    for shape, keys in (("Event-eventType", EVENT_TYPES), ("Attendance-attendeeRole", ROLES)):
        listed = shapes.value(URIRef(ECOSH + shape), SH["in"])
        assert listed is not None, shape
        assert [str(v) for v in shapes.items(listed)] == list(keys), shape
