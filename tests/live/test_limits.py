"""The time limit is real: a runaway query is stopped at ECOKG_QUERY_TIMEOUT_S (2 s here) and its grace,
the engine then stops spending CPU on it, and the service answers /health meanwhile (decision 0007)."""

from __future__ import annotations

import statistics
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import httpx
from server import TIMEOUT_S, Live

from graph.remote import grace_s

EXPLODING = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # ~10^13 rows
RUNS = 3


def engine_pid(server_pid: int) -> int:
    """The server's one child process (started by whichever of its threads restarted it last)."""
    tasks = Path(f"/proc/{server_pid}/task").iterdir()
    children = [c for task in tasks for c in (task / "children").read_text().split()]
    assert len(children) == 1, children
    return int(children[0])


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / 100  # utime + stime, in clock ticks of 1/100 s


@dataclass
class Runaway:
    status: int
    body: str
    seconds: float  # from sending the query to its answer
    health: list[float]  # the seconds each /health took meanwhile, one every 0.1 s


def runaway(live: Live) -> Runaway:
    """The exploding query, sent once, with /health asked every 0.1 s until it is answered."""
    answer: list[httpx.Response] = []
    started = time.monotonic()
    thread = threading.Thread(target=lambda: answer.append(
        httpx.post(f"{live.url}/sparql", data={"query": EXPLODING}, timeout=60)))
    thread.start()
    health: list[float] = []
    with httpx.Client(timeout=5) as client:
        while thread.is_alive():
            asked = time.monotonic()
            assert client.get(f"{live.url}/health").status_code == 200
            health.append(time.monotonic() - asked)
            time.sleep(0.1)
    thread.join()
    return Runaway(answer[0].status_code, answer[0].text, time.monotonic() - started, health)


def test_runaway_query_is_cut_at_the_limit_while_health_answers(live: Live) -> None:
    """Three runs, so that one slowed by the shared machine does not decide (the median run does). The engine
    is killed when the limit and its grace (graph.remote.grace_s: a tenth of the limit, at least 1 s) have
    passed; the answer comes once it is back: measured at limit + grace + 0.23-0.31 s, 0.32-0.43 s with two
    busy loops on the two cores; /health at most 84 ms, 131 ms with them (RELIABILITY.md, section 3)."""
    runs = [runaway(live) for _ in range(RUNS)]
    assert [(r.status, "time limit" in r.body) for r in runs] == [(503, True)] * RUNS
    seconds = [r.seconds for r in runs]
    stop = TIMEOUT_S + grace_s(TIMEOUT_S)
    assert min(seconds) >= stop, seconds  # never cut before its time
    assert statistics.median(seconds) < stop + 0.5, seconds
    assert max(seconds) < stop + 1.5, seconds
    health = [r.health for r in runs]
    assert min(len(h) for h in health) >= 10  # asked all along (~30 times a run on a quiet machine)
    assert statistics.median(max(h) for h in health) < 0.2, health  # every /health of a typical run
    assert max(max(h) for h in health) < 1.0, health  # and of a run slowed by the machine's other work

    engine = engine_pid(live.process.pid)
    before = cpu_seconds(engine)
    time.sleep(1.0)
    assert cpu_seconds(engine) - before < 0.3  # the stopped query no longer runs

    # and the engine still answers queries
    ok = httpx.get(f"{live.url}/sparql", params={"query": "ASK { ?s ?p ?o }"},
                   headers={"Accept": "application/sparql-results+json"})
    assert ok.json()["boolean"] is True


def test_the_grace_is_a_tenth_of_the_limit_from_10_s() -> None:
    """TARGETS' "+10 %" holds for limits of 10 s and more (the default is 30 s: killed at 33 s); below, the
    grace is 1 s, the time to hear the engine's own answer (decision 0007)."""
    assert [grace_s(limit) for limit in (2, 5, 10, 30, 120)] == [1.0, 1.0, 1.0, 3.0, 12.0]
