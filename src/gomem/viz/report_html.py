"""The run report of ``gomem run … --html FILE``: charts rather than numbers.

One self-contained HTML file (inline CSS and SVG, no script, no network)
with, in model time:

* **heap** — the live heap's sawtooth as gctrace sees it (``heap0`` when a
  cycle is triggered, ``heap1`` at mark termination, ``heap2`` = marked
  live bytes after it, which is where ``heapLive`` restarts), the heap goal
  of each cycle, and the marked live heap;
* **leaks over time**, when the run kept a heap profile (a Go program run with ``--memprofile`` or
  ``--memprofilerate``; :class:`gomem.runtime.sitegrowth.SiteGrowth` sampled it at every mark
  termination): in-use bytes of the top allocation sites at every GC cycle, the goroutine count
  over model time, the sites whose in-use bytes grew every cycle, and the goroutines alive at
  the end grouped by what they wait for;
* **stop-the-world pauses** per cycle, stacked by phase;
* **GC CPU** — per interval between two cycle ends (GC CPU time of the
  cycle over ``GOMAXPROCS`` × the interval) and cumulative
  (``GCCPUFraction`` as of each cycle's end), idle marking excluded as
  Go does;
* **timeline** — the GC phases, the stop-the-world pauses and what each P
  did (goroutines, mark workers, assists, sweeping, the scavenger), one
  pixel column at a time (:func:`gomem.viz.timeline.timeline_svg`; the
  full trace is ``--trace``);
* **minimum mutator utilization** over window sizes from 10 µs to the
  run's length (:mod:`gomem.cmd.mmu`), with and without sweeping;
* **per-size-class occupancy** at the end of the run — bytes in allocated
  slots against the bytes of the in-use spans of each size class (and
  large objects);
* the summary (the same figures ``gomem run`` prints), the configuration,
  the main MemStats fields and a table of cycles with their gctrace lines.

A failed run (out of memory, a checkmark loss …) gets the same report as
read at the failure: the error first (what, at which model time, in which
cycle and phase, the lost objects' paths), the summary and MemStats read
then, the charts of the cycles that completed, the GC CPU since the last
cycle end (the cycle in progress) dashed, and a red line at the failure.

The charts are drawn for the card's width (:data:`W`) with a ``viewBox``
and ``width="100%"``, so they fill their card and stay sharp at any size.

Model simplification: the heap curve is drawn through the points each
cycle records (trigger, mark termination, end) and the end of the run, not
sampled continuously; between them the program allocated at some rate the
model does not record.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Sequence

from ..runtime import sizeclasses as scl
from ..runtime.mspan import SPAN_IN_USE
from ..cmd.report import PHASES, cycle_gc_cpu_ns, fmt_bytes, fmt_duration
from ..runtime.trace import gctrace_line
from .scales import byte_unit, nice_ticks, time_unit
from .svg import FONT, esc, text_width
from .svg import _n as n_

if TYPE_CHECKING:  # pragma: no cover
    from ..runtime.mstats import MemStats
    from ..cmd.report import Summary
    from ..runtime.runtime import Runtime

#: the chart's coordinate width: the card's inner width on a wide screen (drawn at 100% of the card)
W, H = 1040, 320
PAD_L, PAD_R, PAD_T, PAD_B = 72, 20, 34, 44
PHASE_COLOR = {"sweep termination": "#ef5350", "mark": "#ab47bc", "mark termination": "#5c6bc0"}
MAX_CYCLE_ROWS = 500


# -- scales ---------------------------------------------------------------------------------------


def _fmt_tick(v: float) -> str:
    if v == int(v):
        return str(int(v))
    return f"{v:.3g}"


class Plot:
    """An x/y chart area: axes, ticks, and coordinate mapping."""

    def __init__(
        self, title: str, xmax: float, ymax: float, xlabel: str, ylabel: str, width: int = W, height: int = H,
        xticks: Sequence[tuple[float, str]] | None = None,
    ) -> None:
        self.title, self.xlabel, self.ylabel = title, xlabel, ylabel
        self.w, self.h = width, height
        self.xt = nice_ticks(0, xmax if xmax > 0 else 1) if xticks is None else [0.0, float(xmax)]
        self.custom_xticks = xticks
        self.yt = nice_ticks(0, ymax if ymax > 0 else 1)
        self.x1, self.y1 = self.xt[-1], self.yt[-1]
        self.parts: list[str] = []

    def x(self, v: float) -> float:
        return PAD_L + (self.w - PAD_L - PAD_R) * (v / self.x1 if self.x1 else 0)

    def y(self, v: float) -> float:
        return self.h - PAD_B - (self.h - PAD_T - PAD_B) * (v / self.y1 if self.y1 else 0)

    def axes(self) -> list[str]:
        o = []
        for t in self.yt:
            yy = n_(self.y(t))
            o.append(f'<line x1="{PAD_L}" y1="{yy}" x2="{self.w - PAD_R}" y2="{yy}" stroke="#eceff1"/>')
            o.append(f'<text x="{PAD_L - 6}" y="{n_(self.y(t) + 4)}" font-size="11" fill="#607d8b" text-anchor="end">{esc(_fmt_tick(t))}</text>')
        xticks = self.custom_xticks if self.custom_xticks is not None else [(t, _fmt_tick(t)) for t in self.xt]
        for t, label in xticks:
            xx = n_(self.x(t))
            o.append(f'<line x1="{xx}" y1="{self.h - PAD_B}" x2="{xx}" y2="{self.h - PAD_B + 4}" stroke="#90a4ae"/>')
            o.append(f'<text x="{xx}" y="{self.h - PAD_B + 16}" font-size="11" fill="#607d8b" text-anchor="middle">{esc(label)}</text>')
        o.append(f'<line x1="{PAD_L}" y1="{self.h - PAD_B}" x2="{self.w - PAD_R}" y2="{self.h - PAD_B}" stroke="#90a4ae"/>')
        o.append(f'<line x1="{PAD_L}" y1="{PAD_T}" x2="{PAD_L}" y2="{self.h - PAD_B}" stroke="#90a4ae"/>')
        o.append(f'<text x="{(PAD_L + self.w - PAD_R) // 2}" y="{self.h - 8}" font-size="11" fill="#455a64" text-anchor="middle">{esc(self.xlabel)}</text>')
        o.append(
            f'<text x="14" y="{(PAD_T + self.h - PAD_B) // 2}" font-size="11" fill="#455a64" text-anchor="middle" '
            f'transform="rotate(-90 14 {(PAD_T + self.h - PAD_B) // 2})">{esc(self.ylabel)}</text>'
        )
        return o

    def legend(self, items: Sequence[tuple[str, str, str]]) -> list[str]:
        """(label, colour, kind: line|dash|box|dot) at the top right."""
        o = []
        x = self.w - PAD_R
        for label, color, kind in reversed(items):
            x -= text_width(label, 11) * 1.12 + 32
            ly = PAD_T - 14
            if kind == "box":
                o.append(f'<rect x="{n_(x)}" y="{ly - 5}" width="14" height="10" fill="{color}"/>')
            elif kind == "dot":
                o.append(f'<circle cx="{n_(x + 7)}" cy="{ly}" r="4" fill="{color}"/>')
            else:
                dash = ' stroke-dasharray="6 4"' if kind == "dash" else ""
                o.append(f'<line x1="{n_(x)}" y1="{ly}" x2="{n_(x + 16)}" y2="{ly}" stroke="{color}" stroke-width="2.5"{dash}/>')
            o.append(f'<text x="{n_(x + 20)}" y="{ly + 4}" font-size="11" fill="#37474f">{esc(label)}</text>')
        return o

    def svg(self, cls: str, body: list[str], legend: Sequence[tuple[str, str, str]] = ()) -> str:
        head = (
            f'<svg class="chart {cls}" width="100%" viewBox="0 0 {self.w} {self.h}" preserveAspectRatio="xMidYMid meet" '
            f'font-family="{FONT}" role="img" aria-label="{esc(self.title)}">'
        )
        title = f'<text x="{PAD_L}" y="16" font-size="13" font-weight="bold" fill="#263238">{esc(self.title)}</text>'
        return "\n".join([head, f"<title>{esc(self.title)}</title>", title] + self.axes() + body + list(self.legend(legend)) + ["</svg>"])


def _polyline(p: Plot, pts: Sequence[tuple[float, float]], color: str, width: float = 2, dash: str = "", cls: str = "") -> str:
    if not pts:
        return ""
    d = " ".join(f"{n_(p.x(x))},{n_(p.y(y))}" for x, y in pts)
    dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
    return f'<polyline class="{cls}" points="{d}" fill="none" stroke="{color}" stroke-width="{n_(width)}"{dash_attr} stroke-linejoin="round"/>'


def _failure_mark(p: Plot, x: float, label: str) -> str:
    """A vertical red line at *x* (data units) where the run failed."""
    xx = n_(p.x(x))
    return (
        f'<g class="failure-mark"><line x1="{xx}" y1="{PAD_T}" x2="{xx}" y2="{p.h - PAD_B}" stroke="#c62828" stroke-width="2" stroke-dasharray="4 3"/>'
        f'<text x="{n_(p.x(x) - 4)}" y="{PAD_T + 12}" font-size="11" font-weight="bold" fill="#c62828" text-anchor="end">{esc(label)}</text></g>'
    )


def _empty(p: Plot, cls: str, msg: str) -> str:
    return p.svg(cls, [f'<text x="{p.w // 2}" y="{p.h // 2}" font-size="13" fill="#90a4ae" text-anchor="middle">{esc(msg)}</text>'])


# -- charts -----------------------------------------------------------------------------------------


def heap_chart(records: Sequence[Any], t_end: int, heap_alloc_end: int, goal_now: int = 0, failed_at: int | None = None) -> str:
    """Heap live (sawtooth through each cycle's heap0/heap1/heap2), heap goal and marked live heap.

    *failed_at*: the model time the run failed at, marked with a red line."""
    tmax = max([t_end] + [r.t_end for r in records] + [1])
    ymax = max([heap_alloc_end, goal_now] + [max(r.heap0, r.heap1, r.heap2, r.heap_goal, r.next_goal) for r in records] + [1])
    tu, tdiv = time_unit(tmax)
    bu, bdiv = byte_unit(ymax)
    p = Plot("Heap over model time", tmax / tdiv, ymax / bdiv, f"model time ({tu})", f"heap ({bu})")
    live: list[tuple[float, float]] = [(0.0, 0.0)]
    goal: list[tuple[float, float]] = []
    marks = []
    prev_end = 0
    for r in records:
        live += [(r.t_sweep_term / tdiv, r.heap0 / bdiv), (r.t_mark_term / tdiv, r.heap1 / bdiv), (r.t_end / tdiv, r.heap2 / bdiv)]
        goal += [(prev_end / tdiv, r.heap_goal / bdiv), (r.t_end / tdiv, r.heap_goal / bdiv)]
        marks.append(r)
        prev_end = r.t_end
    live.append((t_end / tdiv, heap_alloc_end / bdiv))
    last_goal = records[-1].next_goal if records else goal_now
    if last_goal:
        goal += [(prev_end / tdiv, last_goal / bdiv), (t_end / tdiv, last_goal / bdiv)]
    body = [
        _polyline(p, goal, "#fb8c00", 2, "6 4", "goal"),
        _polyline(p, live, "#1e88e5", 2, "", "live"),
    ]
    if failed_at is not None:
        body.append(_failure_mark(p, failed_at / tdiv, "failure"))
    if len(marks) <= 400:
        for r in marks:
            body.append(
                f'<circle class="marked" cx="{n_(p.x(r.t_end / tdiv))}" cy="{n_(p.y(r.heap2 / bdiv))}" r="3" fill="#2e7d32">'
                f"<title>{esc(f'GC {r.n}: {fmt_bytes(r.heap0)} -> {fmt_bytes(r.heap1)} -> {fmt_bytes(r.heap2)} live, goal {fmt_bytes(r.heap_goal)}')}</title></circle>"
            )
    return p.svg(
        "heap",
        body,
        [("heap live (heap0 \u2192 heap1 \u2192 heap2)", "#1e88e5", "line"), ("heap goal", "#fb8c00", "dash"), ("marked live (heap2)", "#2e7d32", "dot")],
    )


def pause_chart(pauses: Sequence[tuple[int, str, int, int]]) -> str:
    """Stop-the-world time per cycle, stacked by phase."""
    per: dict[int, dict[str, int]] = {}
    for cycle, phase, _start, ns in pauses:
        per.setdefault(cycle, {}).setdefault(phase, 0)
        per[cycle][phase] += ns
    cycles = sorted(per)
    p0 = Plot("Stop-the-world pauses per cycle", 1, 1, "GC cycle", "pause")
    if not cycles:
        return _empty(p0, "pauses", "no stop-the-world pause in this run")
    ymax = max(sum(v.values()) for v in per.values())
    tu, tdiv = time_unit(ymax)
    phases = [ph for ph in PHASES if any(ph in v for v in per.values())] + sorted(
        {ph for v in per.values() for ph in v if ph not in PHASES}
    )
    n = len(cycles)
    every = max(1, math.ceil(n / 12))
    ticks = [(i + 0.5, str(c)) for i, c in enumerate(cycles) if i % every == 0]
    p = Plot("Stop-the-world pauses per cycle", n, ymax / tdiv, "GC cycle", f"pause ({tu})", xticks=ticks)
    slot = (p.w - PAD_L - PAD_R) / p.x1
    bw = max(1.0, min(28.0, slot * 0.7))
    body = []
    for i, c in enumerate(cycles):
        y0 = 0.0
        cx = p.x(i + 0.5)
        for ph in phases:
            ns = per[c].get(ph, 0)
            if not ns:
                continue
            v = ns / tdiv
            top, bot = p.y(y0 + v), p.y(y0)
            body.append(
                f'<rect class="pause" data-cycle="{c}" data-phase="{esc(ph)}" x="{n_(cx - bw / 2)}" y="{n_(top)}" width="{n_(bw)}" '
                f'height="{n_(max(0.5, bot - top))}" fill="{PHASE_COLOR.get(ph, "#78909c")}"><title>{esc(f"GC {c} {ph}: {fmt_duration(ns)}")}</title></rect>'
            )
            y0 += v
    return p.svg("pauses", body, [(ph, PHASE_COLOR.get(ph, "#78909c"), "box") for ph in phases])


def gc_cpu_chart(records: Sequence[Any], t_end: int = 0, gc_cpu_total: int | None = None, procs: int = 1,
                 failed_at: int | None = None) -> str:
    """GC CPU % per interval between cycle ends, and cumulative (GCCPUFraction at each cycle end).

    *gc_cpu_total*: the collector's GC CPU time to *t_end* (``Collector.gc_cpu``, which counts a cycle
    still in progress); with it the chart goes on past the last cycle end to *t_end*, dashed: the
    interval since (a cycle in progress at a failure, or the mutator after the last cycle) and the
    run's cumulative GC CPU (:func:`gomem.cmd.report.run_gc_cpu_fraction`).  *failed_at*: the model
    time the run failed at, marked with a red line.
    """
    p0 = Plot("GC CPU", 1, 1, "model time", "GC CPU (%)")
    last_end = records[-1].t_end if records else 0
    tail = gc_cpu_total is not None and t_end > last_end and bool(records or gc_cpu_total or failed_at is not None)
    if not records and not tail:
        return _empty(p0, "gccpu", "no GC cycle completed")
    tmax = max([r.t_end for r in records] + [t_end, 1])
    tu, tdiv = time_unit(tmax)
    per, cum = [], []
    total_gc = 0
    prev = 0
    for r in records:
        g = cycle_gc_cpu_ns(r)
        total_gc += g
        span = max(1, (r.t_end - prev) * r.procs)
        per.append((r.t_end / tdiv, 100.0 * g / span))
        cum.append((r.t_end / tdiv, 100.0 * total_gc / max(1, r.t_end * r.procs)))
        prev = r.t_end
    tail_per = tail_cum = None
    if tail:
        assert gc_cpu_total is not None
        nprocs = records[-1].procs if records else procs
        tail_per = 100.0 * max(0, gc_cpu_total - total_gc) / max(1, (t_end - last_end) * nprocs)
        tail_cum = 100.0 * gc_cpu_total / max(1, t_end * nprocs)
    vals = [v for _, v in per] + [v for _, v in cum] + [v for v in (tail_per, tail_cum) if v is not None]
    ymax = max(vals + [1.0])
    p = Plot("GC CPU (idle marking excluded)", tmax / tdiv, min(100.0, ymax * 1.1), f"model time ({tu})", "GC CPU (%)")
    step_pts: list[tuple[float, float]] = []
    prev_t = 0.0
    for t, v in per:
        step_pts += [(prev_t, v), (t, v)]
        prev_t = t
    body = [_polyline(p, step_pts, "#8e24aa", 1.5, "", "per-cycle"), _polyline(p, [(0.0, 0.0)] + cum, "#00897b", 2.5, "", "cumulative")]
    legend = [("per cycle interval", "#8e24aa", "line"), ("cumulative (GCCPUFraction)", "#00897b", "line")]
    if tail:
        assert tail_per is not None and tail_cum is not None
        t0, t1 = last_end / tdiv, t_end / tdiv
        body.append(_polyline(p, [(t0, tail_per), (t1, tail_per)], "#8e24aa", 1.5, "4 3", "per-cycle-tail"))
        body.append(_polyline(p, [cum[-1] if cum else (0.0, 0.0), (t1, tail_cum)], "#00897b", 2.5, "4 3", "cumulative-tail"))
        what = "at the failure" if failed_at is not None else "at the end of the run"
        legend.append((f"since the last cycle end, {what}", "#546e7a", "dash"))
    if failed_at is not None:
        body.append(_failure_mark(p, failed_at / tdiv, "failure"))
    return p.svg("gccpu", body, legend)


def size_class_occupancy(rt: Runtime) -> list[dict[str, Any]]:
    """Per size class (0 = large objects): spans, objects, bytes in use, bytes of the spans, at the end of the run."""
    rows: dict[int, dict[str, Any]] = {}
    for s in rt.heap.spans():
        if s.state != SPAN_IN_USE:
            continue
        sc = s.sizeclass
        r = rows.setdefault(sc, {"sizeclass": sc, "size": scl.CLASS_TO_SIZE[sc] if sc else 0, "spans": 0, "objects": 0, "in_use": 0, "span_bytes": 0})
        r["spans"] += 1
        span_bytes = s.npages * scl.PAGE_SIZE
        r["span_bytes"] += span_bytes
        if sc == 0:
            if s.alloc_count:
                r["objects"] += 1
                r["in_use"] += s.elemsize or span_bytes
            continue
        bits = (s.alloc_bits | ((1 << s.freeindex) - 1)) & ((1 << s.nelems) - 1)
        k = bin(bits).count("1")
        r["objects"] += k
        r["in_use"] += k * s.elemsize
    return [rows[k] for k in sorted(rows, key=lambda c: (c == 0, c))]


def occupancy_chart(rows: Sequence[dict[str, Any]], when: str = "at the end of the run") -> str:
    """Horizontal bars: bytes in use against span bytes, one per size class, *when* (as read then)."""
    title = f"Per-size-class occupancy {when}"
    if not rows:
        return _empty(Plot(title, 1, 1, "", ""), "occupancy", "no heap span in use")
    maxb = max(r["span_bytes"] for r in rows)
    bu, bdiv = byte_unit(maxb)
    row_h = 18
    lab_w = 150
    width = W
    height = PAD_T + len(rows) * row_h + 40
    x0, x1 = lab_w, width - 170
    ticks = nice_ticks(0, maxb / bdiv)

    def bx(v: float) -> float:
        return x0 + (x1 - x0) * v / ticks[-1]

    o = [
        f'<svg class="chart occupancy" width="100%" viewBox="0 0 {width} {height}" font-family="{FONT}" role="img" aria-label="{esc(title)}">',
        f"<title>{esc(title)}</title>",
        f'<text x="{PAD_L}" y="16" font-size="13" font-weight="bold" fill="#263238">{esc(title)}</text>',
    ]
    base_y = PAD_T + len(rows) * row_h
    for t in ticks:
        o.append(f'<line x1="{n_(bx(t))}" y1="{PAD_T - 4}" x2="{n_(bx(t))}" y2="{base_y}" stroke="#eceff1"/>')
        o.append(f'<text x="{n_(bx(t))}" y="{base_y + 14}" font-size="11" fill="#607d8b" text-anchor="middle">{esc(_fmt_tick(t))}</text>')
    o.append(f'<text x="{(x0 + x1) // 2}" y="{base_y + 30}" font-size="11" fill="#455a64" text-anchor="middle">{esc(f"bytes ({bu})")}</text>')
    for i, r in enumerate(rows):
        y = PAD_T + i * row_h
        label = f"class {r['sizeclass']} ({r['size']} B)" if r["sizeclass"] else "large objects"
        pct = 100.0 * r["in_use"] / r["span_bytes"] if r["span_bytes"] else 0.0
        tip = f"{label}: {r['objects']} objects, {fmt_bytes(r['in_use'])} in use of {fmt_bytes(r['span_bytes'])} in {r['spans']} spans ({pct:.1f}%)"
        o.append(f'<g class="sizeclass" data-sizeclass="{r["sizeclass"]}"><title>{esc(tip)}</title>')
        o.append(f'<text x="{x0 - 8}" y="{y + 13}" font-size="11" fill="#37474f" text-anchor="end">{esc(label)}</text>')
        o.append(f'<rect x="{x0}" y="{y + 3}" width="{n_(bx(r["span_bytes"] / bdiv) - x0)}" height="{row_h - 6}" fill="#cfd8dc"/>')
        o.append(f'<rect x="{x0}" y="{y + 3}" width="{n_(bx(r["in_use"] / bdiv) - x0)}" height="{row_h - 6}" fill="#43a047"/>')
        figures = f"{fmt_bytes(r['in_use'])} / {fmt_bytes(r['span_bytes'])} ({pct:.0f}%)"
        o.append(f'<text x="{x1 + 8}" y="{y + 13}" font-size="11" fill="#37474f">{esc(figures)}</text>')
        o.append("</g>")
    lx = x1 - 220
    o.append(f'<rect x="{lx}" y="{PAD_T - 24}" width="14" height="10" fill="#43a047"/><text x="{lx + 18}" y="{PAD_T - 15}" font-size="11" fill="#37474f">in allocated slots</text>')
    o.append(f'<rect x="{lx + 130}" y="{PAD_T - 24}" width="14" height="10" fill="#cfd8dc"/><text x="{lx + 148}" y="{PAD_T - 15}" font-size="11" fill="#37474f">span bytes</text>')
    o.append("</svg>")
    return "\n".join(o)


# -- the page -----------------------------------------------------------------------------------------


def _timeline_parts(rt: Runtime, which: str) -> str:
    from . import timeline

    return timeline.timeline_svg(rt, width=W) if which == "timeline" else timeline.mmu_section(rt)


def _goal_now(rt: Runtime) -> int:
    try:
        return int(rt.gc.heap_goal())
    except Exception:  # a run stopped mid-cycle by an error: the goal may not be readable
        return 0


def _table(rows: Sequence[tuple[str, str]], cls: str = "kv") -> str:
    return f'<table class="{cls}">' + "".join(f"<tr><th>{esc(k)}</th><td>{esc(v)}</td></tr>" for k, v in rows) + "</table>"


def _error_html(rt: Runtime, err: dict[str, Any], doc: dict[str, Any]) -> str:
    """The failure, first on the page: what, when (model time, cycle, phase), and the lost objects' paths."""
    from ..runtime.mgc import PHASE_NAMES

    gc = rt.gc
    where = f"model time {fmt_duration(rt.now)}, {gc.numgc} GC cycle{'s' if gc.numgc != 1 else ''} completed"
    if gc.running:
        where += f", cycle {gc.numgc + 1} in progress (phase {PHASE_NAMES.get(gc.phase, gc.phase)})"
    status = doc.get("exit_status")
    o = [
        '<section class="error" role="alert">',
        f'<h2>The run failed: {esc(err.get("type", ""))}</h2>',
        f'<p class="message"><code>{esc(err.get("message", ""))}</code></p>',
        f"<p>At {esc(where)}" + (f"; exit status {esc(status)}" if status is not None else "") + ".  Below: the run up to the failure.</p>",
    ]
    lost = err.get("lost") or []
    if lost:
        o.append('<table class="grid-table lost"><tr><th>lost object</th><th>type</th><th>root</th><th>path</th></tr>')
        for obj in lost[:50]:
            path = " \u2192 ".join(f"{a:#x}" if isinstance(a, int) else str(a) for a in obj.get("path", []))
            addr = obj.get("addr")
            o.append(
                f"<tr><td><code>{esc(f'{addr:#x}' if isinstance(addr, int) else str(addr))}</code></td><td>{esc(obj.get('type', ''))}</td>"
                f"<td>{esc(obj.get('root', ''))}</td><td><code>{esc(path)}</code></td></tr>"
            )
        o.append("</table>")
        if len(lost) > 50:
            o.append(f"<p>… and {len(lost) - 50} more (see --json).</p>")
    o.append("</section>")
    return "".join(o)


def render_run_report(rt: Runtime, summary: Summary | None, ms: MemStats | None, doc: dict[str, Any] | None = None) -> str:
    """The report's HTML.  *doc* is what ``--json`` writes (workload, params, config, error), if at hand."""
    doc = doc or {}
    gc = rt.gc
    records = list(gc.records)
    cfg = doc.get("config", {})
    workload = doc.get("workload", "")
    params = doc.get("params", {})
    heap_alloc = ms.HeapAlloc if ms is not None else rt.heap.stats.heap_live
    occ = size_class_occupancy(rt)
    title = f"gomem run {workload}".strip()
    err = doc.get("error")
    failed_at = rt.now if err else None
    when = "at the failure" if err else "at the end"

    summary_rows: list[tuple[str, str]] = []
    if summary is not None:
        s = summary
        more = "; one more was running at exit" if s.cycle_in_progress else ""
        summary_rows += [
            ("GC cycles", f"{s.num_gc} completed, {s.num_forced_gc} forced{more}"),
            ("STW pause total", fmt_duration(s.pause_total_ns)),
        ]
        for name, st in s.pauses.items():
            if name == "all" or not st.count:
                continue
            summary_rows.append(
                (f"pauses: {name}", f"{st.count} \u00d7, total {fmt_duration(st.total_ns)}, max {fmt_duration(st.max_ns)}, p99 {fmt_duration(st.p99_ns)}")
            )
        summary_rows += [
            ("GC CPU", f"{s.gc_cpu_fraction * 100:.2f}% at the last GC (gctrace {s.gc_cpu_percent}%); {s.run_gc_cpu_fraction * 100:.2f}% over the run"),
            ("model time", f"{fmt_duration(s.model_ns)} on {s.procs} P"),
            ("allocated", f"{fmt_bytes(s.total_alloc)} in {s.mallocs} allocations ({fmt_bytes(s.alloc_bytes_per_model_second)}/s model)"),
            ("simulator", f"{s.wall_seconds:.2f} s wall"),
        ]
    elif err:
        summary_rows.append(("not readable", "the failure left the heap where the summary could not be read"))
    ms_rows: list[tuple[str, str]] = []
    if ms is None and err:
        ms_rows.append(("not readable", "the failure left the heap where ReadMemStats could not run"))
    if ms is not None:
        for k in ("HeapAlloc", "HeapInuse", "HeapIdle", "HeapReleased", "HeapSys", "HeapObjects", "StackInuse", "NextGC", "Sys"):
            v = getattr(ms, k, None)
            if v is not None:
                ms_rows.append((k, f"{v} ({fmt_bytes(v)})" if k != "HeapObjects" else str(v)))
        ms_rows.append(("NumGC", str(ms.NumGC)))
        ms_rows.append(("PauseTotalNs", str(ms.PauseTotalNs)))
        ms_rows.append(("GCCPUFraction", f"{ms.GCCPUFraction:.4f}"))
    cfg_rows = [("workload", str(workload))] + [(f"--param {k}", str(v)) for k, v in params.items()]
    for k in ("gc", "gogc", "gomemlimit", "procs", "seed", "policy", "layout", "checkmark", "clobberfree", "final_gc"):
        if k in cfg:
            cfg_rows.append((k, str(cfg[k])))

    cyc_rows = []
    for r in records[:MAX_CYCLE_ROWS]:
        cyc_rows.append(
            f"<tr><td>{r.n}</td><td>{esc(fmt_duration(r.t_sweep_term))}</td><td>{esc(fmt_bytes(r.heap0))} \u2192 {esc(fmt_bytes(r.heap1))} \u2192 {esc(fmt_bytes(r.heap2))}</td>"
            f"<td>{esc(fmt_bytes(r.heap_goal))}</td><td>{esc(fmt_duration(r.pause_ns))}</td><td>{r.gc_cpu_percent}%</td>"
            f"<td><code>{esc(gctrace_line(r))}</code></td></tr>"
        )
    more_cycles = f"<p>… and {len(records) - MAX_CYCLE_ROWS} more cycles (see --json).</p>" if len(records) > MAX_CYCLE_ROWS else ""
    occ_rows = "".join(
        f"<tr><td>{r['sizeclass'] or 'large'}</td><td>{r['size'] or '-'}</td><td>{r['spans']}</td><td>{r['objects']}</td>"
        f"<td>{esc(fmt_bytes(r['in_use']))}</td><td>{esc(fmt_bytes(r['span_bytes']))}</td>"
        f"<td>{(100.0 * r['in_use'] / r['span_bytes'] if r['span_bytes'] else 0):.1f}%</td></tr>"
        for r in occ
    )
    err_html = _error_html(rt, err, doc) if err else ""
    # in use by site and goroutines per GC cycle: only when the run kept a heap profile and was sampled
    sg = getattr(rt, "site_growth", None) if getattr(rt, "memprof", None) is not None else None

    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{esc(title)}</title>",
        "<style>" + _CSS + (SITE_GROWTH_CSS if sg is not None else "") + "</style></head><body>",
        f"<h1>{esc(title)} <span class=\"sub\">--gc {esc(cfg.get('gc', rt.gc.mode.name))} GOGC={esc(cfg.get('gogc', ''))} GOMAXPROCS={esc(cfg.get('procs', len(rt.sched.ps)))}</span></h1>",
        err_html,
        '<div class="grid">',
        '<div class="column">',
        f'<section class="card"><h2>Summary {when}</h2>' + _table(summary_rows, "kv summary") + "</section>",
        f'<section class="card"><h2>MemStats {when}</h2>' + _table(ms_rows, "kv memstats") + "</section>",
        "</div>",
        '<section class="card"><h2>Configuration</h2>' + _table(cfg_rows, "kv config") + "</section>",
        "</div>",
        '<section class="card chart-card">' + heap_chart(records, rt.now, heap_alloc, _goal_now(rt), failed_at) + "</section>",
        site_growth_html(sg) if sg is not None else "",
        '<section class="card chart-card">' + pause_chart(gc.pauses) + "</section>",
        '<section class="card chart-card">' + gc_cpu_chart(records, rt.now, gc.gc_cpu, len(rt.sched.ps), failed_at) + "</section>",
        '<section class="card chart-card">' + _timeline_parts(rt, "timeline") + "</section>",
        '<section class="card chart-card">' + _timeline_parts(rt, "mmu") + "</section>",
        '<section class="card chart-card">' + occupancy_chart(occ, "at the failure" if err else "at the end of the run") + "</section>",
        f'<section class="card"><h2>Size classes {when}</h2><table class="grid-table occupancy-table"><tr><th>class</th><th>size (B)</th>'
        "<th>spans</th><th>objects</th><th>in use</th><th>span bytes</th><th>occupancy</th></tr>" + occ_rows + "</table></section>",
        f'<section class="card"><details{" open" if len(records) <= 20 else ""}><summary>Cycles ({len(records)})</summary>'
        '<table class="grid-table cycles"><tr><th>GC</th><th>at</th><th>heap0 \u2192 heap1 \u2192 heap2</th><th>goal</th><th>pause</th><th>CPU</th><th>gctrace</th></tr>'
        + "".join(cyc_rows)
        + "</table>"
        + more_cycles
        + "</details></section>",
        "<footer>Model time throughout (the cost model's nanoseconds), not wall time. Written by <code>gomem run --html</code>; "
        "this file needs no network.</footer>",
        "</body></html>",
    ]
    return "\n".join(p for p in parts if p) + "\n"


_CSS = """
body { margin:0 auto; max-width:1100px; padding:12px 20px; box-sizing:border-box; font-family:"DejaVu Sans", Verdana, Arial, sans-serif; color:#263238; background:#fafafa; font-size:14px; }
h1 { font-size:20px; } h1 .sub { font-weight:normal; color:#607d8b; font-size:14px; }
h2 { font-size:15px; margin:4px 0 8px 0; }
.grid { display:grid; grid-template-columns: 1fr 1fr; gap:0 12px; align-items:start; }
.card { background:#fff; border:1px solid #cfd8dc; border-radius:6px; padding:10px 12px; margin-bottom:12px; overflow-x:auto; }
.chart-card svg { display:block; width:100%; height:auto; }
.chart-card svg.chart { min-width:560px; }
table { border-collapse:collapse; font-size:13px; }
table.kv th { text-align:left; color:#546e7a; font-weight:normal; padding:2px 12px 2px 0; vertical-align:top; }
table.kv td { padding:2px 0; }
table.grid-table th, table.grid-table td { border:1px solid #e0e0e0; padding:2px 8px; text-align:right; }
table.grid-table th { background:#eceff1; }
table.cycles td:last-child { text-align:left; }
code { font-size:12px; }
.error { border:3px solid #c62828; background:#ffebee; padding:10px 14px; border-radius:6px; margin-bottom:12px; overflow-x:auto; }
.error h2 { color:#b71c1c; font-size:18px; margin:0 0 6px 0; }
.error .message code { font-size:14px; white-space:pre-wrap; overflow-wrap:anywhere; }
.error table.lost td { text-align:left; }
footer { color:#607d8b; font-size:12px; margin:8px 0 20px 0; }
.grid > .card, .grid > .column { min-width:0; }
@media (max-width: 800px) { .grid { grid-template-columns: 1fr; } body { padding:8px; } }
"""


# -- leaks over time: in use by site and goroutines, per GC cycle (gomem.runtime.sitegrowth) ------------

#: the sites drawn in the in-use-by-site chart
TOP_SITES = 8
SITE_COLORS = ("#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa", "#00897b", "#6d4c41", "#546e7a")


def _cycle_ticks(samples: Sequence[Any]) -> list[tuple[float, str]]:
    every = max(1, math.ceil(len(samples) / 12))
    return [(i + 0.5, str(s.cycle)) for i, s in enumerate(samples) if i % every == 0]


def site_growth_chart(samples: Sequence[Any], sites: Sequence[str], flagged: set[str], ymax: int = 0, width: int = W) -> str:
    """In-use bytes of each of *sites* at every sampled GC cycle, one line each (the flagged ones thicker);
    the y axis goes to at least *ymax* (two charts drawn side by side share a scale); *width*: the
    chart's coordinate width (:data:`W` fills a report card; half of it, a column of two)."""
    p0 = Plot("In use by allocation site, per GC cycle", 1, 1, "GC cycle", "in use", width=width)
    if not samples or not sites:
        return _empty(p0, "sites", "no allocation site had objects in use at a GC")
    ymax = max([ymax] + [s.bytes_at(site) for s in samples for site in sites])
    bu, bdiv = byte_unit(ymax)
    p = Plot("In use by allocation site, per GC cycle (as each mark found it)", len(samples), ymax / bdiv,
             "GC cycle", f"in use ({bu})", width=width, xticks=_cycle_ticks(samples))
    body = []
    for k, site in enumerate(sites):
        color = SITE_COLORS[k % len(SITE_COLORS)]
        pts = [(i + 0.5, s.bytes_at(site) / bdiv) for i, s in enumerate(samples)]
        grows = site in flagged
        body.append(_polyline(p, pts, color, 3 if grows else 1.5, "" if grows else "5 3", "site growing" if grows else "site"))
        for i, s in enumerate(samples):
            body.append(
                f'<circle cx="{n_(p.x(i + 0.5))}" cy="{n_(p.y(s.bytes_at(site) / bdiv))}" r="2.5" fill="{color}">'
                f"<title>{esc(f'GC {s.cycle}: {site}: {fmt_bytes(s.bytes_at(site))}')}</title></circle>"
            )
    return p.svg("sites", body)


def goroutine_chart(samples: Sequence[Any], growing: bool, ymax: int = 0, tmax: int = 0,
                    between: Sequence[tuple[int, int]] = (), width: int = W) -> str:
    """``NumGoroutine`` at each sampled GC cycle over model time (axes to at least *ymax* and *tmax*);
    *between*: (model ns, goroutines) sampled between the cycles too (the timeline's samples at span
    refills, when the run recorded a timeline), drawn thin behind."""
    p0 = Plot("Goroutines", 1, 1, "model time", "goroutines", width=width)
    if not samples:
        return _empty(p0, "goroutines", "no GC cycle completed")
    tmax = max([tmax] + [s.t for s in samples] + [t for t, _ in between]) or 1
    tu, tdiv = time_unit(tmax)
    p = Plot("Goroutines (runtime.NumGoroutine)", tmax / tdiv,
             max([ymax] + [s.goroutines for s in samples] + [n for _, n in between]), f"model time ({tu})", "goroutines",
             width=width)
    color = "#c62828" if growing else "#2e7d32"
    pts = [(s.t / tdiv, s.goroutines) for s in samples]
    body = []
    legend = []
    if between:
        step: list[tuple[float, float]] = []
        for t, n in between:
            if step:
                step.append((t / tdiv, step[-1][1]))
            step.append((t / tdiv, n))
        body.append(_polyline(p, step, "#90a4ae", 1.2, "", "goroutines-between"))
        legend.append(("between GCs", "#90a4ae", "line"))
    body.append(_polyline(p, pts, color, 2.5, "", "goroutines"))
    for s in samples:
        body.append(f'<circle cx="{n_(p.x(s.t / tdiv))}" cy="{n_(p.y(s.goroutines))}" r="3" fill="{color}">'
                    f"<title>{esc(f'GC {s.cycle} at {fmt_duration(s.t)}: {s.goroutines} goroutines')}</title></circle>")
    label = "growing every GC" if growing else "not growing"
    return p.svg("goroutines", body, legend + [(label, color, "line")])


def site_growth_html(sg: Any, scale: tuple[int, int, int] = (0, 0, 0), width: int = W) -> str:
    """The cards of a :class:`gomem.runtime.sitegrowth.SiteGrowth`: in use by site over the cycles, the
    goroutines over time, the flagged sites and the goroutines alive at the end.  *scale*: the least
    (bytes, goroutines, model ns) the charts' axes reach, for charts to be compared side by side; *width*:
    the charts' coordinate width."""
    from ..runtime import sitegrowth

    samples = sg.samples
    flagged = sg.growing()
    g_growing = sg.goroutines_growing()
    sites = [g.site for g in flagged][:TOP_SITES]
    sites += [s for s in sitegrowth.top_sites(samples, TOP_SITES) if s not in sites][: TOP_SITES - len(sites)]
    flagged_names = {g.site for g in flagged}
    key = "".join(
        f'<tr class="{"growing" if site in flagged_names else ""}"><td><span class="swatch" style="background:{SITE_COLORS[k % len(SITE_COLORS)]}"></span></td>'
        f"<td><code>{esc(site)}</code></td><td>{esc(fmt_bytes(samples[-1].bytes_at(site)))}</td>"
        f"<td>{'growing' if site in flagged_names else ''}</td></tr>"
        for k, site in enumerate(sites)
    )
    rule = (f"A site is flagged when its in-use bytes rose in each of the last {sitegrowth.CYCLES} GC cycles, by at least "
            f"{fmt_bytes(sitegrowth.MIN_GROWTH)} in all; the goroutine count when it rose in each of the last "
            f"{sitegrowth.CYCLES} cycles.  In use means: allocated before the cycle's mark termination and marked by it, "
            f"summed by the innermost <code>main.</code> frame of the allocation's stack (<code>(runtime)</code>: the "
            f"runtime's own allocations, such as a new goroutine's descriptor).")
    if flagged:
        rows = "".join(
            f"<tr><td><code>{esc(g.site)}</code></td><td>+{esc(fmt_bytes(g.per_cycle))}</td>"
            f"<td class=\"series\">{esc(' '.join(fmt_bytes(b) for b in g.series))}</td></tr>"
            for g in flagged
        )
        flagged_html = ('<table class="grid-table flagged"><tr><th>growing site</th><th>per cycle</th><th>in use at each GC</th></tr>'
                        + rows + "</table>")
    else:
        flagged_html = '<p class="none">No site grew in every one of the last cycles.</p>'
    timeline = getattr(getattr(sg.rt, "log", None), "timeline", None) if sg.rt is not None else None
    between = [(t, n) for t, _, _, n in timeline.samples] if timeline is not None else []
    counts = " ".join(str(s.goroutines) for s in samples)
    stacks = " ".join(fmt_bytes(s.stacks) for s in samples)
    g_html = (f'<p class="goroutines {"growing" if g_growing else ""}">Goroutines at each GC: <code>{esc(counts)}</code> '
              f"({'growing every cycle' if g_growing else 'not growing'}).</p>"
              f'<p class="stacks">Their stacks (not heap: not in the profile): <code>{esc(stacks)}</code>.</p>')
    groups = sitegrowth.group_blocked(sg.blocked)
    if groups:
        g_html += ('<table class="grid-table blocked"><tr><th>goroutines</th><th>waiting in</th><th>function</th><th>created by</th></tr>'
                   + "".join(f"<tr><td>{n}</td><td>[{esc(w)}]</td><td><code>{esc(f)}</code></td><td><code>{esc(c)}</code></td></tr>"
                             for n, w, f, c in groups)
                   + "</table>")
    for name, text in sorted(getattr(sg, "probes", {}).items()):
        if text:
            g_html += f'<h3>{esc(name)} profile</h3><pre class="probe">{esc(text)}</pre>'
    return "\n".join([
        '<section class="card chart-card site-growth">' + site_growth_chart(samples, sites, flagged_names, scale[0], width)
        + '<table class="site-key">' + key + "</table></section>",
        '<section class="card chart-card goroutine-growth">' + goroutine_chart(samples, g_growing, scale[1], scale[2], between, width) + "</section>",
        f'<section class="card leaks-over-time"><h2>Leaks over time ({len(samples)} GC cycles sampled)</h2>'
        f'<p class="rule">{rule}</p>' + flagged_html + g_html + "</section>",
    ])


SITE_GROWTH_CSS = """
table.site-key { font-size:12px; margin-top:4px; }
table.site-key td { padding:1px 8px 1px 0; }
table.site-key tr.growing td { font-weight:bold; }
.swatch { display:inline-block; width:14px; height:10px; border-radius:2px; }
table.flagged td, table.blocked td { text-align:left; }
table.flagged td.series { font-size:12px; }
p.rule { color:#546e7a; font-size:12.5px; max-width:80em; }
p.goroutines.growing { color:#b71c1c; font-weight:bold; }
pre.probe { font-size:12px; background:#f5f5f5; padding:6px; overflow-x:auto; }
"""
