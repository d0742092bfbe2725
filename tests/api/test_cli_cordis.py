"""`ecokg load cordis` with its filters, run as a user would (counts from tests/loaders/test_cordis.py, by awk)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import cli_on, run
from typer.testing import CliRunner

BE = Path(__file__).resolve().parents[1] / "data" / "cordis" / "h2020_organization_BE.csv"


@pytest.fixture
def ecokg(tmp_path: Path) -> Iterator[CliRunner]:
    with cli_on(tmp_path / "store") as runner:
        yield runner


def test_load_the_walloon_part_of_a_cordis_file(ecokg: CliRunner) -> None:
    output = run(ecokg, "load", "cordis", str(BE), "--region", "BE3", "--source", "cordis-h2020")
    assert "loaded cordis -> source 'cordis-h2020' v1 (public): 281 rows" in output
    assert f"ignored column: {BE}: region_from_postcode" in output
    entities = json.loads(run(ecokg, "stats", "--json"))["entities"]
    assert (entities["Project"], entities["Participation"]) == (15, 34)


def test_filters_of_another_kind_or_malformed_are_refused(ecokg: CliRunner) -> None:
    assert "--country applies to cordis loads only" in run(ecokg, "load", "members", str(BE), "--country", "BE",
                                                           code=1)
    assert "not a NUTS code" in run(ecokg, "load", "cordis", str(BE), "--region", "Wallonie", code=1)
