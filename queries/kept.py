"""Answers of named queries kept until the data changes.

The data changes only by new source versions (decision 0002), and every write of a `Sources` bumps its
`generation`. An answer is a function of the bound query text, the caller's access level and that state,
so an answer kept under the state it was computed in is exact, never stale: a load makes a new state,
and the old answers are simply never asked for again (they age out of the LRU).

This is what makes an analysis that costs seconds at scale (a gap analysis over millions of quads) answer
in a millisecond the second time, for every caller of the same access level (TARGETS.md, named analyses).
Concurrent callers of the same uncomputed answer wait for one computation instead of each starting their
own. Nothing is kept for a store other processes may write (`Sources.state` is then None), nor while this
process writes.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sized
from concurrent.futures import Future
from typing import TypeVar

from graph.sources import Sources

__all__ = ["MAX_ENTRY_ROWS", "MAX_ROWS", "Kept", "kept"]

MAX_ROWS = 200_000
"""Rows kept in all (each answer counts its rows, at least 1): the least recently used go first."""
MAX_ENTRY_ROWS = 50_000
"""An answer with more rows is not kept: it would push out many small ones for a rare question."""

T = TypeVar("T", bound=Sized)


class Kept:
    """A bounded LRU of answers keyed by (store state, question), with one computation per missing key."""

    def __init__(self, max_rows: int = MAX_ROWS, max_entry_rows: int = MAX_ENTRY_ROWS) -> None:
        self.max_rows, self.max_entry_rows = max_rows, max_entry_rows
        self._lock = threading.Lock()
        self._answers: OrderedDict[Hashable, tuple[object, int]] = OrderedDict()
        self._rows = 0
        self._computing: dict[Hashable, Future[object]] = {}

    def answer(self, sources: Sources, restricted: bool, question: Hashable, compute: Callable[[], T]) -> T:
        """The kept answer to `question` for a caller of this access level, else `compute()` (kept if it may)."""
        state = sources.state(restricted=restricted)
        if state is None:
            return compute()
        key = (state, question)
        with self._lock:
            if key in self._answers:
                self._answers.move_to_end(key)
                return self._answers[key][0]  # type: ignore[return-value]
            waiting = self._computing.get(key)
            if waiting is None:
                mine: Future[object] = Future()
                self._computing[key] = mine
        if waiting is not None:
            return waiting.result()  # type: ignore[return-value]
        try:
            value = compute()
        except BaseException as exc:
            self._done(key)
            mine.set_exception(exc)
            raise
        if sources.state(restricted=restricted) == state:  # no write started or ended meanwhile
            self._keep(key, value, max(len(value), 1))
        self._done(key)
        mine.set_result(value)
        return value

    def peek(self, sources: Sources, restricted: bool, question: Hashable) -> object | None:
        """The kept answer to `question` if there is one now; never computes."""
        state = sources.state(restricted=restricted)
        with self._lock:
            found = self._answers.get((state, question)) if state is not None else None
            if found is not None:
                self._answers.move_to_end((state, question))
        return None if found is None else found[0]

    def clear(self) -> None:
        with self._lock:
            self._answers.clear()
            self._rows = 0

    def _done(self, key: Hashable) -> None:
        with self._lock:
            del self._computing[key]

    def _keep(self, key: Hashable, value: object, rows: int) -> None:
        if rows > self.max_entry_rows:
            return
        with self._lock:
            if key in self._answers:
                return
            self._answers[key] = (value, rows)
            self._rows += rows
            while self._rows > self.max_rows:
                _, (_, dropped) = self._answers.popitem(last=False)
                self._rows -= dropped


kept = Kept()
"""The process's answers: one per process is enough, since the state in each key names its store."""
