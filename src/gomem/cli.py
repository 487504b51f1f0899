"""The ``gomem`` command line.

``gomem run [WORKLOAD]`` runs a built-in workload on the model runtime and
prints the program's output, then ``runtime.MemStats`` and a summary (GC
cycles, stop-the-world pauses by phase, GC CPU, model and wall time; see
:mod:`gomem.report`).  ``--gctrace`` prints Go's ``GODEBUG=gctrace=1`` lines
on stderr as cycles end; ``--json FILE`` writes every cycle's figures, the
summary, MemStats and the configuration (atomically).  ``gomem workloads``
lists the workloads and their parameters; ``gomem sizeclass`` answers which
size class and allocation path a size takes.

Exit statuses:

* 0 — success;
* 2 — bad input (an unknown workload, option or value): one line on
  stderr, ``gomem: …``; also Go-style fatal errors of the program
  (out of memory, deadlock);
* 3 — an internal invariant of the model broke (``InvariantViolation``);
* 4 — the program lost an object: ``--checkmark`` found a reachable object
  the mark missed (``LostObject``), or a load through a dangling pointer was
  caught (``DanglingPointer``, with ``--clobberfree``/``--checkmark``);
* 130 — interrupted.

A progress line is drawn on stderr while a run takes more than a moment, if
stderr is a terminal and ``--no-progress`` is not given; it is erased before
every gctrace line and at the end, so it never mixes with them.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import threading
import time
from typing import Any, Callable, TextIO

from . import sizeclasses as sc
from . import gorun, workloads
from .errors import BadInput, GomemError
from .fsutil import check_writable, write_output
from .mbarrier import MODES

DEFAULT_WORKLOAD = "binary-trees"
#: exit status after Ctrl-C (128 + SIGINT), as shells report it
EXIT_INTERRUPTED = 130

#: the progress line appears after this many seconds of running, and is redrawn this often
PROGRESS_DELAY = 0.5
PROGRESS_INTERVAL = 0.2

_INT_RE = re.compile(r"[+-]?[0-9]+")
_MAX_INT64 = (1 << 63) - 1


def parse_size(text: str) -> int:
    """A byte count as Go's ``GOMEMLIMIT`` accepts it (``parseByteCount``): 1234, 1234B, 64KiB, 2GiB, 1TiB.

    Digits (an optional sign, as ``strconv.ParseInt``), then nothing, ``B``
    or ``KiB``/``MiB``/``GiB``/``TiB``; no spaces; the value must be
    non-negative and fit in an int64.
    """
    units = {"KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}
    num, mul = text, 1
    for u, m in units.items():
        if text.endswith(u):
            num, mul = text[: -len(u)], m
            break
    else:
        if text.endswith("B"):
            num = text[:-1]
    if not _INT_RE.fullmatch(num):
        raise BadInput(f"invalid size {text!r}: want a byte count, optionally with B, KiB, MiB, GiB or TiB")
    n = int(num)
    if n < 0 or n * mul > _MAX_INT64:
        raise BadInput(f"invalid size {text!r}: out of range")
    return n * mul


class _UsageError(Exception):
    """argparse found a bad command line (reported as one ``gomem: …`` line, status 2)."""


class _Parser(argparse.ArgumentParser):
    """gomem's parser: usage errors as one line, and no prefix abbreviations of long options.

    ``allow_abbrev=False`` everywhere (sub-parsers are built with this class
    too): ``--gc`` must never be read as ``--gctrace-log``.
    """

    def __init__(self, *a, **kw) -> None:
        kw["allow_abbrev"] = False
        super().__init__(*a, **kw)

    def error(self, message: str):  # type: ignore[override]
        raise _UsageError(f"{message} (see '{self.prog} --help')")


#: GODEBUG settings gomem honours: GODEBUG key -> the option (attribute) it sets
GODEBUG_FLAGS = {
    "gctrace": "gctrace",
    "gcpacertrace": "gcpacertrace",
    "scavtrace": "scavtrace",
    "gccheckmark": "checkmark",
    "clobberfree": "clobberfree",
}
#: GODEBUG settings accepted but not modelled (no effect yet)
GODEBUG_IGNORED = ("asyncpreemptoff",)


#: the environment, as ``gomem run --help`` and ``gomem vs-go --help`` describe it
_ENV_HELP = (
    "Environment, read as Go's runtime reads it; an option given wins: GOGC, GOMEMLIMIT; GOMAXPROCS "
    "(a positive integer, else ignored); GODEBUG, comma-separated key=value: gctrace, gcpacertrace, "
    "scavtrace, gccheckmark, clobberfree (nonzero: on); asyncpreemptoff is accepted and has no effect "
    "(gomem has no asynchronous preemption); other keys are ignored."
)


def add_run_options(p: argparse.ArgumentParser) -> None:
    """The options ``gomem run`` and ``gomem vs-go`` share (one definition for both).

    Defaults of None mean "not given": :func:`resolve_env` then takes the
    environment as Go's runtime reads it (GOGC, GOMEMLIMIT, GOMAXPROCS,
    GODEBUG), else Go's default; an option on the command line wins.
    """
    flag = argparse.BooleanOptionalAction
    p.add_argument("--gc", default="go1.8", choices=list(MODES), help="collector (default go1.8)")
    p.add_argument("--gogc", default=None, metavar="N|off", help="GOGC: a percent or off (default: $GOGC, else 100)")
    p.add_argument("--gomemlimit", default=None, metavar="SIZE|off", help="GOMEMLIMIT: bytes with an optional B/KiB/MiB/GiB/TiB suffix, or off (default: $GOMEMLIMIT, else off)")
    p.add_argument("--procs", default=None, metavar="N", help="GOMAXPROCS, 1..256 (default: $GOMAXPROCS if a positive integer, as Go reads it, else 1)")
    p.add_argument("--seed", default="1", metavar="N", help="random seed for the workload and the random policy (default 1)")
    p.add_argument("--policy", default="rr", choices=("rr", "random"), help="which runnable goroutine a P takes (default rr)")
    p.add_argument("--gctrace", action=flag, default=None, help="print a gctrace line per cycle to stderr (default: GODEBUG=gctrace=1)")
    p.add_argument("--gcpacertrace", action=flag, default=None, help="print the pacer's lines to stderr (default: GODEBUG=gcpacertrace=1)")
    p.add_argument("--scavtrace", action=flag, default=None, help="print a scavenger line per sweep to stderr (default: GODEBUG=scavtrace=1)")
    p.add_argument("--checkmark", action=flag, default=None, help="verify every mark with a stop-the-world re-trace (default: GODEBUG=gccheckmark=1); implies --clobberfree")
    p.add_argument("--clobberfree", action=flag, default=None, help="poison freed objects and catch dangling pointers (default: GODEBUG=clobberfree=1)")
    p.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="workload parameter (repeatable)")
    p.add_argument("--cost", action="append", default=[], metavar="NAME=NS", help="override a cost-model price in model ns (repeatable)")
    p.add_argument("--layout", choices=sc.LAYOUTS, default="greentea", help="span layout (default greentea, Go 1.27)")
    p.add_argument("--no-progress", action="store_true", help="never draw the progress line on stderr")


def parse_godebug(text: str) -> dict[str, int]:
    """GODEBUG as Go's runtime reads it at startup (``parsegodebug``, ``runtime/runtime1.go``).

    Comma-separated ``key=value``; left to right, a later setting overrides an
    earlier one; a field without ``=``, an unknown key or a value that is not
    an integer (``atoi32``) is ignored.  Returns the keys gomem knows
    (:data:`GODEBUG_FLAGS`, and ``asyncpreemptoff``, accepted without effect:
    gomem has no asynchronous preemption to turn off).
    """
    out: dict[str, int] = {}
    for fld in text.split(","):
        key, eq, value = fld.partition("=")
        if not eq or (key not in GODEBUG_FLAGS and key not in GODEBUG_IGNORED):
            continue
        n = _atoi32(value)
        if n is not None:
            out[key] = n
    return out


def _atoi32(text: str) -> int | None:
    """Go's runtime ``atoi32``: optional '-', decimal digits, fits in int32; else None."""
    if not re.fullmatch(r"-?[0-9]+", text):
        return None
    n = int(text)
    return n if -(1 << 31) <= n < (1 << 31) else None


def env_gomaxprocs(environ=None) -> int | None:
    """GOMAXPROCS from the environment as Go's ``schedinit`` reads it: a positive int32, else ignored (None).

    ``GOMAXPROCS=abc``, ``0``, ``-1`` or an empty value are ignored, as Go
    ignores them.  A value gomem cannot model (above 256) is an error.
    """
    env = os.environ if environ is None else environ
    n = _atoi32(env.get("GOMAXPROCS", ""))
    if n is None or n <= 0:
        return None
    if n > 256:
        raise BadInput(f"GOMAXPROCS={n} from the environment: gomem models at most 256 Ps (use --procs)")
    return n


def resolve_env(args, environ=None) -> None:
    """Fill the options not given on the command line from the environment, as Go reads it.

    GOGC and GOMEMLIMIT (as strings, parsed later), GOMAXPROCS
    (:func:`env_gomaxprocs`) and the GODEBUG settings of
    :data:`GODEBUG_FLAGS` (nonzero: on); an option given wins, including
    ``--no-gctrace`` and the like.
    """
    env = os.environ if environ is None else environ
    if args.gogc is None:
        args.gogc = env.get("GOGC") or "100"
    if args.gomemlimit is None:
        args.gomemlimit = env.get("GOMEMLIMIT") or "off"
    if args.procs is None:
        n = env_gomaxprocs(env)
        if n is not None:
            args.procs = str(n)
    dbg = parse_godebug(env.get("GODEBUG", ""))
    for key, attr in GODEBUG_FLAGS.items():
        if getattr(args, attr, None) is None:
            setattr(args, attr, bool(dbg.get(key, 0)))


def _build_parser() -> argparse.ArgumentParser:
    p = _Parser(prog="gomem", description="Go's memory manager and garbage collector, as an executable model.")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND")

    r = sub.add_parser(
        "run",
        help="run a built-in workload and print MemStats, pauses and GC CPU",
        description="Run a built-in workload on the model runtime; print its output, runtime.MemStats and a summary.",
        epilog=_ENV_HELP,
    )
    r.add_argument("workload", nargs="?", default=DEFAULT_WORKLOAD, metavar="WORKLOAD|PROGRAM",
                   help=f"workload name (default {DEFAULT_WORKLOAD}; see 'gomem workloads'), or a Go program: "
                   "a .go file or a directory holding one package main")
    r.add_argument("program_args", nargs="*", metavar="-- ARGS", help="the Go program's os.Args[1:]")
    add_run_options(r)
    r.add_argument("--final-gc", action="store_true", help="call runtime.GC() after the workload returns (a forced cycle; MemStats then show the live heap)")
    r.add_argument("--max-heap", default=None, metavar="SIZE", help="fail with Go's out-of-memory error past this HeapSys")
    r.add_argument("--json", metavar="FILE", help="write every cycle's figures, the summary, MemStats and the parameters as JSON (- for stdout)")
    r.add_argument("--html", metavar="FILE", help="write a self-contained run report with charts (heap, goal, pauses, GC CPU, size classes; - for stdout)")

    sub.add_parser("workloads", help="list the built-in workloads and their parameters")

    s = sub.add_parser("sizeclass", help="which size class and path an allocation takes")
    s.add_argument("size", nargs="?", help="object size in bytes")
    s.add_argument("--noscan", action="store_true", help="the object has no pointers")
    s.add_argument("--table", action="store_true", help="print Go's size class table")
    s.add_argument("--greentea", action="store_true", help="with --table: add Green Tea objects-per-span columns")
    s.add_argument("--layout", choices=sc.LAYOUTS, default="greentea")

    scn = sub.add_parser("scenario", help="the article's scenarios, step by step on the real collector")
    ssub = scn.add_subparsers(dest="scmd", metavar="list|run")
    ssub.add_parser("list", help="name the built-in scenarios")
    sr = ssub.add_parser("run", help="run a scenario and print every step")
    sr.add_argument("name", help="a built-in scenario name, or a path to a .scn file")
    sr.add_argument("--gc", default=None, choices=list(MODES) + ["go1.5-norescan"], help="collector (default go1.8)")
    sr.add_argument("--all-modes", action="store_true", help="run it under every GC mode the scenario names (not with --gc)")
    sr.add_argument("--svg", metavar="DIR", help="write one SVG picture per step into DIR")
    sr.add_argument("--html", metavar="FILE", help="write a self-contained interactive page (- for stdout)")

    from . import vsgo

    vsgo.add_parser(sub)
    from .escape import cli as escape_cli

    escape_cli.add_parser(sub)
    return p


# -- gomem workloads ----------------------------------------------------------------------


def cmd_workloads(args) -> int:
    for w in workloads.all_workloads():
        print(f"{w.name}: {w.description}")
        for prm in w.params:
            kind = getattr(prm.kind, "__name__", str(prm.kind))
            lo, hi = getattr(prm, "minimum", None), getattr(prm, "maximum", None)
            rng = f" {lo if lo is not None else ''}..{hi if hi is not None else ''}" if lo is not None or hi is not None else ""
            print(f"    --param {prm.name}={prm.default}  ({kind}{rng}) {prm.help}")
    return 0


# -- gomem sizeclass ------------------------------------------------------------------------


def cmd_sizeclass(args) -> int:
    if args.table:
        print(sc.table_text(args.layout, with_gt=args.greentea), end="")
        return 0
    if args.size is None:
        raise BadInput("sizeclass wants SIZE or --table")
    try:
        size = int(args.size, 0)
    except ValueError:
        raise BadInput(f"invalid size {args.size!r}") from None
    print(sc.describe(size, args.noscan, args.layout))
    return 0


# -- gomem run -------------------------------------------------------------------------------


def _parse_int(name: str, text: str, lo: int | None = None, hi: int | None = None) -> int:
    if not _INT_RE.fullmatch(text.strip()):
        raise BadInput(f"{name}: invalid integer {text!r}")
    v = int(text)
    if (lo is not None and v < lo) or (hi is not None and v > hi):
        rng = f"between {lo} and {hi}" if lo is not None and hi is not None else (f"at least {lo}" if lo is not None else f"at most {hi}")
        raise BadInput(f"{name} must be {rng}, got {v}")
    return v


class StderrWriter:
    """Writes whole lines to stderr and keeps an optional progress line out of their way.

    Every write goes through one lock: a gctrace line first erases the
    progress line (``\\r`` + erase-line), is written whole, and the progress
    line is redrawn on the next tick.
    """

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream if stream is not None else sys.stderr
        self.lock = threading.Lock()
        self.status_shown = False

    def line(self, text: str) -> None:
        with self.lock:
            self._erase()
            self.stream.write(text + "\n")
            self.stream.flush()

    def status(self, text: str) -> None:
        width = shutil.get_terminal_size((80, 24)).columns - 1
        if len(text) > width:
            text = text[: max(width - 3, 0)] + "..."
        with self.lock:
            self.stream.write("\r\x1b[K" + text)
            self.stream.flush()
            self.status_shown = True

    def clear(self) -> None:
        with self.lock:
            self._erase()
            self.stream.flush()

    def _erase(self) -> None:
        if self.status_shown:
            self.stream.write("\r\x1b[K")
            self.status_shown = False


class Progress:
    """A progress line on stderr, redrawn by a background thread from the runtime's counters.

    It only reads the runtime (model clock, cycles completed, live heap,
    bytes allocated), so it cannot change the run; it starts drawing after
    *delay* seconds so short runs print nothing.
    """

    SPIN = "|/-\\"

    def __init__(self, rt, label: str, out: StderrWriter, interval: float | None = None, delay: float | None = None) -> None:
        self.rt = rt
        self.label = label
        self.out = out
        self.interval = PROGRESS_INTERVAL if interval is None else interval
        self.delay = PROGRESS_DELAY if delay is None else delay
        #: how many times the line was drawn
        self.draws = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, name="gomem-progress", daemon=True)
        self._t0 = time.perf_counter()
        self._ticks = 0

    def __enter__(self) -> Progress:
        self._t0 = time.perf_counter()
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()
        self.out.clear()

    def text(self) -> str:
        rt = self.rt
        st = rt.heap.stats
        wall = time.perf_counter() - self._t0
        spin = self.SPIN[self._ticks % len(self.SPIN)]
        from .report import fmt_bytes, fmt_duration

        gc = rt.gc
        phase = " (GC running)" if gc.running else ""
        return (
            f"gomem: {self.label} {spin} model {fmt_duration(rt.now)}, GC {gc.numgc}{phase}, "
            f"heap {fmt_bytes(st.heap_live)}, allocated {fmt_bytes(st.total_alloc)}, wall {wall:.1f} s"
        )

    def _loop(self) -> None:
        if self._stop.wait(self.delay):
            return
        while not self._stop.is_set():
            try:
                self.out.status(self.text())
                self.draws += 1
            except Exception:  # pragma: no cover - a torn read mid-step; try again next tick
                pass
            self._ticks += 1
            self._stop.wait(self.interval)


def _run_config(args) -> dict[str, Any]:
    """Validate every option of ``gomem run``; BadInput names the first bad one."""
    from .mgcpacer import parse_gogc, parse_gomemlimit
    from .sched import CostModel

    program = None
    if gorun.is_program(args.workload):
        if args.param:
            raise BadInput("--param is for built-in workloads; give a Go program its arguments after --")
        program = gorun.load(args.workload)
        program.args = list(args.program_args)
        w = program.workload()
    else:
        if args.program_args:
            raise BadInput(f"unexpected arguments {' '.join(args.program_args)!r}: only a Go program takes ARGS")
        w = workloads.get(args.workload)
    params = w.resolve(args.param)
    # the option wins; else the environment, as the real runtime reads it; else Go's default
    resolve_env(args)
    procs = _parse_int("--procs", args.procs or "1", 1, 256)
    seed = _parse_int("--seed", args.seed)
    gogc = parse_gogc(args.gogc)
    memory_limit = parse_gomemlimit(args.gomemlimit)
    max_heap = parse_size(args.max_heap) if args.max_heap is not None else None
    cost = CostModel().override(args.cost)
    # "" is a path too (an error, as in Go), so test for None
    if args.json is not None:
        _check_writable(args.json)
    if getattr(args, "html", None) is not None:
        _check_writable(args.html)
    return {
        "workload": w,
        "program": program,
        "params": params,
        "procs": procs,
        "seed": seed,
        "gogc": gogc,
        "memory_limit": memory_limit,
        "max_heap": max_heap,
        "cost": cost,
        "clobberfree": args.checkmark or args.clobberfree,
    }


def _program(w, final_gc: bool) -> Callable:
    """The main goroutine: the workload, then ``runtime.GC()`` if asked."""
    if not final_gc:
        return w.main

    def main(g, params):
        result = yield from w.main(g, params)
        yield from g.gc()
        return result

    main.__name__ = getattr(w.main, "__name__", "main")
    return main


def cmd_run(args) -> int:
    from . import report
    from .runtime import Runtime

    cfg = _run_config(args)
    w = cfg["workload"]
    params = cfg["params"]
    err = StderrWriter()
    rt = Runtime(
        procs=cfg["procs"],
        mode=args.gc,
        gogc=cfg["gogc"],
        seed=cfg["seed"],
        policy=args.policy,
        layout=args.layout,
        max_heap=cfg["max_heap"],
        cost=cfg["cost"],
        checkmark=args.checkmark,
        clobberfree=cfg["clobberfree"],
        gctrace=err.line if args.gctrace else None,
        memory_limit=cfg["memory_limit"],
        gcpacertrace=err.line if args.gcpacertrace else None,
        scavtrace=err.line if args.scavtrace else None,
    )
    show_progress = not args.no_progress and _isatty(sys.stderr)
    t0 = time.perf_counter()
    failure: GomemError | None = None
    try:
        if show_progress:
            with Progress(rt, w.name, err):
                g = rt.run(_program(w, args.final_gc), params)
        else:
            g = rt.run(_program(w, args.final_gc), params)
    except GomemError as e:
        failure = e
    wall = time.perf_counter() - t0
    if failure is not None:
        if args.json is not None:
            # the figures up to the failure; the heap may be mid-cycle, so reading it must not mask the error
            try:
                ms = report.memstats(rt)
                summary = report.summarize(rt, wall, ms)
            except Exception:
                ms = summary = None
            _write_json(args.json, _json_doc(args, cfg, rt, ms, summary, [], failure))
        if args.html is not None:
            _write_html_report(args.html, rt, None, None, _json_doc(args, cfg, rt, None, None, [], failure))
        if isinstance(failure, gorun.GoPanic):
            sys.stdout.flush()
            sys.stderr.write(failure.go_text())
            return failure.exit_status
        if isinstance(failure, gorun.GoExit):
            return failure.exit_status
        raise failure
    ms = report.memstats(rt)
    summary = report.summarize(rt, wall, ms)
    result = g.result or {}
    output = list(result.get("output", []))
    for line in output:
        print(line)
    # A Go program's stdout is its own: gomem's summary goes to stderr.
    sys.stdout.flush()
    summary_out = sys.stderr if cfg["program"] is not None else sys.stdout
    pstr = " ".join(f"{k}={v}" for k, v in params.items())
    if cfg["program"] is None:
        print()
    print(
        f"gomem run {w.name}{' ' + pstr if pstr else ''} --gc {args.gc} GOGC={args.gogc} "
        + (f"GOMEMLIMIT={args.gomemlimit} " if cfg["memory_limit"] != _MAX_INT64 else "")
        + f"GOMAXPROCS={cfg['procs']} layout={args.layout} policy={args.policy} seed={cfg['seed']}"
        + (" checkmark" if args.checkmark else "")
        + (" clobberfree" if cfg["clobberfree"] and not args.checkmark else ""),
        file=summary_out,
    )
    print(ms.format(), file=summary_out)
    print(report.format_summary(summary), file=summary_out)
    summary_out.flush()
    if args.json is not None:
        _write_json(args.json, _json_doc(args, cfg, rt, ms, summary, output, None))
    if args.html is not None:
        _write_html_report(args.html, rt, summary, ms, _json_doc(args, cfg, rt, ms, summary, output, None))
    return 0


def _write_html_report(path: str, rt, summary, ms, doc: dict[str, Any]) -> None:
    """``--html``: the run report (:mod:`gomem.viz.report_html`); a failed run gets one with the error."""
    from .viz import report_html

    _write_atomic(path, report_html.render_run_report(rt, summary, ms, doc))


def _json_doc(args, cfg, rt, ms, summary, output: list[str], failure: GomemError | None) -> dict[str, Any]:
    from . import __version__ as version

    memstats = None
    if ms is not None:
        memstats = ms.as_dict()
        memstats["PauseNs"] = list(ms.PauseNs)
        memstats["PauseEnd"] = list(ms.PauseEnd)
    doc: dict[str, Any] = {
        "gomem": version,
        "status": "ok" if failure is None else "error",
        "exit_status": 0 if failure is None else failure.exit_status,
        "workload": cfg["workload"].name,
        "params": cfg["params"],
        "config": {
            "gc": args.gc,
            "gogc": args.gogc,
            "gc_percent": cfg["gogc"],
            "gomemlimit": args.gomemlimit,
            "memory_limit": cfg["memory_limit"],
            "procs": cfg["procs"],
            "seed": cfg["seed"],
            "policy": args.policy,
            "layout": args.layout,
            "checkmark": args.checkmark,
            "clobberfree": cfg["clobberfree"],
            "final_gc": args.final_gc,
            "max_heap": cfg["max_heap"],
            "cost": dict(vars(cfg["cost"])),
        },
        "output": output,
        "summary": summary.as_dict() if summary is not None else None,
        "memstats": memstats,
        "cycles": [c.as_dict() for c in rt.gc.records],
        "pauses": [{"cycle": n, "phase": ph, "start_ns": s, "ns": d} for n, ph, s, d in rt.gc.pauses],
    }
    if failure is not None:
        err: dict[str, Any] = {"type": type(failure).__name__, "message": str(failure)}
        lost = getattr(failure, "lost", None)
        if lost:
            err["lost"] = lost
        doc["error"] = err
    return doc


def _isatty(stream) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError):
        return False


def _check_writable(path: str) -> None:
    """Before a run: BadInput unless *path* can take an output file (see fsutil.check_writable)."""
    check_writable(path)


def _write_json(path: str, doc: dict[str, Any]) -> None:
    _write_atomic(path, json.dumps(doc, indent=2, default=str) + "\n")


def _write_atomic(path: str, text: str) -> None:
    """Write an output file: atomically if it is a regular file, straight to a device, ``-`` is stdout (fsutil.write_output)."""
    write_output(path, text)


# -- gomem scenario ------------------------------------------------------------------------------


def cmd_scenario(args) -> int:
    from . import scenarios
    from .scenarios.text import render

    if args.scmd == "list":
        for name in scenarios.names():
            sc_ = scenarios.builtin(name)
            print(f"{name:<18} {sc_.title}")
        return 0
    if args.scmd != "run":
        raise BadInput("scenario wants 'list' or 'run NAME'")
    if args.all_modes and args.gc is not None:
        raise BadInput(f"scenario run: --all-modes and --gc {args.gc} contradict each other; give one")
    if args.gc is None:
        args.gc = "go1.8"
    if args.svg == "":
        raise BadInput("mkdir : no such file or directory")  # Go's os.MkdirAll("")
    if args.html is not None:
        _check_writable(args.html)
    try:
        scen = scenarios.load(args.name)
    except UnicodeDecodeError as e:
        from .scenarios.format import decode_error

        raise decode_error(args.name, e) from None
    modes = scen.modes if args.all_modes else [args.gc]
    runs = []
    for mode in modes:
        run = scenarios.ScenarioRun(scen, mode)
        run.run()
        runs.append(run)
        print(render(run), end="")
        if args.svg is not None:
            from .viz import svg as viz_svg

            viz_svg.write_steps(run, args.svg)
    if args.html is not None:
        from .viz import html as viz_html

        viz_html.write_scenario_page(viz_html.page_scenarios(scen), args.html, initial=(scen.name, args.gc))
    return 0


# -- main --------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except _UsageError as e:
        print(f"gomem: {e}", file=sys.stderr)
        return 2
    except SystemExit as e:  # --help
        return e.code if isinstance(e.code, int) else 0
    handlers = {"run": cmd_run, "workloads": cmd_workloads, "sizeclass": cmd_sizeclass, "scenario": cmd_scenario}
    from .vsgo import cmd_vs_go

    handlers["vs-go"] = cmd_vs_go
    from .escape.cli import cmd_escape

    handlers["escape"] = cmd_escape
    if args.cmd is None:
        parser.print_help(sys.stderr)
        return 2
    try:
        return handlers[args.cmd](args)
    except GomemError as e:
        sys.stdout.flush()
        print(f"gomem: {_one_line(str(e))}", file=sys.stderr)
        return e.exit_status
    except KeyboardInterrupt:
        print("gomem: interrupted", file=sys.stderr)
        return EXIT_INTERRUPTED
    except BrokenPipeError:
        # the reader went away (gomem run | head): stop quietly
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 0


def _one_line(msg: str) -> str:
    return " ".join(msg.split()) if "\n" in msg else msg


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
