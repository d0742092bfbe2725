"""Reading real-world spreadsheets (CSV in the usual encodings and delimiters, or XLSX) into tables.

Headers are mapped to canonical column names through aliases, so a loader deals with one name per column
whatever language or spelling the file uses, while row numbers and header texts are kept as the person who
wrote the file sees them, for messages. Anything unreadable is refused with a LoadError, never half-read.
"""

from __future__ import annotations

import codecs
import csv
import gc
import io
import re
import warnings
import zipfile
import zlib
from collections.abc import Generator, Iterable, Iterator, Mapping, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from types import MappingProxyType
from typing import IO, Any, NoReturn

from openpyxl import load_workbook
from openpyxl.cell.cell import ERROR_CODES
from openpyxl.utils.exceptions import InvalidFileException

from graph.errors import LoadError, Problem
from loaders.fields import cell_text
from ontology.text import fold

# Guards against files that would exhaust memory or time rather than hold a table of an ecosystem.
MAX_COLUMNS = 1000
MAX_CELL_CHARS = 1024 * 1024
MAX_ROW_PROBLEMS = 1000  # rows of the wrong shape listed before the reading stops: a wrong file would list millions
MAX_UNZIPPED_BYTES = 200 * 1024 * 1024

_SNIFF_BYTES = 8192
_CSV_SUFFIXES = frozenset({".csv", ".txt", ".tsv"})
_EXCEL_SUFFIXES = frozenset({".xlsx", ".xlsm"})
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, .doc: the pre-2007 Office formats
_DELIMITERS = (";", ",", "\t")  # in this order of preference on a tie: ';' is what French Excel writes
_HEADER_PUNCTUATION = str.maketrans(dict.fromkeys("°'’‘-_./()", " "))
# Bytes that text files do not contain; deleting every other byte counts them in one C call.
_CONTROL_BYTES = bytes(b for b in range(32) if b not in b"\t\n\r\f") + b"\x7f"
_TEXT_BYTES = bytes(b for b in range(256) if b not in _CONTROL_BYTES)
_UTF8_LETTER = re.compile(rb"\xc3[\x80-\xbf]")  # é, à, ç... as UTF-8 writes them; 'Ã' + a symbol in Windows-1252
_FIRST_CONTENT = re.compile(r"[^\s;,\"]")  # a header line has more than blanks, quotes and delimiters
_HEADER_RECORD = re.compile(r'(?:[^"\r\n]|"[^"]*")*')  # one record, newlines inside quotes included
_QUOTED = re.compile(r'"[^"]*"')
# Errors openpyxl and zipfile raise on damaged or foreign content (SyntaxError covers XML parse errors).
_ZIP_METHODS = frozenset({zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA})
_CORRUPT_XLSX = (
    zipfile.BadZipFile,
    zlib.error,
    InvalidFileException,
    KeyError,
    ValueError,
    IndexError,
    TypeError,
    SyntaxError,
    EOFError,
)


def _cp1252_table() -> dict[int, str]:
    """Windows-1252 differs from latin-1 only in 0x80-0x9F; its five undefined bytes stay latin-1."""
    table = {}
    for byte in range(0x80, 0xA0):
        try:
            table[byte] = bytes([byte]).decode("cp1252")
        except UnicodeDecodeError:
            continue
    return table


_CP1252 = _cp1252_table()


@dataclass(frozen=True)
class Column:
    """A column a loader knows, with the header spellings people use for it."""

    name: str
    aliases: tuple[str, ...] = ()
    required: bool = False


@dataclass(frozen=True)
class TableSchema:
    """A kind of table, recognised from its header alone (one file may hold several kinds, one per sheet)."""

    name: str
    columns: tuple[Column, ...]
    signature: frozenset[str]
    excludes: frozenset[str] = frozenset()
    fixed_width: bool = False  # a machine-written export: a row with fewer cells than the header was cut


@dataclass(frozen=True, slots=True)
class Row:
    """One data row, keyed by canonical column, that still knows where it came from."""

    file: str
    row: str
    values: Mapping[str, object]
    headers: Mapping[str, str]

    def problem(self, column: str, reason: str) -> Problem:
        """A problem with one cell of this row, located as the file's author would find it."""
        return Problem(self.file, self.row, self.headers.get(column, column), reason)

    def text(self, column: str) -> str:
        """The cell as trimmed text ('' when absent), whatever type Excel gave it."""
        return cell_text(self.values.get(column, ""))


@dataclass(frozen=True)
class Table:
    """The rows of one recognised table of a file (a CSV, or one sheet of a workbook)."""

    schema: TableSchema
    file: str
    sheet: str | None
    headers: Mapping[str, str]
    ignored: tuple[str, ...]
    rows: Sequence[Row] | RowStream

    @property
    def problems(self) -> Sequence[Problem]:
        """Structural problems of rows found while streaming them (an eager table is refused when read)."""
        return self.rows.problems if isinstance(self.rows, RowStream) else ()


@dataclass(frozen=True)
class _Layout:
    """A header recognised as a schema: where each canonical column is in the row."""

    schema: TableSchema
    headers: Mapping[str, str]
    ignored: tuple[str, ...]
    positions: tuple[tuple[str, int], ...]
    width: int
    cells: tuple[str, ...]  # every header cell, as written


def normalise_header(text: str) -> str:
    """lower-case, accents stripped (NFKD), ° ' ’ - _ . / ( ) replaced by space, spaces collapsed, trimmed."""
    return " ".join(fold(text).translate(_HEADER_PUNCTUATION).lower().split())


def read_tables(path: Path, schemas: Sequence[TableSchema], *, stream: bool = False) -> list[Table]:
    """Read a CSV or XLSX file; return one Table per recognised table (CSV: at most one; XLSX: one per sheet
    whose header row is recognised; sheets that match nothing are skipped, but if NO sheet/CSV matches,
    raise LoadError). A header is recognised by schema.signature / excludes after alias mapping (canonical
    names match themselves too). Missing REQUIRED columns of the recognised schema -> one Problem per missing
    column (row = header row, column = canonical name, reason "missing required column (accepted headers:
    ...)"), all collected and raised together as LoadError. Duplicate header mapping to the same column ->
    Problem.

    `stream`: a CSV's rows are read from disk while they are iterated (a `RowStream`), for exports too big to
    hold; its header is still checked here. Workbooks are always read whole."""
    file = str(path)
    suffix = path.suffix.lower()
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_OLE_MAGIC))
            if head == _OLE_MAGIC:
                _fail(file, "this is an old binary Office file (.xls) or a password-protected workbook; save it as "
                      ".xlsx without a password, or as CSV")
            if suffix in _EXCEL_SUFFIXES or (suffix not in _CSV_SUFFIXES and head.startswith(_ZIP_MAGIC)):
                handle.seek(0)
                return _read_xlsx(handle, file, schemas)
            if head.startswith(_ZIP_MAGIC):
                _fail(file, "this is a zip archive (an Excel workbook?), not CSV text; name it .xlsx")
            if stream:
                return [_stream_csv(handle, path, schemas)]
            data = head + handle.read()
    except OSError as exc:
        _fail(file, f"cannot read the file: {exc.strerror or exc}")
    with _gc_paused():
        return [_read_csv(data, file, schemas)]


def header_only(tables: Sequence[Table]) -> list[Problem]:
    """A problem per file when no table of a load holds a data row: a load replaces its whole source, which a
    file of headers alone would empty. A stream is read up to its first row."""
    if any(_has_rows(table) for table in tables):
        return []
    reason = "a header but no data rows: nothing to load (loading it would empty the source)"
    return [Problem(file, "-", "-", reason) for file in dict.fromkeys(table.file for table in tables)]


def _has_rows(table: Table) -> bool:
    if isinstance(table.rows, RowStream):
        with closing(iter(table.rows)) as rows:
            return next(rows, None) is not None
    return bool(table.rows)


@contextmanager
def _gc_paused() -> Iterator[None]:
    """A big CSV makes millions of acyclic objects that the cyclic collector would rescan for nothing."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _fail(file: str, reason: str, row: str = "-") -> NoReturn:
    raise LoadError([Problem(file, row, "-", reason)])


# --- recognising a header ---------------------------------------------------------------------------


def _header_width(cells: Sequence[str]) -> int:
    """The number of header cells up to the last non-empty one: trailing delimiters are not columns."""
    for index in range(len(cells) - 1, -1, -1):
        if cells[index]:
            return index + 1
    return 0


def _alias_index(schema: TableSchema) -> dict[str, str]:
    """Normalised header text -> canonical name; the first column listed wins an alias both claim."""
    index: dict[str, str] = {}
    for column in schema.columns:
        for spelling in (column.name, *column.aliases):
            index.setdefault(normalise_header(spelling), column.name)
    for name in schema.signature | schema.excludes:
        index.setdefault(normalise_header(name), name)
    return index


@dataclass(frozen=True)
class _Match:
    """How one schema reads a header."""

    schema: TableSchema
    found: dict[str, int]  # canonical name -> position of its (first) header cell
    duplicates: list[Problem]
    ignored: list[str]

    def excluded(self) -> bool:
        return bool(self.schema.excludes & self.found.keys())

    def fits(self) -> bool:
        return self.schema.signature <= self.found.keys() and not self.excluded()


def _match(schema: TableSchema, cells: Sequence[str], file: str, row: str) -> _Match:
    index = _alias_index(schema)
    found: dict[str, int] = {}
    duplicates: list[Problem] = []
    ignored: list[str] = []
    for position, text in enumerate(cells):
        canonical = index.get(normalise_header(text)) if text else None
        if canonical is None:
            if text:
                ignored.append(text)
        elif canonical in found:
            reason = f"duplicate column: '{cells[found[canonical]]}' and '{text}' both mean {canonical}"
            duplicates.append(Problem(file, row, text, reason))
        else:
            found[canonical] = position
    return _Match(schema, found, duplicates, ignored)


def _recognise(
    cells: Sequence[str], schemas: Sequence[TableSchema], file: str, row: str
) -> tuple[_Layout | None, list[Problem]]:
    """The schema this header belongs to (the most specific signature that fits) and its header problems.

    When no schema fits, returns None and what is wrong: the missing columns of the schema the header comes
    closest to (a members file without its name column should say so), else that nothing was recognised.
    """
    width = _header_width(cells)
    if width > MAX_COLUMNS:
        reason = f"the header has more than {MAX_COLUMNS} columns; refused (is this really a table?)"
        raise LoadError([Problem(file, row, "-", reason)])
    cells = cells[:width]
    matches = [_match(schema, cells, file, row) for schema in schemas]
    fitting = [match for match in matches if match.fits()]
    if not fitting:
        near = [m for m in matches if m.schema.signature & m.found.keys() and not m.excluded()]
        if not near:
            return None, [_unrecognised(cells, schemas, file, row)]
        closest = max(near, key=lambda m: (len(m.schema.signature & m.found.keys()), len(m.found)))
        return None, closest.duplicates + _missing(closest, file, row)
    chosen = max(fitting, key=lambda match: (len(match.schema.signature), len(match.found)))
    columns = {column.name for column in chosen.schema.columns}
    positions = tuple((name, position) for name, position in chosen.found.items() if name in columns)
    headers = MappingProxyType({name: cells[position] for name, position in positions})
    layout = _Layout(chosen.schema, headers, tuple(chosen.ignored), positions, width, tuple(cells))
    return layout, chosen.duplicates + _missing(chosen, file, row)


def _missing(match: _Match, file: str, row: str) -> list[Problem]:
    """One problem per absent required column, and per absent signature column (which a fit has none of)."""
    problems = []
    for column in match.schema.columns:
        if column.name in match.found:
            continue
        accepted = ", ".join((column.name, *column.aliases))
        if column.required:
            reason = f"missing required column (accepted headers: {accepted})"
        elif column.name in match.schema.signature:
            reason = f"missing column, needed for a {match.schema.name} table (accepted headers: {accepted})"
        else:
            continue
        problems.append(Problem(file, row, column.name, reason))
    return problems


def _unrecognised(cells: Sequence[str], schemas: Sequence[TableSchema], file: str, row: str) -> Problem:
    expected = "; ".join(
        f"{schema.name} (needs {', '.join(sorted(schema.signature))}"
        + (f", without {', '.join(sorted(schema.excludes))})" if schema.excludes else ")")
        for schema in schemas
    )
    found = ", ".join(text for text in cells if text)
    return Problem(file, row, "-", f"header not recognised as any of: {expected}; found: {found}")


# --- CSV ----------------------------------------------------------------------------------------------


def _encoding(chunks: Iterable[bytes], file: str) -> str:
    """UTF-8 (with or without BOM), else Windows-1252: what Excel and LibreOffice write in Belgium. Refused: a
    NUL byte past the sniffed start (binary content), and both encodings in one file (rows pasted from another
    export), which either reading would garble."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line, not_utf8, utf8_letter = 1, 0, 0  # the first line that is not UTF-8; one with a UTF-8 letter
    for chunk in chunks:
        if (nul := chunk.find(b"\x00")) >= 0:
            at = str(line + chunk.count(b"\n", 0, nul))
            _fail(file, "a NUL byte: binary content, not text (a damaged file?)", at)
        if not not_utf8:
            pending = len(decoder.getstate()[0])
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                not_utf8 = line + chunk.count(b"\n", 0, max(exc.start - pending, 0))
        if not utf8_letter and (letter := _UTF8_LETTER.search(chunk)):
            utf8_letter = line + chunk.count(b"\n", 0, letter.start())
        line += chunk.count(b"\n")
    if not not_utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            not_utf8 = line
    if not_utf8 and utf8_letter:
        _fail(file, f"this line is not UTF-8, but line {utf8_letter} is: the file mixes two encodings (rows pasted "
              "from another file?); save it again as 'CSV UTF-8'", str(not_utf8))
    return "cp1252" if not_utf8 else "utf-8"


def _decode(data: bytes, encoding: str) -> str:
    data = data.removeprefix(codecs.BOM_UTF8)
    return data.decode("utf-8") if encoding == "utf-8" else data.decode("latin-1").translate(_CP1252)


def _check_text(data: bytes, file: str) -> None:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        _fail(file, "the file is UTF-16 text; save it as 'CSV UTF-8' or 'CSV (separator: semicolon)'")
    sample = data[:_SNIFF_BYTES]
    controls = len(sample.translate(None, _TEXT_BYTES))
    if b"\x00" in sample or controls > len(sample) // 20:
        _fail(file, "this is not a text file (binary content); expected CSV text or an .xlsx workbook")


def _detect_delimiter(text: str, start: int) -> str:
    """The most frequent of ; , tab in the header record, quoted parts left out; tab if none occurs."""
    match = _HEADER_RECORD.match(text, start, start + MAX_CELL_CHARS)
    header = _QUOTED.sub("", match[0]) if match else ""
    counts = [header.count(delimiter) for delimiter in _DELIMITERS]
    if max(counts) == 0:  # a single column: no delimiter is what the file says, and tab never splits text
        return "\t"
    return _DELIMITERS[counts.index(max(counts))]


def _delimiter_of(text: str, file: str) -> str:
    """The delimiter of the header record: the first line with content."""
    content = _FIRST_CONTENT.search(text)
    if content is None:
        _fail(file, "the file is empty")
    line_start = max(text.rfind("\n", 0, content.start()), text.rfind("\r", 0, content.start())) + 1
    return _detect_delimiter(text, line_start)


def _read_csv(data: bytes, file: str, schemas: Sequence[TableSchema]) -> Table:
    _check_text(data, file)
    text = _decode(data, _encoding([data], file))
    problems: list[Problem] = []
    # newline="": lines end at \r\n, \n or \r, and csv itself handles line breaks inside quoted cells.
    layout, parsed = _parse(io.StringIO(text, newline=""), file, schemas, _delimiter_of(text, file), problems)
    rows = list(parsed)
    if problems:
        raise LoadError(problems)
    return Table(layout.schema, file, None, layout.headers, layout.ignored, rows)


def _parse(
    lines: Iterable[str], file: str, schemas: Sequence[TableSchema], delimiter: str, problems: list[Problem]
) -> tuple[_Layout, Iterator[Row]]:
    """The header's layout (LoadError if the header is wrong), and the data rows as they are read.

    A row's structural problem (more cells than the header; fewer, in a fixed-width table) is noted in
    `problems` and the row skipped; a CSV syntax error ends the reading with one more problem."""
    csv.field_size_limit(MAX_CELL_CHARS)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    end = 0  # the physical line where the last record read ends; the next one starts on the line after
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if "".join(record).strip():
                layout, header_problems = _recognise([cell.strip() for cell in record], schemas, file, str(start))
                if layout is None or header_problems:
                    raise LoadError(header_problems)
                return layout, _data_rows(reader, layout, file, end, problems)
    except csv.Error as exc:
        raise LoadError([_csv_problem(exc, file, end + 1, reader.line_num)]) from None
    _fail(file, "the file is empty")


def _data_rows(reader: Any, layout: _Layout, file: str, end: int, problems: list[Problem]) -> Iterator[Row]:
    positions, width, headers, fixed = layout.positions, layout.width, layout.headers, layout.schema.fixed_width
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if len(problems) >= MAX_ROW_PROBLEMS:
                problems.append(Problem(file, str(start), "-", f"stopped reading after {len(problems)} problems"))
                return
            if not "".join(record).strip():
                continue
            if len(record) > width and any(cell.strip() for cell in record[width:]):
                filled = _header_width([cell.strip() for cell in record])
                problems.append(Problem(file, str(start), "-", f"row has {filled} cells, header has {width}"))
                continue
            if len(record) < width:
                if fixed:
                    reason = f"row has {len(record)} cells, header has {width}: cut short (a line break?)"
                    problems.append(Problem(file, str(start), layout.cells[len(record)], reason))
                    continue
                record.extend([""] * (width - len(record)))
            values = {name: record[position].strip() for name, position in positions}
            yield Row(file, str(start), values, headers)
    except csv.Error as exc:
        problems.append(_csv_problem(exc, file, end + 1, reader.line_num))


class RowStream:
    """The rows of a big CSV file, read from disk while they are used, never all held at once.

    Iterable again: each pass reads the file anew (a filter's first pass, then the conversion). The
    structural problems of rows that the last pass met are in `problems`, for the loader to report."""

    def __init__(self, path: Path, encoding: str, delimiter: str, schemas: Sequence[TableSchema]) -> None:
        self._path, self._encoding, self._delimiter, self._schemas = path, encoding, delimiter, schemas
        self.problems: list[Problem] = []

    def __iter__(self) -> Generator[Row, None, None]:
        problems: list[Problem] = []
        self.problems = problems
        with _text_lines(self._path, self._encoding) as lines:
            _, rows = _parse(lines, str(self._path), self._schemas, self._delimiter, problems)
            yield from rows


@contextmanager
def _text_lines(path: Path, encoding: str) -> Iterator[Iterable[str]]:
    """The file's lines as text, decoded as _decode does (Windows-1252: latin-1 for its undefined bytes)."""
    with path.open(encoding="utf-8-sig" if encoding == "utf-8" else "latin-1", newline="") as handle:
        yield handle if encoding == "utf-8" else (line.translate(_CP1252) for line in handle)


def _stream_csv(handle: IO[bytes], path: Path, schemas: Sequence[TableSchema]) -> Table:
    """A CSV table whose rows are read when iterated; its encoding, delimiter and header checked now."""
    file = str(path)
    handle.seek(0)
    head = handle.read(2 * MAX_CELL_CHARS)
    _check_text(head, file)
    # the whole file is checked, as an eager read does, so that one encoding reads every row
    encoding = _encoding(chain([head], iter(lambda: handle.read(1 << 20), b"")), file)
    text = head.removeprefix(codecs.BOM_UTF8).decode("utf-8" if encoding == "utf-8" else "latin-1", "ignore")
    delimiter = _delimiter_of(text.translate(_CP1252) if encoding == "cp1252" else text, file)
    with _text_lines(path, encoding) as lines:
        layout, _ = _parse(lines, file, schemas, delimiter, [])
    return Table(layout.schema, file, None, layout.headers, layout.ignored,
                 RowStream(path, encoding, delimiter, schemas))


def _csv_problem(exc: csv.Error, file: str, record_start: int, line: int) -> Problem:
    message = str(exc)
    if "field larger than field limit" in message:
        reason = "a cell is larger than 1 MB (a quote opened here and never closed?); refused"
        return Problem(file, str(record_start), "-", reason)
    if "unexpected end of data" in message:
        return Problem(file, str(record_start), "-", "a quote opened in this row is never closed")
    reason = f"malformed CSV ({message}): quote the whole cell or remove the quotes"
    return Problem(file, str(line), "-", reason)


# --- XLSX ---------------------------------------------------------------------------------------------


def _read_xlsx(handle: IO[bytes], file: str, schemas: Sequence[TableSchema]) -> list[Table]:
    try:
        with zipfile.ZipFile(handle) as archive:
            entries = archive.infolist()
    except zipfile.BadZipFile:
        handle.seek(0)
        start = handle.read(512).lstrip(codecs.BOM_UTF8 + b" \t\r\n")
        if start.startswith(b"<"):
            _fail(file, "this is a web page (HTML/XML) named .xlsx, not an Excel workbook; save it as .xlsx")
        _fail(file, "this is not a valid .xlsx workbook (not a zip archive: damaged, or renamed)")
    if any(entry.flag_bits & 0x1 for entry in entries):
        _fail(file, "the workbook is encrypted (password-protected); save it without a password")
    if any(entry.compress_type not in _ZIP_METHODS for entry in entries):
        _fail(file, "this is not a valid .xlsx workbook (compressed by a method Excel does not use)")
    unzipped = sum(entry.file_size for entry in entries)
    if unzipped > MAX_UNZIPPED_BYTES:
        limit = MAX_UNZIPPED_BYTES // 2**20
        _fail(file, f"the workbook unpacks to {unzipped // 2**20} MB; more than {limit} MB is refused")
    handle.seek(0)
    try:
        with warnings.catch_warnings():  # openpyxl warns about Excel features it drops; none hold data
            warnings.simplefilter("ignore")
            workbook = load_workbook(handle, read_only=True, data_only=True)
    except _CORRUPT_XLSX as exc:
        _fail(file, f"this is not a valid .xlsx workbook ({type(exc).__name__}: {exc})")
    try:
        with warnings.catch_warnings():  # e.g. a date cell out of range: read as an error value, reported
            warnings.simplefilter("ignore")
            return _read_sheets(workbook, file, schemas)
    except _CORRUPT_XLSX as exc:
        _fail(file, f"the workbook is damaged ({type(exc).__name__}: {exc})")
    finally:
        workbook.close()


def _read_sheets(workbook: Any, file: str, schemas: Sequence[TableSchema]) -> list[Table]:
    tables: list[Table] = []
    unrecognised: list[Problem] = []
    problems: list[Problem] = []
    for sheet in workbook.worksheets:
        sheet.reset_dimensions()  # the stored dimensions may be wrong; read what the sheet holds
        found = _sheet_header(sheet)
        if found is None:
            continue
        header_row, cells = found
        layout, header_problems = _recognise(cells, schemas, file, f"{sheet.title}!{header_row}")
        if layout is None:
            unrecognised.extend(header_problems)
        elif header_problems:
            problems.extend(header_problems)
        else:
            rows = list(_sheet_rows(sheet, header_row, layout, file, problems))
            tables.append(Table(layout.schema, file, sheet.title, layout.headers, layout.ignored, rows))
    if problems:
        raise LoadError(problems)
    if not tables:
        raise LoadError(unrecognised or [Problem(file, "-", "-", "the workbook has no data")])
    return tables


def _sheet_header(sheet: Any) -> tuple[int, list[str]] | None:
    """The first non-empty row (Excel's number, its cells as text); one column more than allowed is read."""
    rows = sheet.iter_rows(max_col=MAX_COLUMNS + 1, values_only=True)
    try:
        for number, values in enumerate(rows, start=1):
            cells = [cell_text(value) for value in values]
            if any(cells):
                return number, cells
        return None
    finally:
        rows.close()


def _sheet_rows(sheet: Any, header_row: int, layout: _Layout, file: str, problems: list[Problem]) -> Iterator[Row]:
    """The data rows; a cell holding an Excel error (#N/A, #REF!...) is a problem, its row skipped."""
    positions, headers = layout.positions, layout.headers
    rows = sheet.iter_rows(min_row=header_row + 1, max_col=layout.width, values_only=True)
    for number, values in enumerate(rows, start=header_row + 1):
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue
        cells = {name: _cell_value(values[position]) for name, position in positions}
        errors = [(name, value) for name, value in cells.items() if isinstance(value, str)
                  and (value in ERROR_CODES or len(value) > MAX_CELL_CHARS)]
        for name, value in errors:
            if len(value) > MAX_CELL_CHARS:  # Excel itself keeps at most 32,767 characters
                reason = f"a cell is larger than 1 MB ({len(value):,} characters); refused"
                raise LoadError([Problem(file, f"{sheet.title}!{number}", headers[name], reason)])
            reason = f"'{value}' is an Excel error (a formula that failed): correct it, or type the value"
            problems.append(Problem(file, f"{sheet.title}!{number}", headers[name], reason))
        if not errors:
            yield Row(file, f"{sheet.title}!{number}", cells, headers)


def _cell_value(value: object) -> object:
    """Excel's value as the loaders expect it: '' for an empty cell, text trimmed, numbers and dates kept."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    return value
