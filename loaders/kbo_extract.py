"""The KBO/BCE open-data extract as streams of rows: a full extract, with monthly updates applied on the fly.

A full extract is a directory of CSV files named after their table (enterprise.csv, denomination.csv, ...;
docs/data-dictionary.md, "KBO/BCE"). A monthly update directory holds, per table, `<table>_delete.csv` (the
numbers whose rows of that table are all deleted) and `<table>_insert.csv` (their rows now, in the full
file's layout). Updates are applied while reading, in order, without writing anything: a row of the full
extract is read unless an update deletes its number; a row inserted by update i is read unless an update
after i deletes its number again. So a load is a pure function of the files, and a big table is never held:
each pass over it reads the files anew.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import LoadError, Problem
from loaders.common import Builder
from loaders.tabular import Column, Row, Table, TableSchema, read_tables
from ontology.identifiers import check_digits

Status = Callable[[str], None]

_LAYOUTS: dict[str, tuple[str, ...]] = {
    "enterprise": ("EnterpriseNumber", "Status", "JuridicalSituation", "TypeOfEnterprise", "JuridicalForm",
                   "JuridicalFormCAC", "StartDate"),
    "establishment": ("EstablishmentNumber", "StartDate", "EnterpriseNumber"),
    "branch": ("Id", "StartDate", "EnterpriseNumber"),
    "denomination": ("EntityNumber", "Language", "TypeOfDenomination", "Denomination"),
    "address": ("EntityNumber", "TypeOfAddress", "CountryNL", "CountryFR", "Zipcode", "MunicipalityNL",
                "MunicipalityFR", "StreetNL", "StreetFR", "HouseNumber", "Box", "ExtraAddressInfo",
                "DateStrikingOff"),
    "activity": ("EntityNumber", "ActivityGroup", "NaceVersion", "NaceCode", "Classification"),
    "contact": ("EntityNumber", "EntityContact", "ContactType", "Value"),
}
"""Each table of the extract and its columns, as the real files' headers spell them."""

REQUIRED_TABLES = ("enterprise", "denomination", "address", "activity")
"""Tables a full extract must have; the others (establishment, branch, contact, code, meta) may be absent."""


def _schema(name: str, columns: Sequence[str]) -> TableSchema:
    """A machine-written table: every column required, a row with fewer cells than the header was cut."""
    return TableSchema(f"KBO {name}", tuple(Column(c, required=True) for c in columns), frozenset(columns),
                       fixed_width=True)


SCHEMAS = {name: _schema(name, columns) for name, columns in _LAYOUTS.items()}
DELETE_SCHEMAS = {name: _schema(f"{name} deletions", columns[:1]) for name, columns in _LAYOUTS.items()}
CODE_SCHEMA = _schema("code", ("Category", "Code", "Language", "Description"))
META_SCHEMA = _schema("meta", ("Variable", "Value"))
MAX_PROBLEMS = 1000
"""A load stops reading once this many problems are listed: a wrong file would otherwise list millions."""
PROGRESS_EVERY = 200_000


class TooManyProblems(Exception):
    """Raised inside the reading when MAX_PROBLEMS is reached; the load is refused with what was found."""


def kbo_number(text: str) -> int:
    """A KBO number as the extract writes it -> its ten digits as an int; ValueError unless its check holds.

    Enterprise numbers ('0200.065.765', first digit 0 or 1), establishment unit numbers ('2.000.000.339',
    2 to 8) and branch ids ('9.000.006.626') all end with two digits equal to 97 - (first eight mod 97).
    Faster than ontology.identifiers.parse_enterprise_number, which accepts every spelling people type: this
    runs for every row of files with tens of millions of rows.
    """
    digits = text.replace(".", "")
    if len(digits) != 10 or not (digits.isascii() and digits.isdigit()):
        raise ValueError(f"'{text}' is not a KBO number (expected e.g. 0200.065.765 or 2.000.000.339)")
    n = int(digits)
    expected = check_digits(n // 100)
    if n % 100 != expected:
        raise ValueError(f"'{text}' fails the KBO/BCE check digits (expected {expected:02d})")
    return n


def is_enterprise(n: int) -> bool:
    """Enterprise numbers start with 0 or 1; establishment units with 2 to 8; branches with 9."""
    return n < 2_000_000_000


def digits(n: int) -> str:
    """200065765 -> '0200065765', the form of IRIs."""
    return f"{n:010d}"


class NumberSet:
    """A set of KBO numbers as one bit per possible number (its eight-digit base: the last two digits are a
    check): 12.5 MB however many it holds, and a membership test about as fast as a set's. This is what keeps
    a load of the whole register (1.9 M enterprises, 2 M establishment units) in bounded memory."""

    def __init__(self) -> None:
        self._bits = bytearray(100_000_000 // 8)
        self.count = 0

    def add(self, n: int) -> None:
        base = n // 100
        byte, bit = base >> 3, 1 << (base & 7)
        if not self._bits[byte] & bit:
            self._bits[byte] |= bit
            self.count += 1

    def __contains__(self, n: int) -> bool:
        base = n // 100
        return bool(self._bits[base >> 3] & (1 << (base & 7)))


@dataclass
class Extract:
    """A full extract and the updates to apply, opened (every header checked) but not read."""

    root: Path
    updates: Sequence[Path]
    builder: Builder
    status: Status | None = None
    files: list[Path] = field(default_factory=list)  # every file a load reads, for its provenance
    _tables: dict[Path, Table] = field(default_factory=dict)
    _deleted: dict[str, list[set[int]]] = field(default_factory=dict)

    @classmethod
    def open(cls, root: Path, updates: Sequence[Path], builder: Builder, status: Status | None = None) -> Extract:
        """Check that the files are there and their headers right, all at once (LoadError: every problem)."""
        x = cls(root, updates, builder, status)
        problems: list[Problem] = []
        missing = [t for t in REQUIRED_TABLES if not (root / f"{t}.csv").is_file()]
        if missing and any(root.glob("*_insert.csv")):
            problems.append(Problem(str(root), "-", "-", "this is a monthly update: load a full extract, and give "
                                    "updates with --update"))
        elif missing:
            problems += [Problem(str(root), "-", "-", f"{t}.csv is missing: is this an unzipped KBO/BCE "
                                 "open-data full extract?") for t in missing]
        wanted = [(root / f"{t}.csv", SCHEMAS[t]) for t in _LAYOUTS]
        wanted += [(root / f"{t}.csv", s) for t, s in (("code", CODE_SCHEMA), ("meta", META_SCHEMA))]
        for update in updates:
            if not any(update.glob("*_insert.csv")) and not any(update.glob("*_delete.csv")):
                problems.append(Problem(str(update), "-", "-", "no <table>_insert.csv or <table>_delete.csv "
                                        "here: is this an unzipped KBO/BCE update?"))
            wanted += [(update / f"{t}_insert.csv", SCHEMAS[t]) for t in _LAYOUTS]
            wanted += [(update / f"{t}_delete.csv", DELETE_SCHEMAS[t]) for t in _LAYOUTS]
            wanted += [(update / f"{t}.csv", s) for t, s in (("code", CODE_SCHEMA), ("meta", META_SCHEMA))]
        for path, schema in wanted:
            if not path.is_file():
                continue
            try:
                [x._tables[path]] = read_tables(path, [schema], stream=True)
            except LoadError as exc:
                problems += exc.problems
            x.files.append(path)
        if problems:
            raise LoadError(problems)
        x._check_sequence()
        return x

    # -- reading ----------------------------------------------------------------------------------
    def rows(self, table: str, *, report: bool = True) -> Iterator[tuple[int, Row]]:
        """Each current row of `table` with its number (first column), updates applied.

        `report=False` for a first pass: its problems will be met again, and reported, by the second."""
        deleted = self._deletions(table)
        later: list[set[int]] = [set().union(*deleted[i + 1:]) for i in range(len(deleted))]
        sources = [(self.root / f"{table}.csv", set().union(*deleted))]
        sources += [(u / f"{table}_insert.csv", later[i]) for i, u in enumerate(self.updates)]
        for path, gone in sources:
            if path in self._tables:
                yield from self._read(self._tables[path], gone, report)

    def codes(self) -> dict[tuple[str, str], dict[str, str]]:
        """(category, code) -> {language: description} from the newest code.csv (an update's, if any)."""
        paths = [u / "code.csv" for u in reversed(self.updates)] + [self.root / "code.csv"]
        table = next((self._tables[p] for p in paths if p in self._tables), None)
        out: dict[tuple[str, str], dict[str, str]] = {}
        for row in table.rows if table else ():
            category, code, language = row.text("Category"), row.text("Code"), row.text("Language")
            if category and code and language:
                out.setdefault((category, code), {})[language.lower()] = row.text("Description")
        return out

    def number(self, row: Row, column: str) -> int | None:
        """A number cell of a row (not its first column), or None and a problem."""
        try:
            return kbo_number(row.text(column))
        except ValueError as exc:
            self.problem(row, column, str(exc))
            return None

    def problem(self, row: Row, column: str, reason: str) -> None:
        self.builder.problems.append(row.problem(column, reason))
        if len(self.builder.problems) >= MAX_PROBLEMS:
            raise TooManyProblems

    def _read(self, table: Table, gone: set[int], report: bool) -> Iterator[tuple[int, Row]]:
        key = table.schema.columns[0].name
        name = Path(table.file).name
        if self.status:
            self.status(f"{name}: reading")
        read, problems = 0, self.builder.problems
        for row in table.rows:
            read += 1
            if self.status and read % PROGRESS_EVERY == 0:
                self.status(f"{name}: {read:,} rows")
            if len(problems) + len(table.problems) >= MAX_PROBLEMS:  # the cells of the last row too
                break
            try:
                n = kbo_number(row.values[key])  # type: ignore[arg-type]  # a CSV cell: str
            except ValueError as exc:
                if report:
                    self.problem(row, key, str(exc))
                continue
            if n not in gone:
                yield n, row
        if report:
            problems += table.problems
            if len(problems) >= MAX_PROBLEMS:
                raise TooManyProblems

    def _deletions(self, table: str) -> list[set[int]]:
        """Per update, the numbers whose rows of `table` it deletes (a few thousand a month: held)."""
        if table not in self._deleted:
            found = []
            for update in self.updates:
                numbers: set[int] = set()
                path = update / f"{table}_delete.csv"
                if path in self._tables:
                    numbers.update(n for n, _ in self._read(self._tables[path], set(), True))
                found.append(numbers)
            self._deleted[table] = found
        return self._deleted[table]

    def _meta(self, folder: Path) -> dict[str, str]:
        table = self._tables.get(folder / "meta.csv")
        return {row.text("Variable"): row.text("Value") for row in table.rows} if table else {}

    def _check_sequence(self) -> None:
        """Updates apply to the extract they follow, in order: a month left out would lose its changes."""
        problems = []
        previous = self._meta(self.root)
        if previous.get("ExtractType", "full").lower() != "full":
            problems.append(Problem(str(self.root / "meta.csv"), "-", "ExtractType",
                                    f"this is an '{previous['ExtractType']}' extract: load a full extract, and "
                                    "give updates with --update"))
        for update in self.updates:
            meta = self._meta(update)
            before, number = previous.get("ExtractNumber", ""), meta.get("ExtractNumber", "")
            if before.isdigit() and number.isdigit() and int(number) != int(before) + 1:
                problems.append(Problem(str(update / "meta.csv"), "-", "ExtractNumber",
                                        f"update {number} does not follow extract {before}: give every "
                                        "monthly update, oldest first"))
            previous = meta or previous
        if problems:
            raise LoadError(problems)
