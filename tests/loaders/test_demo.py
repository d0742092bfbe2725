"""The demo generator, checked from the files it writes (read back here with csv and openpyxl).

The files are parsed independently of loaders/demo.py: header aliases come from docs/data-dictionary.md,
technology labels from ontology/technologies.ttl, so a generator bug cannot hide behind its own tables.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import openpyxl
import pyoxigraph as ox
import pytest

from loaders.demo import DemoFile, Writer, generate
from ontology import TECHNOLOGIES_TTL

TECH = "https://w3id.org/ecokg/tech/"
SKOS = "http://www.w3.org/2004/02/skos/core#"


def norm(text: str) -> str:
    """Header or label without case, accents, spaces, '_', '-', '°', apostrophes."""
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return re.sub(r"[\s_\-°'’./()]+", "", text)


# Header aliases from docs/data-dictionary.md (those the checks below need).
ALIASES = {
    "enterprise_number": "numéro d'entreprise|n° d'entreprise|numéro BCE|BCE|KBO|company number|"
                         "enterprise number|n° TVA|VAT",
    "name": "nom|raison sociale|dénomination|société|entreprise|company|company name|organisation|"
            "laboratoire|labo|nom du labo|lab name|unit",
    "project_id": "id|code|identifiant|référence|project id|projet",
    "title": "titre|intitulé|nom du projet|project title",
    "pole": "pôle",
    "start_date": "date de début|début|start|start date",
    "end_date": "date de fin|fin|end|end date",
    "needs": "besoins|besoins technologiques|technologies recherchées|need|technologies nécessaires",
    "offers": "offre|offres|technologies offertes|compétences|offer|skills",
    "lab_code": "code labo|code unité|unit code|lab|lab id",
    "participant_name": "nom du participant|partenaire|partner|participant",
    "country": "pays",
    "cluster": "grappe",
    "member_since": "membre depuis|date d'adhésion|adhésion|joined|since",
    "expertise": "domaines d'expertise|research topics",
    "institution": "université|organisme|institution de rattachement|university|parent",
    "institution_enterprise_number": "numéro d'entreprise de l'institution|BCE institution",
    "programme": "appel|call|programme de financement|funding",
    "role": "rôle",
    "postcode": "code postal|cp|zip|postal code",
}
HEADER = {norm(a): col for col, aliases in ALIASES.items() for a in [col, *aliases.split("|")]}
HEADER |= {norm(c): c for c in ("pole_id", "type", "domain", "label", "concept", "institution_type")}
# The events, attendance and adoption files: aliases of docs/data-dictionary.md ("events", "adoption").
PROGRAMME = {norm(a): col for col, aliases in {
    "event_id": "identifiant|événement", "title": "titre", "type": "type", "date": "date", "place": "lieu",
    "target": "cible", "technologies": "thèmes", "enterprise_number": "n° d'entreprise", "organisation": "entreprise",
    "postcode": "code postal", "city": "localité", "role": "rôle", "uses": "outils utilisés", "since": "depuis",
}.items() for a in aliases.split("|")}


def canonical(headers: list[str], kind: str) -> list[str]:
    """Column names of a header row; 'technologies', 'code' and 'identifiant' depend on the table."""
    projects = kind == "poles" and any(HEADER.get(norm(h)) == "project_id" for h in headers)
    if kind in ("events", "adoption"):
        return [PROGRAMME.get(norm(h), norm(h)) for h in headers]
    out = []
    for h in headers:
        key = norm(h)
        if key == "technologies":
            out.append({"members": "offers", "labs": "expertise"}.get(kind, "needs" if projects else "offers"))
        elif key in ("code", "identifiant") and kind == "labs":
            out.append("lab_code")
        else:
            out.append(HEADER.get(key, key))
    return out


def read_csv(path: Path) -> list[list[str]]:
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252")
    delimiter = max(";,\t", key=text.partition("\n")[0].count)
    return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter) if any(row)]


def read_sheets(path: Path) -> list[list[list[Any]]]:
    if path.suffix == ".xlsx":
        wb = openpyxl.load_workbook(path, read_only=True)
        return [[list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets]
    return [read_csv(path)]


@dataclass
class Demo:
    """The rows of every table of one demo, by table type; cells keyed by canonical column name."""

    files: list[DemoFile]
    members: list[dict[str, Any]] = field(default_factory=list)
    pole_members: list[dict[str, Any]] = field(default_factory=list)
    projects: list[dict[str, Any]] = field(default_factory=list)
    participants: list[dict[str, Any]] = field(default_factory=list)
    labs: list[dict[str, Any]] = field(default_factory=list)
    registry: list[dict[str, Any]] = field(default_factory=list)
    curation: list[dict[str, Any]] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)
    attendance: list[dict[str, Any]] = field(default_factory=list)
    survey: list[dict[str, Any]] = field(default_factory=list)


def read_demo(files: list[DemoFile]) -> Demo:
    demo = Demo(files)
    for f in files:
        for path in f.paths:
            for rows in read_sheets(path):
                cols = canonical([str(h) for h in rows[0]], f.kind)
                width = len(cols)  # Excel rows stop at their last filled cell
                records = [dict(zip(cols, [*r, *[None] * (width - len(r))], strict=True)) for r in rows[1:]]
                for rec in records:
                    rec["_source"] = f.source
                demo_table(demo, f.kind, set(cols)).extend(records)
    return demo


def demo_table(demo: Demo, kind: str, cols: set[str]) -> list[dict[str, Any]]:
    if kind == "events":
        return demo.events if "title" in cols else demo.attendance
    if kind == "adoption":
        return demo.survey
    if "pole_id" in cols:
        return demo.registry
    if kind in ("members", "labs", "curation"):
        return {"members": demo.members, "labs": demo.labs, "curation": demo.curation}[kind]
    if "title" in cols:
        return demo.projects
    return demo.participants if "project_id" in cols else demo.pole_members


def kbo(value: Any) -> str:
    """Any spelling of an enterprise number -> 10 digits (checked by the caller)."""
    digits = re.sub(r"[\s.]", "", str(value)).upper().removeprefix("BE")
    return "0" + digits if len(digits) == 9 else digits


def kbo_ok(digits: str) -> bool:
    return len(digits) == 10 and digits.isdigit() and digits[0] == "0" and int(digits[8:]) == 97 - int(
        digits[:8]) % 97


def to_date(value: Any) -> dt.date:
    if isinstance(value, dt.datetime):
        return value.date()
    text = str(value).strip()
    if re.fullmatch(r"\d{4}", text):
        return dt.date(int(text), 1, 1)
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            pass
    raise AssertionError(f"not a date: {value!r}")


def items(cell: Any) -> list[str]:
    return [i.strip() for i in re.split(r"[,;|\r\n]+", str(cell or "")) if i.strip()]


def taxonomy() -> tuple[dict[str, str], dict[str, str]]:
    """normalised label -> slug, and slug -> broader slug."""
    labels, broader = {}, {}
    for t in ox.parse(path=str(TECHNOLOGIES_TTL), format=ox.RdfFormat.TURTLE):
        slug = t.subject.value.removeprefix(TECH)
        if t.predicate.value in (SKOS + "prefLabel", SKOS + "altLabel"):
            labels[norm(t.object.value)] = slug
        elif t.predicate.value == SKOS + "broader":
            broader[slug] = t.object.value.removeprefix(TECH)
    return labels, broader


@pytest.fixture(scope="module")
def demo1(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return read_demo(generate(tmp_path_factory.mktemp("demo1"), scale=1))


@pytest.fixture(scope="module")
def demo3(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    return read_demo(generate(tmp_path_factory.mktemp("demo3"), scale=3))


def test_load_order_and_sources(demo1: Demo, demo3: Demo) -> None:
    poles = ["pole-biowin", "pole-greenwin", "pole-logistics-in-wallonia", "pole-mecatech", "pole-skywin",
             "pole-wagralim"]
    assert [f.source for f in demo1.files] == ["curation", "labs", "members", *poles, "events", "adoption"]
    assert [f.source for f in demo3.files] == ["poles", "curation", "labs", "members", *poles, "events", "adoption"]
    assert [f.kind for f in demo3.files][:4] == ["poles", "curation", "labs", "members"]
    skywin1, skywin3 = demo1.files[-4], demo3.files[-4]
    assert [p.suffix for p in skywin1.paths] == [".xlsx"] and [p.suffix for p in skywin3.paths] == [".csv"] * 3


def test_counts_at_scale_1(demo1: Demo) -> None:
    assert len(demo1.members) >= 150
    per_pole = Counter(r["_source"] for r in demo1.pole_members)
    assert len(per_pole) == 6 and sum(per_pole.values()) >= 300
    assert len(demo1.projects) >= 80
    assert len(demo1.labs) >= 40
    assert {r["cluster"] for r in demo1.members} == {"ict-wallonia"}


def test_enterprise_numbers_pass_the_check(demo1: Demo, demo3: Demo) -> None:
    for demo in (demo1, demo3):
        rows = demo.members + demo.pole_members + [p for p in demo.participants if p.get("enterprise_number")]
        numbers = [kbo(r["enterprise_number"]) for r in rows]
        numbers += [kbo(r["institution_enterprise_number"]) for r in demo.labs if r["institution_enterprise_number"]]
        assert numbers and all(kbo_ok(n) for n in numbers), [n for n in numbers if not kbo_ok(n)][:5]
    dotted = [r["enterprise_number"] for r in demo1.members if re.fullmatch(r"0\d{3}\.\d{3}\.\d{3}",
                                                                            r["enterprise_number"])]
    assert len(dotted) > len(demo1.members) / 2


def test_same_seed_same_bytes_other_seed_other_bytes(tmp_path: Path) -> None:
    a = generate(tmp_path / "a", seed=11)
    b = generate(tmp_path / "b", seed=11)
    c = generate(tmp_path / "c", seed=12)
    paths = [[p for f in files for p in f.paths] for files in (a, b, c)]
    assert [p.name for p in paths[0]] == [p.name for p in paths[1]]
    assert all(x.read_bytes() == y.read_bytes() for x, y in zip(paths[0], paths[1], strict=True))
    assert paths[0][2].read_bytes() != paths[2][2].read_bytes()  # the members file


def test_scale_3_replicates_regions(demo1: Demo, demo3: Demo) -> None:
    types = Counter(r["type"] for r in demo3.registry)
    assert types == {"pole": 12, "cluster": 2}  # regions 2 and 3; region 1's are reference data
    assert {r["cluster"] for r in demo3.members} == {"ict-wallonia", "ict-r2", "ict-r3"}
    for name in ("members", "pole_members", "projects", "participants", "labs"):
        ratio = len(getattr(demo3, name)) / len(getattr(demo1, name))
        assert 2.5 <= ratio <= 3.5, (name, ratio)
    numbers = [kbo(r["enterprise_number"]) for r in demo3.members]
    assert len(numbers) == len(set(numbers))
    industrial = {kbo(r["enterprise_number"]) for r in demo3.pole_members} - set(numbers)
    assert len(industrial) > 2.5 * 250
    assert len({r["lab_code"] for r in demo3.labs}) == len(demo3.labs)
    assert len({r["project_id"] for r in demo3.projects}) == len(demo3.projects)
    poles = {r["pole"] for r in demo3.projects}
    assert {"biowin-r2", "greenwin-r3"} <= poles or {"BioWin R2", "greenwin-r3"} <= poles


def test_participants_reference_known_actors(demo1: Demo, demo3: Demo) -> None:
    for demo in (demo1, demo3):
        firms = {kbo(r["enterprise_number"]) for r in demo.members + demo.pole_members}
        labs = {r["lab_code"] for r in demo.labs}
        projects = {(r["_source"], r["project_id"]) for r in demo.projects}
        for p in demo.participants:
            assert (p["_source"], p["project_id"]) in projects
            if p.get("enterprise_number"):
                assert kbo(p["enterprise_number"]) in firms
            elif p.get("lab_code"):
                assert p["lab_code"] in labs
            else:
                assert p["participant_name"] and p["country"] not in ("", None, "BE")


def test_dates(demo1: Demo) -> None:
    for p in demo1.projects:
        start, end = to_date(p["start_date"]), to_date(p["end_date"])
        assert dt.date(2016, 1, 1) <= start < end <= dt.date(2026, 12, 31)
    since = [to_date(r["member_since"]).year for r in demo1.members + demo1.pole_members]
    assert min(since) >= 2008 and max(since) <= 2025


def test_eu_projects_have_foreign_partners(demo1: Demo) -> None:
    foreign = [p for p in demo1.participants if p.get("participant_name")]
    assert {p["country"] for p in foreign} >= {"FR", "DE"}
    eu = {(r["_source"], r["project_id"]) for r in demo1.projects if r["programme"] in ("H2020", "Horizon Europe")}
    assert 0.1 <= len(eu) / len(demo1.projects) <= 0.3
    assert {(p["_source"], p["project_id"]) for p in foreign} <= eu


def test_a_technology_gap_and_untapped_research(demo1: Demo) -> None:
    labels, broader = taxonomy()

    def slugs(cell: Any) -> set[str]:
        return {labels[norm(i)] for i in items(cell) if norm(i) in labels}

    def with_broader(found: set[str]) -> set[str]:
        out = set(found)
        for s in found:
            while s in broader:
                s = broader[s]
                out.add(s)
        return out

    demand = Counter(s for p in demo1.projects for s in slugs(p["needs"]))
    supply = Counter(s for m in demo1.members for s in with_broader(slugs(m["offers"])))
    gaps = {s: n for s, n in demand.items() if n >= 5 and supply[s] <= 2}
    assert "computer-vision" in gaps, (demand["computer-vision"], supply["computer-vision"])
    expertise = {s for lab in demo1.labs for s in with_broader(slugs(lab["expertise"]))}
    for slug in ("quantum-computing", "high-performance-computing"):
        assert slug in expertise and supply[slug] == 0
    needed_by = sum("e-invoicing" in slugs(r["needs"]) for r in demo1.pole_members)
    assert 1 <= supply["e-invoicing"] <= 6 and needed_by >= 3 * supply["e-invoicing"]


def test_some_members_in_poles_some_isolated(demo1: Demo) -> None:
    members = {kbo(r["enterprise_number"]) for r in demo1.members}
    in_poles = {kbo(r["enterprise_number"]) for r in demo1.pole_members}
    assert 0.15 <= len(members & in_poles) / len(members) <= 0.25
    in_projects = {kbo(p["enterprise_number"]) for p in demo1.participants if p.get("enterprise_number")}
    isolated = members - in_poles - in_projects
    assert 0.05 <= len(isolated) / len(members) <= 0.3


def test_free_text_labels_and_curation(demo1: Demo) -> None:
    labels, _ = taxonomy()
    cells = [r["offers"] for r in demo1.members + demo1.pole_members] + [r["needs"] for r in demo1.projects]
    unknown = {i for c in cells for i in items(c) if norm(i) not in labels}
    assert unknown
    assert [r["label"] for r in demo1.curation] and all(norm(r["label"]) not in labels for r in demo1.curation)
    for r in demo1.curation:
        assert re.sub(r"^(https://w3id\.org/ecokg/tech/|tech:)", "", r["concept"]) in set(labels.values())


def test_file_formats(demo1: Demo) -> None:
    paths = {p.name: p for f in demo1.files for p in f.paths}
    members = paths["membres-ict.csv"].read_bytes()
    assert members.startswith(b"\xef\xbb\xbf") and b";" in members.splitlines()[0]
    wagralim = paths["wagralim-membres.csv"].read_bytes()
    with pytest.raises(UnicodeDecodeError):
        wagralim.decode("utf-8")
    assert wagralim.decode("cp1252").splitlines()[0].count(";") > 5
    for name in ("biowin-members.csv", "greenwin-projects.csv"):
        header = paths[name].read_text(encoding="utf-8").splitlines()[0]
        assert header.count(",") > 5 and header.isascii()
    wb = openpyxl.load_workbook(paths["skywin.xlsx"], read_only=True)
    assert len(wb.sheetnames) == 3
    projects = list(wb.worksheets[1].iter_rows(values_only=True))
    assert isinstance(projects[1][4], dt.datetime)


def test_the_programme_events_attendance_and_survey(demo1: Demo, demo3: Demo) -> None:
    for demo, regions in ((demo1, 1), (demo3, 3)):
        # ten events a year from 2023 to 2025 per region, e-invoicing twice in 2025's workshops
        assert Counter(r["type"] for r in demo.events) == {"Atelier": 12 * regions, "Club d'affaires": 6 * regions,
                                                           "ICT meets": 6 * regions, "Réseautage": 3 * regions,
                                                           "Visite d'entreprise": 3 * regions}
        assert sorted({to_date(r["date"]).year for r in demo.events}) == [2023, 2024, 2025]
        einvoicing_2025 = [r for r in demo.events if to_date(r["date"]).year == 2025 and r["type"] == "Atelier"
                           and "facturation électronique" in r["title"]]
        assert len(einvoicing_2025) == 2 * regions
        firms = {kbo(r["enterprise_number"]): r for r in demo.members + demo.pole_members}
        names = {(r["name"], str(r["postcode"])) for r in demo.members + demo.pole_members}
        skywin = {kbo(r["enterprise_number"]) for r in demo.pole_members if r["_source"] == "pole-skywin"}
        events = {r["event_id"] for r in demo.events}
        assert len(events) == len(demo.events)
        by_name = 0
        for r in demo.attendance:
            assert r["event_id"] in events
            if r["enterprise_number"]:
                assert kbo(r["enterprise_number"]) in firms and kbo(r["enterprise_number"]) not in skywin
            else:  # a sign-up sheet's name and postcode: a firm of the files
                by_name += 1
                assert (r["organisation"], r["postcode"]) in names
        assert 10 * 30 * regions <= len(demo.attendance) and 0 < by_name < len(demo.attendance) / 5
        # the survey: about a third of the firms, each tool with the year it came when known
        assert 0.2 <= len(demo.survey) / len(firms) <= 0.4
        assert all(kbo_ok(kbo(r["enterprise_number"])) for r in demo.survey if r["enterprise_number"])
        since = [to_date(r["since"]) for r in demo.survey if r["since"]]
        assert since and all(dt.date(2012, 1, 1) <= d <= dt.date(2025, 12, 1) for d in since)


def test_scale_out_of_range_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="scale"):
        generate(tmp_path, scale=0)
    assert not list(tmp_path.iterdir())


def test_two_firms_named_alike_are_never_both_written_by_name() -> None:
    """At x1000 firm names repeat; a list naming two of them alike would give its loader one organisation (the
    x1000 survey was refused for duplicate answers). The second is written by its number instead."""
    liege, namur = SimpleNamespace(postcode="4000", name="Liège"), SimpleNamespace(postcode="5000", name="Namur")
    first = SimpleNamespace(name="Necoris Medical SRL", number="0810111138", city=liege)
    second = SimpleNamespace(name="Necoris Medical SRL", number="0810222291", city=namur)
    writer = SimpleNamespace(_named={})
    assert Writer._organisation(writer, first, True) == {"organisation": "Necoris Medical SRL", "postcode": "4000",
                                                         "city": "Liège"}
    assert Writer._organisation(writer, first, True)["organisation"] == "Necoris Medical SRL"  # the same firm again
    assert set(Writer._organisation(writer, second, True)) == {"enterprise_number"}
    assert set(Writer._organisation(writer, first, False)) == {"enterprise_number"}
