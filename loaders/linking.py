"""Entity resolution: one IRI per real organisation across every source (`ecokg link`).

Exact keys join at load: an enterprise number or a PIC mints one IRI whatever the source (ontology/iris.py).
What is left is one organisation under two IRIs — a CORDIS participant known by its PIC only, an institution
known by name, a member whose number another source lacks. This module finds them (the same VAT number, or
names and places alike: loaders/matching.py, thresholds measured on real pairs) and keeps ONE IRI each:
every source that names an alias gets a new version with the canonical IRI instead (Sources.rewrite), and
every later load writes the canonical IRI (`Canonical`, applied by loaders.run). Oxigraph does no owl:sameAs
reasoning: rewriting is what makes an organisation count once in every query.

The links graph (system source `links`) keeps each link with its score, method and evidence, the doubtful
pairs left for review, and the rejected ones. The analyst's decisions are a source of their own
(`link-decisions`, from the review CSV): they hold over every later run and every reload. Two IRIs already
merged are separated by reloading the sources that hold them; the run names those sources.
"""

from __future__ import annotations

import csv
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox

from graph.errors import LoadError, Problem
from graph.sources import SYSTEM_SOURCES, LoadInput, Sources, Triple
from loaders import matching
from loaders.common import decimal_literal
from loaders.tabular import Column, TableSchema, read_tables
from ontology.vocab import T

LINKER_VERSION = "ecokg-link/1"
LINKS = "links"
DECISIONS = "link-decisions"
BLOCK = 50
"""A word shared by at most this many records makes them candidates (rarer words say more; a record's
rarest word is used whatever its count up to BLOCK_MAX, so that no record goes uncompared)."""
BLOCK_MAX = 1000

DECISIONS_SCHEMA = TableSchema(
    "link-decisions",
    (Column("alias", ("alias iri",), required=True),
     Column("canonical", ("canonical iri",), required=True),
     Column("decision", ("décision", "accept/reject"), required=True)),
    signature=frozenset({"alias", "canonical", "decision"}),
)
_DECISION_WORDS = {"accept": "accept", "accepter": "accept", "yes": "accept", "oui": "accept",
                   "reject": "reject", "rejeter": "reject", "no": "reject", "non": "reject"}
REVIEW_COLUMNS = ("alias", "alias_name", "alias_place", "alias_sources", "canonical", "canonical_name",
                  "canonical_place", "canonical_sources", "score", "evidence", "decision")


@dataclass
class _Entry:
    """What the sources say of one organisation IRI."""

    names: list[str] = field(default_factory=list)
    numbers: set[str] = field(default_factory=set)
    pics: set[str] = field(default_factory=set)
    vats: set[str] = field(default_factory=set)
    addresses: set[str] = field(default_factory=set)
    sources: set[str] = field(default_factory=set)


@dataclass(frozen=True)
class Link:
    alias: str
    canonical: str
    score: float
    method: str  # vat | name | analyst
    status: str  # applied | review | rejected
    evidence: str


@dataclass
class LinkReport:
    records: int
    links: list[Link]
    new: int  # aliases linked by this run (the others were linked before)
    rewritten: list[str]  # sources given a new version with canonical IRIs
    to_reload: list[str]  # sources that still merge a pair an analyst rejected
    review_rows: list[dict[str, str]]

    def count(self, status: str) -> int:
        return sum(link.status == status for link in self.links)


class Canonical:
    """alias IRI -> canonical IRI, as the links graph says: what every load writes instead of an alias."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping

    @classmethod
    def of(cls, sources: Sources) -> Canonical:
        return cls({lk.alias: lk.canonical for lk in _links_in(sources) if lk.status == "applied"})

    def apply(self, triples: Iterable[Triple]) -> Iterator[Triple]:
        if not self.mapping:
            yield from triples
            return
        get = self.mapping.get
        for s, p, o in triples:
            if isinstance(s, ox.NamedNode) and s.value in self.mapping:
                s = ox.NamedNode(get(s.value, s.value))
            if isinstance(o, ox.NamedNode) and o.value in self.mapping:
                o = ox.NamedNode(get(o.value, o.value))
            yield s, p, o


class _Scan:
    """Every organisation IRI of the current sources with its names, keys and place: an IRI under
    BASE/id/org/ that has a name. Read by predicate, so that a source's other triples are never read."""

    def __init__(self, sources: Sources) -> None:
        self.sources = sources
        self.prefix = f"{sources.base}id/org/"
        self.entries: dict[str, _Entry] = defaultdict(_Entry)
        self.places: dict[str, dict[str, str]] = defaultdict(dict)
        self.restricted: set[str] = set()
        names = (T.rov.legalName, T.skos.prefLabel, T.skos.altLabel)
        keys = ((T.eco.enterpriseNumber, "numbers"), (T.eco.pic, "pics"), (T.eco.vatNumber, "vats"))
        place = ((T.locn.postCode, "postcode"), (T.locn.postName, "city"), (T.locn.adminUnitL1, "country"))
        for source, version in sources.current().items():
            if source in SYSTEM_SOURCES or source == DECISIONS:
                continue
            if version.access != "public":
                self.restricted.add(source)
            for predicate in names:
                for s, value in self._pairs(version.graph, predicate):
                    entry = self.entries[s]
                    entry.names.append(value)
                    entry.sources.add(source)
            for predicate, attribute in keys:
                for s, value in self._pairs(version.graph, predicate):
                    getattr(self.entries[s], attribute).add(value.replace(".", "").upper())
            for s, value in self._pairs(version.graph, T.locn.address):
                self.entries[s].addresses.add(value)
            for predicate, attribute in place:
                for s, value in self._pairs(version.graph, predicate):
                    self.places[s][attribute] = value

    def _pairs(self, graph: ox.NamedNode, predicate: ox.NamedNode) -> Iterator[tuple[str, str]]:
        """(subject, object) of `predicate` in `graph`, for subjects under BASE/id/org/ (and their addresses)."""
        for q in self.sources.store.quads(graph, None, predicate):
            s, o = q.subject, q.object
            if isinstance(s, ox.NamedNode) and s.value.startswith(self.prefix) and not isinstance(o, ox.Triple):
                yield s.value, o.value

    def naming(self, iris: Iterable[str]) -> set[str]:
        """The sources (other than ecokg's own) whose current version names one of `iris`."""
        graphs = {v.graph.value: name for name, v in self.sources.current().items()
                  if name not in SYSTEM_SOURCES and name != DECISIONS}
        found = set()
        for iri in iris:
            node = ox.NamedNode(iri)
            for q in (*self.sources.store.quads(None, node), *self.sources.store.quads(None, None, None, node)):
                if q.graph_name.value in graphs:  # type: ignore[union-attr]
                    found.add(graphs[q.graph_name.value])  # type: ignore[union-attr]
        return found

    def records(self) -> list[matching.Record]:
        out = []
        for iri, e in self.entries.items():
            if not e.names:
                continue
            place = next((self.places[a] for a in sorted(e.addresses) if a in self.places), {})
            out.append(matching.Record(iri, tuple(dict.fromkeys(e.names)), place.get("country", "BE"),
                                       place.get("postcode", ""), place.get("city", ""),
                                       frozenset(e.numbers), frozenset(e.pics), frozenset(e.vats)))
        return sorted(out, key=lambda r: r.key)


def link(sources: Sources, *, agent: str | None = None, status: Callable[[str], None] | None = None) -> LinkReport:
    """Find the organisations named twice, rewrite the sources to one IRI each, and record the links."""
    say = status or (lambda _: None)
    say("reading the sources")
    scan = _Scan(sources)
    records = scan.records()
    decisions = _decisions_in(sources)
    say(f"comparing {len(records)} organisations")
    proposals = list(_exact(records)) + list(_fuzzy(records))
    merged = _Merge(records)
    rejected_applied, before = [], set()
    for earlier in _links_in(sources):  # an alias rewritten away is no record any more: its link stays
        if earlier.status != "applied":
            continue
        if decisions.get(frozenset((earlier.alias, earlier.canonical))) == "reject":
            rejected_applied.append(earlier.canonical)
        else:
            merged.join(earlier.alias, earlier.canonical, earlier)
            before.add(earlier.alias)
    links: list[Link] = []
    for score, method, evidence, a, b in sorted(_decided(proposals, decisions), key=lambda p: -p[0]):
        if method == "name" and merged.registered_apart(a, b):
            continue  # one of them has joined another PIC since it was proposed: as in the next run
        verdict = "link" if method == "analyst" else matching.decision(score)
        if verdict == "link" and not merged.join(a, b, Link(a, b, score, method, "applied", evidence)):
            verdict = "review"
            evidence += "; would join two enterprise or VAT numbers"
        if verdict == "review" and not merged.same(a, b):
            alias, canonical = _order(a, b)
            links.append(Link(alias, canonical, score, method, "review", evidence))
    links += [Link(*_order(*sorted(pair)), 100.0, "analyst", "rejected", "rejected by an analyst")
              for pair, d in decisions.items() if d == "reject"]
    mapping, applied = merged.canonical()
    links = applied + links
    say(f"{len(applied)} links, {sum(lk.status == 'review' for lk in links)} pairs to review")
    rewritten = _rewrite(sources, scan, mapping, agent)
    access, previous = _access(links, scan), sources.current().get(LINKS)
    # run after every load: a new version of the links graph only when what it says changed
    if previous is None or previous.access != access or not _same(links, _links_in(sources)):
        _record(sources, links, access, agent)
    # which of them held the alias is no longer known once rewritten: reloading the others changes nothing
    to_reload = sorted(scan.naming(rejected_applied))
    by_key = {r.key: r for r in records}
    review = [_review_row(lk, by_key, scan) for lk in links if lk.status == "review"]
    new = sum(lk.status == "applied" and lk.alias not in before for lk in links)
    return LinkReport(len(records), links, new, rewritten, to_reload, review)


def _order(a: str, b: str) -> tuple[str, str]:
    """(alias, canonical): the IRI minted from the strongest key stays (an enterprise number, then a PIC)."""
    return (a, b) if _rank(b) < _rank(a) else (b, a)


def _rank(iri: str) -> tuple[int, str]:
    tail = iri.rsplit("/", 1)[-1]
    return (0 if tail.startswith("be-") else 1 if tail.startswith("pic-") else 2, iri)


def _exact(records: list[matching.Record]) -> Iterator[tuple[float, str, str, str, str]]:
    """Records that share a key: a PIC (a CORDIS participant with a Belgian VAT number in one programme and
    none in another), a VAT number (one firm registered under two PICs), an enterprise number."""
    for kind, keys_of in (("pic", lambda r: r.pics), ("vat", lambda r: r.vats), ("number", lambda r: r.numbers)):
        holders: dict[str, list[matching.Record]] = defaultdict(list)
        for r in records:
            for key in keys_of(r):
                holders[key].append(r)
        for key, same in holders.items():
            for other in same[1:]:
                if not _differ(same[0], other):
                    yield 100.0, kind, f"same {_KEY_NAMES[kind]} {key}", same[0].key, other.key


_KEY_NAMES = {"pic": "PIC", "vat": "VAT number", "number": "enterprise number"}


def _fuzzy(records: list[matching.Record]) -> Iterator[tuple[float, str, str, str, str]]:
    """Name and place compared for the pairs that share a rare word and that no key tells apart: never two
    records with enterprise numbers (different ones, or they would be one IRI), nor two with PICs (two
    registrations, which only a shared VAT number joins: `_exact`)."""
    words = matching.Words.bundled().with_names(n for r in records for n in r.names)
    index: dict[str, list[int]] = defaultdict(list)
    postings: dict[tuple[str, int], list[int]] = defaultdict(list)  # (word, which keys a record has) -> records
    keys_of, kinds = [], []
    for i, r in enumerate(records):
        # the words, and the whole name written together ('hydro dynamics' and 'hydrodynamics' meet)
        ws = {w for n in r.normalised for w in (*matching.meaningful(n), "".join(matching.meaningful(n)))}
        kind = (1 if r.numbers else 0) | (2 if r.pics else 0)
        keys_of.append(ws)
        kinds.append(kind)
        for w in ws:
            index[w].append(i)
            postings[(w, kind)].append(i)
    for i, ws in enumerate(keys_of):
        rare = [w for w in ws if len(index[w]) <= BLOCK]
        if not rare and ws:
            rarest = min(ws, key=lambda w: (len(index[w]), w))
            rare = [rarest] if len(index[rarest]) <= BLOCK_MAX else []
        partners = {j for w in rare for kind in range(4) if not kind & kinds[i] for j in postings[(w, kind)] if j > i}
        for j in sorted(partners):
            a, b = records[i], records[j]
            if _differ(a, b):
                continue
            verdict = matching.compare(a, b, words)
            if verdict.score >= matching.REVIEW:
                yield verdict.score, "name", verdict.evidence, a.key, b.key


def _differ(a: matching.Record, b: matching.Record) -> bool:
    """Two enterprise numbers or two VAT numbers: two legal entities, whatever their names say."""
    return any(x and y and not x & y for x, y in ((a.numbers, b.numbers), (a.vats, b.vats)))


def _decided(proposals: list[tuple[float, str, str, str, str]], decisions: dict[frozenset[str], str],
             ) -> Iterator[tuple[float, str, str, str, str]]:
    """The proposals with the analyst's word applied: an accepted pair is linked whatever its score (and
    even if the matcher never proposed it), a rejected one never."""
    proposed = set()
    for score, method, evidence, a, b in proposals:
        pair = frozenset((a, b))
        proposed.add(pair)
        if decisions.get(pair) == "accept":
            yield 100.0, "analyst", f"accepted by an analyst ({evidence})", a, b
        elif decisions.get(pair) != "reject":
            yield score, method, evidence, a, b
    for pair, decision in decisions.items():
        if decision == "accept" and pair not in proposed:
            a, b = sorted(pair)
            yield 100.0, "analyst", "accepted by an analyst", a, b


class _Merge:
    """Union-find over IRIs that never joins two enterprise numbers or two VAT numbers."""

    def __init__(self, records: list[matching.Record]) -> None:
        self.parent: dict[str, str] = {}
        self.keys: dict[str, matching.Record] = {r.key: r for r in records}
        self.why: dict[str, Link] = {}  # an IRI -> the first link that joined it

    def find(self, iri: str) -> str:
        self.parent.setdefault(iri, iri)
        while self.parent[iri] != iri:
            self.parent[iri] = self.parent[self.parent[iri]]
            iri = self.parent[iri]
        return iri

    def same(self, a: str, b: str) -> bool:
        return self.find(a) == self.find(b)

    def registered_apart(self, a: str, b: str) -> bool:
        """Whether the groups of `a` and `b` hold two sets of PICs (what keeps a name match out)."""
        ka, kb = self.keys.get(self.find(a)), self.keys.get(self.find(b))
        return bool(ka and kb and ka.pics and kb.pics and not ka.pics & kb.pics)

    def join(self, a: str, b: str, why: Link) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        ka, kb = self.keys.get(ra), self.keys.get(rb)
        if ka and kb and _differ(ka, kb):
            return False
        self.parent[rb] = ra
        if ka and kb:
            self.keys[ra] = matching.Record(ra, (), numbers=ka.numbers | kb.numbers, pics=ka.pics | kb.pics,
                                            vats=ka.vats | kb.vats)
        elif kb:
            self.keys[ra] = kb
        for iri in (a, b):
            self.why.setdefault(iri, why)
        return True

    def canonical(self) -> tuple[dict[str, str], list[Link]]:
        """alias -> canonical for every IRI joined to another, and the applied link of each alias."""
        members: dict[str, list[str]] = defaultdict(list)
        for iri in self.parent:
            members[self.find(iri)].append(iri)
        mapping, links = {}, []
        for group in members.values():
            if len(group) < 2:
                continue
            keep = min(group, key=_rank)
            for alias in sorted(group):
                if alias != keep:
                    mapping[alias] = keep
                    why = self.why[alias]
                    links.append(Link(alias, keep, why.score, why.method, "applied", why.evidence))
        return mapping, links


def _rewrite(sources: Sources, scan: _Scan, mapping: dict[str, str], agent: str | None) -> list[str]:
    """A new version of each source that names an alias, with the canonical IRIs; provenance says so."""
    done = []
    for source in sorted(scan.naming(mapping)):
        v = sources.current()[source]
        load = LoadInput(files=v.files, rows=v.rows, loader_version=LINKER_VERSION, access=v.access,
                         **({"agent": agent} if agent else {}))
        sources.rewrite(source, mapping, load)
        done.append(source)
    return done


def _access(links: list[Link], scan: _Scan) -> str:
    """Restricted when a link names an organisation that only restricted sources know."""
    hidden = {iri for iri, e in scan.entries.items() if e.sources and e.sources <= scan.restricted}
    return "restricted" if any(lk.alias in hidden or lk.canonical in hidden for lk in links) else "public"


def _record(sources: Sources, links: list[Link], access: str, agent: str | None) -> None:
    """The links graph (system source `links`)."""

    def triples() -> Iterator[Triple]:
        for lk in links:
            node = ox.NamedNode(f"{sources.base}id/link/{_digest(lk.alias, lk.canonical)}")
            alias, canonical = ox.NamedNode(lk.alias), ox.NamedNode(lk.canonical)
            yield node, T.rdf.type, T.eco.Link
            yield node, T.eco.alias, alias
            yield node, T.eco.canonical, canonical
            yield node, T.eco.linkScore, decimal_literal(Decimal(f"{lk.score:.1f}"))
            yield node, T.eco.linkMethod, ox.Literal(lk.method)
            yield node, T.eco.linkStatus, ox.Literal(lk.status)
            yield node, T.eco.evidence, ox.Literal(lk.evidence)
            if lk.status == "applied":
                yield alias, T.owl.sameAs, canonical

    describe = LoadInput(files=(), rows=len(links), loader_version=LINKER_VERSION, access=access,
                         **({"agent": agent} if agent else {}))
    sources.replace(LINKS, triples(), lambda: describe)


def _same(new: list[Link], old: list[Link]) -> bool:
    """Whether two sets of links say the same, scores to the tenth the links graph keeps."""
    def key(lk: Link) -> tuple[str, str, float, str, str, str]:
        return lk.alias, lk.canonical, round(lk.score, 1), lk.method, lk.status, lk.evidence
    return {key(lk) for lk in new} == {key(lk) for lk in old}


def _digest(*parts: str) -> str:
    return hashlib.sha1("|".join(parts).encode()).hexdigest()[:16]


def _props(sources: Sources, name: str, cls: ox.NamedNode) -> list[dict[str, str]]:
    """The nodes of class `cls` in source `name`'s current version, each as {property IRI: value}."""
    version = sources.current().get(name)
    if version is None:
        return []
    nodes: dict[str, dict[str, str]] = defaultdict(dict)
    typed = set()
    for q in sources.store.quads(version.graph):
        subject, value = q.subject, q.object
        assert not isinstance(subject, ox.Triple) and not isinstance(value, ox.Triple)
        if q.predicate == T.rdf.type and value == cls:
            typed.add(subject.value)
        else:
            nodes[subject.value][q.predicate.value] = value.value
    return [nodes[n] for n in sorted(typed)]


def _links_in(sources: Sources) -> list[Link]:
    """Every link the links graph holds."""
    e = T.eco
    return [Link(p[e.alias.value], p[e.canonical.value], float(p[e.linkScore.value]), p[e.linkMethod.value],
                 p[e.linkStatus.value], p[e.evidence.value]) for p in _props(sources, LINKS, e.Link)]


def _decisions_in(sources: Sources) -> dict[frozenset[str], str]:
    alias, canonical, decision = T.eco.alias.value, T.eco.canonical.value, T.eco.decision.value
    return {frozenset((p[alias], p[canonical])): p[decision] for p in _props(sources, DECISIONS, T.eco.LinkDecision)}


def _review_row(lk: Link, records: dict[str, matching.Record], scan: _Scan) -> dict[str, str]:
    row = {"score": f"{lk.score:.1f}", "evidence": lk.evidence, "decision": ""}
    for side, iri in (("alias", lk.alias), ("canonical", lk.canonical)):
        r = records.get(iri)
        row[side] = iri
        row[f"{side}_name"] = " / ".join(r.names) if r else ""
        row[f"{side}_place"] = " ".join(x for x in (r.postcode, r.city, r.country) if x) if r else ""
        row[f"{side}_sources"] = ", ".join(sorted(scan.entries[iri].sources)) if iri in scan.entries else ""
    return row


def write_review(rows: list[dict[str, str]], path: Path) -> None:
    """The doubtful pairs as a CSV an analyst fills: `decision` accept or reject (blank: undecided)."""
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.DictWriter(f, REVIEW_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)


def record_decisions(sources: Sources, path: Path, *, agent: str | None = None) -> int:
    """Add an analyst's filled review file to the decisions (a later word on a pair replaces an earlier one).
    Raises LoadError naming file, row and column; nothing is written then."""
    decisions = {pair: d for pair, d in _decisions_in(sources).items()}
    problems: list[Problem] = []
    read = 0
    for table in read_tables(path, [DECISIONS_SCHEMA]):
        for row in table.rows:
            word = row.text("decision").casefold()
            if not word:
                continue
            iris = [row.text("alias"), row.text("canonical")]
            bad = [c for c, iri in zip(("alias", "canonical"), iris, strict=True) if not iri.startswith(sources.base)]
            problems += [row.problem(c, f"'{row.text(c)}' is no IRI of this knowledge graph") for c in bad]
            if word not in _DECISION_WORDS:
                problems.append(row.problem("decision", f"'{row.text('decision')}' is neither accept nor reject"))
            elif not bad:
                decisions[frozenset(iris)] = _DECISION_WORDS[word]
                read += 1
    if problems:
        raise LoadError(problems)

    def triples() -> Iterator[Triple]:
        for pair, decision in sorted(decisions.items(), key=lambda x: sorted(x[0])):
            a, b = sorted(pair)
            node = ox.NamedNode(f"{sources.base}id/link-decision/{_digest(a, b)}")
            yield node, T.rdf.type, T.eco.LinkDecision
            yield node, T.eco.alias, ox.NamedNode(a)
            yield node, T.eco.canonical, ox.NamedNode(b)
            yield node, T.eco.decision, ox.Literal(decision)

    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    load = LoadInput(files=[(path.name, digest)], rows=read, loader_version=LINKER_VERSION, access="restricted",
                     **({"agent": agent} if agent else {}))
    sources.replace(DECISIONS, triples(), lambda: load)
    return read
