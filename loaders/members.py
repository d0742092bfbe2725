"""The cluster's member directory -> companies that are members of the cluster (docs/data-dictionary.md)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from graph.sources import Triple
from loaders import fields
from loaders.common import Builder, integer_literal
from loaders.tabular import Column, Row, Table, TableSchema
from ontology.vocab import T

NUMBER = Column(
    "enterprise_number",
    ("numéro d'entreprise", "n° d'entreprise", "numero entreprise", "numéro BCE", "n° BCE", "BCE", "KBO",
     "numéro KBO", "company number", "enterprise number", "n° TVA", "numéro de TVA", "TVA", "VAT",
     "VAT number"),
    required=True,
)
NAME = Column(
    "name",
    ("nom", "raison sociale", "dénomination", "société", "entreprise", "company", "company name",
     "organisation", "organization"),
    required=True,
)
CONTACT_COLUMNS = (
    Column("website", ("site web", "site internet", "site", "url", "web")),
    Column("email", ("e-mail", "courriel", "mail", "contact")),
    Column("phone", ("téléphone", "tel", "tél", "telephone")),
    Column("street", ("rue", "adresse", "address", "street address")),
    Column("postcode", ("code postal", "cp", "zip", "postal code", "zip code")),
    Column("city", ("localité", "commune", "ville", "municipality", "town")),
    Column("country", ("pays",)),
)
USES = Column("uses", ("utilise", "outils", "outils utilisés", "outils numériques", "logiciels utilisés",
                       "tools", "tools used", "digital tools", "adoption"))
"""The soft-digital tools a firm uses (eco:uses): ERP, CRM, e-invoicing..."""
PROFILE_COLUMNS = (
    Column("sector", ("secteur", "secteurs", "sectors", "industry", "domaine")),
    Column("offers", ("technologies", "offre", "offres", "technologies offertes", "compétences", "offer",
                      "skills")),
    Column("needs", ("besoins", "besoins technologiques", "technologies recherchées", "need")),
    USES,
    Column("employees", ("effectif", "employés", "nombre d'employés", "staff", "headcount")),
    Column("member_since", ("membre depuis", "date d'adhésion", "adhésion", "joined", "since")),
)

SCHEMA = TableSchema(
    "members",
    (NUMBER, NAME, *CONTACT_COLUMNS, *PROFILE_COLUMNS, Column("cluster", ("grappe",))),
    signature=frozenset({"enterprise_number", "name"}),
    excludes=frozenset({"project_id"}),
)
DEFAULT_CLUSTER = "ict-wallonia"


def company_rows(table: Table, b: Builder, seen: dict[str, str]) -> Iterator[tuple[Row, ox.NamedNode]]:
    """Each valid row's company IRI (with its profile emitted), for the member and pole-member tables."""
    for row in table.rows:
        b.rows += 1
        b.required(row, "name")
        number = b.parse(row, "enterprise_number", fields.parse_enterprise_number)
        if not row.text("enterprise_number"):
            b.required(row, "enterprise_number")
        if number is None or not b.unique(row, "enterprise_number", number, seen):
            continue
        org = b.organisation(row, number, row.text("name"), T.eco.Company)
        b.concepts(row, "offers", org, T.eco.offers)
        b.concepts(row, "needs", org, T.eco.needs)
        b.concepts(row, "uses", org, T.eco.uses)
        b.concepts(row, "sector", org, T.eco.sector, kind="sector")
        employees = b.parse(row, "employees", fields.parse_int)
        if employees is not None:
            b.add(org, T.eco.employees, integer_literal(employees))
        yield row, org


def convert(tables: Sequence[Table], b: Builder) -> Iterator[Triple]:
    """Member rows -> companies with their membership of the cluster."""
    seen: dict[str, str] = {}
    for table in tables:
        for row, org in company_rows(table, b, seen):
            cluster_id = row.text("cluster") or DEFAULT_CLUSTER
            cluster = b.vocab.clusters.find(cluster_id)
            if cluster is None:
                b.problems.append(row.problem("cluster", f"unknown cluster '{cluster_id}'"))
                continue
            b.membership(org, cluster, b.date(row, "member_since"), None)
            yield from b.drain()
        yield from b.drain()
