"""Fuzzing loaders.tabular.read_tables with the loaders' real schemas: whatever the bytes, a read gives tables
whose rows can all be read, or a LoadError whose problems name the file; never another exception.

Three kinds of input: random bytes, CSV-like text (real header names, random delimiters, quotes, line ends and
encodings), and zip archives like a workbook (a real one damaged, or parts of random content)."""

from __future__ import annotations

import datetime
import io
import tempfile
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from xml.sax.saxutils import escape

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from graph.errors import LoadError
from loaders import kbo_extract, taxonomy
from loaders.run import KINDS
from loaders.tabular import Row, TableSchema, read_tables

SCHEMAS: list[tuple[TableSchema, ...]] = [
    *(schemas for schemas in KINDS.values() if schemas),
    (taxonomy.NACE_CSV, taxonomy.ESV_CSV),
    tuple(kbo_extract.SCHEMAS.values()),
]
HEADERS = sorted({spelling for schemas in SCHEMAS for schema in schemas for column in schema.columns
                  for spelling in (column.name, *column.aliases)})
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@contextmanager
def written(content: bytes, suffix: str) -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{suffix}"
        path.write_bytes(content)
        yield path


def read_all(path: Path, schemas: tuple[TableSchema, ...], stream: bool) -> None:
    """Read the file and every row of it: rows that name the file, or a LoadError that does."""
    try:
        tables = read_tables(path, schemas, stream=stream)
        for table in tables:
            assert table.schema in schemas
            assert all(isinstance(row, Row) and row.file == str(path) for row in table.rows)
            assert all(problem.file == str(path) for problem in table.problems)
    except LoadError as exc:
        assert exc.problems
        assert all(problem.file == str(path) for problem in exc.problems), exc.problems


@FUZZ
@given(content=st.binary(max_size=4096), suffix=st.sampled_from([".csv", ".xlsx", ".txt", ""]),
       schemas=st.sampled_from(SCHEMAS), stream=st.booleans())
def test_random_bytes(content: bytes, suffix: str, schemas: tuple[TableSchema, ...], stream: bool) -> None:
    with written(content, suffix) as path:
        read_all(path, schemas, stream)


TEXT = st.text(st.characters(exclude_categories=("Cs", "Cc")), max_size=30)  # what XML can hold
CELL = st.one_of(
    st.sampled_from(HEADERS),
    TEXT,
    st.text(max_size=30),
    st.sampled_from(["0436.195.241", "BE 0436 195 241", "2021-03-15", "31/02/2020", "1 234,50", '"', '""', "'",
                     "\r\n", "\n", "\r", "\t", ";", ",", "=HYPERLINK(\"x\")", "", " ", "\x00", "\ufeff"]),
)


@st.composite
def header(draw: st.DrawFn, schemas: tuple[TableSchema, ...], cell: st.SearchStrategy[str]) -> list[str]:
    """Most often a header one of the schemas recognises (its signature, in any order, and other columns)."""
    schema = draw(st.sampled_from(schemas))
    known = draw(st.permutations(sorted(schema.signature))) if draw(st.integers(0, 3)) else []
    return [*known, *draw(st.lists(cell, max_size=4))]


@st.composite
def csv_like(draw: st.DrawFn, schemas: tuple[TableSchema, ...]) -> bytes:
    """A header and lines of cells joined by a delimiter, some quoted (well or badly), in an encoding."""
    delimiter = draw(st.sampled_from([";", ",", "\t", "|", " "]))
    newline = draw(st.sampled_from(["\r\n", "\n", "\r"]))
    quote = draw(st.sampled_from(['"', "'", ""]))
    lines = []
    for cells in [draw(header(schemas, CELL)), *draw(st.lists(st.lists(CELL, max_size=8), max_size=8))]:
        lines.append(delimiter.join(quote + c + quote if draw(st.booleans()) else c for c in cells))
    text = newline.join(lines) + draw(st.sampled_from(["", newline]))
    encoding = draw(st.sampled_from(["utf-8", "utf-8", "utf-8-sig", "cp1252", "cp1252", "latin-1", "utf-16"]))
    return text.encode(encoding, errors="replace")


@FUZZ
@given(data=st.data(), schemas=st.sampled_from(SCHEMAS), stream=st.booleans())
def test_csv_like_text(data: st.DataObject, schemas: tuple[TableSchema, ...], stream: bool) -> None:
    with written(data.draw(csv_like(schemas)), ".csv") as path:
        read_all(path, schemas, stream)


def _workbook() -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for row in (["Numéro d'entreprise", "Nom", "Localité"], ["0436.195.241", "Alpha SA", "Liège"],
                [1, 2.5, datetime.datetime(2021, 3, 15)]):  # a date: the styles then hold a date format
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


WORKBOOK = _workbook()
PARTS = zipfile.ZipFile(io.BytesIO(WORKBOOK)).namelist()


@st.composite
def damaged_workbook(draw: st.DrawFn) -> bytes:
    """The real workbook with bytes changed, cut short, or one of its parts replaced."""
    how = draw(st.sampled_from(["flip", "cut", "part"]))
    if how == "cut":
        return WORKBOOK[: draw(st.integers(0, len(WORKBOOK)))]
    if how == "flip":
        data = bytearray(WORKBOOK)
        for position in draw(st.lists(st.integers(0, len(data) - 1), min_size=1, max_size=20)):
            data[position] = draw(st.integers(0, 255))
        return bytes(data)
    victim = draw(st.sampled_from(PARTS))
    content = draw(st.one_of(st.binary(max_size=512), st.text(max_size=200).map(str.encode),
                             st.sampled_from([b"", b"<x/>", b"<?xml version='1.0'?><worksheet/>",
                                              b"<sheetData><row><c r='A1' t='s'><v>99</v></c></row></sheetData>"])))
    return with_part(victim, content)


def with_part(victim: str, content: bytes) -> bytes:
    """The real workbook with one part's content replaced."""
    source = zipfile.ZipFile(io.BytesIO(WORKBOOK))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for name in PARTS:
            target.writestr(name, content if name == victim else source.read(name))
    return out.getvalue()


CELL_TYPES = ["", "s", "n", "b", "d", "e", "str", "inlineStr"]


@st.composite
def fuzzed_sheet(draw: st.DrawFn, schemas: tuple[TableSchema, ...]) -> bytes:
    """The real workbook whose sheet holds a header and cells of every type, style and value: what openpyxl
    makes of a cell (a shared string out of range, a date that is no date, a huge number as a date...)."""
    rows = [f'<c r="{chr(65 + i)}1" t="inlineStr"><is><t>{escape(text)}</t></is></c>'
            for i, text in enumerate(draw(header(schemas, TEXT))[:20])]
    xml = [f'<row r="1">{"".join(rows)}</row>']
    for r in range(2, draw(st.integers(2, 6))):
        cells = []
        for i in range(draw(st.integers(0, 6))):
            kind = draw(st.sampled_from(CELL_TYPES))
            value = escape(draw(st.one_of(TEXT, st.integers().map(str), st.floats().map(str))))
            body = f"<is><t>{value}</t></is>" if kind == "inlineStr" else f"<v>{value}</v>"
            cells.append(f'<c r="{chr(65 + i)}{r}" s="{draw(st.integers(0, 2))}"'
                         f'{f" t={kind!r}" if kind else ""}>{body}</c>')
        xml.append(f'<row r="{r}">{"".join(cells)}</row>')
    sheet = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
             + "".join(xml) + "</sheetData></worksheet>")
    return with_part("xl/worksheets/sheet1.xml", sheet.encode("utf-8", errors="replace"))


@st.composite
def random_zip(draw: st.DrawFn) -> bytes:
    """A zip of parts named as a workbook's, of random content."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", draw(st.sampled_from([zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED]))) as target:
        for name in draw(st.lists(st.sampled_from(PARTS), unique=True, max_size=len(PARTS))):
            target.writestr(name, draw(st.binary(max_size=256)))
    return out.getvalue()


@FUZZ
@given(data=st.data(), schemas=st.sampled_from(SCHEMAS))
def test_xlsx_like_zips(data: st.DataObject, schemas: tuple[TableSchema, ...]) -> None:
    content = data.draw(st.one_of(damaged_workbook(), random_zip(), fuzzed_sheet(schemas)))
    with written(content, ".xlsx") as path:
        read_all(path, schemas, stream=False)
