"""The `live` fixture: one running `ecokg serve` for the tests of this folder (see server.py)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from server import Live, start


@pytest.fixture(scope="package")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Live]:
    server, log = start(tmp_path_factory.mktemp("live"))
    try:
        yield server
    finally:
        server.process.terminate()
        server.process.wait(timeout=30)
        log.close()  # type: ignore[attr-defined]
