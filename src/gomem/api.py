"""The Python API: run a workload or a Go program on the model and read what happened.

:func:`run` is the one place that assembles a :class:`~gomem.runtime.runtime.Runtime`
for a run; ``gomem run`` and the gomem side of ``gomem vs-go`` both call it.
In a notebook::

    import gomem
    r = gomem.run("binary-trees", params={"depth": 12}, gogc=50)
    print(r.memstats["NumGC"], r.memstats["HeapAlloc"])
    print(r.cycles[-1]["gctrace"])
    print(max(p["ns"] for p in r.pauses), r.stdout.splitlines()[0])

*program* is a built-in workload's name (``gomem workloads`` lists them) or
the path of a Go program (a ``.go`` file, or a directory holding one
``package main`` file), compiled with :func:`gomem.compile.program.load`; its
``os.Args[1:]`` are *args*.  The program's stdout is captured into
:attr:`RunResult.stdout` (and also written to *stdout* if that is given).

A run that fails (out of memory, a lost object under checkmark, a Go panic,
``os.Exit``, the *timeout*) raises the error, with the partial
:class:`RunResult` as its ``result`` attribute; ``check=False`` returns the
result instead, its :attr:`RunResult.error` set.
"""

from __future__ import annotations

import ctypes
import io
import os
import threading
import time
from contextlib import nullcontext
from dataclasses import dataclass, field
from typing import Any, Callable, ContextManager, Mapping, Sequence, TextIO

from .compile import program as gorun
from . import workloads
from .errors import BadInput, GomemError
from .runtime.mbarrier import DEFAULT_MODE, MODES
from .runtime.mgcpacer import parse_gogc, parse_gomemlimit
from .runtime import metrics as runtime_metrics
from .runtime.mstats import MemStats
from .runtime.sched import CostModel
from .runtime.trace import gctrace_line

__all__ = ["RunResult", "RunTimeout", "run"]

#: GOMEMLIMIT off (math.MaxInt64), as the runtime takes it
NO_LIMIT = (1 << 63) - 1


class RunTimeout(GomemError):
    """The run took longer than its *timeout* in wall-clock seconds and was stopped."""

    exit_status = 2


@dataclass(repr=False)
class RunResult:
    """What a run produced; see :func:`run`.

    ``memstats``: ``runtime.ReadMemStats`` at the end, Go's field names
    (``PauseNs``/``PauseEnd`` are Go's 256-entry rings); ``cycles``: one dict
    per completed GC cycle (:class:`~gomem.runtime.trace.CycleRecord`'s fields —
    model ns and bytes — plus ``gctrace``, the cycle's ``GODEBUG=gctrace=1``
    line); ``pauses``: every stop-the-world pause (``cycle``, ``phase``,
    ``start_ns``, ``ns``); ``stdout``: what the program printed; ``runtime``:
    the :class:`~gomem.runtime.runtime.Runtime`, for inspection.
    """

    program: str
    params: dict[str, Any]
    memstats: dict[str, Any] | None
    cycles: list[dict[str, Any]]
    pauses: list[dict[str, Any]]
    stdout: str
    runtime: Any
    #: the program's output lines (a workload's result, or stdout split into lines)
    output: list[str] = field(default_factory=list)
    #: the run summary (:class:`gomem.cmd.report.Summary`), None if the run failed before it could be read
    summary: Any = None
    #: MemStats as the :class:`~gomem.runtime.mstats.MemStats` object (``.format()`` prints Go's fields)
    mstats: MemStats | None = None
    wall_seconds: float = 0.0
    #: the error the run stopped with, or None
    error: GomemError | None = None
    #: the workload run (a built-in one, or the Go program as a workload)
    workload: Any = None
    #: the compiled Go program, None for a built-in workload
    go_program: Any = None
    #: runtime/metrics at the end, read with MemStats (:func:`gomem.runtime.metrics.as_json`: name -> kind, value)
    metrics: dict[str, dict[str, Any]] | None = None

    @property
    def ok(self) -> bool:
        return self.error is None

    def __repr__(self) -> str:  # a notebook shows this: short, not the whole heap
        params = " ".join(f"{k}={v}" for k, v in self.params.items())
        state = "ok" if self.error is None else f"{type(self.error).__name__}: {self.error}"
        numgc = self.memstats["NumGC"] if self.memstats is not None else len(self.cycles)
        return (f"<RunResult {self.program}{' ' + params if params else ''}: {numgc} GC cycles, "
                f"{len(self.pauses)} pauses, {len(self.output)} output lines, {state}>")


class _ProgramOut:
    """A Go program's stdout: kept in a buffer, and written on to *stream* as it is printed, if given.

    Generated code writes bytes to ``out.buffer`` (see ``gorun.program``), so
    this object is its own ``buffer``.
    """

    def __init__(self, stream: TextIO | None) -> None:
        self.captured = io.BytesIO()
        self.stream = stream
        self.buffer = self

    def write(self, data: bytes) -> None:
        self.captured.write(data)
        s = self.stream
        if s is None:
            return
        raw = getattr(s, "buffer", None)
        if raw is not None:
            s.flush()
            raw.write(data)
            raw.flush()
        else:
            s.write(data.decode("utf-8", "surrogateescape"))

    def flush(self) -> None:
        pass

    def text(self) -> str:
        return self.captured.getvalue().decode("utf-8", "replace")


def _cost_model(cost: CostModel | Mapping[str, int] | Sequence[str] | None) -> CostModel:
    if cost is None:
        return CostModel()
    if isinstance(cost, CostModel):
        return cost
    if isinstance(cost, Mapping):
        return CostModel().override([f"{k}={v}" for k, v in cost.items()])
    return CostModel().override(list(cost))


def _params(w, params: Mapping[str, Any] | Sequence[str] | None) -> dict[str, Any]:
    if params is None:
        return w.resolve([])
    if isinstance(params, Mapping):
        return w.resolve([f"{k}={v}" for k, v in params.items()])
    return w.resolve(list(params))


def _with_final_gc(main: Callable) -> Callable:
    """The main goroutine: the workload, then ``runtime.GC()``."""

    def final(g, params):
        result = yield from main(g, params)
        yield from g.gc()
        return result

    final.__name__ = getattr(main, "__name__", "main")
    return final


class _Watchdog:
    """Stops the run in the calling thread after *seconds* of wall time (raises :class:`RunTimeout` there).

    The exception is delivered asynchronously (``PyThreadState_SetAsyncExc``)
    and raised again every :data:`REFIRE` seconds until the run is over, in
    case a ``try`` in the model swallowed it.
    """

    REFIRE = 0.5

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self._done = False
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._tid = threading.get_ident()
        self._thread: threading.Thread | None = None

    def __enter__(self) -> _Watchdog:
        if self.seconds is not None:
            self._thread = threading.Thread(target=self._loop, name="gomem-timeout", daemon=True)
            self._thread.start()
        return self

    def _loop(self) -> None:
        wait = self.seconds
        while not self._stop.wait(wait):
            with self._lock:
                if self._done:
                    return
                ctypes.pythonapi.PyThreadState_SetAsyncExc(ctypes.c_ulong(self._tid), ctypes.py_object(RunTimeout))
            wait = self.REFIRE

    def finish(self) -> None:
        """Call inside the guarded block, as its last statement: no timeout can arrive after it."""
        with self._lock:
            self._done = True

    def __exit__(self, *exc) -> None:
        self.finish()
        self._stop.set()
        if self._thread is not None:
            self._thread.join()


@dataclass
class _Job:
    """What :func:`run` runs: the workload, its resolved parameters, the main goroutine's body and,
    for a Go program (a user's, or a built-in workload's), the compiled program and its stdout."""

    workload: Any
    params: dict[str, Any]
    main: Callable
    go_program: Any = None
    out: Any = None

    @classmethod
    def prepare(cls, program, params, args: Sequence[str], seed: int, stdout: TextIO | None) -> _Job:
        """Compile or look up *program*; BadInput (one line) for a bad name, parameter or argument.  A
        :class:`~gomem.compile.program.GoProgram` already compiled (``gomem.compile.program.load``) runs as it
        is: a run starts from its package initialisation, so one compilation serves many runs."""
        compiled = isinstance(program, gorun.GoProgram)
        if not compiled:
            program = os.fspath(program)
        if compiled or gorun.is_program(program):
            if params:
                raise BadInput("params are for built-in workloads; give a Go program its arguments as args")
            return cls._go(program if compiled else gorun.load(program), [str(a) for a in args], stdout, None, {})
        if args:
            raise BadInput(f"unexpected arguments {' '.join(map(str, args))!r}: only a Go program takes args")
        w = workloads.get(program)
        resolved = _params(w, params)
        if w.go_source is not None:  # a built-in workload that is a Go program: its parameters are its flags
            return cls._go(gorun.load(str(w.go_path)), w.go_args(resolved, seed), stdout, w, resolved)
        return cls(w, resolved, w.main)

    @classmethod
    def _go(cls, prog, argv: list[str], stdout: TextIO | None, w, resolved: dict[str, Any]) -> _Job:
        prog.args = argv
        prog.out = _ProgramOut(stdout)
        return cls(w if w is not None else prog.workload(), resolved, prog.main, prog, prog.out)

    def result(self, rt, g, failure: GomemError | None, wall: float, stdout: TextIO | None) -> RunResult:
        """The run's :class:`RunResult` (figures up to the failure, None where the heap could not be read)."""
        from .cmd import report

        ms = summary = metrics = None
        try:
            ms = report.memstats(rt)
            metrics = runtime_metrics.as_json(runtime_metrics.read(rt))
            summary = report.summarize(rt, wall, ms)
        except Exception:
            # a failed run may have left the heap mid-cycle: reading it must not mask the error
            if failure is None:
                raise
        if self.go_program is not None:
            text = self.out.text()
            output = text.splitlines()
        else:
            output = list(((g.result if g is not None else None) or {}).get("output", []))
            text = "".join(line + "\n" for line in output)
            if stdout is not None:
                stdout.write(text)
        memstats = None
        if ms is not None:
            memstats = ms.as_dict()
            memstats["PauseNs"] = list(ms.PauseNs)
            memstats["PauseEnd"] = list(ms.PauseEnd)
        return RunResult(
            program=self.workload.name,
            params=self.params,
            memstats=memstats,
            cycles=[{**c.as_dict(), "gctrace": gctrace_line(c)} for c in rt.gc.records],
            pauses=[{"cycle": n, "phase": ph, "start_ns": s, "ns": d} for n, ph, s, d in rt.gc.pauses],
            stdout=text,
            runtime=rt,
            output=output,
            summary=summary,
            mstats=ms,
            wall_seconds=wall,
            error=failure,
            workload=self.workload,
            go_program=self.go_program,
            metrics=metrics,
        )


def _execute(rt, main: Callable, job: _Job, timeout: float | None, progress) -> tuple[Any, GomemError | None, float]:
    """Run *main* on *rt* under the wall-clock *timeout*; (main goroutine, the error it stopped with, wall s)."""
    from .cmd import report

    failure: GomemError | None = None
    g = None
    t0 = time.perf_counter()
    watchdog = _Watchdog(timeout)
    try:
        with watchdog:
            ctx = progress(rt, job.workload.name) if progress is not None else nullcontext()
            builtin = job.go_program is None or job.workload.go_source is not None
            if builtin and hasattr(ctx, "expect"):  # a progress line that can show percent done (runopts.Progress)
                ctx.expect(workloads.expected_alloc_bytes(job.workload.name, job.params))
            with ctx:
                g = rt.run(main, job.params)
            watchdog.finish()
    except RunTimeout:
        failure = RunTimeout(
            f"timed out after {timeout:g} s of wall time: stopped at model time "
            f"{report.fmt_duration(rt.now)} after {rt.gc.numgc} GC cycle{'' if rt.gc.numgc == 1 else 's'}"
        )
    except GomemError as e:
        failure = e
    return g, failure, time.perf_counter() - t0


def run(
    program: str | os.PathLike | gorun.GoProgram = "binary-trees",
    *,
    gc: str = DEFAULT_MODE,
    gogc: int | str = 100,
    memory_limit: int | str | None = None,
    procs: int = 1,
    seed: int = 1,
    params: Mapping[str, Any] | Sequence[str] | None = None,
    args: Sequence[str] = (),
    cost: CostModel | Mapping[str, int] | Sequence[str] | None = None,
    policy: str = "rr",
    layout: str = "greentea",
    checkmark: bool = False,
    clobberfree: bool = False,
    max_heap: int | None = None,
    final_gc: bool = False,
    timeout: float | None = None,
    gctrace: Callable[[str], Any] | None = None,
    gcpacertrace: Callable[[str], Any] | None = None,
    scavtrace: Callable[[str], Any] | None = None,
    stdout: TextIO | None = None,
    progress: Callable[[Any, str], ContextManager] | None = None,
    check: bool = True,
    timeline: bool = False,
    memprofile: bool = False,
    memprofilerate: int | None = None,
    cpuprofile: bool = False,
    cpuprofilerate: int | None = None,
) -> RunResult:
    """Run *program* on the model runtime; see the module docstring.

    *program*: a built-in workload's name, a Go program's path, or a program already compiled
    (``gomem.compile.program.load``), which runs from its package initialisation each time.
    *gc*: the collector (:data:`gomem.MODES`); *gogc*: GOGC, a percent or
    ``"off"``; *memory_limit*: GOMEMLIMIT in bytes or as Go spells it
    (``"16MiB"``), None for off; *procs*: GOMAXPROCS; *seed*: the workload's
    and the random policy's seed; *params*: workload parameters (a dict, or
    ``KEY=VALUE`` strings); *args*: a Go program's ``os.Args[1:]``; *cost*: a
    :class:`~gomem.runtime.sched.CostModel`, or overrides of its prices in model ns.

    Beyond the notebook basics: *checkmark* (implies *clobberfree*),
    *max_heap* (Go's out-of-memory error past this HeapSys), *final_gc*
    (``runtime.GC()`` after the workload returns), *timeout* (stop after
    this many wall-clock seconds with :class:`RunTimeout`), the *gctrace*,
    *gcpacertrace* and *scavtrace* line callbacks, *stdout* (also write a Go
    program's output there as it is printed), *progress* (a context manager
    factory ``progress(runtime, label)`` around the run) and *check*.
    *timeline* records what every P did when (``runtime.log.timeline``, a
    :class:`~gomem.runtime.trace.Timeline`), for :mod:`gomem.viz.timeline`'s trace and
    :mod:`gomem.cmd.mmu`'s curves; off, it costs nothing.
    *memprofile* keeps a heap profile of a Go program (``runtime.memprof``, a
    :class:`~gomem.runtime.mprof.MemProfile`, as ``go test -memprofile`` has the runtime keep one),
    sampling every *memprofilerate* bytes (``runtime.MemProfileRate``; default Go's 512 KiB).
    *cpuprofile* profiles a Go program's model CPU time for the whole run (``runtime.cpuprof``, a
    :class:`~gomem.runtime.cpuprof.CPUProfile`: a sample every 10 ms of model time charged to each P, as
    ``go test -cpuprofile`` has pprof sample at 100 Hz; *cpuprofilerate* another rate in samples per
    second of model CPU time, as ``runtime.SetCPUProfileRate`` sets one before ``StartCPUProfile``);
    :meth:`~gomem.runtime.cpuprof.CPUProfile.proto` writes it.
    """
    from .runtime.runtime import Runtime

    if gc not in MODES:
        raise BadInput(f"unknown GC mode {gc!r} (modes: {', '.join(MODES)})")
    job = _Job.prepare(program, params, args, seed, stdout)
    if not isinstance(procs, int) or not 1 <= procs <= 256:
        raise BadInput(f"GOMAXPROCS must be between 1 and 256, got {procs}")
    gc_percent = parse_gogc(gogc)
    limit = NO_LIMIT if memory_limit is None else parse_gomemlimit(memory_limit)
    if timeout is not None and not timeout > 0:
        raise BadInput(f"timeout must be a positive number of seconds, got {timeout}")
    rt = Runtime(
        procs=procs,
        mode=gc,
        gogc=gc_percent,
        seed=seed,
        policy=policy,
        layout=layout,
        max_heap=max_heap,
        cost=_cost_model(cost),
        checkmark=checkmark,
        clobberfree=checkmark or clobberfree,
        gctrace=gctrace,
        memory_limit=limit,
        gcpacertrace=gcpacertrace,
        scavtrace=scavtrace,
    )
    if timeline:
        rt.log.enable_timeline(procs, rt.cost.switch)
    if memprofile or memprofilerate is not None:
        if job.go_program is None:
            raise BadInput("a heap profile needs a Go program: a built-in workload has no Go call stacks")
        from .runtime import mprof

        rate = mprof.DEFAULT_MEM_PROFILE_RATE if memprofilerate is None else memprofilerate
        if type(rate) is not int or rate < 0:
            raise BadInput(f"invalid memory profile rate {rate!r}: a number of bytes, 0 or more")
        mprof.attach(rt, job.go_program.symtab, rate, seed)
    prof = None
    if cpuprofile or cpuprofilerate is not None:
        if job.go_program is None:
            raise BadInput("a CPU profile needs a Go program: a built-in workload has no Go call stacks")
        from .runtime import cpuprof

        hz = cpuprof.DEFAULT_HZ if cpuprofilerate is None else cpuprofilerate
        if type(hz) is not int or not 0 < hz <= 1_000_000_000:
            raise BadInput(f"invalid CPU profile rate {hz!r}: samples per second, 1 or more")
        prof = cpuprof.attach(rt, job.go_program.symtab, hz, seed)
    main = _with_final_gc(job.main) if final_gc else job.main
    try:
        g, failure, wall = _execute(rt, main, job, timeout, progress)
    finally:
        if prof is not None:
            prof.stop()
    result = job.result(rt, g, failure, wall, stdout)
    if failure is not None and check:
        failure.result = result  # type: ignore[attr-defined]
        raise failure
    return result
