"""KBO/BCE at scale: load time and peak memory of a synthetic extract with millions of rows (TARGETS: bounded
memory, < 500 MB, whatever the size of the files).

The repository holds the real sample rows of the open-data extract (tests/data/kbo/extract: 10 enterprises,
19 activity rows). This writes a big extract in the same layout by replicating them: copy k renumbers every
enterprise 1 000 000 + k*E + i (and every establishment unit and branch likewise in their own ranges), with
their check digits, so that each copy is new enterprises; and gives each entity the address of the sample
row k places further on, so that about 4 in 18 seats of every kind of enterprise fall in Wallonia (as the real
register's share is about a quarter). Then it loads it into a fresh on-disk store, in a fresh process, as
`ecokg load kbo` does: Wallonia (the default), everything (--region all), and everything as a dry run (the
loader alone: reading, filtering and converting, nothing stored). Peak RSS is the child's own
(VmHWM: bench/load.py, `child_result`).

Usage: python bench/kbo_scale.py [--activity-rows 2000000] [--keep DIR]
Writes bench/results-kbo.json and the "## KBO" section of bench/BENCHMARKS.md (the rest is kept).
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.load import child_result, run_child  # noqa: E402
from ontology.identifiers import check_digits  # noqa: E402

BASE = "http://127.0.0.1:8000/"
SAMPLE = ROOT / "tests" / "data" / "kbo" / "extract"
NUMBER_COLUMNS = {"enterprise": (0,), "establishment": (0, 2), "branch": (0, 2), "denomination": (0,),
                  "address": (0,), "activity": (0,), "contact": (0,)}
ENTERPRISES, ESTABLISHMENTS, BRANCHES = 1_000_000, 20_000_000, 90_000_000  # first bases of each range


def _read(name: str) -> tuple[list[str], list[list[str]]]:
    with (SAMPLE / f"{name}.csv").open(encoding="utf-8", newline="") as f:
        header, *rows = list(csv.reader(f))
    return header, rows


def _formatted(base: int) -> str:
    d = f"{base * 100 + check_digits(base):010d}"
    return f"{d[:4]}.{d[4:7]}.{d[7:]}" if d[0] in "01" else f"{d[0]}.{d[1:4]}.{d[4:7]}.{d[7:]}"


def build(out: Path, copies: int) -> dict[str, int]:
    """The sample extract written `copies` times, renumbered; returns the rows of each table."""
    out.mkdir(parents=True, exist_ok=True)
    tables = {name: _read(name) for name in NUMBER_COLUMNS}
    numbers = sorted({row[c] for name, (_, rows) in tables.items() for row in rows for c in NUMBER_COLUMNS[name]})
    ranges: dict[str, tuple[int, list[str]]] = {
        "enterprise": (ENTERPRISES, [n for n in numbers if n[0] in "01"]),
        "establishment": (ESTABLISHMENTS, [n for n in numbers if n[0] in "2345678"]),
        "branch": (BRANCHES, [n for n in numbers if n[0] == "9"]),
    }
    position = {n: (first, len(members), i) for first, members in ranges.values() for i, n in enumerate(members)}
    counts = {}
    for name, (header, rows) in tables.items():
        with (out / f"{name}.csv").open("w", encoding="utf-8", newline="") as f:
            f.write(",".join(f'"{h}"' for h in header) + "\n")
            writer = csv.writer(f, quoting=csv.QUOTE_ALL, lineterminator="\n")
            for k in range(copies):
                for r, row in enumerate(rows):
                    new = list(row)
                    for c in NUMBER_COLUMNS[name]:
                        first, size, i = position[row[c]]
                        new[c] = _formatted(first + k * size + i)
                    if name == "address":  # the seat of the sample row k places further on
                        new[1:] = rows[(r + k) % len(rows)][1:]
                    writer.writerow(new)
        counts[name] = copies * len(rows)
    for name in ("code", "meta"):
        shutil.copy(SAMPLE / f"{name}.csv", out / f"{name}.csv")
    return counts


def child(mode: str, extract: str, target: str, region: str = "") -> dict:
    """In a fresh process: `load` (into the store `target`), `dry` (the same, writing nothing), `dump` (the
    loader's triples as N-Triples into the file `target`) or `bulk` (pyoxigraph's bulk_load of the file
    `extract` into the store `target`: what the store alone costs)."""
    import pyoxigraph as ox

    from graph.startup import open_sources
    from loaders.run import convert, load
    from loaders.vocabulary import Vocabulary
    from ontology.iris import Minter

    started = time.perf_counter()
    if mode == "bulk":
        store = ox.Store(target)
        store.bulk_load(path=extract, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.NamedNode(BASE + "g"))
        return {"rows": 0, "total_s": time.perf_counter() - started, "quads": len(store)}
    if mode == "dump":
        conversion = convert("kbo", [Path(extract)], Vocabulary.from_quads([]), Minter(BASE), region=region or None)
        with open(target, "w", encoding="utf-8") as f:
            f.writelines(f"{s} {p} {o} .\n" for s, p, o in conversion.triples)
        return {"rows": conversion.builder.rows, "total_s": time.perf_counter() - started}
    sources = open_sources(target, BASE)
    report = load(sources, "kbo", [Path(extract)], region=region or None, dry_run=mode == "dry")
    result = {"rows": report.rows, "total_s": time.perf_counter() - started}
    if report.result is not None:
        result |= {"quads": report.result.version.quads, "visible_s": report.result.seconds_to_visible}
    sources.store.close()
    return result


CASES = {  # key: (name, what runs)
    "wallonia": ("Wallonia (default)", ("load", "")),
    "all": ("--region all", ("load", "all")),
    "dry": ("--region all --dry-run (the loader alone)", ("dry", "all")),
    "bulk": ("Wallonia's triples through pyoxigraph bulk_load alone (the store's own cost)", ("bulk", "")),
}


def run_case(key: str, extract: Path, work: Path) -> dict:
    name, (mode, region) = CASES[key]
    store = work / f"store-{key}"
    if mode == "bulk":  # the triples of the Wallonia load, written by a child of their own
        dump = work / "wallonia.nt"
        run_child("dump", str(extract), str(dump), region, script=__file__)
        result = run_child("bulk", str(dump), str(store), script=__file__)
        dump.unlink()
    else:
        result = run_child(mode, str(extract), str(store), region, script=__file__)
    shutil.rmtree(store, ignore_errors=True)
    return {"case": name, "measured": time.strftime("%Y-%m-%d"), **result}


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child_result(child(*sys.argv[2:]))
        return
    parser = argparse.ArgumentParser()
    parser.add_argument("--activity-rows", type=int, default=2_000_000)
    parser.add_argument("--only", default=",".join(CASES), help=f"cases to run, of {', '.join(CASES)}: the "
                        "others are kept from the last results-kbo.json")
    parser.add_argument("--keep", type=Path, help="write the extract here and keep it")
    parser.add_argument("--out", type=Path, default=ROOT / "bench")
    args = parser.parse_args()
    args.out.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix="ecokg-kbo-"))
    extract = args.keep or work / "extract"
    copies = -(-args.activity_rows // len(_read("activity")[1]))
    started = time.perf_counter()
    counts = build(extract, copies)
    built = time.perf_counter() - started
    size = sum(p.stat().st_size for p in extract.iterdir()) / 2**20
    print(json.dumps({"copies": copies, "rows": counts, "mb": size, "build_s": built}), flush=True)
    saved = args.out / "results-kbo.json"
    before = json.loads(saved.read_text()) if saved.exists() else {}
    kept = {r["case"]: r for r in before.get("results", []) if before.get("copies") == copies}
    for key in args.only.split(","):
        result = run_case(key, extract, work)
        print(json.dumps(result), flush=True)
        kept[result["case"]] = result
    shutil.rmtree(work, ignore_errors=True)
    results = [kept[name] for name, _ in CASES.values() if name in kept]
    summary = {"copies": copies, "rows": counts, "extract_mb": size, "results": results}
    saved.write_text(json.dumps(summary, indent=2) + "\n")
    page = args.out / "BENCHMARKS.md"
    text = page.read_text(encoding="utf-8") if page.exists() else "# Benchmarks\n"
    section = report(summary).rstrip("\n")
    if "\n## KBO" in text:
        text = re.sub(r"\n## KBO.*?(?=\n## |\Z)", lambda _: "\n" + section + "\n", text, count=1, flags=re.S)
    else:
        text = text.rstrip("\n") + "\n\n" + section
    page.write_text(text.rstrip("\n") + "\n", encoding="utf-8")


def report(summary: dict) -> str:
    import platform

    import pyoxigraph

    rows = summary["rows"]
    lines = [f"| {r['case']} | {r['rows']:,} | {r.get('quads', 0):,} | {r['total_s']:.0f} s | "
             + (f"{r['visible_s']:.0f} s | " if "visible_s" in r else "— | ")
             + f"**{r['peak_rss_mb']:.0f} MB** | {r.get('measured', '2026-11-28')} |" for r in summary["results"]]
    return f"""## KBO (`bench/kbo_scale.py`; TARGETS: bounded memory, < 500 MB, whatever the size)
`ecokg load kbo DIR` of a synthetic extract into a fresh on-disk store, in a fresh process ({os.cpu_count()} cores,
Python {platform.python_version()}, pyoxigraph {pyoxigraph.__version__}, {time.strftime('%Y-%m-%d')}; one run each).
The extract is the real sample rows (tests/data/kbo/extract) copied {summary['copies']:,} times with new numbers:
{summary['extract_mb']:.0f} MB, {rows['activity']:,} activity rows, {rows['enterprise']:,} enterprises,
{rows['address']:,} addresses, {rows['denomination']:,} names, {rows['establishment']:,} establishment units
(the real extract: 1.6 GB of activity.csv, ~1.9 M enterprises). Every file is streamed; the filter holds bit sets
of numbers (12.5 MB each), whatever the size. "rows" = rows converted (kept by the filter); "total" = the whole
`load()` call; "visible" = until the new version is committed.

The loader alone (the dry run: both passes, filter, conversion of every row) stays under 100 MB at any size
(96 MB at 20 k activity rows, 99 MB at 200 k, the figure below at 2 M). A full load adds the store's write path:
graph.store writes a version in bulk_load calls of about 95,000 triples (pyoxigraph's bulk loader holds a
call in memory: one call for the whole source, last row, peaks at 1.7 GB), and graph.digests keeps 16 bytes per
triple written (its line's hash and its entity's hash, to count and digest what it wrote), sorted in 16 buckets
once the stream is over. Those grow with the quads written, not with the files read. The Wallonia load peaked at
1,752 MB with one bulk_load call and a Python set of hashes, 626 MB with calls of 250,000 triples and a dict of
the entities' IRIs, 452 MB since 2026-11-29 (calls of 95,000 triples, entities known by hash).

| case | rows | quads | total | visible | peak RSS | measured |
|---|---|---|---|---|---|---|
{chr(10).join(lines)}
"""


if __name__ == "__main__":
    main()
