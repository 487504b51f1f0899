"""The figures a run reports: MemStats with the GC fields, pauses, GC CPU.

Pure functions over a finished (or stopped) :class:`~gomem.runtime.runtime.Runtime`
and its collector's records; ``gomem run`` prints :func:`format_summary`
of :func:`summarize` and writes :meth:`Summary.as_dict` to ``--json``.

* :func:`memstats` — ``runtime.ReadMemStats``: the heap's fields
  (:meth:`gomem.runtime.malloc.Heap.read_memstats`) plus the ones Go fills in
  ``gcMarkTermination`` (``runtime/mgc.go``): ``NumGC``, ``NumForcedGC``,
  ``PauseTotalNs``, the ``PauseNs``/``PauseEnd`` rings (cycle *n* at index
  ``(n-1) % 256``, so the newest is at ``(NumGC+255) % 256``), ``LastGC`` and
  ``GCCPUFraction``.  Model simplification: ``LastGC`` and ``PauseEnd`` are
  model nanoseconds since the program started, not Unix time (the model has
  no wall clock).
* :func:`gc_cpu_fraction` — ``memstats.gc_cpu_fraction`` as
  ``gcMarkTermination`` sets it: GC CPU time excluding idle marking over
  total CPU time (``GOMAXPROCS`` × elapsed), both as of the end of the last
  completed cycle.  gctrace's ``%`` is ``int(fraction * 100)``.
* :func:`pause_stats` — the stop-the-world pauses (``Collector.pauses``)
  by phase: sweep termination, mark (the ``stw``/``go1.3`` modes, whose
  whole mark is a pause) and mark termination; count, total, max and p99.
* :func:`percentile` — nearest-rank percentile.
* :func:`read_gctrace_line` / :func:`read_gctrace` — the one gctrace parser
  (any Go version since 1.5, :class:`TraceCycle`), for reading real Go's
  output and ours alike; :data:`GCTRACE_RE` / :func:`parse_gctrace_line` —
  the strict grammar of a Go 1.27 ``GODEBUG=gctrace=1`` line, and the
  parser held to it; :func:`read_gctrace_log` — a whole log by line number:
  cycles, scavenger lines (``scvg`` ≤ 1.13, ``scav`` 1.14 on), lines the
  program's output cut in two, and what does not parse (``gomem gctrace``).
"""

from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..runtime.mstats import PAUSE_RING, MemStats
from ..runtime.trace import CycleRecord

if TYPE_CHECKING:  # pragma: no cover
    from ..runtime.runtime import Runtime

#: the STW phases, in the order a cycle goes through them
PHASES = ("sweep termination", "mark", "mark termination")


# -- percentiles and pauses ----------------------------------------------------------


def percentile(values: Iterable[int], q: float) -> int:
    """The nearest-rank *q*-th percentile (0 < q <= 100) of *values*; 0 if empty.

    The smallest value with at least q % of the values at or below it, so
    the p99 of fewer than 100 values is the maximum.
    """
    if not 0 < q <= 100:
        raise ValueError(f"percentile {q} outside (0, 100]")
    vs = sorted(values)
    if not vs:
        return 0
    rank = math.ceil(q / 100 * len(vs))
    return vs[max(rank, 1) - 1]


@dataclass(frozen=True)
class PauseStats:
    """Stop-the-world pauses of one kind, in model ns."""

    count: int = 0
    total_ns: int = 0
    max_ns: int = 0
    p99_ns: int = 0

    @classmethod
    def of(cls, durations: Sequence[int]) -> PauseStats:
        if not durations:
            return cls()
        return cls(len(durations), sum(durations), max(durations), percentile(durations, 99))


def pause_stats(pauses: Iterable[tuple[int, str, int, int]]) -> dict[str, PauseStats]:
    """Pause figures by phase, then ``"all"`` (every STW) and ``"per cycle"`` (Go's PauseNs entries).

    *pauses* is ``Collector.pauses``: ``(cycle, phase, start_ns, ns)``.  The
    phases appear in :data:`PHASES` order, only those that occurred (any
    other phase name follows them).
    """
    by_phase: dict[str, list[int]] = {}
    per_cycle: dict[int, int] = {}
    every: list[int] = []
    for cycle, phase, _start, ns in pauses:
        by_phase.setdefault(phase, []).append(ns)
        per_cycle[cycle] = per_cycle.get(cycle, 0) + ns
        every.append(ns)
    order = [ph for ph in PHASES if ph in by_phase] + sorted(ph for ph in by_phase if ph not in PHASES)
    out = {ph: PauseStats.of(by_phase[ph]) for ph in order}
    out["all"] = PauseStats.of(every)
    out["per cycle"] = PauseStats.of(list(per_cycle.values()))
    return out


def cycle_pause_ns(rec: CycleRecord) -> int:
    """The cycle's total stop-the-world time (Go: ``work.pauseNS``, one PauseNs entry)."""
    return sum(ns for _, _, ns in rec.pauses)


# -- GC CPU ----------------------------------------------------------------------------


def cycle_gc_cpu_ns(rec: CycleRecord) -> int:
    """GC CPU time of one cycle, idle marking excluded (what ``Collector.gc_cpu`` adds up).

    Each STW phase costs ``stwprocs`` × its duration, except the ``mark``
    pause of the stop-the-world modes, whose CPU is the workers' mark time
    (already in ``background_time``); plus assists and dedicated/fractional
    workers (Go: ``GCTotalTime - GCIdleTime`` in ``work.cpuStats``).
    """
    stw = sum(ns for phase, _, ns in rec.pauses if phase != "mark")
    return rec.stwprocs * stw + rec.assist_time + rec.background_time


def gc_cpu_fraction(records: Sequence[CycleRecord]) -> float:
    """``MemStats.GCCPUFraction``: GC CPU / total CPU since the start, as of the last cycle's end.

    0.0 before the first cycle completes.  Total CPU is ``procs × tEnd`` as
    in ``gcMarkTermination``; ``int(fraction * 100)`` is gctrace's ``%``.
    """
    if not records:
        return 0.0
    last = records[-1]
    total = last.t_end * last.procs
    if total <= 0:
        return 0.0
    return sum(cycle_gc_cpu_ns(r) for r in records) / total


def run_gc_cpu_fraction(rt: Runtime) -> float:
    """GC CPU over the whole run (to the model time it ended at), idle marking excluded.

    Unlike :func:`gc_cpu_fraction` this includes a cycle still in progress
    at exit and the mutator time after the last cycle.
    """
    total = rt.now * len(rt.sched.ps)
    return rt.gc.gc_cpu / total if total > 0 else 0.0


# -- MemStats ------------------------------------------------------------------------------


def memstats(rt: Runtime) -> MemStats:
    """``runtime.ReadMemStats`` for *rt*: heap fields plus the GC's (see the module docstring).

    Like Go's, it flushes every P's mcache first.
    """
    gc = rt.gc
    ms = rt.heap.read_memstats(next_gc=gc.heap_goal())
    ms.NumGC = gc.numgc
    ms.NumForcedGC = gc.num_forced
    pause_ns = [0] * PAUSE_RING
    pause_end = [0] * PAUSE_RING
    for rec in gc.records:
        i = (rec.n - 1) % PAUSE_RING
        pause_ns[i] = cycle_pause_ns(rec)
        pause_end[i] = rec.t_end
    ms.PauseNs = pause_ns
    ms.PauseEnd = pause_end
    ms.PauseTotalNs = sum(cycle_pause_ns(r) for r in gc.records)
    ms.LastGC = gc.records[-1].t_end if gc.records else 0
    ms.GCCPUFraction = gc_cpu_fraction(gc.records)
    return ms


# -- the run summary ---------------------------------------------------------------------------


@dataclass
class Summary:
    """What ``gomem run`` reports after the program's output."""

    num_gc: int
    num_forced_gc: int
    cycle_in_progress: bool
    pauses: dict[str, PauseStats]
    pause_total_ns: int
    gc_cpu_fraction: float  #: MemStats.GCCPUFraction (as of the last cycle)
    gc_cpu_percent: int  #: the last gctrace line's %
    run_gc_cpu_fraction: float  #: over the whole run
    model_ns: int
    procs: int
    mallocs: int
    total_alloc: int
    wall_seconds: float
    #: simulated allocations (MemStats.Mallocs) per second of the simulator's wall time
    allocs_per_wall_second: float
    #: bytes allocated per second of model time (the program's allocation rate)
    alloc_bytes_per_model_second: float
    extra: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["pauses"] = {k: asdict(v) for k, v in self.pauses.items()}
        return d


def summarize(rt: Runtime, wall_seconds: float, ms: MemStats | None = None) -> Summary:
    """The run summary of *rt* after ``wall_seconds`` of simulation (*ms*: its MemStats if read already)."""
    gc = rt.gc
    if ms is None:
        ms = memstats(rt)
    model_ns = rt.now
    return Summary(
        num_gc=gc.numgc,
        num_forced_gc=gc.num_forced,
        cycle_in_progress=gc.running,
        pauses=pause_stats(gc.pauses),
        pause_total_ns=ms.PauseTotalNs,
        gc_cpu_fraction=ms.GCCPUFraction,
        gc_cpu_percent=gc.records[-1].gc_cpu_percent if gc.records else 0,
        run_gc_cpu_fraction=run_gc_cpu_fraction(rt),
        model_ns=model_ns,
        procs=len(rt.sched.ps),
        mallocs=ms.Mallocs,
        total_alloc=ms.TotalAlloc,
        wall_seconds=wall_seconds,
        allocs_per_wall_second=ms.Mallocs / wall_seconds if wall_seconds > 0 else 0.0,
        alloc_bytes_per_model_second=ms.TotalAlloc * 1e9 / model_ns if model_ns > 0 else 0.0,
    )


def fmt_duration(ns: float) -> str:
    """A duration for people: ``850 ns``, ``3.00 us``, ``1.234 ms``, ``2.500 s``."""
    if ns < 1_000:
        return f"{int(ns)} ns"
    if ns < 1_000_000:
        return f"{ns / 1e3:.2f} us"
    if ns < 1_000_000_000:
        return f"{ns / 1e6:.3f} ms"
    return f"{ns / 1e9:.3f} s"


def fmt_bytes(n: float) -> str:
    """A byte count with a binary unit: ``512 B``, ``3.2 MiB``."""
    for unit, shift in (("GiB", 30), ("MiB", 20), ("KiB", 10)):
        if n >= 1 << shift:
            return f"{n / (1 << shift):.1f} {unit}"
    return f"{int(n)} B"


def fmt_count(n: float) -> str:
    """A rate or count with a metric suffix: ``950``, ``12.3 k``, ``4.56 M``."""
    for unit, div in (("G", 1e9), ("M", 1e6), ("k", 1e3)):
        if n >= div:
            return f"{n / div:.3g} {unit}"
    return f"{n:.0f}"


def format_summary(s: Summary) -> str:
    """The summary block ``gomem run`` prints after MemStats."""
    lines = []
    more = "; one more was still running at exit" if s.cycle_in_progress else ""
    lines.append(f"GC cycles:      {s.num_gc} completed (NumGC), {s.num_forced_gc} forced (NumForcedGC){more}")
    if s.pauses.get("all", PauseStats()).count:
        lines.append("STW pauses (model time):")
        lines.append(f"  {'phase':<18} {'count':>6} {'total':>12} {'max':>12} {'p99':>12}")
        for name, st in s.pauses.items():
            if name == "all":
                continue
            lines.append(
                f"  {name:<18} {st.count:>6} {fmt_duration(st.total_ns):>12} "
                f"{fmt_duration(st.max_ns):>12} {fmt_duration(st.p99_ns):>12}"
            )
    else:
        lines.append("STW pauses:     none")
    lines.append(
        f"GC CPU:         {s.gc_cpu_fraction * 100:.2f}% at the last GC (GCCPUFraction, gctrace {s.gc_cpu_percent}%); "
        f"{s.run_gc_cpu_fraction * 100:.2f}% over the run, idle marking excluded"
    )
    lines.append(
        f"model time:     {fmt_duration(s.model_ns)} on {s.procs} P; "
        f"allocated {fmt_bytes(s.total_alloc)} ({fmt_bytes(s.alloc_bytes_per_model_second)}/s model)"
    )
    lines.append(
        f"simulator:      {s.wall_seconds:.2f} s wall, {s.mallocs} allocations "
        f"({fmt_count(s.allocs_per_wall_second)} allocs/s)"
    )
    return "\n".join(lines)


# -- reading gctrace lines ----------------------------------------------------------------------
#
# One parser, :func:`read_gctrace_line`, reads a gctrace line of any Go version since 1.5 into a
# :class:`TraceCycle`; ``gomem vs-go`` reads both sides with it.  :data:`GCTRACE_RE` is the strict
# grammar of the line as Go 1.27 prints it (and gomem: :func:`gomem.runtime.trace.gctrace_line`), and
# :func:`parse_gctrace_line` is the parser restricted to it, returning the fields by name.
#
# The format over the versions (``runtime/extern.go``, printed in ``gcMarkTermination``):
#
# * Go 1.5-1.6: ``gc # @#s #%: #+#+#+#+# ms clock, #+#+#+#/#/#+# ms cpu, #->#-># MB, # MB goal, # P``:
#   five phases (sweep termination, scan, install write barrier, mark, mark termination), the
#   mark's CPU split assist/background/idle;
# * Go 1.7-1.17: ``gc # @#s #%: #+#+# ms clock, #+#/#/#+# ms cpu, #->#-># MB, # MB goal, # P``;
# * Go 1.18 on: ``..., # MB goal, # MB stacks, #MB globals, # P`` (the documentation writes
#   ``#MB globals``, the runtime prints ``# MB globals``);
# * Go 1.26 on may add `` (checking for goroutine leaks)`` after the ``%``.
#
# Any of them may end with `` (forced)``.

#: one ``fmtNSAsMS`` value: "0", 0.001-0.099, 0.10-0.99, 1.0-9.9, or whole ms from 10 up
FMT_NS_AS_MS = r"(?:0|0\.00[1-9]|0\.0[1-9][0-9]|0\.[1-9][0-9]|[1-9]\.[0-9]|[1-9][0-9]+)"
_T = FMT_NS_AS_MS
_N = r"(?:0|[1-9][0-9]*)"

#: the grammar of a ``GODEBUG=gctrace=1`` line exactly as Go 1.27's ``gcMarkTermination`` prints it
GCTRACE_RE = re.compile(
    rf"gc [1-9][0-9]* @{_N}\.[0-9]{{3}}s {_N}%: "
    rf"{_T}\+{_T}\+{_T} ms clock, "
    rf"{_T}\+{_T}/{_T}/{_T}\+{_T} ms cpu, "
    rf"{_N}->{_N}->{_N} MB, {_N} MB goal, "
    rf"{_N} MB stacks, {_N} MB globals, [1-9][0-9]* P"
    r"(?: \(forced\))?"
)

_NUM = r"[0-9]+(?:\.[0-9]+)?"
#: one gctrace line of any Go version from 1.5 on, anywhere in a line of output
GCTRACE_ANY_RE = re.compile(
    rf"(?:^|(?<=\s))gc #?(?P<n>[0-9]+) @(?P<at>{_NUM})s (?P<pct>[0-9]+)%(?P<note>[^:]*): "
    rf"(?P<clock>{_NUM}(?:\+{_NUM})*) ms clock, "
    rf"(?P<cpu>{_NUM}(?:[+/]{_NUM})*) ms cpu, "
    r"(?P<heap0>[0-9]+)->(?P<heap1>[0-9]+)->(?P<heap2>[0-9]+) MB"
    r"(?:, (?P<goal>[0-9]+) MB goal)?"
    r"(?:, (?P<stacks>[0-9]+) MB stacks)?"
    r"(?:, (?P<globals>[0-9]+) ?MB globals)?"
    r"(?:, (?P<procs>[0-9]+) P)?"
    r"(?P<tail>.*)$"
)


#: the CPU field's shape for 5 clock phases (``a+b+c+d/e/f+g``) and for 3 (``a+b/c/d+e``)
_CPU_SHAPE = {
    5: re.compile(rf"{_NUM}\+{_NUM}\+{_NUM}\+{_NUM}/{_NUM}/{_NUM}\+{_NUM}"),
    3: re.compile(rf"{_NUM}\+{_NUM}/{_NUM}/{_NUM}\+{_NUM}"),
}
#: what may stand between ``%`` and ``:`` (Go 1.26 on: ``goroutineLeakDone`` in ``gcMarkTermination``)
_NOTES = ("", "(checking for goroutine leaks)")


@dataclass
class TraceCycle:
    """One gctrace line, read.  Heap figures in MB (MiB, truncated) as printed."""

    n: int
    at: float  #: seconds since the program started
    pct: int  #: cumulative GC CPU % since the start
    clock_ms: list[float]  #: wall-clock time of each phase
    cpu_ms: list[float]  #: CPU time: sweep term [+ scan + install WB] + assist, background, idle + mark term
    heap0: int
    heap1: int
    heap2: int
    goal: int | None = None
    stacks: int | None = None
    globals: int | None = None
    procs: int | None = None
    forced: bool = False
    note: str = ""  #: e.g. "(checking for goroutine leaks)"
    line: str = ""

    @property
    def era(self) -> str:
        """Which format the line has: ``go1.5`` (5 phases), ``go1.7`` (3 phases) or ``go1.18`` (stacks, globals)."""
        if self.stacks is not None or self.globals is not None:
            return "go1.18"
        return "go1.5" if len(self.clock_ms) == 5 else "go1.7"

    @property
    def pause_ms(self) -> float:
        """Stop-the-world time: the first and the last clock phase."""
        return self.clock_ms[0] + self.clock_ms[-1] if self.clock_ms else 0.0

    def as_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["era"] = self.era
        return d

    def fields(self) -> dict[str, Any]:
        """The fields of a Go 1.27 line by name, times as printed (strings), counts as ints (see :func:`parse_gctrace_line`)."""
        m = GCTRACE_ANY_RE.search(self.line)
        assert m is not None and self.era == "go1.18", self.line
        clock = m["clock"].split("+")
        cpu = re.split(r"[+/]", m["cpu"])
        return {
            "n": self.n, "at": m["at"], "pct": self.pct,
            "clock_sweep_term": clock[0], "clock_mark": clock[1], "clock_mark_term": clock[2],
            "cpu_sweep_term": cpu[0], "cpu_assist": cpu[1], "cpu_background": cpu[2], "cpu_idle": cpu[3],
            "cpu_mark_term": cpu[4],
            "heap0": self.heap0, "heap1": self.heap1, "heap2": self.heap2, "goal": self.goal,
            "stacks": self.stacks, "globals": self.globals, "procs": self.procs, "forced": self.forced,
        }


def read_gctrace_line(line: str) -> TraceCycle | None:
    """A gctrace line of any Go version since 1.5 (found anywhere in *line*), or None if *line* holds none."""
    m = GCTRACE_ANY_RE.search(line.rstrip("\r\n"))
    if m is None:
        return None
    clock = [float(x) for x in m["clock"].split("+")]
    cpu = [float(x) for x in re.split(r"[+/]", m["cpu"])]
    if len(clock) not in (3, 5) or _CPU_SHAPE[len(clock)].fullmatch(m["cpu"]) is None:
        return None  # 5 clock phases go with 7 CPU figures (Go 1.5-1.6), 3 with 5 (Go 1.7 on)
    if m["note"].strip() not in _NOTES:
        return None
    tail = m["tail"].strip()
    forced = False
    if tail.startswith("(forced)"):
        forced = True
        tail = tail[len("(forced)"):].strip()
    if tail:
        return None  # something else follows: not a line we know

    def opt(k: str) -> int | None:
        return int(m[k]) if m[k] is not None else None

    return TraceCycle(
        n=int(m["n"]),
        at=float(m["at"]),
        pct=int(m["pct"]),
        clock_ms=clock,
        cpu_ms=cpu,
        heap0=int(m["heap0"]),
        heap1=int(m["heap1"]),
        heap2=int(m["heap2"]),
        goal=opt("goal"),
        stacks=opt("stacks"),
        globals=opt("globals"),
        procs=opt("procs"),
        forced=forced,
        note=m["note"].strip(),
        line=m.group(0),
    )


def read_gctrace(text: str) -> list[TraceCycle]:
    """Every gctrace line in *text* (a whole stderr or log), in order; other lines are skipped.

    If the log holds several runs (the cycle number drops back), only the
    last run's lines are kept.
    """
    out: list[TraceCycle] = []
    for line in text.splitlines():
        c = read_gctrace_line(line)
        if c is None:
            continue
        if out and c.n <= out[-1].n:
            out = []  # a new run starts
        out.append(c)
    return out


def parse_gctrace_line(line: str) -> dict[str, Any] | None:
    """The fields of a line in Go 1.27's exact grammar (:data:`GCTRACE_RE`) — times as printed, counts as
    ints — or None if it is not one."""
    if GCTRACE_RE.fullmatch(line) is None:
        return None
    c = read_gctrace_line(line)
    assert c is not None, line  # the strict grammar is a special case of the general one
    return c.fields()


# -- reading a whole gctrace log ----------------------------------------------------------------
#
# A service's log holds, besides the gc lines, what the runtime prints beside them and the
# program's own output.  The runtime's other lines under GODEBUG=gctrace=1 (or =2):
#
# * Go 1.5-1.13, ``mheap.go`` (``mHeap_Scavenge`` / ``(*mheap).scavenge``):
#   ``scvg#: # MB released`` and ``scvg#: inuse: #, idle: #, sys: #, released: #, consumed: # (MB)``
#   (``#`` after ``scvg`` the scavenger's generation, empty for ``debug.FreeOSMemory``: ``scvg-1``);
# * Go 1.14-1.18, ``mgcscavenge.go`` ``printScavTrace``: ``scav # # KiB work, # KiB total, #% util``
#   (generation, then released), `` (forced)`` on a forced scavenge;
# * Go 1.19 on, ``printScavTrace`` (``mgcscavenge.go:703`` in Go 1.27):
#   ``scav # KiB work (bg), # KiB work (eager), # KiB now, #% util`` with `` (forced)`` or
#   `` [controller reset]``;
# * ``GC forced`` (``forcegchelper`` in ``proc.go``, every version): the 2-minute periodic GC;
# * gctrace=2, Go 1.25 on with the Green Tea collector (``dumpScanStats``,
#   ``mgcmark_greenteagc.go``): ``scan: total …`` and ``scan: class …`` lines.
#
# The scvg/scav formats before Go 1.19 are written from the Go releases' sources as remembered,
# not checked against them here (no older toolchain or source on this machine).

_GC_START_RE = re.compile(r"(?:^|(?<=\s))gc(?: #?)?[0-9]+(?:\(| @)")
_SCV_START_RE = re.compile(r"^(?:scvg-?[0-9]*:|scav )")
#: the runtime's non-cycle lines, each with the Go versions that print it
SCAV_FORMATS: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    ("scvg-stats", "go1.5-1.13", re.compile(
        r"scvg(?P<gen>-?[0-9]*): inuse: (?P<inuse_mb>[0-9]+), idle: (?P<idle_mb>[0-9]+), sys: (?P<sys_mb>[0-9]+), "
        r"released: (?P<released_mb>[0-9]+), consumed: (?P<consumed_mb>[0-9]+) \(MB\)")),
    ("scvg-released", "go1.5-1.13", re.compile(r"scvg(?P<gen>-?[0-9]*): (?P<released_mb>[0-9]+) MB released")),
    ("scav", "go1.14-1.18", re.compile(
        r"scav (?P<gen>[0-9]+) (?P<work_kib>[0-9]+) KiB work, (?P<released_kib>[0-9]+) KiB total, "
        r"(?P<util_pct>[0-9]+)% util(?P<forced> \(forced\))?")),
    ("scav", "go1.19+", re.compile(
        r"scav (?P<work_bg_kib>[0-9]+) KiB work \(bg\), (?P<work_eager_kib>[0-9]+) KiB work \(eager\), "
        r"(?P<released_kib>[0-9]+) KiB now, (?P<util_pct>[0-9]+)% util(?P<forced> \(forced\))?(?P<reset> \[controller reset\])?")),
)
_EXTRA_RE = re.compile(r"GC forced|scan: (?:total|class) .*")


@dataclass
class GctraceLog:
    """A log read: the cycles (with their line numbers and run), the scavenger lines, what did not parse."""

    cycles: list[tuple[int, int, TraceCycle]] = field(default_factory=list)  #: (line number, run, cycle)
    scav: list[dict[str, Any]] = field(default_factory=list)  #: line, kind, versions and the fields
    extras: int = 0  #: ``GC forced`` and gctrace=2 ``scan:`` lines
    errors: list[tuple[int, str, str]] = field(default_factory=list)  #: (line number, line, why)
    lines: int = 0


def _read_scav(line: str) -> dict[str, Any] | None:
    for kind, versions, rx in SCAV_FORMATS:
        m = rx.fullmatch(line)
        if m is not None:
            d: dict[str, Any] = {"kind": kind, "versions": versions}
            for k, v in m.groupdict().items():
                d[k] = (v is not None) if k in ("forced", "reset") else (int(v) if v not in (None, "") else None)
            return d
    return None


#: where a gctrace line cut right after its first writes begins (``gc `` or ``gc 1``, then the program's text)
_GC_CUT_RE = re.compile(r"(?:^|(?<=\s))gc [0-9]*(?=[^0-9 @]|$)")


def _gc_line_start(line: str) -> re.Match | None:
    """Where a gctrace line, whole or cut by the program's output, starts in *line*."""
    return _GC_START_RE.search(line) or _GC_CUT_RE.search(line)


def _rejoin(line: str, following: str) -> TraceCycle | None:
    """A gctrace line the program's own output cut in two, or None.

    The runtime prints a gctrace line in many writes (``print`` in
    ``gcMarkTermination``); a write of the program's between two of them
    lands inside the line: ``gc 3 @0.002s 13%: 0.025+0.32+round 1 done`` then
    ``0.053 ms clock, …`` on the next line (seen in Go 1.27,
    tests/gctrace_logs/go1.27_interleaved.log), or right after its first
    writes: ``gc 1round 0 done`` then `` @0.000s 6%: …``.  Tried: the head of
    *line* up to each cut point, followed by the whole *following* line.
    """
    g = _gc_line_start(line)
    assert g is not None
    for cut in range(len(line), g.start(), -1):
        c = read_gctrace_line(line[:cut] + following)
        if c is not None and c.line.startswith(line[g.start():cut]):
            return c
    return None


def read_gctrace_log(text: str) -> GctraceLog:
    """Every runtime line of a gctrace log, by line number (1-based).

    A line is a cycle if :func:`read_gctrace_line` reads it; a scavenger or
    gctrace=2 line if it has one of the formats above.  A line that starts
    like one of them (``gc N @``, ``gcN(``, ``scvg…:``, ``scav ``) but
    does not parse is an error; any other line is the program's output.  The
    run number goes up when the cycle number does not (the service
    restarted into the same log).  A gctrace line the program's output cut
    in two is put back together (:func:`_rejoin`) and counted at its first line.
    """
    log = GctraceLog()
    run = 1
    lines = text.splitlines()
    joined_next = False
    for no, raw in enumerate(lines, 1):
        log.lines = no
        if joined_next:  # the rest of the line before, already read with it
            joined_next = False
            continue
        line = raw.rstrip("\r\n")
        c = read_gctrace_line(line)
        if c is None and no < len(lines) and _gc_line_start(line):
            c = _rejoin(line, lines[no].rstrip("\r\n"))
            joined_next = c is not None
        if c is not None:
            if log.cycles and c.n <= log.cycles[-1][2].n:
                run += 1
            log.cycles.append((no, run, c))
            continue
        stripped = line.strip()
        if _EXTRA_RE.fullmatch(stripped):
            log.extras += 1
            continue
        scav = _read_scav(stripped)
        if scav is not None:
            log.scav.append({"line": no, **scav})
            continue
        g = _GC_START_RE.search(line)
        if g is not None:
            why = ("the Go 1.4 and older format is not read" if line[g.end() - 1] == "("
                   else "not a gctrace line of any Go version from 1.5 to 1.27")
            log.errors.append((no, line, why))
        elif _SCV_START_RE.match(stripped):
            log.errors.append((no, line, "not a scavenger line of any Go version from 1.5 to 1.27"))
    return log
