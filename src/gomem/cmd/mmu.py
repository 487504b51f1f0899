"""Minimum mutator utilization: how much of the machine the program kept, in the worst window of each size.

The definition is the one Go's execution-trace tooling uses
(``internal/trace``'s ``MutatorUtilizationV2`` and ``MMUCurve``, behind
``go tool trace``'s MMU page), applied to the model's event log instead of
an execution trace:

* **Mutator utilization** is a step function of time: ``1 − (Ps doing GC
  work) / GOMAXPROCS``, and 0 while the world is stopped.  A P counts as
  doing GC work while it runs a dedicated or fractional mark worker
  (*background*), a mark assist (*assist*) or sweeping charged to an
  allocating goroutine (*sweep*: Go's "GC incremental sweep").  Idle mark
  workers, the background sweeper and the scavenger do not count: they run
  where no goroutine wanted the P (Go counts the sweeper and scavenger
  goroutines as mutators, and leaves ``GC (idle)`` out).  A P with nothing
  to run counts as mutator time, as in Go: utilization measures what the
  collector takes away, not how busy the program is.
* **MMU(w)** is the least mean of that function over all windows of
  length *w* inside the run (``[0, end]``); a window longer than the run
  is the whole run.
* Like ``go tool trace`` (its *STW*, *Background workers*, *Mark assist*
  and *Sweep* boxes), any of the four sources can be left out
  (``exclude``); ``go tool trace`` leaves sweeping out by default, gomem
  counts it unless told ``exclude=("sweep",)``.

The algorithm is gomem's own and exact: the windowed mean is piecewise
linear in the window's start, with corners only where one of the window's
edges meets a change of utilization, so the minimum is among those starts
(and the ends of the range); they are evaluated all at once on the
cumulative integral (:meth:`MMUCurve.mmu`).  Go gets the same minimum with
a banded branch-and-bound search; its bands only decide which starts to
look at.  Two details differ from Go's function by construction: changes at
the same model time are applied together (Go, one event at a time, keeps
the lowest intermediate value at such a time stamp), and the function
starts at model time 0 and ends at the run's end (Go's at its first and
last trace event).

MMU over window size is not monotone for every utilization function (with
pauses every 2 ms, a 3 ms window can be worse than a 2 ms one), so curves
(:meth:`MMUCurve.curve`, the CSV and the pictures) carry the *bounded*
MMU: the least MMU over the windows of this size or longer among those
computed, which is non-decreasing (Sachindran, Moss and Berger's BMU); the
raw value is there too.

Entry points: :func:`utilization` (from a :class:`~gomem.runtime.runtime.Runtime`
that recorded its timeline, ``gomem.run(..., timeline=True)``; without the
timeline only the stop-the-world pauses are known), :func:`from_intervals`
(from hand-made intervals, for tests), :class:`MMUCurve`, :func:`windows`,
:func:`csv_text`, :func:`svg_curves`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from html import escape
from typing import Any, Iterable, Sequence

import numpy as np

from ..errors import BadInput

#: what can count against the mutator (go tool trace's MMU options)
SOURCES = ("stw", "background", "assist", "sweep")
#: timeline span kind -> the source it belongs to (kinds not here never count)
KIND_SOURCE = {"dedicated": "background", "fractional": "background", "assist": "assist", "sweep": "sweep"}
#: the shortest window of a curve, ns
MIN_WINDOW = 10_000
#: windows per decade of a curve
PER_DECADE = 10


def parse_exclude(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """``--mmu-exclude stw,background,assist,sweep``: the sources left out; BadInput names a bad one."""
    if text is None:
        return ()
    items = text.split(",") if isinstance(text, str) else list(text)
    out = []
    for it in items:
        it = it.strip()
        if not it:
            continue
        if it not in SOURCES:
            raise BadInput(f"--mmu-exclude: unknown source {it!r} (sources: {', '.join(SOURCES)})")
        if it not in out:
            out.append(it)
    return tuple(out)


@dataclass
class Utilization:
    """A step function: ``util[i]`` on ``[times[i], times[i+1])``; ``times[0] == 0``, ``times[-1]`` the end (ns)."""

    times: np.ndarray
    util: np.ndarray
    procs: int

    @property
    def end(self) -> int:
        return int(self.times[-1])

    def mean(self) -> float:
        d = np.diff(self.times)
        return float((self.util * d).sum() / d.sum()) if d.sum() > 0 else 1.0


def _merge(iv: Iterable[tuple[int, int]], end: int) -> list[tuple[int, int]]:
    """Disjoint sorted union of intervals, clipped to [0, end]; empty ones dropped."""
    out: list[list[int]] = []
    for a, b in sorted((max(0, a), min(end, b)) for a, b in iv):
        if b <= a:
            continue
        if out and a <= out[-1][1]:
            if b > out[-1][1]:
                out[-1][1] = b
        else:
            out.append([a, b])
    return [(a, b) for a, b in out]


def from_intervals(
    procs: int,
    end: int,
    stw: Iterable[tuple[int, int]] = (),
    spans: Iterable[tuple[int, str, int, int]] = (),
    exclude: Sequence[str] = (),
) -> Utilization:
    """The utilization function of a run of *end* ns on *procs* Ps.

    *stw*: ``(start, end)`` of each stop-the-world pause; *spans*: ``(p,
    kind, start, end)`` with the timeline's kinds (:data:`KIND_SOURCE`);
    *exclude*: sources (:data:`SOURCES`) not to count.
    """
    if procs < 1:
        raise BadInput("procs must be at least 1")
    end = int(end)
    if end <= 0:
        return Utilization(np.array([0, 0], dtype=np.int64), np.array([1.0]), procs)
    ex = set(exclude)
    per_p: dict[int, list[tuple[int, int]]] = {}
    for p, kind, a, b in spans:
        src = KIND_SOURCE.get(kind)
        if src is None or src in ex:
            continue
        per_p.setdefault(p, []).append((a, b))
    t_parts: list[int] = []
    busy_d: list[int] = []
    stw_d: list[int] = []
    for iv in per_p.values():
        for a, b in _merge(iv, end):
            t_parts += (a, b)
            busy_d += (1, -1)
            stw_d += (0, 0)
    if "stw" not in ex:
        for a, b in _merge(stw, end):
            t_parts += (a, b)
            busy_d += (0, 0)
            stw_d += (1, -1)
    if not t_parts:
        return Utilization(np.array([0, end], dtype=np.int64), np.array([1.0]), procs)
    ts = np.array(t_parts, dtype=np.int64)
    order = np.argsort(ts, kind="stable")
    ts = ts[order]
    busy = np.cumsum(np.array(busy_d, dtype=np.int64)[order])
    stopped = np.cumsum(np.array(stw_d, dtype=np.int64)[order])
    last = np.r_[np.nonzero(np.diff(ts))[0], ts.size - 1]  # the state after every change at a time stamp
    ut, busy, stopped = ts[last], busy[last], stopped[last]
    util = np.where(stopped > 0, 0.0, 1.0 - np.minimum(busy, procs) / procs)
    times = np.r_[0, ut] if ut[0] > 0 else ut
    vals = np.r_[1.0, util] if ut[0] > 0 else util
    if times[-1] < end:
        times = np.r_[times, end]
    else:
        vals = vals[:-1]  # the value from the end on is not part of the run
    # drop changes that change nothing
    keep = np.r_[True, vals[1:] != vals[:-1]]
    times = np.r_[times[:-1][keep], times[-1]]
    return Utilization(times.astype(np.int64), vals[keep].astype(float), procs)


def run_end(rt: Any) -> int:
    """The run's end in model ns: the latest P clock, or the latest thing recorded."""
    end = int(rt.now)
    tl = rt.log.timeline
    if tl is not None:
        if tl.spans:
            end = max(end, max(s[3] for s in tl.spans))
        if tl.gslices:
            end = max(end, max(s[3] for s in tl.gslices))
    for _, _, start, ns in rt.gc.pauses:
        end = max(end, start + ns)
    return end


def utilization(rt: Any, exclude: Sequence[str] = ()) -> Utilization:
    """The utilization function of a run on *rt* (its pauses; its timeline's spans if it recorded one)."""
    tl = rt.log.timeline
    spans = [(p, k, a, b) for p, k, a, b, _ in tl.spans] if tl is not None else []
    stw = [(start, start + ns) for _, _, start, ns in rt.gc.pauses]
    return from_intervals(len(rt.sched.ps), run_end(rt), stw, spans, exclude)


class MMUCurve:
    """MMU of one utilization function, for any window size."""

    def __init__(self, u: Utilization) -> None:
        self.u = u
        self.times = u.times.astype(float)
        self.cum = np.r_[0.0, np.cumsum(u.util * np.diff(self.times))]

    @property
    def end(self) -> int:
        return self.u.end

    def integral(self, t: np.ndarray) -> np.ndarray:
        """∫ utilization from 0 to each *t* (exact: the integral is linear between changes)."""
        return np.interp(t, self.times, self.cum)

    def worst(self, window: float) -> tuple[float, float]:
        """(MMU, start of a worst window) for windows of *window* ns."""
        T = float(self.times[-1])
        if window <= 0:
            return 0.0, 0.0
        if T <= 0:
            return 1.0, 0.0
        if window >= T:
            return float(min(1.0, max(0.0, self.cum[-1] / T))), 0.0
        hi = T - window
        starts = np.clip(np.r_[self.times, self.times - window, hi], 0.0, hi)
        mu = (self.integral(starts + window) - self.integral(starts)) / window
        i = int(np.argmin(mu))
        return float(min(1.0, max(0.0, mu[i]))), float(starts[i])

    def mmu(self, window: float) -> float:
        """MMU for windows of *window* ns (Go's MMUCurve.MMU)."""
        return self.worst(window)[0]

    def curve(self, ws: Sequence[float] | None = None) -> list[tuple[float, float, float]]:
        """``(window ns, bounded MMU, raw MMU)`` for each window (default :func:`windows`); bounded is non-decreasing."""
        ws = list(windows(self.end) if ws is None else sorted(ws))
        raw = [self.mmu(w) for w in ws]
        bounded = list(raw)
        for i in range(len(bounded) - 2, -1, -1):
            bounded[i] = min(bounded[i], bounded[i + 1])
        return [(w, b, r) for w, b, r in zip(ws, bounded, raw)]


def windows(end: int, lo: int = MIN_WINDOW, per_decade: int = PER_DECADE) -> list[int]:
    """Window sizes from *lo* ns to the run's length *end*, *per_decade* to a factor of ten (log spaced), *end* last."""
    end = int(end)
    if end <= 0:
        return []
    if end <= lo:
        return [end]
    out = []
    k = 0
    while True:
        w = int(round(lo * 10 ** (k / per_decade)))
        if w >= end:
            break
        if not out or w > out[-1]:
            out.append(w)
        k += 1
    out.append(end)
    return out


def csv_text(points: Sequence[tuple[float, float, float]]) -> str:
    """The ``--mmu FILE.csv`` text: ``window_seconds,mmu`` (bounded MMU), one line per window."""
    lines = ["window_seconds,mmu"]
    for w, b, _ in points:
        lines.append(f"{w / 1e9:.9g},{b:.6f}")
    return "\n".join(lines) + "\n"


# -- pictures ------------------------------------------------------------------------------------

FONT = "DejaVu Sans, Verdana, Arial, sans-serif"
XMLNS = ' xmlns="http://www.w3.org/2000/svg"'
COLORS = ("#d32f2f", "#fb8c00", "#1e88e5", "#43a047", "#8e24aa", "#00897b")


def _fmt_window(ns: float) -> str:
    for unit, div in (("s", 1e9), ("ms", 1e6), ("\u00b5s", 1e3)):
        if ns >= div:
            v = ns / div
            return f"{v:g}{unit}" if v == int(v) else f"{v:.3g}{unit}"
    return f"{ns:g}ns"


def svg_curves(
    curves: Sequence[tuple[str, Sequence[tuple[float, float, float]]]],
    title: str = "Minimum mutator utilization",
    width: int = 860,
    height: int = 320,
    note: str = "",
    standalone: bool = True,
) -> str:
    """An SVG of one or more MMU curves (label, :meth:`MMUCurve.curve` points), window size on a log axis.

    *standalone*: a file of its own (with the SVG namespace), else for inline use in HTML (without it)."""
    pl, pr, pt, pb = 64, 20, 38, 48
    pts_all = [w for _, pts in curves for w, _, _ in pts if w > 0]
    o = [
        f'<svg class="chart mmu"{XMLNS if standalone else ""} width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" font-family="{FONT}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
        '<rect width="100%" height="100%" fill="#fff"/>',
        f'<text x="{pl}" y="18" font-size="13" font-weight="bold" fill="#263238">{escape(title)}</text>',
    ]
    if not pts_all:
        o.append(f'<text x="{width // 2}" y="{height // 2}" font-size="13" fill="#90a4ae" text-anchor="middle">no window: the run took no model time</text></svg>')
        return "\n".join(o)
    lo = 10 ** math.floor(math.log10(min(pts_all)))
    hi = 10 ** math.ceil(math.log10(max(pts_all)))
    if hi <= lo:
        hi = lo * 10
    llo, lhi = math.log10(lo), math.log10(hi)

    def x(w: float) -> float:
        return pl + (width - pl - pr) * (math.log10(max(w, lo)) - llo) / (lhi - llo)

    def y(v: float) -> float:
        return height - pb - (height - pt - pb) * v

    for v in (0, 0.25, 0.5, 0.75, 1.0):
        o.append(f'<line x1="{pl}" y1="{y(v):.1f}" x2="{width - pr}" y2="{y(v):.1f}" stroke="#eceff1"/>')
        o.append(f'<text x="{pl - 6}" y="{y(v) + 4:.1f}" font-size="11" fill="#607d8b" text-anchor="end">{v:g}</text>')
    d = lo
    while d <= hi * 1.0001:
        o.append(f'<line x1="{x(d):.1f}" y1="{pt}" x2="{x(d):.1f}" y2="{height - pb}" stroke="#eceff1"/>')
        o.append(f'<text x="{x(d):.1f}" y="{height - pb + 16}" font-size="11" fill="#607d8b" text-anchor="middle">{escape(_fmt_window(d))}</text>')
        d *= 10
    o.append(f'<line x1="{pl}" y1="{height - pb}" x2="{width - pr}" y2="{height - pb}" stroke="#90a4ae"/>')
    o.append(f'<line x1="{pl}" y1="{pt}" x2="{pl}" y2="{height - pb}" stroke="#90a4ae"/>')
    o.append(f'<text x="{(pl + width - pr) // 2}" y="{height - 10}" font-size="11" fill="#455a64" text-anchor="middle">window (model time, log scale)</text>')
    o.append(f'<text x="14" y="{(pt + height - pb) // 2}" font-size="11" fill="#455a64" text-anchor="middle" transform="rotate(-90 14 {(pt + height - pb) // 2})">MMU</text>')
    lx = pl + 12  # the legend at the top left, where MMU curves (low for short windows) rarely go
    for i, (label, pts) in enumerate(curves):
        color = COLORS[i % len(COLORS)]
        path = " ".join(f"{x(w):.1f},{y(b):.1f}" for w, b, _ in pts if w > 0)
        o.append(f'<polyline class="mmu-curve" data-label="{escape(label)}" points="{path}" fill="none" stroke="{color}" stroke-width="2.2" stroke-linejoin="round"/>')
        ly = pt + 16 + 16 * i
        o.append(f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 20}" y2="{ly - 4}" stroke="{color}" stroke-width="2.5"/>')
        o.append(f'<text x="{lx + 26}" y="{ly}" font-size="11" fill="#37474f">{escape(label)}</text>')
    if note:
        o.append(f'<text x="{lx}" y="{pt + 16 + 16 * len(curves)}" font-size="11" fill="#78909c">{escape(note)}</text>')
    o.append("</svg>")
    return "\n".join(o) + "\n"


def at(points: Sequence[tuple[float, float, float]], window: float) -> float | None:
    """The bounded MMU of the curve at the computed window nearest *window* (None: no such window)."""
    if not points:
        return None
    best = min(points, key=lambda p: abs(math.log(p[0] / window)) if p[0] > 0 else float("inf"))
    return best[1]
