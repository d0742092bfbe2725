"""The programme queries (queries/programme/*.rq), the outreach list and the paths through events, on the hand-made
programme of tests/data/events/. Every expected row is worked out by hand in that fixture's README ("Expected
answers"), never copied from a run. Keys: M1..M3 cluster members, L1..L3 LIW members, W1..W3 Wagralim members (W3
also in LIW), K1 the MecaTech member; P1..P3 projects; EV-01..EV-05 events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.sources import Sources
from loaders import linking
from loaders.run import load
from queries.outreach import outreach
from queries.paths import find_paths
from queries.registry import QUERIES_DIR, get, run

DATA = Path(__file__).parents[1] / "data" / "events"
BASE = "http://example.org/"
ID = f"{BASE}id/"


def org(digits: str) -> str:
    return f"{ID}org/be-{digits}"


M1, M2, M3 = org("0470111191"), org("0470222247"), org("0470333303")
L1, L2, L3 = org("0510111122"), org("0510222275"), org("0510333331")
W1, W2, W3, K1 = org("0820111145"), org("0820222201"), org("0820333354"), org("0640111116")
NAME = {M1: "Facturo SRL", M2: "Webotec SRL", M3: "Cyberia SA", L1: "Transports Mosans", L2: "Entrepôts du Centre SRL",
        L3: "Cargo Ardennes SRL", W1: "Fromagerie des Prés SA", W2: "Brasserie du Val SRL",
        W3: "Conserverie Hesbaye SA", K1: "Ateliers Sambre SA"}
LIW, WAGRALIM, MECATECH = f"{ID}pole/logistics-in-wallonia", f"{ID}pole/wagralim", f"{ID}pole/mecatech"
P1, P2, P3 = (f"{ID}project/{k}" for k in ("logistics-in-wallonia-liw-2025-01", "wagralim-wag-2024-01",
                                           "wagralim-wag-2025-02"))
EV = {n: f"{ID}event/ev-0{n}" for n in range(1, 6)}
SECTOR = "https://w3id.org/ecokg/sector/"
NUTS = "http://data.europa.eu/nuts/code/"


def load_programme(sources: Sources) -> None:
    """The fixture loaded as a user would, then `ecokg link` (it joins "Transports Mosans" to L1)."""
    loads = [("members", ["members.csv"], None), ("poles", ["liw-members.csv", "liw-projects.csv",
                                                            "liw-participants.csv"], "logistics-in-wallonia"),
             ("poles", ["wagralim-members.csv", "wagralim-projects.csv", "wagralim-participants.csv"], "wagralim"),
             ("poles", ["mecatech-members.csv"], "mecatech"), ("events", ["events.csv", "attendance.csv"], None),
             ("adoption", ["adoption.csv"], None)]
    for kind, files, pole in loads:
        report = load(sources, kind, [DATA / f for f in files], pole=pole)
        assert not report.review, [str(item) for item in report.review]
    assert linking.link(sources).count("applied") == 1


@pytest.fixture
def eco(fresh: Callable[..., Sources]) -> Sources:
    return fresh(load_programme)


def ask(sources: Sources, name: str, **values: Any) -> list[dict[str, Any]]:
    result = run(sources, get(name), values, restricted=True)
    assert not result.has_more
    return result.rows


# -- adoption --------------------------------------------------------------------------------------------
def gap(group: str, kind: str, label: str, firms: int, adopters: int, needing: int) -> dict[str, Any]:
    return {"group": group, "kind": kind, "label": label, "firms": firms, "adopters": adopters,
            "without": firms - adopters, "needing": needing, "share": pytest.approx(adopters / firms)}


def test_adoption_gaps_per_pole_and_per_sector(eco: Sources) -> None:
    poles = [gap(LIW, "pole", "Logistics in Wallonia", 5, 2, 1), gap(MECATECH, "pole", "MecaTech", 1, 0, 1),
             gap(WAGRALIM, "pole", "Wagralim", 3, 1, 0)]
    assert ask(eco, "adoption-gaps", technology="e-invoicing") == [
        *poles, gap(SECTOR + "agri-food", "sector", "Agri-food", 3, 1, 0),
        gap(SECTOR + "digital", "sector", "Digital and ICT", 3, 2, 0),
        gap(SECTOR + "mechanical-engineering", "sector", "Mechanical engineering and manufacturing", 1, 0, 1),
        gap(SECTOR + "transport-logistics", "sector", "Transport and logistics", 3, 1, 1)]
    assert ask(eco, "adoption-gaps", technology="e-invoicing", by="pole") == poles
    french = ask(eco, "adoption-gaps", technology="e-invoicing", by="sector", lang="fr")
    assert [r["label"] for r in french] == ["Agroalimentaire", "Génie mécanique et industrie manufacturière",
                                            "Numérique et TIC", "Transport et logistique"]
    assert ask(eco, "adoption-gaps", technology="erp", by="pole") == [
        gap(LIW, "pole", "Logistics in Wallonia", 5, 3, 0), gap(MECATECH, "pole", "MecaTech", 1, 0, 0),
        gap(WAGRALIM, "pole", "Wagralim", 3, 1, 0)]


def test_non_adopters(eco: Sources) -> None:
    def row(firm: str, needs: bool, poles: str, province: str, label: str) -> dict[str, Any]:
        return {"firm": firm, "label": NAME[firm], "needs": needs, "poles": poles, "province": NUTS + province,
                "province_label": label}

    k1 = row(K1, True, "MecaTech", "BE32", "Prov. Hainaut")
    l3 = row(L3, False, "Logistics in Wallonia", "BE34", "Prov. Luxembourg (BE)")
    w3 = row(W3, False, "Logistics in Wallonia, Wagralim", "BE33", "Prov. Liège")
    w1 = row(W1, False, "Wagralim", "BE35", "Prov. Namur")
    l1 = row(L1, True, "Logistics in Wallonia", "BE33", "Prov. Liège")
    m2 = row(M2, False, "", "BE33", "Prov. Liège")
    assert ask(eco, "non-adopters", technology="e-invoicing") == [k1, l3, w3, w1, l1, m2]
    assert ask(eco, "non-adopters", technology="e-invoicing", pole="wagralim") == [w3, w1]
    assert ask(eco, "non-adopters", technology="e-invoicing", sector="transport-logistics") == [l3, l1]
    assert ask(eco, "non-adopters", technology="e-invoicing", pole="logistics-in-wallonia",
               sector="agri-food") == [w3]


# -- outreach --------------------------------------------------------------------------------------------
def candidate(firm: str, needs: bool, events: int, topic: str = "e-invoicing") -> tuple[Any, ...]:
    reason = f"declares a need for {topic}" if needs else f"no known use of {topic}"
    return firm, NAME[firm], reason, needs, events, (2 if needs else 0) + (1 if events else 0)


def test_outreach_candidates_ranked_with_their_reason(eco: Sources) -> None:
    def got(**values: Any) -> list[tuple[Any, ...]]:
        return [(r["firm"], r["label"], r["reason"], r["needs"], r["events"], r["score"])
                for r in ask(eco, "outreach-candidates", **values)]

    assert got(technology="e-invoicing") == [candidate(L1, True, 2), candidate(K1, True, 0),
                                             candidate(W3, False, 1), candidate(W1, False, 3),
                                             candidate(M2, False, 3)]
    assert got(technology="e-invoicing", pole="wagralim") == [candidate(W3, False, 1), candidate(W1, False, 3)]
    erp = "enterprise resource planning"
    assert got(technology="erp") == [candidate(W3, False, 1, erp), candidate(K1, False, 0, erp)]


def test_the_outreach_list_says_who_could_introduce_each_firm(eco: Sources) -> None:
    found = outreach(eco, "e-invoicing")
    assert [(c.rank, c.row["firm"], c.member, c.introducer, c.introducer_offers) for c in found] == [
        (1, L1, False, M1, True), (2, K1, False, None, False), (3, W3, False, M2, False),
        (4, W1, False, M2, False), (5, M2, True, None, False)]
    paths = {c.row["firm"]: c.path for c in found if c.path}
    assert {firm: p.nodes for firm, p in paths.items()} == {L1: (M1, P1, L1), W3: (M2, P3, W3), W1: (M2, P2, W1)}
    assert [h.relation for h in paths[L1].hops] == ["participates_in", "participates_in"]
    assert found[0].introducer_label == "Facturo SRL" and found[0].to_json()["path"]["length"] == 2
    assert [c.row["firm"] for c in outreach(eco, "e-invoicing", limit=2)] == [L1, K1]
    # no project ties L2 to a cluster member: weak ties then, EV-02 (with M1) and LIW (with M3) both at 2 hops;
    # neither offers CRM: the smaller IRI, M1
    crm = {c.row["firm"]: c for c in outreach(eco, "crm")}
    assert crm[L2].path is not None and crm[L2].path.nodes == (M1, EV[2], L2)
    assert [h.relation for h in crm[L2].path.hops] == ["attends", "attends"]
    assert crm[K1].path is None


# -- events ----------------------------------------------------------------------------------------------
def activity(year: int, events: int, types: dict[str, int], attendances: int, organisations: int,
             repeat: int) -> dict[str, Any]:
    kinds = {k: types.get(k, 0) for k in ("workshops", "clubs", "ict_meets", "on_tour", "networking")}
    return {"year": year, "events": events, **kinds, "attendances": attendances, "organisations": organisations,
            "repeat_organisations": repeat}


def test_event_activity_per_year(eco: Sources) -> None:
    assert ask(eco, "event-activity") == [
        activity(2023, 1, {"networking": 1}, 3, 3, 0),
        activity(2024, 2, {"workshops": 1, "ict_meets": 1}, 8, 6, 2),
        activity(2025, 2, {"clubs": 1, "on_tour": 1}, 7, 5, 2)]
    assert ask(eco, "event-activity", type="club") == [activity(2025, 1, {"clubs": 1}, 4, 4, 0)]


def reach(pole: str, label: str, year: int, members: int, reached: int, repeat: int, events: int) -> dict[str, Any]:
    return {"pole": pole, "pole_label": label, "year": year, "members": members, "reached": reached,
            "share": pytest.approx(reached / members), "repeat": repeat, "events": events}


def test_event_reach_per_pole_and_year(eco: Sources) -> None:
    rows = {2023: [reach(LIW, "Logistics in Wallonia", 2023, 5, 0, 0, 0), reach(MECATECH, "MecaTech", 2023, 1, 0, 0, 0),
                   reach(WAGRALIM, "Wagralim", 2023, 3, 1, 0, 1)],
            2024: [reach(LIW, "Logistics in Wallonia", 2024, 5, 4, 1, 2), reach(MECATECH, "MecaTech", 2024, 1, 0, 0, 0),
                   reach(WAGRALIM, "Wagralim", 2024, 3, 1, 0, 1)],
            2025: [reach(LIW, "Logistics in Wallonia", 2025, 5, 2, 0, 2), reach(MECATECH, "MecaTech", 2025, 1, 0, 0, 0),
                   reach(WAGRALIM, "Wagralim", 2025, 3, 3, 1, 2)]}
    assert ask(eco, "event-reach") == rows[2023] + rows[2024] + rows[2025]
    assert ask(eco, "event-reach", year=2024) == rows[2024]
    assert ask(eco, "event-reach", year=2025, pole="wagralim") == rows[2025][2:]
    assert ask(eco, "event-reach", year=2022) == []


def test_poles_never_reached(eco: Sources) -> None:
    mecatech = {"pole": MECATECH, "pole_label": "MecaTech", "members": 1}
    assert ask(eco, "poles-never-reached") == [mecatech]
    assert ask(eco, "poles-never-reached", year=2023) == [
        {"pole": LIW, "pole_label": "Logistics in Wallonia", "members": 5}, mecatech]
    assert ask(eco, "poles-never-reached", year=2024) == [mecatech]


def test_event_outcomes(eco: Sources) -> None:
    titles = {P1: "Facturation connectée des transporteurs", P2: "Vente en ligne des fromages",
              P3: "Chaîne numérique des artisans"}
    starts = {P1: "2025-03-01", P2: "2024-01-01", P3: "2025-09-01"}
    events = {1: ("Networking de printemps", "networking", "2023-06-01"),
              2: ("Atelier facturation électronique", "workshop", "2024-10-15"),
              3: ("ICT meets logistique", "ict-meets", "2024-11-20"), 4: ("Club ERP", "club", "2025-02-10"),
              5: ("Visite de la Conserverie Hesbaye", "on-tour", "2025-05-05")}

    def row(n: int, first: str, second: str, project: str) -> dict[str, Any]:
        label, kind, date = events[n]
        return {"event": EV[n], "event_label": label, "type": kind, "date": date, "first": first,
                "first_label": NAME[first], "second": second, "second_label": NAME[second], "project": project,
                "project_label": titles[project], "project_start": starts[project]}

    on_tour = [row(5, M2, W3, P3), row(5, W1, W3, P3)]
    assert ask(eco, "event-outcomes") == [
        row(1, M2, W1, P2), row(1, M2, W1, P3), row(2, M1, L3, P1), row(3, M1, L1, P1), row(3, M1, L3, P1),
        row(3, L1, L3, P1), row(4, M2, W2, P3), row(4, W1, W2, P3), *on_tour]
    assert ask(eco, "event-outcomes", type="on-tour") == on_tour


def test_event_outcomes_by_type(eco: Sources) -> None:
    def row(kind: str, met: int, converted: int) -> dict[str, Any]:
        return {"type": kind, "events": 1, "pairs_met": met, "pairs_converted": converted,
                "share": pytest.approx(converted / met)}

    assert ask(eco, "event-outcomes-by-type") == [row("club", 6, 2), row("ict-meets", 6, 3), row("networking", 3, 1),
                                                  row("on-tour", 3, 2), row("workshop", 6, 1)]


# -- paths through events --------------------------------------------------------------------------------
def nodes(sources: Sources, a: str, b: str, **options: Any) -> list[tuple[str, ...]]:
    return [p.nodes for p in find_paths(sources, a, b, **options)]


def test_attending_the_same_event_is_a_weak_tie_paths_follow_or_avoid(eco: Sources) -> None:
    assert nodes(eco, W3, L2) == []
    assert nodes(eco, W3, L2, k=1, relations=["participates_in", "attends"]) == [(W3, P3, W2, EV[2], L2)]
    assert nodes(eco, W3, L2, k=4, weak=True) == [(W3, LIW, L2), (W3, LIW, L3, EV[2], L2),
                                                  (W3, WAGRALIM, W2, EV[2], L2), (W3, P3, W2, EV[2], L2)]
    assert nodes(eco, W3, L2, k=1, weak=True, avoid=["member_of"]) == [(W3, P3, W2, EV[2], L2)]
    assert nodes(eco, W3, L2, relations=["participates_in", "attends"], start=dt.date(2025, 1, 1),
                 end=dt.date(2025, 12, 31)) == []


def test_an_event_as_an_end_is_reached_through_its_attendance(eco: Sources) -> None:
    [path] = find_paths(eco, L2, EV[2])
    assert [(h.relation, h.target, h.start, h.end, h.via) for h in path.hops] == [
        ("attends", EV[2], "2024-10-15", "2024-10-15", f"{ID}attendance/ev-02/be-0510222275")]


# -- every programme query has a test --------------------------------------------------------------------
TESTED_BY = {
    "adoption-gaps": [test_adoption_gaps_per_pole_and_per_sector],
    "non-adopters": [test_non_adopters],
    "outreach-candidates": [test_outreach_candidates_ranked_with_their_reason],
    "outreach-introducers": [test_the_outreach_list_says_who_could_introduce_each_firm],
    "event-activity": [test_event_activity_per_year],
    "event-reach": [test_event_reach_per_pole_and_year],
    "poles-never-reached": [test_poles_never_reached],
    "event-outcomes": [test_event_outcomes],
    "event-outcomes-by-type": [test_event_outcomes_by_type],
}


def test_the_programme_queries_are_all_tested() -> None:
    assert sorted(p.stem for p in (QUERIES_DIR / "programme").glob("*.rq")) == sorted(TESTED_BY)
    assert all("programme" in get(name).tags for name in TESTED_BY)
