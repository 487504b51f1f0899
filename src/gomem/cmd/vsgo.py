"""``gomem vs-go``: a workload or a Go program on gomem and on the real Go runtime, side by side.

The built-in workloads also exist as Go programs (``workloads/go/*.go``,
standard library only, the same shapes and the same parameters as flags);
a Go program of the user's (``gomem vs-go prog.go -- ARGS``) is its own Go
version, run with the same arguments on both sides.
:func:`compare` runs the Go program with the installed Go toolchain under
``GODEBUG=gctrace=1`` (and ``GOGC``, ``GOMEMLIMIT``, ``GOMAXPROCS``), runs
the same workload on gomem with the same settings, reads both sides'
gctrace lines and lines them up: :func:`format_table` prints them cycle by
cycle, :func:`format_summary` prints GC count, mean heap goal, mean heap at
GC start and end, peak heap, live heap, GC CPU % and gomem's deviation from
Go for each; :func:`render_html` draws both sides per cycle on one page
(``--html``).  Instead of running Go it can read a gctrace log captured
elsewhere (``--gctrace-log``), from any Go version since 1.5.  gomem's side
is a :func:`gomem.api.run`, as ``gomem run`` is.

Both sides are read through the same parser, :func:`gomem.cmd.report.read_gctrace`
(any Go version since 1.5; the formats are described there): gomem's figures
come from its own gctrace lines, so both are truncated to whole MB (``>>20``)
the same way and compare like with like.  Other lines a Go program writes to
stderr under gctrace (``GC forced``, ``pacer:``, ``scav…``, gctrace=2's
``scan:`` lines, the program's own output) are skipped.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Sequence

from ..errors import BadInput, GomemError
from .. import workloads
from ..workloads import flag_args
from .report import TraceCycle, read_gctrace, read_gctrace_line
from .runopts import (
    ENV_HELP,
    Progress,
    StderrWriter,
    add_run_options,
    isatty,
    parse_int,
    parse_timeout,
    resolve_env,
)

#: where the Go versions of the built-in workloads live
GO_DIR = workloads.GO_DIR

#: built-in workload -> its Go program (flags are the workload's parameter names)
GO_PROGRAMS = {
    "binary-trees": "binary_trees.go",
    "churn": "churn.go",
    "lru": "lru.go",
    "random": "random.go",
}

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
    workload: str  #: the workload's name, or the Go program's path
    params: dict[str, Any]
    config: dict[str, Any]
    go: Side
    gomem: Side
    args: list[str] = field(default_factory=list)  #: a Go program's os.Args[1:]

    @property
    def is_program(self) -> bool:
        """Whether the comparison is of a Go program given by path (not a built-in workload)."""
        from ..compile import program as gorun

        return gorun.is_program(self.workload)

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
            "args": self.args,
            "config": self.config,
            "go": side(self.go),
            "gomem": side(self.gomem),
            "deviation_percent": self.deviations(),
        }


def go_program(workload: str) -> Path:
    """The Go source of a built-in workload, or the Go program *workload* names (a .go file or a directory)."""
    from ..compile import program as gorun

    if gorun.is_program(workload):
        return Path(workload)
    name = GO_PROGRAMS.get(workload)
    path = GO_DIR / name if name else None
    if path is None or not path.is_file():
        have = ", ".join(sorted(k for k, v in GO_PROGRAMS.items() if (GO_DIR / v).is_file()))
        raise BadInput(f"workload {workload!r} has no Go version to run (Go versions: {have}); use --gctrace-log")
    return path


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
           seed: int = 1, timeout: float = 600, godebug: Sequence[str] = (), args: Sequence[str] = ()) -> Side:
    """Run the workload's Go program (or the Go program *workload*, with *args*) with gctrace on.

    A workload's Go program must succeed; a user's program may exit with
    any status (a panic, ``os.Exit``): it is compared with gomem's.
    """
    from ..compile import program as gorun
    from . import realgo

    src = go_program(workload)
    is_program = gorun.is_program(workload)
    argv = list(args) if is_program else flag_args(params, seed)
    env = go_env(gogc, memory_limit, procs, godebug)
    t0 = time.perf_counter()
    r = realgo.run_go_source(src, args=argv, env=env, timeout=timeout)
    wall = time.perf_counter() - t0
    if r.returncode != 0 and not is_program:
        tail = [ln for ln in r.stderr.splitlines() if read_gctrace_line(ln) is None][-3:]
        raise GomemError(f"{src.name} exited with status {r.returncode}: {' | '.join(tail) or 'no message'}")
    cycles = read_gctrace(r.stderr)
    return Side("go", cycles, r.stdout.splitlines(), realgo.go_version(), "run", wall,
                {"env": env, "args": argv, "exit_status": r.returncode})


def read_go_log(path: str) -> Side:
    """The Go side from a gctrace log captured elsewhere."""
    try:
        text = Path(path).read_text(errors="replace")
    except OSError as e:
        raise BadInput(f"cannot read gctrace log {path}: {e.strerror}") from None
    cycles = read_gctrace(text)
    if not cycles:
        raise BadInput(f"no gctrace lines in {path} (want lines like 'gc 1 @0.001s 10%: ...' from GODEBUG=gctrace=1)")
    eras = sorted({c.era for c in cycles})
    return Side("go", cycles, [], "unknown (" + "/".join(eras) + " format)", path)


def runtime_memory_limit_kwarg() -> str | None:
    """The name of :func:`gomem.api.run`'s memory-limit argument (``memory_limit``), None if it had none.

    Kept for callers that still check (the comparison tests).
    """
    import inspect

    from .. import api

    return "memory_limit" if "memory_limit" in inspect.signature(api.run).parameters else None


def run_gomem(workload: str, params: dict[str, Any], gogc: int, memory_limit: int | None, procs: int,
              seed: int = 1, progress: Callable[[Any], Any] | None = None,
              runtime_kwargs: dict[str, Any] | None = None, gctrace: Callable[[str], Any] | None = None,
              args: Sequence[str] = ()) -> Side:
    """Run the workload (or the Go program *workload*, with *args*) on gomem (:func:`gomem.api.run`) with gctrace on.

    Returns its gctrace lines and output.  A Go program's panic or
    ``os.Exit`` ends the side with the program's exit status, as on Go's
    side; any other failure of the run raises.

    *runtime_kwargs*: further :func:`gomem.api.run` arguments (``gc``,
    ``policy``, ``layout``, ``cost``, ``checkmark``, ``clobberfree``,
    ``gcpacertrace``, ``scavtrace``, ``timeout``); *progress*: a context
    manager factory ``progress(runtime)`` around the run; *gctrace*: also
    called with each gctrace line (``--gctrace`` prints them).
    """
    from .. import __version__, api

    lines: list[str] = []

    def trace(line: str) -> None:
        lines.append(line)
        if gctrace is not None:
            gctrace(line)

    kwargs = dict(runtime_kwargs or {})
    if "mode" in kwargs:  # the Runtime's name for it, as earlier versions took it
        kwargs["gc"] = kwargs.pop("mode")
    from ..compile.program import GoExit, GoPanic

    res = api.run(workload, params=params, args=args, gogc=gogc, memory_limit=memory_limit, procs=procs,
                  seed=seed, gctrace=trace,
                  progress=(lambda rt, label: progress(rt)) if progress is not None else None,
                  check=False, **kwargs)
    status = 0
    if isinstance(res.error, (GoPanic, GoExit)):
        status = res.error.exit_status
    elif res.error is not None:
        raise res.error
    return Side("gomem", read_gctrace("\n".join(lines)), res.output, f"gomem {__version__}", "run", res.wall_seconds,
                {"model_ns": res.runtime.now, "total_alloc": res.runtime.heap.stats.total_alloc,
                 "exit_status": status})


def compare(workload: str, params: dict[str, Any], gogc: int = 100, memory_limit: int | None = None,
            procs: int = 1, seed: int = 1, gctrace_log: str | None = None, go_timeout: float = 600,
            progress: Callable[[Any], Any] | None = None, go_side: Side | None = None,
            runtime_kwargs: dict[str, Any] | None = None, godebug: Sequence[str] = (),
            gctrace: Callable[[str], Any] | None = None, args: Sequence[str] = ()) -> Comparison:
    """Run (or read) the Go side and run gomem's; see the module docstring.

    *workload*: a built-in workload's name (its parameters *params*) or a
    Go program's path (its arguments *args*); *go_side*: the Go side already
    read (from *gctrace_log*); *runtime_kwargs* and *gctrace*: see
    :func:`run_gomem`; *godebug*: GODEBUG settings for the Go program
    besides ``gctrace=1``.
    """
    if go_side is not None:
        go = go_side
    elif gctrace_log is not None:
        go = read_go_log(gctrace_log)
    else:
        go_program(workload)  # a workload without a Go version fails here, before anything runs
        go = run_go(workload, params, gogc, memory_limit, procs, seed, go_timeout, godebug, args)
    mine = run_gomem(workload, params, gogc, memory_limit, procs, seed, progress, runtime_kwargs, gctrace, args)
    config = {
        "gogc": "off" if gogc < 0 else gogc,
        "gomemlimit": memory_limit,
        "procs": procs,
        "seed": seed,
        "gctrace_log": gctrace_log,
    }
    return Comparison(workload, dict(params), config, go, mine, list(args))


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
    pstr = " ".join([f"{k}={v}" for k, v in cmp.params.items()] + (["--", *cmp.args] if cmp.args else []))
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


def output_verdict(cmp: Comparison) -> list[str]:
    """What the comparison says of the two runs' output: whether stdout is the same, and exit statuses that are not 0.

    For a workload a difference is expected where the Python version makes
    its own random choices; for a Go program, the first differing line is
    named.  Nothing when the Go side was read from a log.
    """
    go, me = cmp.go, cmp.gomem
    if go.source != "run":
        return []
    lines = []
    if go.output == me.output:
        if go.output:
            lines.append("program output: identical")
    elif not cmp.is_program:
        lines.append("program output: differs (e.g. random choices are Go's own)")
    else:
        i = next(i for i in range(max(len(go.output), len(me.output)))
                 if go.output[i:i + 1] != me.output[i:i + 1])
        def line(out: list[str]) -> str:
            return repr(out[i]) if i < len(out) else "no line"
        lines.append(f"program output: differs at line {i + 1}: Go {line(go.output)}, gomem {line(me.output)}")
    statuses = go.extra.get("exit_status", 0), me.extra.get("exit_status", 0)
    if statuses != (0, 0):
        same = "the same" if statuses[0] == statuses[1] else "different"
        lines.append(f"exit status: Go {statuses[0]}, gomem {statuses[1]} ({same})")
    return lines


def format_comparison(cmp: Comparison, rows: int | None = None) -> str:
    parts = [format_header(cmp), ""]
    if rows != 0:
        parts += [format_table(cmp, rows), ""]
    parts.append(format_summary(cmp))
    parts += output_verdict(cmp)
    return "\n".join(parts)


#: the two sides' colours on the page
SIDE_COLOR = {"go": "#00897b", "gomem": "#1e88e5"}


def _cycle_chart(cmp: Comparison, title: str, series: Sequence[tuple[str, str, Callable[[TraceCycle], int | None]]]) -> str:
    """One SVG chart over the cycle number: for each (label, dash, value of a cycle), a line per side."""
    from ..viz.report_html import Plot
    from ..viz.svg import _n as num

    n = max(len(cmp.go.cycles), len(cmp.gomem.cycles), 1)
    vals = [v(c) for _, _, v in series for c in cmp.go.cycles + cmp.gomem.cycles]
    ymax = max([v for v in vals if v is not None] + [1])
    p = Plot(title, n, ymax, "GC cycle", "MB")
    body, legend = [], []
    for side in ("go", "gomem"):
        cycles = getattr(cmp, side).cycles
        for label, dash, value in series:
            pts = [(i + 1, value(c)) for i, c in enumerate(cycles) if value(c) is not None]
            if not pts:
                continue
            d = " ".join(f"{num(p.x(x))},{num(p.y(y))}" for x, y in pts)
            dash_attr = ' stroke-dasharray="6 4"' if dash else ""
            body.append(f'<polyline class="{side}" points="{d}" fill="none" stroke="{SIDE_COLOR[side]}" '
                        f'stroke-width="2"{dash_attr} stroke-linejoin="round"/>')
            legend.append((f"{'Go' if side == 'go' else 'gomem'} {label}", SIDE_COLOR[side], "dash" if dash else "line"))
    return p.svg("vsgo", body, legend)


def render_html(cmp: Comparison) -> str:
    """``vs-go --html``: one self-contained page (inline CSS and SVG, no script) with the header, the summary
    with gomem's deviations, charts of both sides' heap at GC end and heap goal, and of the live heap, per
    cycle, and the cycle-by-cycle table."""
    from ..viz.svg import esc

    g, m = cmp.go.summary, cmp.gomem.summary
    dev = cmp.deviations()
    rows = "".join(
        f"<tr><td>{esc(label.strip())}</td><td>{_fmt_val(g[k])}</td><td>{_fmt_val(m[k])}</td><td>{_fmt_dev(dev[k])}</td></tr>"
        for k, label in METRICS
    )
    head = format_header(cmp).splitlines()
    heap = _cycle_chart(cmp, "Heap at GC end and goal",
                        [("heap at GC end", "", lambda c: c.heap1), ("goal", "dash", lambda c: c.goal)])
    live = _cycle_chart(cmp, "Live heap after each GC (marked)", [("live heap", "", lambda c: c.heap2)])
    output = "".join(f"<p>{esc(line)}</p>" for line in output_verdict(cmp))
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(head[0])}</title>",
        "<style>" + _CSS + "</style></head><body>",
        f"<h1>{esc(head[0])}</h1>",
        "<p>" + "<br>".join(esc(x) for x in head[1:]) + "</p>",
        '<section class="card"><h2>Summary</h2><table class="summary"><tr><th></th><th>Go</th><th>gomem</th>'
        "<th>deviation</th></tr>" + rows + "</table>" + output + "</section>",
        f'<section class="card chart-card">{heap}</section>',
        f'<section class="card chart-card">{live}</section>',
        '<section class="card"><details><summary>Cycles</summary><pre>' + esc(format_table(cmp)) + "</pre></details></section>",
        "<footer>Heap figures are gctrace's, whole MB on both sides. Written by <code>gomem vs-go --html</code>; "
        "this file needs no network.</footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"


_CSS = """
body { margin:0 auto; max-width:1100px; padding:12px 20px; font-family:"DejaVu Sans", Verdana, Arial, sans-serif; color:#263238; background:#fafafa; font-size:14px; }
h1 { font-size:18px; } h2 { font-size:15px; margin:4px 0 8px 0; }
.card { background:#fff; border:1px solid #e0e0e0; border-radius:6px; padding:10px 14px; margin:12px 0; overflow-x:auto; }
.chart-card svg { max-width:100%; height:auto; }
table.summary td, table.summary th { padding:2px 10px; text-align:right; } table.summary td:first-child { text-align:left; }
pre { font-size:12px; } footer { color:#78909c; font-size:12px; margin:16px 0; }
"""


def write_html(path: str, cmp: Comparison) -> None:
    from .fsutil import write_output

    write_output(path, render_html(cmp))


def write_json(path: str, cmp: Comparison) -> None:
    from .fsutil import write_output

    write_output(path, json.dumps(cmp.as_dict(), indent=2, default=str) + "\n")


# -- the command line ----------------------------------------------------------------------


def add_parser(sub) -> None:
    """Add ``gomem vs-go`` to the ``gomem`` subcommands (*sub*: argparse's subparsers)."""
    v = sub.add_parser(
        "vs-go",
        help="run a workload or a Go program on gomem and on the real Go runtime; compare their gctrace cycle by cycle",
        description=(
            "Run a built-in workload on gomem and its Go version (workloads/go/*.go), or a Go program "
            "(with ARGS after --) on gomem and as it is, on the installed Go "
            "toolchain with GODEBUG=gctrace=1 and the same GOGC, GOMEMLIMIT and GOMAXPROCS; print both "
            "sides' GC cycles, a summary with gomem's deviation from Go, and whether the program's output "
            "and exit status are the same.  --gctrace-log reads the Go "
            "side from a log captured elsewhere (any Go version since 1.5) instead.  GOGC, GOMEMLIMIT, "
            "GOMAXPROCS and GODEBUG are read from the environment as 'gomem run' reads them; an option wins.  "
            "--gc, --policy, --layout and --cost set gomem's side only (Go runs its own collector); "
            "--checkmark/--clobberfree also pass gccheckmark=1/clobberfree=1 to the Go program; "
            "--gctrace, --gcpacertrace and --scavtrace print gomem's lines on stderr."
        ),
        epilog=ENV_HELP,
    )
    v.add_argument("workload", metavar="WORKLOAD|PROGRAM",
                   help="workload name (see 'gomem workloads'), or a Go program: a .go file or a directory "
                   "holding one package main")
    v.add_argument("program_args", nargs="*", metavar="-- ARGS", help="the Go program's os.Args[1:] (both sides)")
    # the options gomem run has (one definition); --procs defaults to $GOMAXPROCS, else the P of a --gctrace-log, else 1
    add_run_options(v)
    v.add_argument("--gctrace-log", metavar="FILE", help="read Go's gctrace lines from FILE instead of running Go")
    v.add_argument("--rows", default=None, metavar="N",
                   help="show at most N cycles of the table (first and last ones); 0: the summary only")
    v.add_argument("--go-timeout", default="600", metavar="SECONDS", help="give up on the Go program after this long")
    v.add_argument("--json", metavar="FILE", help="write both sides' cycles, summaries and deviations as JSON (- for stdout)")
    v.add_argument("--html", metavar="FILE", help="write a self-contained page with the summary, charts of both sides' "
                   "heap per cycle and the cycle table (- for stdout)")


def cmd_vs_go(args) -> int:
    """``gomem vs-go``: see :func:`add_parser`."""
    import sys

    from .. import workloads
    from .fsutil import check_writable
    from ..runtime.mgcpacer import parse_gogc, parse_gomemlimit
    from ..runtime.sched import CostModel

    from ..compile import program as gorun

    if gorun.is_program(args.workload):
        if args.param:
            raise BadInput("--param is for built-in workloads; give a Go program its arguments after --")
        params: dict[str, Any] = {}
        gorun.load(args.workload)  # a program gomem cannot run fails here, before Go runs
    else:
        if args.program_args:
            raise BadInput(f"unexpected arguments {' '.join(args.program_args)!r}: only a Go program takes ARGS")
        params = workloads.get(args.workload).resolve(args.param)
    resolve_env(args)  # GOGC, GOMEMLIMIT, GOMAXPROCS, GODEBUG: the option wins, else the environment
    gogc = parse_gogc(args.gogc)
    limit: int | None = parse_gomemlimit(args.gomemlimit)
    if limit is not None and limit >= (1 << 63) - 1:
        limit = None  # off
    seed = parse_int("--seed", args.seed)
    rows = parse_int("--rows", args.rows, 0) if args.rows is not None else None
    timeout = parse_int("--go-timeout", args.go_timeout, 1)
    cost = CostModel().override(args.cost)
    for path in (args.json, args.html):
        if path is not None:  # "" is a path too (an error, as in Go)
            check_writable(path)
    go_side = None
    if args.gctrace_log is not None:
        go_side = read_go_log(args.gctrace_log)
        log_procs = next((c.procs for c in reversed(go_side.cycles) if c.procs is not None), None)
        if args.procs is None:
            procs = log_procs or 1
        else:
            procs = parse_int("--procs", args.procs, 1, 256)
            if log_procs is not None and log_procs != procs:
                print(f"gomem: note: the log's runs had {log_procs} P, gomem runs with {procs}", file=sys.stderr)
    else:
        procs = parse_int("--procs", args.procs, 1, 256) if args.procs is not None else 1
    err = StderrWriter()
    progress: Callable[[Any], Any] | None = None
    if not args.no_progress and isatty(sys.stderr):
        progress = lambda rt: Progress(rt, f"{args.workload} (gomem side)", err)  # noqa: E731
    runtime_kwargs: dict[str, Any] = {
        "gc": args.gc,
        "policy": args.policy,
        "layout": args.layout,
        "cost": cost,
        "checkmark": args.checkmark,
        "clobberfree": args.checkmark or args.clobberfree,
        "gcpacertrace": err.line if args.gcpacertrace else None,
        "scavtrace": err.line if args.scavtrace else None,
        "timeout": parse_timeout(args.timeout) if args.timeout is not None else None,
    }
    godebug = [k for k, on in (("gccheckmark=1", args.checkmark), ("clobberfree=1", args.clobberfree)) if on]
    cmp = compare(args.workload, params, gogc, limit, procs, seed, args.gctrace_log, timeout, progress, go_side,
                  runtime_kwargs, godebug, err.line if args.gctrace else None, args.program_args)
    print(format_comparison(cmp, rows))
    sys.stdout.flush()
    if args.json is not None:
        write_json(args.json, cmp)
    if args.html is not None:
        write_html(args.html, cmp)
    return 0
