"""Write barriers, one per era, and the GC modes built from them.

Models ``runtime/mbarrier.go`` (the hybrid barrier of Go 1.8 on) and the
barriers of the seed article's history (Dijkstra 1978; Yuasa 1990; the
proposal ``17503-eliminate-rescan``).

Tricolor marking is safe as long as no black object points to a white one
that nothing grey can still reach.  Two invariants say how:

* **strong**: no black object points to a white object;
* **weak**: every white object a black object points to is reachable from
  some grey object through white objects.

A mutator running during marking can break both with two moves: store a
pointer to a white object into a black object, and delete the last path to
it from grey objects.  A barrier is a hook on pointer stores that forbids
one of the two moves:

* :class:`DijkstraInsertion` — ``shade(new); *slot = new``.  A black object
  can never get a white pointer: the **strong** invariant holds for every
  slot the barrier covers.  Stacks are not covered (a barrier on every stack
  write is too slow), so stacks stay grey and Go 1.5–1.7 **rescanned every
  stack with the world stopped** at mark termination.
* :class:`YuasaDeletion` — ``shade(*slot); *slot = new``.  Whatever a store
  overwrites is shaded first, so every object reachable when marking began
  stays reachable through grey objects: the **weak** invariant holds
  (snapshot-at-the-beginning).  Stacks get no barrier either, so they must
  be **snapshotted with the world stopped** when marking starts.  Objects
  that die during marking survive the cycle (floating garbage).
* :class:`Hybrid` — Go 1.8 on: ``shade(*slot); shade(new); *slot = new``
  (the documented form shades *new* only while the current stack is grey;
  the runtime always shades both, avoiding a fence, and so does gomem).
  1. Shading the old value (Yuasa's half) stops a mutator from hiding an
     object by moving its only pointer from the heap to its stack.
  2. Shading the new value (Dijkstra's half) stops a mutator from moving
     the only pointer from its unscanned (grey) stack into a black object.
  With objects allocated black, a stack once scanned points only to
  non-white objects and no store can hide one, so stacks are scanned one
  goroutine at a time while the others run and **never rescanned**.
* :class:`NoBarrier` — the null object: concurrent marking with no barrier
  at all, unsafe on purpose so the article's lost object can be shown.

Stack writes never run a barrier in any mode; heap and global writes do
while the barrier is on (mark and mark termination).
"""

from __future__ import annotations

from dataclasses import dataclass

from .errors import BadInput


class Barrier:
    """A write barrier: which of the old and new pointer values a store shades."""

    name = "barrier"
    shades_old = False
    shades_new = False

    def describe(self) -> str:
        return self.__doc__.strip().splitlines()[0] if self.__doc__ else self.name


class NoBarrier(Barrier):
    """No barrier: stores are never seen by the collector."""

    name = "none"


class DijkstraInsertion(Barrier):
    """Dijkstra insertion barrier: shade(new) — keeps the strong invariant on heap and globals."""

    name = "dijkstra"
    shades_new = True


class YuasaDeletion(Barrier):
    """Yuasa deletion barrier: shade(*slot) — keeps the weak invariant (snapshot at the beginning)."""

    name = "yuasa"
    shades_old = True


class Hybrid(Barrier):
    """Go 1.8 hybrid barrier: shade(*slot) and shade(new) — stacks scanned once, never rescanned."""

    name = "hybrid"
    shades_old = True
    shades_new = True


# How a mode treats goroutine stacks during marking.
STACKS_STW = "stw"  #: scanned with the world stopped, as part of a STW mark
STACKS_CONCURRENT_RESCAN = "rescan"  #: scanned concurrently, rescanned in STW mark termination (Go 1.5)
STACKS_SNAPSHOT = "snapshot"  #: all scanned with the world stopped when marking starts (Yuasa)
STACKS_CONCURRENT = "concurrent"  #: one goroutine at a time while others run, never rescanned (Go 1.8)


@dataclass(frozen=True)
class GCMode:
    """One collector of the article's history: a barrier and a root policy on one cycle engine."""

    name: str
    summary: str
    barrier: Barrier
    #: marking runs with the world stopped (no barrier needed)
    stw_mark: bool
    #: sweeping also runs with the world stopped (Go <= 1.2)
    stw_sweep: bool
    stacks: str
    #: objects allocated during marking are black
    alloc_black: bool = True


MODES: dict[str, GCMode] = {
    m.name: m
    for m in (
        GCMode("stw", "Go <= 1.2: mark and sweep with the world stopped", NoBarrier(), True, True, STACKS_STW),
        GCMode("go1.3", "Go 1.3: mark with the world stopped, sweep concurrently", NoBarrier(), True, False, STACKS_STW),
        GCMode(
            "go1.5",
            "Go 1.5: concurrent mark, Dijkstra insertion barrier on heap and globals, STW stack rescan",
            DijkstraInsertion(),
            False,
            False,
            STACKS_CONCURRENT_RESCAN,
        ),
        GCMode(
            "yuasa",
            "Yuasa deletion barrier, stacks snapshotted with the world stopped at mark start",
            YuasaDeletion(),
            False,
            False,
            STACKS_SNAPSHOT,
        ),
        GCMode(
            "go1.8",
            "Go 1.8+: concurrent mark, hybrid barrier, stacks scanned once each while others run",
            Hybrid(),
            False,
            False,
            STACKS_CONCURRENT,
        ),
        GCMode(
            "none",
            "concurrent mark with no write barrier (unsafe on purpose)",
            NoBarrier(),
            False,
            False,
            STACKS_CONCURRENT,
        ),
    )
}

DEFAULT_MODE = "go1.8"


def get_mode(name: str) -> GCMode:
    try:
        return MODES[name]
    except KeyError:
        raise BadInput(f"unknown GC mode {name!r} (modes: {', '.join(MODES)})") from None
