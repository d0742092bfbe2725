"""Source uploads (POST /api/v1/sources/{kind}): a file in, the source reloaded atomically, the report out.

The upload goes through the same loader as `ecokg load`: every problem of the file is reported as
file:row:column, and a refused file changes nothing. One load at a time (the loads of one store are
serialised anyway; this keeps the answer's report about the version it made). The key's name becomes
the load's prov:Agent.
"""

from __future__ import annotations

import re
import tempfile
import threading
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, HTTPException, Query, Request, UploadFile
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from api.access import Principal, sources_of, writer
from graph.errors import LoadError, Problem
from loaders.run import TABULAR, LoadReport, load

router = APIRouter(tags=["Sources"])
Kind = StrEnum("Kind", {k: k for k in TABULAR})  # type: ignore[misc]  # KBO (a directory) and taxonomies are loaded by the CLI
_SAFE_NAME = re.compile(r"[^A-Za-z0-9._ -]+")
_ZIP = b"PK\x03\x04"
_loading = threading.Lock()


class ProblemOut(BaseModel):
    file: str
    row: str = Field(description="CSV line number, or Sheet!row for Excel; '-' when none applies")
    column: str
    reason: str


class UploadReport(BaseModel):
    """What the upload did (or, refused, why): the validation report of the file."""

    status: Literal["loaded", "checked", "refused"]
    source: str | None = None
    version: int | None = None
    access: str | None = None
    rows: int = 0
    quads: int | None = None
    added: int | None = None
    removed: int | None = None
    changed: int | None = None
    seconds_to_visible: float | None = None
    problems: list[ProblemOut] = []
    review: list[ProblemOut] = Field(default_factory=list,
                                     description="labels that matched no concept, with the closest ones")
    ignored_columns: list[str] = []

    model_config = {"json_schema_extra": {"examples": [{
        "status": "loaded", "source": "members", "version": 3, "access": "public", "rows": 168, "quads": 4120,
        "added": 2, "removed": 0, "changed": 5, "seconds_to_visible": 0.41, "problems": [], "review": [
            {"file": "members.csv", "row": "12", "column": "technologies",
             "reason": "unknown technology 'blokchain' (closest: blockchain)"}], "ignored_columns": []}]}}


@router.post(
    "/api/v1/sources/{kind}", summary="Upload a source file and reload that source",
    description="CSV or XLSX files of one kind (members, poles, labs, curation, cordis, events, adoption) replace the "
    "source atomically. "
    "Needs an API key with the 'write' scope. A file with any problem is refused (422) with every problem "
    "as file:row:column: reason, and nothing changes. `dry_run` checks without writing.",
    response_model=UploadReport,
    responses={401: {"description": "no API key"}, 403: {"description": "wrong key, or no 'write' scope"},
               413: {"description": "body too large"}, 415: {"description": "not a CSV or XLSX file"},
               422: {"model": UploadReport, "description": "the file was refused; nothing changed"}},
)
async def upload(
    kind: Kind,
    request: Request,
    who: Annotated[Principal, Depends(writer)],
    files: Annotated[list[UploadFile], File(description="one or more CSV/XLSX files of this kind")],
    source: Annotated[str | None, Query(description="source name (default from the kind)", examples=["members"])]
    = None,
    pole: Annotated[str | None, Query(description="the pole of pole files without a pole column",
                                      examples=["biowin"])] = None,
    access: Annotated[Literal["public", "restricted"] | None, Query(description="who may see the source")] = None,
    dry_run: Annotated[bool, Query(description="check only, write nothing")] = False,
    strict: Annotated[bool, Query(description="unknown technology labels are errors")] = False,
) -> UploadReport | JSONResponse:
    sources = sources_of(request)
    with tempfile.TemporaryDirectory(prefix="ecokg-upload-") as tmp:
        paths = [await _save(f, Path(tmp), n) for n, f in enumerate(files)]

        def run() -> LoadReport:
            with _loading:
                return load(sources, str(kind), paths, source=source, pole=pole, access=access, dry_run=dry_run,
                            strict=strict, agent=f"api-key:{who.name}")
        try:
            report = await run_in_threadpool(run)
        except LoadError as exc:
            refused = UploadReport(status="refused", problems=[_as_uploaded(p, tmp) for p in exc.problems])
            return JSONResponse(refused.model_dump(), status_code=422)
    return _report(report)


async def _save(upload: UploadFile, folder: Path, n: int) -> Path:
    """The upload on disk under its own (cleaned) name, so that problems name the user's file; its type
    is read from its first bytes, not trusted from the name."""
    name = _SAFE_NAME.sub("_", Path(upload.filename or f"upload-{n}").name)[:100] or f"upload-{n}"
    data = await upload.read()
    is_zip = data.startswith(_ZIP)
    suffix = Path(name).suffix.lower()
    if suffix == ".xlsx" and not is_zip:
        raise HTTPException(415, f"{name}: named .xlsx but is not an Excel workbook")
    if suffix in (".csv", ".tsv", ".txt") and (is_zip or b"\x00" in data[:65536]):
        raise HTTPException(415, f"{name}: named {suffix} but is not text")
    if suffix not in (".xlsx", ".csv", ".tsv", ".txt"):
        raise HTTPException(415, f"{name}: send .csv or .xlsx files")
    path = folder / f"{n}" / name
    path.parent.mkdir()
    path.write_bytes(data)
    return path


def _as_uploaded(problem: Problem, folder: str) -> ProblemOut:
    """A problem naming the file as the user sent it, not where the upload was kept."""
    file = Path(problem.file).name if problem.file.startswith(folder) else problem.file
    return ProblemOut(file=file, row=problem.row, column=problem.column, reason=problem.reason)


def _report(report: LoadReport) -> UploadReport:
    review = [_as_uploaded(item.problem, str(Path(report.files[0]).parents[1])) for item in report.review]
    if report.result is None:
        return UploadReport(status="checked", source=report.source, rows=report.rows, review=review,
                            ignored_columns=report.ignored_columns)
    version = report.result.version
    return UploadReport(status="loaded", source=report.source, version=version.number, access=version.access,
                        rows=report.rows, quads=version.quads, added=version.added,
                        removed=version.removed, changed=version.changed,
                        seconds_to_visible=round(report.result.seconds_to_visible, 3), review=review,
                        ignored_columns=report.ignored_columns)
