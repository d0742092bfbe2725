"""Research labs and their parent institutions (docs/data-dictionary.md)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from graph.sources import Triple
from loaders import fields
from loaders.common import Builder
from loaders.members import CONTACT_COLUMNS
from loaders.tabular import Column, Table, TableSchema
from loaders.vocabulary import normalise
from ontology.vocab import T

SCHEMA_ = TableSchema(
    "labs",
    (Column("lab_code", ("code", "code unité", "unit code", "lab id", "identifiant", "code labo"), required=True),
     Column("name", ("nom", "laboratoire", "labo", "nom du labo", "lab name", "unit"), required=True),
     Column("institution", ("université", "organisme", "institution de rattachement", "university", "parent"),
            required=True),
     Column("institution_enterprise_number",
            ("numéro d'entreprise de l'institution", "BCE institution", "institution number")),
     Column("institution_type", ("type", "type d'institution")),
     Column("expertise", ("domaines d'expertise", "technologies", "compétences", "research topics")),
     Column("sector", ("secteur",)),
     *CONTACT_COLUMNS),
    signature=frozenset({"lab_code", "institution"}),
)
INSTITUTION_TYPES = {
    "university": T.schema.CollegeOrUniversity, "universite": T.schema.CollegeOrUniversity,
    "research centre": T.schema.ResearchOrganization, "research center": T.schema.ResearchOrganization,
    "centre de recherche": T.schema.ResearchOrganization,
}


def convert(tables: Sequence[Table], b: Builder) -> Iterator[Triple]:
    seen: dict[str, str] = {}
    for table in tables:
        for row in table.rows:
            b.rows += 1
            code, name, institution = (b.required(row, c) for c in ("lab_code", "name", "institution"))
            number = b.parse(row, "institution_enterprise_number", fields.parse_enterprise_number)
            kind = row.text("institution_type")
            kind_class = INSTITUTION_TYPES.get(normalise(kind)) if kind else None
            if kind and kind_class is None:
                b.problems.append(row.problem("institution_type", f"unknown institution type '{kind}' "
                                              "(university, research centre)"))
            if not (code and name and institution) or not b.unique(row, "lab_code", code.upper(), seen):
                continue
            inst = b.minter.company(number) if number else b.minter.institution(institution)
            b.add(inst, T.rdf.type, T.eco.ResearchInstitution)
            b.add(inst, T.rdf.type, T.org.FormalOrganization)
            if kind_class:
                b.add(inst, T.rdf.type, kind_class)
            b.text(inst, T.skos.prefLabel, institution)
            if number:
                b.add(inst, T.rdf.type, T.rov.RegisteredOrganization)
                b.text(inst, T.eco.enterpriseNumber, number)
            lab = b.minter.lab(code)
            b.add(lab, T.rdf.type, T.eco.ResearchLab)
            b.add(lab, T.rdf.type, T.org.OrganizationalUnit)
            b.text(lab, T.skos.prefLabel, name)
            b.text(lab, T.eco.labCode, code)
            b.add(lab, T.org.unitOf, inst)
            b.add(inst, T.org.hasUnit, lab)
            b.concepts(row, "expertise", lab, T.eco.hasExpertise)
            b.concepts(row, "sector", lab, T.eco.sector, kind="sector")
            b.contacts(row, lab)
            yield from b.drain()
