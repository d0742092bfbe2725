"""A malformed KBO/BCE extract is refused whole: every problem as file:row:column, nothing written.

Each case copies the real sample extract (tests/data/kbo/extract) and breaks one file by hand; row numbers
are the CSV line numbers (header = line 1), counted in the sample files."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from graph.errors import LoadError
from graph.sources import Sources
from loaders.run import load

DATA = Path(__file__).parents[1] / "data" / "kbo"


def dump(sources: Sources) -> bytes:
    out = io.BytesIO()
    sources.store.dump(out)
    return out.getvalue()


def edit(path: Path, line: int, new: str) -> None:
    """Replace line `line` (1-based) of a file."""
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[line - 1] = new + "\n"
    path.write_text("".join(lines), encoding="utf-8")


CASES = {
    # name: (file, line, its new text, region (None: Wallonia), expected (file, row, column, part of the reason))
    "enterprise number failing its check digits": (
        "enterprise.csv", 3, '"0200.068.637","AC","000","2","417",,16-02-1923', "all",
        ("enterprise.csv", "3", "EnterpriseNumber", "check digits (expected 36)")),
    "a bad number in a row the Walloon filter drops is reported too": (
        "activity.csv", 2, '"0200.065.764","006","2025","84130","MAIN"', None,
        ("activity.csv", "2", "EntityNumber", "check digits (expected 65)")),
    "missing column": (
        "activity.csv", 1, '"EntityNumber","ActivityGroup","NaceVersion","NaceCode"', "all",
        ("activity.csv", "1", "Classification", "missing required column")),
    "a line cut short": (
        "denomination.csv", 10, '"0200.362.210","1"', None,
        ("denomination.csv", "10", "TypeOfDenomination", "cut short")),
    "a file cut inside a quoted cell (its last line)": (
        "address.csv", 19, '"0400.357.897","REGO",,,"1420","Braine-l\'Alleud","Braine-l\'Alleud","Chauss', None,
        ("address.csv", "19", "-", "never closed")),
    "unknown NACE version": (
        "activity.csv", 3, '"0200.065.765","001","2007","70111","MAIN"', "all",
        ("activity.csv", "3", "NaceVersion", "'2007' is not one of 2003, 2008, 2025")),
    "NACE code of four digits": (
        "activity.csv", 6, '"0200.065.765","001","2008","4110","MAIN"', "all",
        ("activity.csv", "6", "NaceCode", "not five digits")),
    "impossible date": (
        "enterprise.csv", 7, '"0200.362.210","AC","000","2","706",,30-02-1968', None,
        ("enterprise.csv", "7", "StartDate", "not a real date")),
    "unknown language code": (
        "denomination.csv", 10, '"0200.362.210","7","001","in BW Association Intercommunale"', None,
        ("denomination.csv", "10", "Language", "unknown language code '7'")),
}


@pytest.mark.parametrize("case", CASES)
def test_malformed_extract_is_refused_and_nothing_is_written(sources: Sources, tmp_path: Path, case: str) -> None:
    file, line, new, region, expected = CASES[case]
    extract = shutil.copytree(DATA / "extract", tmp_path / "extract")
    edit(extract / file, line, new)
    load(sources, "kbo", [DATA / "extract"])  # a first version, which must stay current
    before = dump(sources)
    with pytest.raises(LoadError) as caught:
        load(sources, "kbo", [extract], region=region)
    found = [(Path(p.file).name, p.row, p.column, p.reason) for p in caught.value.problems]
    assert any(f[:3] == expected[:3] and expected[3] in f[3] for f in found), found
    assert len(found) == 1, found
    assert dump(sources) == before


def test_a_bad_number_in_an_update_is_refused(sources: Sources, tmp_path: Path) -> None:
    update = shutil.copytree(DATA / "update-0137", tmp_path / "update-0137")
    (update / "enterprise_delete.csv").write_text('"EnterpriseNumber"\n"0200.362.409"\n', encoding="utf-8")
    before = dump(sources)
    with pytest.raises(LoadError) as caught:
        load(sources, "kbo", [DATA / "extract"], updates=[update])
    assert [(Path(p.file).name, p.row, p.column) for p in caught.value.problems] == [
        ("enterprise_delete.csv", "2", "EnterpriseNumber")]
    assert dump(sources) == before


@pytest.mark.parametrize("row", [
    '"0200.065.7{i:02d}","001","2008","84130","MAIN"',  # numbers failing their check (all but i = 65)
    '"0200.065.765","001"',  # every row cut short
])
def test_a_wrong_file_stops_at_a_bounded_number_of_problems(sources: Sources, tmp_path: Path, row: str) -> None:
    extract = shutil.copytree(DATA / "extract", tmp_path / "extract")
    rows = "".join(row.format(i=i % 100) + "\n" for i in range(3000) if i % 100 != 65)
    (extract / "activity.csv").write_text('"EntityNumber","ActivityGroup","NaceVersion","NaceCode","Classification"\n'
                                          + rows, encoding="utf-8")
    with pytest.raises(LoadError) as caught:
        load(sources, "kbo", [extract])
    assert len(caught.value.problems) == 1001
    assert caught.value.problems[-1].reason == "stopped reading after 1000 problems"
