"""``gomem vs-go``: a workload on gomem and on the real Go runtime, side by side.

The built-in workloads also exist as Go programs (``workloads/go/*.go``,
standard library only, the same shapes and the same parameters as flags).
:func:`compare` runs one of them with the installed Go toolchain under
``GODEBUG=gctrace=1`` (and ``GOGC``, ``GOMEMLIMIT``, ``GOMAXPROCS``), runs
the same workload on gomem with the same settings, reads both sides'
gctrace lines and lines them up: :func:`format_table` prints them cycle by
cycle, :func:`format_summary` prints GC count, mean heap goal, mean heap at
GC start and end, peak heap, live heap, GC CPU % and gomem's deviation from
Go for each.  Instead of running Go it can read a gctrace log captured
elsewhere (``--gctrace-log``), from any Go version since 1.5.

Both sides are read through the same parser (:func:`parse_gctrace_line`):
gomem's figures come from its own gctrace lines, so both are truncated to
whole MB (``>>20``) the same way and compare like with like.

The gctrace format over the versions (``runtime/extern.go``, printed in
``gcMarkTermination``, ``runtime/mgc.go``):

* Go 1.5–1.6: ``gc # @#s #%: #+#+#+#+# ms clock, #+#+#+#/#/#+# ms cpu,
  #->#-># MB, # MB goal, # P`` — five phases (sweep termination, scan,
  install write barrier, mark, mark termination), the mark's CPU split
  assist/background/idle;
* Go 1.7–1.17: ``gc # @#s #%: #+#+# ms clock, #+#/#/#+# ms cpu, #->#-># MB,
  # MB goal, # P`` — three phases;
* Go 1.18 on: ``…, # MB goal, # MB stacks, #MB globals, # P`` (the
  documentation writes ``#MB globals``, the runtime prints ``# MB globals``);
* Go 1.26 on may add `` (checking for goroutine leaks)`` after the ``%``.

Any of them may end with `` (forced)`` (``runtime.GC``).  Other lines a Go
program writes to stderr under gctrace — ``GC forced``, ``scvg…``,
``pacer:``, ``scav…``, gctrace=2's ``scan:`` lines, the program's own
output — are skipped.
"""

from __future__ import annotations

import inspect
import json
import re
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from .errors import BadInput, GomemError

#: where the Go versions of the built-in workloads live
GO_DIR = Path(__file__).parent / "workloads" / "go"

#: built-in workload -> its Go program (flags are the workload's parameter names)
GO_PROGRAMS = {
    "binary-trees": "binary_trees.go",
    "churn": "churn.go",
    "lru": "lru.go",
    "random": "random.go",
}

_NUM = r"[0-9]+(?:\.[0-9]+)?"
#: one gctrace line of any Go version from 1.5 on (see the module docstring)
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


@dataclass
class TraceCycle:
    """One gctrace line, parsed.  Heap figures in MB (MiB, truncated) as printed."""

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


def parse_gctrace_line(line: str) -> TraceCycle | None:
    """A gctrace line of any Go version since 1.5, or None if *line* is not one."""
    m = GCTRACE_ANY_RE.search(line.rstrip("\r\n"))
    if m is None:
        return None
    clock = [float(x) for x in m["clock"].split("+")]
    cpu = [float(x) for x in re.split(r"[+/]", m["cpu"])]
    if len(clock) not in (3, 5):
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


def parse_gctrace(text: str) -> list[TraceCycle]:
    """Every gctrace line in *text* (a whole stderr or log), in order.

    If the log holds several runs (the cycle number drops back), only the
    last run's lines are kept.
    """
    out: list[TraceCycle] = []
    for line in text.splitlines():
        c = parse_gctrace_line(line)
        if c is None:
            continue
        if out and c.n <= out[-1].n:
            out = []  # a new run starts
        out.append(c)
    return out


# -- the summary -----------------------------------------------------------------


#: the summary's rows: (key, label)
METRICS = (
    ("gc_count", "GC count"),
    ("forced", "  of them forced"),
    ("goal_mean", "heap goal, mean (MB)"),
    ("heap0_mean", "heap at GC start, mean (MB)"),
    ("heap1_mean", "heap at GC end, mean (MB)"),
    ("peak", "peak heap at GC end (MB)"),
    ("live_mean", "live heap after GC, mean (MB)"),
    ("live_last", "live heap, last GC (MB)"),
    ("gc_cpu", "GC CPU % (last gctrace line)"),
)


def summarize_trace(cycles: Sequence[TraceCycle]) -> dict[str, float | int | None]:
    """The summary figures of one side's cycles (None where there is nothing to average)."""

    def mean(vals: list[int]) -> float | None:
        return sum(vals) / len(vals) if vals else None

    goals = [c.goal for c in cycles if c.goal is not None]
    return {
        "gc_count": len(cycles),
        "forced": sum(c.forced for c in cycles),
        "goal_mean": mean(goals),
        "heap0_mean": mean([c.heap0 for c in cycles]),
        "heap1_mean": mean([c.heap1 for c in cycles]),
        "peak": max((c.heap1 for c in cycles), default=None),
        "live_mean": mean([c.heap2 for c in cycles]),
        "live_last": cycles[-1].heap2 if cycles else None,
        "gc_cpu": cycles[-1].pct if cycles else None,
    }


def deviation(gomem: float | None, go: float | None) -> float | None:
    """gomem's deviation from Go in percent, None where undefined (no value, or Go's is 0 and gomem's not)."""
    if gomem is None or go is None:
        return None
    if go == 0:
        return 0.0 if gomem == 0 else None
    return (gomem - go) / go * 100.0


# -- running both sides ----------------------------------------------------------------


@dataclass
class Side:
    """One side of the comparison: its gctrace cycles and what else it told us."""

    name: str  #: "go" or "gomem"
    cycles: list[TraceCycle]
    output: list[str] = field(default_factory=list)  #: the program's stdout lines
    version: str = ""
    source: str = ""  #: "run", or the gctrace log's path
    wall_seconds: float = 0.0
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def summary(self) -> dict[str, Any]:
        return summarize_trace(self.cycles)


@dataclass
class Comparison:
    workload: str
    params: dict[str, Any]
    config: dict[str, Any]
    go: Side
    gomem: Side

    def deviations(self) -> dict[str, float | None]:
        g, m = self.go.summary, self.gomem.summary
        return {k: deviation(m[k], g[k]) for k, _ in METRICS}

    def as_dict(self) -> dict[str, Any]:
        def side(s: Side) -> dict[str, Any]:
            return {
                "version": s.version,
                "source": s.source,
                "wall_seconds": s.wall_seconds,
                "output": s.output,
                "summary": s.summary,
                "cycles": [c.as_dict() for c in s.cycles],
                **s.extra,
            }

        return {
            "workload": self.workload,
            "params": self.params,
            "config": self.config,
            "go": side(self.go),
            "gomem": side(self.gomem),
            "deviation_percent": self.deviations(),
        }


def go_program(workload: str) -> Path:
    """The Go source of a built-in workload."""
    name = GO_PROGRAMS.get(workload)
    path = GO_DIR / name if name else None
    if path is None or not path.is_file():
        have = ", ".join(sorted(k for k, v in GO_PROGRAMS.items() if (GO_DIR / v).is_file()))
        raise BadInput(f"workload {workload!r} has no Go version to run (Go versions: {have}); use --gctrace-log")
    return path


def go_args(params: dict[str, Any], seed: int) -> list[str]:
    """The Go program's flags for the workload's parameters (a seed of 0 becomes *seed*)."""
    args = []
    for k, v in params.items():
        if k == "seed" and not v:
            v = seed
        args.append(f"-{k}={v}")
    return args


def go_env(gogc: int, memory_limit: int | None, procs: int, godebug: Sequence[str] = ()) -> dict[str, str]:
    """The Go program's environment; *godebug*: GODEBUG settings added after ``gctrace=1`` (e.g. ``gccheckmark=1``)."""
    env = {
        "GODEBUG": ",".join(["gctrace=1", *godebug]),
        "GOGC": "off" if gogc < 0 else str(gogc),
        "GOMAXPROCS": str(procs),
    }
    env["GOMEMLIMIT"] = "off" if memory_limit is None else str(memory_limit)
    return env


def run_go(workload: str, params: dict[str, Any], gogc: int, memory_limit: int | None, procs: int,
           seed: int = 1, timeout: float = 600, godebug: Sequence[str] = ()) -> Side:
    """Run the workload's Go program with gctrace on; its gctrace lines and output."""
    from . import realgo

    src = go_program(workload)
    env = go_env(gogc, memory_limit, procs, godebug)
    t0 = time.perf_counter()
    r = realgo.run_go_source(src, args=go_args(params, seed), env=env, timeout=timeout)
    wall = time.perf_counter() - t0
    if r.returncode != 0:
        tail = [ln for ln in r.stderr.splitlines() if parse_gctrace_line(ln) is None][-3:]
        raise GomemError(f"{src.name} exited with status {r.returncode}: {' | '.join(tail) or 'no message'}")
    cycles = parse_gctrace(r.stderr)
    return Side("go", cycles, r.stdout.splitlines(), realgo.go_version(), "run", wall,
                {"env": env, "args": go_args(params, seed)})


def read_go_log(path: str) -> Side:
    """The Go side from a gctrace log captured elsewhere."""
    try:
        text = Path(path).read_text(errors="replace")
    except OSError as e:
        raise BadInput(f"cannot read gctrace log {path}: {e.strerror}") from None
    cycles = parse_gctrace(text)
    if not cycles:
        raise BadInput(f"no gctrace lines in {path} (want lines like 'gc 1 @0.001s 10%: ...' from GODEBUG=gctrace=1)")
    eras = sorted({c.era for c in cycles})
    return Side("go", cycles, [], "unknown (" + "/".join(eras) + " format)", path)


def runtime_memory_limit_kwarg() -> str | None:
    """The name of :class:`~gomem.runtime.Runtime`'s memory-limit argument (``memory_limit``), None if it had none.

    Kept for callers that still check; :func:`run_gomem` passes ``memory_limit``.
    """
    from .runtime import Runtime

    params = inspect.signature(Runtime.__init__).parameters
    return "memory_limit" if "memory_limit" in params else None


def run_gomem(workload: str, params: dict[str, Any], gogc: int, memory_limit: int | None, procs: int,
              seed: int = 1, progress: Callable[[Any], Any] | None = None,
              runtime_kwargs: dict[str, Any] | None = None, gctrace: Callable[[str], Any] | None = None) -> Side:
    """Run the workload on gomem with gctrace on; its gctrace lines and output.

    *runtime_kwargs*: further :class:`~gomem.runtime.Runtime` arguments (mode,
    policy, layout, cost, checkmark, clobberfree, gcpacertrace, scavtrace);
    *gctrace*: also called with each gctrace line (``--gctrace`` prints them).
    """
    from . import workloads
    from .runtime import Runtime

    w = workloads.get(workload)
    lines: list[str] = []

    def trace(line: str) -> None:
        lines.append(line)
        if gctrace is not None:
            gctrace(line)

    kwargs: dict[str, Any] = dict(runtime_kwargs or {})
    if memory_limit is not None:
        kwargs["memory_limit"] = memory_limit
    rt = Runtime(procs=procs, gogc=gogc, seed=seed, gctrace=trace, **kwargs)
    t0 = time.perf_counter()
    if progress is not None:
        with progress(rt):
            g = rt.run(w.main, params)
    else:
        g = rt.run(w.main, params)
    wall = time.perf_counter() - t0
    from . import __version__

    out = list((g.result or {}).get("output", []))
    return Side("gomem", parse_gctrace("\n".join(lines)), out, f"gomem {__version__}", "run", wall,
                {"model_ns": rt.now, "total_alloc": rt.heap.stats.total_alloc})


def compare(workload: str, params: dict[str, Any], gogc: int = 100, memory_limit: int | None = None,
            procs: int = 1, seed: int = 1, gctrace_log: str | None = None, go_timeout: float = 600,
            progress: Callable[[Any], Any] | None = None, go_side: Side | None = None,
            runtime_kwargs: dict[str, Any] | None = None, godebug: Sequence[str] = (),
            gctrace: Callable[[str], Any] | None = None) -> Comparison:
    """Run (or read) the Go side and run gomem's; see the module docstring.

    *go_side*: the Go side already read (from *gctrace_log*); *runtime_kwargs*
    and *gctrace*: see :func:`run_gomem`; *godebug*: GODEBUG settings for the
    Go program besides ``gctrace=1``.
    """
    if go_side is not None:
        go = go_side
    elif gctrace_log is not None:
        go = read_go_log(gctrace_log)
    else:
        go_program(workload)  # a workload without a Go version fails here, before anything runs
        go = run_go(workload, params, gogc, memory_limit, procs, seed, go_timeout, godebug)
    mine = run_gomem(workload, params, gogc, memory_limit, procs, seed, progress, runtime_kwargs, gctrace)
    config = {
        "gogc": "off" if gogc < 0 else gogc,
        "gomemlimit": memory_limit,
        "procs": procs,
        "seed": seed,
        "gctrace_log": gctrace_log,
    }
    return Comparison(workload, dict(params), config, go, mine)


# -- printing ------------------------------------------------------------------------------


def _heaps(c: TraceCycle | None) -> str:
    return f"{c.heap0}->{c.heap1}->{c.heap2}" if c is not None else ""


def _goal(c: TraceCycle | None) -> str:
    return "" if c is None or c.goal is None else str(c.goal)


def _delta(a: int | None, b: int | None) -> str:
    if a is None or b is None:
        return ""
    return f"{a - b:+d}"


def format_table(cmp: Comparison, rows: int | None = None) -> str:
    """The cycle-by-cycle table: Go's and gomem's heap MB and goal, and the differences.

    *rows*: at most this many cycles (the first rows//2 and the last ones,
    with a marker line between); None: all.
    """
    go, me = cmp.go.cycles, cmp.gomem.cycles
    n = max(len(go), len(me))
    head = (
        f"{'cycle':>5}  {'Go heap MB':>14} {'goal':>5}  {'gomem heap MB':>14} {'goal':>5}  "
        f"{'Δheap0':>6} {'Δheap1':>6} {'Δlive':>6} {'Δgoal':>6}"
    )
    lines = [head, "-" * len(head)]
    idx = list(range(n))
    cut = None
    if rows is not None and n > rows:
        first = max(rows // 2, 1) if rows > 0 else 0
        last = rows - first
        idx = list(range(first)) + list(range(n - last, n))
        cut = first
    for j, i in enumerate(idx):
        if cut is not None and j == cut:
            lines.append(f"{'...':>5}  ({n - len(idx)} cycles not shown)")
        a = go[i] if i < len(go) else None
        b = me[i] if i < len(me) else None
        forced = lambda c: "*" if c is not None and c.forced else " "  # noqa: E731
        lines.append(
            f"{i + 1:>5}  {_heaps(a):>14}{forced(a)}{_goal(a):>5}  {_heaps(b):>14}{forced(b)}{_goal(b):>5}  "
            f"{_delta(b and b.heap0, a and a.heap0):>6} {_delta(b and b.heap1, a and a.heap1):>6} "
            f"{_delta(b and b.heap2, a and a.heap2):>6} {_delta(b and b.goal, a and a.goal):>6}"
        )
    if any(c.forced for c in go) or any(c.forced for c in me):
        lines.append("(* forced: runtime.GC)")
    return "\n".join(lines)


def _fmt_val(v: float | int | None) -> str:
    if v is None:
        return "-"
    if isinstance(v, int):
        return str(v)
    return f"{v:.1f}"


def _fmt_dev(v: float | None) -> str:
    return "-" if v is None else f"{v:+.1f}%"


def format_summary(cmp: Comparison) -> str:
    """The summary: each figure for Go and gomem, and gomem's deviation from Go."""
    g, m = cmp.go.summary, cmp.gomem.summary
    dev = cmp.deviations()
    w = max(len(label) for _, label in METRICS)
    lines = [f"{'':<{w}}  {'Go':>8}  {'gomem':>8}  {'deviation':>9}"]
    for k, label in METRICS:
        lines.append(f"{label:<{w}}  {_fmt_val(g[k]):>8}  {_fmt_val(m[k]):>8}  {_fmt_dev(dev[k]):>9}")
    return "\n".join(lines)


def format_header(cmp: Comparison) -> str:
    c = cmp.config
    pstr = " ".join(f"{k}={v}" for k, v in cmp.params.items())
    lim = c["gomemlimit"]
    lim = "off" if lim is None else (f"{lim >> 20}MiB" if lim % (1 << 20) == 0 else str(lim))
    go = cmp.go
    src = f"{go.version}, run in {go.wall_seconds:.2f} s" if go.source == "run" else f"gctrace log {go.source} ({go.version})"
    return (
        f"gomem vs-go {cmp.workload}{' ' + pstr if pstr else ''}  GOGC={c['gogc']} GOMEMLIMIT={lim} "
        f"GOMAXPROCS={c['procs']}\n"
        f"Go:    {src}\n"
        f"gomem: {cmp.gomem.version}, simulated in {cmp.gomem.wall_seconds:.2f} s"
    )


def format_comparison(cmp: Comparison, rows: int | None = None) -> str:
    parts = [format_header(cmp), ""]
    if rows != 0:
        parts += [format_table(cmp, rows), ""]
    parts.append(format_summary(cmp))
    if cmp.go.source == "run" and cmp.go.output and cmp.gomem.output:
        same = cmp.go.output == cmp.gomem.output
        parts.append("program output: " + ("identical" if same else "differs (e.g. random choices are Go's own)"))
    return "\n".join(parts)


def write_json(path: str, cmp: Comparison) -> None:
    from .fsutil import write_output

    write_output(path, json.dumps(cmp.as_dict(), indent=2, default=str) + "\n")


# -- the command line ----------------------------------------------------------------------


def _env_help() -> str:
    from .cli import _ENV_HELP

    return _ENV_HELP


def add_parser(sub) -> None:
    """Add ``gomem vs-go`` to the ``gomem`` subcommands (*sub*: argparse's subparsers)."""
    v = sub.add_parser(
        "vs-go",
        help="run a workload on gomem and on the real Go runtime; compare their gctrace cycle by cycle",
        description=(
            "Run a built-in workload on gomem and its Go version (workloads/go/*.go) on the installed Go "
            "toolchain with GODEBUG=gctrace=1 and the same GOGC, GOMEMLIMIT and GOMAXPROCS; print both "
            "sides' GC cycles and a summary with gomem's deviation from Go.  --gctrace-log reads the Go "
            "side from a log captured elsewhere (any Go version since 1.5) instead.  GOGC, GOMEMLIMIT, "
            "GOMAXPROCS and GODEBUG are read from the environment as 'gomem run' reads them; an option wins.  "
            "--gc, --policy, --layout and --cost set gomem's side only (Go runs its own collector); "
            "--checkmark/--clobberfree also pass gccheckmark=1/clobberfree=1 to the Go program; "
            "--gctrace, --gcpacertrace and --scavtrace print gomem's lines on stderr."
        ),
        epilog=_env_help(),
    )
    from .cli import add_run_options

    v.add_argument("workload", help="workload name (see 'gomem workloads')")
    # the options gomem run has (one definition); --procs defaults to $GOMAXPROCS, else the P of a --gctrace-log, else 1
    add_run_options(v)
    v.add_argument("--gctrace-log", metavar="FILE", help="read Go's gctrace lines from FILE instead of running Go")
    v.add_argument("--rows", default=None, metavar="N",
                   help="show at most N cycles of the table (first and last ones); 0: the summary only")
    v.add_argument("--go-timeout", default="600", metavar="SECONDS", help="give up on the Go program after this long")
    v.add_argument("--json", metavar="FILE", help="write both sides' cycles, summaries and deviations as JSON (- for stdout)")


def cmd_vs_go(args) -> int:
    """``gomem vs-go``: see :func:`add_parser`."""
    import sys

    from . import workloads
    from .cli import _check_writable, _isatty, _parse_int
    from .mgcpacer import parse_gogc, parse_gomemlimit

    from .cli import resolve_env
    from .sched import CostModel

    w = workloads.get(args.workload)
    params = w.resolve(args.param)
    resolve_env(args)  # GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG: the option wins, else the environment
    gogc = parse_gogc(args.gogc)
    limit: int | None = parse_gomemlimit(args.gomemlimit)
    if limit is not None and limit >= (1 << 63) - 1:
        limit = None  # off
    seed = _parse_int("--seed", args.seed)
    rows = _parse_int("--rows", args.rows, 0) if args.rows is not None else None
    timeout = _parse_int("--go-timeout", args.go_timeout, 1)
    cost = CostModel().override(args.cost)
    if args.json is not None:
        _check_writable(args.json)
    go_side = None
    if args.gctrace_log is not None:
        go_side = read_go_log(args.gctrace_log)
        log_procs = next((c.procs for c in reversed(go_side.cycles) if c.procs is not None), None)
        if args.procs is None:
            procs = log_procs or 1
        else:
            procs = _parse_int("--procs", args.procs, 1, 256)
            if log_procs is not None and log_procs != procs:
                print(f"gomem: note: the log's runs had {log_procs} P, gomem runs with {procs}", file=sys.stderr)
    else:
        procs = _parse_int("--procs", args.procs, 1, 256) if args.procs is not None else 1
    from .cli import Progress, StderrWriter

    err = StderrWriter()
    progress: Callable[[Any], Any] | None = None
    if not args.no_progress and _isatty(sys.stderr):
        progress = lambda rt: Progress(rt, f"{args.workload} (gomem side)", err)  # noqa: E731
    runtime_kwargs: dict[str, Any] = {
        "mode": args.gc,
        "policy": args.policy,
        "layout": args.layout,
        "cost": cost,
        "checkmark": args.checkmark,
        "clobberfree": args.checkmark or args.clobberfree,
        "gcpacertrace": err.line if args.gcpacertrace else None,
        "scavtrace": err.line if args.scavtrace else None,
    }
    godebug = [k for k, on in (("gccheckmark=1", args.checkmark), ("clobberfree=1", args.clobberfree)) if on]
    cmp = compare(args.workload, params, gogc, limit, procs, seed, args.gctrace_log, timeout, progress, go_side,
                  runtime_kwargs, godebug, err.line if args.gctrace else None)
    print(format_comparison(cmp, rows))
    sys.stdout.flush()
    if args.json is not None:
        write_json(args.json, cmp)
    return 0
