"""The scheduler: Ps, goroutines and a virtual clock.

Models the parts of ``runtime/proc.go`` the collector interacts with: P's
that run goroutines, ``stopTheWorld``/``startTheWorld``, and the places a
goroutine can be stopped (safe points).

The simulation is a **discrete-event** one.  Each P has its own clock in
model nanoseconds; whatever a P does — run a goroutine's step, a mark
worker's quantum, a sweep — advances its clock by the cost model's price
(:class:`CostModel`).  The scheduler always runs the P whose clock is
earliest (ties by P id), so P's progress in parallel in model time while the
simulation itself is sequential and **deterministic**: the same program and
seed give the same run, byte for byte.

A goroutine is a Python generator function taking its :class:`G`; every
``yield`` is a safe point where the scheduler may switch.  Which runnable
goroutine a P takes comes from a policy:

* ``rr`` — Go's own order: ``runnext``, the P's local run queue, the global queue, stealing
  (the default; :class:`Scheduler` says how);
* ``random`` — a seeded random choice, for exploring interleavings;
* ``external`` — a caller-supplied function decides (scenarios and model
  checkers drive the interleaving step by step).

Stop-the-world: every goroutine not running is already at a safe point; the
world is stopped at the latest of the P clocks (the P's that got there first
wait: that wait is the stopping latency) and all clocks restart together.

:func:`sysmon` is the system monitor's GC duties (the periodic forced GC,
the background scavenger's timer); the run loop calls it, through
``Collector.sysmon``, when a P's clock reaches ``Collector.next_sysmon``.
"""

from __future__ import annotations

import math
import random
from collections import deque
from dataclasses import dataclass, fields
from typing import TYPE_CHECKING, Any, Callable, Iterator

from ..errors import BadInput

if TYPE_CHECKING:  # pragma: no cover
    from .stack import Stack

# goroutine states (Go: _Grunnable, _Grunning, _Gwaiting, _Gdead)
G_RUNNABLE = "runnable"
G_RUNNING = "running"
G_WAITING = "waiting"
G_DEAD = "dead"


MARK_MISS = 100

#: sysmon forces a cycle when none ran for this long, model ns (proc.go forcegcperiod)
FORCEGC_PERIOD = 2 * 60 * 1_000_000_000
#: sysmon preempts a goroutine running this long, model ns (proc.go forcePreemptNS); bounds one assist's drain
FORCE_PREEMPT_NS = 10_000_000
#: a P's local run queue holds this many goroutines (proc.go: ``p.runq [256]guintptr``)
LOCAL_RUNQ_MAX = 256
#: stealWork's passes over the other P's (proc.go ``stealTries``)
STEAL_TRIES = 4
#: a thief waits this long before taking a running P's ``runnext`` (proc.go runqgrab: ``usleep(3)``)
STEAL_RUNNEXT_DELAY_NS = 3_000


# wait reasons, in Go's words (runtime2.go waitReasonStrings)
WAIT_CHAN_RECEIVE = "chan receive"
WAIT_CHAN_SEND = "chan send"
WAIT_CHAN_RECEIVE_NIL = "chan receive (nil chan)"
WAIT_CHAN_SEND_NIL = "chan send (nil chan)"
WAIT_SELECT = "select"
WAIT_SELECT_NO_CASES = "select (no cases)"
WAIT_SLEEP = "sleep"
WAIT_SYNC_MUTEX_LOCK = "sync.Mutex.Lock"
WAIT_SYNC_RWMUTEX_RLOCK = "sync.RWMutex.RLock"
WAIT_SYNC_RWMUTEX_LOCK = "sync.RWMutex.Lock"
WAIT_SYNC_WAITGROUP_WAIT = "sync.WaitGroup.Wait"
WAIT_SYNC_COND_WAIT = "sync.Cond.Wait"
#: the wait reasons goroutine-leak detection looks at (runtime2.go: waitReasonChanReceiveNilChan through
#: waitReasonSyncWaitGroupWait; any other is ``internalBlocked``, the runtime's, and counts as runnable):
#: waits no one can end, channel waits (``isChanWait``) and sync waits (``isSyncWait``)
LEAK_FOREVER_REASONS = frozenset((WAIT_CHAN_RECEIVE_NIL, WAIT_CHAN_SEND_NIL, WAIT_SELECT_NO_CASES))
LEAK_CHAN_REASONS = frozenset((WAIT_CHAN_RECEIVE, WAIT_CHAN_SEND, WAIT_SELECT))
LEAK_SYNC_REASONS = frozenset((WAIT_SYNC_COND_WAIT, WAIT_SYNC_MUTEX_LOCK, WAIT_SYNC_RWMUTEX_RLOCK,
                               WAIT_SYNC_RWMUTEX_LOCK, WAIT_SYNC_WAITGROUP_WAIT))
LEAK_WAIT_REASONS = LEAK_FOREVER_REASONS | LEAK_CHAN_REASONS | LEAK_SYNC_REASONS


@dataclass
class CostModel:
    """Model time in nanoseconds of each operation.

    Defaults are calibrated on ``../shared/reference/real-go-measurements.md``:
    a small allocation costs 12–16 ns with the GC on; the real mark phase
    scans 83–100 M objects (1.5–1.8 GB) per mark-CPU-second, i.e. ~10–12 ns
    per 16-byte object; a stop-the-world costs a few microseconds.  Every
    field is charged somewhere in the model and can be overridden
    (``--cost NAME=NS`` on the command line, :meth:`override`); any other
    name is rejected.  Large objects and zeroing have no price of their own:
    every allocation costs ``alloc`` whatever its size, and one that takes a
    new span (an mcache refill, or any large object) adds ``alloc_refill``.
    """

    alloc: int = 12  #: any allocation (tiny, small or large)
    alloc_refill: int = 300  #: a new span: mcache refill from mcentral, or a large object's own span
    ptr_store: int = 1  #: a pointer store
    ptr_load: int = 1  #: a pointer load
    scalar: int = 1  #: a scalar load/store or a unit of the program's own work
    #: one random number drawn by the program (math/rand/v2's PCG ``IntN``/``Float64``)
    rand: int = 3
    #: the program touching a random object far from anything it touched
    #: lately (a last-level cache miss).  Calibrated on churn: real Go 1.27
    #: takes ~100 ns per replacement on 65,536 live objects and ~230 ns on
    #: 1,048,576 (real-go-measurements.md, churn GOGC=off: 2.52 s for 10 M;
    #: ~100 ns measured with go1.27.3 on the 65,536-object default), where the
    #: model's loads, stores, allocation and draws add up to ~50
    cache_miss: int = 50
    barrier: int = 4  #: a pointer store with the write barrier on (buffered)
    wbbuf_flush: int = 200  #: flushing a write barrier buffer (plus grey costs)
    frame: int = 2  #: pushing or popping a frame
    grey: int = 4  #: marking one object (greyobject)
    #: marking reaches a page it was not just working on: a cache miss.
    #: Counted per distinct page among a batch's newly marked objects, so a
    #: scattered graph (churn: real Go marks it at ~0.6 ns/byte) costs more
    #: than one allocated in order (binary-trees: ~0.55 ns/byte)
    mark_miss: int = MARK_MISS
    scan_object: int = 6  #: scanning one object (scanobject), plus per word:
    scan_word: int = 1
    root_job: int = 400  #: a root job's fixed cost
    stack_scan_per_kib: int = 120
    globals_scan_per_kib: int = 60
    sweep_span: int = 150  #: sweeping one span, plus per object freed:
    sweep_object: int = 2
    stw: int = 3000  #: stopping and starting the world
    goroutine: int = 300  #: creating a goroutine
    # Synchronisation, uncontended, as benchmarks/go/syncops.go measures the real runtime (go1.27.3 on
    # this 2-core VM, GOMAXPROCS=1, the fastest of 3 rounds of 10 M operations, ns per operation, the
    # loop's own ~1 ns in it; ``python benchmarks/syncops.py`` prints real Go's beside these).  A blocking
    # operation adds its park and switch.
    lock: int = 5  #: a Mutex Lock or Unlock, an RWMutex RLock or RUnlock (each pair: 10.5-10.7 ns)
    cond_signal: int = 4  #: a Cond's Signal or Broadcast (3.6-3.9 ns with no waiter)
    chan_op: int = 19  #: a channel send or receive (a buffered send, then a receive: 37.0-39.2 ns)
    chan_poll: int = 6  #: a select of one case and a default (on an empty channel: 6.3 ns)
    #: a select of several cases, besides the operation it completes (a two-case select that sends,
    #: then a receive: 94-95 ns, less that receive's chan_op)
    selectgo: int = 76
    switch: int = 40  #: a goroutine switch
    worker_quantum: int = 50_000  #: a mark worker's slice before it checks back with the scheduler
    assist_min_work: int = 64 << 10  #: minimum assist, bytes of scan work (gcOverAssistWork)

    @classmethod
    def names(cls) -> list[str]:
        return [f.name for f in fields(cls)]

    def override(self, assignments: list[str]) -> CostModel:
        """A copy with NAME=VALUE assignments applied."""
        new = CostModel(**self.__dict__)
        for a in assignments:
            name, sep, val = a.partition("=")
            name = name.strip()
            if name not in self.__dict__:
                raise BadInput(f"unknown cost {name!r} (costs: {', '.join(self.names())})")
            if not sep:
                raise BadInput(f"cost {name}: want {name}=NS, a price in model ns")
            try:
                v = int(val)
            except ValueError:
                raise BadInput(f"cost {name}: {val!r} is not an integer number of ns") from None
            if v < 0:
                raise BadInput(f"cost {name}: must not be negative")
            setattr(new, name, v)
        return new


class P:
    """A processor: what a goroutine needs to run Go code (Go: ``p``)."""

    __slots__ = (
        "id",
        "now",
        "mcache",
        "gcw",
        "wbbuf",
        "g",
        "mutator_time",
        "frac_time",
        "dedicated",
        "idle_time",
        "sweep_time",
        "runnext",
        "runq",
        "schedtick",
    )

    def __init__(self, pid: int) -> None:
        self.id = pid
        #: this P's clock, model ns since the program started
        self.now = 0
        self.mcache = None
        #: this P's grey objects (a gomem.runtime.mgcmark.GCWork, set by the collector)
        self.gcw: Any = None
        #: write barrier buffer: pointers waiting to be shaded (Go: p.wbBuf)
        self.wbbuf: list[int] = []
        #: the goroutine running, if any
        self.g: G | None = None
        self.mutator_time = 0
        #: time this P spent in the fractional mark worker this cycle
        self.frac_time = 0
        #: this P runs a dedicated mark worker this cycle
        self.dedicated = False
        self.idle_time = 0
        self.sweep_time = 0
        #: the goroutine this P runs next (Go: ``p.runnext``: a goroutine just made or readied here)
        self.runnext: G | None = None
        #: its local run queue (Go: ``p.runq``, at most LOCAL_RUNQ_MAX)
        self.runq: deque[G] = deque()
        #: goroutines it has scheduled, not counting runnext hand-offs (Go: ``p.schedtick``)
        self.schedtick = 0

    def __repr__(self) -> str:
        return f"<P{self.id} t={self.now}>"


class G:
    """A goroutine: a generator, a real stack, and GC bookkeeping (Go: ``g``).

    Workload code calls the mutator API on its G (``g.new``, ``g.store``,
    ``g.frame`` …; see :mod:`gomem.runtime.runtime`) and ``yield``\\ s at safe points.
    """

    __slots__ = (
        "id",
        "name",
        "rt",
        "gen",
        "stack",
        "status",
        "p",
        "gc_assist_bytes",
        "scandone",
        "wait_reason",
        "result",
        "ready_at",
        "created_by",
        "start_fn",
        "desc",
        "timer",
        "waiting",
        "wait_since",
        "leaked",
        "go_pc",
        "__weakref__",
    )

    def __init__(self, gid: int, name: str, rt, stack: Stack) -> None:
        self.id = gid
        self.name = name
        self.rt = rt
        self.gen: Iterator | None = None
        self.stack = stack
        self.status = G_RUNNABLE
        self.p: P | None = None
        #: allocation credit (positive) or debt (negative) with the GC, in bytes
        self.gc_assist_bytes = 0
        #: this goroutine's stack has been scanned in the current cycle
        self.scandone = False
        self.wait_reason = ""
        self.result = None
        #: model time at which this goroutine's last step ended; no P may run
        #: it earlier (a goroutine runs on one P at a time)
        self.ready_at = 0
        #: (the function whose go statement made it, that goroutine's id); None for the main goroutine
        self.created_by: tuple[str, int] | None = None
        #: the Go function it started with (tracebacks' ``created by``)
        self.start_fn = "main"
        #: the address of its g descriptor on the heap (0: not a model object)
        self.desc = 0
        #: its own timer (time.Sleep's: gp.timer), the timer object's address; 0 until its first Sleep
        self.timer = 0
        #: while it waits: the channels (a channel operation, a select) or the sync primitive (a semaphore's
        #: address) it is blocked on; what Go reaches through ``gp.waiting``'s sudogs (``c``, ``elem``)
        self.waiting: tuple[int, ...] = ()
        #: model time a GC first saw it waiting (Go's ``waitsince``, set by markroot: tracebacks' minutes)
        self.wait_since = 0
        #: found leaked by the last goroutine-leak GC (Go's ``_Gleaked`` status)
        self.leaked = False
        #: the return address of its go statement in the creator (Go's ``gopc``; 0: unknown)
        self.go_pc = 0

    def __repr__(self) -> str:
        return f"<G{self.id} {self.name} {self.status}>"


class Scheduler:
    """Runs goroutines on P's in model time, from Go's run queues (``runtime/proc.go``).

    Each P has a ``runnext`` slot and a local run queue of at most 256 goroutines
    (:data:`LOCAL_RUNQ_MAX`); the scheduler has a global run queue.  Where a goroutine goes:

    * made (``newproc``) or readied by a goroutine (``ready``): the readying P's ``runnext``,
      the goroutine it displaces to that P's local queue (``runqput(pp, gp, next=true)``);
    * woken by the collector's background credit (``gcFlushBgCredit``: ``ready(gp, next=false)``),
      at the end of mark (``gcWakeAllAssists``) or a Python workload's ``spawn``: the tail of a
      P's local queue;
    * ``Gosched`` or a preemption (``goschedImpl``): the global queue;
    * a full local queue moves half of itself and the goroutine to the global queue
      (``runqputslow``).

    A P looking for work (``findRunnable``) takes, in order: one goroutine from the global queue
    on every 61st schedule (``schedtick % 61``, fairness); its ``runnext``, then its local queue's
    head; a batch from the global queue (``globrunqgetbatch``: up to ``len/GOMAXPROCS + 1``,
    the first run, the rest to its local queue); then it steals (``stealWork``): four passes over
    the other P's in a random order, taking the first half of a victim's local queue
    (``runqsteal``: it runs the last taken, the rest go to its own queue); on the last pass also a
    victim's ``runnext`` — only once it has sat there :data:`STEAL_RUNNEXT_DELAY_NS` (Go's
    ``usleep(3)`` that gives the victim's P the chance to run what it just readied).

    Model time: a goroutine whose last step ended after the P's clock (``ready_at``) is not yet
    runnable on that P; the queues skip it as if it were not there yet.  The ``random`` and
    ``external`` policies choose among every runnable goroutine, wherever it is queued.
    """

    def __init__(self, procs: int, policy: str = "rr", seed: int = 1) -> None:
        if policy not in ("rr", "random", "external"):
            raise BadInput(f"unknown scheduling policy {policy!r} (rr, random, external)")
        self.ps = [P(i) for i in range(procs)]
        self.policy = policy
        self.seed = seed
        self.rng = random.Random(seed)
        #: the global run queue (Go: ``sched.runq``)
        self.runq: deque[G] = deque()
        self.allgs: list[G] = []
        #: for the external policy: chooses a G from the runnable list
        self.chooser: Callable[[P, list[G]], G | None] | None = None
        self.stw_count = 0
        #: stealWork's random orders: the strides coprime with GOMAXPROCS (Go: ``stealOrder``)
        self._coprimes = [i for i in range(1, procs + 1) if math.gcd(i, procs) == 1]

    @property
    def now(self) -> int:
        """The latest clock among the P's."""
        return max(p.now for p in self.ps)

    def next_p(self) -> P:
        best = self.ps[0]
        for p in self.ps:
            if p.now < best.now:
                best = p
        return best

    def pick(self, p: P) -> G | None:
        """The next goroutine for *p*, by the policy; removed from its queue (see the class docstring)."""
        if self.policy == "rr":
            return self.find_runnable(p)
        eligible = [g for g in self.runnable() if g.ready_at <= p.now]
        if not eligible:
            return None
        if self.policy == "random":
            g = eligible[self.rng.randrange(len(eligible))]
        else:
            if self.chooser is None:
                raise BadInput("the external scheduling policy needs a chooser (Scheduler.chooser)")
            g = self.chooser(p, eligible)
            if g is None:
                return None
        self.remove(g)
        p.schedtick += 1
        return g

    def find_runnable(self, p: P) -> G | None:
        """Go's ``findRunnable`` over the run queues, for *p* at its clock."""
        now = p.now
        if p.schedtick % 61 == 0 and self.runq:
            g = _take_first(self.runq, now)
            if g is not None:
                p.schedtick += 1
                return g
        g = p.runnext
        if g is not None and g.ready_at <= now:
            p.runnext = None
            return g  # inherits the time slice: schedtick unchanged
        g = _take_first(p.runq, now) or self._global_batch(p, now) or self._steal(p, now)
        if g is not None:
            p.schedtick += 1
        return g

    def _global_batch(self, p: P, now: int) -> G | None:
        """``globrunqgetbatch``: the first eligible goroutine of the global queue to run, and up to
        ``len/GOMAXPROCS`` more to *p*'s local queue."""
        q = self.runq
        if not q:
            return None
        n = min(len(q), len(q) // len(self.ps) + 1, LOCAL_RUNQ_MAX // 2)
        got = _take_eligible(q, now, n)
        if not got:
            return None
        p.runq.extend(got[1:])
        return got[0]

    def _steal(self, p: P, now: int) -> G | None:
        """``stealWork``: half another P's local queue (its ``runnext`` on the last pass)."""
        procs = len(self.ps)
        if procs == 1:
            return None
        for attempt in range(STEAL_TRIES):
            last = attempt == STEAL_TRIES - 1
            pos = self.rng.randrange(procs)
            inc = self._coprimes[self.rng.randrange(len(self._coprimes))]
            for _ in range(procs):
                victim = self.ps[pos]
                pos = (pos + inc) % procs
                if victim is p:
                    continue
                n = sum(1 for g in victim.runq if g.ready_at <= now)
                if n:
                    got = _take_eligible(victim.runq, now, n - n // 2)
                    p.runq.extend(got[:-1])
                    return got[-1]
                g = victim.runnext
                if last and g is not None and g.ready_at + STEAL_RUNNEXT_DELAY_NS <= now:
                    victim.runnext = None
                    return g
        return None

    def runnable(self) -> list[G]:
        """Every queued goroutine: the Ps' ``runnext`` ones, their local queues, then the global queue."""
        out = [p.runnext for p in self.ps if p.runnext is not None]
        for p in self.ps:
            out.extend(p.runq)
        out.extend(self.runq)
        return out

    def has_runnable(self, now: int, but: G | None = None) -> bool:
        """Whether a goroutine other than *but* is queued and runnable at *now*."""
        for p in self.ps:
            h = p.runnext
            if h is not None and h is not but and h.ready_at <= now:
                return True
            if any(h is not but and h.ready_at <= now for h in p.runq):
                return True
        return any(h is not but and h.ready_at <= now for h in self.runq)

    def remove(self, g: G) -> bool:
        """Take *g* off whichever queue holds it; False if it was queued nowhere."""
        for p in self.ps:
            if p.runnext is g:
                p.runnext = None
                return True
        for q in [p.runq for p in self.ps] + [self.runq]:
            try:
                q.remove(g)
            except ValueError:
                continue
            return True
        return False

    def next_ready(self, after: int, p: P | None = None) -> int | None:
        """The earliest time after *after* at which a queued goroutine becomes runnable (on *p*: another
        P's ``runnext`` only once a thief may take it)."""
        times = [g.ready_at for g in self.runnable() if g.ready_at > after]
        if p is not None:
            for q in self.ps:
                g = q.runnext
                if q is not p and g is not None and g.ready_at + STEAL_RUNNEXT_DELAY_NS > after:
                    times.append(g.ready_at + STEAL_RUNNEXT_DELAY_NS)
        return min(times) if times else None

    def ready(self, g: G, p: P | None = None) -> None:
        """Make *g* runnable at the tail of *p*'s local queue (``runqput(pp, gp, next=false)``); without
        a P, on the global queue."""
        g.status = G_RUNNABLE
        if p is None:
            self.runq.append(g)
        else:
            self.runqput(p, g)

    def runqput(self, p: P, g: G) -> None:
        """*g* to the tail of *p*'s local queue; a full queue sends half of itself and *g* to the global
        queue (``runqputslow``)."""
        q = p.runq
        if len(q) < LOCAL_RUNQ_MAX:
            q.append(g)
            return
        for _ in range(LOCAL_RUNQ_MAX // 2):
            self.runq.append(q.popleft())
        self.runq.append(g)

    def put_next(self, p: P | None, g: G) -> None:
        """Queue *g* as *p*'s ``runnext`` (``runqput(pp, gp, next=true)``); the goroutine it displaces
        goes to the tail of *p*'s local queue.  Without a P, to the global queue."""
        if p is None:
            self.runq.append(g)
            return
        old = p.runnext
        p.runnext = g
        if old is not None:
            self.runqput(p, old)

    def gosched(self, g: G) -> None:
        """*g* stopped running but stays runnable (``goschedImpl``): to the global queue."""
        g.status = G_RUNNABLE
        self.runq.append(g)

    def stop_the_world(self) -> int:
        """Stop every P; return the model time at which the world is stopped."""
        t = max(p.now for p in self.ps)
        for p in self.ps:
            p.now = t
        self.stw_count += 1
        return t

    def start_the_world(self, t: int) -> None:
        for p in self.ps:
            p.now = t


def sysmon(gc, p: P) -> bool:
    """sysmon's GC duties on *p* for the collector *gc*; True if *p* did something (Go: ``proc.go`` sysmon).

    A cycle is forced (``gcTriggerTime``) when GOGC is on, a cycle has
    completed, and none ended in the last 2 minutes of model time; with
    gctrace, ``GC forced`` is printed first (``forcegchelper``).  The
    background scavenger runs here when its timer is due.  Otherwise sets
    ``gc.next_sysmon`` to when there is next something to do.
    """
    now = p.now
    periodic = not gc.running and gc.pacer.gc_percent >= 0 and gc.numgc > 0
    if periodic and now - gc.last_gc_end > FORCEGC_PERIOD:
        if gc.gctrace is not None:
            gc.gctrace("GC forced")
        gc.num_time_forced += 1
        gc.start(p, forced=False, time_triggered=True)
        return True
    sc = gc.scavenger
    if sc.due(now):
        sc.run_bg(p)
        if gc.rt.log.timeline is not None:
            gc.rt.log.timeline.span(p.id, "scavenge", now, p.now)
        return True
    nxt = 1 << 62
    if periodic:
        nxt = gc.last_gc_end + FORCEGC_PERIOD + 1
    if not sc.parked:
        nxt = min(nxt, sc.next_at)
    gc.next_sysmon = nxt
    return False


def _take_first(q: deque, now: int) -> G | None:
    """The first goroutine of *q* runnable at *now*, removed from *q*."""
    got = _take_eligible(q, now, 1)
    return got[0] if got else None


def _take_eligible(q: deque, now: int, n: int) -> list[G]:
    """Up to *n* goroutines runnable at *now* from the head of *q*, in order, removed from *q*."""
    got: list[G] = []
    keep: list[G] = []
    while q and len(got) < n:
        g = q.popleft()
        (got if g.ready_at <= now else keep).append(g)
    q.extendleft(reversed(keep))
    return got
