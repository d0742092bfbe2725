"""The `ecokg` command, run as a user would (typer's CliRunner), on a store in a temporary folder."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest
from cli_support import cli_on, run
from typer.testing import CliRunner

from graph.config import get_settings
from graph.sources import LoadInput
from graph.validation import validate_sources

GOLDEN = Path(__file__).resolve().parents[1] / "loaders" / "golden"
MESSY = GOLDEN / "members-messy" / "input.csv"


@pytest.fixture
def ecokg(tmp_path: Path) -> Iterator[CliRunner]:
    with cli_on(tmp_path / "store") as runner:
        yield runner


def stats(runner: CliRunner) -> dict:
    return json.loads(run(runner, "stats", "--json"))


def test_load_the_messy_member_file_and_count(ecokg: CliRunner) -> None:
    output = run(ecokg, "load", "members", str(MESSY))
    assert "source 'members' v1" in output and "3 rows" in output
    assert f"{MESSY}:4:Technologies: unknown technology 'outil maison'" in output
    figures = stats(ecokg)
    assert figures["entities"]["Company"] == 3
    assert figures["entities"]["Membership"] == 3
    assert figures["sources"]["members"]["rows"] == 3


def test_a_bad_file_exits_1_lists_problems_and_writes_nothing(ecokg: CliRunner, tmp_path: Path) -> None:
    run(ecokg, "load", "members", str(MESSY))
    before, dump_before = tmp_path / "before.nq", tmp_path / "after.nq"
    run(ecokg, "dump", str(before))
    bad = tmp_path / "bad.csv"
    bad.write_text("enterprise_number;name;member_since\n0436.195.240;A;2020\n0403.170.701;B;hier\n", "utf-8")
    output = run(ecokg, "load", "members", str(bad), code=1)
    assert f"{bad}:2:enterprise_number: " in output
    assert f"{bad}:3:member_since: " in output
    assert "refused: 2 problem(s); nothing was written." in output
    run(ecokg, "dump", str(dump_before))
    assert before.read_bytes() == dump_before.read_bytes()


def test_dry_run_checks_and_writes_nothing(ecokg: CliRunner) -> None:
    output = run(ecokg, "load", "members", str(MESSY), "--dry-run")
    assert "dry run" in output and "3 rows would load" in output
    assert "members" not in stats(ecokg)["sources"]


def test_strict_refuses_unknown_labels(ecokg: CliRunner) -> None:
    output = run(ecokg, "load", "members", str(MESSY), "--strict", code=1)
    assert "unknown technology 'outil maison'" in output
    assert "members" not in stats(ecokg)["sources"]


def test_curation_applies_at_load_and_survives_reloads(ecokg: CliRunner, tmp_path: Path) -> None:
    offers = "SELECT ?t WHERE { <http://example.org/id/org/be-0403170701> <https://w3id.org/ecokg/def#offers> ?t }"
    run(ecokg, "load", "members", str(MESSY))
    curation = tmp_path / "curation.csv"
    curation.write_text("label;concept\noutil maison;tech:custom-software\n", "utf-8")
    run(ecokg, "load", "curation", str(curation))
    for _ in range(2):  # the mapping holds on every reload of the members
        output = run(ecokg, "load", "members", str(MESSY))
        assert "0 label(s) to review" in output
    from graph.startup import open_sources

    settings = get_settings()
    sources = open_sources(settings.store, settings.base_iri)
    try:
        found = {r["t"].value for r in sources.store.query(offers, dataset=sources.dataset())}  # type: ignore[index,union-attr]
    finally:
        sources.store.close()
    assert found == {"https://w3id.org/ecokg/tech/machine-learning", "https://w3id.org/ecokg/tech/custom-software"}


def test_history_says_what_changed(ecokg: CliRunner, tmp_path: Path) -> None:
    run(ecokg, "load", "members", str(MESSY))
    changed = tmp_path / "members.csv"
    text = MESSY.read_text("utf-8-sig").replace("Datalys SA", "Datalys SRL")
    changed.write_text("\n".join(line for line in text.splitlines() if "Brixtel" not in line), "utf-8")
    run(ecokg, "load", "members", str(changed))
    output = run(ecokg, "history", "members")
    assert "changed: http://example.org/id/org/be-0403170701" in output
    assert "removed: http://example.org/id/org/be-0812345603" in output
    assert "removed: http://example.org/id/membership/be-0812345603/ict-wallonia" in output
    assert "added:" not in output


def test_dump_and_restore_round_trip(ecokg: CliRunner, tmp_path: Path) -> None:
    run(ecokg, "load", "members", str(MESSY))
    backup = tmp_path / "backup.nq"
    run(ecokg, "dump", str(backup))
    run(ecokg, "load", "members", str(GOLDEN / "poles-wagralim" / "wagralim-membres.csv"), "--source", "x",
        code=0)
    run(ecokg, "restore", str(backup))
    figures = stats(ecokg)
    assert "x" not in figures["sources"] and figures["entities"]["Company"] == 3


def test_unknown_kind_is_an_error(ecokg: CliRunner) -> None:
    output = run(ecokg, "load", "spreadsheets", str(MESSY), code=1)
    assert "unknown kind 'spreadsheets'" in output


def test_the_demo_is_public_unless_asked_to_keep_pole_lists_restricted(tmp_path: Path) -> None:
    with cli_on(tmp_path / "store") as runner:
        run(runner, "demo", "--out", str(tmp_path / "demo"))
        access = {name: s["access"] for name, s in stats(runner)["sources"].items()}
        assert set(access.values()) == {"public"} and "pole-biowin" in access
        run(runner, "demo", "--out", str(tmp_path / "demo"), "--restricted")
        access = {name: s["access"] for name, s in stats(runner)["sources"].items()}
    # the kinds restricted by default: pole lists, who came to which event, which firm lacks which tool; and the
    # links graph, which names attendees that only the (restricted) attendance lists know
    assert {name for name, a in access.items() if a == "restricted"} == {
        n for n in access if n.startswith("pole-") or n in ("events", "adoption", "links")}


def test_a_company_no_source_names_is_a_warning_and_ecokg_validate_still_passes(tmp_path: Path) -> None:
    """ecosh:Company-named says sh:Warning: a firm known only by its number (as a pole's participants file
    leaves it) is listed for the analyst, and the graph still conforms (exit 0); a number without its leading 0
    and dots breaks Company-enterpriseNumber's pattern: one violation, exit 1."""
    from graph.startup import open_sources

    eco = "https://w3id.org/ecokg/def#"
    firm = ox.NamedNode("http://example.org/id/org/be-0436195241")
    company = [(firm, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"), ox.NamedNode(eco + "Company")),
               (firm, ox.NamedNode(eco + "enterpriseNumber"), ox.Literal("0436.195.241"))]
    store = tmp_path / "store"
    sources = open_sources(str(store), "http://example.org/")
    sources.replace("corrections", company, lambda: LoadInput(files=(), rows=1, loader_version="t"))
    results = validate_sources(sources)
    assert [(v.focus, v.path, v.severity) for v in results] == [
        (firm.value, "http://www.w3.org/ns/regorg#legalName", "Warning")]
    assert str(results[0]).startswith(f"warning: {firm.value} ")
    sources.store.close()
    with cli_on(store) as runner:
        assert run(runner, "validate", code=0).endswith("0 violation(s), 1 warning(s).\n")
    sources = open_sources(str(store), "http://example.org/")
    unpadded = (firm, ox.NamedNode(eco + "enterpriseNumber"), ox.Literal("436195241"))
    sources.replace("corrections", [company[0], unpadded], lambda: LoadInput(files=(), rows=1, loader_version="t"))
    sources.store.close()
    with cli_on(store) as runner:
        assert "1 violation(s), 1 warning(s)." in run(runner, "validate", code=1)
