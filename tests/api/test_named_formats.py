"""api/formats.py, shared by the CLI and the API: how values become CSV, spreadsheet and table cells."""

from __future__ import annotations

import io

from openpyxl import load_workbook
from rich.console import Console

from api.formats import cell, csv_text, render, xlsx_bytes
from queries.registry import Result

ENTITY = {"iri": "http://example.org/id/org/be-0450222233", "label": "Datalys SA"}
RESULT = Result(columns=["name", "members", "score", "note"], rows=[
    {"name": "a, b", "members": [ENTITY, {"iri": "http://example.org/id/lab/x", "label": None}], "score": 2 / 3,
     "note": None},
    {"name": "=1+1", "members": [], "score": 1234.5, "note": "tab\there\x07"},
])


def test_cells_join_lists_and_name_entities_by_label() -> None:
    assert cell([ENTITY, {"iri": "http://example.org/id/lab/x", "label": ""}, 3]) == \
        "Datalys SA, http://example.org/id/lab/x, 3"
    assert (cell(None), cell(True), cell(0.1 + 0.2)) == ("", "True", "0.30000000000000004")  # CSV keeps every digit


def test_csv_quotes_what_needs_quoting() -> None:
    assert csv_text(RESULT) == (
        "name,members,score,note\n"
        f'"a, b","Datalys SA, http://example.org/id/lab/x",{2 / 3},\n'
        "=1+1,,1234.5,tab\there\x07\n"
    )


def test_the_workbook_keeps_numbers_and_text_apart() -> None:
    sheet = load_workbook(io.BytesIO(xlsx_bytes(RESULT, "a-sheet-name-longer-than-excel-allows"))).active
    assert sheet is not None and sheet.title == "a-sheet-name-longer-than-excel-"  # 31 characters
    assert [(c.value, c.data_type) for c in sheet[2]] == [
        ("a, b", "s"), ("Datalys SA, http://example.org/id/lab/x", "s"), (2 / 3, "n"), (None, "n")]
    assert [(c.value, c.data_type) for c in sheet[3]] == [
        ("=1+1", "s"), (None, "n"), (1234.5, "n"), ("tab\there", "s")]  # a control character Excel refuses: gone


def test_tables_round_numbers_for_people() -> None:
    console = Console(width=200, record=True)
    render(RESULT, "table", console)
    shown = console.export_text()
    assert "0.667" in shown and "1,234.5" in shown and "0.6666" not in shown
