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

    def as_dict(self) -> dict[int, int]:
        return dict(zip(self.entities.tolist(), self.sums.tolist(), strict=True))


@dataclass(frozen=True)
class Difference:
    """Entity hashes added, removed and changed, each sorted."""

    added: np.ndarray
    removed: np.ndarray
    changed: np.ndarray


def entity_hash(subject: ox.NamedNode) -> int:
    return hash(subject.value.split("#", 1)[0])


def _line(s: object, p: object, o: object) -> str:
    return f"{s} {p} {o} .\n"


class Stream:
    """Triples -> N-Triples chunks for the store, counting the distinct ones and digesting each entity on the
    way, so that a first load never reads its graph back. The store keeps a set of triples: a triple emitted
    twice (a firm named by two rows) counts once here too. Deduplicated once the stream is over."""

    CHUNK = 4096  # triples per chunk

    def __init__(self, triples: Iterable[Triple]) -> None:
        self._triples = triples
        self._hashes = array("q")  # hash of each triple's line, in stream order
        self._owners = array("q")  # the hash of its subject's entity, _BLANK for a blank node
        self._totals: tuple[int, Digests] | None = None

    @property
    def count(self) -> int:
        return self._summary()[0]

    @property
    def digests(self) -> Digests:
        return self._summary()[1]

    def __iter__(self) -> Iterator[bytes]:
        batch: list[str] = []
        hashes, owners = self._hashes, self._owners
        for s, p, o in self._triples:
            line = _line(s, p, o)
            batch.append(line)
            hashes.append(hash(line))
            owners.append(entity_hash(s) if isinstance(s, ox.NamedNode) else _BLANK)
            if len(batch) == self.CHUNK:
                yield "".join(batch).encode()
                batch = []
        yield "".join(batch).encode()

    def _summary(self) -> tuple[int, Digests]:
        if self._totals is None:
            hashes = np.frombuffer(self._hashes, dtype=np.int64)
            _, first = np.unique(hashes, return_index=True)  # one occurrence of each distinct line
            self._totals = (len(first), _grouped(np.frombuffer(self._owners, dtype=np.int64)[first], hashes[first]))
        return self._totals


def digests_of(quads: Iterable[ox.Quad]) -> Digests:
    """The digests of distinct stored quads (a version's graph), as `Stream` computes them."""
    hashes, owners = array("q"), array("q")
    for q in quads:
        if isinstance(q.subject, ox.NamedNode):
            hashes.append(hash(_line(q.subject, q.predicate, q.object)))
            owners.append(entity_hash(q.subject))
    return _grouped(np.frombuffer(owners, dtype=np.int64), np.frombuffer(hashes, dtype=np.int64))


def _grouped(owners: np.ndarray, hashes: np.ndarray) -> Digests:
    named = owners != _BLANK
    entities, which = np.unique(owners[named], return_inverse=True)
    sums = np.zeros(len(entities), dtype=np.uint64)  # sums wrap at 2**64
    np.add.at(sums, which, hashes[named].view(np.uint64))
    return Digests(entities, sums)


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
            found[h] = q.subject.value.split("#", 1)[0]
    return found
