"""The outreach list for a workshop on a technology (analyst questions 7 and 11): whom to invite, why, and who
could introduce each firm.

The named query ``outreach-candidates`` ranks the firms and says why each is there. The introducer is the
cluster's own network: the nearest cluster member by collaboration path (queries.paths.nearest), a member that
offers the technology first when several are as near, since it could train the firm too. Strong ties first (a
shared project: people who worked together); for a firm they do not reach, weak ones (met at an event, or
members of one pole). A firm that is itself a cluster member needs no introduction; one no member reaches
within `max_length` hops has none.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from graph.sources import Sources
from queries.identify import entity_labels
from queries.paths import Path, nearest
from queries.registry import rows_of

__all__ = ["Candidate", "outreach"]


@dataclass(frozen=True)
class Candidate:
    rank: int
    row: dict[str, Any]
    """The outreach-candidates row: firm, label, reason, needs, events, score, poles, province..."""
    member: bool
    """Whether the firm is a cluster member itself (then it has no introducer)."""
    introducer: str | None
    introducer_label: str | None
    introducer_offers: bool
    path: Path | None
    """From the introducer to the firm, hop by hop."""

    @property
    def introduction(self) -> str:
        """Who meets whom, and how, in words: 'Facturo SRL, participates_in FACTRANS, participates_in ...'."""
        if self.member:
            return "cluster member: invite directly"
        if self.path is None:
            return ""
        hops = ", ".join(f"{h.relation} {h.label or h.target}" for h in self.path.hops)
        return f"{self.introducer_label or self.introducer}, {hops}"

    def to_json(self) -> dict[str, Any]:
        return {"rank": self.rank, **self.row, "cluster_member": self.member, "introducer": self.introducer,
                "introducer_label": self.introducer_label, "introducer_offers": self.introducer_offers,
                "introduction": self.introduction, "path": self.path.to_json() if self.path else None}


def outreach(sources: Sources, technology: str, *, pole: Sequence[str] = (), sector: Sequence[str] = (),
             limit: int | None = None, max_length: int = 4, restricted: bool = True) -> list[Candidate]:
    """The ranked candidates for a workshop on `technology` (a concept IRI, tech:slug or slug), within the
    given poles and sectors, the first `limit` of them, each with its introducer when one is near enough."""
    rows = rows_of(sources, "outreach-candidates", {"technology": technology, "pole": list(pole),
                                                    "sector": list(sector)}, restricted=restricted)[:limit]
    members = {r["member"]: bool(r["offers"]) for r in rows_of(sources, "outreach-introducers",
                                                              {"technology": technology}, restricted=restricted)}
    starts = [r["firm"] for r in rows if r["firm"] not in members]
    prefer = [m for m, offers in members.items() if offers]
    found = nearest(sources, starts, members, prefer=prefer, max_length=max_length, restricted=restricted)
    found |= nearest(sources, [s for s in starts if s not in found], members, prefer=prefer, max_length=max_length,
                     weak=True, restricted=restricted)
    who = {p.hops[0].source for p in found.values()}
    labels = {iri: r["label"] for iri, r in entity_labels(sources, sorted(who), restricted=restricted).items()}
    out = []
    for rank, row in enumerate(rows, start=1):
        path = found.get(row["firm"])
        introducer = path.hops[0].source if path else None
        out.append(Candidate(rank, row, row["firm"] in members, introducer, labels.get(introducer or ""),
                             members.get(introducer or "", False), path))
    return out
