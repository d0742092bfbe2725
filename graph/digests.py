"""What a load changed, entity by entity, in memory that grows by 16 bytes a triple and nothing per entity.

An entity is a subject IRI with its fragment dropped (an address belongs to its organisation); its digest is
the order-free sum of the hashes of its distinct statements, so equal digests mean equal descriptions, up to
a 64-bit collision. Entities are known by the hash of their IRI while comparing: a dict of 1.3 M IRIs (a KBO
load) cost about 300 MB, more than the rest of the load. The IRIs are read back from the store only for the
short lists a load record keeps (`wanted`).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import numpy as np
import pyoxigraph as ox

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]

_BLANK = -1  # hash() never returns -1 (CPython keeps it for errors): the owner of a blank node's statement


@dataclass(frozen=True)
class Digests:
    """Entities (the hashes of their IRIs, sorted) and the digest of each."""

    entities: np.ndarray
    sums: np.ndarray


@dataclass(frozen=True)
class Difference:
    """Entity hashes added, removed and changed, each sorted."""

    added: np.ndarray
    removed: np.ndarray
    changed: np.ndarray


def _entity(subject: ox.NamedNode) -> str:
    return subject.value.split("#", 1)[0]


def entity_hash(subject: ox.NamedNode) -> int:
    return hash(_entity(subject))


def _line(s: object, p: object, o: object) -> str:
    return f"{s} {p} {o} .\n"


class _Lines:
    """(entity hash, line hash) of every line, kept in 16 buckets by entity: a line's entity follows from the
    line, so each bucket is deduplicated and digested alone, and the sort's temporary arrays are a sixteenth
    of the lines (all of them at once doubled a KBO load's peak memory)."""

    BUCKETS = 16

    def __init__(self) -> None:
        self.hashes = [array("q") for _ in range(self.BUCKETS)]
        self.owners = [array("q") for _ in range(self.BUCKETS)]

    def add(self, owner: int, line: str) -> None:
        bucket = owner % self.BUCKETS
        self.hashes[bucket].append(hash(line))
        self.owners[bucket].append(owner)

    def summary(self) -> tuple[int, Digests]:
        """(distinct lines, digests of the named entities)."""
        parts = [_distinct(np.frombuffer(self.owners[b], dtype=np.int64), np.frombuffer(self.hashes[b], dtype=np.int64))
                 for b in range(self.BUCKETS)]
        entities = np.concatenate([d.entities for _, d in parts])
        order = np.argsort(entities)
        return sum(n for n, _ in parts), Digests(entities[order], np.concatenate([d.sums for _, d in parts])[order])


class Stream:
    """Triples -> N-Triples chunks for the store, counting the distinct ones and digesting each entity on the
    way, so that a first load never reads its graph back. The store keeps a set of triples: a triple emitted
    twice (a firm named by two rows) counts once here too. Deduplicated once the stream is over."""

    CHUNK = 4096  # triples per chunk

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._triples = triples
        self._lines = _Lines()
        self._totals: tuple[int, Digests] | None = None

    @property
    def count(self) -> int:
        return self._summary()[0]

    @property
    def digests(self) -> Digests:
        return self._summary()[1]

    def __iter__(self) -> Iterator[bytes]:
        batch: list[str] = []
        hashes, owners, buckets = self._lines.hashes, self._lines.owners, _Lines.BUCKETS
        for s, p, o in self._triples:
            line = _line(s, p, o)
            batch.append(line)
            owner = entity_hash(s) if isinstance(s, ox.NamedNode) else _BLANK
            hashes[owner % buckets].append(hash(line))  # _Lines.add, inlined: this runs for every triple
            owners[owner % buckets].append(owner)
            if len(batch) == self.CHUNK:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode()

    def _summary(self) -> tuple[int, Digests]:
        if self._totals is None:
            self._totals = self._lines.summary()
            self._lines = _Lines()  # the lines' arrays are not needed any more
        return self._totals


def digests_of(quads: Iterable[ox.Quad]) -> Digests:
    """The digests of distinct stored quads (a version's graph), as `Stream` computes them."""
    lines = _Lines()
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            lines.add(entity_hash(q.subject), _line(q.subject, q.predicate, q.object))
    return lines.summary()[1]


def _distinct(owners: np.ndarray, hashes: np.ndarray) -> tuple[int, Digests]:
    """(distinct lines, digests of the named entities) of one bucket: sorted by (entity, line), equal lines are
    adjacent."""
    order = np.lexsort((hashes, owners))
    owners, hashes = owners[order], hashes[order]
    del order
    distinct = _starts(owners, hashes)
    owners, hashes = owners[distinct], hashes[distinct]
    count = len(owners)
    named = owners != _BLANK
    owners, hashes = owners[named], hashes[named].view(np.uint64)
    if not len(owners):
        return count, Digests(owners, np.zeros(0, dtype=np.uint64))
    first = np.flatnonzero(_starts(owners))
    return count, Digests(owners[first], np.add.reduceat(hashes, first))  # uint64 sums wrap at 2**64


def _starts(*columns: np.ndarray) -> np.ndarray:
    """Of sorted rows, those that differ from the row before in some column."""
    new = np.zeros(len(columns[0]), dtype=bool)
    new[:1] = True
    for c in columns:
        new[1:] |= c[1:] != c[:-1]
    return new


def compare(before: Digests, after: Digests) -> Difference:
    common, in_after, in_before = np.intersect1d(after.entities, before.entities, assume_unique=True,
                                                 return_indices=True)
    return Difference(added=np.setdiff1d(after.entities, before.entities, assume_unique=True),
                      removed=np.setdiff1d(before.entities, after.entities, assume_unique=True),
                      changed=common[after.sums[in_after] != before.sums[in_before]])


def wanted(quads: Iterable[ox.Quad], entities: set[int]) -> dict[int, str]:
    """The IRIs of these entity hashes, read from stored quads."""
    found: dict[int, str] = {}
    for q in quads:
        if isinstance(q.subject, ox.NamedNode) and (h := entity_hash(q.subject)) in entities:
            found[h] = _entity(q.subject)
    return found
