"""Query results as a person or a program wants them: a table, CSV or JSON."""

from __future__ import annotations

import csv
import io
import json
from typing import Any

from rich.console import Console
from rich.table import Table

from queries.registry import Result, rows

FORMATS = ("table", "csv", "json")


def render(result: Result, fmt: str, console: Console) -> None:
    """Print `result` in `fmt`; tables to the console, CSV and JSON as plain text."""
    if fmt == "json":
        console.out(json.dumps(result.model_dump(), ensure_ascii=False, indent=2), highlight=False)
    elif fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(result.columns)
        writer.writerows([_cell(v) for v in row] for row in rows(result))
        console.out(out.getvalue(), end="", highlight=False)
    else:
        table = Table(*result.columns)
        for row in rows(result):
            table.add_row(*(_cell(v) for v in row))
        console.print(table)
        if result.has_more:
            console.print(f"(more rows: --offset {result.offset + (result.limit or 0)})", highlight=False)


def _cell(value: Any) -> str:
    """A cell for a table or CSV: lists joined, an entity shown by its label (IRI when it has none)."""
    if value is None:
        return ""
    if isinstance(value, dict):
        return str(value.get("label") or value.get("iri") or value)
    if isinstance(value, list | tuple):
        return ", ".join(_cell(v) for v in value)
    if isinstance(value, float):
        return f"{value:.3g}" if abs(value) < 1 else f"{value:,.2f}".rstrip("0").rstrip(".")
    return str(value)
