"""The analyses from the command line, on the example files of docs/examples, with ECOKG_STORE a store directory
and a SPARQL server's URL (a real Oxigraph server: the session `engine`)."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import cli_on, run
from typer.testing import CliRunner

from graph.config import get_settings
from graph.engine import Engine
from graph.remote import RemoteStore
from graph.store import open_store

EXAMPLES = Path(__file__).resolve().parents[2] / "docs" / "examples"
ID = "http://example.org/id/"


@pytest.fixture(scope="module", params=["directory", "remote"])
def ecokg(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[CliRunner]:
    store: Path | str = tmp_path_factory.mktemp("cli") / "store"
    if request.param == "remote":
        engine: Engine = request.getfixturevalue("engine")
        server = RemoteStore(engine.url)
        server.restore(io.BytesIO(b""))  # the session's server: start empty
        server.close()
        store = engine.url
    with cli_on(store) as runner:
        for kind, files in (("labs", ["labs.csv"]), ("members", ["members.csv"]),
                            ("poles", ["biowin-members.csv", "biowin-projects.csv", "biowin-participants.csv"])):
            run(runner, "load", kind, *(str(EXAMPLES / f) for f in files))
        yield runner


def test_queries_lists_every_named_query_with_its_parameters(ecokg: CliRunner) -> None:
    listed = json.loads(run(ecokg, "queries", "--format", "json"))
    by_name = {q["name"]: q for q in listed}
    assert "entities-per-class" in by_name
    for q in listed:
        assert set(q) >= {"name", "summary", "params"}
        assert all(set(p) >= {"name", "type", "required"} for p in q["params"])


def test_query_runs_a_named_query_in_each_format(ecokg: CliRunner) -> None:
    rows = json.loads(run(ecokg, "query", "entities-per-class", "--format", "json"))["rows"]
    counts = {r["class"].rsplit("#", 1)[-1]: r["entities"] for r in rows}
    # members.csv: 3 firms; biowin-members.csv adds Pharmalys (Datalys is the same node): 4
    assert counts["Company"] == 4 and counts["Project"] == 1
    csv_out = run(ecokg, "query", "entities-per-class", "--format", "csv")
    assert csv_out.splitlines()[0] == "class,entities"
    assert "https://w3id.org/ecokg/def#Company,4" in csv_out.splitlines()


def test_query_refuses_unknown_names_and_parameters(ecokg: CliRunner) -> None:
    assert "no named query 'nope'" in run(ecokg, "query", "nope", code=1)
    assert "has no parameter 'x'" in run(ecokg, "query", "entities-per-class", "-p", "x=1", code=1)
    assert "is not key=value" in run(ecokg, "query", "entities-per-class", "-p", "x", code=2)


def test_path_from_a_firm_to_a_lab_through_their_project(ecokg: CliRunner) -> None:
    found = json.loads(run(ecokg, "path", "0403.170.701", "UCL-IMAGE", "--format", "json"))["paths"]
    # Datalys and the UCLouvain imaging lab are both partners of BW-2023-004 (biowin-participants.csv)
    assert [p["length"] for p in found] == [2]
    assert [(h["from"], h["relation"], h["to"]) for h in found[0]["hops"]] == [
        (f"{ID}org/be-0403170701", "participates_in", f"{ID}project/biowin-bw-2023-004"),
        (f"{ID}project/biowin-bw-2023-004", "participates_in", f"{ID}lab/ucl-image"),
    ]
    # Brixtel (members.csv) is in no project: no path by strong ties
    assert "no path between" in run(ecokg, "path", "0812.345.603", "UCL-IMAGE")


def test_recommend_for_the_example_project(ecokg: CliRunner) -> None:
    found = json.loads(run(ecokg, "recommend", "--project", "BW-2023-004", "--format", "json"))["rows"]
    # BW-2023-004 needs medical imaging AI and deep learning; Fictive Vision (members.csv) offers
    # deep learning ("apprentissage profond"); the participants themselves are never proposed
    assert [c["iri"] for c in found] == [f"{ID}org/be-0436195241"]
    assert found[0]["technologies"] == ["https://w3id.org/ecokg/tech/deep-learning"]
    assert "error: give --project P" in run(ecokg, "recommend", code=2)


def test_the_loads_are_in_the_store_that_ecokg_store_names(ecokg: CliRunner, tmp_path: Path) -> None:
    store = open_store(get_settings().store)  # the server itself when ECOKG_STORE is a URL
    try:
        graphs = {g.value for g in store.graphs()}
    finally:
        store.close()
    assert {f"http://example.org/graph/source/{s}/v1" for s in ("labs", "members", "pole-biowin")} <= graphs
    # a refused load (a wrong check digit) writes nothing there
    before, after, bad = tmp_path / "before.nq", tmp_path / "after.nq", tmp_path / "bad.csv"
    bad.write_text("enterprise_number;name\n0436.195.240;A\n", "utf-8")
    run(ecokg, "dump", str(before))
    assert "refused: 1 problem(s); nothing was written." in run(ecokg, "load", "members", str(bad), code=1)
    run(ecokg, "dump", str(after))
    assert before.read_bytes() == after.read_bytes()
