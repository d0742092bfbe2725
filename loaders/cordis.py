"""CORDIS open data (FP7, Horizon 2020, Horizon Europe) -> organisations, projects and participations.

The files of a CORDIS export are recognised by their headers, any number in one load (docs/data-dictionary.md,
"CORDIS"): organization.csv (one row per participation, repeating the organisation), FP7's organisation list,
project.csv, legalBasis.csv, topics.csv and euroSciVoc.csv, in the `;` dialect CORDIS ships or the `,` one,
with decimal commas or points. They are streamed: a full export loads in bounded memory.

With `--country` / `--region` (Filters) a project is loaded when at least one organisation of the filter
takes part in it, and then with its whole consortium: every participation of the project, the foreign
partners included, so that a Walloon firm's European partners are known (what the internationalisation and
mentoring analyses ask). That takes a first pass over the organisation rows, to know the projects.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import lru_cache

import pyoxigraph as ox

from graph.errors import EcokgError
from graph.sources import Triple
from graph.startup import EUROSCIVOC_TTL
from loaders import fields
from loaders.common import Builder, date_literal, decimal_literal
from loaders.cordis_orgs import PIC, Location, Organisations, fp7_address, locate
from loaders.tabular import Column, Row, Table, TableSchema
from ontology.vocab import ESV, T

_ID = re.compile(r"\d{1,12}", re.ASCII)
_ESV_CODE = re.compile(r"(?:/\d+)+", re.ASCII)
_NUTS_PREFIX = re.compile(r"[A-Z]{2}[0-9A-Z]{0,3}", re.ASCII)

ORGANISATIONS = TableSchema(
    "CORDIS organisations (organization.csv)",
    (Column("projectID", required=True), Column("projectAcronym"),
     Column("organisationID", ("id", "PIC"), required=True), Column("vatNumber"), Column("name", required=True),
     Column("shortName"), Column("SME"), Column("activityType"), Column("street"), Column("postCode"),
     Column("city"), Column("country"), Column("nutsCode"), Column("organizationURL"),
     Column("role", required=True), Column("order"), Column("ecContribution"), Column("netEcContribution"),
     Column("totalCost")),
    signature=frozenset({"projectID", "organisationID", "role"}),
    fixed_width=True,
)
FP7_ORGANISATIONS = TableSchema(
    "CORDIS FP7 organisation list",
    (Column("organisationID_PIC", required=True), Column("country"), Column("name", required=True),
     Column("address")),
    signature=frozenset({"organisationID_PIC", "name"}),
    fixed_width=True,
)
PROJECTS = TableSchema(
    "CORDIS projects (project.csv)",
    (Column("id", required=True), Column("acronym"), Column("title", required=True), Column("startDate"),
     Column("endDate"), Column("totalCost"), Column("ecMaxContribution"), Column("legalBasis", ("programme",)),
     Column("topics"), Column("frameworkProgramme"), Column("objective")),
    signature=frozenset({"id", "title", "frameworkProgramme"}),
    fixed_width=True,
)
LEGAL_BASES = TableSchema(
    "CORDIS legal bases (legalBasis.csv)",
    (Column("projectID", required=True), Column("legalBasis", required=True), Column("title")),
    signature=frozenset({"projectID", "legalBasis"}),
    fixed_width=True,
)
TOPICS = TableSchema(
    "CORDIS topics (topics.csv)",
    (Column("projectID", required=True), Column("topic", required=True), Column("title")),
    signature=frozenset({"projectID", "topic"}),
    fixed_width=True,
)
EUROSCIVOC = TableSchema(
    "CORDIS euroSciVoc classification (euroSciVoc.csv)",
    (Column("projectID", required=True), Column("euroSciVocCode", required=True), Column("euroSciVocPath"),
     Column("euroSciVocTitle")),
    signature=frozenset({"projectID", "euroSciVocCode"}),
    fixed_width=True,
)
SCHEMAS = (ORGANISATIONS, FP7_ORGANISATIONS, PROJECTS, LEGAL_BASES, TOPICS, EUROSCIVOC)
"""In the order they are converted: organisations decide which projects a filtered load keeps."""

ROLES = {
    "coordinator": "coordinator", "participant": "partner", "beneficiary": "partner", "hostinstitution": "partner",
    "partner": "associated", "thirdparty": "associated", "internationalpartner": "associated",
    "associatedpartner": "associated",
}
"""CORDIS role (lower case, no spaces) -> eco:role. Beneficiaries sign the grant (coordinator, participant);
partners, linked third parties and international or associated partners take part without signing it."""

PROGRAMME_SOURCES = {"H2020": "cordis-h2020", "HORIZON": "cordis-horizon", "FP7": "cordis-fp7"}


@dataclass(frozen=True)
class Filters:
    """Which organisations a load is about: a country (ISO 3166, CORDIS's UK and EL accepted) and/or a NUTS
    prefix (BE3 = Wallonia), the NUTS code of a Belgian row without one derived from its postcode."""

    country: str = ""
    region: str = ""

    @classmethod
    def of(cls, country: str | None, region: str | None) -> Filters:
        wanted, nuts = (country or "").strip(), (region or "").strip().upper()
        try:
            wanted = fields.parse_country(wanted) if wanted else ""
        except ValueError as exc:
            raise EcokgError(f"--country: {exc}") from None
        if nuts and not _NUTS_PREFIX.fullmatch(nuts):
            raise EcokgError(f"--region: '{region}' is not a NUTS code or prefix (e.g. BE3, BE33, BE332)")
        return cls(wanted, nuts)

    def __bool__(self) -> bool:
        return bool(self.country or self.region)

    def keeps(self, where: Location) -> bool:
        return ((not self.country or where.country == self.country)
                and (not self.region or where.nuts.startswith(self.region)))


def source_name(tables: Sequence[Table]) -> str:
    """`cordis-h2020`, `cordis-horizon` or `cordis-fp7` when the load is of one programme (its project.csv's
    frameworkProgramme, or FP7's organisation list), else `cordis`."""
    programmes = set()
    for table in tables:
        if table.schema is PROJECTS:
            first = next(iter(table.rows), None)
            programmes.add(first.text("frameworkProgramme").upper() if first else "")
        elif table.schema is FP7_ORGANISATIONS:
            programmes.add("FP7")
    names = {PROGRAMME_SOURCES.get(p, "cordis") for p in programmes}
    return names.pop() if len(names) == 1 else "cordis"


def convert(tables: Sequence[Table], b: Builder, filters: Filters | None = None) -> Iterator[Triple]:
    """Every CORDIS table of a load -> triples, organisations first."""
    filters = filters or Filters()
    by_schema = {s.name: [t for t in tables if t.schema is s] for s in SCHEMAS}
    cordis = _Conversion(b, Organisations(b), filters)
    if filters:
        if not by_schema[ORGANISATIONS.name] and not by_schema[FP7_ORGANISATIONS.name]:
            raise EcokgError("--country and --region choose organisations: give organization.csv (or FP7's "
                             "organisation list) in the same load")
        cordis.kept = _kept_projects(by_schema[ORGANISATIONS.name], b, filters)
    for table in by_schema[ORGANISATIONS.name]:
        yield from cordis.participations(table)
    for table in by_schema[FP7_ORGANISATIONS.name]:
        yield from cordis.fp7_organisations(table)
    for table in by_schema[PROJECTS.name]:
        yield from cordis.projects(table)
    for schema, column, kind, predicate in ((LEGAL_BASES, "legalBasis", "legal-basis", T.eco.legalBasis),
                                            (TOPICS, "topic", "topic", T.eco.topic)):
        for table in by_schema[schema.name]:
            yield from cordis.code_lists(table, column, kind, predicate)
    for table in by_schema[EUROSCIVOC.name]:
        yield from cordis.euroscivoc(table)
    yield from b.drain()


def _where(row: Row) -> tuple[str, str, str]:
    """(street, postcode, city) of an organisation row, or of FP7's one-cell address."""
    if "address" in row.values:
        return fp7_address(row.text("address"))
    return row.text("street"), row.text("postCode"), row.text("city")


def _kept_projects(tables: Sequence[Table], b: Builder, filters: Filters) -> set[str]:
    """The projects in which an organisation of the filter takes part: a first pass, that reports nothing
    (the rows loaded are checked when they are converted; the others are not loaded)."""
    scratch = Builder(b.minter, b.vocab)
    return {row.text("projectID") for table in tables for row in table.rows
            if filters.keeps(locate(row, scratch, *_where(row)))}


class _Conversion:
    """One load's CORDIS tables, converted row by row, with what the rows share."""

    def __init__(self, b: Builder, organisations: Organisations, filters: Filters) -> None:
        self.b, self.organisations, self.filters = b, organisations, filters
        self.kept: set[str] | None = None  # with a filter, the projects to load
        self._projects: set[str] = set()  # described, at least by id and acronym
        self._codes: set[tuple[str, str, str]] = set()  # (kind, code, title) described
        self._participations: dict[str, str] = {}
        self._described: dict[str, str] = {}  # project.csv ids

    def _skipped(self, row: Row, column: str) -> bool:
        self.b.rows += 1
        return self.kept is not None and row.text(column) not in self.kept

    def _id(self, row: Row, column: str, pattern: re.Pattern[str], what: str) -> str | None:
        value = self.b.required(row, column)
        if value and not pattern.fullmatch(value):
            self.b.problems.append(row.problem(column, f"'{value}' is not {what}"))
            return None
        return value or None

    def project(self, project_id: str, acronym: str) -> ox.NamedNode:
        iri = self.b.minter.project("cordis", project_id)
        if project_id not in self._projects:
            self._projects.add(project_id)
            self.b.add(iri, T.rdf.type, T.eco.Project)
            self.b.text(iri, T.dcterms.identifier, project_id)
            self.b.text(iri, T.schema.alternateName, acronym)
        return iri

    def participations(self, table: Table) -> Iterator[Triple]:
        b = self.b
        for row in table.rows:
            if self._skipped(row, "projectID"):
                continue
            project_id = self._id(row, "projectID", _ID, "a CORDIS project id (digits)")
            pic = self._id(row, "organisationID", PIC, "a PIC (nine digits)")
            b.required(row, "name")
            role = self._role(row)
            amounts = [(predicate, b.parse(row, column, fields.parse_amount)) for column, predicate in (
                ("ecContribution", T.eco.contribution), ("netEcContribution", T.eco.netContribution),
                ("totalCost", T.eco.cost))]
            rank = row.text("order")
            if rank and not rank.isdigit():
                b.problems.append(row.problem("order", f"'{rank}' is not a rank in the consortium (digits)"))
                continue
            if project_id is None or pic is None:
                continue
            if not b.unique(row, "organisationID", f"{project_id} {pic} {rank}", self._participations):
                continue
            project = self.project(project_id, row.text("projectAcronym"))
            org = self.organisations.node(row, pic, _where(row))
            p = b.minter.participation(project, org, rank)
            b.add(p, T.rdf.type, T.eco.Participation)
            b.add(p, T.eco.project, project)
            b.add(p, T.eco.participant, org)
            if role:
                b.text(p, T.eco.role, role)
                b.text(p, T.eco.sourceRole, row.text("role"))
            for predicate, amount in amounts:
                if amount is not None:
                    b.add(p, predicate, decimal_literal(amount))
            yield from b.drain()

    def _role(self, row: Row) -> str | None:
        text = self.b.required(row, "role")
        role = ROLES.get(text.lower().replace(" ", "").replace("_", ""))
        if text and role is None:
            known = "coordinator, participant, partner, thirdParty, internationalPartner, associatedPartner"
            self.b.problems.append(row.problem("role", f"unknown CORDIS role '{text}' ({known})"))
        return role

    def fp7_organisations(self, table: Table) -> Iterator[Triple]:
        """FP7's organisation list: organisations without projects (its file names none)."""
        b, scratch = self.b, Builder(self.b.minter, self.b.vocab)
        seen: dict[str, str] = {}
        for row in table.rows:
            b.rows += 1
            if self.filters and not self.filters.keeps(locate(row, scratch, *_where(row))):
                continue
            pic = self._id(row, "organisationID_PIC", PIC, "a PIC (nine digits)")
            if pic is None or not b.required(row, "name") or not b.unique(row, "organisationID_PIC", pic, seen):
                continue
            self.organisations.node(row, pic, _where(row))
            yield from b.drain()

    def projects(self, table: Table) -> Iterator[Triple]:
        b = self.b
        for row in table.rows:
            if self._skipped(row, "id"):
                continue
            project_id = self._id(row, "id", _ID, "a CORDIS project id (digits)")
            title = b.required(row, "title")
            start, end = b.period(row, "startDate", "endDate")
            budget = b.parse(row, "totalCost", fields.parse_amount)
            ceiling = b.parse(row, "ecMaxContribution", fields.parse_amount)
            if project_id is None or not b.unique(row, "id", project_id, self._described):
                continue
            iri = self.project(project_id, row.text("acronym"))
            b.text(iri, T.dcterms.title, title)
            b.text(iri, T.dcterms.description, row.text("objective"))
            b.text(iri, T.eco.programme, row.text("frameworkProgramme"))
            for predicate, day in ((T.schema.startDate, start), (T.schema.endDate, end)):
                if day is not None:
                    b.add(iri, predicate, date_literal(day))
            for predicate, amount in ((T.eco.budget, budget), (T.eco.maxContribution, ceiling)):
                if amount is not None:
                    b.add(iri, predicate, decimal_literal(amount))
            for code in fields.split_list(row.text("legalBasis")):
                self._code(iri, T.eco.legalBasis, "legal-basis", code, "")
            for code in fields.split_list(row.text("topics")):
                self._code(iri, T.eco.topic, "topic", code, "")
            yield from b.drain()

    def code_lists(self, table: Table, column: str, kind: str, predicate: ox.NamedNode) -> Iterator[Triple]:
        """legalBasis.csv and topics.csv: a project's codes, with their titles."""
        for row in table.rows:
            if self._skipped(row, "projectID"):
                continue
            project_id = self._id(row, "projectID", _ID, "a CORDIS project id (digits)")
            code = self.b.required(row, column)
            if project_id and code:
                self._code(self.b.minter.project("cordis", project_id), predicate, kind, code, row.text("title"))
                yield from self.b.drain()

    def _code(self, subject: ox.NamedNode, predicate: ox.NamedNode, kind: str, code: str, title: str) -> None:
        """A CORDIS code (legal basis, topic) as a skos:Concept, described once per code and title."""
        b, concept = self.b, self.b.minter.cordis(kind, code)
        b.add(subject, predicate, concept)
        if (kind, code, "") not in self._codes:
            self._codes.add((kind, code, ""))
            b.add(concept, T.rdf.type, T.skos.Concept)
            b.text(concept, T.skos.notation, code)
        if title and (kind, code, title) not in self._codes:
            self._codes.add((kind, code, title))
            b.add(concept, T.skos.prefLabel, ox.Literal(title, language="en"))

    def euroscivoc(self, table: Table) -> Iterator[Triple]:
        """A project's euroSciVoc fields -> dcterms:subject, the concept's IRI kept even when the bundled
        subset (ontology/euroscivoc.ttl) lacks it; such concepts are described here from the row's path."""
        b = self.b
        for row in table.rows:
            if self._skipped(row, "projectID"):
                continue
            project_id = self._id(row, "projectID", _ID, "a CORDIS project id (digits)")
            code = self._id(row, "euroSciVocCode", _ESV_CODE, "a euroSciVoc code (e.g. /23/43/251)")
            if project_id is None or code is None:
                continue
            b.add(b.minter.project("cordis", project_id), T.dcterms.subject, euroscivoc_concept(code))
            self._describe_concept(code, row.text("euroSciVocPath"), row.text("euroSciVocTitle"))
            yield from b.drain()

    def _describe_concept(self, code: str, path: str, title: str) -> None:
        segments = code.strip("/").split("/")
        titles = path.strip("/").split("/") if path else []
        if len(titles) != len(segments):  # a title holding '/': only the leaf's title is certain
            titles = [""] * (len(segments) - 1) + [title]
        for depth in range(len(segments)):
            notation = "/" + "/".join(segments[: depth + 1])
            concept = euroscivoc_concept(notation)
            if concept.value in _bundled_concepts() or ("esv", notation, "") in self._codes:
                continue
            self._codes.add(("esv", notation, ""))
            self.b.add(concept, T.rdf.type, T.skos.Concept)
            self.b.add(concept, T.skos.inScheme, ESV_SCHEME)
            self.b.text(concept, T.skos.notation, notation)
            if titles[depth]:
                self.b.add(concept, T.skos.prefLabel, ox.Literal(titles[depth], language="en"))
            if depth:
                self.b.add(concept, T.skos.broader, euroscivoc_concept(notation.rsplit("/", 1)[0]))


ESV_SCHEME = ox.NamedNode(f"{ESV}scheme")


def euroscivoc_concept(code: str) -> ox.NamedNode:
    """'/23/43/251' -> urn:cordis:euroscivoc:23_43_251, as ontology/euroscivoc.ttl names its concepts."""
    return ox.NamedNode(f"{ESV}{code.strip('/').replace('/', '_')}")


@lru_cache(maxsize=1)
def _bundled_concepts() -> frozenset[str]:
    """The concepts ecokg ships (its graph `euroscivoc`): described there, not again in a CORDIS source."""
    quads = ox.parse(path=str(EUROSCIVOC_TTL), format=ox.RdfFormat.TURTLE)
    return frozenset(q.subject.value for q in quads if q.predicate == T.rdf.type)
