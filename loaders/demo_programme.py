"""The demo's programme activity: the cluster's events, who came, and the soft-digital tools firms use.

Drawn after a region's firms and poles (loaders/demo.py) from a stream of its own, seeded per region, so that
adding it changed none of the other demo data. Per region, ten events a year from 2023 to 2025: four
workshops on soft-digital tools (e-invoicing twice in 2025, the year before it became mandatory), two
business and technology clubs, two "ICT meets <sector>" aimed at a pole, a visit at a pole member and a
networking evening. Some firms are regulars (a heavy-tailed taste for events); a tenth of the pole members
who come are written by name and postcode only, as sign-up sheets do (entity resolution joins them to their
firm). Built-in findings: the aerospace pole has never been reached (its members never come); about a third
of the firms answered the adoption survey, with the year they adopted each tool; the others' tools are in the
`uses` column of their member or pole file; and half the projects that started after an event count two of
their partners among its attendees: they met there first (the event outcomes).
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

TOOLS = ("e-invoicing", "erp", "crm", "cyber-hygiene", "process-automation", "e-commerce")
"""The soft-digital tools of the programme (technology slugs)."""
ADOPTION = {"digital": (0.6, 0.3, 0.6, 0.5, 0.3, 0.2), "industry": (0.35, 0.5, 0.35, 0.3, 0.25, 0.15)}
"""Chance that a firm uses each tool, in TOOLS order: digital firms (cluster members), industrial ones."""
TOPIC_FR = {"e-invoicing": "la facturation électronique (Peppol)", "erp": "l'ERP", "crm": "le CRM",
            "cyber-hygiene": "la cybersécurité de base", "process-automation": "l'automatisation des processus",
            "e-commerce": "la vente en ligne"}
SECTOR_FR = {"health-biotech": "santé", "green-chemistry-environment": "environnement",
             "transport-logistics": "logistique", "mechanical-engineering": "mécanique", "aerospace": "aéronautique",
             "agri-food": "agroalimentaire"}
NEVER_REACHED = "skywin"
"""The pole whose members the programme has not reached yet."""
YEARS = (2023, 2024, 2025)
SURVEYED, BY_NAME = 0.3, 0.1


@dataclass(frozen=True)
class PoleInfo:
    """A pole as the programme sees it: its id in the reference data, its name in this region, its sector."""

    id: str
    name: str
    sector: str
    needs: tuple[str, ...]  # what its projects need most first
    members: tuple[Any, ...]  # loaders.demo.Firm


@dataclass
class Attendee:
    firm: Any
    role: str = ""  # participant (left blank), speaker, host
    by_name: bool = False


@dataclass
class Event:
    id: str
    title: str
    kind: str
    day: date
    place: str
    targets: tuple[str, ...]  # pole names or sector slugs
    techs: tuple[str, ...]
    attendees: list[Attendee] = field(default_factory=list)


@dataclass
class Answer:
    """One firm's answer to the adoption survey."""

    firm: Any
    tools: tuple[str, ...]
    since: date | None
    by_name: bool


@dataclass
class Programme:
    events: list[Event]
    survey: list[Answer]


@dataclass(frozen=True)
class Tastes:
    """Who comes to events (and how keenly: id(firm) -> weight), and the tools each firm uses."""

    taste: Mapping[int, float]
    tools: Mapping[int, tuple[str, ...]]


def draw(rng: random.Random, region: int, members: Sequence[Any], poles: Sequence[PoleInfo],
         projects: Sequence[tuple[date, Sequence[str]]]) -> Programme:
    """The region's events and survey; sets each other firm's `uses` (written in its member or pole file).
    `members` are the cluster's firms (weight 0: isolated ones, who never come); `projects` the start and the
    participants' enterprise numbers of each project."""
    cluster = {id(f) for f in members}
    firms = list(dict.fromkeys([*members, *(f for p in poles for f in p.members)]))
    survey, tools = _adoption(rng, firms, cluster)
    away = {id(f) for p in poles if p.id == NEVER_REACHED for f in p.members}
    taste = {id(f): rng.paretovariate(1.5) for f in firms if f.weight > 0 and id(f) not in away}
    suffix = "" if region == 1 else f"-R{region}"
    events: list[Event] = []
    for year in YEARS:
        for n, (kind, topic) in enumerate(_calendar(rng, year, poles), start=1):
            event = _event(rng, f"EV-{year}-{n:02d}{suffix}", kind, topic, year, members, poles,
                           Tastes(taste, tools))
            events.append(event)
    events.sort(key=lambda e: (e.day, e.id))
    _introductions(rng, events, projects, {f.number: f for f in firms if id(f) in taste})
    for event in events:
        for a in event.attendees:
            a.by_name = id(a.firm) not in cluster and rng.random() < BY_NAME
    return Programme(events, survey)


def _introductions(rng: random.Random, events: Sequence[Event], projects: Sequence[tuple[date, Sequence[str]]],
                   comers: Mapping[str, Any]) -> None:
    """For half the projects that start after the first event, two of their firms at an earlier event."""
    for start, numbers in projects:
        earlier = [e for e in events if e.day < start]
        partners = [comers[n] for n in dict.fromkeys(numbers) if n in comers]
        if not earlier or len(partners) < 2 or rng.random() < 0.5:
            continue
        event = rng.choice(earlier)
        for firm in rng.sample(partners, 2):
            if all(a.firm is not firm for a in event.attendees):
                event.attendees.append(Attendee(firm))


def _adoption(rng: random.Random, firms: Sequence[Any], cluster: set[int],
              ) -> tuple[list[Answer], dict[int, tuple[str, ...]]]:
    """The survey's answers, and every firm's tools (those not surveyed go to its `uses`)."""
    survey, used = [], {}
    for firm in firms:
        odds = ADOPTION["digital" if id(firm) in cluster else "industry"]
        tools = tuple(t for t, p in zip(TOOLS, odds, strict=True)
                      if rng.random() < p and t not in firm.offers and t not in firm.needs)
        used[id(firm)] = tools
        if rng.random() < SURVEYED and tools:
            since = date(rng.randint(2012, 2025), rng.randint(1, 12), 1) if rng.random() < 0.75 else None
            survey.append(Answer(firm, tools, since, rng.random() < BY_NAME))
        else:
            firm.uses = tools
    return survey, used


def _calendar(rng: random.Random, year: int, poles: Sequence[PoleInfo]) -> list[tuple[str, Any]]:
    """The year's events in order of their ids: (type, topic: a tool, a pole or None)."""
    tools = list(TOOLS)
    rng.shuffle(tools)
    workshops = ["e-invoicing", "e-invoicing", *[t for t in tools if t != "e-invoicing"][:2]] if year == 2025 \
        else tools[:4]
    reached = [p for p in poles if p.id != NEVER_REACHED]
    return [*(("workshop", t) for t in workshops), ("club", rng.choice(TOOLS)), ("club", rng.choice(TOOLS)),
            *(("ict-meets", p) for p in rng.sample(reached, 2)), ("on-tour", rng.choice(reached)),
            ("networking", None)]


def _event(rng: random.Random, event_id: str, kind: str, topic: Any, year: int, members: Sequence[Any],
           poles: Sequence[PoleInfo], who: Tastes) -> Event:
    day = date(year, rng.randint(1, 12), rng.randint(1, 28))
    taste = who.taste
    everyone = [f for f in dict.fromkeys([*members, *(f for p in poles for f in p.members)]) if id(f) in taste]
    cluster = [f for f in members if id(f) in taste]
    if kind in ("workshop", "club"):
        lacking = [f for f in everyone if topic not in f.offers and topic not in who.tools[id(f)]]
        event = Event(event_id, f"{'Atelier' if kind == 'workshop' else 'Club'} : {TOPIC_FR[topic]}", kind, day,
                      _place(rng, everyone), (), (topic,))
        guests = _pick(rng, lacking, taste, rng.randint(8, 20), boost=lambda f: 3.0 if topic in f.needs else 1.0)
        speakers = _pick(rng, [f for f in cluster if topic in f.offers], taste, 1)
    elif kind == "ict-meets":
        event = Event(event_id, f"ICT meets {SECTOR_FR[topic.sector]}", kind, day,
                      _place(rng, list(topic.members)), (topic.name,), topic.needs[:2])
        guests = _pick(rng, [f for f in topic.members if id(f) in taste], taste, rng.randint(8, 16))
        guests += _pick(rng, cluster, taste, rng.randint(4, 10), exclude=guests)
        speakers = _pick(rng, cluster, taste, 2, exclude=guests)
    elif kind == "on-tour":
        host = rng.choice([f for f in topic.members if id(f) in taste])
        event = Event(event_id, f"Visite de {host.name}", kind, day, host.city.name, (topic.sector,), ())
        guests = _pick(rng, [f for f in everyone if f is not host], taste, rng.randint(8, 15))
        event.attendees.append(Attendee(host, "host"))
        speakers = []
    else:
        event = Event(event_id, f"Networking {day.year}", kind, day, _place(rng, cluster), (), ())
        guests, speakers = _pick(rng, everyone, taste, rng.randint(20, 35)), []
    event.attendees += [Attendee(f, "speaker") for f in speakers if f not in guests]
    event.attendees += [Attendee(f) for f in guests]
    return event


def _place(rng: random.Random, firms: Sequence[Any]) -> str:
    return str(rng.choice(firms).city.name) if firms else "Namur"


def _pick(rng: random.Random, firms: Sequence[Any], taste: Mapping[int, float], k: int,
          exclude: Sequence[Any] = (), boost: Any = None) -> list[Any]:
    """k distinct firms, each drawn in proportion to its taste for events (weighted sampling by random keys)."""
    keyed = sorted(((rng.random() ** (1.0 / (taste[id(f)] * (boost(f) if boost else 1.0))), i)
                    for i, f in enumerate(firms) if f not in exclude), reverse=True)
    return [firms[i] for _, i in keyed[:k]]
