"""The search: breadth first over every interleaving, with state hashing and sleep sets.

Breadth first, level by level (a level is the number of steps since ``gc
start``), so the first lost object found comes with a shortest
counterexample.  Each state is expanded once per sleep set: a state seen
before is skipped, unless it is reached with a smaller sleep set, when the
transitions it had slept are explored from it after all (sleep sets with
state caching, Godefroid 1996).

Partial-order reduction is the sleep sets: after exploring transition *t*
from a state, every later sibling *u* independent of *t*
(:func:`~.explore.independent`) carries *t* in its sleep set — the
interleaving *u·t* reaches the state *t·u* already reached — so the
collector's many orders of scanning the same grey objects, and
interleavings of goroutines that only touch their own stacks, are explored
once.

Work splits over a process pool (:mod:`.pool`) by level: the frontier is
cut into slices, each worker expands its slice on its own engine, and the
parent merges the successors into the one table of seen states.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

from .expand import expand, initial
from .explore import Explorer
from .universe import Universe

#: levels smaller than this are expanded in the parent: shipping them to the workers costs more than it saves
POOL_MIN_FRONTIER = 256


@dataclass
class Result:
    mode: str
    explored: int = 0  # transitions run (states explored)
    distinct: int = 0  # distinct states seen
    terminals: int = 0  # distinct states mark termination was checked from
    seconds: float = 0.0
    depth: int = 0
    lost: list[str] = field(default_factory=list)
    counterexample: list[str] = field(default_factory=list)  # the steps, gc start to sweep
    complete: bool = True
    workers: int = 1

    @property
    def safe(self) -> bool:
        return not self.lost

    @property
    def per_minute(self) -> float:
        return self.explored * 60 / self.seconds if self.seconds > 0 else 0.0

    def as_dict(self) -> dict:
        return {
            "mode": self.mode,
            "verdict": "safe" if self.safe else "lost",
            "states_explored": self.explored,
            "distinct_states": self.distinct,
            "terminal_states": self.terminals,
            "seconds": round(self.seconds, 3),
            "states_per_minute": int(self.per_minute),
            "depth": self.depth,
            "lost": self.lost,
            "counterexample": self.counterexample,
            "workers": self.workers,
        }


def search(u: Universe, mode: str, workers: int = 1, max_states: int | None = None, max_depth: int | None = None,
           progress=None) -> Result:
    """Every interleaving of *u*'s mutator moves with one GC cycle under *mode*; the verdict.

    *max_states* and *max_depth* (transitions after ``gc start``) cut the
    search short: the result is then not ``complete``.
    """
    t0 = time.perf_counter()
    res = Result(mode)
    pool = None
    if workers > 1:
        from .pool import Pool

        pool = Pool(u, mode, workers)
        res.workers = workers
    ex = Explorer(u, mode)
    left0 = initial(u)
    d0 = ex.digest(left0)
    seen: dict = {d0: frozenset()}
    checked: set = set()
    frontier = [(ex.checkpoint(), left0, ("gc start",), frozenset())]
    res.distinct = 1
    try:
        while frontier:
            res.depth = len(frontier[0][2])
            if pool is not None and len(frontier) >= POOL_MIN_FRONTIER:
                outs = pool.expand(frontier)
            else:
                outs = (expand(ex, item) for item in frontier)  # lazily: stop at the first lost object
            nxt = []
            found = None
            for succ, verdicts, ran in outs:
                if found is not None:
                    break
                res.explored += ran
                for d, lost, path in verdicts:
                    if d in checked:
                        continue
                    checked.add(d)
                    res.terminals += 1
                    if lost and found is None:
                        found = (lost, path)
                for d, ck, left, path, sleep in succ:
                    old = seen.get(d)
                    if old is None:
                        seen[d] = sleep
                        nxt.append((ck, left, path, sleep))
                    elif not old <= sleep:
                        seen[d] = old & sleep
                        nxt.append((ck, left, path, old & sleep))
            res.distinct = len(seen)
            if progress is not None:
                progress(res, time.perf_counter() - t0)
            if found is not None:
                res.lost, path = found
                res.counterexample = list(path) + ["sweep"]
                break
            if (max_states is not None and res.explored >= max_states) or (
                max_depth is not None and nxt and len(nxt[0][2]) > max_depth
            ):
                res.complete = False
                break
            frontier = nxt
    finally:
        if pool is not None:
            pool.close()
    res.seconds = time.perf_counter() - t0
    return res
