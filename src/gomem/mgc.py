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

A :class:`~gomem.mbarrier.GCMode` picks the barrier and how stacks are
treated; ``stw`` and ``go1.3`` mark with the world stopped (``stw`` sweeps
with it stopped, too).  :class:`Collector` is driven by the scheduler — its
workers get P time like goroutines — or step by step from outside
(:meth:`Collector.start`, :meth:`Collector.mark_step`,
:meth:`Collector.mark_done`) for scenarios.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Iterator

import numpy as np

from . import mbarrier
from .arena import ARENA_BASE_ADDR, PAGE_SIZE
from .errors import GomemError
from .mgcmark import GCWork, Marker
from .mgclimit import GCCPULimiter
from .mgcpacer import FRACTIONAL_OVERSHOOT, GC_ASSIST_TIME_SLACK, MAX_INT64, Pacer, sweep_done_trace
from .mgcscavenge import Scavenger, mapped_ready
from .sched import G_DEAD, G_WAITING, P
from .trace import (
    GC_BEGIN,
    GC_END,
    LOST,
    PHASE,
    ROOT,
    SCAN,
    SHADE,
    STW_START,
    STW_STOP,
    SWEEP_DONE,
    CycleRecord,
    gctrace_line,
)

if TYPE_CHECKING:  # pragma: no cover
    from .runtime import Goroutine, Runtime

# GC phases (Go: _GCoff, _GCmark, _GCmarktermination)
GC_OFF = 0
GC_MARK = 1
GC_MARKTERMINATION = 2
PHASE_NAMES = {GC_OFF: "off", GC_MARK: "mark", GC_MARKTERMINATION: "marktermination"}

_BASE = np.uint64(ARENA_BASE_ADDR)
#: sysmon forces a cycle when none ran for this long, model ns (proc.go forcegcperiod)
FORCEGC_PERIOD = 2 * 60 * 1_000_000_000
#: what a goroutine parked on the assist queue waits for (waitReasonGCAssistWait)
WAIT_ASSIST = "GC assist wait"
#: sysmon preempts a goroutine running this long, model ns (proc.go forcePreemptNS); bounds one assist's drain
FORCE_PREEMPT_NS = 10_000_000


class LostObject(GomemError):
    """Checkmark found a reachable object the concurrent mark did not mark."""

    exit_status = 4

    def __init__(self, message: str, lost: list[dict]) -> None:
        super().__init__(message)
        self.lost = lost


class Collector:
    """The GC of one runtime (Go: ``work`` + ``gcController`` + the phase machine)."""

    def __init__(
        self,
        rt: Runtime,
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
        #: go1.5: rescan every stack at mark termination (off: the unsafe variant)
        self.rescan_stacks = True
        self.last_lost = None
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
        self.rt.wb_enabled = on and not isinstance(self.mode.barrier, mbarrier.NoBarrier) and not self.mode.stw_mark
        self.heap.alloc_black = on and self.mode.alloc_black
        self.rt.log.emit(self.rt.cur_p.now, PHASE, self.rt.cur_p.id, phase=PHASE_NAMES[phase])

    def heap_goal(self) -> int:
        return self.pacer.heap_goal()

    def trigger(self) -> int:
        return self.pacer.trigger()

    def _on_shade(self, objs: np.ndarray, scan: np.ndarray) -> None:
        log = self.rt.log
        if not log.detail:
            return
        p = self.rt.cur_p
        for a, s in zip(objs.tolist(), scan.tolist()):
            log.emit(p.now, SHADE, p.id, addr=a, color="grey" if s else "black")

    def _on_free(self, span, idx: int) -> None:
        addr = span.start_addr + idx * span.elemsize
        self.rt.graveyard[addr] = {
            "addr": addr,
            "cycle": self.cycles,  # the cycle whose mark found it dead (numgc lags during mark termination)
            "type": self.rt.type_name(addr),
            "where": f" (span {span.start_addr:#x}, size class {span.sizeclass})",
        }

    # -- triggering -----------------------------------------------------------------

    def on_trigger_point(self, v: int = 0) -> None:
        """After a span refill or a large allocation: test the heap trigger (Go: gcTrigger.test)."""
        p = self.rt.cur_p
        p.now += self.cost.alloc_refill
        self._charge_sweeping(p)
        if self.phase == GC_OFF and self.heap.stats.heap_live >= self.pacer.trigger():
            self.inflight = v
            self.start(p, forced=False)

    def _sweep_counts(self) -> tuple[int, int]:
        """(spans swept, objects freed) so far, to price sweeping done between two points."""
        sw = self.heap.sweeper
        return sum(sw.swept_by.values()), sw.objects_freed

    def _sweep_cost(self, before: tuple[int, int]) -> int:
        """Model ns of the sweeping done since *before* (a _sweep_counts() result)."""
        spans, freed = self._sweep_counts()
        return (spans - before[0]) * self.cost.sweep_span + (freed - before[1]) * self.cost.sweep_object

    def _charge_sweeping(self, p: P) -> None:
        sw = self.heap.sweeper
        spans, freed = self._sweep_counts()
        ds, df = spans - self._sweep_mark[0], freed - self._sweep_mark[1]
        if ds or df:
            p.now += ds * self.cost.sweep_span + df * self.cost.sweep_object
            self._sweep_mark = (spans, freed)
        if not self._sweep_done_seen and sw.done:
            self._on_sweep_done(p)

    # -- phase 1: sweep termination --------------------------------------------------

    def start(self, p: P, forced: bool = False, time_triggered: bool = False) -> None:
        """Start a cycle from P *p* (Go: ``gcStart``); *forced*: runtime.GC, *time_triggered*: sysmon's."""
        if self.phase != GC_OFF:
            return
        rt = self.rt
        sched = rt.sched
        cost = self.cost
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
        work = cost.stw
        # finishsweep_m
        sw = self.heap.sweeper
        before = self._sweep_counts()
        sw.finish()
        work += self._sweep_cost(before)
        self._sweep_mark = self._sweep_counts()
        self.cycles += 1
        # gcResetMarkState
        self.heap.bytes_marked = 0
        for q in self.ps:
            q.gcw = GCWork()
            q.frac_time = 0
            q.wbbuf.clear()
        self.marker.full.clear()
        for g in sched.allgs:
            g.scandone = False
            g.gc_assist_bytes = 0
        self.bg_credit = 0
        self.stack_scan = 0
        self.globals_scan_work = 0
        # Go's globalsScan is the data+bss size from program start (addGlobals in
        # modulesinit), not only from the first mark termination: the first
        # cycle's expected scan work, and so its assist ratio, include it
        self.pacer.globals_scan = rt.data.scan_bytes
        self.pacer.start_cycle(t, heap0, len(self.ps), time_triggered=time_triggered)
        self.assist_queue.clear()
        for q in self.ps:
            q.dedicated = q.id < self.pacer.dedicated_workers
        self.set_phase(GC_MARK)
        # gcPrepareMarkRoots: snapshot of the goroutines whose stacks are roots.
        self.root_jobs = [("globals",)]
        if self.mode.stacks in (mbarrier.STACKS_CONCURRENT, mbarrier.STACKS_CONCURRENT_RESCAN, mbarrier.STACKS_STW):
            self.root_jobs += [("stack", g) for g in sched.allgs if g.status != G_DEAD]
        self.root_jobs.reverse()  # popped from the end: globals first
        # gcMarkTinyAllocs, and the object the triggering allocation returns.
        gcw = p.gcw
        tiny = [c.tiny for c in self.heap.mcaches if c.tiny]
        if self.inflight:
            tiny.append(self.inflight)
            self.inflight = 0
        if tiny:
            work += len(tiny) * cost.grey
            self.marker.grey(np.array(tiny, dtype=np.uint64), gcw)
        if self.mode.stacks == mbarrier.STACKS_SNAPSHOT:
            for g in sched.allgs:
                if g.status != G_DEAD:
                    work += self._scan_stack(g, gcw)
        if self.mode.stw_mark and not self.stepping:
            # Go with gcstoptheworld: user goroutines stay stopped while
            # every P marks; the whole mark is part of the pause.
            cur.t_mark = t + work
            rt.log.emit(cur.t_mark, PHASE, p.id, phase="mark (world stopped)")
            mark_ns = self._mark_all(p)
            mark_wall = mark_ns // len(self.ps)
            cur.background_time += mark_ns
            self.gc_cpu += work * len(self.ps) + mark_ns
            self.pauses.append((cur.n, "sweep termination", t, work))
            cur.pauses.append(("sweep termination", t, work))
            self.pauses.append((cur.n, "mark", cur.t_mark, mark_wall))
            cur.pauses.append(("mark", cur.t_mark, mark_wall))
            for q in self.ps:
                q.now = cur.t_mark + mark_wall
            self.limiter.finish_gc_transition(cur.t_mark + mark_wall)
            self.limiter.start_gc_transition(False, cur.t_mark + mark_wall)
            self.mark_termination(p)
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
        self.pauses.append((cur.n, "sweep termination", t, work))
        cur.pauses.append(("sweep termination", t, work))
        self.gc_cpu += work * len(self.ps)
        rt.log.emit(t_end, STW_STOP, p.id, reason="sweep termination", ns=work)

    # -- phase 2: mark -----------------------------------------------------------------

    def _revise(self) -> None:
        if self.blacken_enabled:
            st = self.heap.stats
            self._set_scan_work()
            self.pacer.revise(st.heap_live, st.heap_scan, self.stack_scan_max())

    def stack_scan_max(self) -> int:
        return sum(g.stack.size for g in self.rt.sched.allgs if g.status != G_DEAD)

    def _set_scan_work(self) -> None:
        """Hand the cycle's scan work so far to the pacer: heap, stacks, globals and the total."""
        pc = self.pacer
        pc.heap_scan_work = sum(q.gcw.scan_work for q in self.ps)
        pc.stack_scan_work = self.stack_scan
        pc.globals_scan_work = self.globals_scan_work
        pc.scan_work = pc.heap_scan_work + pc.stack_scan_work + pc.globals_scan_work

    def _scan_stack(self, g, gcw: GCWork) -> int:
        """Grey everything a goroutine's stack points to; return the cost in ns."""
        rt = self.rt
        slots = g.stack.pointer_slots()
        if slots:
            idx = (np.array(slots, dtype=np.uint64) - _BASE) >> np.uint64(3)
            vals = rt.heap.aspace.np64[idx.astype(np.int64)]
            vals = vals[vals != 0]
            if vals.size:
                self.marker.grey(vals, gcw)
        used = g.stack.used
        self.stack_scan += used
        g.scandone = True
        if rt.log.detail:
            rt.log.emit(rt.cur_p.now, ROOT, rt.cur_p.id, root=f"stack of goroutine {g.id}", bytes=used)
        return self.cost.root_job + used * self.cost.stack_scan_per_kib // 1024

    def _scan_globals(self, gcw: GCWork) -> int:
        rt = self.rt
        _, vals = rt.data.pointer_values()
        if vals.size:
            self.marker.grey(vals, gcw)
        nbytes = rt.data.scan_bytes
        self.globals_scan_work += nbytes
        if rt.log.detail:
            rt.log.emit(rt.cur_p.now, ROOT, rt.cur_p.id, root="globals", bytes=nbytes)
        # the runtime's own data+bss (rt.data.runtime_bytes) is pointer-free here:
        # markrootBlock skips it through its pointer bitmap, so only the program's part is charged
        return self.cost.root_job + rt.data.size * self.cost.globals_scan_per_kib // 1024

    def _root_job(self, p: P) -> int:
        job = self.root_jobs.pop()
        if job[0] == "globals":
            return self._scan_globals(p.gcw)
        g = job[1]
        if g.status == G_DEAD or g.scandone:
            return 0
        return self._scan_stack(g, p.gcw)

    def mark_work(
        self, p: P, budget_ns: int | None = None, budget_bytes: int | None = None, heap_first: bool = False
    ) -> tuple[int, int]:
        """Drain root jobs and grey objects on *p*; return (ns spent, scan bytes done).

        Stops when a budget is spent or there is no work.  Workers take root
        jobs first (Go: ``gcDrain``); an assist (*heap_first*) scans grey
        objects first and takes a root job only when it finds none, counting
        the root's bytes against its budget (Go: ``gcDrainN``).
        """
        gcw = p.gcw
        cost = self.cost
        marker = self.marker
        spent = 0
        done_bytes = 0
        while (budget_ns is None or spent < budget_ns) and (budget_bytes is None or done_bytes < budget_bytes):
            if self.root_jobs and not heap_first:
                spent += self._root_job(p)
                continue
            b = marker.get_work(gcw)
            if b is None:
                if p.wbbuf:
                    spent += self.flush_wbbuf(p, charge=False)
                    continue
                if self.root_jobs:
                    before = self.stack_scan + self.globals_scan_work
                    spent += self._root_job(p)
                    done_bytes += self.stack_scan + self.globals_scan_work - before
                    continue
                break
            s0, w0, m0, t0 = gcw.objects_scanned, gcw.scan_work, gcw.objects_marked, gcw.pages_touched
            ptrs = marker.scan(b, gcw)
            if self.rt.log.detail:
                for a in b.tolist():
                    self.rt.log.emit(p.now + spent, SCAN, p.id, addr=a)
            if ptrs.size:
                marker.grey(ptrs, gcw)
            marker.balance(gcw)
            dw = gcw.scan_work - w0
            done_bytes += dw
            spent += (
                (gcw.objects_scanned - s0) * cost.scan_object
                + (dw >> 3) * cost.scan_word
                + (gcw.objects_marked - m0) * cost.grey
                + (gcw.pages_touched - t0) * cost.mark_miss
            )
        p.now += spent
        return spent, done_bytes

    def mark_step(self, p: P | None = None, objects: int | None = None) -> int:
        """Scan up to *objects* grey objects on *p* (for step-by-step driving); return how many."""
        p = p or self.rt.cur_p
        gcw = p.gcw
        n = 0
        while objects is None or n < objects:
            if self.root_jobs:
                p.now += self._root_job(p)
                continue
            b = self.marker.get_work(gcw)
            if b is None:
                break
            if objects is not None and b.size > objects - n:
                rest, b = b[: b.size - (objects - n)], b[b.size - (objects - n) :]
                gcw.bufs.append(rest)
            ptrs = self.marker.scan(b, gcw)
            if self.rt.log.detail:
                for a in b.tolist():
                    self.rt.log.emit(p.now, SCAN, p.id, addr=a)
            if ptrs.size:
                self.marker.grey(ptrs, gcw)
            n += int(b.size)
        return n

    def flush_wbbuf(self, p: P, charge: bool = True) -> int:
        """Shade what a P's write barrier buffer holds (Go: ``wbBufFlush``); return the cost."""
        if not p.wbbuf:
            return 0
        ptrs = np.array(p.wbbuf, dtype=np.uint64)
        p.wbbuf.clear()
        gcw = p.gcw
        m0 = gcw.objects_marked
        self.marker.grey(ptrs, gcw)
        c = self.cost.wbbuf_flush + (gcw.objects_marked - m0) * self.cost.grey
        if charge:
            p.now += c
        return c

    def shade_stores(self, p: P, olds: np.ndarray, news: np.ndarray, nstores: int) -> None:
        """The write barrier for *nstores* heap stores at once (old and new values as arrays).

        Same effect as each store appending its values to the P's write
        barrier buffer and the buffer being flushed.
        """
        b = self.mode.barrier
        parts = []
        if b.shades_old and olds.size:
            parts.append(olds[olds != 0])
        if b.shades_new and news.size:
            parts.append(news[news != 0])
        p.now += nstores * self.cost.barrier
        if not parts:
            return
        vals = np.concatenate(parts) if len(parts) > 1 else parts[0]
        if p.wbbuf:
            vals = np.concatenate([np.array(p.wbbuf, dtype=np.uint64), vals])
            p.wbbuf.clear()
        gcw = p.gcw
        m0 = gcw.objects_marked
        self.marker.grey(vals, gcw)
        p.now += (1 + vals.size // 512) * self.cost.wbbuf_flush + (gcw.objects_marked - m0) * self.cost.grey

    def run_worker_if_due(self, p: P) -> bool:
        """Run a dedicated or fractional mark worker quantum on *p* if one is due (Go: findRunnableGCWorker)."""
        lim = self.limiter
        if lim.need_update(p.now) and not self.rt.keeps_running(p):
            lim.update(p.now)  # findRunnableGCWorker: at most every 10 ms, when the P schedules
        if p.dedicated:
            self._worker(p, "dedicated")
            return True
        goal = self.pacer.fractional_goal
        if goal > 0 and not self.rt.keeps_running(p):
            elapsed = p.now - self.pacer.mark_start
            if elapsed <= 0 or p.frac_time / elapsed < goal:
                self._worker(p, "fractional")
                return True
        return False

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
        spent, done = self.mark_work(p, budget_ns=quantum)
        if spent == 0:
            p.now += 1000  # looked for work and found none
        dt = p.now - t0
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

    def _has_work(self) -> bool:
        return bool(self.root_jobs) or self.marker.has_work([q.gcw for q in self.ps]) or any(q.wbbuf for q in self.ps)

    def charge_alloc(self, g: Goroutine, p: P, size: int) -> None:
        """Allocation during mark: run up debt, assist when it is negative (Go: ``deductAssistCredit``)."""
        g.gc_assist_bytes -= size
        if g.gc_assist_bytes < 0:
            self.assist(g, p)

    def assist(self, g: Goroutine, p: P) -> None:
        """Pay allocation debt with scan work (Go: ``gcAssistAlloc``).

        Skipped while the CPU limiter is limiting (the debt stays).  One
        assist drains for at most 10 ms of model time, when sysmon would
        preempt it; the rest of the debt is retried at the next allocation
        (Go: Gosched and retry, which re-checks the limiter).  An
        assist that runs out of work before paying parks the goroutine on
        the assist queue (``gcParkAssist``) — in the model it stops at its
        next safe point (``yield``), not inside the allocation — until
        background credit pays it (:meth:`_flush_bg_credit`) or marking ends.
        """
        pacer = self.pacer
        lim = self.limiter
        if lim.limiting():
            return
        debt = -g.gc_assist_bytes
        scan_work = int(pacer.assist_work_per_byte * debt)
        if scan_work < self.cost.assist_min_work:
            scan_work = self.cost.assist_min_work
            debt = int(pacer.assist_bytes_per_work * scan_work)
        # Steal background credit first.
        if self.bg_credit > 0:
            stolen = min(self.bg_credit, scan_work)
            self.bg_credit -= stolen
            g.gc_assist_bytes += int(pacer.assist_bytes_per_work * stolen)
            if g.gc_assist_bytes >= 0:
                return
            scan_work -= stolen
        t0 = p.now
        spent, done = self.mark_work(p, budget_ns=FORCE_PREEMPT_NS, budget_bytes=scan_work, heap_first=True)
        dt = p.now - t0
        self.cur.assist_time += dt
        pacer.assist_time += dt
        self.gc_cpu += dt
        lim.add_assist_time(dt)
        slack = self._assist_slack.get(p.id, 0) + dt
        if slack > GC_ASSIST_TIME_SLACK:
            lim.update(p.now)  # gcAssistAlloc1: flush the P's assist time past 5 us, update the limiter
            slack = 0
        self._assist_slack[p.id] = slack
        g.gc_assist_bytes += 1 + int(pacer.assist_bytes_per_work * done)
        if not self._has_work():
            self.mark_done(p)
        elif g.gc_assist_bytes < 0 and done < scan_work and spent < FORCE_PREEMPT_NS:
            self._park_assist(g)  # out of work, not preempted: wait for background credit

    def _park_assist(self, g: Goroutine) -> None:
        """Queue a goroutine whose assist could not pay (Go: ``gcParkAssist``)."""
        if g.status == G_WAITING and g.wait_reason == WAIT_ASSIST:
            return  # already queued
        self.assist_queue.append(g)
        g.status = G_WAITING
        g.wait_reason = WAIT_ASSIST

    def _flush_bg_credit(self, p: P, scan_work: int) -> None:
        """Pay queued assists FIFO with background scan work, bank the rest (Go: ``gcFlushBgCredit``)."""
        q = self.assist_queue
        if not q:
            self.bg_credit += scan_work
            return
        pacer = self.pacer
        scan_bytes = int(scan_work * pacer.assist_bytes_per_work)
        n = len(q)
        while q and scan_bytes > 0 and n > 0:
            n -= 1
            g = q.pop(0)
            if g.status != G_WAITING or g.wait_reason != WAIT_ASSIST:
                continue  # exited, or waiting for something else now
            if scan_bytes + g.gc_assist_bytes >= 0:
                scan_bytes += g.gc_assist_bytes
                g.gc_assist_bytes = 0
                self._wake_assist(g, p.now)
            else:
                g.gc_assist_bytes += scan_bytes
                scan_bytes = 0
                q.append(g)  # partially paid: to the back
        if scan_bytes > 0:
            self.bg_credit += int(scan_bytes * pacer.assist_work_per_byte)

    def _wake_assist(self, g: Goroutine, now: int) -> None:
        g.wait_reason = ""
        g.ready_at = max(g.ready_at, now)
        self.rt.sched.ready(g)

    def _wake_all_assists(self, now: int) -> None:
        """Mark is over: release every queued assist (Go: ``gcWakeAllAssists``)."""
        q, self.assist_queue = self.assist_queue, []
        for g in q:
            if g.status == G_WAITING and g.wait_reason == WAIT_ASSIST:
                self._wake_assist(g, now)

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
                p.now += self.flush_wbbuf(q, charge=False)
            if not q.gcw.empty():
                self.marker.flush_to_global(q.gcw)
        if self.marker.has_work([q.gcw for q in self.ps]):
            return False
        self.mark_termination(p)
        return True

    def _mark_all(self, p: P) -> int:
        """Every root job and every grey object, now; return the ns of work."""
        total = 0
        while True:
            spent, _ = self.mark_work(p)
            total += spent
            moved = 0
            for q in self.ps:
                if q.wbbuf:
                    total += self.flush_wbbuf(q, charge=False)
                    moved += 1
                if q is not p and not q.gcw.empty():
                    self.marker.flush_to_global(q.gcw)
                    moved += 1
            if not moved and not self._has_work():
                return total

    def mark_termination(self, p: P) -> None:
        """Stop the world, finish marking, switch to sweeping (Go: ``gcMarkTermination``)."""
        rt = self.rt
        sched = rt.sched
        cost = self.cost
        cur = self.cur
        stw_mode = self.mode.stw_mark
        t = sched.stop_the_world()
        if self.limiter.gc_enabled and not self.limiter.transitioning:
            self.limiter.start_gc_transition(False, t)
        self._wake_all_assists(t)
        if not stw_mode:
            cur.t_mark_term = t
            rt.log.emit(t, STW_START, p.id, reason="mark termination")
        else:
            cur.t_mark_term = t
        work = cost.stw
        self.blacken_enabled = False
        self.heap.mheap.on_heap_live = None
        t_before = p.now
        if self.mode.stacks == mbarrier.STACKS_CONCURRENT_RESCAN and self.rescan_stacks:
            # Go 1.5: stacks had no barrier; rescan them all with the world stopped.
            for g in sched.allgs:
                if g.status != G_DEAD:
                    g.scandone = False
                    work += self._scan_stack(g, p.gcw)
        work += self._mark_all(p)
        p.now = t_before
        self.set_phase(GC_MARKTERMINATION)
        if self.checkmark:
            work += self._checkmark(p)
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
        self.pacer.reset_live(marked, heap_scan, self.stack_scan, rt.data.scan_bytes)
        cur.stack_scan = self.stack_scan
        cur.globals_scan = rt.data.scan_bytes
        self.set_phase(GC_OFF)
        # gcSweep
        sw = self.heap.sweeper
        sw.start_cycle()
        for c in self.heap.mcaches:
            c.prepare_for_sweep()
        if self.mode.stw_sweep:
            before = self._sweep_counts()
            sw.finish()
            work += self._sweep_cost(before)
        self._sweep_mark = self._sweep_counts()
        self._sweep_done_seen = False
        self.scavenger.last_heap_in_use = st.heap_in_use
        self.pacer.commit(sweep_unfinished=not sw.done, heap_live=st.heap_live)
        self._pace_sweeper()
        self.scavenger.pace(self.pacer.memory_limit, self.pacer.heap_goal(), self.pacer.last_heap_goal)
        self.next_sysmon = 0
        self.numgc += 1
        if self.user_forced:
            self.num_forced += 1
        cur.next_goal = self.pacer.heap_goal()
        t_end = t + work
        sched.start_the_world(t_end)
        self.limiter.finish_gc_transition(t_end)
        cur.t_end = t_end
        self.pauses.append((cur.n, "mark termination", t, work))
        cur.pauses.append(("mark termination", t, work))
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
                sched.ready(g)
        self.cur = None

    # -- memory limit, scavenger, sysmon ----------------------------------------------------

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
            self.rt.cur_p.now += ns

    def _on_sweep_done(self, p: P) -> None:
        """The last span of the cycle was swept: scavtrace, gcpacertrace, wake the scavenger."""
        self._sweep_done_seen = True
        self.scavenger.on_sweep_done(p.now)
        if self.gcpacertrace is not None:
            sw = self.heap.sweeper
            mh = self.heap.mheap
            self.gcpacertrace(sweep_done_trace(self.heap.stats.heap_live, sw.heap_live_basis, mh.pages_swept, sw.pages_per_byte))
        self.next_sysmon = 0

    def controller_commit(self) -> None:
        """Re-derive goal, trigger, sweep and scavenger pacing after a setting changed (Go: ``gcControllerCommit``)."""
        sw = self.heap.sweeper
        self.pacer.commit(sweep_unfinished=not sw.done, heap_live=self.heap.stats.heap_live)
        self._revise()
        self._pace_sweeper()
        self.scavenger.pace(self.pacer.memory_limit, self.pacer.heap_goal(), self.pacer.last_heap_goal)
        self.next_sysmon = 0

    def set_gc_percent(self, percent: int) -> int:
        """``debug.SetGCPercent``: store GOGC, commit; return the old value (the caller waits on mark if < 0)."""
        old = self.pacer.set_gc_percent(percent)
        self.controller_commit()
        return old

    def set_memory_limit(self, limit: int) -> int:
        """``debug.SetMemoryLimit``: store a non-negative limit, commit if it changed; return the old one."""
        old = self.pacer.set_memory_limit(limit)
        if limit < 0 or old == limit:
            return old
        self.controller_commit()
        return old

    def sysmon(self, p: P) -> bool:
        """sysmon's GC duties on *p*: the periodic forced GC, waking the scavenger; True if *p* did something.

        A cycle is forced (``gcTriggerTime``) when GOGC is on, a cycle has
        completed, and none ended in the last 2 minutes of model time; with
        gctrace, ``GC forced`` is printed first (``forcegchelper``).  The
        background scavenger runs here when its timer is due.
        """
        now = p.now
        pc = self.pacer
        if self.phase == GC_OFF and pc.gc_percent >= 0 and self.numgc > 0 and now - self.last_gc_end > FORCEGC_PERIOD:
            if self.gctrace is not None:
                self.gctrace("GC forced")
            self.num_time_forced += 1
            self.start(p, forced=False, time_triggered=True)
            return True
        sc = self.scavenger
        if sc.due(now):
            sc.run_bg(p)
            return True
        nxt = 1 << 62
        if self.phase == GC_OFF and pc.gc_percent >= 0 and self.numgc > 0:
            nxt = self.last_gc_end + FORCEGC_PERIOD + 1
        if not sc.parked:
            nxt = min(nxt, sc.next_at)
        self.next_sysmon = nxt
        return False

    def _pace_sweeper(self) -> None:
        """Proportional sweep: sweep all pages before the heap reaches the trigger (Go: ``gcPaceSweeper``)."""
        sw = self.heap.sweeper
        mh = self.heap.mheap
        if sw.done:
            sw.pages_per_byte = 0.0
            return
        basis = self.heap.stats.heap_live
        distance = max(self.pacer.trigger() - basis - (1 << 20), PAGE_SIZE)
        pages = mh.pages_in_use - mh.pages_swept
        if pages <= 0:
            sw.pages_per_byte = 0.0
            return
        sw.pages_per_byte = pages / distance
        sw.heap_live_basis = basis
        sw.pages_swept_basis = mh.pages_swept

    # -- checkmark --------------------------------------------------------------------------

    def roots(self) -> list[tuple[str, np.ndarray]]:
        """Every root's pointer values, named (for checkmark and pictures)."""
        rt = self.rt
        out = []
        _, gv = rt.data.pointer_values()
        for slot, val in zip(*rt.data.pointer_values()):
            out.append((f"global {rt.data.name_of(int(slot))}", np.array([val], dtype=np.uint64)))
        for g in rt.sched.allgs:
            if g.status == G_DEAD:
                continue
            for f in g.stack.frames:
                for off in f.type.pointer_offsets():
                    v = rt.words[(f.base + off - ARENA_BASE_ADDR) >> 3]
                    if v:
                        fld = _field_name(f.type, off)
                        out.append((f"goroutine {g.id} frame {f.name}.{fld}", np.array([v], dtype=np.uint64)))
        for c in self.heap.mcaches:
            if c.tiny:
                out.append((f"tiny block of P{c.p_id}", np.array([c.tiny], dtype=np.uint64)))
        return out

    def _checkmark(self, p: P) -> int:
        """Re-trace from the roots with the world stopped; report anything unmarked (``gccheckmark``)."""
        roots = self.roots()
        parents, names = self.marker.checkmark(roots)
        marks = self.marker.bits.marks
        objs = np.array(list(parents), dtype=np.uint64) if parents else np.zeros(0, dtype=np.uint64)
        lost = []
        if objs.size:
            _, sid, oi, pos = self.marker.locate(objs)
            unmarked = marks[pos] == 0
            for a in objs[unmarked].tolist():
                lost.append(a)
        cost = len(parents) * (self.cost.scan_object + self.cost.grey)
        if not lost:
            return cost
        info = []
        for a in sorted(lost):
            path = [a]
            cur = parents.get(a, 0)
            root = "?"
            while True:
                if cur < 4096:
                    root = names[cur - 1] if cur else "?"
                    break
                path.append(cur)
                cur = parents.get(cur, 0)
            path.reverse()
            info.append({"addr": a, "type": self.rt.type_name(a), "root": root, "path": path})
        self.cur.lost = len(info)
        first = info[0]
        hops = [f"{x:#x}" for x in first["path"]]
        if len(hops) > 8:  # keep the message one readable line
            hops = hops[:3] + [f"... ({len(hops) - 6} more) ..."] + hops[-3:]
        chain = " -> ".join([first["root"]] + hops)
        msg = (
            f"checkmark: GC cycle {self.numgc + 1} ({self.mode.name}) left reachable object "
            f"{first['addr']:#x} ({first['type']}) unmarked; path: {chain}"
            + (f" (and {len(info) - 1} more)" if len(info) > 1 else "")
        )
        self.rt.log.emit(p.now, LOST, p.id, addr=first["addr"], path=chain, count=len(info))
        if self.checkmark_action == "raise":
            raise LostObject(msg, info)
        self.last_lost = info
        return cost

    # -- sweep -------------------------------------------------------------------------------

    def bg_sweep(self, p: P) -> bool:
        """The background sweeper's turn on an idle P (Go: ``bgsweep``); False if nothing to do."""
        sw = self.heap.sweeper
        if sw.done:
            return False
        n = 0
        while n < 10 and sw.sweepone() >= 0:
            n += 1
        before = self._sweep_mark
        self._charge_sweeping(p)
        if before == self._sweep_mark:
            p.now += self.cost.sweep_span
        if sw.done:
            self.rt.log.emit(p.now, SWEEP_DONE, p.id, cycle=self.numgc)
        return True

    # -- runtime.GC ------------------------------------------------------------------------------

    def user_gc(self, g: Goroutine) -> Iterator[None]:
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
        if self.rt.log.detail:
            self.rt.log.emit(g.p.now, SWEEP_DONE, g.p.id, cycle=self.numgc)

    def _wait_for(self, g: Goroutine, n: int) -> Iterator[None]:
        while self.numgc < n:
            g.status = G_WAITING
            g.wait_reason = "GC mark termination"
            self.waiters.setdefault(n, []).append(g)
            yield


def _field_name(typ, off: int) -> str:
    for f in getattr(typ, "fields", ()) or ():
        if f.offset <= off < f.offset + max(f.type.size, 1):
            sub = off - f.offset
            return f.name if sub == 0 else f"{f.name}+{sub}"
    return str(off)
