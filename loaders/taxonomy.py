"""Concept schemes (NACE Rev.2, euroSciVoc, any SKOS scheme) loaded as sources of their own
(docs/data-dictionary.md, "Taxonomies").

What a file may be:
- SKOS in Turtle, N-Triples or RDF/XML: loaded as it is (e.g. the euroSciVoc subset ecokg ships);
- Eurostat's RAMON NACE Rev.2 ontology (nace_r2 in Turtle, an OWL rendering whose hierarchy is an annotation
  property): rewritten as SKOS, keeping RAMON's concept IRIs;
- a flat CSV of NACE Rev.2 (`code;level;name;broader;...`) or of euroSciVoc (`euroSciVocCode;parentCode;
  title;...`): rewritten as SKOS with the same IRIs as the Turtle files, so that either file gives one graph.
Whichever it was, every concept gets eco:within itself and each broader concept (skos:broader* written out,
as the bundled technology taxonomy has it: graph.startup), so that queries join instead of walking paths.
The source is `taxonomy-nace`, `taxonomy-euroscivoc`, or `taxonomy-<file name>` for another scheme.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path
from xml.parsers import expat

import pyoxigraph as ox

from graph.errors import EcokgError, LoadError, Problem
from graph.sources import Triple
from graph.startup import _with_closure
from loaders.common import Builder, Streamed
from loaders.tabular import Column, Row, Table, TableSchema, header_only, read_tables
from ontology.iris import slugify
from ontology.vocab import ESV, NACE, T

RAMON = "http://ec.europa.eu/eurostat/ramon/ontologies/nace.rdf#"
NACE_SCHEME = ox.NamedNode(str(NACE).rstrip("/"))
ESV_SCHEME = ox.NamedNode(ESV["scheme"])
_RDF_FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".rdf": ox.RdfFormat.RDF_XML,
                ".owl": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML}

NACE_CSV = TableSchema(
    "NACE Rev.2",
    (Column("code", required=True), Column("name", required=True), Column("broader", required=True),
     Column("level"), Column("section")),
    frozenset({"code", "name", "broader", "section"}),
)
ESV_CSV = TableSchema(
    "euroSciVoc",
    (Column("euroSciVocCode", required=True), Column("parentCode", required=True),
     Column("title", required=True), Column("description")),
    frozenset({"euroSciVocCode", "parentCode", "title"}),
)


def read(paths: Sequence[Path], b: Builder) -> Streamed:
    """Read the files of one scheme (problems: LoadError) and hand back their SKOS with the closure."""
    triples: list[Triple] = []
    names: set[str] = set()
    problems: list[Problem] = []
    for path in map(Path, paths):
        try:
            name, content = _read_file(path, b)
        except LoadError as exc:
            problems += exc.problems
            continue
        names.add(name)
        triples += content
    problems += b.problems
    if problems:
        raise LoadError(problems)
    if len(names) > 1:
        raise EcokgError(f"these files hold several schemes ({', '.join(sorted(names))}): load one at a time")
    content = triples
    return Streamed([Path(p) for p in paths], names.pop() if names else None,
                    _with_closure(lambda base: iter(content))(b.minter.base))


def _read_file(path: Path, b: Builder) -> tuple[str, list[Triple]]:
    """A file's default source name and its SKOS triples (a taxonomy is small: held)."""
    if path.suffix.lower() in _RDF_FORMATS:
        triples = _parse(path)
        if any(p.value.startswith(RAMON) for _, p, _ in triples):
            triples = list(_from_ramon(triples))
        concepts = {s for s, p, o in triples if p == T.rdf.type and o == T.skos.Concept}
        if not concepts:
            raise LoadError([Problem(str(path), "-", "-", "no skos:Concept in this file: is it a SKOS scheme?")])
        b.rows += len(concepts)  # what a row of a CSV is
        if all(isinstance(c, ox.NamedNode) and c.value.startswith(str(NACE)) for c in concepts):
            return "taxonomy-nace", triples
        if all(isinstance(c, ox.NamedNode) and c.value.startswith(str(ESV)) for c in concepts):
            return "taxonomy-euroscivoc", triples
        return f"taxonomy-{slugify(path.stem)[:50]}", triples
    tables = read_tables(path, [NACE_CSV, ESV_CSV])
    if len(tables) > 1:
        sheets = ", ".join(str(t.sheet) for t in tables)
        raise LoadError([Problem(str(path), "-", "-", f"a taxonomy is one table, in one sheet: found {sheets}")])
    if empty := header_only(tables):
        raise LoadError(empty)
    [table] = tables
    if table.schema is NACE_CSV:
        return "taxonomy-nace", list(_from_csv(table, b, NACE_SCHEME, "NACE Rev. 2", NACE, "code", "broader",
                                               "name"))
    return "taxonomy-euroscivoc", list(_from_csv(table, b, ESV_SCHEME, "EuroSciVoc", ESV, "euroSciVocCode",
                                                 "parentCode", "title"))


def _parse(path: Path) -> list[Triple]:
    rdf_format = _RDF_FORMATS[path.suffix.lower()]
    try:
        if rdf_format == ox.RdfFormat.RDF_XML:
            _well_formed(path)
        quads = list(ox.parse(path=str(path), format=rdf_format))
    except SyntaxError as exc:
        line = str(exc.args[1][1]) if len(exc.args) > 1 and exc.args[1] and exc.args[1][1] else "-"
        raise LoadError([Problem(str(path), line, "-", str(exc.args[0]))]) from None
    except OSError as exc:
        raise LoadError([Problem(str(path), "-", "-", f"cannot read the file: {exc.strerror or exc}")]) from None
    return [(q.subject, q.predicate, q.object) for q in quads]  # type: ignore[misc]


def _well_formed(path: Path) -> None:
    """Refuse XML that is not well-formed: pyoxigraph reads an RDF/XML file cut between two elements as if
    it were whole, so a truncated download would load part of a scheme."""
    try:
        with path.open("rb") as f:
            expat.ParserCreate().ParseFile(f)
    except expat.ExpatError as exc:
        raise LoadError([Problem(str(path), str(exc.lineno), "-", f"the XML is not well-formed ({exc}): a cut or "
                                 "damaged file?")]) from None


def _scheme(scheme: ox.NamedNode, label: str) -> Iterator[Triple]:
    yield scheme, T.rdf.type, T.skos.ConceptScheme
    yield scheme, T.skos.prefLabel, ox.Literal(label, language="en")


def _concept(scheme: ox.NamedNode, concept: ox.NamedNode, code: str, label: str,
             broader: ox.NamedNode | None) -> Iterator[Triple]:
    yield concept, T.rdf.type, T.skos.Concept
    yield concept, T.skos.inScheme, scheme
    yield concept, T.skos.notation, ox.Literal(code)
    yield concept, T.skos.prefLabel, ox.Literal(label, language="en")
    if broader is None:
        yield concept, T.skos.topConceptOf, scheme
        yield scheme, T.skos.hasTopConcept, concept
    else:
        yield concept, T.skos.broader, broader


def _from_ramon(triples: list[Triple]) -> Iterator[Triple]:
    """RAMON's NACE (ramon:code, ramon:name, ramon:broader, ramon:definition) as SKOS, IRIs kept."""
    by: dict[ox.NamedNode, dict[str, object]] = {}
    for s, p, o in triples:
        if isinstance(s, ox.NamedNode) and p.value.startswith(RAMON):
            by.setdefault(s, {})[p.value[len(RAMON):]] = o
    yield from _scheme(NACE_SCHEME, "NACE Rev. 2")
    for concept, props in sorted(by.items(), key=lambda item: item[0].value):
        code, name, broader = props.get("code"), props.get("name"), props.get("broader")
        if not isinstance(code, ox.Literal) or not isinstance(name, ox.Literal):
            continue  # RAMON's own classes and properties
        yield from _concept(NACE_SCHEME, concept, code.value, name.value,
                            broader if isinstance(broader, ox.NamedNode) else None)
        definition = props.get("definition")
        if isinstance(definition, ox.Literal) and definition.value.strip():
            yield concept, T.skos.definition, ox.Literal(definition.value.strip(), language="en")


def _from_csv(table: Table, b: Builder, scheme: ox.NamedNode, label: str, namespace: object, code_col: str,
              parent_col: str, label_col: str) -> Iterator[Triple]:
    """Rows of a flat table (code, parent code, label) as SKOS concepts; every parent must be in the file."""
    def iri(code: str) -> ox.NamedNode:
        return ox.NamedNode(namespace[code.strip("/").replace("/", "_")])  # type: ignore[index]

    seen: dict[str, str] = {}
    parents: list[tuple[Row, str]] = []
    yield from _scheme(scheme, label)
    for row in table.rows:
        b.rows += 1
        code, name, parent = b.required(row, code_col), b.required(row, label_col), row.text(parent_col)
        if not code or not name or not b.unique(row, code_col, code, seen):
            continue
        if parent:
            parents.append((row, parent))
        yield from _concept(scheme, iri(code), code, name, iri(parent) if parent else None)
        if row.text("description"):
            yield iri(code), T.skos.definition, ox.Literal(row.text("description"), language="en")
    for row, parent in parents:
        if parent not in seen:
            b.problems.append(row.problem(parent_col, f"broader code '{parent}' is not a code of this file"))
