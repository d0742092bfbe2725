"""The full SHACL report on what is visible now (`ecokg validate`).

pySHACL runs on rdflib, orders of magnitude slower than a load (TARGETS.md): this is the thorough
check an analyst asks for, never on the path of a load, which validates rows while reading.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox
from pyshacl import validate
from rdflib import Graph, URIRef
from rdflib.term import Node

from graph.sources import Sources
from ontology import SHAPES_TTL
from ontology.vocab import RDF, SH


@dataclass(frozen=True)
class Violation:
    focus: str
    path: str
    message: str
    shape: str
    severity: str = "Violation"
    """sh:Violation, sh:Warning or sh:Info, without the namespace: only a Violation makes the graph non-conform."""

    def __str__(self) -> str:
        kind = "" if self.severity == "Violation" else f"{self.severity.lower()}: "
        return f"{kind}{self.focus} {self.path}: {self.message} [{self.shape}]"


def validate_sources(sources: Sources, lang: str = "en") -> list[Violation]:
    """Every SHACL result of the visible graph (violations, and warnings where a shape says sh:Warning), messages
    in `lang` where the shapes have it."""
    data = Graph()
    for graph in sources.dataset():
        triples = (ox.Triple(q.subject, q.predicate, q.object) for q in sources.store.quads(graph))
        data.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES), format="nt")
    shapes = Graph().parse(SHAPES_TTL, format="turtle")
    _, report, _ = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    assert isinstance(report, Graph)
    out = []
    for result in report.subjects(RDF.type, SH.ValidationResult):
        def one(p: URIRef, r: Node = result) -> str:
            value = report.value(r, p)
            return str(value) if value is not None else ""
        messages = {getattr(m, "language", None): str(m) for m in report.objects(result, SH.resultMessage)}
        message = messages.get(lang) or next(iter(messages.values()), "")
        severity = one(SH.resultSeverity).rsplit("#", 1)[-1] or "Violation"
        out.append(Violation(one(SH.focusNode), one(SH.resultPath), message, one(SH.sourceShape), severity))
    return sorted(out, key=lambda v: (v.focus, v.path))
