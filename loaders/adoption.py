"""An adoption survey -> which organisations use which soft-digital tools, and since when (eco:uses).

One row per organisation (by enterprise number, or by name and place as in attendance lists) with the tools
it uses; a date, when given, qualifies each of them with an eco:Adoption node. Member and pole files say the
same without a date in their `uses` column (loaders/members.py).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from graph.sources import Triple
from loaders import fields
from loaders.common import Builder, ReviewItem, date_literal
from loaders.events import ORGANISATION, PLACE_COLUMNS, organisation
from loaders.members import NUMBER, USES
from loaders.tabular import Column, Table, TableSchema
from ontology.vocab import T

SCHEMA = TableSchema(
    "adoption survey",
    (Column("enterprise_number", NUMBER.aliases), ORGANISATION, *PLACE_COLUMNS,
     Column(USES.name, USES.aliases, required=True),
     Column("since", ("depuis", "date d'adoption", "adoption date", "adopted on", "en place depuis", "in use since"))),
    signature=frozenset({"uses"}),
)


def convert(tables: Sequence[Table], b: Builder) -> Iterator[Triple]:
    seen: dict[str, str] = {}
    for table in tables:
        for row in table.rows:
            b.rows += 1
            org = organisation(row, b, "organisation")
            since = b.date(row, "since")
            labels = fields.split_list(row.values.get("uses", ""))
            if not labels:
                b.required(row, "uses")
            if org is None:
                continue
            who = row.text("enterprise_number") or row.text("organisation")
            in_row: set[str] = set()  # 'ERP, Odoo' names one tool twice: that is no duplicate
            for label in labels:
                concept = b.vocab.technologies.find(label)
                if concept is None:
                    b.review.append(ReviewItem("technology", label, row.problem("uses", ""), b.vocab.technologies))
                    continue
                if concept.value in in_row:
                    continue
                in_row.add(concept.value)
                adoption = b.minter.adoption(org, concept)
                if not b.unique(row, "uses", adoption.value, seen, f"{who} / {label}"):
                    continue
                b.add(org, T.eco.uses, concept)
                if since is not None:
                    b.add(adoption, T.rdf.type, T.eco.Adoption)
                    b.add(adoption, T.eco.adopter, org)
                    b.add(adoption, T.eco.technology, concept)
                    b.add(adoption, T.schema.startDate, date_literal(since))
            yield from b.drain()
