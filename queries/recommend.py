"""Partner recommendations: for a project, or for a firm and a technology, ranked candidate firms and labs.

Candidates
    For a project: the cluster's member firms (an eco:Company with a membership of an eco:Cluster) that
    offer, and the research labs that have expertise in, at least one technology the project needs - a
    narrower concept covers a broader need (eco:within, i.e. skos:broader*) - its current participants
    excepted (named query ``recommend-project-candidates``). For a firm and a technology: the same pool,
    offering that technology or a narrower one, the firm itself excepted (``recommend-technology-candidates``).

Score (each candidate's ``reasons`` spell it out with its numbers)::

    score     = 0.5 x coverage + 0.3 x proximity + 0.2 x partners
    coverage  = needed technologies covered / needed technologies      (1 for a firm + one technology)
    proximity = 1 / distance, 0 when not connected within 4 hops
    partners  = AA / (1 + AA), with AA = sum over shared partners z of 1 / ln(max(2, degree(z)))

- ``distance``: hops from the project (or the firm) to the candidate in the strong-tie collaboration graph:
  an organisation - a project it takes part in (the Participation node is no hop of its own), a lab - its
  institution (org:unitOf). Weak ties (pole, cluster) are not followed: through the cluster every two
  members would be two hops apart. Found breadth-first from the project or firm, up to 4 hops, with the
  named query ``neighbours`` of the path search (its strong relations only) run on batches of nodes
  (VALUES): the whole graph is never loaded.
- shared partners: organisations that worked (shared a project) with both - for a project, its
  participants who have shared another project with the candidate. ``degree(z)`` = z's distinct partner
  organisations through projects; Adamic-Adar weighs a shared partner more when it has few partners.
  Floored at 2 so that no term divides by ln 1 = 0 (possible only for a project with a single participant).
- ``AA / (1 + AA)`` maps [0, inf) to [0, 1) without depending on the other candidates (one shared partner
  of degree 2 gives 0.59).
- The weights put what the candidate can do first (the question is who can bring the technology), how
  close it already is second, and the shared partners (trust through common acquaintances) third.

Ranked by score (descending), then IRI.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import pyoxigraph as ox

from graph.errors import InvalidParameter
from graph.sources import Sources
from queries import registry
from queries.identify import AmbiguousEntity, UnknownEntity, entity_labels, local_name, resolve_actor
from queries.paths import STRONG

WEIGHTS = {"coverage": 0.5, "proximity": 0.3, "partners": 0.2}
MAX_DISTANCE = 4
BATCH = 200
"""Nodes per VALUES block when walking a neighbourhood."""


@dataclass(frozen=True)
class Candidate:
    """A recommended partner, with the parts of its score and the reasons in words."""

    iri: str
    label: str
    kind: str  # "company" | "lab"
    score: float
    technologies: tuple[str, ...]  # the needed technologies (IRIs) it covers, itself or by a narrower concept
    distance: int | None  # hops in the strong-tie graph; None when not connected within 4
    shared_partners: tuple[str, ...]  # organisations that worked with both (through projects)
    adamic_adar: float
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "iri": self.iri, "label": self.label, "kind": self.kind, "score": self.score,
            "technologies": list(self.technologies), "distance": self.distance,
            "shared_partners": list(self.shared_partners), "adamic_adar": self.adamic_adar,
            "reasons": list(self.reasons),
        }


# -- public ----------------------------------------------------------------------------------------
def recommend_for_project(sources: Sources, project: str | ox.NamedNode, *, limit: int = 10,
                          restricted: bool = True) -> list[Candidate]:
    """Firms and labs that could bring what `project` (an IRI, its identifier, e.g. "BW-2021-007", or the key
    of its IRI: see `identify.resolve_actor`) needs.

    Unknown (or not a project), ambiguous -> InvalidParameter. A project that needs nothing has no candidates."""
    _check_limit(limit)
    iri, needed = _resolve_project(sources, project, restricted)
    rows = registry.rows_of(sources, "recommend-project-candidates", {"project": iri}, restricted=restricted)
    return _rank(sources, _Anchor(iri, is_project=True, needed=needed), rows, limit, restricted)


def recommend_for_company(sources: Sources, company: str | ox.NamedNode, technology: str | ox.NamedNode, *,
                          limit: int = 10, restricted: bool = True) -> list[Candidate]:
    """Firms and labs offering `technology` (an IRI, tech:slug or slug) or a narrower one, for `company` (an
    organisation: an IRI, an enterprise number, the key of its IRI, a lab code...: see
    `identify.resolve_actor`), with distance and shared partners relative to that company.

    Unknown (or not an organisation) company, ambiguous company, unknown technology -> InvalidParameter."""
    _check_limit(limit)
    org = _resolve_organisation(sources, company, restricted)
    tech, tech_label = _resolve_technology(sources, technology, restricted)
    rows = registry.rows_of(sources, "recommend-technology-candidates", {"technology": tech, "exclude": org},
                            restricted=restricted)
    return _rank(sources, _Anchor(org, is_project=False, needed={tech: tech_label}), rows, limit, restricted)


# -- resolving what people type --------------------------------------------------------------------
def _check_limit(limit: int) -> None:
    if limit < 1:
        raise InvalidParameter(f"limit must be at least 1, not {limit}")


def _text(value: str | ox.NamedNode, what: str) -> str:
    text = value.value if isinstance(value, ox.NamedNode) else str(value).strip()
    if not text:
        raise InvalidParameter(f"no {what} given")
    return text


def _resolve(sources: Sources, text: str, what: str, restricted: bool) -> str:
    """The IRI of the one entity `text` names (`identify.resolve_actor`), the messages speaking of `what`."""
    try:
        return resolve_actor(sources, text, restricted=restricted).value
    except UnknownEntity as exc:
        scope = "" if restricted else " among public sources"
        raise UnknownEntity(f"unknown {what} '{text}'{scope}: {exc}") from exc
    except AmbiguousEntity as exc:
        raise AmbiguousEntity(f"{what} '{text}' is ambiguous: {exc}") from exc


def _resolve_project(sources: Sources, project: str | ox.NamedNode, restricted: bool) -> tuple[str, dict[str, str]]:
    """The project's IRI and the technologies it needs (IRI -> label)."""
    text = _text(project, "project")
    iri = _resolve(sources, text, "project", restricted)
    rows = registry.rows_of(sources, "recommend-project", {"project": iri}, restricted=restricted)
    if not rows:
        raise UnknownEntity(f"unknown project '{text}': <{iri}> is no project")
    return iri, {row["needed"]: row["needed_label"] or local_name(row["needed"]) for row in rows if row["needed"]}


def _resolve_organisation(sources: Sources, company: str | ox.NamedNode, restricted: bool) -> str:
    text = _text(company, "company")
    iri = _resolve(sources, text, "company", restricted)
    if not registry.rows_of(sources, "recommend-organisation", {"organisation": iri}, restricted=restricted):
        raise UnknownEntity(f"unknown company '{text}': <{iri}> is no organisation (a firm, a lab or an institution)")
    return iri


def _resolve_technology(sources: Sources, technology: str | ox.NamedNode, restricted: bool) -> tuple[str, str]:
    text = _text(technology, "technology")
    hint = "give a concept IRI, tech:slug or slug such as computer-vision"
    try:
        rows = registry.rows_of(sources, "recommend-technology", {"technology": text}, restricted=restricted)
    except InvalidParameter as exc:
        raise InvalidParameter(f"technology '{text}': {hint} ({exc})") from exc
    if not rows:
        raise InvalidParameter(f"unknown technology '{text}': no such concept in the taxonomy ({hint})")
    iri = str(rows[0]["technology"])
    return iri, rows[0]["label"] or local_name(iri)


# -- the neighbourhood -----------------------------------------------------------------------------
@dataclass
class _Anchor:
    iri: str
    is_project: bool
    needed: dict[str, str]  # technology IRI -> label


@dataclass
class _Neighbourhood:
    """The strong-tie graph around one node, up to MAX_DISTANCE hops, walked breadth-first.

    `edges` holds every edge of the nodes at distance < MAX_DISTANCE (their neighbours were fetched), which
    is enough for the partners of the anchor's partners: a partner is at distance <= 2, its projects <= 3.
    Each edge is kept with the kind of the neighbour, as the named query ``neighbours`` gives it: "project"
    (a project the node takes part in) or "actor" (a participant of the project node; the institution or
    a lab of the actor node)."""

    anchor: str
    depth: dict[str, int] = field(default_factory=dict)
    parent: dict[str, str] = field(default_factory=dict)
    projects: set[str] = field(default_factory=set)
    edges: dict[str, set[tuple[str, str]]] = field(default_factory=dict)  # node -> {(neighbour, kind)}

    @classmethod
    def walk(cls, sources: Sources, anchor: str, anchor_is_project: bool, restricted: bool) -> _Neighbourhood:
        hood = cls(anchor, depth={anchor: 0})
        if anchor_is_project:
            hood.projects.add(anchor)
        frontier = [anchor]
        for d in range(MAX_DISTANCE):
            if not frontier:
                break
            for row in registry.rows_in_batches(sources, "neighbours", "node", frontier, BATCH, restricted=restricted):
                if row["relation"] in STRONG:  # weak ties (poles, the cluster) are not followed
                    hood.edges.setdefault(row["node"], set()).add((row["neighbour"], row["kind"]))
            following = []
            for node in frontier:
                for neighbour, kind in sorted(hood.edges.get(node, ())):
                    if kind == "project":
                        hood.projects.add(neighbour)
                    if neighbour not in hood.depth:
                        hood.depth[neighbour] = d + 1
                        hood.parent[neighbour] = node
                        following.append(neighbour)
            frontier = sorted(following)
        return hood

    def participants(self, project: str) -> set[str]:
        return {n for n, kind in self.edges.get(project, ()) if kind == "actor"}

    def partners(self, organisation: str) -> set[str]:
        """Distinct organisations sharing a project with this one (as far as the walk fetched)."""
        out: set[str] = set()
        for project, kind in self.edges.get(organisation, ()):
            if kind == "project":
                out |= self.participants(project)
        out.discard(organisation)
        return out

    def path(self, node: str) -> list[str]:
        """The nodes from the anchor to `node`, both included."""
        out = [node]
        while out[-1] != self.anchor:
            out.append(self.parent[out[-1]])
        return out[::-1]


# -- ranking ---------------------------------------------------------------------------------------
@dataclass
class _Offer:
    label: str
    kind: str
    covers: dict[str, set[str]] = field(default_factory=dict)  # needed IRI -> labels of the concepts offered


@dataclass(frozen=True)
class _Scored:
    score: float
    iri: str
    offer: _Offer
    distance: int | None
    shared: tuple[str, ...]
    aa: float
    coverage: float
    proximity: float
    partner_index: float

    def candidate(self, hood: _Neighbourhood, labels: Mapping[str, str], needed_labels: Mapping[str, str],
                  needed: int) -> Candidate:
        reasons = _coverage_reasons(self.offer, needed_labels)
        if self.distance is None:
            reasons.append(f"not connected within {MAX_DISTANCE} hops")
        else:
            via = [("project " if n in hood.projects else "") + labels.get(n, local_name(n))
                   for n in hood.path(self.iri)[1:-1]]
            reasons.append(f"{self.distance} hop{'s' if self.distance > 1 else ''} away"
                           + (f" via {', '.join(via)}" if via else ""))
        if self.shared:
            names = sorted(labels.get(z, local_name(z)) for z in self.shared)
            reasons.append(f"shared partners: {', '.join(names)} (Adamic-Adar {self.aa:.2f})")
        else:
            reasons.append("no shared partners")
        reasons.append(
            f"score {self.score:.3f} = {WEIGHTS['coverage']} × coverage {self.coverage:.2f} "
            f"({len(self.offer.covers)} of {needed} needed) + {WEIGHTS['proximity']} × proximity "
            f"{self.proximity:.2f} (1/distance) + {WEIGHTS['partners']} × shared-partner index "
            f"{self.partner_index:.2f} (AA/(1+AA))")
        return Candidate(
            iri=self.iri, label=self.offer.label, kind=self.offer.kind, score=self.score,
            technologies=tuple(sorted(self.offer.covers)), distance=self.distance, shared_partners=self.shared,
            adamic_adar=self.aa, reasons=tuple(reasons),
        )


def _rank(sources: Sources, anchor: _Anchor, rows: Iterable[Mapping[str, Any]], limit: int,
          restricted: bool) -> list[Candidate]:
    offers: dict[str, _Offer] = {}
    needed_labels = dict(anchor.needed)
    for row in rows:
        iri = row["candidate"]
        label = row["label"] or local_name(iri)
        offer = offers.setdefault(iri, _Offer(label, row["kind"]))
        offer.label = min(offer.label, label)
        offer.covers.setdefault(row["needed"], set()).add(row["offered_label"] or local_name(row["offered"]))
        needed_labels.setdefault(row["needed"], row["needed_label"] or local_name(row["needed"]))
    if not offers or not anchor.needed:
        return []
    hood = _Neighbourhood.walk(sources, anchor.iri, anchor.is_project, restricted)
    anchor_partners = hood.participants(anchor.iri) if anchor.is_project else hood.partners(anchor.iri)
    degree = {z: len(hood.partners(z)) for z in anchor_partners}

    scored = []
    for iri, offer in offers.items():
        distance = hood.depth.get(iri)
        shared = tuple(sorted(z for z in anchor_partners if z != iri and iri in hood.partners(z)))
        aa = sum((1 / math.log(max(2, degree[z])) for z in shared), 0.0)
        coverage = len(offer.covers) / len(anchor.needed)
        proximity = 1 / distance if distance else 0.0
        partner_index = aa / (1 + aa)
        score = (WEIGHTS["coverage"] * coverage + WEIGHTS["proximity"] * proximity
                 + WEIGHTS["partners"] * partner_index)
        scored.append(_Scored(round(score, 12), iri, offer, distance, shared, aa, coverage, proximity,
                              partner_index))
    scored.sort(key=lambda s: (-s.score, s.iri))
    top = scored[:limit]

    to_label = {z for s in top for z in s.shared}
    for s in top:
        if s.distance is not None:
            to_label.update(hood.path(s.iri)[1:-1])
    labels = _labels(sources, to_label, restricted)
    return [s.candidate(hood, labels, needed_labels, len(anchor.needed)) for s in top]


def _coverage_reasons(offer: _Offer, needed_labels: Mapping[str, str]) -> list[str]:
    verb = "has expertise in" if offer.kind == "lab" else "offers"
    return [f"{verb} {', '.join(sorted(offer.covers[n]))} (needed: {needed_labels[n]})"
            for n in sorted(offer.covers, key=lambda n: (needed_labels[n], n))]


def _labels(sources: Sources, entities: set[str], restricted: bool) -> dict[str, str]:
    """What to call entities in the reasons: a project by its acronym when it has one, else the label;
    entities with neither are left out (the callers fall back on the IRI's last segment)."""
    rows = entity_labels(sources, sorted(entities), restricted=restricted)
    return {iri: row["acronym"] or row["label"] for iri, row in rows.items() if row["acronym"] or row["label"]}
