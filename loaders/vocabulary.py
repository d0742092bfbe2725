"""Free-text labels -> taxonomy concepts, the way analysts type them ("IA", "Power BI", "cyber").

Built from what the store holds now: the technology and sector schemes, the poles and clusters, and
the analyst's curation mapping (which wins over the taxonomy's own labels). A label that matches
nothing is not an error: it goes to the load's review report with the closest concepts.
"""

from __future__ import annotations

import difflib
import re
import weakref
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.sources import Sources
from ontology.text import fold
from ontology.vocab import ECO, RDF, SECTOR, SKOS, TECH, node

_SPACES = re.compile(r"[\s\-_./'’()]+")


_BUILT: weakref.WeakKeyDictionary[Any, tuple[tuple[str, ...], Vocabulary]] = weakref.WeakKeyDictionary()


def normalise(label: str) -> str:
    """Case, accents and punctuation do not matter: 'Vision par ordinateur' == 'vision-par-ordinateur'."""
    return _SPACES.sub(" ", fold(label).lower()).strip()


@dataclass
class Scheme:
    """Labels of one concept scheme (or of the poles), normalised, each to one concept."""

    by_label: dict[str, ox.NamedNode] = field(default_factory=dict)
    names: dict[str, str] = field(default_factory=dict)  # concept IRI -> a display label
    _closest: dict[str, list[str]] = field(default_factory=dict)  # unknown labels repeat: compute once

    def add(self, concept: ox.NamedNode, label: str, *, preferred: bool) -> None:
        key = normalise(label)
        if key:
            self.by_label.setdefault(key, concept)
        if preferred:
            self.names.setdefault(concept.value, label)

    def copy(self) -> Scheme:
        return Scheme(dict(self.by_label), dict(self.names), self._closest)

    def find(self, label: str) -> ox.NamedNode | None:
        return self.by_label.get(normalise(label))

    def closest(self, label: str, n: int = 3) -> list[str]:
        """Display names of the concepts whose labels look most like `label`."""
        key = normalise(label)
        if key not in self._closest:
            out: list[str] = []
            for k in difflib.get_close_matches(key, list(self.by_label), n=n * 3, cutoff=0.5):
                name = self.names.get(self.by_label[k].value, k)
                if name not in out:
                    out.append(name)
            self._closest[key] = out[:n]
        return self._closest[key]


@dataclass
class Vocabulary:
    """Everything a loader needs to turn labels into IRIs."""

    technologies: Scheme
    sectors: Scheme
    poles: Scheme  # pole ids and names -> pole IRI
    clusters: Scheme

    @classmethod
    def from_quads(cls, quads: Iterable[ox.Quad]) -> Vocabulary:
        """Read schemes from quads (the taxonomy, reference, curation and registry graphs)."""
        types: dict[str, set[str]] = {}
        labels: list[tuple[ox.NamedNode, str, bool]] = []
        curated: dict[str, tuple[str, ox.NamedNode]] = {}  # mapping IRI -> (label, concept)
        pref, alt, notation = node(SKOS.prefLabel), node(SKOS.altLabel), node(SKOS.notation)
        rdf_type, maps_label, maps_to = node(RDF.type), node(ECO.mapsLabel), node(ECO.mapsTo)
        for q in quads:
            s, p, o = q.subject, q.predicate, q.object
            if not isinstance(s, ox.NamedNode):
                continue
            if p == rdf_type:
                types.setdefault(s.value, set()).add(o.value)  # type: ignore[union-attr]
            elif p in (pref, alt, notation) and isinstance(o, ox.Literal):
                labels.append((s, o.value, p == pref))
            elif p == maps_label and isinstance(o, ox.Literal):
                curated[s.value] = (o.value, curated.get(s.value, ("", s))[1])
            elif p == maps_to and isinstance(o, ox.NamedNode):
                curated[s.value] = (curated.get(s.value, ("", o))[0], o)
        vocab = cls(Scheme(), Scheme(), Scheme(), Scheme())
        for concept, label, preferred in labels:
            scheme = vocab._scheme_of(concept, types.get(concept.value, set()))
            if scheme is not None:
                scheme.add(concept, label, preferred=preferred)
        for concept in [c for c, _, _ in labels]:  # ids themselves are labels too: 'biowin', 'erp'
            scheme = vocab._scheme_of(concept, types.get(concept.value, set()))
            if scheme is not None:
                scheme.add(concept, concept.value.rstrip("/").rsplit("/", 1)[-1], preferred=False)
        for label, concept in curated.values():
            if label:  # curation wins over the taxonomy's own labels
                vocab.technologies.by_label[normalise(label)] = concept
        return vocab

    @classmethod
    def from_store(cls, sources: Sources, *, curation: bool = True) -> Vocabulary:
        """The vocabulary now in the store (without the curation mapping when that is being replaced).

        Built once per set of graph versions (a version never changes) and handed out as a copy, since a
        load may add to it (a pole registry) without that outliving the load."""
        wanted = ("taxonomy", "reference", "poles") + (("curation",) if curation else ())
        current = sources.current()
        graphs = tuple(current[n].graph for n in wanted if n in current)
        key = tuple(g.value for g in graphs)
        built = _BUILT.get(sources.store)
        if built is None or built[0] != key:
            built = key, cls.from_quads(q for g in graphs for q in sources.store.quads(g))
            _BUILT[sources.store] = built
        return built[1].copy()

    def copy(self) -> Vocabulary:
        return Vocabulary(*(s.copy() for s in (self.technologies, self.sectors, self.poles, self.clusters)))

    def _scheme_of(self, concept: ox.NamedNode, types: set[str]) -> Scheme | None:
        if concept.value.startswith(str(TECH)):
            return self.technologies
        if concept.value.startswith(str(SECTOR)):
            return self.sectors
        if str(ECO.CompetitivenessPole) in types:
            return self.poles
        if str(ECO.Cluster) in types:
            return self.clusters
        return None
