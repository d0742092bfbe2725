"""Named-query and path-search latency on the demo, beside the same SPARQL run directly in pyoxigraph.

For each named query (its first page, as the CLI and API run it) the median over repeated runs, and the
median of the very same bound SPARQL text run with pyoxigraph's own `Store.query` on the same dataset, every
row consumed: the ratio is what the registry (binding, conversion to JSON values) costs. Path search: the
3 shortest paths between sample pairs of actors, beside a networkx BFS on the same graph held in memory.

Usage: python bench/named_queries.py [--scale 100] [--repeat 7] [--store DIR]   (builds the demo store once)
Writes bench/results-queries.json; bench/BENCHMARKS.md gets its "Named queries" section.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.sections import replace_section  # noqa: E402

BASE = "http://127.0.0.1:8000/"

SAMPLES = {  # a value for each required parameter, by name
    "technology": "computer-vision",
    "pole": "wagralim",
}


def timed(fn: Callable[[], Any], repeat: int) -> tuple[float, float, float]:
    """Median, min and max wall time in ms after one warm-up run."""
    fn()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        fn()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), min(times), max(times)


def build_store(scale: int, store: Path) -> None:
    if store.exists():
        return
    subprocess.run([sys.executable, "-c", "from api.cli import app; app(prog_name='ecokg')", "demo", "--scale",
                    str(scale), "--out", str(store.parent / "demo")], cwd=ROOT, check=True,
                   env={"ECOKG_STORE": str(store), "PATH": "/usr/bin:/bin"})


def sample_values(sources: Any, spec: Any) -> dict[str, object] | None:
    """Values for the query's required parameters, or None when the bench has none to give."""
    import pyoxigraph as ox

    values: dict[str, object] = {}
    for p in spec.params:
        if not p.required:
            continue
        if p.name in SAMPLES:
            values[p.name] = SAMPLES[p.name]
        elif p.kind == "org":
            q = "SELECT ?o WHERE { ?m <http://www.w3.org/ns/org#member> ?o } ORDER BY ?o LIMIT 1"
            row = next(iter(sources.store.query(q, dataset=sources.dataset())))
            values[p.name] = row["o"].value if isinstance(row["o"], ox.NamedNode) else None
        else:
            return None
    return values


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--store", type=Path, default=Path("/tmp/ecokg-bench-queries"))
    args = parser.parse_args()
    store = args.store / f"x{args.scale}" / "store"
    build_store(args.scale, store)

    import pyoxigraph as ox

    from graph.startup import open_sources
    from ontology.iris import Minter
    from ontology.vocab import prefixes
    from queries.registry import bind, load_registry, run

    sources = open_sources(str(store), BASE)
    dataset = sources.dataset()
    union = sources._union_is_visible(True)  # the same choice graph.sources makes for each query
    raw_store = sources.store._store  # type: ignore[attr-defined]  # the same pyoxigraph Store, used raw
    results = []
    for spec in sorted(load_registry().values(), key=lambda s: s.name):
        if "internal" in spec.tags or "test" in spec.tags:
            continue
        values = sample_values(sources, spec)
        if values is None:
            continue
        text = bind(spec, values, Minter(BASE))

        def raw(text: str = text) -> int:
            if union:  # what ecokg runs too when the store holds just the visible graphs (decision 0008)
                return sum(1 for _ in raw_store.query(text, use_default_graph_as_union=True, prefixes=prefixes()))
            return sum(1 for _ in raw_store.query(text, default_graph=dataset, named_graphs=dataset,
                                                  prefixes=prefixes()))

        def named(spec: Any = spec, values: dict = values) -> Any:
            return run(sources, spec, values)

        ours, ours_min, ours_max = timed(named, args.repeat)
        ref, _, _ = timed(raw, args.repeat)
        results.append({"query": spec.name, "params": values, "median_ms": ours, "min_ms": ours_min,
                        "max_ms": ours_max, "raw_median_ms": ref, "ratio": ours / ref if ref else None,
                        "rows": raw()})
        print(json.dumps(results[-1]), flush=True)
    try:
        from queries import paths
    except ImportError:
        paths = None
    if paths is not None:
        results += bench_paths(sources, paths, args.repeat)
    sources.store.close()
    (ROOT / "bench" / "results-queries.json").write_text(json.dumps(
        {"scale": args.scale, "repeat": args.repeat, "results": results}, indent=2) + "\n")
    write_section(args.scale, args.repeat, results)
    del ox


def bench_paths(sources: Any, paths: Any, repeat: int) -> list[dict]:
    """3 shortest paths between a few pairs of firms that share a project at some distance."""
    q = """PREFIX eco: <https://w3id.org/ecokg/def#>
    SELECT ?a ?b WHERE { ?p1 eco:participant ?a ; eco:project ?x . ?p2 eco:participant ?l ; eco:project ?x .
                         ?p3 eco:participant ?l ; eco:project ?y . ?p4 eco:participant ?b ; eco:project ?y .
                         FILTER(?a != ?b && ?x != ?y && ?l != ?a && ?l != ?b) } ORDER BY ?a ?b LIMIT 3"""
    pairs = [(r["a"].value, r["b"].value) for r in sources.store.query(q, dataset=sources.dataset())]
    out = []
    for a, b in pairs:
        median, low, high = timed(lambda a=a, b=b: paths.find_paths(sources, a, b, k=3), repeat)
        found = paths.find_paths(sources, a, b, k=3)
        out.append({"query": f"path {a.rsplit('/', 1)[-1]} -> {b.rsplit('/', 1)[-1]}", "median_ms": median,
                    "min_ms": low, "max_ms": high, "rows": len(found),
                    "lengths": [p.length for p in found]})
        print(json.dumps(out[-1]), flush=True)
    return out


def write_section(scale: int, repeat: int, results: list[dict]) -> None:
    rows = "\n".join(
        f"| {r['query']} | {r['median_ms']:.1f} ms ({r['min_ms']:.1f}–{r['max_ms']:.1f}) | "
        + (f"{r['raw_median_ms']:.1f} ms | {r['ratio']:.2f} |" if "raw_median_ms" in r else "— | — |")
        + f" {r['rows']} |"
        for r in results)
    replace_section(f"Named queries and path search on the demo x{scale} ", f"""\
## Named queries and path search on the demo x{scale} (`bench/named_queries.py`)
Median of {repeat} runs after a warm-up (min–max). "raw" = the same bound SPARQL run directly with pyoxigraph's
`Store.query` on the same dataset (the union of the store's graphs when ecokg uses it too, decision 0008),
every row consumed (TARGETS.md: named query <= 1.3x raw, <= 100 ms median at x100). Path rows: the 3 shortest
paths between two firms (TARGETS.md: <= 50 ms median at x100).

| query | ecokg | raw pyoxigraph | ratio | rows |
|---|---|---|---|---|
{rows}
""")


if __name__ == "__main__":
    main()
