"""Answers ready before the first caller asks: the named queries' first pages, computed after every write.

A gap analysis over the demo x100 costs seconds; kept (queries.kept) it costs a millisecond, but only from the
second caller on. `ecokg serve` runs one `Warmer` thread: whenever the data it serves changes (at start, after
an upload), it builds the collaboration graph in memory for the path search (queries.paths.prepare), then
computes the first page of every named query that needs no parameter, as the API would ask it; each for a
caller with a key, then for an anonymous one when that caller reads the store's union of graphs too. It stops a round
as soon as the data changes again, and it is one thread: at most one query of its own runs at a time.
"""

from __future__ import annotations

import logging
import threading

from api.named import PUBLIC, Paging
from graph.errors import EcokgError
from graph.sources import Sources
from queries import paths
from queries.registry import run

log = logging.getLogger("ecokg.warming")

__all__ = ["Warmer", "warm"]


def warm(sources: Sources, stop: threading.Event | None = None) -> int:
    """Compute the first page of each parameterless named query for the access levels that read the union of
    graphs, unless the data changes meanwhile or `stop` is set. Returns how many pages were computed (or
    found kept)."""
    generation, done = sources.generation, 0
    # an anonymous caller of a store with restricted sources reads a list of graphs, 5-15x slower (decision
    # 0008): at scale, warming it would run query after query into the time limit; its callers compute it
    levels = [True, False] if sources.union_is_visible(False) else [True]
    for restricted in levels:
        try:
            paths.prepare(sources, restricted=restricted)
        except EcokgError as exc:
            log.warning("preparing the path search: %s", exc)
    for restricted in levels:
        for spec in PUBLIC.values():
            if any(p.required for p in spec.params):
                continue
            if sources.generation != generation or (stop is not None and stop.is_set()):
                return done
            try:
                run(sources, spec, {}, restricted=restricted, offset=0, limit=Paging(0, None).size(spec))
                done += 1
            except EcokgError as exc:  # a time limit, the engine restarting: the first caller will compute it
                log.warning("warming %s: %s", spec.name, exc)
    return done


class Warmer(threading.Thread):
    """Warms `sources` at start and after each write it sees (checked every `every` seconds)."""

    def __init__(self, sources: Sources, every: float = 2.0) -> None:
        super().__init__(name="ecokg-warmer", daemon=True)
        self.sources, self.every = sources, every
        self.stopped = threading.Event()
        self.warmed: int | None = None
        """The generation of the data last warmed in full."""

    def run(self) -> None:
        while not self.stopped.is_set():
            generation = self.sources.generation
            if generation != self.warmed and self.sources.state() is not None:
                pages = warm(self.sources, self.stopped)
                if self.sources.generation == generation and not self.stopped.is_set():
                    log.info("warmed %d named-query pages", pages)
                    self.warmed = generation
            self.stopped.wait(self.every)

    def stop(self) -> None:
        self.stopped.set()
