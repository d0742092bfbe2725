"""The offer catalogue export (api/exports.py): /api/v1/exports/catalogue.xlsx|.csv and `ecokg export catalogue`.

The workbooks are opened with openpyxl and read as a person would: sheets, header, frozen row, filters and rows,
worked out by hand from tests/data/analytics (its README: who offers what, where; members.csv: the streets),
the French and English labels of ontology/technologies.ttl and the NUTS names of ontology/nuts2021_be.csv.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest
from cli_support import cli_on, run
from named_support import DATALYS, FICTIVE, LIEGE_DATA, Api, api_over, load_analytics
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from api.formats import XLSX, sheet_name
from graph.sources import Sources
from graph.store import EmbeddedStore

FAMILIES_FR = [  # the 18 top concepts of tech:scheme, French labels in alphabetical order, accents aside
    "Blockchain et registres…",  # "blockchain et registres distribués": 34 characters, Excel takes 31
    "Calcul haute performance", "Cybersécurité", "Développement logiciel",
    "Données et analytique", "Formation en ligne", "Informatique en nuage", "Intelligence artificielle",
    "Internet des objets", "Jumeau numérique", "Réalité étendue et 3D", "Réseaux et télécommunications",
    "Robotique", "Santé numérique",
    "Systèmes d'information…",  # "systèmes d'information géographique"
    "Technologies financières", "Technologies quantiques", "Transformation numérique"]
HEADER_FR = ["Entreprise", "Numéro d'entreprise", "Site web", "E-mail", "Rue", "Code postal", "Commune", "NUTS 3",
             "Arrondissement", "Province", "Technologies", "IRI"]
HEADER_EN = ["Firm", "Enterprise number", "Website", "E-mail", "Street", "Postcode", "Municipality", "NUTS 3",
             "District", "Province", "Technologies", "IRI"]
AI_ROWS = [  # M2, M1 (deep learning and computer vision, in that order), M7 image recognition
    ("Datalys SA", "0450.222.233", None, None, "Avenue de l'Espérance 8", "5000", "Namur", "BE352", "Arr. Namur",
     "Prov. Namur", "apprentissage automatique", DATALYS),
    ("Fictive Vision SRL", "0450.111.177", None, None, "Rue de la Science 1", "4000", "Liège", "BE332", "Arr. Liège",
     "Prov. Liège", "apprentissage profond, vision par ordinateur", FICTIVE),
    ("Liège Data SRL", "0450.777.707", None, None, "Quai de la Boverie 4", "4020", "Liège", "BE332", "Arr. Liège",
     "Prov. Liège", "reconnaissance d'images", LIEGE_DATA),
]
FORMULAS = ['=HYPERLINK("http://x","y")', "@SUM(1+1)", "+32 Digital SRL", "-Minus SA"]


@pytest.fixture(scope="module")
def api(system_dump: bytes) -> Api:
    store = EmbeddedStore.in_memory()
    store.restore(io.BytesIO(system_dump))
    return api_over(load_analytics(Sources(store, "http://example.org/")))


def workbook(api: Api, query: str = "", *, read: bool = False) -> Workbook:
    answer = api.get(f"/api/v1/exports/catalogue.xlsx{query}", read=read)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"] == XLSX
    return load_workbook(io.BytesIO(answer.content))


def values(sheet: object) -> list[tuple]:
    return [tuple(c.value for c in row) for row in sheet.iter_rows(min_row=2)]  # type: ignore[attr-defined]


def test_one_sheet_per_family_with_a_frozen_filtered_header(api: Api) -> None:
    book = workbook(api)
    assert book.sheetnames == FAMILIES_FR
    ai = book["Intelligence artificielle"]
    assert [c.value for c in ai[1]] == HEADER_FR
    assert all(c.font.bold for c in ai[1])
    assert ai.freeze_panes == "A2"
    assert ai.auto_filter.ref == "A1:L4"  # 12 columns, the header and 3 firms
    assert values(ai) == AI_ROWS
    assert ai.column_dimensions["A"].width >= len("Fictive Vision SRL")  # wide enough to read a name
    # digital transformation: M3 (e-invoicing, ERP, in Gosselies = Charleroi), M8, M5 (CRM)
    assert [(r[0], r[6], r[10]) for r in values(book["Transformation numérique"])] == [
        ("Brixtel Logistique SRL", "Charleroi", "facturation électronique, progiciel de gestion intégré"),
        ("Namur Soft SA", "Namur", "facturation électronique"),
        ("Wavre Web SRL", "Wavre", "gestion de la relation client")]
    empty = book["Robotique"]  # no member offers robotics: the header alone
    assert empty.max_row == 1 and empty.auto_filter.ref == "A1:L1" and empty.freeze_panes == "A2"


def test_in_english(api: Api) -> None:
    book = workbook(api, "?lang=en")
    assert book.sheetnames[:3] == ["Artificial intelligence", "Blockchain and distributed…", "Cloud computing"]
    ai = book["Artificial intelligence"]
    assert [c.value for c in ai[1]] == HEADER_EN
    assert [r[10] for r in values(ai)] == ["machine learning", "computer vision, deep learning", "image recognition"]


def test_anonymous_callers_get_the_public_sources_only(api: Api) -> None:
    # firms=all adds B3 Clinique Numérique (cybersecurity), known from BioWin's list: a restricted source
    def cyber(book: Workbook) -> list[str]:
        return [r[0] for r in values(book["Cybersécurité"])]

    assert cyber(workbook(api, "?firms=all")) == ["Hainaut Cyber SRL"]
    assert cyber(workbook(api, "?firms=all", read=True)) == ["Clinique Numérique SA", "Hainaut Cyber SRL"]


def test_csv_one_row_per_family_and_firm(api: Api) -> None:
    answer = api.get("/api/v1/exports/catalogue.csv")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/csv")
    assert answer.headers["content-disposition"] == 'attachment; filename="catalogue-fr.csv"'
    assert answer.text.startswith("\ufeff")  # Excel reads it as UTF-8
    rows = list(csv.reader(io.StringIO(answer.text.removeprefix("\ufeff"))))
    assert rows[0] == ["Famille technologique", *HEADER_FR]
    # AI 3, cybersecurity 1 (M4), software engineering 1 (M5), data 1 (M2), IoT 1 (M6), digital transformation 3
    assert len(rows) == 1 + 10
    assert rows[1][:2] == ["cybersécurité", "Hainaut Cyber SRL"]
    assert [r[1] for r in rows if r[0] == "intelligence artificielle"] == [r[0] for r in AI_ROWS]


def test_an_unchanged_catalogue_is_a_304(api: Api) -> None:
    first = api.get("/api/v1/exports/catalogue.xlsx")
    again = api.get("/api/v1/exports/catalogue.xlsx", headers={"If-None-Match": first.headers["etag"]})
    assert again.status_code == 304
    other = api.get("/api/v1/exports/catalogue.xlsx?lang=en", headers={"If-None-Match": first.headers["etag"]})
    assert other.status_code == 200


def test_bad_parameters_are_a_422(api: Api) -> None:
    assert api.get("/api/v1/exports/catalogue.xlsx?lang=de").status_code == 422
    assert api.get("/api/v1/exports/catalogue.csv?firms=some").status_code == 422


# -- texts that a spreadsheet would take for formulas ----------------------------------------------
@pytest.fixture(scope="module")
def tricky(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Cluster members whose names start with = @ + -, each offering computer vision (AI); valid numbers."""
    path = tmp_path_factory.mktemp("tricky") / "members.csv"
    numbers = ("0450.111.177", "0450.222.233", "0450.333.386", "0450.444.442")
    lines = [f'{number};"{name.replace(chr(34), chr(34) * 2)}";4000;Liège;computer vision'
             for number, name in zip(numbers, FORMULAS, strict=True)]
    path.write_text("\n".join(["enterprise_number;name;postcode;city;offers", *lines]) + "\n", encoding="utf-8")
    return path


def test_a_name_like_a_formula_stays_text_in_the_workbook_and_the_csv(tricky: Path, tmp_path: Path) -> None:
    with cli_on(tmp_path / "store") as ecokg:
        run(ecokg, "load", "members", str(tricky))
        said = run(ecokg, "export", "catalogue", "--out", str(tmp_path / "offer.xlsx"))
        assert "4 firms in 1 of 18 technology families" in said
        run(ecokg, "export", "catalogue", "--out", str(tmp_path / "offer.csv"))
    sheet = load_workbook(tmp_path / "offer.xlsx")["Intelligence artificielle"]
    names = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert sorted(c.value for c in names) == sorted(FORMULAS)
    assert {c.data_type for c in names} == {"s"}  # text, never "f" (a formula)
    rows = list(csv.reader(io.StringIO((tmp_path / "offer.csv").read_text(encoding="utf-8-sig"))))
    assert sorted(r[1] for r in rows[1:]) == sorted("'" + name for name in FORMULAS)  # inert in a spreadsheet


def test_the_cli_refuses_another_file_type(tmp_path: Path) -> None:
    with cli_on(tmp_path / "store") as ecokg:
        assert "--out FILE.xlsx or FILE.csv" in run(ecokg, "export", "catalogue", "--out", "offer.ods", code=2)


@pytest.mark.parametrize(("title", "taken", "expected"), [
    ("Systèmes d'information géographique", (), "Systèmes d'information…"),  # 35 characters: cut after a word
    ("a-sheet-name-longer-than-excel-allows", (), "a-sheet-name-longer-than-excel-"),  # no word: 31 characters
    ("a/b\\c?d*e[f]g:h", (), "a b c d e f g h"),
    ("'quoted'", (), "quoted"),
    ("Robotique", ("robotique",), "Robotique (2)"),
    ("Blockchain et registres distribués", ("blockchain et registres…",), "Blockchain et registres… (2)"),
    ("x" * 40, ("x" * 31,), "x" * 27 + " (2)"),
])
def test_sheet_names_are_valid_for_excel(title: str, taken: tuple[str, ...], expected: str) -> None:
    assert sheet_name(title, taken) == expected
