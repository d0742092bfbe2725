"""The analyst's mapping of free-text labels to taxonomy concepts, kept as its own source.

Being a source, it survives every reload of the files it corrects, and is replaced only by loading a
new curation file. Unlike other files, a concept it names must exist: it is the fix, not the problem.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from graph.sources import Triple
from loaders.common import Builder
from loaders.tabular import Column, Table, TableSchema
from loaders.vocabulary import normalise
from ontology.vocab import TECH, T

SCHEMA = TableSchema(
    "curation",
    (Column("label", ("libellé", "texte", "free text", "term"), required=True),
     Column("concept", ("technologie", "iri", "concept iri"), required=True),
     Column("note", ("remarque", "comment"))),
    signature=frozenset({"label", "concept"}),
)


def convert(tables: Sequence[Table], b: Builder) -> Iterator[Triple]:
    seen: dict[str, str] = {}
    known = {c.value for c in b.vocab.technologies.by_label.values()}
    for table in tables:
        for row in table.rows:
            b.rows += 1
            label, target = b.required(row, "label"), b.required(row, "concept")
            if not (label and target) or not b.unique(row, "label", normalise(label), seen):
                continue
            concept = _concept(target, b, known)
            if concept is None:
                closest = ", ".join(b.vocab.technologies.closest(target))
                b.problems.append(row.problem("concept", f"'{target}' is no concept of the taxonomy"
                                              + (f" (closest: {closest})" if closest else "")))
                continue
            mapping = b.minter.curation(label)
            b.text(mapping, T.eco.mapsLabel, label)
            b.add(mapping, T.eco.mapsTo, concept)
            b.text(mapping, T.rdfs.comment, row.text("note"))
            yield from b.drain()


def _concept(target: str, b: Builder, known: set[str]) -> ox.NamedNode | None:
    """A full IRI, a `tech:slug`, or a label of the taxonomy."""
    iri = str(TECH) + target[5:] if target.startswith("tech:") else target
    if iri in known:
        return ox.NamedNode(iri)
    return b.vocab.technologies.find(target)
