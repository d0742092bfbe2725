"""Named-query and path-search latency on the demo, beside the same SPARQL run directly in pyoxigraph.

For each named query (its first page, as the API runs it):
- "computing": ecokg's answer with the kept answers emptied before each run (queries/kept.py), i.e. what the
  first caller after a load waits for; beside it "raw", the very same bound SPARQL text run with pyoxigraph's
  own `Store.query` on the same dataset, every row consumed: the ratio is what the registry costs (<= 1.3x);
- "kept": the same question asked again, as every later caller until the next load gets it (<= 100 ms);
- rdflib: the same text on rdflib's in-memory Dataset, for a few queries, at the scales where that is
  practical (`--rdflib-max` quads), each in its own process with a time limit.
Path search: the 3 shortest paths between sample pairs of firms, beside networkx's `shortest_simple_paths`
on the same strong-tie graph held in memory (its build time is given apart).

Usage: python bench/named_queries.py [--scale 100] [--repeat 3] [--home DIR]   (builds the demo store once)
       [--resume LOG] [--only QUERY ...]   (go on from an interrupted run's log; measure a few queries first)
Writes bench/results-queries-x{scale}.json; bench/BENCHMARKS.md gets its "Named queries ... x{scale}" section.
"""

from __future__ import annotations

import argparse
import functools
import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from itertools import islice
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.sections import replace_section  # noqa: E402
from bench.serve import BASE, demo_store, machine  # noqa: E402

SLOW_S = 10.0
"""A query whose first computation takes longer is timed once, not `repeat` times."""
RDFLIB_QUERIES = ("entities-per-class", "isolated-actors", "pole-digital-coverage", "technology-gap")
RDFLIB_LIMIT_S = 300
SAMPLES = {  # a value for each required parameter, by name
    "technology": "computer-vision",
    "pole": "wagralim",
}


def timed(fn: Callable[[], Any], repeat: int, before: Callable[[], Any] = lambda: None) -> list[float]:
    """Wall times in ms of `repeat` runs after one warm-up run (just the warm-up when it is slower than SLOW_S);
    `before` runs, untimed, before each."""
    return alternated(fn, None, repeat, before)[0]


def alternated(ours: Callable[[], Any], theirs: Callable[[], Any] | None, repeat: int,
               before: Callable[[], Any] = lambda: None, theirs_max_s: float | None = None,
               ) -> tuple[list[float], list[float]]:
    """Wall times in ms of `ours` and `theirs`, run in turns so that the machine's drift (caches, memory, other
    load) weighs on both alike: one warm-up each, then `repeat` turns, or just the warm-ups when one is slower
    than SLOW_S; then `ours` runs once more after `theirs`, so that each figure follows one run of the same text
    (the first run reads the store from disk: at x1000 that tripled a query's time). `theirs` is skipped (no
    times) when `ours` takes more than `theirs_max_s`; `before` runs, untimed, before each run of `ours`."""
    def once(fn: Callable[[], Any]) -> float:
        started = time.perf_counter()
        fn()
        return (time.perf_counter() - started) * 1000

    before()
    mine = [once(ours)]
    if theirs is None or (theirs_max_s is not None and mine[0] > theirs_max_s * 1000):
        theirs = None
    other = [once(theirs)] if theirs is not None else []
    if max(mine + other) > SLOW_S * 1000:
        if other:
            before()
            mine = [once(ours)]
        return mine, other
    mine, other = [], []
    for _ in range(repeat):
        before()
        mine.append(once(ours))
        if theirs is not None:
            other.append(once(theirs))
    return mine, other


def sample_values(sources: Any, spec: Any) -> dict[str, object] | None:
    """Values for the query's required parameters, or None when the bench has none to give."""
    values: dict[str, object] = {}
    for p in spec.params:
        if not p.required:
            continue
        if p.name in SAMPLES:
            values[p.name] = SAMPLES[p.name]
        elif p.kind in FIRST and (found := _first(sources, p.kind)) is not None:
            values[p.name] = found
        else:
            return None
    return values


FIRST = {  # for a required parameter of these kinds: the first such entity in IRI order
    "org": "SELECT ?x WHERE { ?m <http://www.w3.org/ns/org#member> ?x } ORDER BY ?x LIMIT 1",  # a cluster member
    "project": "SELECT ?x WHERE { ?x a <https://w3id.org/ecokg/def#Project> ; <https://w3id.org/ecokg/def#needs> ?t }"
               " ORDER BY ?x LIMIT 1",  # a project that needs a technology, so that it has candidates
}


@functools.cache
def _first(sources: Any, kind: str) -> str | None:
    """The sample IRI of FIRST[kind] (3 min at x1000 for an organisation: looked up once)."""
    import pyoxigraph as ox

    row = next(iter(sources.store.query(FIRST[kind], dataset=sources.dataset())), None)
    return row["x"].value if row is not None and isinstance(row["x"], ox.NamedNode) else None


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--home", type=Path, default=None, help="where the demo store is built (var/bench/xN)")
    parser.add_argument("--rdflib-max", type=int, default=300_000, help="rdflib only up to this many quads")
    parser.add_argument("--resume", type=Path, default=None,
                        help="a log of an interrupted run (its JSON lines): the queries it measured are kept")
    parser.add_argument("--only", nargs="+", default=None, metavar="QUERY",
                        help="these only, in order (no paths, nothing written): a partial pass; its log for --resume")
    parser.add_argument("--raw-max-s", type=float, default=None,
                        help="no raw reference for a query that computes in more than this (x1000: hours otherwise)")
    args = parser.parse_args()
    store = demo_store(args.scale, args.home)

    from api.named import Paging
    from graph.startup import open_sources
    from ontology.iris import Minter
    from ontology.vocab import prefixes
    from queries.kept import kept
    from queries.registry import bind, load_registry, run

    sources = open_sources(str(store), BASE)
    dataset = sources.dataset()
    quads = sum(v.quads for v in sources.current().values())
    union = sources.union_is_visible(True)  # the same choice graph.sources makes for each query
    dump = _dump(sources.store._store) if quads <= args.rdflib_max else None  # type: ignore[attr-defined]
    results = [json.loads(line) for line in args.resume.read_text().splitlines()
               if line.startswith('{"query"') and ('"raw_median_ms"' in line or '"networkx_median_ms"' in line)
               ] if args.resume else []
    done = {r["query"] for r in results}
    walks = [r for r in results if "networkx_median_ms" in r] or ([] if args.only else
                                                                    bench_paths(sources, args.repeat))
    registry = load_registry()
    skipped: list[str] = []
    for spec in [registry[n] for n in args.only] if args.only else sorted(registry.values(), key=lambda s: s.name):
        if "internal" in spec.tags or "test" in spec.tags or spec.name in done:
            continue
        values = sample_values(sources, spec)
        if values is None:
            skipped.append(spec.name)
            continue
        text = bind(spec, values, Minter(BASE))

        def raw(text: str = text) -> int:
            # the same pyoxigraph Store, used raw (not held in a variable of main: closing it must free the store)
            raw_store = sources.store._store  # type: ignore[attr-defined]
            if union:  # what ecokg runs too when the store holds just the visible graphs (decision 0008)
                return sum(1 for _ in raw_store.query(text, use_default_graph_as_union=True, prefixes=prefixes()))
            return sum(1 for _ in raw_store.query(text, default_graph=dataset, named_graphs=dataset,
                                                  prefixes=prefixes()))

        def named(spec: Any = spec, values: dict = values) -> Any:
            return run(sources, spec, values, limit=Paging(0, None).size(spec))  # the API's first page

        computing, reference = alternated(named, raw, args.repeat, kept.clear, args.raw_max_s)
        again = timed(named, max(args.repeat, 5))  # the last run above computed it: these are kept answers
        page = named()
        rows = raw() if reference else None  # not counted without a reference: at x1000, minutes more
        row: dict[str, Any] = {"query": spec.name, "params": values, **_stats(computing),
                               "raw_median_ms": statistics.median(reference) if reference else None,
                               "kept_median_ms": statistics.median(again), "rows": rows,
                               "page_rows": len(page.rows), "has_more": page.has_more}
        row["ratio"] = row["median_ms"] / row["raw_median_ms"] if row["raw_median_ms"] else None
        if dump is not None and spec.name in RDFLIB_QUERIES:
            row["rdflib_ms"] = _rdflib(dump, text)
        results.append(row)
        print(json.dumps(row), flush=True)
    if args.only is not None:
        return
    results = [r for r in results if "networkx_median_ms" not in r] + walks  # first: x1000's queries take hours
    sources.store.close()
    gc.collect()  # close() dropped the last reference to the pyoxigraph Store: its lock goes, for the engine
    results += bench_remote_paths(store, [r for r in results if "networkx_median_ms" in r], args.repeat)
    (ROOT / "bench" / f"results-queries-x{args.scale}.json").write_text(json.dumps(
        {"scale": args.scale, "quads": quads, "repeat": args.repeat, "results": results}, indent=2) + "\n")
    write_section(args.scale, quads, args.repeat, results, skipped, args.home)


def _stats(times: list[float]) -> dict[str, float | int]:
    return {"median_ms": statistics.median(times), "min_ms": min(times), "max_ms": max(times), "runs": len(times)}


def _dump(raw_store: Any) -> Path:
    """The store's quads as N-Quads in a temporary file, for rdflib."""
    import pyoxigraph as ox

    out = Path(tempfile.mkdtemp(prefix="ecokg-bench-")) / "dump.nq"
    raw_store.dump(str(out), ox.RdfFormat.N_QUADS)
    return out


_RDFLIB_CHILD = """
import sys, time
from rdflib import Dataset
dataset = Dataset(default_union=True)
dataset.parse(sys.argv[1], format="nquads")
text = sys.stdin.read()
started = time.perf_counter()
rows = sum(1 for _ in dataset.query(text))
print((time.perf_counter() - started) * 1000)
"""


def _rdflib(dump: Path, text: str) -> float | None:
    """rdflib's time for `text` over the dump's union of graphs in ms (parsing apart), None past the limit."""
    from ontology.vocab import prefixes

    declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in prefixes().items())
    try:
        done = subprocess.run([sys.executable, "-c", _RDFLIB_CHILD, str(dump)], input=declared + text, text=True,
                              capture_output=True, timeout=RDFLIB_LIMIT_S, check=True)
    except subprocess.TimeoutExpired:
        return None
    return float(done.stdout.strip().splitlines()[-1])


def bench_paths(sources: Any, repeat: int) -> list[dict]:
    """3 shortest paths between a few pairs of firms two projects apart, beside networkx on the same graph."""
    import networkx as nx

    from queries import paths
    from queries.registry import rows_of

    started = time.perf_counter()
    edges = rows_of(sources, "network-strong-edges")
    graph = nx.Graph()
    graph.add_edges_from((r["source"], r["target"]) for r in edges)
    built_ms = (time.perf_counter() - started) * 1000
    pairs = _pairs(graph, sorted({r["source"] for r in edges if r["relation"] == "participates_in"}))
    by_queries = {pair: timed(functools.partial(paths.find_paths, sources, *pair, k=3), repeat)
                  for pair in pairs}  # before prepare: what the CLI and the first caller after a load get
    started = time.perf_counter()
    paths.prepare(sources)
    prepared_ms = (time.perf_counter() - started) * 1000
    out = []
    for a, b in pairs:
        ours = timed(functools.partial(paths.find_paths, sources, a, b, k=3), repeat)
        found = paths.find_paths(sources, a, b, k=3)
        theirs = timed(functools.partial(_networkx_paths, graph, a, b), repeat)
        expected = [len(p) - 1 for p in islice(nx.shortest_simple_paths(graph, a, b), 3)]
        out.append({"query": f"path {a.rsplit('/', 1)[-1]} -> {b.rsplit('/', 1)[-1]}", "pair": [a, b], **_stats(ours),
                    "by_queries_median_ms": statistics.median(by_queries[a, b]), "prepare_ms": prepared_ms,
                    "networkx_median_ms": statistics.median(theirs), "networkx_build_ms": built_ms,
                    "rows": len(found), "lengths": [p.length for p in found], "networkx_lengths": expected})
        print(json.dumps(out[-1]), flush=True)
    return out


def _networkx_paths(graph: Any, a: str, b: str) -> list[list[str]]:
    import networkx as nx

    return list(islice(nx.shortest_simple_paths(graph, a, b), 3))


def bench_remote_paths(store: Path, embedded: list[dict], repeat: int) -> list[dict]:
    """The same path questions as `ecokg serve` answers them: through its engine (`oxigraph serve` on the same
    store, over loopback HTTP), the graph in memory prepared (TARGETS.md: remote <= 3x embedded)."""
    from graph.engine import Engine
    from graph.remote import RemoteStore
    from graph.sources import Sources
    from queries import paths

    engine = Engine(store, timeout_s=300).start()
    try:
        sources = Sources(RemoteStore(engine.url, timeout_s=300), BASE, exclusive=True)  # as serve owns it
        paths.prepare(sources)
        out = []
        for row in embedded:
            a, b = row["pair"]
            times = timed(functools.partial(paths.find_paths, sources, a, b, k=3), repeat)
            out.append({"query": f"remote {row['query']}", **_stats(times), "embedded_median_ms": row["median_ms"]})
            print(json.dumps(out[-1]), flush=True)
        sources.store.close()
    finally:
        engine.stop()
    return out


def _pairs(graph: Any, actors: list[str], wanted: int = 3, hops: int = 4) -> list[tuple[str, str]]:
    """The first `wanted` actors (in IRI order) with another actor `hops` hops away (two projects apart), each
    with the first such actor: deterministic sample pairs, found in memory (a SPARQL join of four
    participations takes minutes at x100)."""
    import networkx as nx

    known, out = set(actors), []
    for a in actors:
        far = sorted(b for b, d in nx.single_source_shortest_path_length(graph, a, cutoff=hops).items()
                     if d == hops and b in known and (b, a) not in out)  # not the same pair the other way
        if far:
            out.append((a, far[0]))
        if len(out) == wanted:
            break
    return out


def _growth(result: dict, before: dict[str, float]) -> str:
    """The smaller scale's computing time, and how many times longer it takes now."""
    then = before.get(result["query"])
    return f" {_ms(then)} | {result['median_ms'] / then:.0f}x |" if then else " — | — |"


def _rows(result: dict) -> str:
    """All rows as raw counted them, or else the size of ecokg's first page ("+" when it has more)."""
    if result["rows"] is not None:
        return str(result["rows"])
    if "page_rows" not in result:
        return "—"
    return f"{result['page_rows']}{'+' if result['has_more'] else ''} (first page)"


def _ms(value: float | None) -> str:
    return "—" if value is None else f"{value:,.1f} ms" if value < 100 else f"{value:,.0f} ms"


def write_section(scale: int, quads: int, repeat: int, results: list[dict], skipped: list[str],
                  home: Path | None = None) -> None:
    queries = sorted((r for r in results if "raw_median_ms" in r), key=lambda r: r["query"])
    runs = "one run" if repeat == 1 else f"median of {repeat} runs"
    store = ("" if home is None else f"\nThe store under `--home {home}` (`make bench-large` keeps bench/load.py's: the"
             " demo's sources loaded, without `ecokg demo`'s entity resolution, so no links left for review).")
    walks = [r for r in results if "networkx_median_ms" in r]
    smaller = ROOT / "bench" / f"results-queries-x{scale // 10}.json"  # how each query grows with the data
    before = {r["query"]: r["median_ms"] for r in json.loads(smaller.read_text())["results"]
              if "raw_median_ms" in r} if scale >= 10 and smaller.exists() else {}
    smaller_columns = f" computing at x{scale // 10} | growth |" if scale >= 10 else ""
    answered = (f"Public named queries answered: **{len(queries)} of {len(queries) + len(skipped)}**"
                + (f" (no sample value for {', '.join(skipped)})" if skipped else "") + ".\n")
    remote = [r for r in results if "embedded_median_ms" in r]
    remote_rows = "\n".join(
        f"| {r['query'].removeprefix('remote ')} | {_ms(r['median_ms'])} ({_ms(r['min_ms'])}–{_ms(r['max_ms'])}) | "
        f"{_ms(r['embedded_median_ms'])} | {r['median_ms'] / r['embedded_median_ms']:.1f}x |" for r in remote)
    rows = "\n".join(
        f"| {r['query']} | {_ms(r['median_ms'])} ({_ms(r['min_ms'])}–{_ms(r['max_ms'])}, {r['runs']}) | "
        f"{_ms(r['raw_median_ms'])} | {'—' if r['ratio'] is None else format(r['ratio'], '.2f')} | "
        f"{_ms(r['kept_median_ms'])} | "
        + (f"{_ms(r['rdflib_ms'])} ({r['rdflib_ms'] / r['raw_median_ms']:.0f}x raw) |"
           if r.get("rdflib_ms") and r["raw_median_ms"]
           else "— |" if "rdflib_ms" not in r else f"> {RDFLIB_LIMIT_S} s |")
        + f" {_rows(r)} |" + (_growth(r, before) if scale >= 10 else "") for r in queries)
    within = sum(1 for r in queries if r["ratio"] is not None and r["ratio"] <= 1.3)
    compared = sum(1 for r in queries if r["ratio"] is not None)
    fast = sum(1 for r in queries if r["kept_median_ms"] <= 100)
    cold_fast = sum(1 for r in queries if r["median_ms"] <= 100)
    path_rows = "\n".join(
        f"| {r['query']} | {_ms(r['median_ms'])} ({_ms(r['min_ms'])}–{_ms(r['max_ms'])}) | "
        f"{_ms(r['by_queries_median_ms'])} | {_ms(r['networkx_median_ms'])} | "
        f"{r['median_ms'] / r['networkx_median_ms']:.1f}x | {r['lengths']} / {r['networkx_lengths']} |"
        for r in walks)
    build = f"{walks[0]['networkx_build_ms'] / 1000:.1f} s" if walks else "—"
    prepared = f"{walks[0]['prepare_ms'] / 1000:.1f} s" if walks else "—"
    replace_section(f"Named queries and path search on the demo x{scale} ", f"""\
## Named queries and path search on the demo x{scale} (`bench/named_queries.py`)
{quads:,} quads; {machine()}.{store}
Each named query's first page, as the API asks it. "computing" = ecokg with its kept answers emptied before
each run (what the first caller after a load waits for); {runs} after a warm-up (min–max, runs),
ecokg's and raw's runs in turns; a query slower than {SLOW_S:.0f} s is timed once, after raw ran it (the first run
reads the store from disk). "raw" = the same bound SPARQL run directly with pyoxigraph's
`Store.query` on the same dataset (the union of the store's graphs, as ecokg uses it, decision 0008), every row
consumed; not run ("—") when ecokg's first run took longer than `--raw-max-s` (60 s in `make bench-large`), and
then ecokg's figure is that first run, and "rows" the size of its first page. "kept" = the same question asked
again until the next load (queries/kept.py; `ecokg serve` computes the parameterless ones after every write,
api/warming.py). rdflib = the same text on rdflib's in-memory Dataset
(parse time apart), for four queries where the data is small enough.

{answered}TARGETS.md: named query <= 1.3x raw: **{within} of {compared}** compared; <= 100 ms median (the goal is at
x100): kept answers **{fast} of {len(queries)}**, computing **{cold_fast} of {len(queries)}**.

| query | ecokg computing | raw pyoxigraph | ratio | ecokg kept | rdflib | rows |{smaller_columns}
|---|---|---|---|---|---|---|{"---|---|" if smaller_columns else ""}
{rows}

Path search: the 3 shortest paths between two firms two projects apart (TARGETS.md: <= 50 ms median at x100,
<= 300 ms at x1000), {runs} after a warm-up. "ecokg" = with the collaboration graph in memory,
as `ecokg serve` prepares it after each write ({prepared} to build, `queries.paths.prepare`); "by queries" = one
neighbours query per layer, as the CLI and the first caller after a load get it. Beside it networkx's
`shortest_simple_paths` over the same strong-tie graph held in memory (built from `network-strong-edges` in
{build}, not counted); ratio = ecokg / networkx. Lengths: ecokg's / networkx's.

| pair | ecokg | by queries | networkx | ratio | lengths |
|---|---|---|---|---|---|
{path_rows}

The same questions through the engine `ecokg serve` runs (`oxigraph serve` on the same store, loopback HTTP,
the graph in memory prepared), against the embedded figures above (TARGETS.md: remote <= 3x embedded):

| pair | remote | embedded | ratio |
|---|---|---|---|
{remote_rows}
""")


if __name__ == "__main__":
    main()
