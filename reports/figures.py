"""What the ecosystem report shows, gathered from named queries only (queries/**/*.rq through the registry).

Each field of `Figures` is the rows of one named query (`QUERIES` names them, for the report's "source"
notes and for tests), run with the caller's access: public sources only unless `restricted`. The load log
queries run on the meta graph alone with the access levels the caller may see, as entity pages read it.
With a pole, the pole's own figures, coverage, gaps, uncovered projects and network are its alone; the
other sections stay about the whole ecosystem (the report says so).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.errors import InvalidParameter
from graph.sources import Sources
from queries.network import collaboration_graph
from queries.registry import rows_of
from reports.messages import Lang

TOP_GAPS = 12
"""Technologies in the gap chart."""
TOP_INTERNATIONAL = 10
"""Firms in the internationalisation table."""
EINVOICING = "e-invoicing"
"""The tool whose adoption the report follows: B2B e-invoicing is mandatory in Belgium since 1 January 2026."""

Rows = list[dict[str, Any]]

QUERIES = {
    "key": "key-figures", "poles": "pole-figures", "coverage": "pole-digital-coverage",
    "uncovered": "projects-without-digital-partner", "gaps": "technology-gap", "offer": "offer-by-family",
    "provinces": "actors-by-region", "arrondissements": "actors-by-region", "isolated": "isolated-actors",
    "international": "internationalisation", "members_international": "internationalisation",
    "countries": "partner-countries", "quality": "quality-checks", "unknown": "unknown-labels",
    "duplicates": "duplicate-candidates", "history": "load-history", "labels": "technology-labels",
    "network": "network-nodes, network-strong-edges, network-weak-edges",
    "activity": "event-activity", "reach": "event-reach", "never_reached": "poles-never-reached",
    "adoption": "adoption-gaps", "outcomes": "event-outcomes-by-type",
}
"""Field of `Figures` -> the named query (or queries) it comes from."""


@dataclass(frozen=True)
class Figures:
    lang: Lang
    restricted: bool
    pole: dict[str, Any] | None
    """The pole-figures row of the pole the report is about; None for the whole ecosystem."""
    key: dict[str, Any]
    poles: Rows
    coverage: Rows
    uncovered: Rows
    gaps: Rows
    offer: Rows
    provinces: Rows
    arrondissements: Rows
    isolated: Rows
    international: Rows
    members_international: Rows
    """internationalisation with show=all: every cluster member, with or without foreign partners."""
    countries: Rows
    quality: Rows
    unknown: Rows
    duplicates: Rows
    history: Rows
    labels: dict[str, dict[str, Any]]
    """Technology IRI -> its technology-labels row in the report's language."""
    network: nx.Graph
    activity: Rows
    """event-activity: the programme's events per year."""
    reach: Rows
    """event-reach in the latest year with events (every pole's, or the pole's)."""
    never_reached: Rows
    adoption: Rows
    """adoption-gaps of e-invoicing per pole (mandatory between Belgian firms since 2026)."""
    outcomes: Rows


def gather(sources: Sources, *, lang: Lang = "fr", pole: str | None = None, restricted: bool = True) -> Figures:
    """Run every named query the report needs. InvalidParameter when `pole` names no pole with data."""
    def rows(name: str, values: dict[str, Any] | None = None) -> Rows:
        return rows_of(sources, name, values or {}, restricted=restricted, keep=True)

    scoped: dict[str, Any] = {"pole": [pole]} if pole else {}
    pole_rows = rows("pole-figures", scoped)
    if pole and not pole_rows:
        raise InvalidParameter(f"no pole '{pole}' with members or projects in the data you may see")
    access = ["public", "restricted"] if restricted else ["public"]
    labels = {r["technology"]: r for r in rows("technology-labels", {"lang": lang})}
    return Figures(
        lang=lang, restricted=restricted, pole=pole_rows[0] if pole else None,
        key=rows("key-figures")[0],
        poles=pole_rows,
        coverage=rows("pole-digital-coverage", scoped),
        uncovered=rows("projects-without-digital-partner", scoped),
        gaps=_labelled(rows("technology-gap", scoped)[:TOP_GAPS], labels),
        offer=rows("offer-by-family"),
        provinces=rows("actors-by-region", {"level": "province"}),
        arrondissements=rows("actors-by-region", {"level": "nuts3"}),
        isolated=rows("isolated-actors"),
        international=rows("internationalisation", {"show": "with"}),
        members_international=rows("internationalisation", {"show": "all"}),
        countries=rows("partner-countries"),
        quality=rows("quality-checks"),
        unknown=rows_of(sources, "unknown-labels", {"access": access}, graphs=[sources.meta]),
        duplicates=rows("duplicate-candidates"),
        history=rows_of(sources, "load-history", {"access": access}, graphs=[sources.meta]),
        labels=labels,
        network=collaboration_graph(sources, restricted=restricted, weak=True),
        **_programme(rows, pole_rows[0]["pole"] if pole else None),
    )


def _programme(rows: Callable[..., Rows], pole: str | None) -> dict[str, Rows]:
    """The programme activity: events per year, reach and e-invoicing per pole (the pole's alone with one)."""
    activity = rows("event-activity")
    latest = {"year": activity[-1]["year"]} if activity else {}
    scoped = {"pole": [pole]} if pole else {}
    adoption = rows("adoption-gaps", {"technology": EINVOICING, "by": "pole"})
    return {
        "activity": activity,
        "reach": rows("event-reach", {**latest, **scoped}) if activity else [],
        "never_reached": [r for r in rows("poles-never-reached") if not pole or r["pole"] == pole],
        "adoption": [r for r in adoption if not pole or r["group"] == pole],
        "outcomes": rows("event-outcomes-by-type"),
    }


def _labelled(rows: Rows, labels: dict[str, dict[str, Any]]) -> Rows:
    """Rows with their technology's label in the report's language (the queries give English ones)."""
    return [{**r, "label": labels.get(r["technology"], {}).get("label") or r["label"]} for r in rows]
