"""While `ecokg serve` runs it owns the store; `ecokg load` fails at once and names it (decision 0003)."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
ECOKG = [sys.executable, "-c", "from api.cli import app; app(prog_name='ecokg')"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_load_while_serving_fails_naming_the_server(tmp_path: Path) -> None:
    env = {**os.environ, "ECOKG_STORE": str(tmp_path / "store")}
    port = free_port()
    server = subprocess.Popen([*ECOKG, "serve", "--port", str(port)], cwd=ROOT, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                if httpx.get(f"http://127.0.0.1:{port}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            assert time.monotonic() < deadline, "the server did not start"
            time.sleep(0.2)
        members = tmp_path / "m.csv"
        members.write_text("enterprise_number;name\n0436.195.241;A SA\n", encoding="utf-8")
        refused = subprocess.run([*ECOKG, "load", "members", str(members)], cwd=ROOT, env=env,
                                 capture_output=True, text=True, timeout=60)
        assert refused.returncode == 1
        message = " ".join(refused.stderr.split())
        assert f"ecokg serve (pid {server.pid}) at http://127.0.0.1:{port}" in message
        assert "Only one process may write it" in message
    finally:
        server.terminate()
        server.wait(timeout=30)
    # the server is gone, and so is its card; nothing was loaded
    assert not (tmp_path / "store" / "ecokg-owner.json").exists()
    listing = subprocess.run([*ECOKG, "stats", "--json"], cwd=ROOT, env=env, capture_output=True, text=True,
                             timeout=60)
    assert listing.returncode == 0, listing.stderr
    assert '"members"' not in listing.stdout


def test_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        env = {**os.environ, "ECOKG_STORE": str(tmp_path / "store")}
        refused = subprocess.run([*ECOKG, "serve", "--port", str(port)], cwd=ROOT, env=env, capture_output=True,
                                 text=True, timeout=60)
    assert refused.returncode == 1
    assert f"127.0.0.1:{port} is already in use" in refused.stderr
