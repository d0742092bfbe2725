"""The benchmark's own logic, where a mistake would make its figures lie: runs taken in turns, the reference
skipped only past its limit, and the bare proxy answering exactly what the engine answers."""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path

import httpx
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))  # bench/ is not a package of the distribution
from bench import named_queries, proxy
from graph.engine import Engine


def test_runs_alternate_after_one_warm_up_each() -> None:
    calls: list[str] = []
    ours, theirs = lambda: calls.append("ours"), lambda: calls.append("theirs")
    mine, other = named_queries.alternated(ours, theirs, 3, lambda: calls.append("clear"))
    assert calls == ["clear", "ours", "theirs"] + ["clear", "ours", "theirs"] * 3
    assert (len(mine), len(other)) == (3, 3)


def test_the_reference_is_skipped_only_past_its_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(named_queries.time, "perf_counter", iter(range(0, 1000, 1)).__next__)  # 1 s a reading
    mine, other = named_queries.alternated(lambda: calls.append("ours"), lambda: calls.append("theirs"), 2,
                                           theirs_max_s=0.5)
    assert calls == ["ours"] * 3  # 1 s > 0.5 s: no reference at all; 1 s <= SLOW_S: a warm-up and 2 runs
    assert (mine, other) == ([1000.0, 1000.0], [])
    calls.clear()
    mine, other = named_queries.alternated(lambda: calls.append("ours"), lambda: calls.append("theirs"), 2,
                                           theirs_max_s=2)
    assert calls == ["ours", "theirs", "ours", "theirs", "ours", "theirs"]


def test_a_slow_query_is_timed_once_after_the_other_ran_it(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    monkeypatch.setattr(named_queries, "SLOW_S", 0.5)
    monkeypatch.setattr(named_queries.time, "perf_counter", iter(range(0, 1000, 1)).__next__)
    mine, other = named_queries.alternated(lambda: calls.append("ours"), lambda: calls.append("theirs"), 3)
    assert calls == ["ours", "theirs", "ours"]  # ours' warm-up read the store from disk: not the figure
    assert (mine, other) == ([1000.0], [1000.0])
    calls.clear()
    named_queries.alternated(lambda: calls.append("ours"), lambda: calls.append("theirs"), 3, theirs_max_s=0.5)
    assert calls == ["ours"]  # slow, and no reference: nothing to be fair to, no second run of minutes


def test_the_bare_proxy_passes_requests_and_answers_through(engine: Engine,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(proxy, "TARGET", f"{engine.url}/query")
    monkeypatch.setattr(proxy, "_client", [])

    async def ask() -> list[httpx.Response]:
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=proxy.app), base_url="http://bench") as http:
            form = {"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"}
            return [await http.post("/", content=b"query=SELECT%20(1%2B1%20AS%20%3Fx)%20%7B%7D", headers=form),
                    await http.get("/?query=ASK%7B%7D", headers={"Accept": "application/sparql-results+json"}),
                    await http.post("/", content=b"query=SELECT%20WHERE", headers=form)]

    added, asked, broken = asyncio.run(ask())
    assert added.status_code == 200
    assert added.headers["content-type"].startswith("application/sparql-results+json")
    assert json.loads(added.content)["results"]["bindings"][0]["x"]["value"] == "2"
    assert json.loads(asked.content)["boolean"] is True
    assert broken.status_code == 400  # the engine's refusal, not the proxy's
