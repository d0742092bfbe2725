"""The ecosystem report as one self-contained HTML page (Jinja2 template, inline CSS and SVG, no script,
nothing fetched), from `Figures`; charts are drawn here from the rows, never from other numbers."""

from __future__ import annotations

from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

from graph.sources import SYSTEM_SOURCES
from reports.charts import Bar, Line, Series, bars, lines
from reports.figures import QUERIES, Figures
from reports.geo import province_map
from reports.messages import Messages
from reports.network_view import COLOURS, drawn_graph, picture

HERE = Path(__file__).parent
PALETTE = {"digital": "#2563eb", "demand": "#ea580c", "gap": "#f59e0b", "other": "#cbd5e1", "lab": "#16a34a",
           "firm": "#94a3b8"}
HISTORY_ROWS = 30
"""Loads listed in the history table, the latest first."""
LINE_COLOURS = ("#2563eb", "#ea580c", "#16a34a", "#7c3aed", "#db2777", "#0d9488", "#ca8a04", "#64748b",
                "#0891b2", "#b91c1c", "#65a30d", "#1e293b")

_env = Environment(loader=FileSystemLoader(HERE / "templates"), autoescape=select_autoescape(["html", "j2"]),
                   trim_blocks=True, lstrip_blocks=True)


def render_html(figures: Figures, *, generated: datetime | None = None) -> str:
    """The report, whole, as an HTML document."""
    m = Messages(figures.lang)
    when = generated or datetime.now(UTC)
    return _env.get_template("report.html.j2").render(
        f=figures, m=m, generated=when.strftime("%Y-%m-%d"), queries=QUERIES,
        css=Markup((HERE / "static" / "report.css").read_text(encoding="utf-8")),
        charts=_charts(figures, m), tables=_tables(figures, m), highlights=_highlights(figures, m),
    )


def _highlights(f: Figures, m: Messages) -> list[str]:
    """The cover's few sentences, each from the first or extreme row of a section's query."""
    out = []
    if f.gaps:
        top = f.gaps[0]
        out.append(m("hl_gap", technology=top["label"], projects=m.count("n_projects", top["demand_projects"]),
                     firms=m.count("n_firms", top["demand_firms"]), supply=m.count("n_members", top["supply"])))
    if f.coverage:
        low = min(f.coverage, key=lambda r: (r["share"], r["pole_label"] or r["pole"]))
        out.append(m("hl_coverage_pole", share=m.share(low["share"])) if f.pole else
                   m("hl_coverage", pole=low["pole_label"] or low["pole"], share=m.share(low["share"])))
    if f.activity:
        year = f.activity[-1]
        out.append(m("hl_programme", year=year["year"], events=m.number(year["events"]),
                     firms=m.count("n_organisations", year["organisations"]),
                     repeat=m.number(year["repeat_organisations"])))
    if not f.pole:
        out.append(m("hl_isolated", n=m.number(len(f.isolated))))
        out.append(m("international_intro", international=m.number(len(f.international)),
                     members=m.number(len(f.members_international))))
    return out


def _charts(f: Figures, m: Messages) -> dict[str, Any]:
    return {
        "coverage": bars([_coverage_bar(r, m) for r in f.coverage], [
            Series(m("with_partner"), PALETTE["digital"]), Series(m("needing_without"), PALETTE["demand"]),
            Series(m("other_without"), PALETTE["other"])], chart="coverage-chart", lanes=[[0, 1, 2]]),
        "gaps": bars([Bar(r["technology"], r["label"],
                          (r["demand_projects"], r["demand_firms"], r["supply"], r["labs"]), "") for r in f.gaps],
                     [Series(m("demand_projects"), PALETTE["demand"]), Series(m("demand_firms"), PALETTE["gap"]),
                      Series(m("supply"), PALETTE["digital"]), Series(m("labs"), PALETTE["lab"])],
                     chart="gaps-chart", lanes=[[0, 1], [2], [3]]),
        "offer": bars([Bar(family, f.labels.get(family, {}).get("label") or family, (n,), m.number(n))
                       for family, n in _families(f)],
                      [Series(m("suppliers"), PALETTE["digital"])], chart="offer-chart"),
        "provinces": bars([Bar(r["region"], _place(r, m), (r["cluster_members"], r["companies"] - r["cluster_members"],
                                                          r["labs"]),
                               m("region_note", companies=m.count("n_firms", r["companies"]),
                                 cluster=m.number(r["cluster_members"]), labs=m.count("n_labs", r["labs"])))
                           for r in f.provinces],
                          [Series(m("cluster_firms"), PALETTE["digital"]), Series(m("other_firms"), PALETTE["firm"]),
                           Series(m("labs"), PALETTE["lab"])], chart="provinces-chart", lanes=[[0, 1], [2]]),
        "map": province_map({_code(r["region"]): r["companies"] for r in f.provinces},
                            {_code(r["region"]): _place(r, m) for r in f.provinces},
                            chart="provinces-map", caption=m("map_caption")),
        "countries": bars([Bar(r["country"], r["country"], (r["organisations"], r["projects"]),
                               m("country_note", organisations=m.count("n_organisations", r["organisations"]),
                                 projects=m.count("n_projects", r["projects"]))) for r in f.countries],
                          [Series(m("organisations"), PALETTE["firm"]), Series(m("kf_projects"), PALETTE["gap"])],
                          chart="countries-chart"),
        "history": lines(_history_lines(f), chart="history-chart"),
        "reach": bars([Bar(r["pole"], r["pole_label"] or r["pole"], (r["reached"], r["members"] - r["reached"]),
                           m("reach_note", reached=m.number(r["reached"]), members=m.number(r["members"]),
                             share=m.share(r["share"]))) for r in f.reach],
                      [Series(m("reached"), PALETTE["digital"]), Series(m("not_reached"), PALETTE["other"])],
                      chart="reach-chart", lanes=[[0, 1]]),
        "adoption": bars([Bar(r["group"], r["label"] or r["group"], (r["adopters"], r["needing"],
                                                                      r["without"] - r["needing"]),
                              m("adoption_note", adopters=m.number(r["adopters"]), firms=m.number(r["firms"]),
                                share=m.share(r["share"]))) for r in f.adoption],
                         [Series(m("adopters"), PALETTE["digital"]), Series(m("needing_tool"), PALETTE["demand"]),
                          Series(m("without_tool"), PALETTE["other"])], chart="adoption-chart", lanes=[[0, 1, 2]]),
        "network": picture(drawn_graph(f.network, f.pole["pole"] if f.pole else None),
                           {role: m(f"role_{role}") for role in COLOURS}),
    }


def _coverage_bar(r: dict[str, Any], m: Messages) -> Bar:
    other = r["projects"] - r["projects_with_digital_partner"] - r["projects_needing_digital_without_partner"]
    return Bar(r["pole"], r["pole_label"] or r["pole"],
               (r["projects_with_digital_partner"], r["projects_needing_digital_without_partner"], other),
               m("coverage_note", covered=m.number(r["projects_with_digital_partner"]),
                 total=m.number(r["projects"]), share=m.share(r["share"])))


def _families(f: Figures) -> list[tuple[str, int]]:
    """(family, suppliers) in the query's order (most suppliers first), each once."""
    return list(dict.fromkeys((r["family"], r["suppliers"]) for r in f.offer))


def _tables(f: Figures, m: Messages) -> dict[str, Any]:
    catalogue: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for r in f.offer:
        where = _place({"region_label": r["province_label"], "region": r["province"] or ""}, m)
        catalogue[r["family"]][r["offered"]].append(f"{r['label']} ({where})" if r["province"] else r["label"])
    name = {t: row["label"] for t, row in f.labels.items()}
    offer = [(name.get(family, family), [(name.get(t, t), firms) for t, firms in concepts.items()])
             for family, concepts in catalogue.items()]
    unknown: dict[str, list[str]] = defaultdict(list)
    for r in f.unknown:
        unknown[r["source"]].append(r["label"])
    data_loads = [r for r in f.history if r["source"] not in SYSTEM_SOURCES]
    return {
        "offer": offer,
        "unknown": sorted(unknown.items()),
        "history": list(reversed(data_loads))[:HISTORY_ROWS],
        "sources": [r for r in f.history if r["current"]],
        "places": {r["region"]: _place(r, m) for r in f.provinces},
        "international_members": len(f.members_international),
    }


def _history_lines(f: Figures) -> list[Line]:
    by_source: dict[str, list[tuple[datetime, float]]] = defaultdict(list)
    for r in f.history:
        if r["source"] not in SYSTEM_SOURCES:
            by_source[r["source"]].append((datetime.fromisoformat(r["ended"]), r["rows"]))
    return [Line(source, LINE_COLOURS[i % len(LINE_COLOURS)], tuple(points))
            for i, (source, points) in enumerate(sorted(by_source.items()))]


def _code(iri: str) -> str:
    return iri.rsplit("/", 1)[-1]


def _place(row: dict[str, Any], m: Messages) -> str:
    """A province's short name: 'Prov. Liège' -> 'Liège'; Brussels by its name in the reader's language."""
    if _code(row["region"]) == "BE10":
        return m("brussels")
    label = str(row.get("region_label") or _code(row["region"]))
    return label.removeprefix("Prov. ").removesuffix(" (BE)")
