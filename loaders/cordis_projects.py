"""CORDIS projects: project.csv, legalBasis.csv, topics.csv and euroSciVoc.csv (docs/data-dictionary.md).

A project is named by any file that gives its id (minter.project("cordis", id)); organization.csv alone
gives its id and acronym, project.csv the rest. Legal bases and topics are CORDIS code lists, kept as
skos:Concepts with their codes; euroSciVoc fields are concepts of the euroSciVoc scheme (ESV).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

import pyoxigraph as ox

from graph.sources import Triple
from graph.startup import EUROSCIVOC_TTL
from loaders import fields
from loaders.common import Builder, date_literal, decimal_literal
from loaders.tabular import Row, Table
from ontology.vocab import ESV, T

PROJECT_ID = re.compile(r"\d{1,12}", re.ASCII)
_ESV_CODE = re.compile(r"(?:/\d+)+", re.ASCII)


def identifier(row: Row, b: Builder, column: str, pattern: re.Pattern[str], what: str) -> str | None:
    """A required identifier cell that must match `pattern`; None (and a problem) otherwise."""
    value = b.required(row, column)
    if value and not pattern.fullmatch(value):
        b.problems.append(row.problem(column, f"'{value}' is not {what}"))
        return None
    return value or None


class Projects:
    """The projects of one load: each described once, whichever files name it; with a filter, only `kept`."""

    def __init__(self, b: Builder) -> None:
        self.b = b
        self.kept: set[str] | None = None  # with a filter, the ids of the projects to load
        self._named: set[str] = set()  # described, at least by id and acronym
        self._described: dict[str, str] = {}  # project.csv id -> its row
        self._codes: set[tuple[str, str, str]] = set()  # (kind, code, title) described

    def loads(self, row: Row, column: str) -> bool:
        """Counts the row; False when a filter leaves its project out."""
        self.b.rows += 1
        return self.kept is None or row.text(column) in self.kept

    def node(self, project_id: str, acronym: str) -> ox.NamedNode:
        iri = self.b.minter.project("cordis", project_id)
        if project_id not in self._named:
            self._named.add(project_id)
            self.b.add(iri, T.rdf.type, T.eco.Project)
            self.b.text(iri, T.dcterms.identifier, project_id)
            self.b.text(iri, T.schema.alternateName, acronym)
        return iri

    def projects(self, table: Table) -> Iterator[Triple]:
        b = self.b
        for row in table.rows:
            if not self.loads(row, "id"):
                continue
            project_id = identifier(row, b, "id", PROJECT_ID, "a CORDIS project id (digits)")
            title = b.required(row, "title")
            start, end = b.period(row, "startDate", "endDate")
            budget = b.parse(row, "totalCost", fields.parse_amount)
            ceiling = b.parse(row, "ecMaxContribution", fields.parse_amount)
            if project_id is None or not b.unique(row, "id", project_id, self._described):
                continue
            iri = self.node(project_id, row.text("acronym"))
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
            if not self.loads(row, "projectID"):
                continue
            project_id = identifier(row, self.b, "projectID", PROJECT_ID, "a CORDIS project id (digits)")
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
            if not self.loads(row, "projectID"):
                continue
            project_id = identifier(row, self.b, "projectID", PROJECT_ID, "a CORDIS project id (digits)")
            code = identifier(row, b, "euroSciVocCode", _ESV_CODE, "a euroSciVoc code (e.g. /23/43/251)")
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
