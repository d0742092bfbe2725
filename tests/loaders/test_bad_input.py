"""Bad input is refused whole: every problem as file:row:column: reason, and the store exactly as before."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from graph.errors import LoadError
from graph.sources import Sources
from loaders.run import load

GOOD_MEMBERS = "enterprise_number;name;offers\n0436.195.241;Fictive Vision SRL;computer vision\n"


def dump(sources: Sources) -> bytes:
    out = io.BytesIO()
    sources.store.dump(out)
    return out.getvalue()


def write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    return path


CASES = {
    # name: (kind, file name, content, pole, expected problems as (row, column, reason fragment))
    "check digits": (
        "members", "m.csv",
        "Numéro d'entreprise;Nom\n0436.195.241;A SA\n0436.195.240;B SA\n",
        None, [("3", "Numéro d'entreprise", "check digits")],
    ),
    "missing required column": (
        "members", "m.csv", "enterprise_number;website\n0436.195.241;a.example\n",
        None, [("1", "name", "missing required column")],
    ),
    "duplicate id": (
        "members", "m.csv",
        "enterprise_number,name\n0436.195.241,A SA\n0403.170.701,B SA\nBE0436195241,A bis SA\n",
        None, [("4", "enterprise_number", "duplicate id '0436.195.241' (first at row 2)")],
    ),
    "bad date": (
        "members", "m.csv", "enterprise_number;name;membre depuis\n0436.195.241;A SA;31/02/2021\n",
        None, [("2", "membre depuis", "")],
    ),
    "bad amount and end before start": (
        "poles", "p.csv",
        "project_id;title;start_date;end_date;budget\nP1;T;2022-01-01;2021-01-01;douze euros\n",
        "biowin", [("2", "end_date", "before it starts"), ("2", "budget", "")],
    ),
    "unknown pole": (
        "poles", "p.csv", "pole;enterprise_number;name\nbiowin;0436.195.241;A SA\nBioWinn;0403.170.701;B SA\n",
        None, [("3", "pole", "unknown pole 'BioWinn'")],
    ),
    "participant of a project not in the load, and an unknown role": (
        "poles", "p.csv", "project_id;enterprise_number;role\nP9;0436.195.241;chef\n",
        "skywin", [("2", "project_id", "not in the projects of this load"), ("2", "role", "unknown role 'chef'")],
    ),
    "belgian participant without number": (
        "poles", "p.csv", "project_id;participant_name;country\nP1;Société X;BE\n", "skywin",
        [("2", "enterprise_number", "needs its enterprise number"), ("2", "project_id", "not in the projects")],
    ),
    "lab without institution value, bad institution type": (
        "labs", "l.csv", "lab_code;name;institution;institution_type\nL1;Lab;;university\nL2;Lab 2;U;castle\n",
        None, [("2", "institution", "required value is empty"), ("3", "institution_type", "castle")],
    ),
    "curation to a concept that does not exist": (
        "curation", "c.csv", "label;concept\nPower BI;tech:no-such-thing\n",
        None, [("2", "concept", "no concept of the taxonomy")],
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_bad_file_is_refused_with_every_problem_and_nothing_written(
    case: str, tmp_path: Path, disk_sources: Sources
) -> None:
    kind, name, content, pole, expected = CASES[case]
    load(disk_sources, "members", [write(tmp_path, "good.csv", GOOD_MEMBERS)])
    before = dump(disk_sources)
    path = write(tmp_path, name, content)
    with pytest.raises(LoadError) as refused:
        load(disk_sources, kind, [path], pole=pole)
    got = refused.value.problems
    assert len(got) == len(expected), [str(p) for p in got]
    for problem, (row, column, reason) in zip(sorted(got, key=lambda p: (p.row, p.column)),
                                              sorted(expected), strict=True):
        assert (problem.file, problem.row, problem.column) == (str(path), row, column), str(problem)
        assert reason in problem.reason
        assert str(problem).startswith(f"{path}:{row}:{column}: ")
    assert dump(disk_sources) == before


def test_unknown_labels_load_but_strict_refuses_them(tmp_path: Path, sources: Sources) -> None:
    path = write(tmp_path, "m.csv", "enterprise_number;name;offers\n0436.195.241;A SA;computer vision, Zorglub\n")
    report = load(sources, "members", [path])
    assert [(i.label, i.problem.row, i.problem.column) for i in report.review] == [("Zorglub", "2", "offers")]
    before = dump(sources)
    with pytest.raises(LoadError) as refused:
        load(sources, "members", [path], strict=True)
    assert [str(p) for p in refused.value.problems] == [f"{path}:2:offers: unknown technology 'Zorglub'"] or \
        refused.value.problems[0].reason.startswith("unknown technology 'Zorglub'")
    assert dump(sources) == before


def test_windows_1252_file_loads_with_its_accents(tmp_path: Path, sources: Sources) -> None:
    path = write(tmp_path, "m.csv", "Numéro d'entreprise;Dénomination\n0436.195.241;Société Générale d'Essai\n",
                 encoding="cp1252")
    load(sources, "members", [path])
    names = sources.store.query(
        "SELECT ?n WHERE { ?o <http://www.w3.org/ns/regorg#legalName> ?n }", dataset=sources.dataset())
    assert [r["n"].value for r in names] == ["Société Générale d'Essai"]  # type: ignore[index,union-attr]
