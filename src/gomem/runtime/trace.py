"""The runtime's event log, the per-cycle record, and Go's gctrace line.

The runtime and the collector emit typed :class:`Event` records into the
runtime's :class:`EventLog`; the scenario engine (and so its step text and
pictures) and the tests read them (``EventLog.events``,
:meth:`EventLog.of_kind`, or a subscriber).

Always recorded (cycle level): ``gc-begin``, ``stw-start``/``stw-stop`` (with
the pause's ``ns``), ``phase``, ``gc-end``, ``sweep-done`` when the background
sweeper finishes, and ``lost`` when checkmark finds an object the mark missed.
Recorded only when the log's ``detail`` flag is on (scenarios and tests turn
it on; long runs leave it off, since these cost time): ``alloc``, ``write``
(a mutator pointer store), ``barrier``, ``shade``, ``scan``, ``root`` (a root
job: globals or a stack) and the ``sweep-done`` that ``runtime.GC`` emits
after it finishes sweeping.  ``free`` is declared for the scenario engine's
step text but nothing emits it yet.

Recorded only when the log's ``timeline`` is on (:meth:`EventLog.enable_timeline`;
``gomem run --trace``, ``--mmu`` and ``--html`` turn it on): the
:class:`Timeline`, intervals of what each P did (goroutines, mark workers,
assists, sweeping, the scavenger) and sampled counters, which
:mod:`gomem.viz.timeline` and :mod:`gomem.cmd.mmu` read together with the cycle
records and pauses below.

gctrace lines, the run summary, MemStats and the JSON do not read this log:
the collector tallies each cycle into a :class:`CycleRecord` as it goes
(``Collector.records``, appended at mark termination, and its pause list
``Collector.pauses``).

:func:`gctrace_line` formats one cycle exactly as ``gcMarkTermination``
prints it under ``GODEBUG=gctrace=1`` (``runtime/mgc.go``), and
:func:`fmt_ns_as_ms` is Go's ``fmtNSAsMS``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable

# Event kinds (GC vocabulary)
GC_BEGIN = "gc-begin"  #: a cycle starts (sweep termination begins)
GC_END = "gc-end"  #: mark termination done; sweep begins
PHASE = "phase"  #: setGCPhase: off / mark / marktermination
STW_START = "stw-start"
STW_STOP = "stw-stop"
SHADE = "shade"  #: an object turned grey (or black if it has no pointers)
SCAN = "scan"  #: an object's pointers were scanned (grey -> black)
BARRIER = "barrier"  #: a write barrier fired for a store
WRITE = "write"  #: a mutator pointer store (heap, global or stack)
ALLOC = "alloc"
ROOT = "root"  #: a root job (the globals or a goroutine's stack) was scanned
SWEEP_DONE = "sweep-done"  #: every span of the cycle is swept
FREE = "free"  #: an object freed by the sweeper (shown by the scenario engine; not emitted yet)
LOST = "lost"  #: checkmark found a reachable object the mark missed


@dataclass(slots=True)
class Event:
    """One thing that happened, at model time ``t`` (ns) on P ``p`` (-1: none)."""

    t: int
    kind: str
    p: int = -1
    data: dict[str, Any] = field(default_factory=dict)

    def __str__(self) -> str:
        extra = " ".join(f"{k}={_fmt(v)}" for k, v in self.data.items())
        return f"{self.t:>12} P{self.p:<2} {self.kind:<11} {extra}".rstrip()


def _fmt(v: Any) -> str:
    if isinstance(v, int) and v >= 1 << 32:
        return hex(v)
    return str(v)


class EventLog:
    """The runtime's event log, with subscribers."""

    def __init__(self, detail: bool = False, keep: bool = True) -> None:
        #: record fine-grained events (shade, scan, barrier, alloc, write)
        self.detail = detail
        #: keep events in memory (long runs may only subscribe)
        self.keep = keep
        self.events: list[Event] = []
        self.subscribers: list[Callable[[Event], None]] = []
        #: what every P did when, for ``--trace``/``--mmu``/the report's timeline (None: not recorded)
        self.timeline: Timeline | None = None

    def enable_timeline(self, procs: int, switch_ns: int = 0) -> Timeline:
        """Start recording the :class:`Timeline` (before the run: the hooks read ``log.timeline``)."""
        self.timeline = Timeline(procs, switch_ns)
        return self.timeline

    def emit(self, t: int, kind: str, p: int = -1, **data: Any) -> None:
        ev = Event(t, kind, p, data)
        if self.keep:
            self.events.append(ev)
        for fn in self.subscribers:
            fn(ev)

    def of_kind(self, *kinds: str) -> list[Event]:
        return [e for e in self.events if e.kind in kinds]


#: Timeline interval kinds: the mark workers (Go's "GC (dedicated)", "GC (fractional)", "GC (idle)"),
#: mark assists, sweeping charged to an allocating goroutine ("GC incremental sweep"), the background
#: sweeper, and the background / allocation-time scavenger
SPAN_KINDS = ("dedicated", "fractional", "idle", "assist", "sweep", "bgsweep", "scavenge")


class Timeline:
    """What each P did when, as intervals of model time (ns): the event log's fine-grained timeline.

    Off unless asked for (``EventLog.enable_timeline``; ``gomem run --trace``,
    ``--mmu`` and ``--html`` turn it on): every hook in the runtime is one
    ``if log.timeline is not None`` test when it is off.  Recorded:

    * ``gslices`` — ``[p, goroutine id, t0, t1]``: a goroutine running on P
      *p* (consecutive scheduler steps of the same goroutine on the same P,
      with nothing but the switch between them, are one slice);
    * ``spans`` — ``(p, kind, t0, t1, goroutine id or 0)`` of
      :data:`SPAN_KINDS`; an assist or an incremental sweep lies inside the
      goroutine slice it interrupted, a worker or the background sweeper
      between goroutine slices;
    * ``samples`` — ``(t, heapLive, heap goal, goroutines)``, taken at most
      every :attr:`sample_every` ns at span refills (the heap-trigger test);
    * ``sweep_done`` — model times at which a cycle's sweep was seen finished.

    Cycle-level facts (phases, stop-the-world pauses) are not duplicated
    here: they are in the collector's :class:`CycleRecord` list and pause list.
    """

    __slots__ = ("procs", "switch_ns", "gslices", "_last", "gnames", "spans", "samples", "next_sample",
                 "sample_every", "sweep_done")

    def __init__(self, procs: int, switch_ns: int = 0, sample_every: int = 5_000) -> None:
        self.procs = procs
        self.switch_ns = switch_ns
        self.gslices: list[list[int]] = []
        self._last: list[list[int] | None] = [None] * procs
        self.gnames: dict[int, str] = {}
        self.spans: list[tuple[int, str, int, int, int]] = []
        self.samples: list[tuple[int, int, int, int]] = []
        self.next_sample = 0
        self.sample_every = sample_every
        self.sweep_done: list[int] = []

    def g_step(self, p: int, g: Any, t0: int, t1: int) -> None:
        """Goroutine *g* ran on P *p* from *t0* to *t1* (one scheduler step)."""
        last = self._last[p]
        gid = g.id
        if last is not None and last[1] == gid and t0 <= last[3] + self.switch_ns:
            if t1 > last[3]:
                last[3] = t1
            return
        if gid not in self.gnames:
            self.gnames[gid] = g.name
        s = [p, gid, t0, t1]
        self.gslices.append(s)
        self._last[p] = s

    def span(self, p: int, kind: str, t0: int, t1: int, g: Any = None) -> None:
        """P *p* did *kind* (:data:`SPAN_KINDS`) from *t0* to *t1*, for goroutine *g* if any."""
        spans = self.spans
        if kind == "bgsweep":
            # the background sweeper's own charge of its sweeping is this span, not an incremental sweep
            while spans and spans[-1][0] == p and spans[-1][1] == "sweep" and spans[-1][2] >= t0:
                spans.pop()
        spans.append((p, kind, t0, t1, g.id if g is not None else 0))

    def sample(self, t: int, heap_live: int, goal: int, goroutines: int) -> None:
        self.samples.append((t, heap_live, goal, goroutines))
        self.next_sample = t + self.sample_every

    def sample_gc(self, gc: Any, t: int) -> None:
        """Sample the counters of collector *gc*'s runtime at model time *t*."""
        goroutines = sum(1 for g in gc.rt.sched.allgs if g.status != "dead")
        self.sample(t, gc.heap.stats.heap_live, gc.pacer.heap_goal(), goroutines)


def itoa_div(val: int, dec: int) -> str:
    """*val* with a decimal point *dec* digits from the right (Go: ``itoaDiv``)."""
    if dec <= 0:
        return str(val)
    s = str(val).rjust(dec + 1, "0")
    return s[:-dec] + "." + s[-dec:]


def fmt_ns_as_ms(ns: int) -> str:
    """Go's ``fmtNSAsMS``: whole ms from 10 ms up, else two significant digits, at most three decimals."""
    ns = max(0, int(ns))
    if ns >= 10_000_000:
        return itoa_div(ns // 1_000_000, 0)
    x = ns // 1000
    if x == 0:
        return "0"
    dec = 3
    while x >= 100:
        x //= 10
        dec -= 1
    return itoa_div(x, dec)


@dataclass
class CycleRecord:
    """Everything gctrace and the run summary report about one GC cycle.

    Times are model nanoseconds since the program started.
    """

    n: int  #: cycle number, 1-based (memstats.numgc after the increment)
    t_sweep_term: int = 0  #: sweep termination STW begins
    t_mark: int = 0  #: concurrent mark begins (world restarted)
    t_mark_term: int = 0  #: mark termination STW begins
    t_end: int = 0  #: world restarted after mark termination
    stwprocs: int = 1
    assist_time: int = 0
    background_time: int = 0  #: dedicated + fractional workers
    idle_time: int = 0
    heap0: int = 0  #: heapLive when the cycle was triggered
    heap1: int = 0  #: heapLive at mark termination
    heap2: int = 0  #: bytes marked live
    heap_goal: int = 0  #: the goal of this cycle
    next_goal: int = 0  #: the goal it set for the next one
    stack_scan: int = 0  #: bytes of stack scanned (lastStackScan)
    globals_scan: int = 0
    procs: int = 1
    forced: bool = False
    #: the cycle looked for leaked goroutines (pprof's goroutineleak profile asked for it)
    leak_check: bool = False
    gc_cpu_percent: int = 0  #: cumulative GC CPU %, as gctrace prints it
    mode: str = "go1.8"
    #: STW pauses of this cycle: (phase, start, duration) in ns
    pauses: list[tuple[str, int, int]] = field(default_factory=list)
    objects_marked: int = 0
    objects_scanned: int = 0
    lost: int = 0

    @property
    def pause_ns(self) -> int:
        return sum(d for _, _, d in self.pauses)

    def as_dict(self) -> dict[str, Any]:
        d = dict(self.__dict__)
        d["pauses"] = [{"phase": ph, "start_ns": s, "ns": n} for ph, s, n in self.pauses]
        return d


def gctrace_line(c: CycleRecord) -> str:
    """The ``GODEBUG=gctrace=1`` line for a cycle, byte for byte as Go prints it."""
    clock = "+".join(
        fmt_ns_as_ms(ns) for ns in (c.t_mark - c.t_sweep_term, c.t_mark_term - c.t_mark, c.t_end - c.t_mark_term)
    )
    cpu = (
        fmt_ns_as_ms(c.stwprocs * (c.t_mark - c.t_sweep_term))
        + "+"
        + fmt_ns_as_ms(c.assist_time)
        + "/"
        + fmt_ns_as_ms(c.background_time)
        + "/"
        + fmt_ns_as_ms(c.idle_time)
        + "+"
        + fmt_ns_as_ms(c.stwprocs * (c.t_end - c.t_mark_term))
    )
    line = (
        f"gc {c.n} @{itoa_div(c.t_sweep_term // 1_000_000, 3)}s {c.gc_cpu_percent}%"
        f"{' (checking for goroutine leaks)' if c.leak_check else ''}: "
        f"{clock} ms clock, {cpu} ms cpu, "
        f"{c.heap0 >> 20}->{c.heap1 >> 20}->{c.heap2 >> 20} MB, {c.heap_goal >> 20} MB goal, "
        f"{c.stack_scan >> 20} MB stacks, {c.globals_scan >> 20} MB globals, {c.procs} P"
    )
    if c.forced:
        line += " (forced)"
    return line
