"""The search over several cores: one engine per worker process, a level's frontier split between them.

Each worker builds its own :class:`~.explore.Explorer` of the universe
(the engine is deterministic: every worker's objects are at the same
addresses, so a checkpoint taken in one restores in another) and expands
the slice of frontier items it is given; the parent keeps the one table of
seen states and merges.
"""

from __future__ import annotations

import multiprocessing as mp

from .explore import Explorer
from .expand import expand

_EX: Explorer | None = None


def _init(universe, mode) -> None:
    global _EX
    _EX = Explorer(universe, mode)


def _work(items):
    return [expand(_EX, item) for item in items]


class Pool:
    """*workers* processes, each with an engine of *universe* under *mode*."""

    def __init__(self, universe, mode: str, workers: int) -> None:
        ctx = mp.get_context("fork")
        self.workers = workers
        self.pool = ctx.Pool(workers, initializer=_init, initargs=(universe, mode))

    def expand(self, frontier: list) -> list:
        """Every item of *frontier* expanded, in order (slices of it run in parallel)."""
        n = max(1, -(-len(frontier) // (self.workers * 2)))
        chunks = [frontier[i:i + n] for i in range(0, len(frontier), n)]
        out = []
        for part in self.pool.map(_work, chunks):
            out.extend(part)
        return out

    def close(self) -> None:
        self.pool.terminate()
        self.pool.join()
