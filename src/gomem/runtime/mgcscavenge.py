"""The scavenger: returning free heap pages to the OS.

Models ``runtime/mgcscavenge.go`` and the allocation-time scavenging of
``mheap.allocSpan``.  Free pages the heap keeps (``HeapIdle −
HeapReleased``) still cost RSS; scavenging releases them
(``MADV_DONTNEED``: gomem calls :meth:`gomem.runtime.arena.AddressSpace.release_pages`
on the real memory) and moves their bytes from ``heapFree`` to
``heapReleased``.  Reusing a scavenged page later moves it back
(:meth:`gomem.runtime.mheap.MHeap.alloc_span` already counts that).

**Goals** (``gcPaceScavenger``, recomputed whenever the controller commits:
after each cycle and on SetGCPercent/SetMemoryLimit):

* GOGC goal: retain ``lastHeapInUse × heapGoal / lastHeapGoal × 1.10``
  (``retainExtraPercent = 10``), rounded up to a physical page; "none"
  (``^0``) if retained memory is already within a page of it, and before
  the first cycle has ended (``lastHeapGoal == 0``) — so no background
  scavenging before the 2nd GC;
* memory-limit goal: ``0.95 × limit`` (``reduceExtraPercent = 5``) of
  ``mappedReady``; "none" while mappedReady is already below it.

**Background scavenger** (``bgscavenge``): parked until the sweeper
finishes a cycle's sweep (``scavenger.ready`` → sysmon wakes it).  Each
run releases 64 KiB at a time until it has worked ``minScavWorkTime`` (1 ms
of model time) or both goals are met (``shouldStop``), then sleeps
``worked / sleepRatio``; ``sleepRatio`` comes from Go's PI controller
(``piController``, kp 0.3375, ti 3.2e6, tt 1e9, output [0.001, 1000])
steering the scavenger's share of the CPU (``worked / ((slept + worked) ×
GOMAXPROCS)``) to ``scavengePercent = 1 %``.  A run that releases nothing
parks it again.  It only takes pages from chunks that are not densely used
(fewer than 496 of 512 pages in use, ``scavChunkHiOccFrac``), highest
addresses first.

**Synchronous scavenging** (``allocSpan``, after the pages are taken): if
the CPU limiter is not limiting and ``mappedReady`` exceeds the memory
limit, release the excess at once, dense chunks included (forced); if the
span's allocation grew the heap and ``heapRetained + growth`` passes the
GOGC goal, release down to it.  The time goes to the allocating P and
counts as scavenge-assist time for the limiter.

**scavtrace** (``printScavTrace``): at the end of each sweep,
``scav B KiB work (bg), E KiB work (eager), N KiB now, U% util`` (released
since the last line; HeapReleased; heapInUse / heapRetained), `` (forced)``
after ``debug.FreeOSMemory``.

Model simplifications: releasing one 8 KiB page costs
:data:`SCAVENGE_NS_PER_PAGE` of model time (Go measures the madvise; its
fallback estimate, 10 µs per 4 KiB page, is for coarse timers); "densely
used in the last cycle" is judged on the chunk's current occupancy; the
scavenger runs when its timer is due, ahead of the run queue, on the P
whose clock reaches it first; physical pages are 4 KiB, so every 8 KiB
runtime page is whole physical pages.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Callable

from .arena import PAGE_SIZE
from .mgcpacer import GOAL_OFF, MAX_INT64
from .mpagealloc import PALLOC_CHUNK_PAGES
from .mstats import FIXALLOC_CHUNK, MCACHE_STRUCT_BYTES

if TYPE_CHECKING:  # pragma: no cover
    from .malloc import Heap
    from .mgclimit import GCCPULimiter
    from .sched import P

#: background scavenging's target share of the CPU, percent (scavengePercent)
SCAVENGE_PERCENT = 1
#: GOGC goal: retain this much more than the heap needs, percent (retainExtraPercent)
RETAIN_EXTRA_PERCENT = 10
#: memory-limit goal: keep mappedReady this far under the limit, percent (reduceExtraPercent)
REDUCE_EXTRA_PERCENT = 5
PHYS_PAGE_SIZE = 4096
#: the background scavenger releases this much per call (scavengeQuantum)
SCAVENGE_QUANTUM = 64 << 10
#: a background run works at least this long, ns (minScavWorkTime)
MIN_SCAV_WORK_TIME = 1_000_000
#: the sleep ratio the scavenger starts (and restarts) with (startingScavSleepRatio)
STARTING_SCAV_SLEEP_RATIO = 0.001
#: chunks with at least this many pages in use are not scavenged unless forced (scavChunkHiOccPages)
SCAV_CHUNK_HI_OCC_PAGES = int(0.96875 * PALLOC_CHUNK_PAGES)
#: model cost of releasing one 8 KiB page (madvise(MADV_DONTNEED)), ns
SCAVENGE_NS_PER_PAGE = 250
#: after the controller fails, it is not consulted for this long, ns (controllerCooldown)
CONTROLLER_COOLDOWN = 5_000_000_000
#: runtime memory Go maps at startup that the model has no structure for, counted in mappedReady:
#: BuckHashSys (memory-profile buckets, 1442523) + GCSys (1526032) + OtherSys (364181) as
#: runtime.ReadMemStats reports them first thing in a Go 1.27 program (linux/amd64, GOMAXPROCS=1)
RUNTIME_BASE_SYS = 1442523 + 1526032 + 364181


class PIController:
    """A proportional-integral controller (Go: ``piController``)."""

    def __init__(self, kp: float, ti: float, tt: float, lo: float, hi: float) -> None:
        self.kp, self.ti, self.tt, self.min, self.max = kp, ti, tt, lo, hi
        self.err_integral = 0.0

    def next(self, value: float, setpoint: float, period: float) -> tuple[float, bool]:
        """The output for *value* against *setpoint* over *period*; False if it overflowed."""
        prop = self.kp * (setpoint - value)
        raw = prop + self.err_integral
        if math.isinf(raw) or math.isnan(raw):
            self.err_integral = 0.0
            return self.min, False
        out = min(max(raw, self.min), self.max)
        if self.ti != 0 and self.tt != 0:
            self.err_integral += (self.kp * period / self.ti) * (setpoint - value) + (period / self.tt) * (out - raw)
            if math.isinf(self.err_integral) or math.isnan(self.err_integral):
                self.err_integral = 0.0
                return self.min, False
        return out, True


def mapped_ready(heap: Heap, gc_sys: int = 0, base: int = RUNTIME_BASE_SYS) -> int:
    """Memory the runtime has mapped and not released (Go: ``gcController.mappedReady``).

    MemStats ``Sys − HeapReleased``: heap pages in use or free, stacks, span
    structs, mcaches, *gc_sys* (GC bitmaps; the collector passes an
    estimate, as counting them walks every span) and *base*, the runtime's
    fixed non-heap memory (:data:`RUNTIME_BASE_SYS`, which gomem's MemStats
    do not show) — without it the memory-limit goal would be ~3 MiB more
    generous than real Go's.
    """
    s = heap.stats
    mcache = len(heap.mcaches) * MCACHE_STRUCT_BYTES
    mcache_sys = -(-mcache // FIXALLOC_CHUNK) * FIXALLOC_CHUNK if mcache else 0
    return s.heap_in_use + s.heap_free + s.in_stacks + s.stacks_sys + s.spans_sys + mcache_sys + gc_sys + base


class Scavenger:
    """The scavenger of one heap: goals, the background worker, allocation-time assists."""

    def __init__(
        self,
        heap: Heap,
        limiter: GCCPULimiter | None = None,
        mapped_ready_fn: Callable[[], int] | None = None,
        procs: int = 1,
    ) -> None:
        self.heap = heap
        self.mheap = heap.mheap
        self.limiter = limiter
        self.mapped_ready = mapped_ready_fn or (lambda: mapped_ready(heap))
        self.procs = procs
        #: the memory limit (set by the collector with the pacer's)
        self.memory_limit = MAX_INT64
        #: retained-memory goal from GOGC, ^0: none (scavenge.gcPercentGoal)
        self.gc_percent_goal = GOAL_OFF
        #: mappedReady goal from the memory limit, ^0: none (scavenge.memoryLimitGoal)
        self.memory_limit_goal = GOAL_OFF
        #: heapInUse at the last mark termination (memstats.lastHeapInUse)
        self.last_heap_in_use = 0
        #: bytes released since the last scavtrace line (pages.scav.releasedBg / releasedEager)
        self.released_bg = 0
        self.released_eager = 0
        #: bytes released in total, and the model ns spent on it
        self.total_released_bg = 0
        self.total_released_eager = 0
        self.background_time = 0
        self.assist_time = 0
        #: the background scavenger is asleep until woken (parked) or until next_at (sleeping)
        self.parked = True
        self.next_at = 0
        self.sleep_ratio = STARTING_SCAV_SLEEP_RATIO
        self.controller = PIController(0.3375, 3.2e6, 1e9, 0.001, 1000.0)
        self.controller_cooldown = 0
        self.print_controller_reset = False
        #: called with each scavtrace line (GODEBUG=scavtrace=1); None: off
        self.trace: Callable[[str], None] | None = None
        self.runs = 0

    # -- goals ----------------------------------------------------------------------

    def heap_retained(self) -> int:
        """Heap memory backed by RAM: in use + free, not released (Go: ``heapRetained``)."""
        st = self.heap.stats
        return st.heap_in_use + st.heap_free

    def pace(self, memory_limit: int, heap_goal: int, last_heap_goal: int) -> None:
        """Recompute both goals (Go: ``gcPaceScavenger``)."""
        self.memory_limit = memory_limit
        ml_goal = int(memory_limit * (1 - REDUCE_EXTRA_PERCENT / 100.0))
        if self.mapped_ready() <= ml_goal:
            self.memory_limit_goal = GOAL_OFF
        else:
            self.memory_limit_goal = ml_goal
        if last_heap_goal == 0:
            self.gc_percent_goal = GOAL_OFF
            return
        ratio = heap_goal / last_heap_goal
        goal = int(self.last_heap_in_use * ratio)
        goal += int(goal / (1.0 / (RETAIN_EXTRA_PERCENT / 100.0)))
        goal = (goal + PHYS_PAGE_SIZE - 1) & ~(PHYS_PAGE_SIZE - 1)
        retained = self.heap_retained()
        if retained <= goal or retained - goal < PHYS_PAGE_SIZE:
            self.gc_percent_goal = GOAL_OFF
        else:
            self.gc_percent_goal = goal

    def should_stop(self) -> bool:
        """Both goals are met (the background scavenger's ``shouldStop``)."""
        return self.heap_retained() <= self.gc_percent_goal and self.mapped_ready() <= self.memory_limit_goal

    def _wanted(self) -> int:
        """Bytes to release before :meth:`should_stop` holds."""
        want = 0
        if self.gc_percent_goal != GOAL_OFF:
            want = max(want, self.heap_retained() - self.gc_percent_goal)
        if self.memory_limit_goal != GOAL_OFF:
            want = max(want, self.mapped_ready() - self.memory_limit_goal)
        return want

    # -- releasing pages -------------------------------------------------------------

    def release(self, nbytes: int, force: bool) -> int:
        """Release up to *nbytes* (rounded up to pages) of free pages; return the bytes released.

        Go: ``pageAlloc.scavenge``.  Without *force*, densely used chunks
        are left alone.
        """
        if nbytes <= 0:
            return 0
        npages = -(-nbytes // PAGE_SIZE)
        runs = self.mheap.pages.scavenge_free(npages, None if force else SCAV_CHUNK_HI_OCC_PAGES)
        released = 0
        for base, n in runs:
            self.heap.aspace.release_pages(base, n * PAGE_SIZE)
            released += n * PAGE_SIZE
        st = self.heap.stats
        st.heap_free -= released
        st.heap_released += released
        return released

    # -- the background scavenger ---------------------------------------------------------

    def ready(self, now: int) -> None:
        """Sweeping finished: wake the background scavenger (Go: ``scavenger.ready`` + sysmon's wake)."""
        if self.parked:
            self.parked = False
            self.next_at = now

    def due(self, now: int) -> bool:
        return not self.parked and now >= self.next_at

    def run_bg(self, p: P) -> int:
        """One wake-up of ``bgscavenge`` on P *p*: release, then sleep or park; return bytes released."""
        self.runs += 1
        worked = 0.0
        released = 0
        while worked < MIN_SCAV_WORK_TIME:
            if self.should_stop():
                break
            budget_pages = max(-(-(MIN_SCAV_WORK_TIME - int(worked)) // SCAVENGE_NS_PER_PAGE), 1)
            want = -(-self._wanted() // SCAVENGE_QUANTUM) * SCAVENGE_QUANTUM
            ask = min(max(want, SCAVENGE_QUANTUM), budget_pages * PAGE_SIZE)
            ask = max(ask // SCAVENGE_QUANTUM, 1) * SCAVENGE_QUANTUM
            r = self.release(ask, force=False)
            worked += (r // PAGE_SIZE) * SCAVENGE_NS_PER_PAGE
            released += r
            if r < ask:
                break
        w = int(worked)
        p.now += w
        self.background_time += w
        if released == 0:
            self.parked = True
            return 0
        self.released_bg += released
        self.total_released_bg += released
        self._sleep(worked, p.now)
        return released

    def _sleep(self, worked: float, now: int) -> None:
        """Sleep ``worked / sleepRatio`` and update the ratio (Go: ``scavengerState.sleep``)."""
        worked = max(worked, MIN_SCAV_WORK_TIME)
        sleep_time = int(worked / self.sleep_ratio)
        slept = sleep_time  # the model's timers are exact
        self.next_at = now + sleep_time
        if self.controller_cooldown > 0:
            t = slept + int(worked)
            self.controller_cooldown = 0 if t > self.controller_cooldown else self.controller_cooldown - t
            return
        ideal = SCAVENGE_PERCENT / 100.0
        frac = worked / ((slept + worked) * self.procs)
        ratio, ok = self.controller.next(frac, ideal, slept + worked)
        self.sleep_ratio = ratio
        if not ok:
            self.sleep_ratio = STARTING_SCAV_SLEEP_RATIO
            self.controller_cooldown = CONTROLLER_COOLDOWN
            self.print_controller_reset = True

    # -- allocation-time scavenging ------------------------------------------------------------

    def on_alloc_span(self, growth: int, scav: int) -> int:
        """allocSpan's scavenging after taking pages (*growth*: bytes the heap grew by); return ns spent."""
        todo = 0
        force = False
        limiting = self.limiter is not None and self.limiter.limiting()
        if not limiting and self.memory_limit != MAX_INT64:
            inuse = self.mapped_ready()
            if inuse > self.memory_limit:
                todo = inuse - self.memory_limit
                force = True
        goal = self.gc_percent_goal
        if goal != GOAL_OFF and growth > 0:
            retained = self.heap_retained()
            if retained + growth > goal:
                t = min(growth, retained + growth - goal)
                todo = max(todo, t)
        if todo <= 0:
            return 0
        released = self.release(todo, force=force)
        self.released_eager += released
        self.total_released_eager += released
        ns = (released // PAGE_SIZE) * SCAVENGE_NS_PER_PAGE
        self.assist_time += ns
        if self.limiter is not None:
            self.limiter.add_assist_time(ns)
        return ns

    def scavenge_all(self) -> int:
        """Release every free page (Go: ``mheap.scavengeAll``, part of ``debug.FreeOSMemory``)."""
        released = self.release(1 << 62, force=True)
        if self.trace is not None:
            self.trace(self.trace_line(0, released, forced=True))
        return released

    # -- scavtrace ------------------------------------------------------------------------

    def trace_line(self, released_bg: int, released_eager: int, forced: bool = False) -> str:
        """One ``GODEBUG=scavtrace=1`` line (Go: ``printScavTrace``)."""
        st = self.heap.stats
        retained = self.heap_retained()
        util = st.heap_in_use * 100 // retained if retained else 0
        line = (
            f"scav {released_bg >> 10} KiB work (bg), {released_eager >> 10} KiB work (eager), "
            f"{st.heap_released >> 10} KiB now, {util}% util"
        )
        if forced:
            line += " (forced)"
        elif self.print_controller_reset:
            line += " [controller reset]"
            self.print_controller_reset = False
        return line

    def on_sweep_done(self, now: int) -> None:
        """The last sweeper: print the scavtrace line, reset its counters, ready the scavenger (``sweepone``)."""
        if self.trace is not None:
            self.trace(self.trace_line(self.released_bg, self.released_eager))
            self.released_bg = self.released_eager = 0
        self.ready(now)
