"""Entities as Linked Data: what the visible graph says about an IRI, and search by name.

An entity's description is its document: the IRI, the `#fragment` IRIs it links to (an address, a
membership's interval), the labels of what it links to, and the statements that refer to it (the first
INCOMING_LIMIT). The IRIs the load log mints (source versions, loads, their files and agents) are described
from the meta graph instead, under the same access rule as their data. Every lookup is a named query of
queries/entities/ with its parameters bound as RDF terms; the terms themselves are kept (languages and
datatypes matter to an RDF answer), not turned into plain JSON values as `registry.run` does.
"""

from __future__ import annotations

import bisect
import itertools
import re
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from functools import cached_property, lru_cache
from typing import Literal

import pyoxigraph as ox

from graph.sources import Sources, Version
from ontology.iris import Minter
from ontology.text import fold
from ontology.vocab import prefixes
from queries import registry
from queries.kept import kept

__all__ = ["INCOMING_LIMIT", "SEARCH_TYPES", "Description", "Hit", "SearchType", "describe", "document_of", "iri_of",
           "pick_label", "search", "triples"]

INCOMING_LIMIT = 200
"""Statements referring to an entity that a description carries; a page says when there were more."""
FRAGMENT_DEPTH = 4
"""How many links deep fragment IRIs are followed (an interval's start is two: #during, then #start)."""
BATCH = 500
"""IRIs per VALUES block."""

_ECO = "https://w3id.org/ecokg/def#"
SearchType = Literal["Company", "Institution", "Lab", "Pole", "Cluster", "Project", "Organisation"]
SEARCH_TYPES: dict[SearchType, str] = {
    "Company": f"{_ECO}Company", "Institution": f"{_ECO}ResearchInstitution", "Lab": f"{_ECO}ResearchLab",
    "Pole": f"{_ECO}CompetitivenessPole", "Cluster": f"{_ECO}Cluster", "Project": f"{_ECO}Project",
    "Organisation": "http://www.w3.org/ns/org#FormalOrganization",
}
"""What search looks for: the name an API caller gives a class -> the class. Organisation takes in a foreign
project partner known only by name (no finer class), as well as firms, institutions, poles and the cluster."""

LABEL_PREDICATES = ("http://www.w3.org/2004/02/skos/core#prefLabel", "http://purl.org/dc/terms/title",
                    "http://www.w3.org/2000/01/rdf-schema#label")
"""The predicates node-labels reads (and so those a description's labels are made of)."""


@dataclass(frozen=True)
class Description:
    """What the caller may see about one document."""

    iri: str
    statements: list[ox.Triple]
    """About the IRI and its fragment IRIs (for a load-log IRI: also its load, files and agent)."""
    incoming: list[ox.Triple]
    """Statements whose object is the IRI, at most INCOMING_LIMIT."""
    incoming_cut: bool
    """Whether more statements refer to it than `incoming` holds."""
    around: list[ox.Triple]
    """The statements of the nodes in `incoming`: what a membership or a participation also links to."""
    labels: list[ox.Triple]
    """The labels (every language) of the nodes these statements name, predicates included."""
    sources: list[Version]
    """The current source versions the statements come from, by source name; none for a load-log IRI."""
    from_load_log: bool

    def labels_of(self, iri: str) -> list[ox.Literal]:
        return self._by_node.get(iri, [])

    @cached_property
    def _by_node(self) -> dict[str, list[ox.Literal]]:
        out: dict[str, list[ox.Literal]] = {}
        for t in self.labels:
            if isinstance(t.object, ox.Literal):
                out.setdefault(iri_of(t.subject), []).append(t.object)
        return out

    def rdf(self) -> list[ox.Triple]:
        """The description as RDF: its statements, those referring to it, then the labels of the nodes they
        name (not of predicates, nor of what only `around` names); each part sorted, so that Turtle groups
        a subject's statements."""
        named = {iri_of(t.object) for t in self.statements} | {iri_of(t.subject) for t in self.incoming}
        labels = [t for t in self.labels if iri_of(t.subject) in named]
        own = sorted(self.statements, key=lambda t: (iri_of(t.subject) != self.iri, str(t)))
        return list(dict.fromkeys([*own, *sorted(self.incoming, key=str), *sorted(labels, key=str)]))


@dataclass(frozen=True)
class Hit:
    """One entity found by name."""

    iri: str
    label: str
    matched: str
    """The name that matched (a project's acronym, a pole's other name, or the label itself)."""
    types: list[SearchType]
    """The SEARCH_TYPES it belongs to."""
    rank: int
    """1 exact name, 2 a name starts with the text, 3 a word of a name does, 4 a name contains it."""


def iri_of(term: object) -> str:
    """The IRI of a named node; '' for anything else (a blank node, a literal)."""
    return term.value if isinstance(term, ox.NamedNode) else ""


def document_of(iri: str) -> str:
    """The document an IRI belongs to: itself without its #fragment."""
    return iri.split("#", 1)[0]


@dataclass(frozen=True)
class _Described:
    """A description as kept (queries.kept), weighed by its statements; None for an entity nobody describes."""

    found: Description | None

    def __len__(self) -> int:
        d = self.found
        return 0 if d is None else len(d.statements) + len(d.incoming) + len(d.around) + len(d.labels)


def describe(sources: Sources, iri: str, *, restricted: bool) -> Description | None:
    """What the visible sources say about the document of `iri`, or None when they say nothing: an entity
    known only from sources the caller may not see is not revealed. InvalidParameter for what is no IRI.
    Kept until the data changes."""
    doc = document_of(iri)
    return kept.answer(sources, restricted, ("describe", doc, INCOMING_LIMIT),
                       lambda: _Described(_describe(sources, doc, restricted))).found


def _describe(sources: Sources, doc: str, restricted: bool) -> Description | None:
    dataset = sources.dataset(restricted=restricted)
    statements, graphs = _document(sources, doc, dataset)
    rows = _solutions(sources, "entity-incoming", {"entity": doc}, dataset, limit=INCOMING_LIMIT + 1)
    if statements or rows:
        incoming = [ox.Triple(r["s"], r["p"], ox.NamedNode(doc)) for r in rows[:INCOMING_LIMIT]]
        by_graph = {v.graph.value: v for v in sources.current().values()}
        found = Description(
            doc, statements, incoming, incoming_cut=len(rows) > INCOMING_LIMIT,
            around=triples(sources, "entity-triples", "subject", sorted({iri_of(t.subject) for t in incoming}),
                           dataset),
            labels=[], sources=sorted((by_graph[g] for g in graphs if g in by_graph), key=lambda v: v.source),
            from_load_log=False)
    elif (logged := _from_load_log(sources, doc, restricted)) is not None:
        found = logged
    else:
        return None
    return _labelled(sources, found, dataset)


def canonical_of(sources: Sources, iri: str, *, restricted: bool) -> str | None:
    """The IRI entity resolution kept for `iri`, when `iri` is an alias it rewrote away (decision 0009)."""
    rows = _solutions(sources, "canonical-of", {"alias": iri}, sources.visible(restricted=restricted))
    return iri_of(rows[0]["canonical"]) if rows else None


def _document(sources: Sources, doc: str, dataset: list[ox.NamedNode]) -> tuple[list[ox.Triple], set[str]]:
    """The statements about `doc` and the fragment IRIs it leads to, and the graphs they are in."""
    statements: set[ox.Triple] = set()
    graphs: set[str] = set()
    seen, frontier = {doc}, [doc]
    for _ in range(FRAGMENT_DEPTH):
        found = []
        for row in _solutions(sources, "entity-triples", {"subject": frontier}, dataset):
            statements.add(ox.Triple(row["subject"], row["p"], row["o"]))
            graphs.add(row["g"].value)
            found.append(row["o"])
        frontier = sorted({o.value for o in found if isinstance(o, ox.NamedNode) and o.value.startswith(doc + "#")}
                          - seen)
        if not frontier:
            break
        seen.update(frontier)
    return sorted(statements, key=str), graphs


def _from_load_log(sources: Sources, doc: str, restricted: bool) -> Description | None:
    access = ["public", "restricted"] if restricted else ["public"]
    rows = _solutions(sources, "load-record", {"doc": doc, "access": access}, [sources.meta])
    if not rows:
        return None
    own = sorted({ox.Triple(r["s"], r["p"], r["o"]) for r in rows if r["incoming"].value == "false"}, key=str)
    incoming = sorted({ox.Triple(r["s"], r["p"], r["o"]) for r in rows if r["incoming"].value == "true"}, key=str)
    return Description(doc, own, incoming, incoming_cut=False, around=[], labels=[], sources=[], from_load_log=True)


def _labelled(sources: Sources, found: Description, dataset: list[ox.NamedNode]) -> Description:
    """`found` with the labels of every node its statements name (predicates and classes included)."""
    nodes: set[str] = set()
    for t in (*found.statements, *found.incoming, *found.around):
        nodes.add(t.predicate.value)
        nodes.update(term.value for term in (t.subject, t.object) if isinstance(term, ox.NamedNode))
        if isinstance(t.subject, ox.NamedNode):
            nodes.add(document_of(t.subject.value))  # a fragment that refers to it is shown by its document
    labels = triples(sources, "node-labels", "node", sorted(nodes), dataset)
    own = [t for t in found.statements if t.predicate.value in LABEL_PREDICATES]  # the load log's agent
    return replace(found, labels=sorted(set(labels) | set(own), key=str))


def triples(sources: Sources, name: str, param: str, iris: Sequence[str],
            dataset: list[ox.NamedNode]) -> list[ox.Triple]:
    """The first three columns of the rows of `name` as triples, for `iris` given in batches."""
    return [ox.Triple(row[0], row[1], row[2]) for i in range(0, len(iris), BATCH)
            for row in _solutions(sources, name, {param: list(iris[i:i + BATCH])}, dataset)]


def _solutions(sources: Sources, name: str, values: Mapping[str, object], dataset: Sequence[ox.NamedNode],
               *, limit: int | None = None) -> list[ox.QuerySolution]:
    """The rows of the named query `name` as RDF terms, on `dataset` (the first `limit` only)."""
    text = registry.bind(registry.get(name), values, Minter(sources.base))
    result = sources.store.query(text, dataset=dataset, prefixes=prefixes())
    if not isinstance(result, ox.QuerySolutions):
        raise registry.MalformedQuery(f"{name}: a named query must be a SELECT")
    rows: list[ox.QuerySolution] = []
    for row in result:
        if limit is not None and len(rows) == limit:
            break
        rows.append(row)
    return rows


def pick_label(labels: Iterable[ox.Literal], lang: str) -> str | None:
    """The label to show a reader of `lang` ('fr' or 'en'): in that language, else without a language tag
    (organisation names), else in the other one, else any; the smallest of equals, so that it is stable."""
    def order(label: ox.Literal) -> tuple[int, str]:
        tag = (label.language or "").split("-")[0].lower()
        return (0 if tag == lang else 1 if not tag else 2 if tag in ("en", "fr") else 3), label.value

    best = min(labels, key=order, default=None)
    return None if best is None else best.value


# -- search ----------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Entry:
    iri: str
    types: frozenset[SearchType]
    labels: tuple[ox.Literal, ...]
    names: tuple[tuple[str, str], ...]  # (folded, as written)


_SPACES = re.compile(r"\s+")


def _folded(text: str) -> str:
    return _SPACES.sub(" ", fold(text).lower()).strip()


def search(sources: Sources, text: str, *, restricted: bool, types: Sequence[SearchType] = (), limit: int = 20,
           lang: str = "en") -> list[Hit]:
    """The entities of SEARCH_TYPES (those of `types` only, when given) whose names contain `text`, without
    regard to accents and case, best first: exact name, name starting with it, a word of a name starting
    with it, any name containing it; then the shorter matching name, then alphabetical order."""
    query = _folded(text)
    if not query:
        return []
    wanted: set[SearchType] = set(types) or set(SEARCH_TYPES)
    word = re.compile(rf"(?:^|[^a-z0-9]){re.escape(query)}")
    scored = []
    for entry in _index(sources, tuple(g.value for g in sources.dataset(restricted=restricted))).containing(query):
        if not entry.types & wanted:
            continue
        best = None
        for folded, name in entry.names:
            rank = (1 if folded == query else 2 if folded.startswith(query) else 3 if word.search(folded)
                    else 4 if query in folded else 0)
            if rank and (best is None or (rank, len(folded), folded) < best[:3]):
                best = (rank, len(folded), folded, name)
        if best is not None:
            scored.append((best, entry))
    scored.sort(key=lambda item: (*item[0][:3], item[1].iri))
    return [Hit(entry.iri, pick_label(entry.labels, lang) or best[3], best[3], sorted(entry.types), best[0])
            for best, entry in scored[:limit]]


class _Names:
    """The entries, and every folded name in one text, a line each: `str.find` over it (C speed) picks the few
    entries whose names contain a text, where testing each entry in Python cost tens of milliseconds at scale."""

    def __init__(self, entries: Sequence[_Entry]) -> None:
        self.entries = entries
        lines = [(n, folded) for n, entry in enumerate(entries) for folded, _ in entry.names]
        self.owner = array("i", (n for n, _ in lines))
        self.starts = array("q", itertools.accumulate((len(folded) + 1 for _, folded in lines[:-1]), initial=0))
        self.text = "\n".join(folded for _, folded in lines)

    def containing(self, query: str) -> list[_Entry]:
        """The entries with a name containing `query` (folded, so without a line break), in index order."""
        found: set[int] = set()
        at = self.text.find(query)
        while at != -1:
            line = bisect.bisect_right(self.starts, at) - 1
            found.add(self.owner[line])
            at = self.text.find(query, self.starts[line + 1]) if line + 1 < len(self.starts) else -1
        return [self.entries[n] for n in sorted(found)]


@lru_cache(maxsize=4)
def _index(sources: Sources, graphs: tuple[str, ...]) -> _Names:
    """Every named entity of SEARCH_TYPES in exactly these graphs, names folded. Cached by the graphs: a load
    makes a new version graph, hence a new key (four kept: each access level, before and after a load)."""
    kinds = {iri: kind for kind, iri in SEARCH_TYPES.items()}
    types: dict[str, set[SearchType]] = {}
    labels: dict[str, set[ox.Literal]] = {}
    names: dict[str, set[str]] = {}
    # through Sources.query: the union of the store's graphs when that is what the caller sees, 10x faster than
    # the list of graphs at scale (decision 0008); the load records it may add hold no entity of SEARCH_TYPES
    restricted = len(graphs) == len(sources.current())
    text = registry.bind(registry.get("search-names"), {"class": list(SEARCH_TYPES.values())}, Minter(sources.base))
    rows = sources.query(text, restricted=restricted, prefixes=prefixes())
    assert isinstance(rows, ox.QuerySolutions)
    for row in rows:
        iri, name = row["entity"].value, row["name"]
        types.setdefault(iri, set()).add(kinds[row["class"].value])
        names.setdefault(iri, set()).add(name.value)
        if row["preferred"].value == "true":
            labels.setdefault(iri, set()).add(name)
    return _Names([_Entry(iri, frozenset(types[iri]), tuple(sorted(labels.get(iri, ()), key=str)),
                          tuple(sorted((_folded(n), n) for n in names[iri]))) for iri in sorted(types)])
