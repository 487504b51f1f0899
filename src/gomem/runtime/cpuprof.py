"""The CPU profile over model time (Go: ``runtime/cpuprof.go``, ``proc.go``'s ``sigprof``).

Go's CPU profiler (``pprof.StartCPUProfile``: ``runtime.SetCPUProfileRate(100)``) arms a
per-thread CPU timer on every M (``setThreadCPUProfiler``: ``timer_create`` on the thread's CPU
clock) that raises SIGPROF every 10 ms of CPU time the thread consumed; the first expiry is
uniform in (0, 10 ms], so that a fraction of a period is sampled with that probability.  The
handler (``sigprof``) records the stack of whatever the thread runs -- a goroutine's frames with
the runtime's on top, or the system stack's (a GC worker's ``gcDrain`` under
``systemstack``) -- into the profile buffer, one record per signal; ``runtime/pprof`` later folds
identical stacks into one sample (``profMap``, in order of first appearance).

The model has no threads and no CPU clock: its time is the cost model's, charged to each P's
clock (``p.now``).  So the profile takes one sample in every :data:`PERIOD_NS` of **model CPU time
charged to each P**, and records the stack of what that P was charged for at that moment.  Each
sample falls at a point uniform in its period (the first, as Go's first expiry, in (0, period];
the k-th in ((k-1)·period, k·period]), drawn from the run's seed: the same run gives the same
samples.  Simplification, and why: Go's later expiries are exactly one period apart, and real
execution's timing noise keeps them from lining up with the program's loops; the model's costs
have no noise, so fixed intervals alias (a loop costing exactly 40 ns per iteration put every
10 µs sample on the same call).  The samples still count the CPU time exactly: after T ns of CPU
time a P has T // period samples, give or take the one of the period it is in.

The hook.  Every nanosecond the model charges is an assignment to a P's clock.  While a profile
is on, each P's class is swapped for a subclass whose ``now`` is a property (:func:`attach`);
its setter adds the increase to the P's CPU counter and, when the counter crosses the P's next
sample time, walks the Python stack of the code that made the charge.  The C fast paths of
:mod:`gomem.runtime.speedups` check the exact type of the P and hand every call to the Python
code while the class is swapped, so their charges go through the setter too.  With no profile,
nothing is swapped: the hook costs nothing at all.  With one, a run is slower (about 3x on
binary_trees.go: ``benchmarks/cpuprofile_overhead.py``), two thirds of it the C fast paths standing
aside, the rest the setter.

Which clock moves are CPU time (the setter asks which model function made the move):

* idle: ``Runtime._idle`` (a P waits for work, a timer, the collector) -- not CPU, as an idle
  M sleeps in the scheduler without a CPU timer running;
* ``Scheduler.stop_the_world``: the P's that stop first wait for the last one -- not CPU;
* ``Scheduler.start_the_world``: every clock jumps over the pause; only the P that ran the
  stop-the-world work (the ``p`` of the collector function that started the world, else
  ``rt.cur_p``) is charged -- the others are stopped.  The first ``cost.stw`` ns of the jump are
  ``runtime.stopTheWorldWithSema``, the rest the collector function itself (``runtime.gcStart``:
  finishsweep, root preparation; ``runtime.gcMarkTermination``: the last marking and gcSweep);
* the idle mark worker's "looked for work and found none" (``Collector._worker`` with kind
  ``idle``) -- not CPU;
* a clock set back (mark termination undoes the clock moves of its marking and charges the
  whole pause at once) takes back that much CPU time; the next sample time stays where it was, so
  the re-charged time is not sampled twice;
* everything else is CPU time of the P.

Stacks.  Each Python frame of the model's runtime that stands for Go runtime code contributes
the Go frames it stands for (:data:`_TABLE`: ``Goroutine.alloc`` is the size-specialized malloc
Go 1.27 would call, ``GCMark.assist`` is ``gcAssistAlloc`` → ``systemstack`` →
``gcAssistAlloc.func2`` → ``gcAssistAlloc1``, ``GCMark.drain`` is ``gcDrain`` or ``gcDrainN``
...); the generated code's frames are the program's, through :class:`gomem.runtime.symtab.Symtab`;
other Python frames (the model's own glue, the Python-implemented standard library) add nothing,
so fmt's work is charged to the program line that called it, as for the heap profile.  A GC
worker, the background sweeper and scavenger and ``forcegchelper`` are goroutines of their own:
their stacks end there (and in ``runtime.goexit``) even when the model runs them inside a
goroutine's allocation (``Runtime.schedule_inline``).  The scheduler's own charges (a goroutine
switch, timers) are on the system stack: ``runtime.mcall`` → ``runtime.park_m`` →
``runtime.schedule``.  Runtime functions get PCs in the program's symtab, with their files and
lines read from GOROOT's runtime source (:class:`RuntimeSource`).

Simplifications (said here once):

* a charge made in one lump is one stack: a mark worker's or an assist's quantum (``GCMark.drain``
  charges its whole quantum at its end) samples as ``runtime.gcDrain``/``gcDrainN``, never as the
  ``scanobject``/``greyobject``/``markroot`` inside it; a refill's price as
  ``(*mcache).refill``; the stop-the-world work as said above;
* Go's frames the model has no counterpart for are left out (``mallocgcSmallScanSlowPath``,
  ``(*mcentral).grow``, ``scanSpan``...); of the runtime's inlined calls only the mark workers'
  (``gcDrainMarkWorkerDedicated`` ... into ``gcBgMarkWorker.func2``, :data:`_INLINED`) are inline
  frames, as in a real profile;
* a runtime frame's line is the line that calls the next frame (found in the source), the leaf's
  the function's declaration; profiler labels (``pprof.Do``) are not recorded: the model's
  goroutines carry none;
* the stop-the-world mark modes (``stw``, ``go1.3``) set every clock to the end of a parallel
  mark; each P is charged its part with the initiating goroutine's stack.
"""

from __future__ import annotations

import os
import random
import re
import sys
from functools import lru_cache

from .sched import P
from .symtab import Symtab, goroot

#: ``runtime/pprof``'s rate: samples per second of CPU time (``hz`` in ``StartCPUProfile``)
DEFAULT_HZ = 100
#: the period of the default rate, ns (profile.proto's ``period``)
PERIOD_NS = 1_000_000_000 // DEFAULT_HZ
#: the deepest stack a CPU sample records (cpuprof.go ``maxCPUProfStack``): the outermost frames are cut
MAX_CPU_PROF_STACK = 64

_NOW = P.__dict__["now"]  # the slot's member descriptor
_get_now = _NOW.__get__
_set_now = _NOW.__set__


# --- GOROOT's runtime source: where each runtime function is -----------------------------------


class RuntimeSource:
    """Declarations and call sites of runtime functions, read from ``$GOROOT/src/runtime``.

    ``lookup(name)`` is (file, declaration line) of a Go name as pprof prints it:
    ``runtime.gcDrain``, ``runtime.(*mcache).refill``, a closure ``runtime.gcBgMarkWorker.func2``
    (the 2nd function literal in its body), an assembly function (``runtime.systemstack``,
    ``gcWriteBarrier``: asm_amd64.s); ``call_line(caller, callee)`` the first line of the caller's
    body that calls the callee.  Unknown names (no source installed) give line 0.
    """

    def __init__(self, root: str | None = None) -> None:
        self.dir = os.path.join(root or goroot(), "src", "runtime")
        self._decls: dict[str, tuple[str, int]] | None = None
        self._lines: dict[str, list[str]] = {}

    def _index(self) -> dict[str, tuple[str, int]]:
        if self._decls is not None:
            return self._decls
        decls: dict[str, tuple[str, int]] = {}
        func_re = re.compile(r"^func (?:\(\w+ (\*?)(\w+)(?:\[[^\]]*\])?\) )?(\w+)[\[(]")
        text_re = re.compile(r"^TEXT (?:runtime·)?(\w+)(<>)?(?:<ABIInternal>)?\(SB\)")
        try:
            names = sorted(os.listdir(self.dir))
        except OSError:
            names = []
        for fn in names:
            path = os.path.join(self.dir, fn)
            if fn.endswith("_test.go") or not (fn.endswith(".go") or fn == "asm_amd64.s"):
                continue
            if fn.endswith(".go") and not _builds_on_linux_amd64(fn):
                continue
            lines = self._read(path)
            for i, line in enumerate(lines, 1):
                if fn.endswith(".s"):
                    m = text_re.match(line)
                    if m:
                        name = m.group(1) if m.group(2) else "runtime." + m.group(1)
                        decls.setdefault(name, (path, i))
                    continue
                if not line.startswith("func "):
                    continue
                m = func_re.match(line)
                if not m:
                    continue
                star, recv, fname = m.groups()
                name = f"runtime.({star}{recv}).{fname}" if star else (
                    f"runtime.{recv}.{fname}" if recv else f"runtime.{fname}")
                decls.setdefault(name, (path, i))
        self._decls = decls
        return decls

    def _read(self, path: str) -> list[str]:
        lines = self._lines.get(path)
        if lines is None:
            try:
                with open(path, encoding="utf-8") as f:
                    lines = f.read().split("\n")
            except OSError:
                lines = []
            self._lines[path] = lines
        return lines

    def lookup(self, name: str) -> tuple[str, int]:
        """(file, declaration line) of *name*; ("", 0) if not found."""
        decls = self._index()
        got = decls.get(name)
        if got is not None:
            return got
        m = re.match(r"^(.*)\.func(\d+)$", name)
        if m:
            file, line = self.lookup(m.group(1))
            if line:
                body = self._body(file, line)
                n = int(m.group(2))
                for k, text in body:
                    if k != line and re.search(r"\bfunc\(", text):
                        n -= 1
                        if n == 0:
                            return file, k
        return "", 0

    def _body(self, file: str, line: int) -> list[tuple[int, str]]:
        """The lines of the function declared at *file*:*line*, to its closing brace (column 0)."""
        lines = self._read(file)
        out = []
        for k in range(line, len(lines) + 1):
            text = lines[k - 1]
            out.append((k, text))
            if k > line and (text.startswith("}") or (file.endswith(".s") and text.startswith("TEXT"))):
                break
        return out

    def call_line(self, caller: str, callee: str, after: str = "") -> int:
        """The line in *caller*'s body that calls *callee* (its declaration line if none does).
        A call of ``runtime.systemstack`` running the closure *after* is that closure's line."""
        file, line = self.lookup(caller)
        if not line:
            return 0
        if callee == "runtime.systemstack" and after.startswith(caller + ".func"):
            f2, l2 = self.lookup(after)
            if l2:
                return l2
        short = callee.rsplit(".", 1)[-1]
        if file.endswith(".s"):
            pat = re.compile(r"\bCALL\b")
        elif callee.startswith(caller + ".func"):
            pat = re.compile(r"\bfunc\(")
        else:
            pat = re.compile(r"(?<![\w])" + re.escape(short) + r"\(")
        for k, text in self._body(file, line):
            code = text.split("//", 1)[0]
            if k != line and pat.search(code):
                return k
        return line


_GOOS_SUFFIX = re.compile(r"_(aix|android|darwin|dragonfly|freebsd|illumos|ios|js|netbsd|openbsd|plan9|solaris|"
                          r"wasip1|windows|wasm|386|arm|arm64|loong64|mips|mipsle|mips64|mips64le|ppc64|ppc64le|"
                          r"riscv64|s390x)(_\w+)?\.go$")


def _builds_on_linux_amd64(fn: str) -> bool:
    """Roughly the go command's file-name rule: skip files for other systems and architectures."""
    return not _GOOS_SUFFIX.search(fn)


@lru_cache(maxsize=4)
def runtime_source(root: str) -> RuntimeSource:
    return RuntimeSource(root)


# --- which Go frames each Python frame of the model stands for ---------------------------------

#: kinds of table entries
_FRAMES, _GOROUTINE, _G0 = 0, 1, 2
#: the system stack of the scheduler (a goroutine switch, timers): mcall into park_m, then schedule
_SCHED = ("runtime.mcall", "runtime.park_m", "runtime.schedule")


@lru_cache(maxsize=1)
def _malloc_tables(root: str) -> tuple[list[str], list[str]]:
    """Go 1.27's size-specialized mallocs, by size (``mallocScanTable``, ``mallocNoScanTable`` of
    malloc_tables_generated.go); empty if the source is not there."""
    path = os.path.join(root, "src", "runtime", "malloc_tables_generated.go")
    try:
        text = open(path, encoding="utf-8").read()
    except OSError:
        return [], []
    out = []
    for table in ("mallocScanTable", "mallocNoScanTable"):
        m = re.search(table + r" = \[\d+\]func\([^)]*\) unsafe\.Pointer\{(.*?)\}", text, re.S)
        out.append([n.strip() for n in m.group(1).split(",") if n.strip()] if m else [])
    return out[0], out[1]


def malloc_frames(size: int, noscan: bool, compiled_new: bool) -> tuple[str, ...]:
    """The Go frames of an allocation of *size* bytes (Go 1.27, ``mallocgc``): below 81 bytes the
    size-specialized functions -- which the compiler calls directly for ``new(T)`` (*compiled_new*),
    and ``mallocgc`` dispatches to otherwise (tiny noscan objects: ``mallocgcTinySC2``); above, ``mallocgc``
    and its small-noscan, small-scan (with or without a malloc header) or large path."""
    scan_t, noscan_t = _malloc_tables(goroot())
    if size == 0:
        return ("runtime.mallocgc",)
    if size < len(noscan_t) and scan_t:
        if noscan:
            name = noscan_t[size] if size >= 16 else "mallocgcTinySC2"
        else:
            name = scan_t[size]
        leaf = "runtime." + name
        return (leaf,) if compiled_new else ("runtime.mallocgc", leaf)
    head = ("runtime.newobject", "runtime.mallocgc") if compiled_new else ("runtime.mallocgc",)
    if size > 32768:
        return head + ("runtime.mallocgcLarge",)
    if noscan:
        return head + ("runtime.mallocgcSmallNoscan",)
    if size <= 512 - 8:
        return head + ("runtime.mallocgcSmallScanNoHeader",)
    return head + ("runtime.mallocgcSmallScanHeader",)


def _alloc(frame, inner) -> tuple[str, ...]:
    loc = frame.f_locals
    size = loc.get("size", 0)
    typ = loc.get("typ")
    return malloc_frames(size, typ is None or not getattr(typ, "ptrdata", 0), False)


def _new(frame, inner) -> tuple[str, ...]:
    if inner is not None and inner.co_qualname == "Goroutine.alloc":
        return ()  # the memprofile's path: Goroutine.alloc says it
    typ = frame.f_locals.get("typ")
    size = getattr(typ, "size", 0)
    return malloc_frames(size, not getattr(typ, "ptrdata", 0), True)


def _worker(frame, inner) -> tuple[str, ...]:
    if inner is None or inner.co_qualname != "GCMark.drain":
        return ("runtime.gcBgMarkWorker",)  # gcMarkDone after the drain, or looking for work
    kind = frame.f_locals.get("kind", "dedicated")
    mode = {"dedicated": "Dedicated", "fractional": "Fractional", "idle": "Idle"}.get(kind, "Dedicated")
    return ("runtime.gcBgMarkWorker", "runtime.systemstack", "runtime.gcBgMarkWorker.func2",
            f"runtime.gcDrainMarkWorker{mode}")


def _drain(frame, inner) -> tuple[str, ...]:
    back = frame.f_back
    if back is not None and back.f_code.co_qualname == "GCMark.assist":
        return ("runtime.gcDrainN",)
    return ("runtime.gcDrain",)


def _assist(frame, inner) -> tuple[str, ...]:
    if inner is not None and inner.co_qualname == "GCMark.drain":
        return ("runtime.gcAssistAlloc", "runtime.systemstack", "runtime.gcAssistAlloc.func2",
                "runtime.gcAssistAlloc1")
    return ("runtime.gcAssistAlloc",)


def _trigger(frame, inner) -> tuple[str, ...]:
    if inner is not None and inner.co_qualname == "Collector.start":
        return ()  # mallocgc's tail starts the cycle
    refill = ("runtime.(*mcache).nextFree", "runtime.(*mcache).refill")
    if inner is not None and inner.co_qualname == "GCSweep._charge_sweeping":
        return refill + ("runtime.(*mcentral).cacheSpan", "runtime.deductSweepCredit")
    return refill


def _barrier(frame, inner) -> tuple[str, ...]:
    return ("gcWriteBarrier",)


#: the runtime functions Go 1.27's compiler inlines into their callers on the stacks above (shown
#: ``(inline)``: gcBgMarkWorker.func2's call of its mode's drain)
_INLINED = frozenset({"runtime.gcDrainMarkWorkerDedicated", "runtime.gcDrainMarkWorkerFractional",
                      "runtime.gcDrainMarkWorkerIdle"})

_WBFLUSH = ("runtime.wbBufFlush", "runtime.systemstack", "runtime.wbBufFlush.func1", "runtime.wbBufFlush1")

#: (module, qualname) -> (kind, frames or a function of (frame, inner code) giving them)
_TABLE: dict[tuple[str, str], tuple[int, object]] = {
    ("runtime", "Goroutine.alloc"): (_FRAMES, _alloc),
    ("runtime", "Goroutine.go"): (_FRAMES, ("runtime.newproc",)),
    ("runtime", "Runtime._run_step"): (_G0, _SCHED),
    ("runtime", "Runtime.schedule_inline"): (_G0, _SCHED),
    ("runtime", "Runtime.run"): (_G0, _SCHED),
    ("proc", "GeneratedGoroutine.new"): (_FRAMES, _new),
    ("proc", "Procs.newproc"): (_FRAMES, ("runtime.newproc", "runtime.systemstack", "runtime.newproc.func1",
                                          "runtime.newproc1")),
    ("proc", "gosched"): (_G0, ("runtime.mcall", "runtime.gosched_m", "runtime.goschedImpl", "runtime.schedule")),
    ("mgc", "Collector.on_trigger_point"): (_FRAMES, _trigger),
    ("mgc", "Collector.start"): (_FRAMES, ("runtime.gcStart",)),
    ("mgc", "Collector._worker"): (_GOROUTINE, _worker),
    ("mgc", "Collector.mark_done"): (_FRAMES, ("runtime.gcMarkDone",)),
    ("mgc", "Collector.mark_termination"): (_FRAMES, ("runtime.gcMarkTermination",)),
    ("mgc", "Collector.user_gc"): (_FRAMES, ("runtime.GC",)),
    ("mgc", "Collector._scavenge_assist"): (_FRAMES, ("runtime.(*mheap).allocSpan", "runtime.(*pageAlloc).scavenge")),
    ("mgcmark", "GCMark.drain"): (_FRAMES, _drain),
    ("mgcmark", "GCMark.assist"): (_FRAMES, _assist),
    ("mgcmark", "GCMark.mark_all"): (_FRAMES, ("runtime.gcMark",)),
    ("mgcsweep", "GCSweep._charge_sweeping"): (_FRAMES, ("runtime.sweepone", "runtime.(*sweepLocked).sweep")),
    ("mgcsweep", "GCSweep.bg_sweep"): (_GOROUTINE, ("runtime.bgsweep",)),
    ("mbarrier", "WriteBarrier.store"): (_FRAMES, _barrier),
    ("mbarrier", "WriteBarrier.flush"): (_FRAMES, _WBFLUSH),
    ("mbarrier", "WriteBarrier.bulk"): (_FRAMES, ("runtime.bulkBarrierPreWrite",)),
    ("mgcscavenge", "Scavenger.run_bg"): (_GOROUTINE, ("runtime.bgscavenge", "runtime.(*scavengerState).run")),
    ("time", "Timers.run"): (_G0, _SCHED + ("runtime.findRunnable", "runtime.(*timers).check", "runtime.(*timers).run")),
    ("sched", "sysmon"): (_GOROUTINE, ("runtime.forcegchelper",)),
    ("support", "make_helpers.<locals>.makeslice"): (_FRAMES, ("runtime.makeslice",)),
    ("support", "make_helpers.<locals>.growslice"): (_FRAMES, ("runtime.growslice",)),
    ("support", "make_helpers.<locals>.rawstring"): (_FRAMES, ("runtime.rawstring",)),
    ("support", "make_helpers.<locals>.concat"): (_FRAMES, ("runtime.concatstrings",)),
    ("support", "make_helpers.<locals>.bytes_to_string"): (_FRAMES, ("runtime.slicebytetostring",)),
    ("support", "make_helpers.<locals>.string_to_bytes"): (_FRAMES, ("runtime.stringtoslicebyte",)),
    ("support", "make_helpers.<locals>.typedmemmove_ptrs"): (_FRAMES, ("runtime.typedmemmove",)),
}


def _table_by_file() -> dict[tuple[str, str], tuple[int, object]]:
    """:data:`_TABLE` keyed by (the module's ``co_filename``, qualname)."""
    here = os.path.dirname(os.path.abspath(__file__))
    return {(os.path.join(here, mod + ".py"), qual): v for (mod, qual), v in _TABLE.items()}


# --- the profile -----------------------------------------------------------------------------------


class CPUProfile:
    """The samples of one run: per P its CPU counter and next sample time; the stacks, counted.

    :attr:`samples` maps a stack (return PCs, leaf first, as ``runtime.Callers`` gives them) to its
    count, in order of first appearance (Go's ``profMap``).  :attr:`cpu_ns` per P is the model CPU
    time charged to it while the profile was on.
    """

    def __init__(self, rt, symtab: Symtab, hz: int = DEFAULT_HZ, seed: int = 0) -> None:
        if hz <= 0:
            raise ValueError("the CPU profile rate must be positive")
        self.rt = rt
        self.symtab = symtab
        self.hz = hz
        self.period = 1_000_000_000 // hz
        procs = len(rt.sched.ps)
        self._rng = rng = random.Random(seed ^ 0x637075)  # "cpu"
        #: per P: CPU ns charged so far; the start of the period its next sample is in, and that sample's
        #: CPU time, uniform in (start, start + period] (see the module docstring)
        self.cpu_ns = [0] * procs
        self.base = [0] * procs
        self.next_at = [1 + rng.randrange(self.period) for _ in range(procs)]
        self.samples: dict[tuple[int, ...], int] = {}
        self.start_ns = rt.sched.now
        self.end_ns: int | None = None
        self.source = runtime_source(goroot())
        self._table = _table_by_file()
        self._classes: list[tuple[P, type]] = []
        self._start_code = None
        self.unknown = 0  # samples whose stack had no frame the profile knows (fallback: the scheduler's)

    # -- the hook -------------------------------------------------------------------------------------

    def _make_class(self) -> type:
        from .mgc import Collector
        from .runtime import Runtime
        from .sched import Scheduler

        idle = Runtime._idle.__code__
        stop = Scheduler.stop_the_world.__code__
        start = self._start_code = Scheduler.start_the_world.__code__
        worker = Collector._worker.__code__
        cpu = self.cpu_ns
        nxt = self.next_at
        getframe = sys._getframe
        prof = self

        def fset(p, t):
            old = _get_now(p)
            _set_now(p, t)
            d = t - old
            if not d:
                return
            f = getframe(1)
            co = f.f_code
            if co is idle or co is stop:
                return
            if co is start:
                if p is not prof._stw_p(f):
                    return
            elif co is worker and d > 0 and f.f_locals.get("kind") == "idle":
                return
            i = p.id
            c = cpu[i] + d
            cpu[i] = c
            if c >= nxt[i]:
                prof._crossed(p, f, c, d)

        # reads go straight to the slot (the member descriptor's own __get__, no Python frame)
        return type("ProfiledP", (P,), {"__slots__": (), "now": property(_get_now, fset)})

    def _stw_p(self, f) -> P:
        """The P that ran the stop-the-world work *f* (start_the_world's frame) ends."""
        back = f.f_back
        if back is not None:
            p = back.f_locals.get("p")
            if isinstance(p, P):
                return p
        return self.rt.cur_p

    def start(self) -> None:
        cls = self._make_class()
        for p in self.rt.sched.ps:
            self._classes.append((p, type(p)))
            p.__class__ = cls

    def stop(self) -> None:
        """Stop sampling: the P's get their own class back."""
        if self.end_ns is None:
            self.end_ns = self.rt.sched.now
        for p, cls in self._classes:
            p.__class__ = cls
        self._classes.clear()

    # -- one sample --------------------------------------------------------------------------------

    def _crossed(self, p: P, f, c: int, d: int) -> None:
        """The charge of *d* ns by frame *f* took *p*'s CPU counter to *c*, past its next sample time: take
        every sample it passed, each next one at a random point of the period after the last's."""
        i = p.id
        period = self.period
        rand = self._rng.randrange
        offsets = []
        while c >= self.next_at[i]:
            offsets.append(self.next_at[i] - (c - d))
            self.base[i] += period
            self.next_at[i] = self.base[i] + 1 + rand(period)
        self._record(p, f, offsets)

    def _record(self, p: P, f, offsets: list[int]) -> None:
        """Samples of a charge made by frame *f* to *p*, at *offsets* ns into it."""
        n = len(offsets)
        if f.f_code is self._start_code:
            # the pause: stopTheWorldWithSema first, then the collector function's own work
            cost = self.rt.cost.stw
            head = sum(1 for off in offsets if off < cost)
            if head:
                self._add(self.stack(p, f.f_back, ("runtime.stopTheWorldWithSema",)), head)
            if n - head:
                self._add(self.stack(p, f.f_back), n - head)
            return
        self._add(self.stack(p, f), n)

    def _add(self, stk: tuple[int, ...], n: int) -> None:
        self.samples[stk] = self.samples.get(stk, 0) + n

    def stack(self, p: P, frame, leaf: tuple[str, ...] = ()) -> tuple[int, ...]:
        """The return PCs of what *p* is charged for at Python frame *frame* (the charging code), leaf first."""
        symtab = self.symtab
        filename = symtab.filename
        table = self._table
        go: list[tuple[str, ...] | int] = []  # per frame, leaf first: Go runtime names, or a program PC
        if leaf:
            go.append(tuple(reversed(leaf)))
        inner = None
        bottom: tuple[str, ...] = ()
        ended = False
        n = len(leaf)
        while frame is not None:
            if n >= MAX_CPU_PROF_STACK:
                ended = True  # cut: the outermost frames are lost, as in Go
                break
            code = frame.f_code
            if code.co_filename == filename:
                fn = symtab.func_at_line(frame.f_lineno)
                if fn is not None:
                    go.append(symtab.return_pc(fn, frame.f_lineno))
                    n += 1
            else:
                entry = table.get((code.co_filename, code.co_qualname))
                if entry is not None:
                    kind, frames = entry
                    names = frames(frame, inner) if callable(frames) else frames
                    if names:
                        go.append(tuple(reversed(names)))
                        n += len(names)
                    if kind != _FRAMES:
                        ended = True
                        if kind == _GOROUTINE:
                            bottom = ("runtime.goexit",)
                        break
            inner = code
            frame = frame.f_back
        if not ended:
            g = p.g
            if g is not None:
                bottom = (("runtime.main",) if g is self.rt.main else ()) + ("runtime.goexit",)
            elif not go:
                self.unknown += 1
                go.append(tuple(reversed(_SCHED)))
        if bottom:
            go.append(tuple(reversed(bottom)))
        return self._pcs(go)

    def _pcs(self, go: list) -> tuple[int, ...]:
        """PCs for a stack of program PCs and runtime names (leaf first); a runtime frame's PC is at the
        line that calls the frame inside it (the leaf's: its declaration)."""
        names: list[str | int] = []
        for x in go:
            if isinstance(x, int):
                names.append(x)
            else:
                names.extend(x)
        symtab = self.symtab
        src = self.source
        pcs: list[int] = []
        callee: str | int | None = None
        callee2: str | int | None = None
        inlined: list[tuple] = []  # frames inlined into the next physical one, leaf first
        for x in names:
            if isinstance(x, int):
                pcs.append(x)
            else:
                if x == "runtime.main":
                    pcs.append(symtab.main_return)
                elif x == "runtime.goexit":
                    pcs.append(symtab.goexit_return)
                else:
                    file, decl = src.lookup(x)
                    line = decl
                    if isinstance(callee, str):
                        line = src.call_line(x, callee, callee2 if isinstance(callee2, str) else "")
                    if x in _INLINED:
                        inlined.append((x, file, line, decl))
                    else:
                        fn = symtab.runtime_func(x, file, decl)
                        pcs.append(symtab.runtime_pc(fn, line, tuple(inlined)))
                        inlined = []
            callee2, callee = callee, x
            if len(pcs) >= MAX_CPU_PROF_STACK:
                break
        return tuple(pcs)

    # -- reading ------------------------------------------------------------------------------------

    @property
    def total(self) -> int:
        """Samples taken."""
        return sum(self.samples.values())

    def duration_ns(self) -> int:
        end = self.end_ns if self.end_ns is not None else self.rt.sched.now
        return end - self.start_ns

    def proto(self) -> bytes:
        """The gzipped profile.proto ``StopCPUProfile`` has written (:func:`gomem.std.pprof.write_cpu_proto`).
        Time and duration are model time (the start since the model's epoch, as the heap profile's)."""
        from ..std import pprof
        from ..std.support_time import MODEL_EPOCH_UNIX

        return pprof.write_cpu_proto(list(self.samples.items()), self.period, self.symtab,
                                     MODEL_EPOCH_UNIX * 1_000_000_000 + self.start_ns, self.duration_ns())


def attach(rt, symtab: Symtab, hz: int = DEFAULT_HZ, seed: int = 0) -> CPUProfile:
    """Profile *rt*'s model CPU time from now on (``pprof.StartCPUProfile``); :meth:`CPUProfile.stop` ends it."""
    prof = CPUProfile(rt, symtab, hz, seed)
    rt.cpuprof = prof
    prof.start()
    return prof
