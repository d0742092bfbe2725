"""The cluster's events and who attended them -> eco:Event and eco:Attendance (docs/data-dictionary.md).

Organisations only: an attendance names a firm by its enterprise number, or by its name (and place) when the
list has no number; columns about people (names, e-mails) are not read, so they are never stored. An
organisation known by its name gets a name-only IRI (`Minter.named`) that entity resolution joins to the
registered firm when names and places agree. The events table is read before the attendance table, which
must name an event of the same load.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence

import pyoxigraph as ox

from graph.sources import Triple
from loaders import fields
from loaders.common import Builder, ReviewItem, date_literal
from loaders.members import NUMBER
from loaders.tabular import Column, Row, Table, TableSchema
from loaders.vocabulary import normalise
from ontology.vocab import T

EVENT_ID = Column("event_id", ("id", "code", "identifiant", "référence", "reference", "event id", "id événement",
                               "id event"), required=True)
ORGANISATION = Column("organisation", ("organization", "entreprise", "société", "company", "company name",
                                       "raison sociale", "dénomination", "nom de l'entreprise", "organisme"))
"""An organisation's name. Not 'nom' or 'name': in a registration list those are a person's."""
PLACE_COLUMNS = (
    Column("postcode", ("code postal", "cp", "zip", "postal code", "zip code")),
    Column("city", ("localité", "commune", "ville", "municipality", "town")),
    Column("country", ("pays",)),
)
EVENTS = TableSchema(
    "events",
    (EVENT_ID,
     Column("title", ("titre", "intitulé", "nom de l'événement", "événement", "event", "event title"), required=True),
     Column("type", ("type d'événement", "event type", "format", "catégorie", "category"), required=True),
     Column("date", ("date de l'événement", "event date", "jour", "day"), required=True),
     Column("place", ("lieu", "location", "venue", "adresse", "address")),
     Column("target", ("cible", "public cible", "pôle cible", "secteur cible", "target pole", "target sector",
                       "pôle", "pole", "secteur", "sector", "audience")),
     Column("technologies", ("thèmes", "thème", "sujets", "topics", "topic", "technologies couvertes",
                             "technologies covered"))),
    signature=frozenset({"event_id", "title", "date"}),
)
ATTENDANCE = TableSchema(
    "attendance",
    (Column(EVENT_ID.name, (*EVENT_ID.aliases, "événement", "event"), required=True),
     Column("enterprise_number", NUMBER.aliases), ORGANISATION, *PLACE_COLUMNS,
     Column("role", ("rôle", "qualité", "attendee role"))),
    signature=frozenset({"event_id"}),
    excludes=frozenset({"title"}),
)
SCHEMAS = (EVENTS, ATTENDANCE)

EVENT_TYPES = {
    "workshop": "workshop|atelier|atelier numerique|digital workshop|formation|training|webinaire|webinar",
    "club": "club|business club|technology club|business and technology club|club d affaires|club technologique",
    "ict-meets": "ict meets|tic meets|rencontre sectorielle",
    "on-tour": "on tour|tour|visite|visite d entreprise|company visit|learning expedition",
    "networking": "networking|reseautage|rencontre|afterwork|matchmaking|b2b meetings",
}
"""Event type -> the phrases written for it (normalised); 'ICT meets <anything>' is ict-meets too."""
ROLES = {
    "participant": "participant|participante|attendee|visiteur|visitor",
    "speaker": "speaker|orateur|oratrice|intervenant|intervenante|temoin|testimonial",
    "host": "host|hote|accueil|site visite|visited",
    "organiser": "organiser|organizer|organisateur|organisatrice|co organisateur|co organiser",
    "exhibitor": "exhibitor|exposant|exposante|stand",
}
"""Role at an event -> the phrases written for it (normalised)."""


def _phrases(table: dict[str, str]) -> dict[str, str]:
    return {phrase: key for key, text in table.items() for phrase in text.split("|")}


_TYPE_PHRASES, _ROLE_PHRASES = _phrases(EVENT_TYPES), _phrases(ROLES)


def event_type(text: str) -> str | None:
    """'Atelier', 'ICT meets logistique', 'Business & technology club' -> workshop, ict-meets, club."""
    key = normalise(text.replace("&", " and "))
    if key.startswith(("ict meets ", "tic meets ")):
        return "ict-meets"
    return _TYPE_PHRASES.get(key)


def convert(tables: Sequence[Table], b: Builder) -> Iterator[Triple]:
    events: dict[str, tuple[ox.NamedNode, ox.Literal]] = {}
    for table in [t for t in tables if t.schema is EVENTS]:
        yield from _events(table, b, events)
    seen: dict[str, str] = {}
    for table in [t for t in tables if t.schema is ATTENDANCE]:
        for row in table.rows:
            b.rows += 1
            event = _event_of(row, b, events)
            attendee = organisation(row, b, "organisation")
            role = _role(row, b)
            if event is None or attendee is None:
                continue
            a = b.minter.attendance(event[0], attendee)
            who = row.text("enterprise_number") or row.text("organisation")
            if not b.unique(row, "event_id", a.value, seen, f"{row.text('event_id')} / {who}"):
                continue
            b.add(a, T.rdf.type, T.eco.Attendance)
            b.add(a, T.eco.event, event[0])
            b.add(a, T.eco.attendee, attendee)
            b.add(a, T.schema.startDate, event[1])
            if role:
                b.text(a, T.eco.attendeeRole, role)
            yield from b.drain()
    yield from b.drain()


def _events(table: Table, b: Builder, out: dict[str, tuple[ox.NamedNode, ox.Literal]]) -> Iterator[Triple]:
    seen: dict[str, str] = {}
    for row in table.rows:
        b.rows += 1
        event_id, title, written = (b.required(row, c) for c in ("event_id", "title", "type"))
        kind = event_type(written) if written else None
        if written and kind is None:
            b.problems.append(row.problem("type", f"unknown event type '{written}' (workshop / atelier, club, "
                                          "ICT meets ..., on tour / visite, networking / réseautage)"))
        day = b.date(row, "date")
        if not row.text("date"):
            b.required(row, "date")
        if not (event_id and title and kind and day) or not b.unique(row, "event_id", normalise(event_id), seen):
            continue
        iri = b.minter.event(event_id)
        b.add(iri, T.rdf.type, T.eco.Event)
        b.text(iri, T.dcterms.identifier, event_id)
        b.text(iri, T.dcterms.title, title)
        b.text(iri, T.eco.eventType, kind)
        b.add(iri, T.schema.startDate, date_literal(day))
        b.text(iri, T.schema.location, row.text("place"))
        _targets(row, b, iri)
        b.concepts(row, "technologies", iri, T.schema.about)
        out[normalise(event_id)] = (iri, date_literal(day))
        yield from b.drain()


def _targets(row: Row, b: Builder, event: ox.NamedNode) -> None:
    """Each label of the target cell: a pole (by id or name), else a sector; neither goes to the review list."""
    for label in fields.split_list(row.values.get("target", "")):
        found = b.vocab.poles.find(label) or b.vocab.sectors.find(label)
        if found is not None:
            b.add(event, T.eco.targets, found)
        else:
            b.review.append(ReviewItem("sector", label, row.problem("target", ""), b.vocab.sectors))


def _event_of(row: Row, b: Builder, events: dict[str, tuple[ox.NamedNode, ox.Literal]],
              ) -> tuple[ox.NamedNode, ox.Literal] | None:
    event_id = b.required(row, "event_id")
    if not event_id:
        return None
    found = events.get(normalise(event_id))
    if found is None:
        b.problems.append(row.problem("event_id", f"event '{event_id}' is not in the events of this load"))
    return found


def organisation(row: Row, b: Builder, name_column: str) -> ox.NamedNode | None:
    """The organisation of a row: by enterprise number (the company's IRI), else by name, Belgian (a name-only
    IRI, with its place for entity resolution) or foreign (as foreign project partners are minted)."""
    name = row.text(name_column)
    if row.text("enterprise_number"):
        number = b.parse(row, "enterprise_number", fields.parse_enterprise_number)
        if number is None:
            return None
        org = b.minter.company(number)
        b.add(org, T.rdf.type, T.org.FormalOrganization)
        b.add(org, T.rdf.type, T.rov.RegisteredOrganization)
        b.text(org, T.eco.enterpriseNumber, number)
        b.text(org, T.skos.prefLabel, name)
        return org
    if not name:
        b.problems.append(row.problem("enterprise_number", "no organisation: give its enterprise number or its name"))
        return None
    country = b.parse(row, "country", fields.parse_country)
    if country is None and row.text("country"):
        return None  # the problem is noted
    country = country or "BE"
    try:
        org = b.minter.named(name) if country == "BE" else b.minter.foreign_org(country, name)
    except ValueError as exc:
        b.problems.append(row.problem(name_column, str(exc)))
        return None
    b.add(org, T.rdf.type, T.org.FormalOrganization)
    b.text(org, T.skos.prefLabel, name)
    if country == "BE":
        b.address(row, org)  # when the row gives a place: what entity resolution compares besides the name
    else:
        b.address_node(org, "", row.text("postcode"), row.text("city"), country)
    return org


def _role(row: Row, b: Builder) -> str | None:
    text = row.text("role")
    if not text:
        return None
    role = _ROLE_PHRASES.get(normalise(text))
    if role is None:
        b.problems.append(row.problem("role", f"unknown role '{text}' (participant, speaker / orateur, host / "
                                      "hôte, organiser / organisateur, exhibitor / exposant)"))
    return role
