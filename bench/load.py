"""Load benchmark: ecokg's end-to-end load of the demo beside pyoxigraph's own bulk_load and rdflib.

For each scale, the demo files are generated once; then, each in a fresh child process (so that peak
memory is its own) and repeated, medians reported:
- ecokg: every demo source loaded as `ecokg demo` does (read, validate, convert, atomic commit), timed
  until each new version is visible; the comparison and drop of old versions are reported apart;
- bulk_load: pyoxigraph `Store.bulk_load` of the very quads ecokg wrote (dumped as N-Quads) into a fresh
  on-disk store: the limit for any loader;
- rdflib: `Dataset.parse` of the same N-Quads, what a user would otherwise pick (small scales only).

Usage: python bench/load.py [--scales 1 10 100] [--repeat 3] [--rdflib-max 10]
Writes bench/results-load.json and bench/BENCHMARKS.md.
"""

from __future__ import annotations

import argparse
import importlib
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BASE = "http://127.0.0.1:8000/"


def child_ecokg(demo_dir: str, store: str, dump: str) -> dict:
    from graph.startup import open_sources
    from loaders.demo import generate  # noqa: F401  (same import cost as the CLI)
    from loaders.run import load

    sources = open_sources(store, BASE)
    manifest = json.loads(Path(demo_dir, "manifest.json").read_text())
    visible = after = 0.0
    quads = 0
    started = time.perf_counter()
    for f in manifest:
        report = load(sources, f["kind"], [Path(p) for p in f["paths"]], source=f["source"])
        assert report.result is not None
        visible += report.result.seconds_to_visible
        after += report.result.seconds_after
        quads += report.result.version.quads
    total = time.perf_counter() - started
    import pyoxigraph as ox

    with open(dump, "wb") as out:  # the same quads, for the references
        current = sources.current()
        for f in manifest:
            graph = current[f["source"]].graph
            triples = (ox.Quad(q.subject, q.predicate, q.object, graph) for q in sources.store.quads(graph))
            ox.serialize(triples, out, ox.RdfFormat.N_QUADS)
    sources.store.close()
    return {"quads": quads, "visible_s": visible, "after_s": after, "total_s": total}


def child_imports(kind: str) -> dict:
    """Only what a child of this kind imports: its process's floor, whatever the size of the data."""
    for module in ("graph.startup", "loaders.demo", "loaders.run") if kind == "ecokg" else ("pyoxigraph",):
        importlib.import_module(module)  # what child_ecokg / child_bulk_load import
    return {}


def child_bulk_load(dump: str, store: str) -> dict:
    import pyoxigraph as ox

    s = ox.Store(store)
    started = time.perf_counter()
    s.bulk_load(path=dump, format=ox.RdfFormat.N_QUADS)
    s.flush()
    return {"seconds": time.perf_counter() - started}


def child_rdflib(dump: str) -> dict:
    from rdflib import Dataset

    started = time.perf_counter()
    Dataset().parse(dump, format="nquads")
    return {"seconds": time.perf_counter() - started}


def run_child(*args: str, script: str = __file__) -> dict:
    """Run a bench script's child mode (this one's by default), in a fresh process; return its JSON result, with
    its own peak RSS (MB; see `child_result`)."""
    done = subprocess.run([sys.executable, script, "child", *args], cwd=ROOT, stdout=subprocess.PIPE,
                          env={**os.environ, "PYTHONPATH": str(ROOT)})
    if done.returncode != 0:
        raise SystemExit(f"child {args[0]} failed ({done.returncode})")
    return json.loads(done.stdout)


def child_result(result: dict) -> None:
    """A child's last word: its result and its peak RSS, read from /proc/self/status (VmHWM, the pages of its own
    memory since it started). Not wait4's ru_maxrss: a child that subprocess starts counts from its parent's RSS
    (a 22 MB child of a 300 MB parent read 319 MB; this parent, with ecokg imported, weighs about 65 MB)."""
    status = Path("/proc/self/status").read_text()
    peak_kb = int(status.split("VmHWM:", 1)[1].split()[0])
    print(json.dumps({**result, "peak_rss_mb": peak_kb / 1024}))


def median(runs: list[dict], key: str) -> float:
    return statistics.median(r[key] for r in runs)


def spread(runs: list[dict], key: str) -> str:
    values = [r[key] for r in runs]
    return f"{min(values):.2f}–{max(values):.2f}"


def bench_scale(scale: int, repeat: int, with_rdflib: bool, keep: Path | None = None) -> dict:
    """One scale's runs; with `keep`, the last ecokg store is kept as keep/store (bench/named_queries.py --home
    keep then queries it instead of building the demo again: at x1000 that build takes most of an hour)."""
    from loaders.demo import generate

    work = Path(tempfile.mkdtemp(prefix=f"ecokg-bench-x{scale}-"))
    files = generate(work / "demo", scale=scale)
    (work / "demo" / "manifest.json").write_text(json.dumps(
        [{"kind": f.kind, "source": f.source, "paths": [str(p) for p in f.paths]} for f in files]))
    dump = str(work / "demo.nq")
    ecokg, bulk, rdf = [], [], []
    for i in range(repeat):
        ecokg.append(run_child("ecokg", str(work / "demo"), str(work / f"store-ecokg-{i}"), dump))
        bulk.append(run_child("bulk_load", dump, str(work / f"store-bulk-{i}")))
        if with_rdflib:
            rdf.append(run_child("rdflib", dump))
        if keep is not None and i == repeat - 1:
            shutil.rmtree(keep, ignore_errors=True)
            keep.mkdir(parents=True)
            shutil.move(work / f"store-ecokg-{i}", keep / "store")
            (keep / "complete").touch()  # what bench/serve.demo_store looks for
        subprocess.run(["rm", "-rf", str(work / f"store-ecokg-{i}"), str(work / f"store-bulk-{i}")], check=True)
    quads = ecokg[0]["quads"]
    floor = {kind: run_child("imports", kind)["peak_rss_mb"] for kind in ("ecokg", "bulk_load")}
    out = {
        "scale": scale, "quads": quads, "repeat": repeat, "measured": time.strftime("%Y-%m-%d"),
        "ecokg_visible_s": median(ecokg, "visible_s"), "ecokg_visible_spread": spread(ecokg, "visible_s"),
        "ecokg_after_s": median(ecokg, "after_s"), "ecokg_total_s": median(ecokg, "total_s"),
        "ecokg_rss_mb": median(ecokg, "peak_rss_mb"),
        "bulk_s": median(bulk, "seconds"), "bulk_spread": spread(bulk, "seconds"),
        "bulk_rss_mb": median(bulk, "peak_rss_mb"),
        "ecokg_imports_mb": floor["ecokg"], "bulk_imports_mb": floor["bulk_load"],
    }
    out["ecokg_rate"] = quads / out["ecokg_visible_s"]
    out["bulk_rate"] = quads / out["bulk_s"]
    out["ratio"] = out["ecokg_rate"] / out["bulk_rate"]
    out["rss_ratio"] = out["ecokg_rss_mb"] / out["bulk_rss_mb"]
    out["work_rss_ratio"] = (out["ecokg_rss_mb"] - floor["ecokg"]) / (out["bulk_rss_mb"] - floor["bulk_load"])
    if rdf:
        out["rdflib_s"] = median(rdf, "seconds")
        out["rdflib_rss_mb"] = median(rdf, "peak_rss_mb")
        out["vs_rdflib"] = out["rdflib_s"] / out["ecokg_visible_s"]
    subprocess.run(["rm", "-rf", str(work)], check=True)
    return out


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        children: dict[str, Callable[..., dict]] = {"ecokg": child_ecokg, "bulk_load": child_bulk_load,
                                                     "rdflib": child_rdflib, "imports": child_imports}
        child_result(children[sys.argv[2]](*sys.argv[3:]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--scales", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--rdflib-max", type=int, default=10, help="largest scale to parse with rdflib")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    parser.add_argument("--keep", type=Path, help="keep the last ecokg store of each scale in KEEP/x{scale}")
    args = parser.parse_args()
    saved = args.out / "results-load.json"
    earlier = {r["scale"]: r for r in json.loads(saved.read_text())} if saved.exists() else {}
    for scale in args.scales:  # the scales run now replace theirs; the others' rows stay (bench-large adds x1000)
        r = bench_scale(scale, args.repeat, scale <= args.rdflib_max, args.keep / f"x{scale}" if args.keep else None)
        print(json.dumps(r), flush=True)
        earlier[scale] = r
    results = [earlier[s] for s in sorted(earlier)]
    saved.write_text(json.dumps(results, indent=2) + "\n")
    page = args.out / "BENCHMARKS.md"
    after = page.read_text(encoding="utf-8").partition("\n## Loading the demo ecosystem")[2] if page.exists() else ""
    others = after[after.find("\n## "):] if "\n## " in after else ""  # every other section, kept as it is
    page.write_text(report(results).rstrip() + "\n" + others, encoding="utf-8")


def machine() -> str:
    import platform

    import pyoxigraph
    import rdflib

    cpu = next((line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    return (f"{os.cpu_count()} cores ({cpu}), Python {platform.python_version()}, "
            f"pyoxigraph {pyoxigraph.__version__}, rdflib {rdflib.__version__}, {time.strftime('%Y-%m-%d')}")


COLUMNS = ("scale", "quads", "ecokg until visible", "quads/s", "peak RSS", "bulk_load", "quads/s", "peak RSS",
           "rate ratio", "RSS ratio", "RSS ratio above imports", "after", "rdflib", "measured")
HEADER = "| " + " | ".join(COLUMNS) + " |\n|" + "---|" * len(COLUMNS)


def report(results: list[dict]) -> str:
    rows = []
    for r in results:
        rdf = (f"{r['rdflib_s']:.2f} s ({r['vs_rdflib']:.1f}x slower than ecokg)" if "rdflib_s" in r else "—")
        rows.append(
            f"| x{r['scale']} | {r['quads']:,} | {r['ecokg_visible_s']:.2f} s ({r['ecokg_visible_spread']}) | "
            f"{r['ecokg_rate']:,.0f} | {r['ecokg_rss_mb']:.0f} MB | {r['bulk_s']:.2f} s ({r['bulk_spread']}) | "
            f"{r['bulk_rate']:,.0f} | {r['bulk_rss_mb']:.0f} MB | **{r['ratio']:.2f}** | {r['rss_ratio']:.2f} | "
            + (f"{r['work_rss_ratio']:.2f} ({r['ecokg_imports_mb']:.0f} / {r['bulk_imports_mb']:.0f} MB) | "
               if "work_rss_ratio" in r else "— | ") +
            f"{r['ecokg_after_s']:.2f} s | {rdf} | {r.get('measured', '2026-11-28')} |")
    return f"""# Benchmarks

Generated by `make bench` (`bench/load.py`); do not edit by hand. Machine: {machine()}.
Medians over {results[0]['repeat'] if results else 0} runs (spread min–max in brackets), each run in a fresh process.

## Loading the demo ecosystem (TARGETS.md: rate >= 0.5x bulk_load's, peak RSS <= 1.5x)
ecokg = every demo source read, validated, converted and committed as `ecokg demo` does, timed until each new
version is visible; "after" = comparing with the previous version and dropping it, once visible (a first load
has nothing to drop). bulk_load = pyoxigraph `Store.bulk_load` of the very same quads (N-Quads dump) into a fresh
on-disk store. rdflib = `Dataset.parse` of that dump in memory. "Above imports": each side's peak RSS less that of
a process that only imports what it imports (ecokg / bulk_load, in brackets): Python with ecokg's libraries
(numpy, openpyxl, pydantic, rdflib, pyoxigraph) weighs more than with pyoxigraph alone, whatever the data.

{HEADER}
{chr(10).join(rows)}
"""


if __name__ == "__main__":
    main()
