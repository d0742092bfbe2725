"""A pole's files -> its members, its projects and their participations (docs/data-dictionary.md).

The tables of one load may come in any order and any number of files or sheets; they are read in
dependency order: the registry (poles it declares), members, projects, then participants, which must
name a project of the same load.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass

import pyoxigraph as ox

from graph.sources import Triple
from loaders import fields
from loaders.common import ROLES, Builder, date_literal, decimal_literal
from loaders.members import CONTACT_COLUMNS, NAME, NUMBER, PROFILE_COLUMNS, company_rows
from loaders.tabular import Column, Row, Table, TableSchema
from loaders.vocabulary import normalise
from ontology.iris import fragment
from ontology.vocab import T

POLE = Column("pole", ("pôle", "pole id", "competitiveness pole"))
PROJECT_ID = Column(
    "project_id", ("id", "code", "identifiant", "référence", "reference", "project id", "projet", "id projet"),
    required=True,
)
START = Column("start_date", ("date de début", "début", "start", "start date", "date début"))
END = Column("end_date", ("date de fin", "fin", "end", "end date", "date fin"))

MEMBERS = TableSchema(
    "pole members",
    (NUMBER, NAME, POLE, *CONTACT_COLUMNS, *PROFILE_COLUMNS,
     Column("member_until", ("membre jusqu'au", "fin d'adhésion", "until", "member until"))),
    signature=frozenset({"enterprise_number", "name"}),
    excludes=frozenset({"project_id", "pole_id"}),
)
PROJECTS = TableSchema(
    "pole projects",
    (PROJECT_ID, Column("title", ("titre", "intitulé", "nom du projet", "project title"), required=True),
     Column("acronym", ("acronyme",)), POLE, START, END,
     Column("budget", ("coût total", "montant", "total cost")),
     Column("programme", ("appel", "call", "programme de financement", "funding")),
     Column("needs", ("technologies", "technologies nécessaires", "besoins", "besoins technologiques")),
     Column("sector", ("secteur",))),
    signature=frozenset({"project_id", "title"}),
)
PARTICIPANTS = TableSchema(
    "participants",
    (PROJECT_ID, POLE,
     Column("enterprise_number", NUMBER.aliases),
     Column("lab_code", ("code labo", "code unité", "unit code", "lab")),
     Column("participant_name", ("nom du participant", "partenaire", "partner", "participant")),
     Column("country", ("pays",)),
     Column("role", ("rôle",)),
     Column("contribution", ("subside", "financement", "montant", "ec contribution"))),
    signature=frozenset({"project_id"}),
    excludes=frozenset({"title"}),
)
REGISTRY = TableSchema(
    "pole registry",
    (Column("pole_id", ("id du pôle",), required=True), Column("name", ("nom",), required=True),
     Column("type", ()), Column("domain", ("domaine", "secteur", "sector"))),
    signature=frozenset({"pole_id"}),
)
SCHEMAS = (REGISTRY, MEMBERS, PROJECTS, PARTICIPANTS)


@dataclass(frozen=True)
class _Project:
    iri: ox.NamedNode
    pole: ox.NamedNode
    start: ox.Literal | None
    end: ox.Literal | None


def pole_labels(tables: Sequence[Table], given: str | None) -> set[str]:
    """The poles a load is about, as written: to name its source before reading it all."""
    labels = {row.text("pole") for t in tables if t.schema is not REGISTRY for row in t.rows}
    labels.discard("")
    if given:
        labels.add(given)
    return labels


def convert(tables: Sequence[Table], b: Builder, given_pole: str | None) -> Iterator[Triple]:
    by_schema = {s.name: [t for t in tables if t.schema is s] for s in SCHEMAS}
    for table in by_schema[REGISTRY.name]:
        yield from _registry(table, b)
    seen: dict[str, str] = {}
    for table in by_schema[MEMBERS.name]:
        for row, org in company_rows(table, b, seen):
            pole = b.pole(row, "pole", given_pole)
            if pole is not None:
                b.membership(org, pole, b.date(row, "member_since"), b.date(row, "member_until"))
            yield from b.drain()
    projects: dict[str, list[_Project]] = {}
    for table in by_schema[PROJECTS.name]:
        yield from _projects(table, b, given_pole, projects)
    for table in by_schema[PARTICIPANTS.name]:
        yield from _participants(table, b, projects)
    yield from b.drain()


def _registry(table: Table, b: Builder) -> Iterator[Triple]:
    """Poles and clusters beyond the reference ones (e.g. another region's); known to the rest of the load."""
    seen: dict[str, str] = {}
    for row in table.rows:
        b.rows += 1
        pole_id, name = b.required(row, "pole_id"), b.required(row, "name")
        kind = (row.text("type") or "pole").lower()
        if kind not in ("pole", "cluster"):
            b.problems.append(row.problem("type", f"type must be 'pole' or 'cluster', not '{kind}'"))
            continue
        if not (pole_id and name) or not b.unique(row, "pole_id", pole_id, seen):
            continue
        iri = b.minter.pole(pole_id) if kind == "pole" else b.minter.cluster(pole_id)
        scheme = b.vocab.poles if kind == "pole" else b.vocab.clusters
        b.add(iri, T.rdf.type, T.eco.CompetitivenessPole if kind == "pole" else T.eco.Cluster)
        b.add(iri, T.rdf.type, T.org.FormalOrganization)
        b.text(iri, T.skos.prefLabel, name)
        b.concepts(row, "domain", iri, T.eco.domain, kind="sector")
        for label in (pole_id, name):
            scheme.add(iri, label, preferred=label == name)
        yield from b.drain()


def _projects(table: Table, b: Builder, given_pole: str | None, out: dict[str, list[_Project]]) -> Iterator[Triple]:
    seen: dict[str, dict[str, str]] = {}  # per pole: project id -> its row
    for row in table.rows:
        b.rows += 1
        project_id, title = b.required(row, "project_id"), b.required(row, "title")
        pole = b.pole(row, "pole", given_pole)
        start, end = b.period(row, "start_date", "end_date")
        budget = b.parse(row, "budget", fields.parse_amount)
        if not project_id or pole is None or not b.unique(row, "project_id", project_id,
                                                          seen.setdefault(pole.value, {})):
            continue
        pole_id = b.minter.local_id(pole, "pole") or "pole"
        iri = b.minter.project(pole_id, project_id)
        b.add(iri, T.rdf.type, T.eco.Project)
        b.text(iri, T.dcterms.identifier, project_id)
        b.text(iri, T.dcterms.title, title)
        b.text(iri, T.schema.alternateName, row.text("acronym"))
        b.add(iri, T.eco.labelledBy, pole)
        b.text(iri, T.eco.programme, row.text("programme"))
        start_lit = date_literal(start) if start else None
        end_lit = date_literal(end) if end else None
        if start_lit:
            b.add(iri, T.schema.startDate, start_lit)
        if end_lit:
            b.add(iri, T.schema.endDate, end_lit)
        if budget is not None:
            b.add(iri, T.eco.budget, decimal_literal(budget))
        b.concepts(row, "needs", iri, T.eco.needs)
        b.concepts(row, "sector", iri, T.eco.sector, kind="sector")
        out.setdefault(normalise(project_id), []).append(_Project(iri, pole, start_lit, end_lit))
        yield from b.drain()


def _participants(table: Table, b: Builder, projects: dict[str, list[_Project]]) -> Iterator[Triple]:
    seen: dict[str, str] = {}
    for row in table.rows:
        b.rows += 1
        project = _project_of(row, b, projects)
        participant = _participant(row, b)
        role = _role(row, b)
        contribution = b.parse(row, "contribution", fields.parse_amount)
        if project is None or participant is None:
            continue
        p = b.minter.participation(project.iri, participant)
        who = row.text("enterprise_number") or row.text("lab_code") or row.text("participant_name")
        if not b.unique(row, "project_id", p.value, seen, f"{row.text('project_id')} / {who}"):
            continue
        b.add(p, T.rdf.type, T.eco.Participation)
        b.add(p, T.eco.project, project.iri)
        b.add(p, T.eco.participant, participant)
        if role:
            b.text(p, T.eco.role, role)
        if contribution is not None:
            b.add(p, T.eco.contribution, decimal_literal(contribution))
        if project.start:
            b.add(p, T.schema.startDate, project.start)
        if project.end:
            b.add(p, T.schema.endDate, project.end)
        yield from b.drain()


def _project_of(row: Row, b: Builder, projects: dict[str, list[_Project]]) -> _Project | None:
    project_id = b.required(row, "project_id")
    if not project_id:
        return None
    candidates = projects.get(normalise(project_id), [])
    pole_label = row.text("pole")
    if pole_label:
        pole = b.vocab.poles.find(pole_label)
        candidates = [c for c in candidates if c.pole == pole]
    if len(candidates) == 1:
        return candidates[0]
    reason = (f"project '{project_id}' is not in the projects of this load" if not candidates
              else f"project '{project_id}' exists in several poles: fill the pole column")
    b.problems.append(row.problem("project_id", reason))
    return None


def _participant(row: Row, b: Builder) -> ox.NamedNode | None:
    """A Belgian organisation by number, a lab by code, or a foreign organisation by name and country."""
    name = row.text("participant_name")
    if row.text("enterprise_number"):
        number = b.parse(row, "enterprise_number", fields.parse_enterprise_number)
        if number is None:
            return None
        org = b.minter.company(number)  # a firm, a university...: its other sources say which
        b.add(org, T.rdf.type, T.org.FormalOrganization)
        b.add(org, T.rdf.type, T.rov.RegisteredOrganization)
        b.text(org, T.eco.enterpriseNumber, number)
        return org
    if row.text("lab_code"):
        return b.minter.lab(row.text("lab_code"))
    country = b.parse(row, "country", fields.parse_country) or "BE"
    if not name:
        b.problems.append(row.problem("enterprise_number", "no participant: give an enterprise number, a lab "
                                      "code, or a foreign partner's name and country"))
        return None
    if country == "BE":
        b.problems.append(row.problem("enterprise_number", f"Belgian participant '{name}' needs its enterprise "
                                      "number (or a lab code)"))
        return None
    org = b.minter.foreign_org(country, name)  # a firm, a university...: the files do not say which
    b.add(org, T.rdf.type, T.org.FormalOrganization)
    b.text(org, T.skos.prefLabel, name)
    address = fragment(org, "address")
    b.add(org, T.locn.address, address)
    b.add(address, T.rdf.type, T.locn.Address)
    b.text(address, T.locn.adminUnitL1, country)
    return org


def _role(row: Row, b: Builder) -> str | None:
    text = row.text("role")
    if not text:
        return None
    role = ROLES.get(normalise(text))
    if role is None:
        known = "coordinator, partner, subcontractor, associated"
        b.problems.append(row.problem("role", f"unknown role '{text}' ({known})"))
    return role
