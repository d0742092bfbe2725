"""The query engine of `ecokg serve`: an `oxigraph serve` child process that owns the embedded store.

Why a child (decision 0007): a pyoxigraph query cannot be interrupted from Python, so a runaway query
would keep a core busy for as long as it likes. Oxigraph's server stops most queries at `--timeout-s`,
but not all (measured: not a product over a dataset of many graphs); a query that outlives the limit
by graph.remote.grace_s gets the engine killed and restarted (`restart`), which is safe because every
write is atomic. ecokg speaks to the engine through graph.remote.RemoteStore like to any remote backend.
The child dies with its parent (PR_SET_PDEATHSIG) and is restarted on the same port if it dies alone;
what it prints goes to the `ecokg.engine` log.
"""

from __future__ import annotations

import contextlib
import ctypes
import logging
import math
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import deque
from pathlib import Path

import httpx

from graph.errors import StoreUnavailable

log = logging.getLogger("ecokg.engine")
_PR_SET_PDEATHSIG = 1


def oxigraph_binary() -> str:
    """The `oxigraph` command installed beside this Python (PyPI package `oxigraph`), else on PATH."""
    beside = Path(sys.executable).with_name("oxigraph")
    found = str(beside) if beside.exists() else shutil.which("oxigraph")
    if found is None:
        raise StoreUnavailable("the 'oxigraph' command is missing: pip install oxigraph (it comes with ecokg)")
    return found


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _die_with_parent() -> None:
    """In the child before exec: ask Linux to SIGTERM it when ecokg goes, however ecokg goes."""
    with contextlib.suppress(OSError, AttributeError):  # not Linux: the parent's stop() still ends it
        ctypes.CDLL(None, use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


class Engine:
    """`oxigraph serve` on the store directory, on a free loopback port, with the query time limit."""

    def __init__(self, location: str | Path, *, timeout_s: float) -> None:
        self.location = str(location)
        self.timeout_s = timeout_s
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._said: deque[str] = deque(maxlen=20)
        self._process: subprocess.Popen[bytes] | None = None
        self._stopping = threading.Event()
        self._lock = threading.Lock()  # one (re)start at a time: the watcher and `restart` may race
        self._watcher: threading.Thread | None = None

    def start(self) -> Engine:
        with self._lock:
            self._spawn()
        self._watcher = threading.Thread(target=self._watch, name="ecokg-engine-watch", daemon=True)
        self._watcher.start()
        return self

    def restart(self) -> None:
        """Kill the engine (and whatever it was running) and start it again on the same store and port."""
        with self._lock:
            if self._process is not None and self._process.poll() is None:
                log.error("a query outlived the time limit; restarting the engine to stop it")
                self._process.kill()
                self._process.wait()
            if not self._stopping.is_set():
                self._spawn()

    def stop(self) -> None:
        self._stopping.set()
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()

    def _spawn(self) -> None:
        command = [oxigraph_binary(), "serve", "--location", self.location, "--bind", f"127.0.0.1:{self.port}",
                   "--timeout-s", str(max(1, math.ceil(self.timeout_s)))]
        self._process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                                         preexec_fn=_die_with_parent)
        threading.Thread(target=self._relay, args=(self._process,), name="ecokg-engine-log", daemon=True).start()
        self._wait_ready()

    def _relay(self, process: subprocess.Popen[bytes]) -> None:
        """Read what the engine prints (so that its pipe never fills and blocks it) into the log."""
        assert process.stderr is not None
        for raw in process.stderr:
            line = raw.decode(errors="replace").rstrip()
            self._said.append(line)
            log.warning("engine: %s", line)

    def _wait_ready(self, within_s: float = 30.0) -> None:
        deadline = time.monotonic() + within_s
        assert self._process is not None
        while time.monotonic() < deadline:
            if self._process.poll() is not None:
                time.sleep(0.1)  # let the relay catch the last words
                said = " | ".join(self._said)
                raise StoreUnavailable(f"the engine (oxigraph serve) stopped at start: {said[-500:]}")
            try:
                if httpx.get(f"{self.url}/query", params={"query": "ASK {}"}, timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.05)
        raise StoreUnavailable(f"the engine (oxigraph serve) did not answer within {within_s:.0f} s")

    def _watch(self) -> None:
        """Restart the engine if it dies while we still serve (same store, same port)."""
        while not self._stopping.wait(1.0):
            with self._lock:
                if self._process is None or self._process.poll() is None or self._stopping.is_set():
                    continue
                log.error("the engine exited with %s; restarting it", self._process.returncode)
                try:
                    self._spawn()
                except StoreUnavailable as exc:
                    log.error("restarting the engine failed: %s", exc)
