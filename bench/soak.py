"""Soak: N concurrent clients against a real `ecokg serve` for D seconds, mixed requests, memory watched.

Issue 8 and TARGETS.md ("load"): 50 concurrent clients for 60 s on loopback, mixing named queries, raw SPARQL,
entity pages and search: 0 server errors, named-query p99 <= 100 ms on x100, memory without a growth trend.
Each client is a user: after each answer it pauses a random think time (exponential, mean `--think` seconds,
1 s by default) before its next request; with `--think 0` it is closed-loop (the next request as soon as the last
is answered: a stress test, the server saturated by design). Each is anonymous (so the rate
limit applies: it is set far above the load, and any 429 is counted), with its own keep-alive connection and
its own seeded random draw of a kind, then of a request of that kind. What is asked is found first through
/sparql (companies, labs, poles, projects, technologies, names), so it suits any store; every request is sent
once before the load (priming: the first search builds its index), then the load runs for a warm-up (its
errors counted, its latencies not: 50 requests at once fill buffers and caches) and the measured seconds. The
RSS of the server and of its engine child is read from /proc every second; its trend over the measured seconds
is the least-squares slope of their second half, and the median of their last third against that of the first.

Usage: python bench/soak.py [--scale 100] [--clients 50] [--seconds 60] [--warmup 10] [--think 1]
Builds the demo store once under var/bench/soak-xN, serves it, loads it, stops it. Writes bench/results-soak.json
and the "Soak" section of bench/BENCHMARKS.md; exits 1 when a check fails.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import statistics
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import httpx

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench.sections import replace_section  # noqa: E402
from bench.serve import BASE, BIN, demo_store, machine, start, stop  # noqa: E402

KINDS = ("named", "sparql GET", "sparql POST", "entity HTML", "entity Turtle", "search")
NAMED_P99_MS = 100.0  # TARGETS.md: named-query p99 at 50 concurrent clients on x100
RATE_LIMIT = 1_000_000  # a minute, for the anonymous clients (all on one address); the burst below
RATE_BURST = 100_000
QUERY_TIMEOUT_S = 30  # the default: the engine keeps a thread per query for this long (see the section's memory)
CLIENT_TIMEOUT_S = QUERY_TIMEOUT_S + 60  # so that the server's own answer to a slow request is what is counted
SLOPE_LIMIT = 0.02  # a growth trend: the second half's slope above 2% of the median RSS a minute...
THIRDS_LIMIT = 1.05  # ... or the last third's median above the first third's by more than 5%
JSON_RESULTS = "application/sparql-results+json"
PREFIXES = """PREFIX eco: <https://w3id.org/ecokg/def#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX regorg: <http://www.w3.org/ns/regorg#>
"""


@dataclass(frozen=True)
class Call:
    kind: str
    label: str  # what is asked, for the tables: a query's name, an entity's class...
    method: str
    path: str  # with its query string
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes | None = None


def column(http: httpx.Client, query: str) -> list[str]:
    """The values of the first column of an anonymous SELECT."""
    answer = http.post("/sparql", data={"query": PREFIXES + query}, headers={"Accept": JSON_RESULTS})
    answer.raise_for_status()
    return [next(iter(row.values()))["value"] for row in answer.json()["results"]["bindings"]]


def plan(http: httpx.Client, per_class: int = 8) -> list[Call]:
    """The requests of the mix, for entities an anonymous client sees in this store."""
    found = {cls: column(http, f"SELECT ?s WHERE {{ ?s a eco:{cls} }} LIMIT {per_class}")
             for cls in ("Company", "ResearchLab", "CompetitivenessPole", "Project")}
    technologies = column(http, f"""SELECT ?t WHERE {{ ?t a skos:Concept
        FILTER(STRSTARTS(STR(?t), "https://w3id.org/ecokg/tech/")) }} LIMIT {per_class}""")
    names = column(http, f"SELECT ?n WHERE {{ ?s a eco:Company ; regorg:legalName ?n }} LIMIT {per_class}")
    firms, projects = found["Company"], found["Project"]
    named = [("firm-labs", "firm", firms), ("recommend-organisation", "organisation", firms),
             ("recommend-technology", "technology", technologies),
             ("recommend-project", "project", projects)]
    calls = [Call("named", name, "GET", f"/api/v1/queries/{name}?{urlencode({param: value})}")
             for name, param, values in named for value in values[:3]]
    sample = [iri for cls in found.values() for iri in cls[:3]]
    for iri in sample:
        label, path = iri.split("/id/", 1)[1].split("/", 1)[0], "/id/" + iri.split("/id/", 1)[1]
        calls.append(Call("entity HTML", label, "GET", path, {"Accept": "text/html"}))
        calls.append(Call("entity Turtle", label, "GET", path, {"Accept": "text/turtle"}))
        calls.append(Call("sparql GET", "describe", "GET", "/sparql?" + urlencode(
            {"query": f"SELECT ?p ?o WHERE {{ <{iri}> ?p ?o }} LIMIT 100"}), {"Accept": JSON_RESULTS}))
        calls.append(Call("sparql GET", "construct", "GET", "/sparql?" + urlencode(
            {"query": f"CONSTRUCT {{ <{iri}> ?p ?o }} WHERE {{ <{iri}> ?p ?o }}"}), {"Accept": "text/turtle"}))
    form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON_RESULTS}
    calls += [Call("sparql POST", "count labs (form)", "POST", "/sparql", form, urlencode(
                  {"query": PREFIXES + "SELECT (COUNT(?l) AS ?n) WHERE { ?l a eco:ResearchLab }"}).encode()),
              Call("sparql POST", "poles (sparql-query, CSV)", "POST", "/sparql",
                   {"Content-Type": "application/sparql-query", "Accept": "text/csv"},
                   (PREFIXES + "SELECT ?p ?l WHERE { ?p a eco:CompetitivenessPole ; skos:prefLabel ?l }").encode())]
    words = sorted({w.lower() for n in names for w in n.split() if len(w) >= 4 and w.isalpha()})
    calls += [Call("search", "word", "GET", "/api/v1/search?" + urlencode({"q": w})) for w in words[:4]]
    calls += [Call("search", "prefix", "GET", "/api/v1/search?" + urlencode({"q": w[:3]})) for w in words[:2]]
    return calls


@dataclass
class Tally:
    """What one kind of request met: latencies of every answer (ms), statuses, and the unexpected ones."""

    latencies: list[float] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)  # 0: no answer (a transport error)
    labels: Counter[str] = field(default_factory=Counter)
    failures: Counter[tuple[str, int]] = field(default_factory=Counter)  # (label, status) beyond 2xx/3xx
    samples: list[str] = field(default_factory=list)  # the first few bodies of those

    def add(self, call: Call, status: int, ms: float | None, text: str) -> None:
        self.statuses[status] += 1
        self.labels[call.label] += 1
        if ms is not None:
            self.latencies.append(ms)
        if not 200 <= status < 400:
            self.failures[call.label, status] += 1
            if len(self.samples) < 5:
                self.samples.append(f"{status} {call.method} {call.path[:120]}: {text[:200]}")

    def summary(self) -> dict:
        cuts = (statistics.quantiles(self.latencies, n=100, method="inclusive") if len(self.latencies) > 1
                else self.latencies * 99 or [0.0] * 99)
        return {"requests": sum(self.statuses.values()),
                "served": sum(n for s, n in self.statuses.items() if 200 <= s < 400),
                "p50_ms": cuts[49], "p90_ms": cuts[89], "p99_ms": cuts[98], "max_ms": max(self.latencies, default=0),
                "server_errors": sum(n for s, n in self.statuses.items() if s >= 500 or s == 0),
                "statuses": {str(s): n for s, n in sorted(self.statuses.items())}, "labels": dict(self.labels),
                "failures": [{"label": label, "status": status, "count": n}
                             for (label, status), n in sorted(self.failures.items())],
                "samples": self.samples}


async def drive(url: str, calls: list[Call], clients: int, seconds: float, warmup: float,
                seed: int, think: float = 0.0) -> tuple[dict[str, Tally], dict[str, Tally]]:
    """`clients` clients for warmup + seconds: each draws a kind, then one of its requests, sends it, and pauses
    a random think time of mean `think` seconds (none when 0: closed loop). Returns the tallies of the requests
    sent during the warm-up, and of those sent after it."""
    by_kind = {kind: [c for c in calls if c.kind == kind] for kind in KINDS}
    kinds = [kind for kind in KINDS if by_kind[kind]]
    early, measured = {kind: Tally() for kind in kinds}, {kind: Tally() for kind in kinds}
    counted_from = time.perf_counter() + warmup
    until = counted_from + seconds

    async def client(number: int) -> None:
        draw = random.Random(seed * 1000 + number)
        async with httpx.AsyncClient(base_url=url, timeout=CLIENT_TIMEOUT_S) as http:
            while (sent := time.perf_counter()) < until:
                call = draw.choice(by_kind[draw.choice(kinds)])
                tally = (measured if sent >= counted_from else early)[call.kind]
                try:
                    answer = await http.request(call.method, call.path, headers=call.headers, content=call.body)
                    tally.add(call, answer.status_code, (time.perf_counter() - sent) * 1000,
                              answer.text if answer.status_code >= 400 else "")
                except httpx.HTTPError as exc:
                    tally.add(call, 0, None, repr(exc))
                if think:
                    await asyncio.sleep(min(draw.expovariate(1 / think), until - time.perf_counter()))

    await asyncio.gather(*(client(n) for n in range(clients)))
    return early, measured


class RssSampler(threading.Thread):
    """The resident memory (MB) of a process and all its descendants, every `every` seconds, until stopped."""

    def __init__(self, pid: int, every: float = 1.0) -> None:
        super().__init__(daemon=True)
        self.pid, self.every = pid, every
        self.samples: list[tuple[float, float, float]] = []  # (seconds since start, MB in all, MB of pid alone)
        self.done = threading.Event()

    def run(self) -> None:
        started = time.monotonic()
        while not self.done.is_set():
            now = time.monotonic() - started
            sizes = tree_rss_mb(self.pid)
            self.samples.append((round(now, 2), sum(sizes.values()), sizes.get(self.pid, 0.0)))
            self.done.wait(self.every - now % self.every)  # on the second, whatever the last read cost

    def stop(self) -> list[tuple[float, float, float]]:
        self.done.set()
        self.join()
        return self.samples


def tree_rss_mb(pid: int) -> dict[int, float]:
    """VmRSS in MB of `pid` and of each of its descendants (found through /proc/PID/task/*/children)."""
    sizes: dict[int, float] = {}
    todo = [pid]
    while todo:
        proc = Path(f"/proc/{todo[-1]}")
        status = _read(proc / "status")
        sizes[todo.pop()] = next((int(line.split()[1]) / 1024 for line in status.splitlines()
                                  if line.startswith("VmRSS:")), 0.0)
        try:
            tasks = list((proc / "task").iterdir())
        except OSError:
            tasks = []  # the process ended meanwhile
        todo += [int(child) for task in tasks for child in _read(task / "children").split()]
    return sizes


def _read(path: Path) -> str:
    try:
        return path.read_text()
    except OSError:
        return ""  # a process or thread that ended meanwhile


def trend(samples: list[tuple[float, float]]) -> dict:
    """Whether memory grows: the slope of the second half (MB/min) and the last third's median vs the first's."""
    mb = [m for _, m in samples]
    half, third = samples[len(samples) // 2:], max(1, len(samples) // 3)
    slope = (statistics.linear_regression([t for t, _ in half], [m for _, m in half]).slope * 60
             if len(half) > 1 else 0.0)
    first, last, middle = statistics.median(mb[:third]), statistics.median(mb[-third:]), statistics.median(mb)
    growing = slope > SLOPE_LIMIT * middle or last > THIRDS_LIMIT * first
    return {"samples": len(samples), "start_mb": mb[0], "end_mb": mb[-1], "peak_mb": max(mb), "median_mb": middle,
            "slope_mb_per_min_second_half": slope, "first_third_median_mb": first, "last_third_median_mb": last,
            "last_vs_first_third": last / first, "growth_trend": growing}


def soak(url: str, pid: int, clients: int, seconds: float, warmup: float, seed: int = 0,
         think: float = 0.0) -> dict:
    """The whole run against a server already up at `url` (process `pid`): plan, prime, load, summarise. Latencies
    and the memory trend are those of the `seconds` after the `warmup`; server errors are counted throughout."""
    with httpx.Client(base_url=url, timeout=CLIENT_TIMEOUT_S) as http:
        calls = plan(http)
        primed = []
        for call in calls:  # every request once, alone: first-use costs (the search index) are not the load's
            sent = time.perf_counter()
            answer = http.request(call.method, call.path, headers=call.headers, content=call.body)
            primed.append({"kind": call.kind, "label": call.label, "status": answer.status_code,
                           "ms": (time.perf_counter() - sent) * 1000})
    sampler = RssSampler(pid)
    sampler.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(1) as own_thread:  # its own event loop: the caller's thread may run one (Playwright's)
        early, measured = own_thread.submit(
            asyncio.run, drive(url, calls, clients, seconds, warmup, seed, think)).result()
    elapsed = time.perf_counter() - started
    rss = sampler.stop()
    kinds = {kind: tally.summary() for kind, tally in measured.items()}
    before = [tally.summary() for tally in early.values()]
    requests = sum(k["requests"] for k in kinds.values())
    return {"clients": clients, "think_s": think, "seconds": seconds, "warmup_s": warmup, "elapsed_s": elapsed,
            "requests": requests,
            "served": sum(k["served"] for k in kinds.values()), "rps": requests / seconds,
            "warmup_requests": sum(k["requests"] for k in before),
            "server_errors": sum(k["server_errors"] for k in [*kinds.values(), *before]),
            "not_2xx_3xx": sum(k["requests"] - k["served"] for k in [*kinds.values(), *before]),
            "rate_limited": sum(k["statuses"].get("429", 0) for k in [*kinds.values(), *before]),
            "kinds": kinds, "warmup_samples": [s for k in before for s in k["samples"]], "calls": len(calls),
            "primed": primed, "rss": {"every_s": sampler.every, "series": rss,
                                      **trend([(t, mb) for t, mb, _ in rss if t >= warmup])}}


def checks(run: dict) -> dict[str, bool]:
    """TARGETS.md's verdicts. The p99 goal is for users (think time); a closed loop saturates the server by
    design, so its latencies are queueing: reported, not judged."""
    found = {"0 server errors": run["server_errors"] == 0, "no 429 (limit above the load)": run["rate_limited"] == 0,
             "no memory growth trend": not run["rss"]["growth_trend"]}
    if run["think_s"]:
        found[f"named-query p99 <= {NAMED_P99_MS:g} ms"] = run["kinds"]["named"]["p99_ms"] <= NAMED_P99_MS
    return found


def heading(think: float) -> str:
    return "Soak with think time" if think else "Soak closed loop"


def section(run: dict) -> str:
    """The "Soak" section of BENCHMARKS.md."""
    rss = run["rss"]
    alone = {kind: statistics.median(p["ms"] for p in run["primed"] if p["kind"] == kind) for kind in run["kinds"]}
    rows = "\n".join(
        f"| {kind} | {alone[kind]:.0f} | {k['requests']:,} | {k['served']:,} | {k['p50_ms']:.0f} | {k['p90_ms']:.0f} "
        f"| {k['p99_ms']:.0f} "
        f"| {k['max_ms']:.0f} | {k['server_errors']} | {k['requests'] - k['served']} | "
        + ", ".join(f"{label} {n:,}" for label, n in sorted(k["labels"].items())) + " |"
        for kind, k in run["kinds"].items())
    verdicts = "; ".join(f"{name}: {'yes' if ok else '**no**'}" for name, ok in run["checks"].items())
    measured = [sample for sample in rss["series"] if sample[0] >= run["warmup_s"]]
    first, last = measured[0], measured[-1]
    first_search = next((p["ms"] for p in run["primed"] if p["kind"] == "search"), 0.0)
    clients = (f"{run['clients']} concurrent users, each pausing a random think time (exponential, mean "
               f"{run['think_s']:g} s) after each answer," if run["think_s"] else
               f"{run['clients']} concurrent closed-loop clients (no pause between requests: the server is saturated "
               "by design, so latencies are mostly queueing),")
    command = "bench/soak.py" + ("" if run["think_s"] else " --think 0")
    return f"""## {heading(run['think_s'])} (`{command}`, `make soak`; issue 8)
{clients} on loopback against `ecokg serve` (with
its engine child) on the demo x{run['scale']} ({run['quads']:,} quads), in one asyncio process on the same machine:
{run['warmup_s']:g} s of warm-up (its {run['warmup_requests']:,} requests counted for errors only), then \
{run['seconds']:g} s measured. Anonymous, rate limit {RATE_LIMIT:,}/min (burst {RATE_BURST:,}), far above the
load. Each request is drawn at random: a kind, then one of {run['calls']} requests found in the store (named
queries with parameters, SPARQL GET and POST, entity pages as HTML and Turtle, search). Every one was sent once
alone first (the "alone" column; the first search builds the index of names: {first_search:,.0f} ms here).
The server runs with the default settings (ECOKG_QUERY_TIMEOUT_S={QUERY_TIMEOUT_S}) but without the warmer, which
would compute every analysis of the store in the background meanwhile; the priming computes what the soak asks.
The named queries are the interactive ones (firm-labs, recommend-organisation, -technology, -project); the gap
analyses take seconds each at x100 to compute, then a millisecond (see "Named queries").
{run['machine']}. Load average (1 min) before and after: {run['loadavg'][0]:.1f}, {run['loadavg'][1]:.1f}.

**{run['served']:,} requests served** of {run['requests']:,} sent in the {run['seconds']:g} measured seconds \
({run['rps']:,.1f} req/s; the last answered {run['elapsed_s'] - run['warmup_s'] - run['seconds']:.1f} s after);
server errors (5xx or no answer), warm-up included: **{run['server_errors']}**; other answers outside 2xx/3xx:
{run['not_2xx_3xx'] - run['server_errors']}. Checks: {verdicts}.

| kind | alone ms | requests | served | p50 ms | p90 ms | p99 ms | max ms | server errors | not 2xx/3xx | by label |
|---|---|---|---|---|---|---|---|---|---|---|
{rows}

"alone": the median time of the kind's requests when each was sent once, one at a time, before the load.

Memory (RSS of the server and its engine child, one sample a second; {rss['samples']} in the measured seconds):
{rss['start_mb']:,.0f} MB at their start, {rss['end_mb']:,.0f} MB at their end (the server {first[2]:,.0f} -> \
{last[2]:,.0f} MB, the engine {first[1] - first[2]:,.0f} -> {last[1] - last[2]:,.0f} MB), peak \
{rss['peak_mb']:,.0f} MB; slope over their second half **{rss['slope_mb_per_min_second_half']:+.1f} MB/min**;
median of the last third / first third **{rss['last_vs_first_third']:.3f}** \
({rss['last_third_median_mb']:,.0f} / {rss['first_third_median_mb']:,.0f} MB). A growth trend would be a slope
above {SLOPE_LIMIT:.0%} of the median RSS a minute, or a ratio above {THIRDS_LIMIT}. The engine (`oxigraph serve
--timeout-s`) keeps one thread per query for the whole time limit (about 10 kB each: measured in RELIABILITY.md,
"Memory under load"), so its RSS rises for the first {QUERY_TIMEOUT_S} s of load and then holds.
"""


def main() -> None:
    from graph.engine import free_port

    parser = argparse.ArgumentParser()
    parser.add_argument("--scale", type=int, default=100)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0, help="measured, after the warm-up")
    parser.add_argument("--warmup", type=float, default=10.0, help="seconds of load first, errors counted only")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause of a client between requests (s); "
                        "0: closed loop")
    args = parser.parse_args()
    store = demo_store(args.scale, ROOT / "var" / "bench" / f"soak-x{args.scale}")
    url = f"http://127.0.0.1:{free_port()}"
    env = os.environ | {"ECOKG_STORE": str(store), "ECOKG_BASE_IRI": BASE,
                        "ECOKG_RATE_LIMIT_PER_MINUTE": str(RATE_LIMIT), "ECOKG_RATE_LIMIT_BURST": str(RATE_BURST),
                        "ECOKG_QUERY_TIMEOUT_S": str(QUERY_TIMEOUT_S),
                        # the warmer would compute every analysis of the store in the background for minutes at
                        # x100; the priming below computes what the soak asks instead
                        "ECOKG_WARM_ANSWERS": "false"}
    server = start([str(BIN / "ecokg"), "serve", "--port", url.rsplit(":", 1)[1]], f"{url}/health",
                   store.with_name("serve.log"), env)
    load_before = os.getloadavg()[0]
    try:
        quads = httpx.get(f"{url}/health", timeout=60).json()["quads"]
        run = soak(url, server.pid, args.clients, args.seconds, args.warmup, think=args.think)
    finally:
        stop(server)
    run.update(scale=args.scale, quads=quads, machine=machine(), loadavg=[load_before, os.getloadavg()[0]],
               rate_limit_per_minute=RATE_LIMIT, rate_limit_burst=RATE_BURST)
    run["checks"] = checks(run)
    (ROOT / "bench" / "results-soak.json").write_text(json.dumps(run, indent=2) + "\n")
    replace_section(heading(args.think), section(run))
    print(json.dumps({k: v for k, v in run.items() if k not in ("primed", "rss")}, indent=2))
    print(json.dumps({k: v for k, v in run["rss"].items() if k != "series"}, indent=2))
    if not all(run["checks"].values()):
        raise SystemExit("failed: " + ", ".join(name for name, ok in run["checks"].items() if not ok))


if __name__ == "__main__":
    main()
