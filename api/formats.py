"""Query results as a person or a program wants them: a table, CSV, JSON or an Excel workbook.

Shared by the CLI and the HTTP API, so that a CSV or a cell reads the same whichever way it was asked for.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Collection, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from rich.console import Console
from rich.table import Table

from queries.registry import Result, rows

FORMATS = ("table", "csv", "json")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def render(result: Result, fmt: str, console: Console) -> None:
    """Print `result` in `fmt`; tables to the console, CSV and JSON as plain text."""
    if fmt == "json":
        console.out(json.dumps(result.model_dump(), ensure_ascii=False, indent=2), highlight=False)
    elif fmt == "csv":
        console.out(csv_text(result), end="", highlight=False)
    else:
        table = Table(*result.columns)
        for row in rows(result):
            table.add_row(*(_shown(v) for v in row))
        console.print(table)
        if result.has_more:
            console.print(f"(more rows: --offset {result.offset + (result.limit or 0)})", highlight=False)


def csv_text(result: Result, *, inert: bool = False) -> str:
    """A header row, then one line per row, every value as `cell` writes it. `inert`: for a file meant for a
    spreadsheet, a text that would start a formula there (= + - @, tab, CR) gets a leading apostrophe, which
    spreadsheets read as "this is text"; numbers are left alone. Off for the API's CSV, which programs read."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(result.columns)
    writer.writerows([_inert(v) if inert else cell(v) for v in row] for row in rows(result))
    return out.getvalue()


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _inert(value: Any) -> str:
    text = cell(value)
    return "'" + text if not isinstance(value, int | float) and text.startswith(_FORMULA_START) else text


def xlsx_bytes(result: Result, title: str) -> bytes:
    """An Excel workbook of one sheet (see `workbook_bytes`)."""
    return workbook_bytes([(title, result)])


def workbook_bytes(sheets: Sequence[tuple[str, Result]]) -> bytes:
    """An Excel workbook of one sheet per (title, result), at least one: each with a bold, frozen header row
    with filters, numbers as numbers, and every text stored as text, so that a value such as "=HYPERLINK(...)"
    can never become a formula. Titles are made valid sheet names (`sheet_name`)."""
    book = Workbook()
    assert book.active is not None  # a new workbook has one sheet: the first one replaces it
    book.remove(book.active)
    taken: set[str] = set()
    for title, result in sheets:
        name = sheet_name(title, taken)
        taken.add(name.lower())
        _fill(book.create_sheet(name), result)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


_NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\\x00-\x1f]")


def sheet_name(title: str, taken: Collection[str] = ()) -> str:
    """`title` as Excel takes a sheet name: none of []:*?/\\, no apostrophe at either end, 31 characters at
    most (a longer text cut after a word, with "…"), and not one of `taken` (lower case; Excel compares names
    without case): then " (2)", " (3)"..."""
    base = _NOT_IN_SHEET_NAMES.sub(" ", title).strip().strip("'").strip() or "-"
    name, n = _fit(base, 31), 1
    while name.lower() in taken:
        n += 1
        suffix = f" ({n})"
        name = _fit(base, 31 - len(suffix)) + suffix
    return name


def _fit(text: str, size: int) -> str:
    if len(text) <= size:
        return text
    cut = text[:size - 1]
    return cut[:cut.rindex(" ")].rstrip() + "…" if " " in cut.strip() else text[:size]


def _fill(sheet: Any, result: Result) -> None:
    for column, name in enumerate(result.columns, start=1):
        _put(sheet.cell(row=1, column=column), name).font = Font(bold=True)
    for r, row in enumerate(rows(result), start=2):
        for column, value in enumerate(row, start=1):
            _put(sheet.cell(row=r, column=column), value)
    sheet.freeze_panes = "A2"
    if result.columns:
        sheet.auto_filter.ref = sheet.dimensions
    for column, name in enumerate(result.columns, start=1):
        longest = max([len(name), *(len(cell(row[name])) for row in result.rows)])
        sheet.column_dimensions[get_column_letter(column)].width = min(60, longest + 2)


def _put(target: Any, value: Any) -> Any:
    """Write one value into an openpyxl cell: numbers and booleans as such, anything else as text."""
    if isinstance(value, bool | int | float):
        target.value = value
    elif text := ILLEGAL_CHARACTERS_RE.sub("", cell(value)):  # None and [] leave the cell empty
        target.value = text
        target.data_type = "s"  # openpyxl takes a text starting with "=" for a formula: it is data here
    return target


def cell(value: Any) -> str:
    """A value as one text (CSV, a spreadsheet cell): lists joined, an entity by its label (IRI when it has
    none), numbers in full."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("label") or value.get("iri") or value)
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value)
    return str(value)


def _shown(value: Any) -> str:
    """A table cell for a person: as `cell`, with numbers rounded to what one reads."""
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return cell(value)
