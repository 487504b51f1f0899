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
* :class:`NoBarrier` — the null object (``active`` is false): concurrent
  marking with no barrier at all, unsafe on purpose so the article's lost
  object can be shown.

Stack writes never run a barrier in any mode; heap and global writes do
while the barrier is on (mark and mark termination).

Besides the barrier, a mode has a **root policy** (:class:`RootPolicy`): how
goroutine stacks are treated as roots.  The collector calls its hooks at
mark start (:meth:`RootPolicy.mark_start`), when it queues the root jobs
(:meth:`RootPolicy.root_jobs`) and at mark termination
(:meth:`RootPolicy.mark_termination`); the scenario engine asks it the
colour of a stack (:meth:`RootPolicy.stack_colour`).

:class:`WriteBarrier` is the barrier of one runtime at work: the per-store
barrier into the P's buffer (Go: ``gcWriteBarrier``, ``wbBuf``), the
buffer's flush (``wbBufFlush``), the bulk barrier of a batch of stores, and
what each costs.  The runtime's stores, the collector and the scenario
engine all go through it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..errors import BadInput
from .trace import BARRIER

#: entries in a P's write barrier buffer (Go: wbBufEntries)
WBBUF_ENTRIES = 512
#: goroutine state of an exited goroutine (sched.G_DEAD; not imported, to keep this module a leaf)
_G_DEAD = "dead"


class Barrier:
    """A write barrier: which of the old and new pointer values a store shades."""

    name = "barrier"
    shades_old = False
    shades_new = False

    @property
    def active(self) -> bool:
        """The barrier shades something: stores must go through it while it is on."""
        return self.shades_old or self.shades_new

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


class HybridNoShadeOld(Barrier):
    """Hybrid barrier without its Yuasa half: shade(new) only — a pointer moved from the heap to a scanned stack is lost."""

    name = "hybrid-noshade-old"
    shades_new = True


class HybridNoShadeNew(Barrier):
    """Hybrid barrier without its Dijkstra half: shade(*slot) only — a pointer moved from a grey stack to the heap is lost."""

    name = "hybrid-noshade-new"
    shades_old = True


# -- root policies --------------------------------------------------------------------------

#: the root colours a policy reports (the scenario engine's vocabulary)
GREY, BLACK = "grey", "black"


class RootPolicy:
    """How a mode treats goroutine stacks as roots; the collector calls the hooks.

    *gc* in the hooks is the :class:`~gomem.runtime.mgc.Collector` (``scan_stack``
    and ``stack_roots()``, the goroutines whose stacks are roots, are what they use).
    """

    name = "roots"
    #: every stack was scanned with the world stopped when marking began (nothing left to scan later)
    snapshot = False
    #: stacks are shaded together with the globals, in the one root pass of a stop-the-world mark
    with_globals = False
    #: None: stacks are never rescanned; True: rescanned with the world stopped at mark
    #: termination (Go 1.5); False: Go 1.5's policy with that rescan switched off
    rescan: bool | None = None

    def mark_start(self, gc, gcw) -> int:
        """Sweep termination, after the root jobs are queued: stack work done now; return its ns."""
        return 0

    def root_jobs(self, gs) -> list[tuple]:
        """The root jobs of a cycle, in scan order: the globals, then a job per live goroutine's stack."""
        return [("globals",)] + [("stack", g) for g in gs if g.status != _G_DEAD]

    def mark_termination(self, gc, gcw) -> int:
        """Mark termination, world stopped, before the last drain: stack work done now; return its ns."""
        return 0

    def stack_colour(self, scanned: bool) -> str:
        """The colour of a goroutine's stack (and its locals) while marking, once *scanned* or not yet."""
        return BLACK if scanned else GREY

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.name}>"


class StopTheWorldStacks(RootPolicy):
    """Stacks are root jobs of a mark that runs with the world stopped."""

    name = "stw"
    with_globals = True


class RescanStacks(RootPolicy):
    """Go 1.5: stacks scanned concurrently and, having no barrier, rescanned with the world stopped.

    A stack stays grey until the rescan.  With *rescan* off (the unsafe
    ``go1.5-norescan`` variant) a scanned stack counts as black and is never
    looked at again, so a pointer moved onto it during marking is lost.
    """

    def __init__(self, rescan: bool = True) -> None:
        self.rescan = rescan
        self.name = "rescan" if rescan else "norescan"

    def mark_termination(self, gc, gcw) -> int:
        if not self.rescan:
            return 0
        work = 0
        for g in gc.stack_roots():
            if g.status != _G_DEAD:
                g.scandone = False
                work += gc.scan_stack(g, gcw)
        return work

    def stack_colour(self, scanned: bool) -> str:
        if self.rescan:
            return GREY
        return super().stack_colour(scanned)


class SnapshotStacks(RootPolicy):
    """Yuasa: every stack is scanned with the world stopped when marking starts; only the globals are jobs."""

    name = "snapshot"
    snapshot = True

    def mark_start(self, gc, gcw) -> int:
        work = 0
        for g in gc.stack_roots():
            if g.status != _G_DEAD:
                work += gc.scan_stack(g, gcw)
        return work

    def root_jobs(self, gs) -> list[tuple]:
        return [("globals",)]


class ConcurrentStacks(RootPolicy):
    """Go 1.8 on: one goroutine's stack at a time while the others run, never rescanned."""

    name = "concurrent"


# -- modes ----------------------------------------------------------------------------------


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
    stacks: RootPolicy
    #: objects allocated during marking are black
    alloc_black: bool = True
    #: a variant of another mode for the model checker and the scenarios, not one of the article's
    #: collectors (scenarios run the article's modes unless they name a variant)
    variant_of: str | None = None
    #: the mode never frees a reachable object (the safety suite's claim)
    safe: bool = True


MODES: dict[str, GCMode] = {
    m.name: m
    for m in (
        GCMode("stw", "Go <= 1.2: mark and sweep with the world stopped", NoBarrier(), True, True, StopTheWorldStacks()),
        GCMode(
            "go1.3", "Go 1.3: mark with the world stopped, sweep concurrently", NoBarrier(), True, False, StopTheWorldStacks()
        ),
        GCMode(
            "go1.5",
            "Go 1.5: concurrent mark, Dijkstra insertion barrier on heap and globals, STW stack rescan",
            DijkstraInsertion(),
            False,
            False,
            RescanStacks(),
        ),
        GCMode(
            "yuasa",
            "Yuasa deletion barrier, stacks snapshotted with the world stopped at mark start",
            YuasaDeletion(),
            False,
            False,
            SnapshotStacks(),
        ),
        GCMode(
            "go1.8",
            "Go 1.8+: concurrent mark, hybrid barrier, stacks scanned once each while others run",
            Hybrid(),
            False,
            False,
            ConcurrentStacks(),
        ),
        GCMode(
            "none",
            "concurrent mark with no write barrier (unsafe on purpose)",
            NoBarrier(),
            False,
            False,
            ConcurrentStacks(),
            safe=False,
        ),
        GCMode(
            "go1.5-norescan",
            "Go 1.5 without the stop-the-world stack rescan (a model-checker variant): stack writes go unnoticed",
            DijkstraInsertion(),
            False,
            False,
            RescanStacks(rescan=False),
            variant_of="go1.5",
            safe=False,
        ),
        GCMode(
            "go1.8-noshade-old",
            "Go 1.8 without shading the overwritten pointer (a model-checker variant): only shade(new)",
            HybridNoShadeOld(),
            False,
            False,
            ConcurrentStacks(),
            variant_of="go1.8",
            safe=False,
        ),
        GCMode(
            "go1.8-noshade-new",
            "Go 1.8 without shading the new pointer while the stack is grey (a model-checker variant): only shade(*slot)",
            HybridNoShadeNew(),
            False,
            False,
            ConcurrentStacks(),
            variant_of="go1.8",
            safe=False,
        ),
        GCMode(
            "yuasa-nosnapshot",
            "Yuasa deletion barrier with stacks scanned one at a time while the program runs, not snapshotted "
            "(a model-checker variant)",
            YuasaDeletion(),
            False,
            False,
            ConcurrentStacks(),
            variant_of="yuasa",
            safe=False,
        ),
        GCMode(
            "go1.8-allocwhite",
            "Go 1.8 allocating white instead of black during marking (a model-checker variant)",
            Hybrid(),
            False,
            False,
            ConcurrentStacks(),
            alloc_black=False,
            variant_of="go1.8",
            safe=False,
        ),
    )
}

#: the article's collectors, in its order (every mode that is not a variant of another)
ARTICLE_MODES: tuple[str, ...] = tuple(n for n, m in MODES.items() if m.variant_of is None)

DEFAULT_MODE = "go1.8"


def get_mode(name: str) -> GCMode:
    try:
        return MODES[name]
    except KeyError:
        raise BadInput(f"unknown GC mode {name!r} (modes: {', '.join(MODES)})") from None


# -- the barrier at work ----------------------------------------------------------------------


class WriteBarrier:
    """One runtime's write barrier: a mode's :class:`Barrier` applied to stores, with costs.

    *marker* is the collector's :class:`~gomem.runtime.mgcmark.Marker` (its
    ``grey`` shades), *cost* the :class:`~gomem.runtime.sched.CostModel`, *log* the
    runtime's event log and *entries* the size of a P's buffer.  The costs:
    ``barrier`` per store, ``wbbuf_flush`` per buffer flush and ``grey`` per
    object the flush marks.
    """

    __slots__ = ("barrier", "shades_old", "shades_new", "marker", "cost", "log", "entries")

    def __init__(self, barrier: Barrier, marker, cost, log, entries: int = WBBUF_ENTRIES) -> None:
        self.barrier = barrier
        self.shades_old = barrier.shades_old
        self.shades_new = barrier.shades_new
        self.marker = marker
        self.cost = cost
        self.log = log
        self.entries = entries

    @property
    def active(self) -> bool:
        return self.barrier.active

    def store(self, p, old: int, new: int, slot: int) -> None:
        """The barrier of one heap or global store while it is on: record into *p*'s buffer, flush it when full."""
        buf = p.wbbuf
        if self.shades_old and old:
            buf.append(old)
        if self.shades_new and new:
            buf.append(new)
        p.now += self.cost.barrier
        if self.log.detail and (self.shades_old or self.shades_new):
            self.log.emit(p.now, BARRIER, p.id, slot=slot, old=old, new=new, barrier=self.barrier.name)
        if len(buf) >= self.entries:
            self.flush(p)

    def flush(self, p, charge: bool = True) -> int:
        """Shade what *p*'s buffer holds (Go: ``wbBufFlush``); return the cost, charged to *p* if *charge*."""
        if not p.wbbuf:
            return 0
        ptrs = np.array(p.wbbuf, dtype=np.uint64)
        p.wbbuf.clear()
        c = self._shade(p, ptrs, 1)
        if charge:
            p.now += c
        return c

    def bulk(self, p, olds: np.ndarray, news: np.ndarray, nstores: int) -> None:
        """The barrier of *nstores* heap stores at once (their old and new values as arrays).

        Same effect as each store recording its values and the buffer being
        flushed: what *p*'s buffer held is shaded with them, and the flushes
        are priced as one per ``WBBUF_ENTRIES`` values, plus one.
        """
        parts = []
        if self.shades_old and olds.size:
            parts.append(olds[olds != 0])
        if self.shades_new and news.size:
            parts.append(news[news != 0])
        p.now += nstores * self.cost.barrier
        if not parts:
            return
        vals = np.concatenate(parts) if len(parts) > 1 else parts[0]
        if p.wbbuf:
            vals = np.concatenate([np.array(p.wbbuf, dtype=np.uint64), vals])
            p.wbbuf.clear()
        p.now += self._shade(p, vals, 1 + vals.size // WBBUF_ENTRIES)

    def _shade(self, p, vals: np.ndarray, flushes: int) -> int:
        """Grey *vals* on *p*; the cost of *flushes* buffer flushes and of the objects they marked."""
        gcw = p.gcw
        m0 = gcw.objects_marked
        self.marker.grey(vals, gcw)
        return flushes * self.cost.wbbuf_flush + (gcw.objects_marked - m0) * self.cost.grey
