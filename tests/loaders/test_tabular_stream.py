"""loaders.tabular's streaming mode: the same rows as an eager read, problems kept for the loader, and a big
file read in bounded memory (what the CORDIS and KBO exports need)."""

from __future__ import annotations

import dataclasses
import tracemalloc
from pathlib import Path

import pytest

from graph.errors import LoadError
from loaders.tabular import Column, RowStream, TableSchema, read_tables

SCHEMA = TableSchema(
    "orgs",
    (Column("pic", ("organisationID",), required=True), Column("name"), Column("city"), Column("cost")),
    signature=frozenset({"pic", "name"}),
)
FIXED = dataclasses.replace(SCHEMA, fixed_width=True)


def write(tmp_path: Path, content: bytes, name: str = "input.csv") -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


def rows(path: Path, *, stream: bool, schema: TableSchema = SCHEMA) -> list[tuple[str, dict[str, object]]]:
    [table] = read_tables(path, [schema], stream=stream)
    return [(row.row, dict(row.values)) for row in table.rows]


@pytest.mark.parametrize("content", [
    b'"organisationID";"name";"city";"cost"\n"999";"A, SA";"Li\xc3\xa8ge";"12,5"\n\n"998";"B";"";""\n',
    b'\xef\xbb\xbforganisationID,name,city,cost\r\n999,"multi\r\nline",Namur,1\r\n998,B,,\r\n',
    b"\n\norganisationID\tname\tcity\n999\tSoci\xe9t\xe9 \x80\tMons\n",  # Windows-1252, tab
])
def test_streamed_rows_are_the_eager_rows(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, content)
    assert rows(path, stream=True) == rows(path, stream=False)


def test_a_stream_is_read_again_on_each_pass(tmp_path: Path) -> None:
    path = write(tmp_path, b"organisationID;name\n1;A\n2;B\n")
    [table] = read_tables(path, [SCHEMA], stream=True)
    assert isinstance(table.rows, RowStream)
    assert [r.row for r in table.rows] == [r.row for r in table.rows] == ["2", "3"]


def test_header_problems_are_raised_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, b"name;city\nA;Mons\n")
    with pytest.raises(LoadError) as refused:
        read_tables(path, [SCHEMA], stream=True)
    assert [(p.row, p.column) for p in refused.value.problems] == [("1", "pic")]


def test_row_problems_are_kept_for_the_loader_not_raised(tmp_path: Path) -> None:
    path = write(tmp_path, b"organisationID;name;city\n1;A;Mons;extra\n2;B\n3;C;Liege\n")
    [table] = read_tables(path, [FIXED], stream=True)
    assert [r.row for r in table.rows] == ["4"]
    assert [str(p) for p in table.problems] == [
        f"{path}:2:-: row has 4 cells, header has 3",
        f"{path}:3:city: row has 2 cells, header has 3: cut short (a line break?)",
    ]
    assert list(table.rows) and len(table.problems) == 2  # a second pass finds them again, once


def test_short_rows_are_padded_unless_the_table_is_fixed_width(tmp_path: Path) -> None:
    path = write(tmp_path, b"organisationID;name;city\n1;A\n")
    assert rows(path, stream=False) == [("2", {"pic": "1", "name": "A", "city": ""})]
    with pytest.raises(LoadError) as refused:
        rows(path, stream=False, schema=FIXED)
    assert [(p.row, p.column) for p in refused.value.problems] == [("2", "city")]


def test_an_unclosed_quote_ends_the_stream_with_a_problem(tmp_path: Path) -> None:
    path = write(tmp_path, b'organisationID;name\n1;A\n2;"B\n3;C\n')
    [table] = read_tables(path, [SCHEMA], stream=True)
    assert [r.row for r in table.rows] == ["2"]
    assert [(p.row, p.reason) for p in table.problems] == [("3", "a quote opened in this row is never closed")]


def test_a_big_file_streams_in_bounded_memory(tmp_path: Path) -> None:
    line = b'"999999999";"SOCIETE ANONYME DE TEST, BELGIQUE";"LOUVAIN-LA-NEUVE";"1234567,89"\n'
    path = write(tmp_path, b"organisationID;name;city;cost\n" + line * 200_000)  # 16 MB
    [table] = read_tables(path, [SCHEMA], stream=True)
    tracemalloc.start()
    count = sum(1 for _ in table.rows)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert count == 200_000
    assert peak < 5 * 1024 * 1024  # an eager read holds the 16 MB text and every row (~150 MB)
