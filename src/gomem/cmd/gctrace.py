"""``gomem gctrace LOG``: a real service's ``GODEBUG=gctrace=1`` log read back as a table and pictures.

The log is read by the package's one gctrace parser,
:func:`gomem.cmd.report.read_gctrace_log` (which reads every format from Go
1.5 to 1.27 — the formats and their sources are listed there and beside
:data:`gomem.cmd.report.GCTRACE_ANY_RE`).  Lines of the program's own output
are skipped; a line that starts like a runtime line but does not parse is
reported on standard error as ``LOG:LINE: why: text``; the cycles still read
are reported (exit status 0).  A log with no gctrace line at all is bad
input: one line, exit status 2 (bad input), nothing written.

* stdout: one row per cycle — number, time since the program started, the
  cumulative GC CPU %, heap at the start → at the end → live (MB), goal,
  the stop-the-world pause (sweep termination + mark termination, wall
  clock), the concurrent mark's wall time, P and ``forced``;
* ``--json FILE``: ``{"log", "cycles": [...], "scavenger": [...], "errors": [...]}``;
  each cycle has every field any version prints, by name, ``null`` where
  the line's version lacks it (:func:`cycle_doc`);
* ``--html FILE``: a self-contained page (:func:`gomem.viz.gctrace_html.render_page`);
* ``--svg DIR``: the same pictures as ``heap.svg``, ``pauses.svg``, ``gccpu.svg``.

Every output path is checked before anything is written, and each file is
written whole through :func:`gomem.cmd.fsutil.write_output`.

Simplification: heap figures are the log's — MiB truncated (``>>20``) — so
the pictures' heap axis has 1 MB steps; times are wall-clock seconds since
the program started, as printed (``@`` is the cycle's start, the sweep
termination).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

from ..errors import BadInput
from .report import GctraceLog, TraceCycle, read_gctrace_log

#: the phases of each format, in print order (``gcMarkTermination``'s ``ms clock`` / ``ms cpu`` fields)
CLOCK_5 = ("sweep_term", "scan", "install_wb", "mark", "mark_term")  # Go 1.5-1.6
CLOCK_3 = ("sweep_term", "mark", "mark_term")  # Go 1.7 on
CPU_5 = ("sweep_term", "scan", "install_wb", "assist", "background", "idle", "mark_term")
CPU_3 = ("sweep_term", "assist", "background", "idle", "mark_term")
SVG_FILES = ("heap.svg", "pauses.svg", "gccpu.svg")


def cycle_doc(line: int, run: int, c: TraceCycle) -> dict[str, Any]:
    """One cycle's fields by name; ``None`` where the line's Go version does not print the field."""
    five = len(c.clock_ms) == 5
    clock = dict(zip(CLOCK_5 if five else CLOCK_3, c.clock_ms))
    cpu = dict(zip(CPU_5 if five else CPU_3, c.cpu_ms))
    d: dict[str, Any] = {"line": line, "run": run, "n": c.n, "format": c.era, "at_s": c.at,
                         "gc_cpu_percent": c.pct, "forced": c.forced, "note": c.note or None}
    d.update({f"clock_{k}_ms": clock.get(k) for k in CLOCK_5})
    d.update({f"cpu_{k}_ms": cpu.get(k) for k in CPU_5})
    d.update({"heap_start_mb": c.heap0, "heap_end_mb": c.heap1, "heap_live_mb": c.heap2, "heap_goal_mb": c.goal,
              "stacks_mb": c.stacks, "globals_mb": c.globals, "procs": c.procs,
              "pause_ms": round(c.pause_ms, 6), "wall_ms": round(sum(c.clock_ms), 6)})
    return d


def log_doc(name: str, log: GctraceLog) -> dict[str, Any]:
    """What ``--json`` writes."""
    return {
        "log": name,
        "lines": log.lines,
        "cycles": [cycle_doc(no, run, c) for no, run, c in log.cycles],
        "scavenger": log.scav,
        "errors": [{"line": no, "text": text, "why": why} for no, text, why in log.errors],
    }


def format_table(log: GctraceLog) -> str:
    """The cycles as a fixed-width table (the text ``gomem gctrace`` prints)."""
    head = f"{'run':>3} {'gc':>6} {'@s':>10} {'cpu%':>4}  {'start->end->live MB':>21} {'goal MB':>7} " \
           f"{'pause ms':>9} {'mark ms':>9} {'P':>3}  format"
    rows = [head]
    for _no, run, c in log.cycles:
        heap = f"{c.heap0}->{c.heap1}->{c.heap2}"
        goal = "-" if c.goal is None else str(c.goal)
        mark = sum(c.clock_ms[1:-1])
        procs = "-" if c.procs is None else str(c.procs)
        flags = c.era + (" forced" if c.forced else "") + (f" {c.note}" if c.note else "")
        rows.append(f"{run:>3} {c.n:>6} {c.at:>10.3f} {c.pct:>4}  {heap:>21} {goal:>7} "
                    f"{c.pause_ms:>9.3f} {mark:>9.3f} {procs:>3}  {flags}")
    n = len(log.cycles)
    forced = sum(1 for _, _, c in log.cycles if c.forced)
    pause = sum(c.pause_ms for _, _, c in log.cycles)
    runs = log.cycles[-1][1] if log.cycles else 0
    rows.append(f"{n} cycles ({forced} forced) in {runs} run{'s' if runs != 1 else ''}, "
                f"STW pause total {pause:.3f} ms; {len(log.scav)} scavenger lines; {len(log.errors)} unparsed")
    return "\n".join(rows)


def read_log(path: str) -> tuple[str, str]:
    """(name, text) of LOG, ``-`` being standard input; errors in Go's words."""
    if path == "-":
        return "<stdin>", sys.stdin.read()
    try:
        with open(path, encoding="utf-8", errors="replace") as f:
            return path, f.read()
    except OSError as e:
        from .fsutil import go_error

        raise go_error("open", path, e) from None


def add_parser(sub) -> None:
    p = sub.add_parser(
        "gctrace",
        help="read a real program's GODEBUG=gctrace=1 log (Go 1.5-1.27): a table, --json, --html, --svg",
        description="Read a gctrace log (any Go version from 1.5 to 1.27, mixed with the program's output) "
                    "and report its cycles as a table and as pictures.",
    )
    p.add_argument("log", metavar="LOG", help="the log file (- for standard input)")
    p.add_argument("--json", metavar="FILE", help="write the cycles with named fields as JSON (- for stdout)")
    p.add_argument("--html", metavar="FILE", help="write a self-contained page with the pictures (- for stdout)")
    p.add_argument("--svg", metavar="DIR", help="write the pictures as SVG files into DIR (created if missing)")


def _svg_dir(d: str) -> list[str]:
    """The SVG paths in DIR, creating DIR; each checked writable."""
    from .fsutil import check_writable, go_error

    try:
        os.makedirs(d, exist_ok=True)
    except OSError as e:
        raise go_error("mkdir", d, e) from None
    paths = [os.path.join(d, f) for f in SVG_FILES]
    for path in paths:
        check_writable(path)
    return paths


def cmd_gctrace(args) -> int:
    from .fsutil import check_writable, is_stdout, write_output

    name, text = read_log(args.log)
    log = read_gctrace_log(text)
    for no, line, why in log.errors:
        print(f"gomem: {name}:{no}: {why}: {line[:200]}", file=sys.stderr)
    if not log.cycles:
        raise BadInput(f"{name}: no gctrace lines (the output of GODEBUG=gctrace=1) in {log.lines} lines")
    for path in (args.json, args.html):
        if path is not None:
            check_writable(path)
    svg_paths = _svg_dir(args.svg) if args.svg is not None else []
    outputs: list[tuple[str, str]] = []
    if args.json is not None:
        outputs.append((args.json, json.dumps(log_doc(name, log), indent=1) + "\n"))
    if args.html is not None or svg_paths:
        from ..viz import gctrace_html

        if args.html is not None:
            outputs.append((args.html, gctrace_html.render_page(name, log)))
        outputs += list(zip(svg_paths, gctrace_html.charts(log)))
    if not any(is_stdout(p) for p, _ in outputs):
        print(format_table(log))
    sys.stdout.flush()
    for path, body in outputs:
        write_output(path, body)
    return 0
