"""The run's timeline: a Chrome trace-event file (``gomem run --trace``) and a compact SVG for the run report.

Both read the model's one event log: the collector's cycle records
(``rt.gc.records``, the cycle still running at exit ``rt.gc.cur``), its
pause list (``rt.gc.pauses``) and, if the run recorded it
(``gomem.run(..., timeline=True)``), the :class:`~gomem.runtime.trace.Timeline` of
what each P did (``rt.log.timeline``).  Model nanoseconds become the trace
format's microseconds (``ts``/``dur``, fractional); Perfetto
(ui.perfetto.dev) and ``chrome://tracing`` open the file.

The trace (JSON object format: ``{"traceEvents": [...]}``), one process:

* track ``GC``: a complete event (``"ph": "X"``) ``GC n`` per cycle, from
  sweep termination to the end of mark termination, holding its phases
  ``sweep termination``, ``mark`` and ``mark termination``; then ``sweep``
  until the cycle's sweep was seen finished (at the latest, the next
  cycle's start); a cycle running at exit ends at the end of the run,
  ``(unfinished)``;
* track ``STW``: one ``stop-the-world (PHASE)`` slice per pause, its
  exact length in ``args.ns``: their sum is ``PauseTotalNs`` plus the
  pauses of a cycle still running;
* one track per P (``P0`` …): goroutine slices ``G1 main``; the mark
  workers ``GC (dedicated)``, ``GC (fractional)``, ``GC (idle)`` (Go's
  labels); ``GC mark assist`` and ``GC incremental sweep`` inside the
  goroutine slice they interrupted; ``background sweep``; ``scavenger``
  (``bgscavenge``) and ``scavenge (allocation)``;
* counters (``"ph": "C"``): ``heap`` (``live``: heapLive, ``goal``: the
  heap goal; sampled at span refills and at each cycle's trigger, mark
  termination and end), ``GC CPU`` (``percent`` of GOMAXPROCS in GC work:
  the stop-the-world, mark workers and assists, idle marking excluded as
  ``GCCPUFraction`` does; the mean over each of up to 500 intervals of the
  run) and ``goroutines`` (``count``).

Without a recorded timeline the P tracks and the sampled counters are
empty; the GC and STW tracks are always there.
"""

from __future__ import annotations

import json
import os
from html import escape
from typing import Any, Sequence

import numpy as np

from ..cmd import mmu
from ..errors import BadInput
from ..cmd.fsutil import check_writable, write_output

PID = 1
TID_GC, TID_STW = 1, 2
TID_P0 = 10
#: a span kind's slice name (Go's names where Go has the thing)
SPAN_NAMES = {
    "dedicated": "GC (dedicated)",
    "fractional": "GC (fractional)",
    "idle": "GC (idle)",
    "assist": "GC mark assist",
    "sweep": "GC incremental sweep",
    "bgsweep": "background sweep",
    "scavenge": "scavenger",
}
SPAN_CATEGORY = {
    "dedicated": "gc,worker",
    "fractional": "gc,worker",
    "idle": "gc,worker",
    "assist": "gc,assist",
    "sweep": "gc,sweep",
    "bgsweep": "gc,sweep",
    "scavenge": "scavenger",
}
#: GC CPU counter: at most this many intervals
CPU_BINS = 500


def _us(ns: float) -> float:
    return round(ns / 1000.0, 3)


def _x(name: str, cat: str, tid: int, t0: float, t1: float, args: dict[str, Any] | None = None) -> dict[str, Any]:
    ev = {"name": name, "cat": cat, "ph": "X", "pid": PID, "tid": tid, "ts": _us(t0), "dur": _us(t1 - t0)}
    if args:
        ev["args"] = args
    return ev


def cycle_slices(rt: Any, end: int) -> list[tuple[int, str, str, int, int, dict[str, Any]]]:
    """The GC track: (cycle, name, cat, start, end, args) for each cycle, its phases and its sweep."""
    gc = rt.gc
    records = list(gc.records)
    cur = gc.cur
    tl = rt.log.timeline
    done = sorted(tl.sweep_done) if tl is not None else []
    out = []
    starts = [r.t_sweep_term for r in records] + ([cur.t_sweep_term] if cur is not None else [])
    for i, r in enumerate(records):
        args = {
            "cycle": r.n, "forced": r.forced, "heap0": r.heap0, "heap1": r.heap1, "heap2": r.heap2,
            "heap_goal": r.heap_goal, "next_goal": r.next_goal, "pause_ns": r.pause_ns, "mode": r.mode,
        }
        out.append((r.n, f"GC {r.n}", "gc,cycle", r.t_sweep_term, r.t_end, args))
        out.append((r.n, "sweep termination", "gc,phase", r.t_sweep_term, r.t_mark, {"cycle": r.n}))
        out.append((r.n, "mark", "gc,phase", r.t_mark, r.t_mark_term, {"cycle": r.n}))
        out.append((r.n, "mark termination", "gc,phase", r.t_mark_term, r.t_end, {"cycle": r.n}))
        if not gc.mode.stw_sweep:
            limit = starts[i + 1] if i + 1 < len(starts) else end
            fin = next((t for t in done if t >= r.t_end), limit)
            fin = min(fin, limit)
            if fin > r.t_end:
                out.append((r.n, "sweep", "gc,phase", r.t_end, fin, {"cycle": r.n}))
    if cur is not None and cur.t_sweep_term <= end:
        out.append((cur.n, f"GC {cur.n} (unfinished)", "gc,cycle", cur.t_sweep_term, end, {"cycle": cur.n, "unfinished": True}))
        t_mark = cur.t_mark if cur.t_mark >= cur.t_sweep_term else 0
        if t_mark:
            out.append((cur.n, "sweep termination", "gc,phase", cur.t_sweep_term, t_mark, {"cycle": cur.n}))
            t_mt = cur.t_mark_term if cur.t_mark_term >= t_mark else 0
            out.append((cur.n, "mark", "gc,phase", t_mark, t_mt or end, {"cycle": cur.n}))
            if t_mt:
                out.append((cur.n, "mark termination", "gc,phase", t_mt, end, {"cycle": cur.n}))
    return out


def _counter_points(rt: Any) -> list[tuple[int, int, int]]:
    """(t, heapLive, goal) from the timeline's samples and each cycle's trigger, mark termination and end."""
    pts: list[tuple[int, int, int]] = []
    tl = rt.log.timeline
    if tl is not None:
        pts += [(t, live, goal) for t, live, goal, _ in tl.samples]
    for r in rt.gc.records:
        goal = r.heap_goal
        pts += [(r.t_sweep_term, r.heap0, goal), (r.t_mark_term, r.heap1, goal), (r.t_end, r.heap2, r.next_goal)]
    pts.sort(key=lambda p: p[0])
    return pts


def gc_cpu_bins(rt: Any, end: int, bins: int = CPU_BINS) -> list[tuple[int, float]]:
    """(start of interval, GC CPU %) over up to *bins* equal intervals (the stop-the-world, workers, assists)."""
    if end <= 0:
        return []
    c = mmu.MMUCurve(mmu.utilization(rt, exclude=("sweep",)))
    n = max(1, min(bins, end // 1000))
    edges = np.linspace(0, end, n + 1)
    integ = c.integral(edges)
    width = np.diff(edges)
    pct = 100.0 * (1.0 - np.diff(integ) / width)
    return [(int(edges[i]), round(float(max(0.0, min(100.0, pct[i]))), 3)) for i in range(n)]


def trace_events(rt: Any, title: str = "gomem run") -> dict[str, Any]:
    """The whole trace as a JSON-ready dict (see the module docstring)."""
    end = mmu.run_end(rt)
    procs = len(rt.sched.ps)
    tl = rt.log.timeline
    ev: list[dict[str, Any]] = [
        {"name": "process_name", "ph": "M", "pid": PID, "args": {"name": title}},
        {"name": "thread_name", "ph": "M", "pid": PID, "tid": TID_GC, "args": {"name": "GC"}},
        {"name": "thread_sort_index", "ph": "M", "pid": PID, "tid": TID_GC, "args": {"sort_index": 0}},
        {"name": "thread_name", "ph": "M", "pid": PID, "tid": TID_STW, "args": {"name": "STW"}},
        {"name": "thread_sort_index", "ph": "M", "pid": PID, "tid": TID_STW, "args": {"sort_index": 1}},
    ]
    for i in range(procs):
        ev.append({"name": "thread_name", "ph": "M", "pid": PID, "tid": TID_P0 + i, "args": {"name": f"P{i}"}})
        ev.append({"name": "thread_sort_index", "ph": "M", "pid": PID, "tid": TID_P0 + i, "args": {"sort_index": 2 + i}})
    slices: list[tuple[int, float, float, dict[str, Any]]] = []  # (tid, t0, t1, event) for sorting
    for _n, name, cat, t0, t1, args in cycle_slices(rt, end):
        slices.append((TID_GC, t0, t1, _x(name, cat, TID_GC, t0, t1, args)))
    for cycle, phase, start, ns in rt.gc.pauses:
        slices.append((TID_STW, start, start + ns, _x(f"stop-the-world ({phase})", "stw", TID_STW, start, start + ns,
                                                      {"cycle": cycle, "phase": phase, "ns": ns})))
    if tl is not None:
        for p, gid, t0, t1 in tl.gslices:
            if t1 > t0:
                name = f"G{gid} {tl.gnames.get(gid, '')}".rstrip()
                slices.append((TID_P0 + p, t0, t1, _x(name, "goroutine", TID_P0 + p, t0, t1, {"goid": gid})))
        for p, kind, t0, t1, gid in tl.spans:
            if t1 <= t0:
                continue
            name = SPAN_NAMES.get(kind, kind)
            if kind == "scavenge" and gid:
                name = "scavenge (allocation)"
            args = {"goid": gid} if gid else None
            slices.append((TID_P0 + p, t0, t1, _x(name, SPAN_CATEGORY.get(kind, "gc"), TID_P0 + p, t0, t1, args)))
    slices.sort(key=lambda s: (s[0], s[1], -(s[2] - s[1])))
    ev += [s[3] for s in slices]
    for t, live, goal in _counter_points(rt):
        ev.append({"name": "heap", "ph": "C", "pid": PID, "ts": _us(t), "args": {"live": live, "goal": goal}})
    for t, pct in gc_cpu_bins(rt, end):
        ev.append({"name": "GC CPU", "ph": "C", "pid": PID, "ts": _us(t), "args": {"percent": pct}})
    if tl is not None:
        last = None
        now = sum(1 for g in rt.sched.allgs if g.status != "dead")
        for t, _, _, n in [*tl.samples, (end, 0, 0, now)]:
            if n != last:
                ev.append({"name": "goroutines", "ph": "C", "pid": PID, "ts": _us(t), "args": {"count": n}})
                last = n
    return {
        "traceEvents": ev,
        "displayTimeUnit": "ns",
        "otherData": {
            "source": "gomem",
            "title": title,
            "clock": "model time (the cost model's ns; ts/dur in microseconds)",
            "procs": procs,
            "end_ns": end,
            "gc_cycles": len(rt.gc.records),
            "pause_total_ns": sum(ns for _, _, _, ns in rt.gc.pauses),
            "timeline_recorded": tl is not None,
        },
    }


def trace_json(rt: Any, title: str = "gomem run") -> str:
    return json.dumps(trace_events(rt, title), separators=(",", ":")) + "\n"


# -- the report's compact view ----------------------------------------------------------------------

ROW_COLORS = {
    "goroutine": "#90caf9",
    "dedicated": "#6a1b9a",
    "fractional": "#ab47bc",
    "idle": "#e1bee7",
    "assist": "#fb8c00",
    "sweep": "#fdd835",
    "bgsweep": "#c0ca33",
    "scavenge": "#8d6e63",
    "sweep termination": "#ef5350",
    "mark": "#26a69a",
    "mark termination": "#5c6bc0",
    "sweep phase": "#fff176",
    "stw": "#d32f2f",
}
LEGEND = [
    ("goroutine", "goroutine"), ("dedicated", "GC (dedicated)"), ("fractional", "GC (fractional)"), ("idle", "GC (idle)"),
    ("assist", "mark assist"), ("sweep", "incremental sweep"), ("bgsweep", "background sweep"), ("scavenge", "scavenger"),
    None,
    ("sweep termination", "sweep termination"), ("mark", "mark"), ("mark termination", "mark termination"),
    ("sweep phase", "sweep"), ("stw", "stop-the-world"),
]


def _columns(intervals: Sequence[tuple[float, float]], end: float, ncols: int) -> list[tuple[int, int, float]]:
    """Runs ``(c0, c1, share)`` of pixel columns [c0, c1) that *intervals* cover, *share* of each column's time
    (rounded up to a fifth; a column touched at all shows)."""
    if not intervals or end <= 0:
        return []
    merged = mmu._merge(((int(a), int(b)) for a, b in intervals), int(end))
    if not merged:
        return []
    t = np.array([0] + [x for ab in merged for x in ab] + [end], dtype=float)
    on = np.array([0.0] + [1.0, 0.0] * len(merged))
    cum = np.r_[0.0, np.cumsum(on * np.diff(t))]
    edges = np.linspace(0.0, float(end), ncols + 1)
    cov = np.diff(np.interp(edges, t, cum)) / np.diff(edges)
    q = np.ceil(np.round(cov, 9) * 5) / 5
    runs: list[tuple[int, int, float]] = []
    c = 0
    while c < ncols:
        if q[c] <= 0:
            c += 1
            continue
        c1 = c + 1
        while c1 < ncols and q[c1] == q[c]:
            c1 += 1
        runs.append((c, c1, float(q[c])))
        c = c1
    return runs


def timeline_svg(rt: Any, width: int = 860) -> str:
    """The report's timeline: GC phases, pauses and each P's activity, one pixel column at a time."""
    from ..cmd.report import fmt_duration

    end = mmu.run_end(rt)
    procs = len(rt.sched.ps)
    tl = rt.log.timeline
    shown_ps = min(procs, 16)
    lab, pad_r, top, row_h = 64, 12, 28, 16
    height = top + (2 + shown_ps) * (row_h + 4) + 94
    ncols = width - lab - pad_r
    scale = ncols / end if end > 0 else 0.0
    title = "Timeline (model time)"
    o = [
        f'<svg class="chart timeline" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{mmu.FONT}" role="img" aria-label="{title}">',
        f"<title>{title}</title>",
        f'<text x="{lab}" y="16" font-size="13" font-weight="bold" fill="#263238">{title}</text>',
    ]
    if end <= 0:
        o.append("</svg>")
        return "\n".join(o)

    def row(y: float, label: str, cls: str) -> None:
        o.append(f'<text x="{lab - 6}" y="{y + row_h - 4}" font-size="11" fill="#37474f" text-anchor="end">{escape(label)}</text>')
        o.append(f'<rect class="row {cls}" x="{lab}" y="{y}" width="{ncols}" height="{row_h}" fill="#f5f5f5"/>')

    def runs(y: float, kind: str, ivs: Sequence[tuple[float, float]], tip: str, h: float | None = None, dy: float = 0) -> None:
        color = ROW_COLORS.get(kind, "#78909c")
        hh = row_h if h is None else h
        for c0, c1, share in _columns(ivs, end, ncols):
            op = "" if share >= 1 else f' fill-opacity="{share:g}"'
            o.append(f'<rect class="slice" data-kind="{escape(kind)}" x="{lab + c0}" y="{y + dy}" width="{c1 - c0}" '
                     f'height="{hh}" fill="{color}"{op}><title>{escape(tip)}</title></rect>')

    y = top
    row(y, "GC", "gc")
    by_phase: dict[str, list[tuple[float, float]]] = {}
    for _n, name, cat, t0, t1, _a in cycle_slices(rt, end):
        if cat == "gc,phase":
            by_phase.setdefault("sweep phase" if name == "sweep" else name, []).append((t0, t1))
    for k in ("sweep phase", "mark", "sweep termination", "mark termination"):
        runs(y, k, by_phase.get(k, []), "sweep" if k == "sweep phase" else k)
    y += row_h + 4
    row(y, "STW", "stw")
    pauses = [(s, s + ns) for _, _, s, ns in rt.gc.pauses]
    total = sum(ns for _, _, _, ns in rt.gc.pauses)
    runs(y, "stw", pauses, f"{len(pauses)} stop-the-world pauses, {fmt_duration(total)} in all")
    y += row_h + 4
    for i in range(shown_ps):
        row(y, f"P{i}", "p")
        if tl is not None:
            gs = [(a, b) for p, _g, a, b in tl.gslices if p == i and b > a]
            runs(y, "goroutine", gs, f"P{i}: goroutines")
            kinds: dict[str, list[tuple[float, float]]] = {}
            for p, kind, a, b, _g in tl.spans:
                if p == i and b > a:
                    kinds.setdefault(kind, []).append((a, b))
            for kind in ("idle", "bgsweep", "scavenge", "fractional", "dedicated", "sweep", "assist"):
                if kind in kinds:
                    inner = kind in ("assist", "sweep")  # inside a goroutine slice: drawn as a band
                    runs(y, kind, kinds[kind], f"P{i}: {SPAN_NAMES[kind]}", row_h - 6 if inner else None, 3 if inner else 0)
        y += row_h + 4
    # time axis
    from .scales import nice_ticks, time_unit

    tu, tdiv = time_unit(end)
    for t in nice_ticks(0, end / tdiv):
        if t * tdiv > end * 1.0001:
            continue
        xx = lab + t * tdiv * scale
        o.append(f'<line x1="{xx:.1f}" y1="{y}" x2="{xx:.1f}" y2="{y + 4}" stroke="#90a4ae"/>')
        o.append(f'<text x="{xx:.1f}" y="{y + 16}" font-size="11" fill="#607d8b" text-anchor="middle">{t:g}</text>')
    o.append(f'<text x="{lab + ncols // 2}" y="{y + 30}" font-size="11" fill="#455a64" text-anchor="middle">model time ({tu})</text>')
    lx, ly = lab, y + 44
    for item in LEGEND:
        if item is None:  # second row: the GC track's phases
            lx, ly = lab, ly + 14
            continue
        kind, label = item
        o.append(f'<rect x="{lx}" y="{ly - 8}" width="10" height="10" fill="{ROW_COLORS[kind]}"/>')
        o.append(f'<text x="{lx + 13}" y="{ly + 1}" font-size="10" fill="#37474f">{escape(label)}</text>')
        lx += 22 + len(label) * 5.6
    if procs > shown_ps:
        o.append(f'<text x="{lab}" y="{y + 76}" font-size="11" fill="#78909c">P{shown_ps}…P{procs - 1} not shown (see --trace)</text>')
    if tl is None:
        o.append(f'<text x="{lab}" y="{y + 76}" font-size="11" fill="#78909c">the run recorded no timeline: only the GC phases and pauses are shown</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def mmu_section(rt: Any) -> str:
    """The report's MMU: the curve (everything counted, and sweeping left out) and a few values."""
    from ..cmd.report import fmt_duration

    end = mmu.run_end(rt)
    c_all = mmu.MMUCurve(mmu.utilization(rt)).curve()
    c_ns = mmu.MMUCurve(mmu.utilization(rt, exclude=("sweep",))).curve()
    note = "" if rt.log.timeline is not None else "stop-the-world pauses only (no timeline recorded)"
    svg = mmu.svg_curves([("STW + workers + assists + sweep", c_all), ("sweep excluded (go tool trace's default)", c_ns)],
                         note=note, standalone=False)
    rows = []
    for w in (100_000, 1_000_000, 10_000_000, 100_000_000):
        if w <= end:
            b = next((b for ww, b, _ in c_all if ww == w), None)
            b2 = next((b for ww, b, _ in c_ns if ww == w), None)
            if b is not None and b2 is not None:
                rows.append(f"<tr><td>{escape(fmt_duration(w))}</td><td>{b:.3f}</td><td>{b2:.3f}</td></tr>")
    table = ""
    if rows:
        table = ('<table class="grid-table mmu-table"><tr><th>window</th><th>MMU</th><th>MMU, sweep excluded</th></tr>'
                 + "".join(rows) + "</table>")
    return svg + table


# -- gomem run --trace / --mmu ------------------------------------------------------------------------


def add_options(p) -> None:
    """``--trace``, ``--mmu`` and ``--mmu-exclude`` of ``gomem run``."""
    p.add_argument("--trace", metavar="FILE.json", help="write the run's timeline as Chrome trace-event JSON (Perfetto, chrome://tracing; - for stdout)")
    p.add_argument("--mmu", metavar="FILE.csv|FILE.svg", help="write the minimum mutator utilization curve, 10 us to the run's length: CSV (window_seconds,mmu) or an SVG picture")
    p.add_argument("--mmu-exclude", metavar="LIST", default=None,
                   help="what not to count against the mutator in --mmu: comma-separated stw, background, assist, sweep "
                   "(go tool trace's MMU page leaves out sweep by default: --mmu-exclude sweep)")


def check_options(args) -> bool:
    """Before a run: validate ``--trace``/``--mmu``/``--mmu-exclude``; True if the run must record its timeline."""
    trace = getattr(args, "trace", None)
    out = getattr(args, "mmu", None)
    mmu.parse_exclude(getattr(args, "mmu_exclude", None))
    if trace is not None:
        check_writable(trace)
    if out is not None:
        _mmu_format(out)
        check_writable(out)
    return trace is not None or out is not None or getattr(args, "html", None) is not None


def _mmu_format(path: str) -> str:
    low = path.lower()
    if low.endswith(".svg"):
        return "svg"
    if low.endswith(".csv") or path == "-" or (path.startswith("/dev/") and not os.path.isdir(path)):
        return "csv"
    raise BadInput(f"--mmu {path}: want a .csv or .svg file")


def write_outputs(args, rt, title: str) -> None:
    """After a run (or a failed one): write ``--trace`` and ``--mmu`` if asked (atomically, see fsutil)."""
    if rt is None:
        return
    trace = getattr(args, "trace", None)
    out = getattr(args, "mmu", None)
    if trace is not None:
        write_output(trace, trace_json(rt, title))
    if out is not None:
        exclude = mmu.parse_exclude(getattr(args, "mmu_exclude", None))
        pts = mmu.MMUCurve(mmu.utilization(rt, exclude)).curve()
        if _mmu_format(out) == "svg":
            label = "MMU" + (f" ({', '.join(exclude)} excluded)" if exclude else "")
            write_output(out, mmu.svg_curves([(label, pts)], title=f"Minimum mutator utilization: {title}"))
        else:
            write_output(out, mmu.csv_text(pts))
