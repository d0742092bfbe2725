"""Opening a store brings the bundled model (the taxonomy with its written-out closure), and drops what a
killed load left, whoever opens it: graph.startup.open_sources, or any `ecokg` command (`serve` included)."""

from __future__ import annotations

import io
import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pyoxigraph as ox

from graph.sources import LoadInput, Sources
from graph.startup import open_sources
from graph.store import EmbeddedStore, GraphStore

TECH = "https://w3id.org/ecokg/tech/"
WITHIN = "https://w3id.org/ecokg/def#within"


def test_within_is_the_reflexive_transitive_closure_of_broader(sources: Sources) -> None:
    def within(slug: str) -> set[str]:
        q = f"SELECT ?up WHERE {{ <{TECH}{slug}> <{WITHIN}> ?up }}"
        return {r["up"].value.removeprefix(TECH) for r in sources.store.query(q, dataset=sources.dataset())}  # type: ignore[union-attr,index]

    # image recognition -> computer vision -> artificial intelligence (technologies.ttl), and itself
    assert within("image-recognition") == {"image-recognition", "computer-vision", "artificial-intelligence"}
    assert within("artificial-intelligence") == {"artificial-intelligence"}
    # the same as the property path, for every concept of the technology taxonomy and of euroSciVoc
    for scheme in (TECH, "urn:cordis:euroscivoc:"):
        concepts = f"?c a <http://www.w3.org/2004/02/skos/core#Concept> FILTER(STRSTARTS(STR(?c), {scheme!r}))"
        broader = "<http://www.w3.org/2004/02/skos/core#broader>*"
        path = sources.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {concepts} ?c {broader} ?up }}",
                                   dataset=sources.dataset())
        written = sources.store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ {concepts} ?c <{WITHIN}> ?up }}",
                                      dataset=sources.dataset())
        counted = int(next(iter(path))["n"].value)  # type: ignore[index,union-attr,call-overload]
        assert counted > 100 and counted == int(next(iter(written))["n"].value)  # type: ignore[index,union-attr,call-overload]


def test_a_bundled_source_is_loaded_once(sources: Sources) -> None:
    from graph.startup import ensure_system

    assert ensure_system(sources) == []  # fingerprints match: nothing to reload


BASE = "http://example.org/"
ROOT = Path(__file__).resolve().parents[2]
ECOKG = [sys.executable, "-c", "from api.cli import app; app(prog_name='ecokg')"]
P = ox.NamedNode(f"{BASE}p")
# A load killed at the worst moment: its version graph fully written, its commit record not yet (describe()
# runs between the two, graph.sources.Sources._replace), so the kill comes from there, every time.
KILLED_LOAD = f"""
import os, signal, sys
import pyoxigraph as ox
from graph.sources import Sources
from graph.store import EmbeddedStore, GraphStore
sources = Sources(EmbeddedStore(sys.argv[1]), {BASE!r})
triples = ((ox.NamedNode(f"{BASE}id/e{{i}}"), ox.NamedNode("{P.value}"), ox.Literal("new")) for i in range(1000))
sources.replace("members", triples, lambda: os.kill(os.getpid(), signal.SIGKILL))
"""


def sorted_dump(store: GraphStore) -> list[bytes]:
    out = io.BytesIO()
    store.dump(out)
    return sorted(out.getvalue().splitlines())


def test_opening_a_store_drops_what_a_killed_load_left(tmp_path: Path, system_dump: bytes) -> None:
    store = tmp_path / "store"
    sources = Sources(EmbeddedStore(store), BASE)
    sources.store.restore(io.BytesIO(system_dump))  # the bundled sources, up to date: opening adds nothing
    for name in ("members", "labs"):
        triples = [(ox.NamedNode(f"{BASE}id/{name}{i}"), P, ox.Literal("old")) for i in range(100)]
        sources.replace(name, triples, lambda: LoadInput(files=(), rows=100, loader_version="t"))
    before = sorted_dump(sources.store)
    sources.store.close()

    killed = subprocess.run([sys.executable, "-c", KILLED_LOAD, str(store)], cwd=ROOT, timeout=120)
    assert killed.returncode == -signal.SIGKILL
    left = EmbeddedStore(store)  # what the kill left: the new version, written whole, with no commit record
    leftover = ox.NamedNode(f"{BASE}graph/source/members/v2")
    assert len(list(left.quads(leftover))) == 1000
    assert sorted_dump(left) != before
    left.close()

    through_startup = tmp_path / "startup"
    shutil.copytree(store, through_startup)
    opened = open_sources(str(through_startup), BASE)
    assert leftover not in set(opened.store.graphs())
    assert sorted_dump(opened.store) == before  # every source its previous version, nothing else changed
    opened.store.close()

    through_cli = tmp_path / "cli"  # `ecokg serve` opens the store the same way (api.cli._sources)
    shutil.copytree(store, through_cli)
    out = tmp_path / "dump.nq"
    env = {**os.environ, "ECOKG_STORE": str(through_cli), "ECOKG_BASE_IRI": BASE}
    subprocess.run([*ECOKG, "dump", str(out)], cwd=ROOT, env=env, timeout=120, check=True, capture_output=True)
    assert sorted(out.read_bytes().splitlines()) == before
