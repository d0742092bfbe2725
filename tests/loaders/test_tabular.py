"""loaders.tabular against the kinds of files people actually send: odd encodings, delimiters, blank lines,
French or English headers, several sheets, and files that are not tables at all."""

from __future__ import annotations

import datetime
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook

from graph.errors import LoadError, Problem
from loaders.tabular import Column, Row, Table, TableSchema, normalise_header, read_tables

VALID = "0436.195.241"

MEMBERS = TableSchema(
    "members",
    (
        Column(
            "enterprise_number", ("numéro d'entreprise", "n° d'entreprise", "BCE", "enterprise number"), True
        ),
        Column("name", ("nom", "raison sociale", "company"), required=True),
        Column("city", ("localité", "ville", "town")),
        Column("member_since", ("membre depuis",)),
        Column("employees", ("effectif",)),
    ),
    signature=frozenset({"enterprise_number", "name"}),
    excludes=frozenset({"project_id"}),
)
PROJECTS = TableSchema(
    "projects",
    (
        Column("project_id", ("id", "projet"), required=True),
        Column("title", ("titre",), required=True),
        Column("acronym", ("acronyme",), required=True),
        Column("start_date", ("date de début", "début"), required=True),
    ),
    signature=frozenset({"project_id", "title"}),
)
PARTICIPANTS = TableSchema(
    "participants",
    (
        Column("project_id", ("id", "projet"), required=True),
        Column("enterprise_number", ("BCE", "numéro d'entreprise")),
        Column("role", ("rôle",)),
    ),
    signature=frozenset({"project_id"}),
    excludes=frozenset({"title"}),
)
ALL = (MEMBERS, PROJECTS, PARTICIPANTS)


def write(tmp_path: Path, content: bytes, name: str = "input.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def read_one(path: Path, schemas: tuple[TableSchema, ...] = ALL) -> Table:
    tables = read_tables(path, schemas)
    assert len(tables) == 1
    return tables[0]


def problems_of(path: Path, schemas: tuple[TableSchema, ...] = ALL) -> list[Problem]:
    with pytest.raises(LoadError) as caught:
        read_tables(path, schemas)
    return caught.value.problems


def rows_of(table: Table) -> list[tuple[str, dict[str, object]]]:
    return [(row.row, dict(row.values)) for row in table.rows]


# --- headers --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Numéro d'entreprise", "numero d entreprise"),
        ("N° d’entreprise", "n d entreprise"),
        ("  Code_Postal (CP) ", "code postal cp"),
        ("DATE-DE-DÉBUT.", "date de debut"),
        ("e-mail/courriel", "e mail courriel"),
        ("Localité\u00a0\tprincipale", "localite principale"),
    ],
)
def test_normalise_header(written: str, expected: str) -> None:
    assert normalise_header(written) == expected


@pytest.mark.parametrize(
    "header",
    [
        "Numéro d'entreprise;Nom;Localité",
        "numero d entreprise;NOM;localite",
        "Enterprise number;Company;Town",
        "N° d'entreprise;Raison sociale;Ville",
        "enterprise_number;name;city",
        "NUMERO_D_ENTREPRISE;Nom;Ville",
    ],
)
def test_french_english_and_bare_headers_are_the_same_columns(tmp_path: Path, header: str) -> None:
    path = write(tmp_path, f"{header}\n{VALID};Acme;Liège\n".encode())
    table = read_one(path)
    assert table.schema is MEMBERS
    assert rows_of(table) == [("2", {"enterprise_number": VALID, "name": "Acme", "city": "Liège"})]
    written = header.split(";")
    assert dict(table.headers) == {"enterprise_number": written[0], "name": written[1], "city": written[2]}
    assert table.ignored == ()


def test_unknown_columns_are_listed_as_ignored_and_not_read(tmp_path: Path) -> None:
    path = write(tmp_path, f"Nom;Remarque;BCE;;Budget\nAcme;à rappeler;{VALID};;12\n".encode())
    table = read_one(path)
    assert table.ignored == ("Remarque", "Budget")
    assert set(table.rows[0].values) == {"enterprise_number", "name"}


def test_schema_is_chosen_by_signature_and_excludes(tmp_path: Path) -> None:
    projects = read_one(write(tmp_path, b"Projet;Titre;Acronyme;D\xc3\xa9but\nP1;Smart grid;SG;2021\n"))
    assert projects.schema is PROJECTS
    participants = read_one(write(tmp_path, f"Projet;BCE;Rôle\nP1;{VALID};partner\n".encode()))
    assert participants.schema is PARTICIPANTS
    # enterprise_number and name would make it a members table, but project_id excludes that
    excluded = read_one(write(tmp_path, f"project_id;Nom;BCE\nP1;Acme;{VALID}\n".encode()))
    assert excluded.schema is PARTICIPANTS


def test_the_most_specific_signature_wins_over_the_most_columns(tmp_path: Path) -> None:
    generic = TableSchema(
        "contacts",
        (
            Column("name", ("nom",)),
            Column("city", ("ville",)),
            Column("note", ("remarque",)),
            Column("comment", ("commentaire",)),
        ),
        signature=frozenset({"name"}),
    )
    path = write(tmp_path, f"Nom;BCE;Ville;Remarque;Commentaire\nAcme;{VALID};Liège;x;y\n".encode())
    table = read_one(path, (generic, MEMBERS))
    assert table.schema is MEMBERS
    assert table.ignored == ("Remarque", "Commentaire")


def test_unrecognised_header_is_refused_naming_what_was_expected(tmp_path: Path) -> None:
    path = write(tmp_path, b"Colonne A;Colonne B\nx;y\n")
    [problem] = problems_of(path)
    assert (problem.file, problem.row, problem.column) == (str(path), "1", "-")
    assert "members (needs enterprise_number, name, without project_id)" in problem.reason
    assert "found: Colonne A, Colonne B" in problem.reason


def test_every_missing_required_column_is_reported_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, b"\n\nid;titre\nP1;Smart grid\n")
    problems = problems_of(path)
    assert [(p.row, p.column) for p in problems] == [("3", "acronym"), ("3", "start_date")]
    accepted = "start_date, date de début, début"
    assert problems[1].reason == f"missing required column (accepted headers: {accepted})"


def test_a_header_close_to_a_schema_is_refused_with_its_missing_columns(tmp_path: Path) -> None:
    labs = TableSchema(
        "labs",
        (Column("lab_code", ("code labo",)), Column("name", ("nom",), required=True), Column("institution")),
        signature=frozenset({"lab_code", "institution"}),
    )
    path = write(tmp_path, b"Code labo;Site web\nULB-1;x\n")
    assert [(p.row, p.column, p.reason) for p in problems_of(path, (labs,))] == [
        ("1", "name", "missing required column (accepted headers: name, nom)"),
        ("1", "institution", "missing column, needed for a labs table (accepted headers: institution)"),
    ]
    # a members header without its name column: the members table is the closest, not "unrecognised"
    [problem] = problems_of(write(tmp_path, f"BCE;Site web\n{VALID};x\n".encode()))
    assert (problem.row, problem.column) == ("1", "name")
    assert problem.reason.startswith("missing required column")


def test_two_headers_for_one_column_are_refused(tmp_path: Path) -> None:
    path = write(tmp_path, f"Nom;BCE;Raison sociale\nAcme;{VALID};Acme SA\n".encode())
    [problem] = problems_of(path)
    assert (problem.row, problem.column) == ("1", "Raison sociale")
    assert problem.reason == "duplicate column: 'Nom' and 'Raison sociale' both mean name"


def test_more_than_1000_header_columns_are_refused(tmp_path: Path) -> None:
    header = ";".join(["Nom", "BCE"] + [f"extra {i}" for i in range(1998)])
    [problem] = problems_of(write(tmp_path, f"{header}\nAcme;{VALID}\n".encode()))
    assert problem.row == "1"
    assert "more than 1000 columns" in problem.reason


# --- encodings, delimiters, lines -------------------------------------------------------------------


def test_windows_1252_is_detected(tmp_path: Path) -> None:
    content = f"Nom;Numéro d'entreprise;Localité\nSociété Générale € ;{VALID};Liège\n".encode("cp1252")
    table = read_one(write(tmp_path, content))
    assert table.headers["enterprise_number"] == "Numéro d'entreprise"
    assert table.rows[0].values["name"] == "Société Générale €"
    assert table.rows[0].values["city"] == "Liège"


def test_bytes_undefined_in_windows_1252_fall_back_to_latin_1(tmp_path: Path) -> None:
    content = b"Nom;BCE\nA\x81\xe9;" + VALID.encode() + b"\n"
    assert read_one(write(tmp_path, content)).rows[0].values["name"] == "A\x81é"


def test_utf8_with_bom_is_read_without_the_bom(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf" + f"Numéro d'entreprise;Nom\n{VALID};Société Générale\n".encode()
    table = read_one(write(tmp_path, content))
    assert table.headers["enterprise_number"] == "Numéro d'entreprise"
    assert table.rows[0].values["name"] == "Société Générale"


def test_utf16_is_refused_with_a_hint(tmp_path: Path) -> None:
    content = "\ufeffNom;BCE\nAcme;x\n".encode("utf-16-le")
    [problem] = problems_of(write(tmp_path, content))
    assert (problem.row, problem.column) == ("-", "-")
    assert "UTF-16" in problem.reason


@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_delimiter_is_detected_from_the_header(tmp_path: Path, delimiter: str) -> None:
    header = delimiter.join(["Nom", "BCE", "Ville"])
    row = delimiter.join(['"Acme; SA, Liège"', VALID, "Liège"])
    table = read_one(write(tmp_path, f"{header}\r\n{row}\r\n".encode()))
    assert rows_of(table) == [("2", {"name": "Acme; SA, Liège", "enterprise_number": VALID, "city": "Liège"})]


def test_delimiters_inside_quoted_header_cells_do_not_count(tmp_path: Path) -> None:
    content = f'"Notes; remarks; other; more",Nom,BCE\n"a;b",Acme,{VALID}\n'.encode()
    table = read_one(write(tmp_path, content))
    assert table.ignored == ("Notes; remarks; other; more",)
    assert table.rows[0].values == {"name": "Acme", "enterprise_number": VALID}


@pytest.mark.parametrize("newline", ["\r\n", "\n", "\r"])
def test_line_endings(tmp_path: Path, newline: str) -> None:
    lines = ["Nom;BCE", f"A;{VALID}", "", f"B;{VALID}"]
    table = read_one(write(tmp_path, (newline.join(lines) + newline).encode()))
    assert [(row.row, row.values["name"], row.values["enterprise_number"]) for row in table.rows] == [
        ("2", "A", VALID),
        ("4", "B", VALID),
    ]


def test_blank_lines_are_skipped_and_rows_keep_their_physical_line_numbers(tmp_path: Path) -> None:
    content = f"\n  \n;;\nNom;BCE;Ville\n\nA;{VALID};X\n;;\n  ;\t; \nB;{VALID};Y\n\n".encode()
    table = read_one(write(tmp_path, content))
    assert [(row.row, row.values["name"]) for row in table.rows] == [("6", "A"), ("9", "B")]
    assert table.rows[0].problem("name", "bad") == Problem(str(tmp_path / "input.csv"), "6", "Nom", "bad")


def test_quoted_cells_with_line_breaks_keep_the_following_line_numbers(tmp_path: Path) -> None:
    content = (
        f'Nom;BCE;Ville\r\n"Acme\r\nSA";{VALID};"Rue 1\r\n\r\n4000 Liège"\r\n'  # lines 2-5
        f'B;{VALID};Namur\r\n"C\nD";{VALID};\r\n'  # lines 6 and 7-8
    )
    table = read_one(write(tmp_path, content.encode()))
    assert rows_of(table) == [
        ("2", {"name": "Acme\r\nSA", "enterprise_number": VALID, "city": "Rue 1\r\n\r\n4000 Liège"}),
        ("6", {"name": "B", "enterprise_number": VALID, "city": "Namur"}),
        ("7", {"name": "C\nD", "enterprise_number": VALID, "city": ""}),
    ]


def test_cells_are_trimmed_and_short_rows_filled(tmp_path: Path) -> None:
    content = f"  Nom ; BCE ;Ville;Effectif\n  Acme\u00a0 ;\t{VALID} \nB;{VALID};Namur\n".encode()
    table = read_one(write(tmp_path, content))
    assert dict(table.headers) == {
        "name": "Nom",
        "enterprise_number": "BCE",
        "city": "Ville",
        "employees": "Effectif",
    }
    assert rows_of(table) == [
        ("2", {"name": "Acme", "enterprise_number": VALID, "city": "", "employees": ""}),
        ("3", {"name": "B", "enterprise_number": VALID, "city": "Namur", "employees": ""}),
    ]


def test_extra_non_empty_cells_are_refused_but_trailing_empty_ones_are_not(tmp_path: Path) -> None:
    content = f"Nom;BCE;Ville;\nA;{VALID};X;;;\nB;{VALID};Y;;oops;\nC;{VALID};Z;extra\n".encode()
    problems = problems_of(write(tmp_path, content))
    assert [(p.row, p.column, p.reason) for p in problems] == [
        ("3", "-", "row has 5 cells, header has 3"),
        ("4", "-", "row has 4 cells, header has 3"),
    ]


def test_header_only_file_is_a_table_without_rows(tmp_path: Path) -> None:
    table = read_one(write(tmp_path, b"Nom;BCE;Ville\r\n\r\n"))
    assert table.schema is MEMBERS
    assert table.rows == []
    assert table.sheet is None


@pytest.mark.parametrize("content", [b"", b"\r\n \n\t\n", b"\xef\xbb\xbf", b";;;\n,,\n"])
def test_empty_file_is_refused(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, content)
    assert problems_of(path) == [Problem(str(path), "-", "-", "the file is empty")]


@pytest.mark.parametrize(
    "content",
    [bytes(range(256)) * 8, b"Nom;BCE\n" + b"\x01\x02\x03\x04\x05\x06garbage\x07\x08" * 40],
)
def test_binary_content_is_refused(tmp_path: Path, content: bytes) -> None:
    [problem] = problems_of(write(tmp_path, content))
    assert (problem.row, problem.column) == ("-", "-")
    assert "not a text file" in problem.reason


def test_a_cell_over_1_mb_is_refused(tmp_path: Path) -> None:
    big = "x" * (2 * 1024 * 1024)
    content = f'Nom;BCE\nA;{VALID}\n"{big}";{VALID}\n'.encode()
    [problem] = problems_of(write(tmp_path, content))
    assert (problem.row, problem.column) == ("3", "-")
    assert "larger than 1 MB" in problem.reason


def test_an_unclosed_quote_is_refused_where_it_opens(tmp_path: Path) -> None:
    content = f'Nom;BCE\nA;{VALID}\n"B;{VALID}\nC;{VALID}\n'.encode()
    [problem] = problems_of(write(tmp_path, content))
    assert (problem.row, problem.reason) == ("3", "a quote opened in this row is never closed")


def test_text_after_a_closing_quote_is_refused(tmp_path: Path) -> None:
    content = f'Nom;BCE\nA;{VALID}\n"B" SA;{VALID}\n'.encode()
    [problem] = problems_of(write(tmp_path, content))
    assert problem.row == "3"
    assert problem.reason.startswith("malformed CSV")


def test_quotes_inside_an_unquoted_cell_are_text(tmp_path: Path) -> None:
    table = read_one(write(tmp_path, f'Nom;BCE\nEts "Dupont";{VALID}\n'.encode()))
    assert table.rows[0].values["name"] == 'Ets "Dupont"'


def test_missing_file_is_a_load_error(tmp_path: Path) -> None:
    path = tmp_path / "absent.csv"
    [problem] = problems_of(path)
    assert (problem.file, problem.row, problem.column) == (str(path), "-", "-")
    assert problem.reason.startswith("cannot read the file")


@pytest.mark.parametrize("name", ["members.txt", "members.tsv", "members.dat", "MEMBERS.CSV"])
def test_text_files_are_read_as_csv_whatever_their_extension(tmp_path: Path, name: str) -> None:
    table = read_one(write(tmp_path, f"Nom\tBCE\nAcme\t{VALID}\n".encode(), name))
    assert table.rows[0].values == {"name": "Acme", "enterprise_number": VALID}


def test_a_workbook_named_csv_is_refused_with_a_hint(tmp_path: Path) -> None:
    source = members_workbook(tmp_path)
    [problem] = problems_of(write(tmp_path, source.read_bytes(), "members.csv"))
    assert "zip archive" in problem.reason


def test_old_binary_excel_is_refused_with_a_hint(tmp_path: Path) -> None:
    content = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512)
    for name in ("members.xls", "members.xlsx", "members.csv"):
        [problem] = problems_of(write(tmp_path, content, name))
        assert ".xls" in problem.reason


# --- Row ------------------------------------------------------------------------------------------


def test_row_text_and_problem() -> None:
    row = Row(
        "m.xlsx",
        "Membres!3",
        {"employees": 12.0, "enterprise_number": 436195241, "member_since": datetime.datetime(2021, 3, 15)},
        {"employees": "Effectif"},
    )
    assert row.text("employees") == "12"
    assert row.text("enterprise_number") == "436195241"
    assert row.text("member_since") == "2021-03-15"
    assert row.text("city") == ""
    assert row.problem("employees", "bad") == Problem("m.xlsx", "Membres!3", "Effectif", "bad")
    assert row.problem("city", "bad") == Problem("m.xlsx", "Membres!3", "city", "bad")


# --- XLSX -----------------------------------------------------------------------------------------


def members_workbook(tmp_path: Path, name: str = "members.xlsx") -> Path:
    workbook = Workbook()
    notes = workbook.active
    assert notes is not None
    notes.title = "Notes"
    notes.append(["Exported from the CRM", "2024"])
    sheet = workbook.create_sheet("Membres")
    sheet.append([])  # Excel row 1 stays empty: the header is the first non-empty row
    sheet.append(["N° d'entreprise", "Nom", "Membre depuis", "Effectif", "Commentaire"])
    sheet.append([436195241, "  Acme  ", datetime.date(2021, 3, 15), 12, "ok"])
    sheet.append([None, None, None, None, None])
    sheet.append([VALID, "Société Générale", "2020", 3.5, None])
    workbook.create_sheet("Vide")
    path = tmp_path / name
    workbook.save(path)
    return path


def test_xlsx_reads_recognised_sheets_with_excel_row_numbers_and_cell_types(tmp_path: Path) -> None:
    path = members_workbook(tmp_path)
    [table] = read_tables(path, ALL)
    assert (table.schema, table.file, table.sheet) == (MEMBERS, str(path), "Membres")
    assert table.ignored == ("Commentaire",)
    assert table.headers["enterprise_number"] == "N° d'entreprise"
    assert rows_of(table) == [
        (
            "Membres!3",
            {
                "enterprise_number": 436195241,
                "name": "Acme",
                "member_since": datetime.datetime(2021, 3, 15),
                "employees": 12,
            },
        ),
        (
            "Membres!5",
            {
                "enterprise_number": VALID,
                "name": "Société Générale",
                "member_since": "2020",
                "employees": 3.5,
            },
        ),
    ]
    assert table.rows[0].text("enterprise_number") == "436195241"


def test_xlsx_with_wrong_stored_dimensions_is_read_whole(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Nom", "BCE"])
    sheet.append(["A", VALID])
    sheet.append(["B", VALID])
    source, path = tmp_path / "source.xlsx", tmp_path / "members.xlsx"
    workbook.save(source)
    with zipfile.ZipFile(source) as original, zipfile.ZipFile(path, "w") as rewritten:
        for info in original.infolist():
            data = original.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                assert b'<dimension ref="A1:B3" />' in data
                data = data.replace(b'<dimension ref="A1:B3" />', b'<dimension ref="A1"/>')
            rewritten.writestr(info, data)
    [table] = read_tables(path, ALL)
    assert [(row.row, row.values["name"]) for row in table.rows] == [("Sheet!2", "A"), ("Sheet!3", "B")]


def test_xlsx_with_an_unknown_extension_is_sniffed(tmp_path: Path) -> None:
    path = write(tmp_path, members_workbook(tmp_path).read_bytes(), "members.bin")
    [table] = read_tables(path, ALL)
    assert table.sheet == "Membres"


def test_xlsx_gives_one_table_per_recognised_sheet(tmp_path: Path) -> None:
    workbook = Workbook()
    members = workbook.active
    assert members is not None
    members.append(["Nom", "BCE"])
    members.append(["Acme", VALID])
    projects = workbook.create_sheet("Projets")
    projects.append(["Projet", "Titre", "Acronyme", "Début"])
    projects.append(["P1", "Smart grid", "SG", datetime.date(2021, 1, 1)])
    path = tmp_path / "pole.xlsx"
    workbook.save(path)
    tables = read_tables(path, ALL)
    assert [(t.sheet, t.schema.name, [r.row for r in t.rows]) for t in tables] == [
        ("Sheet", "members", ["Sheet!2"]),
        ("Projets", "projects", ["Projets!2"]),
    ]


def test_xlsx_without_a_recognised_sheet_is_refused_sheet_by_sheet(tmp_path: Path) -> None:
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    first.title = "Notes"
    first.append(["Exported from the CRM"])
    other = workbook.create_sheet("Stats")
    other.append([None, None])
    other.append(["Année", "Total"])
    path = tmp_path / "other.xlsx"
    workbook.save(path)
    problems = problems_of(path)
    assert [(p.row, p.column) for p in problems] == [("Notes!1", "-"), ("Stats!2", "-")]
    assert "found: Année, Total" in problems[1].reason


def test_xlsx_with_only_empty_sheets_is_refused(tmp_path: Path) -> None:
    workbook = Workbook()
    workbook.create_sheet("Feuil2")
    path = tmp_path / "empty.xlsx"
    workbook.save(path)
    assert problems_of(path) == [Problem(str(path), "-", "-", "the workbook has no data")]


def test_xlsx_missing_required_columns_are_refused(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = "Projets"
    sheet.append(["id", "titre"])
    sheet.append(["P1", "Smart grid"])
    path = tmp_path / "projects.xlsx"
    workbook.save(path)
    problems = problems_of(path)
    assert [(p.row, p.column) for p in problems] == [("Projets!1", "acronym"), ("Projets!1", "start_date")]


def test_xlsx_header_over_1000_columns_is_refused(tmp_path: Path) -> None:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.append(["Nom", "BCE"] + [f"extra {i}" for i in range(1998)])
    path = tmp_path / "wide.xlsx"
    workbook.save(path)
    [problem] = problems_of(path)
    assert problem.row == "Sheet!1"
    assert "more than 1000 columns" in problem.reason


def test_corrupt_xlsx_is_refused(tmp_path: Path) -> None:
    whole = members_workbook(tmp_path).read_bytes()
    path = write(tmp_path, whole[: len(whole) // 2], "truncated.xlsx")
    [problem] = problems_of(path)
    assert (problem.file, problem.row, problem.column) == (str(path), "-", "-")
    assert "not a valid .xlsx workbook" in problem.reason


def test_zip_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "archive.xlsx"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    [problem] = problems_of(path)
    assert "not a valid .xlsx workbook" in problem.reason


def test_html_saved_as_xlsx_is_refused(tmp_path: Path) -> None:
    content = b"\xef\xbb\xbf\r\n<html><body><table><tr><td>Nom</td></tr></table></body></html>"
    [problem] = problems_of(write(tmp_path, content, "export.xlsx"))
    assert "HTML" in problem.reason


def test_workbook_unpacking_to_more_than_200_mb_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "bomb.xlsx"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open("xl/worksheets/sheet1.xml", "w") as member,
    ):
        chunk = bytes(1024 * 1024)
        for _ in range(201):
            member.write(chunk)
    assert path.stat().st_size < 2 * 1024 * 1024
    [problem] = problems_of(path)
    assert problem.reason == "the workbook unpacks to 201 MB; more than 200 MB is refused"


# --- size (speed is measured in bench/, not asserted here) -----------------------------------------


def test_150000_rows_are_all_read_with_their_line_numbers(tmp_path: Path) -> None:
    line = f'{VALID};"Société Générale, SA";Liège;2021-03-15;120;ok\n'
    path = write(tmp_path, ("BCE;Nom;Ville;Membre depuis;Effectif;Note\n" + line * 150_000).encode())
    table = read_one(path)
    assert len(table.rows) == 150_000
    assert table.rows[-1].row == "150001"
