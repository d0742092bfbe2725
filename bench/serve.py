"""HTTP benchmark: throughput and latency of `ecokg serve` beside a plain Oxigraph server on the same data.

`ecokg serve` answers through a child `oxigraph serve` (decision 0007), so its cost over Oxigraph is our own
layer: FastAPI, the dataset of visible sources, re-encoding the answer. To measure that, the same query goes to
ecokg's /sparql and to a reference `oxigraph serve` on a copy of the store, once with the very dataset ecokg
uses (default-graph-uri / named-graph-uri: the current versions of the public sources) and once over the union
of all graphs (what the dataset restriction costs Oxigraph itself). Also measured: a named query and an entity
page (with a read key, since they need the restricted pole project lists), and /health.

Load: N concurrent clients in one asyncio process, each with its own persistent httpx.AsyncClient (keep-alive),
sending one request after another; the first seconds (warm-up) are not counted. Each case's time is cut into
slices run in rounds over all cases, so that whatever else the machine does weighs on every case alike.

Usage: python bench/serve.py --scale 100 [--clients 1 8 16] [--seconds 20] [--rounds 4] [--warmup 2]
The demo store is built once under var/bench/xN (reused when complete). Writes bench/results-http.json (one
entry per scale) and the "HTTP" section of bench/BENCHMARKS.md. Not named http.py: that would shadow the
standard library's `http` package for every import made by a script run from bench/.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BASE = "http://127.0.0.1:8000/"  # the base IRI bench/load.py and named_queries.py load with
BIN = Path(sys.executable).parent
RESULTS = "application/sparql-results+json"
QUERIES = {
    "count": """PREFIX eco: <https://w3id.org/ecokg/def#>
SELECT (COUNT(?lab) AS ?labs) WHERE { ?lab a eco:ResearchLab }""",
    "lookup": """PREFIX locn: <http://www.w3.org/ns/locn#>
PREFIX regorg: <http://www.w3.org/ns/regorg#>
SELECT ?org ?name WHERE { ?address locn:postCode "4000" . ?org locn:address ?address ; regorg:legalName ?name }
LIMIT 10""",
}
"""Two small SELECTs an analyst runs: how many research labs (one class counted: a few ms in Oxigraph, so the
HTTP layers show), and the legal names of 10 organisations of one postcode (Liège's), a lookup that the dataset
restriction makes costly: Oxigraph's join over a list of graphs (decision 0006)."""
SAME = "reference, same dataset"
BARE = "bare Python proxy to the reference, same dataset"
UNORDERED = ", each among the reference's rows without the LIMIT: without ORDER BY an engine may pick any"
FIRM_QUERY = """PREFIX eco: <https://w3id.org/ecokg/def#>
SELECT ?firm WHERE { ?p eco:participant ?firm ; eco:project ?x . ?q eco:project ?x ; eco:participant ?lab .
                     ?lab a eco:ResearchLab . ?firm a eco:Company } LIMIT 1"""
"""A company that shares a project with a lab: firm-labs has rows for it, its entity page has links."""


@dataclass(frozen=True)
class Case:
    name: str
    method: str
    url: str
    headers: dict[str, str]
    body: bytes | None = None
    query: str | None = None  # which of QUERIES, for a SPARQL case


def demo_store(scale: int, home: Path | None = None) -> Path:
    """The demo store at this scale, built with `ecokg demo` under `home` (var/bench/xN unless given) unless a
    finished build is there already."""
    home = home or ROOT / "var" / "bench" / f"x{scale}"
    if not (home / "complete").exists():  # written last: a build that was interrupted is started over
        shutil.rmtree(home, ignore_errors=True)
        env = os.environ | {"ECOKG_STORE": str(home / "store"), "ECOKG_BASE_IRI": BASE}
        subprocess.run([str(BIN / "ecokg"), "demo", "--scale", str(scale), "--out", str(home / "demo")],
                       check=True, cwd=ROOT, env=env)
        (home / "complete").touch()
    return home / "store"


def prepare(store: Path) -> tuple[list[str], int, dict[str, float]]:
    """Bring the store up to date as `ecokg serve` would (so that the copy holds the same data), then close it.
    Returns the graphs an anonymous /sparql query sees (the public sources' current versions), the quads, and
    each query's median time in pyoxigraph itself, in process, on that dataset (what HTTP layers add to)."""
    from graph.startup import open_sources

    sources = open_sources(str(store), BASE)
    dataset = sources.dataset(restricted=False)
    quads = sum(v.quads for v in sources.current().values())
    direct = {key: in_process(sources.store._store, text, dataset)  # type: ignore[attr-defined]  # pyoxigraph's
              for key, text in QUERIES.items()}  # (no variable of its own: closing it must free the store)
    sources.store.close()
    return [g.value for g in dataset], quads, direct


def in_process(store: Any, text: str, dataset: list[Any], budget_s: float = 3.0) -> float:
    """Median ms of pyoxigraph's `Store.query` of `text` on `dataset`, every row read: after one warm-up, runs
    for `budget_s` (at least 5, at most 500)."""
    def once() -> float:
        started = time.perf_counter()
        sum(1 for _ in store.query(text, default_graph=dataset, named_graphs=dataset))  # every row read
        return (time.perf_counter() - started) * 1000

    once()
    times: list[float] = []
    deadline = time.perf_counter() + budget_s
    while len(times) < 5 or (time.perf_counter() < deadline and len(times) < 500):
        times.append(once())
    return statistics.median(times)


def start(command: list[str], ready: str, log: Path, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    """Start a server and wait until `ready` answers 200."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(ready, timeout=5).status_code == 200:
                return process
        except httpx.HTTPError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit(f"{command[0]} did not start; see {log}")


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@dataclass
class Tally:
    """The requests counted for one case at one client count, over every round."""

    latencies: list[float] = field(default_factory=list)  # ms, of the successes
    seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict:
        enough = len(self.latencies) > 1
        cuts = statistics.quantiles(self.latencies, n=100, method="inclusive") if enough else [0.0] * 99
        return {"requests": len(self.latencies), "rps": len(self.latencies) / self.seconds, "p50_ms": cuts[49],
                "p90_ms": cuts[89], "p99_ms": cuts[98], "errors": len(self.errors),
                "first_error": self.errors[0] if self.errors else None}


async def measure(case: Case, clients: int, seconds: float, warmup: float, tally: Tally) -> None:
    """Run `clients` closed-loop clients for warmup + seconds; count the requests started after warm-up."""
    started = time.perf_counter()
    counted_from, until = started + warmup, started + warmup + seconds
    ends: list[float] = []

    async def client() -> None:
        async with httpx.AsyncClient(timeout=120) as http:
            while (sent := time.perf_counter()) < until:
                try:
                    answer = await http.request(case.method, case.url, headers=case.headers, content=case.body)
                    error = None if answer.status_code == 200 else f"{answer.status_code} {answer.text[:200]}"
                except httpx.HTTPError as exc:
                    error = repr(exc)
                if sent >= counted_from:
                    if error is None:
                        ends.append(time.perf_counter())
                        tally.latencies.append((ends[-1] - sent) * 1000)
                    else:
                        tally.errors.append(error)

    await asyncio.gather(*(client() for _ in range(clients)))
    tally.seconds += max(ends, default=until) - counted_from


def rows_of(answer: httpx.Response) -> list[dict[str, str]]:
    return sorted(({k: v["value"] for k, v in b.items()} for b in answer.json()["results"]["bindings"]),
                  key=json.dumps)


def bench(scale: int, client_counts: list[int], seconds: float, warmup: float, rounds: int) -> dict:
    from api.access import new_key
    from graph.engine import free_port

    store = demo_store(scale)
    graphs, quads, direct = prepare(store)
    load_before = os.getloadavg()[0]  # other work on the machine skews every figure: say how much there was
    copy = store.with_name("reference-store")
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(store, copy)  # while nothing has the store open: RocksDB files are then consistent
    secret, digest = new_key()
    our_port, ref_port, proxy_port = free_port(), free_port(), free_port()
    ours, ref, proxy = (f"http://127.0.0.1:{port}" for port in (our_port, ref_port, proxy_port))
    env = os.environ | {"ECOKG_STORE": str(store), "ECOKG_BASE_IRI": BASE, "ECOKG_RATE_LIMIT_PER_MINUTE": "0",
                        "ECOKG_API_KEYS": json.dumps([{"name": "bench", "sha256": digest, "scopes": ["read"]}]),
                        # the warmer computes every parameterless analysis after start (7 min at x100), in the very
                        # engine measured here; none of the cases reads what it keeps
                        "ECOKG_WARM_ANSWERS": "false"}
    servers: list[subprocess.Popen[bytes]] = []
    try:
        reference = [str(BIN / "oxigraph"), "serve", "--location", str(copy), "--bind", f"127.0.0.1:{ref_port}"]
        servers.append(start(reference, f"{ref}/query?query=ASK%7B%7D", copy.with_name("reference.log")))
        bare = [str(BIN / "uvicorn"), "bench.proxy:app", "--host", "127.0.0.1", "--port", str(proxy_port),
                "--no-access-log", "--log-level", "warning"]  # uvloop and httptools, as under ecokg serve
        servers.append(start(bare, f"{proxy}/?query=ASK%7B%7D", copy.with_name("proxy.log"),
                             os.environ | {"ECOKG_BENCH_PROXY_TARGET": f"{ref}/query"}))
        servers.append(start([str(BIN / "ecokg"), "serve", "--port", str(our_port)], f"{ours}/health",
                             store.with_name("serve.log"), env))
        cases = make_cases(ours, ref, proxy, graphs, secret)
        tallies = {(case.name, n): Tally() for case in cases for n in client_counts}
        for _ in range(rounds):  # interleaved: other work on the machine then weighs on every case alike
            for case in cases:
                for n in client_counts:
                    asyncio.run(measure(case, n, seconds / rounds, warmup, tallies[case.name, n]))
        results = [{"case": case.name, "query": case.query, "url": case.url, "clients": n,
                    **tallies[case.name, n].summary()} for case in cases for n in client_counts]
        for r in results:
            print(json.dumps(r), flush=True)
        same = checks(ours, ref, graphs)
    finally:
        for process in servers:
            stop(process)
        shutil.rmtree(copy, ignore_errors=True)
    return {"scale": scale, "quads": quads, "graphs": len(graphs), "seconds": seconds, "warmup": warmup,
            "rounds": rounds, "clients": client_counts, "queries": QUERIES, "same_answer": same, "direct_ms": direct,
            "machine": machine(), "loadavg": [load_before, os.getloadavg()[0]],
            "results": results}


def form(query: str, graphs: list[str]) -> bytes:
    pairs = [("query", query)] + [("default-graph-uri", g) for g in graphs] + [("named-graph-uri", g) for g in graphs]
    return urlencode(pairs).encode()


def make_cases(ours: str, ref: str, proxy: str, graphs: list[str], secret: str) -> list[Case]:
    """The requests measured. The named query and entity page are for a firm found on the reference server."""
    sparql = {"Content-Type": "application/x-www-form-urlencoded", "Accept": RESULTS}
    keyed = {"Authorization": f"Bearer {secret}"}
    found = httpx.post(f"{ref}/query?union-default-graph", content=form(FIRM_QUERY, []), headers=sparql, timeout=600)
    firm = rows_of(found)[0]["firm"].removeprefix(BASE)  # id/org/be-...
    listed = httpx.get(f"{ours}/api/v1/queries", timeout=60).json()
    if "firm-labs" not in {q["name"] for q in listed}:
        raise SystemExit("the API lists no named query firm-labs")
    cases = [
        *(case for key, text in QUERIES.items() for case in (
            Case(f"ecokg /sparql, {key}", "POST", f"{ours}/sparql", sparql, form(text, []), key),
            Case(f"{SAME}, {key}", "POST", f"{ref}/query", sparql, form(text, graphs), key),
            Case(f"reference, union of all graphs, {key}", "POST", f"{ref}/query?union-default-graph", sparql,
                 form(text, []), key),
            Case(f"{BARE}, {key}", "POST", proxy, sparql, form(text, graphs), key))),
        Case("reference ASK {} (the client's ceiling)", "GET", f"{ref}/query?query=ASK%7B%7D", {"Accept": RESULTS}),
        Case("ecokg named query firm-labs", "GET", f"{ours}/api/v1/queries/firm-labs?firm={firm.rsplit('/', 1)[1]}",
             keyed),
        Case("ecokg /health", "GET", f"{ours}/health", {}),
    ]
    page = Case("ecokg entity page (Turtle)", "GET", f"{ours}/{firm}", keyed | {"Accept": "text/turtle"})
    if httpx.get(page.url, headers=page.headers, timeout=60).status_code == 200:
        cases.append(page)
    return cases


def checks(ours: str, ref: str, graphs: list[str]) -> dict[str, bool]:
    """Whether ecokg and the reference with the same dataset answer the same rows (they should), per query. A
    LIMIT without ORDER BY lets each engine pick its rows: then ecokg's must be as many, and among the
    reference's rows without the LIMIT."""
    headers = {"Content-Type": "application/x-www-form-urlencoded", "Accept": RESULTS}

    def rows(url: str, text: str, dataset: list[str]) -> list[dict[str, str]]:
        return rows_of(httpx.post(url, content=form(text, dataset), headers=headers, timeout=600))

    same = {}
    for key, text in QUERIES.items():
        mine, theirs = rows(f"{ours}/sparql", text, []), rows(f"{ref}/query", text, graphs)
        if unordered(text):
            every = rows(f"{ref}/query", re.sub(_LIMIT, "", text), graphs)
            same[key] = len(mine) == len(theirs) and all(row in every for row in mine)
        else:
            same[key] = mine == theirs
    return same


_LIMIT = r"\s+LIMIT\s+\d+\s*$"


def unordered(query: str) -> bool:
    """A LIMIT without ORDER BY: which rows come is the engine's choice."""
    return re.search(_LIMIT, query) is not None and "ORDER BY" not in query


def machine() -> str:
    """Cores, CPU model, RAM, and the versions serving depends on."""
    from importlib.metadata import version

    info = Path("/proc/cpuinfo").read_text()
    cpu = next((line.split(":", 1)[1].strip() for line in info.splitlines() if line.startswith("model name")), "?")
    mem = next(int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines()
               if line.startswith("MemTotal"))
    return (f"{os.cpu_count()} cores ({cpu}), {mem / 2**20:.0f} GB RAM; Python {sys.version.split()[0]}, "
            + ", ".join(f"{p} {version(p)}" for p in ("oxigraph", "uvicorn", "fastapi", "httpx"))
            + time.strftime(", %Y-%m-%d"))


def section(runs: dict[str, dict]) -> str:
    """The "HTTP" section of BENCHMARKS.md, from every scale measured so far."""
    parts = ["""## HTTP (`bench/serve.py`, `make bench-http`)
TARGETS.md: /sparql throughput for a small SELECT >= 0.5x that of a real Oxigraph server on the same data and
client; named-query p99 <= 100 ms at 50 concurrent clients on x100. Closed-loop clients in one asyncio process
(httpx, one keep-alive connection each) on the same machine as the servers: with 2 cores the load generator
takes CPU from the servers (the "client's ceiling" row is the most it drives: Oxigraph answering `ASK {}`), so
client counts are modest and absolute figures are lower bounds; ratios compare like with like. ecokg's /sparql
is called anonymously: its dataset is the current versions of the public sources. "reference" is a plain
`oxigraph serve` on a copy of the store, sent the same query with that dataset as default-graph-uri /
named-graph-uri, then over the union of all graphs (restricted sources and the load log included: a bigger
dataset, shown for what the list of graphs costs Oxigraph itself). The named query and the entity page are
called with a read key (they need the restricted project lists). The rate limit for anonymous callers is off:
this measures what the service can do, not the limit; so is the warmer (it would run every analysis in the
engine measured for the first minutes, and no case reads what it keeps). "bare Python proxy" (bench/proxy.py)
forwards each request to the reference as it came and its answer back, on uvicorn as `ecokg serve` runs: the
floor for any Python service in front of an engine. Latencies in ms."""]
    for run in sorted(runs.values(), key=lambda r: r["scale"]):
        parts.append(f"""
### Demo x{run['scale']}: {run['quads']:,} quads
{run['seconds']:g} s per case and client count, in {run['rounds']} slices each after {run['warmup']:g} s of warm-up,
the cases interleaved (other work on the machine then weighs on each alike).
{run['machine']}. Load average (1 min) before and after: \
{run['loadavg'][0]:.1f}, {run['loadavg'][1]:.1f}.
{queries(run)}

| case | clients | req/s | p50 | p90 | p99 | errors | vs reference, same dataset: req/s, p50 |
|---|---|---|---|---|---|---|---|
{table(run['results'])}
{added(run)}""")
    return "\n".join(parts) + "\n"


def queries(run: dict) -> str:
    """The queries as run, and whether ecokg and the reference with the same dataset gave the same rows."""
    return "\n".join(f"Query *{key}* (same rows from ecokg and the reference{UNORDERED if unordered(text) else ''}: "
                     f"{'yes' if run['same_answer'][key] else '**no**'}):\n```sparql\n{text}\n```"
                     for key, text in run["queries"].items())


def table(results: list[dict]) -> str:
    """One row per case and client count; /sparql and the union case beside the reference with the dataset."""
    reference = {(r["query"], r["clients"]): r for r in results if r["case"].startswith(SAME)}
    lines = []
    for r in results:
        ref = reference.get((r["query"], r["clients"]))
        ratio = "—" if ref in (None, r) else f"**{r['rps'] / ref['rps']:.2f}x**, {r['p50_ms'] / ref['p50_ms']:.2f}x"
        lines.append(f"| {r['case']} | {r['clients']} | {r['rps']:,.0f} | {r['p50_ms']:.1f} | {r['p90_ms']:.1f} | "
                     f"{r['p99_ms']:.1f} | {r['errors']} | {ratio} |")
    return "\n".join(lines)


def added(run: dict) -> str:
    """What each HTTP layer adds to pyoxigraph's own time, one client (TARGETS.md: /sparql <= 2 ms median)."""
    if "direct_ms" not in run or 1 not in run["clients"]:
        return ""
    p50 = {(r["case"], r["query"]): r["p50_ms"] for r in run["results"] if r["clients"] == 1}
    lines = []
    for key, direct in run["direct_ms"].items():
        cells = [f"{p50[case, key]:.1f} (+{p50[case, key] - direct:.1f})"
                 for case in (f"{SAME}, {key}", f"{BARE}, {key}", f"ecokg /sparql, {key}")]
        lines.append(f"| {key} | {direct:.2f} | {' | '.join(cells)} |")
    return ("\nAdded latency, one client (TARGETS.md: /sparql adds <= 2 ms median to a direct pyoxigraph call for "
            "small results): p50 and, in brackets, its excess over the same query run by pyoxigraph in process on "
            "the same dataset (median, every row read; the client's own time is in every p50).\n\n"
            "| query | pyoxigraph in process | oxigraph serve | bare Python proxy | ecokg /sparql |\n"
            "|---|---|---|---|---|\n" + "\n".join(lines) + "\n")


def write(run: dict) -> None:
    """Merge this scale's run into results-http.json; replace only the HTTP section of BENCHMARKS.md."""
    saved = ROOT / "bench" / "results-http.json"
    runs = json.loads(saved.read_text()) if saved.exists() else {}
    runs[str(run["scale"])] = run
    saved.write_text(json.dumps(runs, indent=2) + "\n")
    page = ROOT / "bench" / "BENCHMARKS.md"
    before, found, after = page.read_text(encoding="utf-8").partition("\n## HTTP")
    rest = after[after.find("\n## "):] if found and "\n## " in after else ""
    page.write_text(before.rstrip() + "\n\n" + section(runs) + rest, encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--clients", type=int, nargs="+", default=[16])
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--warmup", type=float, default=2.0, help="seconds not counted at the start of a slice")
    parser.add_argument("--rounds", type=int, default=4, help="slices each case's time is cut into")
    args = parser.parse_args()
    write(bench(args.scale, args.clients, args.seconds, args.warmup, args.rounds))


if __name__ == "__main__":
    main()
