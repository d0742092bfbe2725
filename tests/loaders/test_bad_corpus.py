"""The bad-input corpus (tests/data/bad/MANIFEST.csv), each file loaded as a user would: `ecokg load KIND FILE`
into a store that already holds the analytics members. Every file is refused with exit 1, each problem the
manifest expects printed as `file:row:column: reason` (and no other), and the store's dump the same before and
after. The formula files load, and their text comes out as text (test_formulas_load_as_text...).

The expectations were worked out by hand from each file (the manifest's `what_is_wrong` says how); the files
too big to commit are written by tests/data/bad/make_big.py into the test's folder.
"""

from __future__ import annotations

import csv
import importlib.util
import io
import json
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

import pytest
from openpyxl import load_workbook

from api.cli import app
from api.formats import xlsx_bytes
from graph.store import EmbeddedStore
from queries.registry import Result

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "api"))  # the CLI tests' helpers
from cli_support import cli_on, run

DATA = Path(__file__).resolve().parents[1] / "data"
BAD = DATA / "bad"
MEMBERS = DATA / "analytics" / "members.csv"
ECOKG = Path(sys.executable).parent / "ecokg"  # the installed command


def _make_big() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_big", BAD / "make_big.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


MAKE_BIG = _make_big()


@dataclass(frozen=True)
class Expected:
    row: str
    column: str
    reason: str
    in_file: str  # the file the message names, when not the one loaded (a KBO extract's table)


@dataclass
class Case:
    file: str
    kind: str
    options: list[str]
    exit: int
    expected: list[Expected] = field(default_factory=list)

    def __str__(self) -> str:
        return self.file


def manifest() -> list[Case]:
    """The manifest's lines grouped by file, in order: one Expected per problem the file must give."""
    cases: dict[str, Case] = {}
    with (BAD / "MANIFEST.csv").open(encoding="utf-8", newline="") as f:
        for line in csv.DictReader(f):
            case = cases.setdefault(line["file"], Case(line["file"], line["kind"], line["options"].split(),
                                                       int(line["exit"])))
            if line["reason"]:
                case.expected.append(Expected(line["row"], line["column"], line["reason"], line["in_file"]))
    return list(cases.values())


CASES = manifest()
REFUSED = [case for case in CASES if case.exit == 1]


@pytest.fixture(scope="module")
def big(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("big")
    MAKE_BIG.make(folder)
    return folder


def path_of(case_file: str, big: Path) -> Path:
    """A corpus file: committed, or written by make_big.py."""
    return big / case_file if case_file in MAKE_BIG.FILES else BAD / case_file


class Store:
    """The store the cases share, and its dump as last seen: nothing but the cases' loads touches it, so one
    case's dump after is the next one's before (one dump a case: a dump is most of a case's time)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.seen: list[bytes] | None = None

    def dump(self) -> list[bytes]:
        """Every quad as N-Quads, lines sorted (their order is the store's, not a promise)."""
        store = EmbeddedStore(self.folder)
        out = io.BytesIO()
        try:
            store.dump(out)
        finally:
            store.close()
        self.seen = sorted(out.getvalue().splitlines())
        return self.seen

    def before(self) -> list[bytes]:
        return self.seen if self.seen is not None else self.dump()


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Store:
    """A store holding the analytics members."""
    folder = tmp_path_factory.mktemp("corpus") / "store"
    with cli_on(folder) as runner:
        assert "source 'members' v1" in run(runner, "load", "members", str(MEMBERS))
    return Store(folder)


def check_refusal(case: Case, path: Path, exit_code: int, output: str) -> None:
    """Exit 1; every problem the manifest expects, as file:row:column: reason, and no other."""
    assert exit_code == 1, output
    assert "Traceback" not in output
    for e in case.expected:
        if not e.row:  # refused before any file is read: an error message, no location
            assert f"error: {e.reason}" in output, output
            continue
        prefix = f"{BAD / e.in_file if e.in_file else path}:{e.row}:{e.column}: "
        assert any(line.startswith(prefix) and e.reason in line for line in output.splitlines()), (prefix, output)
    if case.expected[0].row:
        assert f"refused: {len(case.expected)} problem(s); nothing was written." in output, output


def test_the_corpus_is_at_least_40_files_across_every_loader_and_each_is_in_the_manifest(big: Path) -> None:
    kinds = {case.kind for case in CASES}
    assert kinds == {"members", "poles", "labs", "curation", "cordis", "kbo", "taxonomy"}
    assert len(CASES) >= 40
    committed = {case.file.rstrip("/") for case in CASES} - set(MAKE_BIG.FILES) - {"kbo/check-digits/enterprise.csv"}
    on_disk = {str(p.relative_to(BAD)) for p in BAD.glob("*/*") if p.parent.name != "kbo" or p.is_dir()}
    assert on_disk == committed  # a KBO case is a directory; that file is the one-file case
    assert all(path_of(case.file, big).exists() for case in CASES)


@pytest.mark.parametrize("case", REFUSED, ids=str)
def test_a_bad_file_is_refused_with_its_problems_and_the_store_unchanged(case: Case, store: Store, big: Path) -> None:
    path = path_of(case.file, big)
    before = store.before()
    with cli_on(store.folder) as runner:
        result = runner.invoke(app, ["load", case.kind, str(path), *case.options])
    assert isinstance(result.exception, SystemExit), result.exception  # typer.Exit, not a crash
    check_refusal(case, path, result.exit_code, result.output)
    assert store.dump() == before


@pytest.mark.parametrize("name", ["members/zip-bomb.xlsx", "cordis/h2020-organization-mixed-encodings.csv",
                                  "kbo/zipped/", "taxonomy/cut-between-elements.rdf"])
def test_the_installed_command_refuses_them_too(name: str, store: Store, big: Path) -> None:
    [case] = [c for c in CASES if c.file == name]
    path = path_of(name, big)
    before = store.before()
    env = {"ECOKG_STORE": str(store.folder), "ECOKG_BASE_IRI": "http://example.org/", "PATH": str(ECOKG.parent)}
    done = subprocess.run([str(ECOKG), "load", case.kind, str(path)], env=env, capture_output=True, text=True,
                          timeout=120, check=False)
    check_refusal(case, path, done.returncode, done.stderr)
    assert store.dump() == before


def test_formulas_load_as_text_and_exports_write_them_as_text(tmp_path: Path) -> None:
    """formula-text.csv's names are text that a spreadsheet would take for formulas; formula-cached.xlsx holds a
    real formula, of which only the value Excel computed is read. The CLI's CSV gives the names back exactly,
    and the XLSX writer stores each as a text cell (data type 's'), never a formula ('f')."""
    loads = [case for case in CASES if case.exit == 0]
    assert {case.file for case in loads} == {"members/formula-text.csv", "members/formula-cached.xlsx"}
    names = {'=HYPERLINK("http://evil.example","click")', "@SUM(A1:A9)", "+32 Trade", "-1+1", "Click Trade SA"}
    with cli_on(tmp_path / "store") as runner:
        for case in loads:
            run(runner, "load", case.kind, str(BAD / case.file), "--source", Path(case.file).stem)
        table = list(csv.DictReader(io.StringIO(run(runner, "query", "isolated-actors", "--format", "csv"))))
        answer = json.loads(run(runner, "query", "isolated-actors", "--format", "json"))
    assert {row["label"] for row in table} == names
    sheet = load_workbook(io.BytesIO(xlsx_bytes(Result(**answer), "isolated"))).active
    assert sheet is not None
    column = [c.value for c in sheet[1]].index("label")
    cells = [row[column] for row in sheet.iter_rows(min_row=2)]
    assert {(c.value, c.data_type) for c in cells} == {(name, "s") for name in names}
