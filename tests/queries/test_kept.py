"""Kept answers (queries/kept.py): exact until the data changes, one computation for concurrent callers.

Expectations come from tests/data/analytics: members.csv lists eight cluster member firms, and Wagralim's member
list three more firms (its fourth, Brixtel, is one of the eight), restricted like every pole list.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from graph.sources import Sources
from graph.store import EmbeddedStore
from loaders.run import load
from queries import registry
from queries.entities import describe
from queries.kept import Kept

DATA = Path(__file__).parent.parent / "data" / "analytics"
COMPANY = "https://w3id.org/ecokg/def#Company"
Counting = Callable[[Sources], Any]


@pytest.fixture
def sources(disk_sources: Sources) -> Sources:
    """An embedded store, which this process alone writes (a shared remote one keeps nothing: tested below)."""
    return disk_sources


def companies(sources: Sources, *, restricted: bool) -> int:
    rows = registry.run(sources, registry.get("entities-per-class"), restricted=restricted).rows
    return next((r["entities"] for r in rows if r["class"] == COMPANY), 0)


def test_an_answer_is_kept_until_a_load_changes_the_data(sources: Sources, tmp_path: Path,
                                                         count_queries: Counting) -> None:
    load(sources, "members", [DATA / "members.csv"])
    store = count_queries(sources)
    assert companies(sources, restricted=True) == 8
    asked = store.calls
    assert companies(sources, restricted=True) == 8
    assert store.calls == asked  # the second time, nothing was sent to the store

    three = tmp_path / "members.csv"
    three.write_text("".join((DATA / "members.csv").read_text(encoding="utf-8").splitlines(keepends=True)[:4]),
                     encoding="utf-8")
    load(sources, "members", [three])
    assert companies(sources, restricted=True) == 3  # a new version: the kept 8 is never given again


def test_each_access_level_has_its_own_answer(sources: Sources) -> None:
    load(sources, "members", [DATA / "members.csv"])
    load(sources, "poles", [DATA / "wagralim-members.csv"], pole="wagralim")
    for _ in range(2):
        assert companies(sources, restricted=True) == 11
        assert companies(sources, restricted=False) == 8  # the pole list is restricted


def test_nothing_is_kept_for_a_store_other_processes_may_write(sources: Sources, count_queries: Counting) -> None:
    load(sources, "members", [DATA / "members.csv"])
    shared = Sources(sources.store, sources.base, exclusive=False)
    store = count_queries(shared)
    companies(shared, restricted=True)
    asked = store.calls
    companies(shared, restricted=True)
    assert store.calls == 2 * asked
    assert shared.state() is None


def test_nothing_is_kept_while_this_process_writes(sources: Sources) -> None:
    """A write under way makes the state unknown: an answer computed then is not kept."""
    answers = Kept()
    with sources._writing():
        assert sources.state() is None
        answers.answer(sources, True, "q", lambda: [1])
    assert answers.answer(sources, True, "q", lambda: [2]) == [2]
    assert answers.answer(sources, True, "q", lambda: [3]) == [2]


def test_concurrent_callers_share_one_computation(sources: Sources) -> None:
    answers, computed, started = Kept(), [], threading.Barrier(8)

    def compute() -> list[int]:
        computed.append(1)
        time.sleep(0.3)
        return [42]

    got: list[list[int]] = []

    def ask() -> None:
        started.wait()
        got.append(answers.answer(sources, True, "slow", compute))

    threads = [threading.Thread(target=ask) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert got == [[42]] * 8
    assert len(computed) == 1


def test_a_failure_is_not_kept_and_reaches_every_waiting_caller(sources: Sources) -> None:
    answers = Kept()

    def fail() -> list[int]:
        raise RuntimeError("the store went away")

    with pytest.raises(RuntimeError, match="went away"):
        answers.answer(sources, True, "q", fail)
    assert answers.answer(sources, True, "q", lambda: [1]) == [1]


def test_the_least_recently_used_answers_go_first_and_big_ones_are_not_kept(sources: Sources) -> None:
    answers = Kept(max_rows=5, max_entry_rows=3)
    answers.answer(sources, True, "a", lambda: [1, 1])
    answers.answer(sources, True, "b", lambda: [2, 2])
    answers.answer(sources, True, "a", lambda: [0])  # a is used again: b is now the oldest
    answers.answer(sources, True, "c", lambda: [3, 3])  # 6 rows > 5: b goes
    assert answers.answer(sources, True, "a", lambda: [0]) == [1, 1]
    assert answers.answer(sources, True, "c", lambda: [0]) == [3, 3]
    assert answers.answer(sources, True, "b", lambda: [9]) == [9]
    answers.answer(sources, True, "big", lambda: [7, 7, 7, 7])
    assert answers.answer(sources, True, "big", lambda: [8]) == [8]


def test_the_answers_of_two_stores_are_told_apart(sources: Sources) -> None:
    """Two stores in one process, the same query, the same number of writes: each gets its own answer."""
    other = Sources(EmbeddedStore.in_memory(), sources.base, exclusive=True)
    load(sources, "members", [DATA / "members.csv"])
    other.generation = sources.generation
    assert companies(sources, restricted=True) == 8
    assert companies(other, restricted=True) == 0


def test_an_entity_description_is_kept_until_the_data_changes(sources: Sources, tmp_path: Path,
                                                               count_queries: Counting) -> None:
    """Fictive Vision SRL is members.csv's first firm (0450.111.177); renamed in a reload, its page says so."""
    firm = f"{sources.base}id/org/be-0450111177"
    load(sources, "members", [DATA / "members.csv"])
    store = count_queries(sources)

    def name() -> set[str]:
        found = describe(sources, firm, restricted=False)
        assert found is not None
        return {t.object.value for t in found.statements if t.predicate.value.endswith("legalName")}

    assert name() == {"Fictive Vision SRL"}
    asked = store.calls
    assert name() == {"Fictive Vision SRL"}
    assert store.calls == asked
    renamed = tmp_path / "members.csv"
    lines = (DATA / "members.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    renamed.write_text(lines[0] + lines[1].replace("Fictive Vision SRL", "Fictive Vision Wallonie SRL"),
                       encoding="utf-8")
    load(sources, "members", [renamed])
    assert name() == {"Fictive Vision Wallonie SRL"}
