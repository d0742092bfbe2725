"""What the CLI tests share: a store in a folder of their own, and running `ecokg` as a user would."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from graph.config import get_settings


@contextmanager
def cli_on(store: Path | str) -> Iterator[CliRunner]:
    """A CliRunner whose `ecokg` uses `store` (a directory, or a server's URL), under the tests' base IRI."""
    patch = pytest.MonkeyPatch()
    patch.setenv("ECOKG_STORE", str(store))
    patch.setenv("ECOKG_BASE_IRI", "http://example.org/")
    get_settings.cache_clear()
    try:
        yield CliRunner()
    finally:
        patch.undo()
        get_settings.cache_clear()


def run(runner: CliRunner, *args: str, code: int = 0) -> str:
    """The output of `ecokg ARGS`, checking its exit code."""
    result = runner.invoke(app, list(args))
    assert result.exit_code == code, result.output
    return result.output
