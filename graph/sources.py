"""Sources as versioned named graphs: atomic replace, provenance, history.

Why versions (docs/decisions/0002-atomic-source-versions.md): a transactional load is ~5x slower than
pyoxigraph's bulk load, which is not transactional. So each load bulk-writes a NEW graph
``BASE/graph/source/S/v{n}`` that no query sees, then commits it with ONE atomic write to the meta graph
(the version record and its provenance together). A version is current when it is the highest committed
version of its source. A killed load leaves an uncommitted graph that is never current and that
``cleanup()`` drops at the next start; the previous version stays current until the commit.

What a query sees (`visible`): the current versions a caller may see, and the load records (the meta graph)
when it may see every source. Given to the store as a list of graphs it is correct but slow (decision 0006);
when the store holds nothing else — no load under way, no version left over, nothing hidden from this
caller — the union of the store's graphs is the same dataset, and `query` uses it (decision 0008). Only a
process that is the store's one writer (`exclusive`) can know that, so only it takes the fast way.
"""

from __future__ import annotations

import getpass
import itertools
import re
import socket
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime

import numpy as np
import pyoxigraph as ox

from graph.digests import Difference, Digests, Stream, Triple, compare, digests_of, wanted
from graph.errors import EcokgError, UnknownSource
from graph.store import GraphStore, QueryResult
from ontology.vocab import ECO, PROV, RDF, RDFS, XSD, node

SYSTEM_SOURCES = ("ontology", "taxonomy", "euroscivoc", "reference", "geography", "links")
"""Sources that ecokg writes itself (`links`: entity resolution's); their graphs are ``BASE/graph/{name}``
(ARCHITECTURE.md, Named graphs)."""

LIST_LIMIT = 5000
"""A load lists the IRIs it added, removed or changed only up to this many each (counts are always kept)."""

_VERSION = re.compile(r"^(?P<graph>.+)/v(?P<n>\d+)$")
_NAME = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
_SERIALS = itertools.count()  # one per Sources object of this process, never reused


@dataclass(frozen=True)
class LoadInput:
    """What a loader tells about the files it read, for the provenance record."""

    files: Sequence[tuple[str, str]]  # (file name, sha256)
    rows: int
    loader_version: str
    access: str = "public"
    unknown_labels: Sequence[str] = ()
    agent: str = field(default_factory=lambda: f"{getpass.getuser()}@{socket.gethostname()}")


@dataclass(frozen=True)
class Change:
    """The IRIs a load added, removed and changed, each listed when at most LIST_LIMIT (the version record
    counts them all)."""

    added: list[str]
    removed: list[str]
    changed: list[str]


@dataclass(frozen=True)
class Version:
    """One committed version of a source, with the provenance of the load that made it."""

    source: str
    number: int
    graph: ox.NamedNode
    access: str
    quads: int
    rows: int
    files: tuple[tuple[str, str], ...]
    agent: str
    started: str
    ended: str
    loader_version: str
    added: int | None
    removed: int | None
    changed: int | None
    activity: ox.NamedNode


@dataclass(frozen=True)
class LoadResult:
    version: Version
    seconds_to_visible: float  # from the first quad written to the commit
    seconds_after: float  # comparing with the previous version and dropping it, once visible
    change: Change


class Sources:
    """The sources of one store: which version of each is current, and the only way to write."""

    def __init__(self, store: GraphStore, base_iri: str, *, exclusive: bool = False) -> None:
        """`exclusive`: this process is the store's only writer (an embedded store's lock, or the engine
        `ecokg serve` owns), which lets queries use the union of the store's graphs when it is safe."""
        self.store = store
        self.base = base_iri
        self.meta = ox.NamedNode(f"{base_iri}graph/meta")
        self.exclusive = exclusive
        self._current: dict[str, Version] | None = None
        self._only_visible: bool | None = None  # the store's graphs are the current versions and meta
        self._turn = threading.Condition()  # writers wait for union readers; readers never wait
        self._writers = 0
        self._union_readers = 0
        self._serial = next(_SERIALS)
        self.generation = 0
        """Writes this object has finished: with the serial, names the state of the data it serves."""

    # -- naming -----------------------------------------------------------------------------------
    def graph_of(self, name: str) -> ox.NamedNode:
        kind = "" if name in SYSTEM_SOURCES else "source/"
        return ox.NamedNode(f"{self.base}graph/{kind}{name}")

    # -- reading ----------------------------------------------------------------------------------
    def versions(self) -> list[Version]:
        """Every committed version, oldest first."""
        records = _Records(self.store, self.meta)
        out = [self._read_version(q.subject, records) for q in self.store.quads(self.meta, None, node(ECO.ofSource))]
        # the store keeps xsd:dateTime canonical ('...55.8Z' for 55.800): compare times, not strings
        return sorted(out, key=lambda v: (datetime.fromisoformat(v.started), v.source, v.number))

    def current(self) -> dict[str, Version]:
        """Source name -> its current version (cached until this object writes)."""
        if self._current is None:
            best: dict[str, Version] = {}
            for v in self.versions():
                if v.source not in best or v.number > best[v.source].number:
                    best[v.source] = v
            self._current = best
        return self._current

    def dataset(self, *, restricted: bool = True) -> list[ox.NamedNode]:
        """The current version of every source (public ones only unless `restricted`): the data."""
        return [v.graph for v in self.current().values() if restricted or v.access == "public"]

    def visible(self, *, restricted: bool = True) -> list[ox.NamedNode]:
        """What a caller's queries see: `dataset`, and the load records when it sees every source."""
        graphs = self.dataset(restricted=restricted)
        return [*graphs, self.meta] if len(graphs) == len(self.current()) else graphs

    def query(self, sparql: str, *, restricted: bool = True, prefixes: dict[str, str] | None = None) -> QueryResult:
        """Run a query over `visible(restricted=...)`, through the store's union when that is the same."""
        with self._turn:
            union = self.union_is_visible(restricted)
            self._union_readers += union
        try:
            # the store takes its snapshot within this call: a write that starts later cannot show in it
            dataset = None if union else self.visible(restricted=restricted)
            return self.store.query(sparql, dataset=dataset, prefixes=prefixes)
        finally:
            if union:
                with self._turn:
                    self._union_readers -= 1
                    self._turn.notify_all()

    def state(self, *, restricted: bool = True) -> tuple[int, int, bool] | None:
        """What a caller of this access level sees, as a key that changes whenever the data does; None when
        it cannot be known: other processes may write the store, or this one is writing."""
        if not self.exclusive or self._writers:
            return None
        return self._serial, self.generation, restricted

    def union_is_visible(self, restricted: bool) -> bool:
        """Whether a caller of this access level gets the store's union of graphs (fast), not a list of them."""
        if not self.exclusive or self._writers:
            return False
        current = self.current()
        if not restricted and any(v.access != "public" for v in current.values()):
            return False
        if self._only_visible is None:
            expected = {v.graph.value for v in current.values()} | {self.meta.value}
            self._only_visible = {g.value for g in self.store.graphs()} == expected
        return self._only_visible

    @contextmanager
    def _writing(self) -> Iterator[None]:
        """While it writes, queries take the list of graphs; it starts once union queries have started."""
        with self._turn:
            self._writers += 1
            while self._union_readers:
                self._turn.wait()
        try:
            yield
        finally:
            with self._turn:
                self._writers -= 1
                self.generation += 1
                self._current = None
                self._only_visible = None

    def history(self, name: str | None = None) -> list[Version]:
        found = [v for v in self.versions() if name is None or v.source == name]
        if name is not None and not found:
            raise UnknownSource(f"no load of source '{name}' is recorded; known: {sorted(self.current())}")
        return found

    def change_of(self, version: Version) -> Change:
        """The IRIs a load added, removed and changed, as far as they were listed (see LIST_LIMIT)."""
        changes = _changes_node(version.activity)

        def listed(term: str) -> list[str]:
            return sorted(_text(q.object) for q in self.store.quads(self.meta, changes, node(term)))

        return Change(listed(ECO.addedEntity), listed(ECO.removedEntity), listed(ECO.changedEntity))

    # -- writing ----------------------------------------------------------------------------------
    def replace(
        self, name: str, triples: Iterable[Triple], describe: Callable[[], LoadInput], *, dry_run: bool = False
    ) -> LoadResult | None:
        """Make `triples` the new content of source `name`, atomically, then drop the old version.

        `describe()` is called once the triples are consumed: it returns the provenance, or raises to
        refuse the load (a loader's problems), in which case the new graph is dropped unseen. With
        `dry_run` the triples are consumed and checked, and nothing is written.
        """
        if not _NAME.match(name):
            raise EcokgError(f"source name '{name}' must be lower-case letters, digits and '-' (e.g. pole-biowin)")
        if dry_run:
            deque(triples, maxlen=0)  # convert every row, so that describe() knows every problem
            describe()
            return None
        with self._writing():
            return self._replace(name, triples, describe)

    def _replace(self, name: str, triples: Iterable[Triple], describe: Callable[[], LoadInput]) -> LoadResult:
        started = _now()
        clock = time.perf_counter()
        previous = self.current().get(name)
        number = self._next_number(name)
        graph = ox.NamedNode(f"{self.graph_of(name).value}/v{number}")
        activity = ox.NamedNode(f"{self.base}id/load/{name}/v{number}")
        stream = Stream(triples)
        try:
            self.store.bulk_add(graph, stream)
            load = describe()
        except BaseException:
            self.store.drop_graph(graph)
            raise
        self.store.add_atomic(list(self._record(name, number, graph, activity, stream.count, load, started)))
        self._current = None
        visible = time.perf_counter() - clock

        clock = time.perf_counter()
        difference, change = self._difference(graph, previous, stream.digests)
        self.store.add_atomic(list(_change_quads(activity, difference, change, self.meta)))
        if previous is not None:
            self.store.drop_graph(previous.graph)
        self._current = None
        return LoadResult(self.current()[name], visible, time.perf_counter() - clock, change)

    def _difference(self, graph: ox.NamedNode, previous: Version | None, after: Digests) -> tuple[Difference, Change]:
        """What changed from the previous version, counted; the IRIs of a short list are read back from the
        graph that has them (one more pass over it, after the new version is visible)."""
        difference = compare(digests_of(self.store.quads(previous.graph)) if previous else digests_of(()), after)

        def short(*parts: np.ndarray) -> set[int]:
            return {h for part in parts if 0 < len(part) <= LIST_LIMIT for h in part.tolist()}

        def listed(part: np.ndarray, iris: dict[int, str]) -> list[str]:
            return sorted(iris[h] for h in part.tolist() if h in iris)

        added, gone = short(difference.added), short(difference.removed, difference.changed)
        new = wanted(self.store.quads(graph), added) if added else {}
        old = wanted(self.store.quads(previous.graph), gone) if previous and gone else {}
        return difference, Change(listed(difference.added, new), listed(difference.removed, old),
                                  listed(difference.changed, old))

    def rewrite(self, name: str, rename: Mapping[str, str], load: LoadInput) -> LoadResult:
        """A new version of source `name`: its current content with every IRI of `rename` replaced by the
        IRI it maps to (entity resolution's canonical IRIs), committed like any load."""
        graph = self.current()[name].graph

        Term = ox.NamedNode | ox.BlankNode | ox.Literal

        def renamed(term: Term | ox.Triple) -> Term:
            if isinstance(term, ox.NamedNode) and term.value in rename:
                return ox.NamedNode(rename[term.value])
            assert not isinstance(term, ox.Triple)  # ecokg writes no RDF-star
            return term

        def triples() -> Iterator[Triple]:
            for q in self.store.quads(graph):
                subject = renamed(q.subject)
                assert not isinstance(subject, ox.Literal)
                yield subject, q.predicate, renamed(q.object)

        with self._writing():
            return self._replace(name, triples(), lambda: load)

    def cleanup(self) -> list[str]:
        """Drop the version graphs no query may see: left by a killed load, or superseded."""
        current = {v.graph.value for v in self.current().values()}
        dropped = []
        with self._writing():
            for g in self.store.graphs():
                if g.value.startswith(f"{self.base}graph/") and _VERSION.match(g.value) and g.value not in current:
                    self.store.drop_graph(g)
                    dropped.append(g.value)
        return dropped

    # -- internals --------------------------------------------------------------------------------
    def _next_number(self, name: str) -> int:
        """One more than any version of `name` ever written, committed or not."""
        prefix = self.graph_of(name).value
        numbers = [v.number for v in self.versions() if v.source == name]
        for g in self.store.graphs():
            m = _VERSION.match(g.value)
            if m and m["graph"] == prefix:
                numbers.append(int(m["n"]))
        return max(numbers, default=0) + 1

    def _record(
        self, name: str, number: int, graph: ox.NamedNode, activity: ox.NamedNode, count: int,
        load: LoadInput, started: str,
    ) -> Iterator[ox.Quad]:
        m = self.meta
        source = self.graph_of(name)
        agent = ox.NamedNode(f"{self.base}id/agent/{_slug(load.agent)}")
        yield ox.Quad(source, node(RDF.type), node(ECO.Source), m)
        yield ox.Quad(source, node(ECO.sourceName), ox.Literal(name), m)
        yield ox.Quad(graph, node(RDF.type), node(ECO.SourceVersion), m)
        yield ox.Quad(graph, node(ECO.version), _int(number), m)
        yield ox.Quad(graph, node(ECO.access), ox.Literal(load.access), m)
        yield ox.Quad(graph, node(ECO.quadsWritten), _int(count), m)
        yield ox.Quad(graph, node(PROV.wasGeneratedBy), activity, m)
        yield ox.Quad(activity, node(RDF.type), node(PROV.Activity), m)
        yield ox.Quad(activity, node(PROV.startedAtTime), _datetime(started), m)
        yield ox.Quad(activity, node(PROV.endedAtTime), _datetime(_now()), m)
        yield ox.Quad(activity, node(PROV.wasAssociatedWith), agent, m)
        yield ox.Quad(agent, node(RDF.type), node(PROV.Agent), m)
        yield ox.Quad(agent, node(RDFS.label), ox.Literal(load.agent), m)
        yield ox.Quad(activity, node(ECO.rowsRead), _int(load.rows), m)
        yield ox.Quad(activity, node(ECO.loaderVersion), ox.Literal(load.loader_version), m)
        for i, (file_name, digest) in enumerate(load.files):
            used = ox.NamedNode(f"{activity.value}/file/{i + 1}")
            yield ox.Quad(activity, node(PROV.used), used, m)
            yield ox.Quad(used, node(RDF.type), node(PROV.Entity), m)
            yield ox.Quad(used, node(ECO.fileName), ox.Literal(file_name), m)
            yield ox.Quad(used, node(ECO.sha256), ox.Literal(digest), m)
        for label in load.unknown_labels:
            yield ox.Quad(activity, node(ECO.unknownLabel), ox.Literal(label), m)
        # The commit: present only if this whole write landed (extend is atomic).
        yield ox.Quad(graph, node(ECO.ofSource), source, m)

    def _read_version(self, graph: ox.NamedNode | ox.BlankNode | ox.Triple, records: _Records) -> Version:
        assert isinstance(graph, ox.NamedNode)
        props = _Props(records, graph)
        activity = props[PROV.wasGeneratedBy][0]
        assert isinstance(activity, ox.NamedNode)
        act = _Props(records, activity)
        agent = act[PROV.wasAssociatedWith][0]
        assert isinstance(agent, ox.NamedNode)
        files = []
        for used in act.get(PROV.used) or []:
            assert isinstance(used, ox.NamedNode)
            f = _Props(records, used)
            files.append((_text(f[ECO.fileName][0]), _text(f[ECO.sha256][0])))
        source_name = _Props(records, props[ECO.ofSource][0])[ECO.sourceName][0]
        return Version(
            source=_text(source_name),
            number=int(_text(props[ECO.version][0])),
            graph=graph,
            access=_text(props[ECO.access][0]),
            quads=int(_text(props[ECO.quadsWritten][0])),
            rows=int(_text(act[ECO.rowsRead][0])),
            files=tuple(sorted(files)),
            agent=_text(_Props(records, agent)[RDFS.label][0]),
            started=_text(act[PROV.startedAtTime][0]),
            ended=_text(act[PROV.endedAtTime][0]),
            loader_version=_text(act[ECO.loaderVersion][0]),
            added=_maybe_int(act.get(ECO.entitiesAdded)),
            removed=_maybe_int(act.get(ECO.entitiesRemoved)),
            changed=_maybe_int(act.get(ECO.entitiesChanged)),
            activity=activity,
        )


def _change_quads(activity: ox.NamedNode, difference: Difference, change: Change,
                  meta: ox.NamedNode) -> Iterator[ox.Quad]:
    for term, counted in ((ECO.entitiesAdded, difference.added), (ECO.entitiesRemoved, difference.removed),
                          (ECO.entitiesChanged, difference.changed)):
        yield ox.Quad(activity, node(term), _int(len(counted)), meta)
    changes = _changes_node(activity)  # apart, so that reading a load's record never reads the lists
    for term, items in ((ECO.addedEntity, change.added), (ECO.removedEntity, change.removed),
                        (ECO.changedEntity, change.changed)):
        if items:
            yield from (ox.Quad(changes, node(term), ox.NamedNode(i), meta) for i in items)


def _changes_node(activity: ox.NamedNode) -> ox.NamedNode:
    return ox.NamedNode(f"{activity.value}#changes")


class _Records:
    """The load records, read a property at a time for every subject at once: a dozen pattern reads however
    many versions there are. On a remote store each read is a round trip, and reading subject by subject
    took six per version (300 for a demo store: 3 s before every command)."""

    def __init__(self, store: GraphStore, graph: ox.NamedNode) -> None:
        self._store = store
        self._graph = graph
        self._by: dict[str, dict[str, list]] = {}

    def values(self, term: str) -> dict[str, list]:
        """Subject IRI -> its objects for the property `term`."""
        if term not in self._by:
            table: dict[str, list] = {}
            for q in self._store.quads(self._graph, None, node(term)):
                table.setdefault(q.subject.value, []).append(q.object)  # type: ignore[union-attr]
            self._by[term] = table
        return self._by[term]


class _Props:
    """The statements about one subject, looked up by vocabulary term."""

    def __init__(self, records: _Records, subject: ox.NamedNode) -> None:
        self._records = records
        self._subject = subject.value

    def __getitem__(self, term: str) -> list:
        return self._records.values(str(term))[self._subject]

    def get(self, term: str) -> list | None:
        return self._records.values(str(term)).get(self._subject)


def _text(term: object) -> str:
    return str(term.value)  # type: ignore[attr-defined]


def _maybe_int(terms: list | None) -> int | None:
    return int(_text(terms[0])) if terms else None


def _int(n: int) -> ox.Literal:
    return ox.Literal(str(n), datatype=node(XSD.integer))


def _datetime(text: str) -> ox.Literal:
    return ox.Literal(text, datatype=node(XSD.dateTime))


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "unknown"
