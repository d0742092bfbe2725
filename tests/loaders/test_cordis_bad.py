"""Bad CORDIS rows are refused as file:row:column with nothing written; doubtful VAT numbers are only reviewed.

The files are real rows of tests/data/cordis/ with one cell spoiled each (see each test)."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from graph.errors import EcokgError, LoadError
from graph.sources import Sources
from loaders.run import load

DATA = Path(__file__).resolve().parents[1] / "data" / "cordis"


def dump(sources: Sources) -> bytes:
    out = io.BytesIO()
    sources.store.dump(out)
    return out.getvalue()


def spoiled(source: Path, target: Path, rows: int, changes: dict[tuple[int, str], str | None]) -> Path:
    """The header and the first `rows` rows of `source`, with cells changed: (line, column) -> value, or None
    to cut the line short just before that column."""
    with source.open(encoding="utf-8", newline="") as f:
        records = list(csv.reader(f))[: rows + 1]
    header = records[0]
    for (line, column), value in changes.items():
        record = records[line - 1]
        if value is None:
            del record[header.index(column):]
        else:
            record[header.index(column)] = value
    with target.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f, quoting=csv.QUOTE_ALL).writerows(records)
    return target


def refused(sources: Sources, paths: list[Path], **options: str) -> list[tuple[str, str, str, str]]:
    """Load; it must fail and leave the store as it was. The problems as (file, row, column, reason)."""
    before = dump(sources)
    with pytest.raises(LoadError) as caught:
        load(sources, "cordis", paths, **options)  # type: ignore[arg-type]
    assert dump(sources) == before
    return sorted((p.file, p.row, p.column, p.reason) for p in caught.value.problems)


@pytest.fixture
def loaded(sources: Sources) -> Sources:
    """Something in the store already, that a refused load must leave alone."""
    load(sources, "cordis", [DATA / "h2020_organization_BE.csv"], region="BE3")
    return sources


def test_a_short_row_a_bad_pic_and_a_bad_amount(tmp_path: Path, loaded: Sources) -> None:
    path = spoiled(DATA / "h2020_organization_BE.csv", tmp_path / "organization.csv", 6, {
        (3, "ecContribution"): None,  # cut after 'role': the rest of the line lost
        (4, "organisationID"): "95292460X",
        (5, "ecContribution"): "12,34,56",
    })
    f = str(path)
    assert refused(loaded, [path]) == [
        (f, "3", "ecContribution", "row has 20 cells, header has 26: cut short (a line break?)"),
        (f, "4", "organisationID", "'95292460X' is not a PIC (nine digits)"),
        (f, "5", "ecContribution", "'12,34,56' is not an amount (expected e.g. 1 234,50 or 1234.50)"),
    ]


def test_a_bad_date_and_dates_out_of_order_in_project_csv(tmp_path: Path, loaded: Sources) -> None:
    path = spoiled(DATA / "he_project_head100.csv", tmp_path / "project.csv", 3, {
        (2, "startDate"): "2024-02-30",
        (3, "endDate"): "2020-01-01",
        (4, "id"): "",
    })
    problems = refused(loaded, [path])
    assert [(row, column) for _, row, column, _ in problems] == [("2", "startDate"), ("3", "endDate"), ("4", "id")]
    assert "'2024-02-30' is not a real date" in problems[0][3]
    assert problems[1][3] == "ends (2020-01-01) before it starts (2025-08-01)"  # 101163161 starts 2025-08-01
    assert problems[2][3] == "required value is empty"


def test_unknown_role_unknown_activity_type_and_a_bad_euroscivoc_code(tmp_path: Path, loaded: Sources) -> None:
    organisations = spoiled(DATA / "he_organization_head100.csv", tmp_path / "organization.csv", 2, {
        (2, "role"): "leader", (3, "activityType"): "XYZ"})
    classification = spoiled(DATA / "he_euroSciVoc_head100.csv", tmp_path / "euroSciVoc.csv", 1, {
        (2, "euroSciVocCode"): "29/97/543x"})
    problems = refused(loaded, [organisations, classification])
    assert [(Path(f).name, row, column) for f, row, column, _ in problems] == [
        ("euroSciVoc.csv", "2", "euroSciVocCode"), ("organization.csv", "2", "role"),
        ("organization.csv", "3", "activityType")]
    assert problems[1][3].startswith("unknown CORDIS role 'leader' (coordinator, participant, partner")


def test_a_stray_quote_in_a_streamed_file(tmp_path: Path, loaded: Sources) -> None:
    lines = (DATA / "h2020_organization_BE.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    path = tmp_path / "organization.csv"
    path.write_text("".join(lines[:3]) + lines[3].replace('"EUROPEAN ALUMINIUM"', '"EUROPEAN "ALU" MINIUM"', 1)
                    + "".join(lines[4:6]), encoding="utf-8")
    problems = refused(loaded, [path])
    assert len(problems) == 1 and problems[0][1] == "4" and "malformed CSV" in problems[0][3]


def test_a_vat_number_failing_its_check_loads_under_the_pic_and_is_reviewed(tmp_path: Path, sources: Sources) -> None:
    # row 2 is ALSTOM BELGIUM SA, PIC 998805800, BE0436195241: spoil the check digits
    path = spoiled(DATA / "h2020_organization_BE.csv", tmp_path / "organization.csv", 3,
                   {(2, "vatNumber"): "BE0436195240"})
    report = load(sources, "cordis", [path])
    assert [(i.kind, i.label, i.problem.row, i.problem.column) for i in report.review] == [
        ("vat number", "BE0436195240", "2", "vatNumber")]
    assert "check digits" in report.review[0].problem.reason and "PIC 998805800" in report.review[0].problem.reason
    graph = sources.current()["cordis"].graph
    subjects = {q.subject.value for q in sources.store.quads(graph)}
    assert "http://example.org/id/org/pic-998805800" in subjects
    assert "http://example.org/id/org/be-0436195241" not in subjects
    assert refused(sources, [path], strict=True)[0][1:3] == ("2", "vatNumber")  # type: ignore[arg-type]


def test_filters_are_checked_before_anything_is_read(tmp_path: Path, sources: Sources) -> None:
    before = dump(sources)
    with pytest.raises(EcokgError, match="--region: 'Wallonie' is not a NUTS code"):
        load(sources, "cordis", [DATA / "h2020_organization_BE.csv"], region="Wallonie")
    with pytest.raises(EcokgError, match="--country applies to cordis loads only"):
        load(sources, "members", [DATA / "h2020_organization_BE.csv"], country="BE")
    with pytest.raises(EcokgError, match=r"give organization\.csv"):
        load(sources, "cordis", [DATA / "he_project_head100.csv"], country="BE")
    assert dump(sources) == before
