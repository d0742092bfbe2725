"""`ecokg load kbo DIR` and `ecokg load taxonomy FILE`, run as a user would (expectations: tests/loaders/test_kbo.py,
test_kbo_update.py and test_taxonomy.py, worked out by hand from the sample extract)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_support import cli_on, run
from typer.testing import CliRunner

DATA = Path(__file__).resolve().parents[1] / "data"
EXTRACT = DATA / "kbo" / "extract"


@pytest.fixture
def ecokg(tmp_path: Path) -> Iterator[CliRunner]:
    with cli_on(tmp_path / "store") as runner:
        yield runner


def test_load_an_extract_then_its_update(ecokg: CliRunner) -> None:
    # two Walloon enterprises: 2 enterprise + 4 denomination + 2 address + 3 contact rows
    assert "loaded kbo -> source 'kbo' v1 (public): 11 rows" in run(ecokg, "load", "kbo", str(EXTRACT))
    output = run(ecokg, "load", "kbo", str(EXTRACT), "--update", str(DATA / "kbo" / "update-0137"))
    # 2 enterprise + 3 denomination + 2 address + 2 contact + 1 activity rows; added: IDEA and the codes it
    # brings (legal form 416, NACE 2008 70220, group 001, MAIN, and the schemes of the last three); removed:
    # 0200.362.408; changed: 0200.362.210 (its abbreviation)
    assert "source 'kbo' v2 (public): 10 rows" in output and "+8 -1 ~1 entities" in output


def test_kbo_options_are_checked(ecokg: CliRunner) -> None:
    assert "not a Belgian NUTS 2021 code" in run(ecokg, "load", "kbo", str(EXTRACT), "--region", "Wallonie", code=1)
    assert "--enterprises and --update apply to kbo loads only" in run(
        ecokg, "load", "members", str(EXTRACT / "enterprise.csv"), "--update", str(EXTRACT), code=1)
    output = run(ecokg, "load", "kbo", str(EXTRACT / "update-none"), code=2)  # typer: no such directory
    assert "does not exist" in output


def test_load_nace_as_a_taxonomy(ecokg: CliRunner) -> None:
    output = run(ecokg, "load", "taxonomy", str(DATA / "nace" / "nace_r2_flat_from_ramon.csv"))
    assert "loaded taxonomy -> source 'taxonomy-nace' v1 (public): 996 rows" in output
