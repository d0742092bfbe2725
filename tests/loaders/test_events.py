"""The events, attendance and adoption-survey loaders (loaders/events.py, loaders/adoption.py), on the hand-made
programme of tests/data/events (its README lists every event, attendee and tool) and on bad or odd files."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl
import pytest

from graph.errors import LoadError
from graph.sources import Sources
from loaders import linking
from loaders.events import event_type
from loaders.run import load

DATA = Path(__file__).parents[1] / "data" / "events"
BASE = "http://example.org/"
ECO, SCHEMA, TECH = "https://w3id.org/ecokg/def#", "https://schema.org/", "https://w3id.org/ecokg/tech/"


def org(digits: str) -> str:
    return f"{BASE}id/org/be-{digits}"


def dump(sources: Sources) -> bytes:
    out = io.BytesIO()
    sources.store.dump(out)
    return out.getvalue()


def values(sources: Sources, sparql: str) -> list[tuple[str, ...]]:
    return sorted(tuple(term.value for term in row) for row in sources.query(sparql))


def load_members_and_poles(sources: Sources) -> None:
    load(sources, "members", [DATA / "members.csv"])
    load(sources, "poles", sorted(DATA.glob("liw-*.csv")), pole="logistics-in-wallonia")


def test_events_and_their_attendance(sources: Sources) -> None:
    report = load(sources, "events", [DATA / "events.csv", DATA / "attendance.csv"])
    assert report.source == "events" and not report.review and not report.ignored_columns
    assert report.rows == 5 + 18
    assert report.result is not None and report.result.version.access == "restricted"  # by default
    # EV-01 networking ... EV-05 "Visite" -> on-tour, "Business & technology club" -> club, "Atelier" -> workshop
    assert values(sources, f"SELECT ?e ?t ?d WHERE {{ ?e a <{ECO}Event> ; <{ECO}eventType> ?t ; "
                           f"<{SCHEMA}startDate> ?d }}") == [
        (f"{BASE}id/event/ev-01", "networking", "2023-06-01"), (f"{BASE}id/event/ev-02", "workshop", "2024-10-15"),
        (f"{BASE}id/event/ev-03", "ict-meets", "2024-11-20"), (f"{BASE}id/event/ev-04", "club", "2025-02-10"),
        (f"{BASE}id/event/ev-05", "on-tour", "2025-05-05")]
    # targets: a pole by name, a sector by a French label; technologies covered
    assert values(sources, f"SELECT ?e ?x WHERE {{ ?e <{ECO}targets> ?x }}") == [
        (f"{BASE}id/event/ev-02", f"{BASE}id/pole/logistics-in-wallonia"),
        (f"{BASE}id/event/ev-02", "https://w3id.org/ecokg/sector/agri-food"),
        (f"{BASE}id/event/ev-03", "https://w3id.org/ecokg/sector/transport-logistics"),
        (f"{BASE}id/event/ev-04", f"{BASE}id/pole/wagralim"),
        (f"{BASE}id/event/ev-05", "https://w3id.org/ecokg/sector/agri-food")]
    assert values(sources, f"SELECT ?e ?t WHERE {{ ?e <{SCHEMA}about> ?t }}") == [
        (f"{BASE}id/event/ev-02", TECH + "e-invoicing"), (f"{BASE}id/event/ev-03", TECH + "erp"),
        (f"{BASE}id/event/ev-04", TECH + "erp"), (f"{BASE}id/event/ev-05", TECH + "process-automation")]
    attendees = values(sources, f"SELECT ?a WHERE {{ [] <{ECO}attendee> ?a }}")
    assert len(attendees) == 18
    # by name only: a Belgian firm's name-only IRI with its place, a French firm minted as foreign partners are
    assert (f"{BASE}id/org/name-transports-mosans",) in attendees
    assert (f"{BASE}id/org/fr-agro-robotique-sas",) in attendees
    assert values(sources, f"SELECT ?pc ?n WHERE {{ <{BASE}id/org/name-transports-mosans#address> "
                           "<http://www.w3.org/ns/locn#postCode> ?pc ; <" + ECO + "nuts3> ?n }") == [
        ("4020", "http://data.europa.eu/nuts/code/BE332")]
    assert values(sources, f"SELECT ?a ?r WHERE {{ ?a <{ECO}attendeeRole> ?r }}") == [
        (f"{BASE}id/attendance/ev-02/be-0470111191", "speaker"),  # orateur
        (f"{BASE}id/attendance/ev-02/be-0510222275", "participant"),
        (f"{BASE}id/attendance/ev-03/be-0470333303", "exhibitor"),  # exposant
        (f"{BASE}id/attendance/ev-05/be-0820333354", "host")]  # hôte


def test_a_name_only_attendee_is_joined_to_the_registered_firm_by_entity_resolution(sources: Sources) -> None:
    load_members_and_poles(sources)
    load(sources, "events", [DATA / "events.csv", DATA / "attendance.csv"])
    report = linking.link(sources)
    # "Transports Mosans", 4020 Liège, at EV-03 is the LIW member Transports Mosans SA, 4020: the only link
    assert [(lk.alias, lk.canonical, lk.status) for lk in report.links] == [
        (f"{BASE}id/org/name-transports-mosans", org("0510111122"), "applied")]
    # EV-03 by its name, EV-04 by its number: one firm
    assert values(sources, f"SELECT ?e WHERE {{ [] <{ECO}attendee> <{org('0510111122')}> ; <{ECO}event> ?e }}") == [
        (f"{BASE}id/event/ev-03",), (f"{BASE}id/event/ev-04",)]
    # a later load of the same list writes the canonical IRI at once
    load(sources, "events", [DATA / "events.csv", DATA / "attendance.csv"])
    assert not values(sources, f"SELECT ?a WHERE {{ ?a <{ECO}attendee> <{BASE}id/org/name-transports-mosans> }}")


def test_an_attendance_list_gives_organisations_never_people(sources: Sources, tmp_path: Path) -> None:
    attendance = tmp_path / "inscriptions.csv"
    attendance.write_text("Événement;Prénom;Nom;E-mail;Entreprise;N° d'entreprise\n"
                          "EV-01;Anne;Dupont;anne.dupont@fromagerie.example;Fromagerie des Prés SA;0820.111.145\n",
                          encoding="utf-8")
    report = load(sources, "events", [DATA / "events.csv", attendance])
    assert sorted(report.ignored_columns) == [f"{attendance}: {c}" for c in ("E-mail", "Nom", "Prénom")]
    stored = dump(sources).decode()
    assert "Fromagerie des Prés SA" in stored
    assert "Anne" not in stored and "Dupont" not in stored and "anne.dupont" not in stored


def test_a_workbook_of_two_sheets_loads_as_the_two_files(sources: Sources, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    events = book.active
    events.title = "Événements"
    events.append(["Event ID", "Event title", "Event type", "Event date", "Venue", "Target", "Topics"])
    events.append(["WS-7", "Peppol en pratique", "Digital workshop", openpyxl.utils.datetime.from_excel(45658),
                   "Mons", "LIW", "Peppol"])
    attendance = book.create_sheet("Présences")
    attendance.append(["Event", "Enterprise number", "Company", "Role"])
    attendance.append(["WS-7", 510111122.0, None, "Speaker"])  # a number as Excel stores it, its 0 lost
    path = tmp_path / "programme.xlsx"
    book.save(path)
    load(sources, "events", [path])
    assert values(sources, f"SELECT ?t ?d ?p WHERE {{ ?e <{ECO}eventType> ?t ; <{SCHEMA}startDate> ?d ; "
                           f"<{ECO}targets> ?p }}") == [
        ("workshop", "2025-01-01", f"{BASE}id/pole/logistics-in-wallonia")]
    assert values(sources, f"SELECT ?o ?r WHERE {{ [] <{ECO}attendee> ?o ; <{ECO}attendeeRole> ?r }}") == [
        (org("0510111122"), "speaker")]


@pytest.mark.parametrize(("written", "kind"), [
    ("Atelier", "workshop"), ("atelier numérique", "workshop"), ("Business & Technology Club", "club"),
    ("ICT meets Logistics", "ict-meets"), ("ICT-meets", "ict-meets"), ("Visite d'entreprise", "on-tour"),
    ("On tour", "on-tour"), ("Réseautage", "networking"), ("conférence", None), ("ICT", None)])
def test_event_types_as_people_write_them(written: str, kind: str | None) -> None:
    assert event_type(written) == kind


def test_a_bad_programme_is_refused_whole_with_every_problem(sources: Sources, tmp_path: Path) -> None:
    load(sources, "events", [DATA / "events.csv", DATA / "attendance.csv"])
    before = dump(sources)
    events = tmp_path / "events.csv"
    events.write_text("id;title;type;date\nE1;Atelier;atelier;2024-03-01\nE2;Conférence;conférence;2024-03-02\n"
                      "E3;Club;club;\ne1;Doublon;club;2024-03-04\nE5;Date;club;30/02/2024\n", encoding="utf-8")
    attendance = tmp_path / "attendance.csv"
    attendance.write_text("event_id;enterprise_number;organisation;role\nE1;0820.111.146;;\nE9;0820.111.145;;\n"
                          "E1;;;\nE1;0820.111.145;;orateur\nE1;BE0820111145;;chef\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(sources, "events", [events, attendance])
    assert sorted(str(p) for p in caught.value.problems) == sorted([
        f"{events}:3:type: unknown event type 'conférence' (workshop / atelier, club, ICT meets ..., on tour / "
        "visite, networking / réseautage)",
        f"{events}:4:date: required value is empty",
        f"{events}:5:id: duplicate id 'e1' (first at row 2)",
        f"{events}:6:date: '30/02/2024' is not a real date: day is out of range for month (accepted: 2021-03-15, "
        "15/03/2021, 15-03-2021, 15.03.2021 or a year alone such as 2021)",
        f"{attendance}:2:enterprise_number: '0820.111.146' fails the KBO/BCE check digits (expected 45)",
        f"{attendance}:3:event_id: event 'E9' is not in the events of this load",
        f"{attendance}:4:enterprise_number: no organisation: give its enterprise number or its name",
        f"{attendance}:6:role: unknown role 'chef' (participant, speaker / orateur, host / hôte, organiser / "
        "organisateur, exhibitor / exposant)",
        f"{attendance}:6:event_id: duplicate id 'E1 / BE0820111145' (first at row 5)",  # the number of row 5
    ])
    assert dump(sources) == before


def test_an_adoption_survey_and_the_uses_column_of_member_files(sources: Sources) -> None:
    load_members_and_poles(sources)
    report = load(sources, "adoption", [DATA / "adoption.csv"])
    assert report.source == "adoption" and not report.review
    uses = values(sources, f"SELECT ?o ?t WHERE {{ ?o <{ECO}uses> ?t }}")
    # members.csv: Webotec CRM, Cyberia ERP and Peppol (e-invoicing); liw-members.csv: Transports Mosans and
    # Entrepôts du Centre ERP; adoption.csv: Entrepôts du Centre Peppol, Fromagerie des Prés ERP, Garage Lambert
    # (by name) CRM and e-commerce, Ateliers Sambre cyber hygiene
    assert uses == sorted([
        (org("0470222247"), TECH + "crm"), (org("0470333303"), TECH + "erp"),
        (org("0470333303"), TECH + "e-invoicing"), (org("0510111122"), TECH + "erp"),
        (org("0510222275"), TECH + "erp"), (org("0510222275"), TECH + "e-invoicing"),
        (org("0820111145"), TECH + "erp"), (f"{BASE}id/org/name-garage-lambert-srl", TECH + "crm"),
        (f"{BASE}id/org/name-garage-lambert-srl", TECH + "e-commerce"), (org("0640111116"), TECH + "cyber-hygiene")])
    # a date qualifies the link with an eco:Adoption; no date, no node
    assert values(sources, f"SELECT ?o ?t ?d WHERE {{ ?a a <{ECO}Adoption> ; <{ECO}adopter> ?o ; "
                           f"<{ECO}technology> ?t ; <{SCHEMA}startDate> ?d }}") == [
        (org("0510222275"), TECH + "e-invoicing", "2024-03-01"), (org("0820111145"), TECH + "erp", "2021-06-01")]


def test_a_bad_survey_is_refused_and_an_unknown_tool_goes_to_review(sources: Sources, tmp_path: Path) -> None:
    survey = tmp_path / "enquete.csv"
    survey.write_text("Entreprise;Code postal;Outils;Depuis\nGarage Lambert SRL;5000;ERP, Odoo, tableur maison;2022\n",
                      encoding="utf-8")  # ERP and Odoo: one tool named twice in a cell, no duplicate
    report = load(sources, "adoption", [survey])
    assert [str(item).split(" (closest")[0] for item in report.review] == [
        f"{survey}:2:Outils: unknown technology 'tableur maison'"]
    before = dump(sources)
    bad = tmp_path / "bad.csv"
    bad.write_text("enterprise_number;uses;since\n0820.111.145;ERP;hier\n0820.111.145;;\n0820.111.145;ERP;2020\n"
                   "0820.111.145;erp;2021\n", encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(sources, "adoption", [bad])
    assert [str(p) for p in caught.value.problems] == [
        f"{bad}:2:since: 'hier' is not a date (accepted: 2021-03-15, 15/03/2021, 15-03-2021, 15.03.2021 or a year "
        "alone such as 2021)",
        f"{bad}:3:uses: required value is empty",
        f"{bad}:4:uses: duplicate id '0820.111.145 / ERP' (first at row 2)",
        f"{bad}:5:uses: duplicate id '0820.111.145 / erp' (first at row 2)",  # a label of the same concept
    ]
    assert dump(sources) == before


def test_the_examples_of_the_data_dictionary_load_with_nothing_to_review(sources: Sources) -> None:
    examples = Path(__file__).resolve().parents[2] / "docs" / "examples"
    events = load(sources, "events", [examples / "events.csv", examples / "attendance.csv"])
    adoption = load(sources, "adoption", [examples / "adoption.csv"])
    assert (events.rows, adoption.rows) == (2 + 4, 2) and not events.review and not adoption.review
    # "Fromagerie du Plateau" (5030) by name in both files: one name-only organisation, at WS-2025-01, using e-invoicing
    assert values(sources, f"SELECT ?e ?t WHERE {{ [] <{ECO}attendee> <{BASE}id/org/name-fromagerie-du-plateau> ; "
                           f"<{ECO}event> ?e . <{BASE}id/org/name-fromagerie-du-plateau> <{ECO}uses> ?t }}") == [
        (f"{BASE}id/event/ws-2025-01", TECH + "e-invoicing")]
