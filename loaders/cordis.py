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

from graph.errors import EcokgError
from graph.sources import Triple
from loaders import fields
from loaders.common import Builder, decimal_literal
from loaders.cordis_orgs import PIC, Location, Organisations, fp7_address, locate
from loaders.cordis_projects import PROJECT_ID, Projects, identifier
from loaders.tabular import Column, Row, Table, TableSchema
from ontology.vocab import T

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
    projects = Projects(b)
    participants = _Participants(b, projects, filters)
    if filters:
        if not by_schema[ORGANISATIONS.name] and not by_schema[FP7_ORGANISATIONS.name]:
            raise EcokgError("--country and --region choose organisations: give organization.csv (or FP7's "
                             "organisation list) in the same load")
        projects.kept = _kept_projects(by_schema[ORGANISATIONS.name], b, filters)
    for table in by_schema[ORGANISATIONS.name]:
        yield from participants.participations(table)
    for table in by_schema[FP7_ORGANISATIONS.name]:
        yield from participants.fp7_organisations(table)
    for table in by_schema[PROJECTS.name]:
        yield from projects.projects(table)
    for schema, column, kind, predicate in ((LEGAL_BASES, "legalBasis", "legal-basis", T.eco.legalBasis),
                                            (TOPICS, "topic", "topic", T.eco.topic)):
        for table in by_schema[schema.name]:
            yield from projects.code_lists(table, column, kind, predicate)
    for table in by_schema[EUROSCIVOC.name]:
        yield from projects.euroscivoc(table)
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


class _Participants:
    """organization.csv rows -> participations (and their organisations); FP7's list -> organisations."""

    def __init__(self, b: Builder, projects: Projects, filters: Filters) -> None:
        self.b, self.projects, self.filters = b, projects, filters
        self.organisations = Organisations(b)
        self._seen: dict[str, str] = {}  # "project PIC rank" -> its row

    def participations(self, table: Table) -> Iterator[Triple]:
        b = self.b
        for row in table.rows:
            if not self.projects.loads(row, "projectID"):
                continue
            project_id = identifier(row, b, "projectID", PROJECT_ID, "a CORDIS project id (digits)")
            pic = identifier(row, b, "organisationID", PIC, "a PIC (nine digits)")
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
            if not b.unique(row, "organisationID", f"{project_id} {pic} {rank}", self._seen):
                continue
            project = self.projects.node(project_id, row.text("projectAcronym"))
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
            pic = identifier(row, b, "organisationID_PIC", PIC, "a PIC (nine digits)")
            if pic is None or not b.required(row, "name") or not b.unique(row, "organisationID_PIC", pic, seen):
                continue
            self.organisations.node(row, pic, _where(row))
            yield from b.drain()
