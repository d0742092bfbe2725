"""A load killed (SIGKILL) at a random point: the store opens, and the source is its old or its new
version, never half; the other sources are untouched. (Issue 8 raises this to >= 20 trials.)"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from graph.sources import LoadInput, Sources
from graph.store import EmbeddedStore

BASE = "http://example.org/"
ROOT = Path(__file__).resolve().parents[2]
N = 150_000

LOADER = f"""
import sys
import pyoxigraph as ox
from graph.sources import LoadInput, Sources
from graph.store import EmbeddedStore
sources = Sources(EmbeddedStore(sys.argv[1]), {BASE!r})
p = ox.NamedNode("http://example.org/p")
value = sys.argv[2]
triples = ((ox.NamedNode(f"http://example.org/id/e{{i}}"), p, ox.Literal(value)) for i in range({N}))
print("start", flush=True)
sources.replace("members", triples, lambda: LoadInput(files=(), rows={N}, loader_version="t"))
sources.store.close()
print("done", flush=True)
"""


def run_loader(store: Path, value: str, kill_after: float | None) -> bool:
    """Run a load in a child process; kill it after `kill_after` s. True if it finished."""
    proc = subprocess.Popen([sys.executable, "-c", LOADER, str(store), value], cwd=ROOT,
                            stdout=subprocess.PIPE, text=True)
    assert proc.stdout is not None
    assert proc.stdout.readline().strip() == "start"
    if kill_after is None:
        proc.wait(timeout=120)
        return True
    time.sleep(kill_after)
    if proc.poll() is None:
        os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    return proc.returncode == 0


def values(sources: Sources) -> dict[str, int]:
    q = "SELECT ?o (COUNT(*) AS ?n) WHERE { ?s <http://example.org/p> ?o } GROUP BY ?o"
    return {r["o"].value: int(r["n"].value) for r in sources.store.query(q, dataset=sources.dataset())}  # type: ignore[union-attr,index]


@pytest.mark.parametrize("seed", range(5))
def test_killed_load_leaves_old_or_new_never_half(tmp_path: Path, seed: int) -> None:
    store = tmp_path / "store"
    assert run_loader(store, "old", None)
    s = Sources(EmbeddedStore(store), BASE)
    s.replace("labs", [(s.meta, s.meta, s.meta)], lambda: LoadInput(files=(), rows=1, loader_version="t"))
    labs_before = [str(q) for q in s.store.quads(s.current()["labs"].graph)]
    s.store.close()

    finished = run_loader(store, "new", random.Random(seed).uniform(0.0, 1.5))

    reopened = Sources(EmbeddedStore(store), BASE)
    reopened.cleanup()
    seen = values(reopened)
    assert seen in ({"old": N}, {"new": N}), f"half a source is visible: {seen}"
    if finished:
        assert seen == {"new": N}
    assert [str(q) for q in reopened.store.quads(reopened.current()["labs"].graph)] == labs_before
    # nothing is left of an unfinished version
    graphs = {g.value for g in reopened.store.graphs()}
    assert graphs == {reopened.meta.value, reopened.current()["members"].graph.value,
                      reopened.current()["labs"].graph.value}
    reopened.store.close()
