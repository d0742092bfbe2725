"""The report's "programme activity" section: on the hand-made programme of tests/data/events (its README works out
every figure) and on the demo, whose numbers must be the named queries'."""

from __future__ import annotations

import re
from collections.abc import Callable
from html import unescape
from pathlib import Path

import pytest

from graph.sources import Sources
from loaders import linking
from loaders.run import load
from queries.registry import rows_of
from reports.ecosystem import ecosystem_report
from reports.messages import Messages

EVENTS = Path(__file__).parents[1] / "data" / "events"
BAR = re.compile(r'<g class="bar" data-key="(?P<key>[^"]+)">.*?<text [^>]*class="value"[^>]*>(?P<value>[^<]*)</text>',
                 re.S)


@pytest.fixture(scope="module")
def programme(fresh: Callable[[], Sources]) -> Sources:
    sources = fresh()
    load(sources, "members", [EVENTS / "members.csv"])
    for pole, prefix in (("logistics-in-wallonia", "liw"), ("wagralim", "wagralim"), ("mecatech", "mecatech")):
        load(sources, "poles", sorted(EVENTS.glob(f"{prefix}-*.csv")), pole=pole)
    load(sources, "events", [EVENTS / "events.csv", EVENTS / "attendance.csv"])
    load(sources, "adoption", [EVENTS / "adoption.csv"])
    linking.link(sources)
    return sources


def section(html: str) -> str:
    return unescape(html).split('<section id="programme">', 1)[1].split("</section>", 1)[0]


def bars(html: str, chart: str) -> dict[str, str]:
    part = html.split(f'id="{chart}"', 1)[1].split("</svg>", 1)[0]
    return {m["key"].rsplit("/", 1)[-1]: m["value"] for m in BAR.finditer(part)}


def test_the_programme_section_in_english(programme: Sources) -> None:
    html = section(ecosystem_report(programme, lang="en"))
    rows = re.findall(r'<tr data-key="(\d{4})"><td>\d{4}</td>((?:<td class="n">[^<]*</td>)+)</tr>', html)
    # per year: events, workshops, clubs, ICT meets, visits, networking, attendances, organisations, repeat
    assert [(y, re.findall(r">([^<]*)<", cells)[::2]) for y, cells in rows] == [
        ("2023", ["1", "0", "0", "0", "0", "1", "3", "3", "0"]),
        ("2024", ["2", "1", "0", "1", "0", "0", "8", "6", "2"]),
        ("2025", ["2", "0", "1", "0", "1", "0", "7", "5", "2"])]
    # 2025, the latest year: LIW 2 of 5 (L1, W3), MecaTech 0 of 1, Wagralim 3 of 3
    assert "Pole members reached in 2025" in html
    assert bars(html, "reach-chart") == {"logistics-in-wallonia": "2 / 5 · 40%", "mecatech": "0 / 1 · 0%",
                                         "wagralim": "3 / 3 · 100%"}
    assert "Poles none of whose members has come yet: MecaTech." in html
    # e-invoicing: LIW L2 M3 of 5, MecaTech none of 1, Wagralim W2 of 3
    assert bars(html, "adoption-chart") == {"logistics-in-wallonia": "2 / 5 · 40%", "mecatech": "0 / 1 · 0%",
                                            "wagralim": "1 / 3 · 33%"}
    outcomes = re.findall(r'<tr data-key="([a-z-]+)"><td>[^<]*</td>((?:\s*<td class="n">[^<]*</td>)+)</tr>', html)
    assert [(t, re.findall(r">([^<]*)<", c)[::2]) for t, c in outcomes] == [
        ("club", ["1", "6", "2", "33%"]), ("ict-meets", ["1", "6", "3", "50%"]), ("networking", ["1", "3", "1", "33%"]),
        ("on-tour", ["1", "3", "2", "67%"]), ("workshop", ["1", "6", "1", "17%"])]
    highlights = unescape(ecosystem_report(programme, lang="en")).split('id="highlights">', 1)[1].split("</ul>", 1)[0]
    assert "In 2025, 2 events welcomed 5 organisations; 2 came more than once." in highlights


def test_in_french_and_for_one_pole(programme: Sources) -> None:
    html = section(ecosystem_report(programme, lang="fr"))
    assert "Activité du programme" in html and "Membres des pôles touchés en 2025" in html
    assert "Pôles dont aucun membre n'est encore venu : MecaTech." in html
    assert "club d'affaires et de technologie" in html and "visite d'entreprise" in html
    wagralim = section(ecosystem_report(programme, lang="en", pole="wagralim"))
    assert bars(wagralim, "reach-chart") == {"wagralim": "3 / 3 · 100%"}
    assert bars(wagralim, "adoption-chart") == {"wagralim": "1 / 3 · 33%"}
    assert "None." in wagralim.split('id="never-reached">', 1)[1][:20]  # Wagralim has been reached
    assert Messages("en")("whole_part") in wagralim


def test_without_events_the_section_says_so(analytics: Sources) -> None:
    html = section(ecosystem_report(analytics, lang="en"))
    assert "No event in the data." in html and 'id="reach-chart"' not in html
    # its poles have members but no event ever reached them
    assert "Poles none of whose members has come yet: BioWin, Wagralim." in html


def test_the_demo_section_shows_the_named_queries_numbers(demo_sources: Sources) -> None:
    html = section(ecosystem_report(demo_sources, lang="en"))
    m = Messages("en")
    activity = rows_of(demo_sources, "event-activity")
    latest = activity[-1]["year"]
    reach = rows_of(demo_sources, "event-reach", {"year": latest})
    assert bars(html, "reach-chart") == {r["pole"].rsplit("/", 1)[-1]: m("reach_note", reached=m.number(r["reached"]),
                                         members=m.number(r["members"]), share=m.share(r["share"])) for r in reach}
    never = rows_of(demo_sources, "poles-never-reached")
    assert [r["pole_label"] for r in never] == ["Skywin"]  # the demo's programme never went to aerospace
    adoption = rows_of(demo_sources, "adoption-gaps", {"technology": "e-invoicing", "by": "pole"})
    assert len(bars(html, "adoption-chart")) == len(adoption) == 6
    for r in rows_of(demo_sources, "event-outcomes-by-type"):
        assert f'<tr data-key="{r["type"]}">' in html and f'<td class="n">{m.number(r["pairs_met"])}</td>' in html
