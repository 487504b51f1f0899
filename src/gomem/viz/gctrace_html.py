"""The pictures of ``gomem gctrace LOG``: a real program's gctrace log drawn as the run report draws a model run.

Three charts, on the axes and in the styles of :mod:`gomem.viz.report_html`
(its :class:`~gomem.viz.report_html.Plot`, :func:`~gomem.viz.report_html.pause_chart`
and CSS), over wall-clock seconds since the program started:

* **heap** — per cycle the heap at the start (``heap0``, at ``@``, the
  sweep termination), at the end of marking (``heap1``, at ``@`` + the
  clock phases up to mark termination) and the live heap marked
  (``heap2``, at ``@`` + every clock phase), joined as a sawtooth; the
  goal of each cycle (dashed, from the end of the cycle before); the
  live heap as dots;
* **stop-the-world pauses** per cycle: the first clock phase (sweep
  termination) and the last (mark termination);
* **GC CPU** — the cumulative percentage each line prints, and the GC CPU
  of each cycle over the interval since the previous cycle ended
  (``GOMAXPROCS`` × the interval), idle marking excluded, as Go's
  ``GCCPUFraction`` counts it.

Simplification: between two lines the log says nothing of the heap, so
the sawtooth is drawn straight from one cycle's live heap to the next
cycle's start.  A log holding several runs is drawn for its last run
(the table and ``--json`` have them all).
"""

from __future__ import annotations

from typing import Sequence

from ..cmd.report import GctraceLog, TraceCycle, fmt_duration
from .report_html import _CSS, Plot, _empty, _polyline, pause_chart
from .scales import time_unit
from .svg import esc
from .svg import _n as n_

MAX_DOTS = 400
MAX_ROWS = 2000


def _last_run(log: GctraceLog) -> list[TraceCycle]:
    if not log.cycles:
        return []
    last = log.cycles[-1][1]
    return [c for _, run, c in log.cycles if run == last]


def _end_s(c: TraceCycle) -> float:
    return c.at + sum(c.clock_ms) / 1000.0


def heap_chart(cycles: Sequence[TraceCycle]) -> str:
    """Heap at the start, end and live of each cycle, and each cycle's goal, over seconds since the start."""
    if not cycles:
        return _empty(Plot("Heap (gctrace)", 1, 1, "seconds", "MB"), "heap", "no GC cycle in this log")
    tmax = max(_end_s(c) for c in cycles)
    tu, tdiv = time_unit(tmax * 1e9)
    k = 1e9 / tdiv  # seconds to the axis unit
    ymax = max(max(c.heap0, c.heap1, c.heap2, c.goal or 0) for c in cycles)
    p = Plot("Heap per GC cycle (gctrace, MB)", tmax * k, ymax, f"time since the program started ({tu})", "heap (MB)")
    live: list[tuple[float, float]] = []
    goal: list[tuple[float, float]] = []
    prev_end = 0.0
    for c in cycles:
        mark_end = c.at + sum(c.clock_ms[:-1]) / 1000.0
        live += [(c.at * k, c.heap0), (mark_end * k, c.heap1), (_end_s(c) * k, c.heap2)]
        if c.goal is not None:
            goal += [(prev_end * k, c.goal), (_end_s(c) * k, c.goal)]
        prev_end = _end_s(c)
    body = [_polyline(p, goal, "#fb8c00", 2, "6 4", "goal"), _polyline(p, live, "#1e88e5", 2, "", "live")]
    if len(cycles) <= MAX_DOTS:
        for c in cycles:
            tip = f"GC {c.n} @{c.at:.3f}s: {c.heap0}->{c.heap1}->{c.heap2} MB" + (f", {c.goal} MB goal" if c.goal is not None else "")
            body.append(f'<circle class="marked" cx="{n_(p.x(_end_s(c) * k))}" cy="{n_(p.y(c.heap2))}" r="3" '
                        f'fill="#2e7d32"><title>{esc(tip)}</title></circle>')
    legend = [("heap start \u2192 end \u2192 live", "#1e88e5", "line"), ("heap goal", "#fb8c00", "dash"),
              ("live heap (marked)", "#2e7d32", "dot")]
    return p.svg("heap", body, legend)


def pauses_chart(cycles: Sequence[TraceCycle]) -> str:
    """The two stop-the-world phases of each cycle, stacked (the run report's pause chart)."""
    pauses = []
    for c in cycles:
        start = int(c.at * 1e9)
        pauses.append((c.n, "sweep termination", start, round(c.clock_ms[0] * 1e6)))
        pauses.append((c.n, "mark termination", start, round(c.clock_ms[-1] * 1e6)))
    return pause_chart(pauses)


def cycle_gc_cpu_ms(c: TraceCycle) -> float:
    """GC CPU of one cycle, idle marking excluded: every CPU figure but the idle one (the last but one)."""
    return sum(c.cpu_ms) - c.cpu_ms[-2]


def gc_cpu_chart(cycles: Sequence[TraceCycle]) -> str:
    """Cumulative GC CPU % as printed, and per interval between cycle ends."""
    if not cycles:
        return _empty(Plot("GC CPU (gctrace)", 1, 1, "seconds", "%"), "gccpu", "no GC cycle in this log")
    tmax = max(_end_s(c) for c in cycles)
    tu, tdiv = time_unit(tmax * 1e9)
    k = 1e9 / tdiv
    per: list[tuple[float, float, float]] = []
    prev = 0.0
    for c in cycles:
        span_ms = max(1e-6, (_end_s(c) - prev) * 1000.0 * (c.procs or 1))
        per.append((prev * k, _end_s(c) * k, min(100.0, 100.0 * cycle_gc_cpu_ms(c) / span_ms)))
        prev = _end_s(c)
    ymax = max([v for _, _, v in per] + [float(c.pct) for c in cycles] + [1.0])
    p = Plot("GC CPU (idle marking excluded)", tmax * k, min(100.0, ymax * 1.1), f"time since the program started ({tu})", "GC CPU (%)")
    steps = [pt for t0, t1, v in per for pt in ((t0, v), (t1, v))]
    cum = [(0.0, 0.0)] + [(_end_s(c) * k, float(c.pct)) for c in cycles]
    body = [_polyline(p, steps, "#8e24aa", 1.5, "", "per-cycle"), _polyline(p, cum, "#00897b", 2.5, "", "cumulative")]
    return p.svg("gccpu", body, [("per cycle interval", "#8e24aa", "line"), ("cumulative (gctrace %)", "#00897b", "line")])


def charts(log: GctraceLog) -> list[str]:
    """heap, pauses, GC CPU: the SVG documents of ``--svg DIR`` (in :data:`gomem.cmd.gctrace.SVG_FILES` order)."""
    cycles = _last_run(log)
    head = '<?xml version="1.0" encoding="UTF-8"?>\n'
    return [head + s.replace("<svg ", '<svg xmlns="http://www.w3.org/2000/svg" ', 1) + "\n"
            for s in (heap_chart(cycles), pauses_chart(cycles), gc_cpu_chart(cycles))]


def _rows(log: GctraceLog) -> str:
    out = []
    for no, run, c in log.cycles[:MAX_ROWS]:
        out.append(f"<tr><td>{no}</td><td>{run}</td><td>{c.n}</td><td>{c.at:.3f}</td><td>{c.heap0} \u2192 {c.heap1} \u2192 {c.heap2}</td>"
                   f"<td>{'' if c.goal is None else c.goal}</td><td>{esc(fmt_duration(c.pause_ms * 1e6))}</td><td>{c.pct}%</td>"
                   f"<td><code>{esc(c.line)}</code></td></tr>")
    return "".join(out)


def render_page(name: str, log: GctraceLog) -> str:
    """The ``--html`` page: the three charts, the unparsed lines and the cycles."""
    cycles = _last_run(log)
    forced = sum(1 for _, _, c in log.cycles if c.forced)
    runs = log.cycles[-1][1] if log.cycles else 0
    errs = "".join(f"<li>line {no}: {esc(why)}: <code>{esc(text[:300])}</code></li>" for no, text, why in log.errors[:500])
    more = f"<p>… and {len(log.cycles) - MAX_ROWS} more cycles (see --json).</p>" if len(log.cycles) > MAX_ROWS else ""
    drawn = f" (the charts show run {runs}, {len(cycles)} cycles)" if runs > 1 else ""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>gctrace {esc(name)}</title>",
        "<style>" + _CSS + "</style></head><body>",
        f'<h1>gctrace <span class="sub">{esc(name)}</span></h1>',
        f'<section class="card summary"><p>{len(log.cycles)} GC cycles ({forced} forced) in {runs} run{"s" if runs != 1 else ""}{drawn}; '
        f"{len(log.scav)} scavenger lines; {len(log.errors)} lines not parsed; {log.lines} lines in all.</p></section>",
        '<section class="card chart-card">' + heap_chart(cycles) + "</section>",
        '<section class="card chart-card">' + pauses_chart(cycles) + "</section>",
        '<section class="card chart-card">' + gc_cpu_chart(cycles) + "</section>",
    ]
    if errs:
        parts.append(f'<section class="card errors"><h2>Not parsed ({len(log.errors)})</h2><ul>{errs}</ul></section>')
    parts += [
        f'<section class="card"><details{" open" if len(log.cycles) <= 20 else ""}><summary>Cycles ({len(log.cycles)})</summary>'
        '<table class="grid-table cycles"><tr><th>line</th><th>run</th><th>GC</th><th>@s</th><th>start \u2192 end \u2192 live MB</th>'
        "<th>goal MB</th><th>pause</th><th>CPU</th><th>gctrace</th></tr>" + _rows(log) + "</table>" + more + "</details></section>",
        "<footer>Wall-clock time of the traced program, as its gctrace lines print it. Written by <code>gomem gctrace --html</code>.</footer>",
        "</body></html>",
    ]
    return "\n".join(parts) + "\n"
