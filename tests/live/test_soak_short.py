"""The short soak: bench/soak.py's core (the long run is `make soak`), 10 clients for 4 s after 1 s of warm-up,
against the live server: no server error, every kind of request exercised, named-query p99 within TARGETS.md's
100 ms times an allowance, and the memory of the server and its engine bounded.

The allowance: the target is for the x100 demo on a machine serving only that; here the clients, the server and
its engine share 2 cores with the rest of the suite and, on the dev machines, with other people's work. Closed-loop
clients measure the queue more than the query, and the queue follows the machine: on the same 2-core machine
this test's named-query p99 went from 94 ms to 410 ms between runs a minute apart (load average 5). So the bound
is ten times the target, 1 s: it still fails when a named query takes seconds, or the server stalls under load.
"""

from __future__ import annotations

import sys
from pathlib import Path

from server import Live

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # bench/ is not a package of the distribution
from bench.soak import KINDS, NAMED_P99_MS, soak, tree_rss_mb, trend

ALLOWANCE = 10.0


def test_short_soak(live: Live) -> None:
    run = soak(live.url, live.process.pid, clients=10, seconds=4, warmup=1)
    assert [p for p in run["primed"] if not 200 <= p["status"] < 300] == []
    kinds = run["kinds"]
    assert run["server_errors"] == 0, [k["samples"] for k in kinds.values()]
    assert run["not_2xx_3xx"] == 0, [k["samples"] for k in kinds.values()]
    assert set(kinds) == set(KINDS)
    assert all(k["served"] >= 5 for k in kinds.values()), {name: k["served"] for name, k in kinds.items()}
    assert {"firm-labs", "recommend-organisation", "recommend-technology"} <= set(kinds["named"]["labels"])
    assert {"describe", "construct"} <= set(kinds["sparql GET"]["labels"])
    assert kinds["named"]["p99_ms"] <= NAMED_P99_MS * ALLOWANCE, kinds["named"]
    rss = run["rss"]
    assert rss["samples"] >= 4
    assert rss["last_vs_first_third"] < 1.5 and rss["peak_mb"] < 2048, rss  # loose: 4 s show no slow leak


def test_memory_counts_the_engine_child(live: Live) -> None:
    sizes = tree_rss_mb(live.process.pid)
    assert len(sizes) == 2, sizes  # the server and its one child, the engine
    assert all(mb > 5 for mb in sizes.values()), sizes  # each holds more than a few MB: both were read


def test_growth_trend() -> None:
    flat = [(float(t), 500.0 + (t % 3)) for t in range(60)]  # noise of 0-2 MB, no trend
    verdict = trend(flat)
    assert abs(verdict["slope_mb_per_min_second_half"]) < 1 and verdict["growth_trend"] is False
    growing = [(float(t), 500.0 + t) for t in range(60)]  # 1 MB a second: 60 MB/min, 12% of 500 MB
    verdict = trend(growing)
    assert round(verdict["slope_mb_per_min_second_half"], 6) == 60.0
    assert verdict["first_third_median_mb"] == 509.5 and verdict["last_third_median_mb"] == 549.5
    assert verdict["growth_trend"] is True
    settling = [(float(t), 400.0 + min(t, 10) * 10) for t in range(60)]  # warms up to 500 MB in 10 s, then flat
    verdict = trend(settling)
    assert verdict["slope_mb_per_min_second_half"] == 0.0
    assert verdict["first_third_median_mb"] == 495.0  # (490 + 500) / 2: the warm-up is half the first third
    assert verdict["growth_trend"] is False  # 500 / 495 is within 5%
