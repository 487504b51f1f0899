"""The garbage collector: one cycle engine, every era's policy.

Models ``runtime/mgc.go``.  A cycle runs Go's four phases (Dijkstra et al.
1978, "On-the-fly garbage collection: an exercise in cooperation", is the
tricolor algorithm underneath):

1. **Sweep termination** — stop the world; finish sweeping the last cycle's
   spans; reset mark state; compute this cycle's workers; turn the write
   barrier on (``setGCPhase(_GCmark)``), allocate black from now on; queue
   root jobs (globals, each goroutine's stack) and grey the P's active tiny
   blocks.  Start the world.
2. **Mark** — concurrent: dedicated, fractional and idle mark workers and
   the mutators' assists drain root jobs and grey objects, while the write
   barrier shades what the program's stores would hide.  When nobody finds
   work, a ragged barrier flushes every P's write barrier buffer; if that
   found nothing either, marking is done.
3. **Mark termination** — stop the world; turn blackening off; (``go1.5``:
   rescan every stack, the pause the hybrid barrier removed;
   ``--checkmark``: re-trace everything and compare); the marked bytes
   become the live heap; turn the write barrier off (``_GCoff``).
4. **Sweep** — ``sweepgen += 2``; start the world; spans are swept lazily by
   allocation, by the background sweeper and by the proportional sweeper.

A :class:`~gomem.runtime.mbarrier.GCMode` picks the barrier and the root policy
(how stacks are treated: its hooks run at mark start, when the root jobs are
queued and at mark termination); ``stw`` and ``go1.3`` mark with the world
stopped (``stw`` sweeps with it stopped, too).  :class:`Collector` is driven
by the scheduler — its workers get P time like goroutines — or step by step
from outside (:meth:`Collector.start`, :meth:`~gomem.runtime.mgcmark.GCMark.markroot`,
:meth:`~gomem.runtime.mgcmark.GCMark.mark_step`, :meth:`~gomem.runtime.mgcmark.GCMark.drain`,
:meth:`Collector.mark_done`, :meth:`Collector.mark_termination`) for
scenarios and tests.

This module is the cycle (``gcStart``, ``gcMarkDone``,
``gcMarkTermination``, ``setGCPhase``, the background mark worker,
``runtime.GC``); the rest of the collector is in the modules of the Go files
that hold it: :mod:`gomem.runtime.mgcmark` (roots, the drain loop, assists, credit),
:mod:`gomem.runtime.mgcsweep` (gcSweep, sweep pacing, bgsweep),
:mod:`gomem.runtime.mgcpacer` (the controller and its commit, worker scheduling),
:mod:`gomem.runtime.mcheckmark` (checkmark), :mod:`gomem.runtime.mbarrier` (the barrier at
work) and :func:`gomem.runtime.sched.sysmon`.
"""

from __future__ import annotations

from typing import Any, Callable, Iterator

import numpy as np

from . import mbarrier
from .mcheckmark import GCCheckmark, LostObject
from .mgclimit import GCCPULimiter
from .mgcmark import GCMark, GCWork, Marker
from .mgcpacer import MAX_INT64, FRACTIONAL_OVERSHOOT, GCPacing, Pacer
from .mgcscavenge import Scavenger, mapped_ready
from .mgcsweep import GCSweep
from .sched import (FORCEGC_PERIOD, G_WAITING, LEAK_CHAN_REASONS, LEAK_FOREVER_REASONS, LEAK_SYNC_REASONS,
                    LEAK_WAIT_REASONS, WAIT_SELECT_NO_CASES, P, sysmon)
from .trace import GC_BEGIN, GC_END, PHASE, STW_START, STW_STOP, SWEEP_DONE, CycleRecord, gctrace_line

__all__ = [
    "FORCEGC_PERIOD",
    "GC_MARK",
    "GC_MARKTERMINATION",
    "GC_OFF",
    "PHASE_NAMES",
    "Collector",
    "LostObject",
]

# GC phases (Go: _GCoff, _GCmark, _GCmarktermination)
GC_OFF = 0
GC_MARK = 1
GC_MARKTERMINATION = 2
PHASE_NAMES = {GC_OFF: "off", GC_MARK: "mark", GC_MARKTERMINATION: "marktermination"}


class Collector(GCMark, GCSweep, GCPacing, GCCheckmark):
    """The GC of one runtime (Go: ``work`` + ``gcController`` + the phase machine).

    The cycle is here; marking (:class:`~gomem.runtime.mgcmark.GCMark`), sweeping
    (:class:`~gomem.runtime.mgcsweep.GCSweep`), pacing
    (:class:`~gomem.runtime.mgcpacer.GCPacing`) and checkmark
    (:class:`~gomem.runtime.mcheckmark.GCCheckmark`) are mixins, one per Go file.
    *rt* is the :class:`~gomem.runtime.runtime.Runtime` (not imported here: the
    runtime imports the collector).
    """

    def __init__(
        self,
        rt: Any,
        gogc: int = 100,
        checkmark: bool = False,
        gctrace: Callable[[str], None] | None = None,
        memory_limit: int = MAX_INT64,
        gcpacertrace: Callable[[str], None] | None = None,
        scavtrace: Callable[[str], None] | None = None,
    ) -> None:
        self.rt = rt
        self.heap = rt.heap
        self.mode = rt.mode
        self.cost = rt.cost
        self.ps = rt.sched.ps
        self.pacer = Pacer(gogc, len(self.ps), memory_limit)
        self.pacer.mem_source = self._mem_source
        #: GODEBUG=gcpacertrace=1 lines go here (None: off)
        self.gcpacertrace = gcpacertrace
        #: the GC CPU limiter (mgclimit.go) and the scavenger (mgcscavenge.go)
        self.limiter = GCCPULimiter(0, len(self.ps))
        self.limiter.numgc_source = lambda: self.numgc
        self.limiter.idle_source = lambda: sum(q.idle_time for q in self.ps)
        self.scavenger = Scavenger(self.heap, self.limiter, self.mapped_ready, len(self.ps))
        self.scavenger.memory_limit = self.pacer.memory_limit
        self.scavenger.gc_percent_goal = self.scavenger.memory_limit_goal = 0  # Go's zero values until paced
        self.scavenger.trace = scavtrace
        self.heap.mheap.scavenge_hook = self._scavenge_assist
        #: called with the world stopped at the start of every cycle, before sweep termination's work
        #: (Go: ``clearpools``: sync.Pool's primary caches move to the victim caches)
        self.clearpools_hooks: list[Callable[[], None]] = []
        #: goroutines whose assist could not pay, waiting for background credit (work.assistQueue)
        self.assist_queue: list = []
        #: the run loop calls sysmon() once a P's clock reaches this
        self.next_sysmon = 0
        self.num_time_forced = 0
        self._sweep_done_seen = True
        #: per P: assist time not yet flushed to the limiter (p.gcAssistTime)
        self._assist_slack: dict[int, int] = {}
        self.marker = Marker(self.heap)
        for p in self.ps:
            p.gcw = GCWork()
        #: the mode's write barrier at work: per store, bulk, buffer flush (mbarrier.go)
        self.wb = mbarrier.WriteBarrier(self.mode.barrier, self.marker, self.cost, rt.log, rt.wbbuf_entries)
        #: the phase; only set_phase writes it
        self.phase = GC_OFF
        #: workers and assists may blacken objects (concurrent mark only)
        self.blacken_enabled = False
        #: cycles started (Go: work.cycles) and completed (memstats.numgc)
        self.cycles = 0
        self.numgc = 0
        self.num_forced = 0
        self.records: list[CycleRecord] = []
        self.cur: CycleRecord | None = None
        self.root_jobs: list[tuple] = []
        self.checkmark = checkmark
        #: "raise" stops the program on a lost object; "record" only logs it
        self.checkmark_action = "raise"
        self.gctrace = gctrace
        #: background scan credit assists can steal (Go: bgScanCredit)
        self.bg_credit = 0
        #: cumulative GC CPU time, ns (excluding idle marking, as gctrace's %)
        self.gc_cpu = 0
        self.pauses: list[tuple[int, str, int, int]] = []  # (cycle, phase, start, ns)
        self.stack_scan = 0
        self.globals_scan_work = 0
        self.inflight = 0
        self.user_forced = False
        self.waiters: dict[int, list] = {}
        self._sweep_mark = (0, 0)
        self.last_gc_end = 0
        #: driven step by step from outside (scenarios): start() never marks
        #: by itself, even for the stop-the-world modes
        self.stepping = False
        self.last_lost = None
        #: goroutine-leak detection (Go's work.goroutineLeak): asked for the next cycle, on in this one;
        #: the blocked goroutines whose stacks are not roots yet; how many the last detection found leaked
        self.leak_pending = False
        self.leak_enabled = False
        self.leak_held: list = []
        self.leak_count = 0
        self.heap.gc_trigger_hook = self.on_trigger_point
        self.marker.on_shade = self._on_shade
        if rt.clobberfree:
            self.heap.sweeper.on_free = self._on_free

    # -- state ---------------------------------------------------------------------

    @property
    def running(self) -> bool:
        """A cycle is between sweep termination and the end of mark termination."""
        return self.phase != GC_OFF

    def set_phase(self, phase: int) -> None:
        """The only writer of the phase; the barrier flag follows from it (Go: ``setGCPhase``)."""
        self.phase = phase
        on = phase in (GC_MARK, GC_MARKTERMINATION)
        self.rt.wb_enabled = on and self.mode.barrier.active and not self.mode.stw_mark
        self.heap.alloc_black = on and self.mode.alloc_black
        self.rt.log.emit(self.rt.cur_p.now, PHASE, self.rt.cur_p.id, phase=PHASE_NAMES[phase])

    # -- triggering -----------------------------------------------------------------

    def on_trigger_point(self, v: int = 0) -> None:
        """After a span refill or a large allocation: test the heap trigger (Go: gcTrigger.test)."""
        p = self.rt.cur_p
        p.now += self.cost.alloc_refill
        self._charge_sweeping(p)
        tl = self.rt.log.timeline
        if tl is not None and p.now >= tl.next_sample:
            tl.sample_gc(self, p.now)
        if self.phase == GC_OFF and self.heap.stats.heap_live >= self.pacer.trigger():
            self.inflight = v
            self.start(p, forced=False)

    # -- phase 1: sweep termination --------------------------------------------------

    def start(self, p: P, forced: bool = False, time_triggered: bool = False) -> None:
        """Start a cycle from P *p* (Go: ``gcStart``); *forced*: runtime.GC, *time_triggered*: sysmon's."""
        if self.phase != GC_OFF:
            return
        rt = self.rt
        sched = rt.sched
        heap0 = self.heap.stats.heap_live
        # gcStart: "pick up the remaining unswept spans concurrently" — the
        # caller sweeps them before stopping the world (a forced GC can come
        # at any point of the sweep), so finishsweep_m's pause stays short.
        sw = self.heap.sweeper
        while sw.sweepone(who="bg") >= 0:
            pass
        self._charge_sweeping(p)
        t = sched.stop_the_world()
        for clear in self.clearpools_hooks:
            clear()
        self.limiter.start_gc_transition(True, t)
        rt.log.emit(t, GC_BEGIN, p.id, cycle=self.numgc + 1, forced=forced)
        rt.log.emit(t, STW_START, p.id, reason="sweep termination")
        cur = CycleRecord(n=self.numgc + 1, t_sweep_term=t, heap0=heap0, procs=len(self.ps), mode=self.mode.name)
        cur.stwprocs = len(self.ps)
        cur.forced = forced
        self.cur = cur
        self.user_forced = forced
        work = self.cost.stw
        # finishsweep_m
        before = self._sweep_counts()
        sw.finish()
        work += self._sweep_cost(before)
        self._sweep_mark = self._sweep_counts()
        self.cycles += 1
        if self.leak_pending:
            self.leak_enabled, self.leak_pending = True, False
            cur.leak_check = True
        self._reset_mark_state()
        # Go's globalsScan is the data+bss size from program start (addGlobals in
        # modulesinit), not only from the first mark termination: the first
        # cycle's expected scan work, and so its assist ratio, include it
        self.pacer.globals_scan = rt.data.scan_bytes
        self.pacer.start_cycle(t, heap0, len(self.ps), time_triggered=time_triggered)
        for q in self.ps:
            q.dedicated = q.id < self.pacer.dedicated_workers
        self.set_phase(GC_MARK)
        work += self._prepare_mark_roots(p)
        if self.mode.stw_mark and not self.stepping:
            self._stw_mark(p, t, work)
            return
        self.blacken_enabled = True
        self.heap.mheap.on_heap_live = self._revise
        self._revise()
        if self.gcpacertrace is not None:
            self.gcpacertrace(self.pacer.assist_ratio_trace(self.heap.stats.heap_scan, heap0))
        t_end = t + work
        sched.start_the_world(t_end)
        self.limiter.finish_gc_transition(t_end)
        cur.t_mark = t_end
        self._pause("sweep termination", t, work)
        self.gc_cpu += work * len(self.ps)
        rt.log.emit(t_end, STW_STOP, p.id, reason="sweep termination", ns=work)

    def _reset_mark_state(self) -> None:
        """Clear last cycle's mark state: work queues, buffers, per-goroutine scan state (``gcResetMarkState``)."""
        self.heap.bytes_marked = 0
        for q in self.ps:
            q.gcw = GCWork()
            q.frac_time = 0
            q.wbbuf.clear()
        self.marker.full.clear()
        for g in self.rt.sched.allgs:
            g.scandone = False
            g.gc_assist_bytes = 0
        self.bg_credit = 0
        self.stack_scan = 0
        self.globals_scan_work = 0
        self.assist_queue.clear()

    def _prepare_mark_roots(self, p: P) -> int:
        """Queue the root jobs, grey the tiny blocks, run the root policy's mark start; return the ns.

        Go: ``gcPrepareMarkRoots`` (a snapshot of the goroutines whose
        stacks are roots) and ``gcMarkTinyAllocs``, plus the object the
        triggering allocation returns.
        """
        policy = self.mode.stacks
        self.leak_held = self._blocked_goroutines() if self.leak_enabled else []
        self.root_jobs = policy.root_jobs(self.stack_roots())
        self.root_jobs.reverse()  # popped from the end: globals first
        work = 0
        gcw = p.gcw
        tiny = [c.tiny for c in self.heap.mcaches if c.tiny]
        if self.inflight:
            tiny.append(self.inflight)
            self.inflight = 0
        if tiny:
            work += len(tiny) * self.cost.grey
            self.marker.grey(np.array(tiny, dtype=np.uint64), gcw)
        return work + policy.mark_start(self, gcw)

    def _stw_mark(self, p: P, t: int, work: int) -> None:
        """The whole mark with the world stopped, then mark termination (Go with ``gcstoptheworld``).

        User goroutines stay stopped while every P marks; the whole mark is
        part of the pause.  *t*: when the world stopped; *work*: the ns of
        sweep termination so far.
        """
        cur = self.cur
        cur.t_mark = t + work
        self.rt.log.emit(cur.t_mark, PHASE, p.id, phase="mark (world stopped)")
        mark_ns = self.mark_all(p)
        mark_wall = mark_ns // len(self.ps)
        cur.background_time += mark_ns
        self.gc_cpu += work * len(self.ps) + mark_ns
        self._pause("sweep termination", t, work)
        self._pause("mark", cur.t_mark, mark_wall)
        for q in self.ps:
            q.now = cur.t_mark + mark_wall
        self.limiter.finish_gc_transition(cur.t_mark + mark_wall)
        self.limiter.start_gc_transition(False, cur.t_mark + mark_wall)
        self.mark_termination(p)

    def _pause(self, phase: str, start: int, ns: int) -> None:
        """Record a stop-the-world pause of the current cycle (the collector's list and the cycle's record)."""
        self.pauses.append((self.cur.n, phase, start, ns))
        self.cur.pauses.append((phase, start, ns))

    # -- phase 2: mark -----------------------------------------------------------------

    def run_idle_worker(self, p: P, budget: int | None = None) -> None:
        """An idle P marks until a goroutine is ready for it (Go: idle mark worker)."""
        self._worker(p, "idle", budget)

    def _worker(self, p: P, kind: str, budget: int | None = None) -> None:
        cur = self.cur
        t0 = p.now
        quantum = self.cost.worker_quantum
        if kind == "fractional":
            # Go's pollFractionalWorkerExit: stop once selfTime/(now-markStart) > 1.2 x goal
            g12 = FRACTIONAL_OVERSHOOT * self.pacer.fractional_goal
            elapsed = p.now - self.pacer.mark_start
            until = (g12 * elapsed - p.frac_time) / (1 - g12) if g12 < 1 else quantum
            quantum = max(min(int(until), quantum), 1000)
        if budget is not None:
            quantum = max(min(quantum, budget), 1000)
        spent, done = self.drain(p, budget_ns=quantum)
        if spent == 0:
            p.now += 1000  # looked for work and found none
        dt = p.now - t0
        if self.rt.log.timeline is not None:
            self.rt.log.timeline.span(p.id, kind, t0, p.now)
        if kind == "idle":
            cur.idle_time += dt
            self.pacer.idle_time += dt
            p.idle_time += dt
        else:
            cur.background_time += dt
            self.gc_cpu += dt
            if kind == "fractional":
                p.frac_time += dt
        self._flush_bg_credit(p, done)
        if spent == 0 or not self._has_work():
            self.mark_done(p)

    # -- phase 3: mark termination --------------------------------------------------------

    def mark_done(self, p: P) -> bool:
        """Finish marking if no work is left anywhere (Go: ``gcMarkDone``); True if it did."""
        if self.phase != GC_MARK or not self.blacken_enabled:
            return False
        # Go checks only global work here (gcMarkWorkAvailable(nil)): work
        # held in other Ps' local gcWork is what the ragged barrier below
        # hands back, so an idle dedicated worker is not starved by it.
        if self.root_jobs or self.marker.has_work([p.gcw]):
            return False
        # Ragged barrier: flush every P's write barrier buffer, dispose its gcWork to the global list.
        for q in self.ps:
            if q.wbbuf:
                p.now += self.wb.flush(q, charge=False)
            if not q.gcw.empty():
                self.marker.flush_to_global(q.gcw)
        if self.marker.has_work([q.gcw for q in self.ps]):
            return False
        self.mark_termination(p)
        return True

    def mark_termination(self, p: P) -> None:
        """Stop the world, finish marking, switch to sweeping (Go: ``gcMarkTermination``)."""
        rt = self.rt
        cur = self.cur
        t = rt.sched.stop_the_world()
        if self.limiter.gc_enabled and not self.limiter.transitioning:
            self.limiter.start_gc_transition(False, t)
        self._wake_all_assists(p)
        cur.t_mark_term = t
        if not self.mode.stw_mark:
            rt.log.emit(t, STW_START, p.id, reason="mark termination")
        work = self.cost.stw
        self.blacken_enabled = False
        self.heap.mheap.on_heap_live = None
        t_before = p.now
        # the root policy's last word (go1.5: rescan every stack, which had no barrier)
        work += self.mode.stacks.mark_termination(self, p.gcw)
        work += self.mark_all(p)
        if self.leak_enabled:
            work += self._find_goroutine_leaks(p)
        p.now = t_before
        self.set_phase(GC_MARKTERMINATION)
        if self.checkmark:
            work += self._checkmark(p)
        marked = self._account_mark(t)
        self.set_phase(GC_OFF)
        work += self._gc_sweep()
        if rt.memprof is not None:
            rt.memprof.next_cycle()  # before the world starts: no allocation leaks into the wrong cycle
        st = self.heap.stats
        self.scavenger.last_heap_in_use = st.heap_in_use
        self.pacer.commit(sweep_unfinished=not self.heap.sweeper.done, heap_live=st.heap_live)
        self._pace_sweeper()
        self.scavenger.pace(self.pacer.memory_limit, self.pacer.heap_goal(), self.pacer.last_heap_goal)
        self.next_sysmon = 0
        self.numgc += 1
        if self.user_forced:
            self.num_forced += 1
        cur.next_goal = self.pacer.heap_goal()
        self._end_cycle(p, t, work, marked)

    # -- goroutine leak detection (Go 1.26: work.goroutineLeak, findGoroutineLeaks) -------------

    def goroutine_leak_gc(self) -> None:
        """Ask for leak detection in the next cycle (``goroutineLeakGC``; the caller runs cycles until one did)."""
        self.leak_pending = True

    def stack_roots(self) -> list:
        """The goroutines whose stacks are roots now: every live one, but the blocked ones a leak-detecting
        cycle holds back until it finds them maybe runnable (``work.stackRoots[:nMaybeRunnableStackRoots]``)."""
        gs = self.rt.sched.allgs
        if not self.leak_held:
            return gs
        held = set(map(id, self.leak_held))
        return [g for g in gs if id(g) not in held]

    def _blocked_goroutines(self) -> list:
        """``allGsSnapshotSortedForGC``'s blocked part: goroutines waiting on a channel, a select or a sync
        primitive (the leak reasons; any other wait is the runtime's and counts as runnable); the last
        detection's ``leaked`` marks are reset first."""
        out = []
        for g in self.rt.sched.allgs:
            g.leaked = False
            if g.status == G_WAITING and g.wait_reason in LEAK_WAIT_REASONS:
                out.append(g)
        return out

    def _maybe_runnable(self, g, timer_chans: frozenset) -> bool:
        """``isMaybeRunnable``: *g* can still be woken: not waiting any more, or waiting on a channel or sync
        primitive that is marked (reachable from a runnable goroutine or a global) or not in the heap, or on
        one of *timer_chans*, the channels the timer heap reaches (through ``allp`` in Go)."""
        if g.status != G_WAITING:
            return True
        reason = g.wait_reason
        if reason in LEAK_FOREVER_REASONS:
            return False
        if reason in LEAK_CHAN_REASONS:
            return any(c in timer_chans or self._marked_or_not_in_heap(c) for c in g.waiting)
        if reason in LEAK_SYNC_REASONS and g.waiting:
            return self._marked_or_not_in_heap(g.waiting[0])
        return True

    def _marked_or_not_in_heap(self, addr: int) -> bool:
        """``isMarkedOrNotInHeap``: the object holding *addr* is marked, or *addr* is no heap object."""
        found = self.heap.find_object(addr)
        return found is None or found[0].is_marked(found[2])

    def _find_goroutine_leaks(self, p: P) -> int:
        """Mark from the held-back goroutines found maybe runnable until none is left (``findMaybeRunnableGoroutines``
        at each fixed point), then report the rest leaked and mark from them too, so that what they hold stays
        alive (``findGoroutineLeaks``).  Returns the ns.

        Simplification: Go restarts the world for each round and marks it concurrently; the model marks
        the rounds inside mark termination, with the world stopped (the same goroutines found leaked,
        barring a racing wake-up during the rounds; a longer pause).
        """
        work = 0
        timers = self.rt.timers  # the rounds run with the world stopped: the timer heap does not change
        timer_chans = timers.reached_chans() if timers is not None else frozenset()
        while True:
            found = [g for g in self.leak_held if self._maybe_runnable(g, timer_chans)]
            if not found:
                break
            ids = set(map(id, found))
            self.leak_held = [g for g in self.leak_held if id(g) not in ids]
            for g in found:
                work += self.scan_stack(g, p.gcw)
            work += self.mark_all(p)
        leaked = self.leak_held
        self.leak_held = []
        for g in leaked:
            g.leaked = True
            work += self.scan_stack(g, p.gcw)
        work += self.mark_all(p)
        # the main goroutine blocked in select{} is not reported (it counted as leaked for the analysis)
        main = next((g for g in leaked if g.created_by is None), None)
        if main is not None and main.wait_reason == WAIT_SELECT_NO_CASES:
            main.leaked = False
        self.leak_count = sum(1 for g in leaked if g.leaked)
        self.leak_enabled = False
        return work

    def _account_mark(self, t: int) -> int:
        """The mark's results into the cycle record and the pacer; the marked bytes become heapLive; return them."""
        cur = self.cur
        st = self.heap.stats
        cur.heap1 = st.heap_live
        marked = self.heap.bytes_marked + sum(q.gcw.bytes_marked for q in self.ps)
        cur.objects_marked = sum(q.gcw.objects_marked for q in self.ps)
        cur.objects_scanned = sum(q.gcw.objects_scanned for q in self.ps)
        self._set_scan_work()
        self.pacer.end_cycle(t, st.heap_live, len(self.ps))
        if self.gcpacertrace is not None and self.pacer.end_cycle_trace is not None:
            self.gcpacertrace(self.pacer.end_cycle_trace)
        cur.heap_goal = self.pacer.last_heap_goal
        heap_scan = sum(q.gcw.scan_work for q in self.ps)
        st.heap_live = marked
        st.heap_scan = heap_scan
        cur.heap2 = marked
        self.pacer.reset_live(marked, heap_scan, self.stack_scan, self.rt.data.scan_bytes)
        cur.stack_scan = self.stack_scan
        cur.globals_scan = self.rt.data.scan_bytes
        return marked

    def _end_cycle(self, p: P, t: int, work: int, marked: int) -> None:
        """Start the world after mark termination's *work* ns; record, trace, wake ``runtime.GC`` waiters."""
        rt = self.rt
        cur = self.cur
        t_end = t + work
        rt.sched.start_the_world(t_end)
        if rt.memprof is not None:
            rt.memprof.flush()
        self.limiter.finish_gc_transition(t_end)
        cur.t_end = t_end
        self._pause("mark termination", t, work)
        self.gc_cpu += work * len(self.ps)
        self.last_gc_end = t_end
        rt.stacks.free_stack_spans()
        total = t_end * len(self.ps)
        cur.gc_cpu_percent = int(self.gc_cpu * 100 // total) if total > 0 else 0
        self.records.append(cur)
        rt.log.emit(t_end, STW_STOP, p.id, reason="mark termination", ns=work)
        rt.log.emit(t_end, GC_END, p.id, cycle=cur.n, marked=marked)
        if self.gctrace is not None:
            self.gctrace(gctrace_line(cur))
        for g in self.waiters.pop(self.numgc, []):
            if g.status == G_WAITING:
                rt.sched.ready(g, p)
        self.cur = None

    # -- the write barrier and sysmon (their code is in mbarrier.py and sched.py) -------------

    def flush_wbbuf(self, p: P, charge: bool = True) -> int:
        """Shade what a P's write barrier buffer holds (:meth:`WriteBarrier.flush`); return the cost."""
        return self.wb.flush(p, charge)

    def shade_stores(self, p: P, olds: np.ndarray, news: np.ndarray, nstores: int) -> None:
        """The write barrier for *nstores* heap stores at once (:meth:`WriteBarrier.bulk`)."""
        self.wb.bulk(p, olds, news, nstores)

    def sysmon(self, p: P) -> bool:
        """sysmon's GC duties on *p* (:func:`gomem.runtime.sched.sysmon`); True if *p* did something."""
        return sysmon(self, p)

    # -- memory limit and scavenger wiring -------------------------------------------------

    def mapped_ready(self) -> int:
        """``gcController.mappedReady``: MemStats Sys − HeapReleased, GC bitmaps estimated as heapInUse/64."""
        st = self.heap.stats
        gc_sys = -(-(st.heap_in_use // 64) // 65536) * 65536
        return mapped_ready(self.heap, gc_sys)

    def _mem_source(self) -> tuple[int, int, int]:
        """(heapFree, heapAlloc, mappedReady) for the pacer's memory-limit goal."""
        st = self.heap.stats
        return st.heap_free, st.total_alloc - st.total_free, self.mapped_ready()

    def _scavenge_assist(self, growth: int, scav: int) -> None:
        ns = self.scavenger.on_alloc_span(growth, scav)
        if ns:
            p = self.rt.cur_p
            p.now += ns
            if self.rt.log.timeline is not None:
                self.rt.log.timeline.span(p.id, "scavenge", p.now - ns, p.now, p.g)

    # -- runtime.GC ------------------------------------------------------------------------------

    def user_gc(self, g) -> Iterator[None]:
        """``runtime.GC()``: a full cycle, then help sweep until done (Go: ``mgc.go`` GC)."""
        n = self.cycles
        if self.phase != GC_OFF:
            yield from self._wait_for(g, n)
        if self.cycles == n:
            self.start(g.p, forced=True)
        yield from self._wait_for(g, n + 1)
        sw = self.heap.sweeper
        while not sw.done:
            sw.sweepone(who="bg")
        self._charge_sweeping(g.p)
        if self.rt.memprof is not None and (self.cycles == n + 1 or (self.phase == GC_MARK and self.cycles == n + 2)):
            self.rt.memprof.post_sweep()  # the profile is exact up to this GC
        if self.rt.log.detail:
            self.rt.log.emit(g.p.now, SWEEP_DONE, g.p.id, cycle=self.numgc)

    def _wait_for(self, g, n: int) -> Iterator[None]:
        while self.numgc < n:
            g.status = G_WAITING
            g.wait_reason = "GC mark termination"
            self.waiters.setdefault(n, []).append(g)
            yield
