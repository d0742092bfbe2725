"""A real `ecokg serve` (with its child engine) on loopback, over the analytics fixture, for real clients.

The store is loaded in-process first, as `ecokg load` would, then handed to the server process; the
query time limit is 2 s so that a runaway query is cut quickly. The fixture `live` is in conftest.py.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import httpx

from api.access import new_key
from graph.startup import open_sources
from loaders.run import load

ROOT = Path(__file__).resolve().parents[2]
ANALYTICS = ROOT / "tests" / "data" / "analytics"
ECOKG = [sys.executable, "-c", "from api.cli import app; app(prog_name='ecokg')"]
TIMEOUT_S = 2


@dataclass(frozen=True)
class Live:
    url: str
    base: str
    store: Path
    reader_key: str
    writer_key: str
    process: subprocess.Popen[bytes]

    def auth(self, key: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {key}"}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def load_analytics(store: Path, base: str) -> None:
    sources = open_sources(str(store), base)
    try:
        load(sources, "members", [ANALYTICS / "members.csv"])
        load(sources, "labs", [ANALYTICS / "labs.csv"])
        for pole in ("wagralim", "biowin"):
            load(sources, "poles", sorted(ANALYTICS.glob(f"{pole}-*.csv")), pole=pole)
    finally:
        sources.store.close()


def start(tmp: Path) -> tuple[Live, object]:
    """Load the fixture into a store under `tmp`, start `ecokg serve` on it and wait until it answers."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    store = tmp / "store"
    load_analytics(store, f"{url}/")
    reader_key, reader_hash = new_key()
    writer_key, writer_hash = new_key()
    keys = [{"name": "partner", "sha256": reader_hash, "scopes": ["read"]},
            {"name": "loader", "sha256": writer_hash, "scopes": ["read", "write"]}]
    env = {**os.environ, "ECOKG_STORE": str(store), "ECOKG_BASE_IRI": f"{url}/",
           "ECOKG_QUERY_TIMEOUT_S": str(TIMEOUT_S), "ECOKG_API_KEYS": json.dumps(keys)}
    log = (tmp / "server.log").open("wb")
    process = subprocess.Popen([*ECOKG, "serve", "--port", str(port)], cwd=ROOT, env=env, stdout=log, stderr=log)
    _wait_until_up(url, process)
    return Live(url, f"{url}/", store, reader_key, writer_key, process), log


def _wait_until_up(url: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "ecokg serve exited at start"
        try:
            if httpx.get(f"{url}/health", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise AssertionError("ecokg serve did not start within 60 s")
