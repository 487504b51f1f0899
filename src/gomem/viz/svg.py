"""One SVG picture per scenario step, in the seed article's visual language.

Each picture shows, left to right, the **roots** — the globals (the data
segment) and one box per goroutine stack holding its local pointer slots
and its stack objects — and the **heap**.  Objects are boxes with their
number and their three pointer fields ``f``, ``a``, ``b``; a pointer is an
arrow from the exact field (or root slot) that holds it.  Colours are the
tricolor abstraction as the engine derives it from the mark bits and the
work queues: white, grey (``#9e9e9e``), black; a freed object is drawn
dashed and faded, and labelled *lost* when something still points to it.

On top of the graph:

* the pointer the step just wrote is thick and blue, the one it just
  deleted (or overwrote) is a dashed orange ghost with a cross;
* objects a write barrier shaded in this step wear an orange ring marked
  ``WB``;
* edges from a black object to a white one (they break the strong tricolor
  invariant) are red; the line under the graph says which invariants hold;
* a one-line caption (step and what it did) above, and a small timeline of
  model time below with the stop-the-world pauses (``rt.gc.pauses`` and the
  steps during which a stop-the-world collector held the world) shaded and
  the current step's time marked.

Everything is plain SVG 1.1 text built here, without dependencies; the same
run gives byte-identical pictures (the layout depends only on the scenario
and the steps, numbers are formatted deterministically).  Elements carry
stable attributes for tests and the interactive page: ``<g class="obj"
data-obj="3" data-color="white">``, ``<path class="edge" data-from="4"
data-field="f" data-to="3">``, ``data-highlight="written|deleted"``,
``data-shaded="true"``, ``<text class="invariant" data-strong="…">``.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from html import escape as _html_escape
from pathlib import Path

from ..errors import BadInput
from ..cmd.fsutil import write_output
from ..cmd.report import fmt_duration
from ..scenarios.engine import BLACK, GREY, WHITE, ScenarioRun, Step
from ..scenarios.format import FIELDS
from ..scenarios.text import invariant_text

# -- geometry ----------------------------------------------------------------------------------

MARGIN = 16
HEADER_H = 56  #: header line + caption line
NODE_W, NODE_H = 58, 42
LABEL_W = 40  #: the numbered part of an object box; the field column is to its right
FIELD_W = NODE_W - LABEL_W
FIELD_H = NODE_H // len(FIELDS)
SLOT_W, SLOT_H = 50, 20
SLOT_PITCH = 28
LEFT_W = 112  #: width of the roots column (globals and goroutine boxes)
STACK_OBJ_PITCH = NODE_H + 30
HEAP_GAP = 64  #: between the roots column and the heap box
COL_PITCH = NODE_W + 70
ROW_PITCH = NODE_H + 34
MIN_WIDTH = 720
CAPTION_FONT, CAPTION_MIN_FONT = 12.5, 9.5  #: a long caption shrinks to fit one line, down to the minimum
FONT = "DejaVu Sans, Verdana, Arial, sans-serif"

# -- colours -----------------------------------------------------------------------------------

FILL = {WHITE: "#ffffff", GREY: "#9e9e9e", BLACK: "#212121", "freed": "#ffffff"}
LABEL_FILL = {WHITE: "#212121", GREY: "#000000", BLACK: "#ffffff", "freed": "#757575"}
CELL_FILL = {WHITE: "#f5f5f5", GREY: "#bdbdbd", BLACK: "#424242", "freed": "#fafafa"}
CELL_TEXT = {WHITE: "#757575", GREY: "#424242", BLACK: "#bdbdbd", "freed": "#bdbdbd"}
EDGE = "#546e7a"
WRITTEN = "#1565c0"
DELETED = "#ef6c00"
BROKEN = "#d32f2f"
SHADED = "#ff9800"
STW = "#e53935"
OK_GREEN = "#2e7d32"


def esc(s: object) -> str:
    """Text or attribute value escaped for XML (quotes included)."""
    return _html_escape(str(s), quote=True)


def _n(v: float) -> str:
    """A coordinate: an integer when it is one, else one decimal (deterministic)."""
    r = round(v, 1)
    if r == int(r):
        return str(int(r))
    return f"{r:.1f}"


def text_width(s: str, size: float = 12) -> float:
    """An estimate of the rendered width of *s* in the sans font (wide glyphs count double)."""
    w = 0.0
    for ch in s:
        if ord(ch) > 0x2E7F:
            w += 1.0
        elif ch in "il.,:;'|!()[] ":
            w += 0.32
        elif ch.isupper() or ch in "mwMW@%":
            w += 0.72
        else:
            w += 0.58
    return w * size


# -- layout --------------------------------------------------------------------------------------


@dataclass
class Region:
    kind: str  # "globals", "stack", "heap"
    label: str
    x: float
    y: float
    w: float
    h: float
    goroutine: str = ""


@dataclass
class Layout:
    """Where everything of one scenario run goes; the same for every step of the run."""

    width: float
    graph_bottom: float
    nodes: dict[str, tuple[float, float]] = field(default_factory=dict)  #: object -> top-left corner
    slots: dict[str, tuple[float, float]] = field(default_factory=dict)  #: "global r1" / "local G1.x" -> top-left
    regions: list[Region] = field(default_factory=list)


def all_steps(run: ScenarioRun) -> list[Step]:
    """The initial state and every step, as pictured: index 0 is the initial graph."""
    if not run.steps and run.sc.steps:
        run.run()
    return [run.initial] + list(run.steps)


def _union_edges(steps: list[Step]) -> list[tuple[str, str, str]]:
    out, seen = [], set()
    for st in steps:
        for e in st.edges:
            if e not in seen:
                seen.add(e)
                out.append(e)
    return out


def _heap_grid(run: ScenarioRun, steps: list[Step]) -> dict[str, tuple[int, int]]:
    """(column, row) of each heap object: columns by distance from the roots in the initial graph."""
    sc = run.sc
    heap = list(sc.heap)
    heap_set = set(heap)
    init_edges = steps[0].edges
    union = _union_edges(steps)

    def adj_of(edges):
        adj: dict[str, list[str]] = {}
        for a, _, b in edges:
            if a in heap_set and b in heap_set:
                adj.setdefault(a, []).append(b)
        return adj

    def starts_of(edges):
        out = []
        for a, _, b in edges:
            if b in heap_set and (a.startswith(("global ", "local ")) or (a not in heap_set and not a.startswith(("global ", "local ")))):
                if b not in out:
                    out.append(b)
        return out

    depth: dict[str, int] = {}
    parent: dict[str, str | None] = {}
    order: list[str] = []

    def bfs(queue: list[str], adj: dict[str, list[str]], d0: dict[str, int]) -> None:
        for q in queue:
            if q not in depth:
                depth[q] = d0.get(q, 0)
                parent[q] = None
                order.append(q)
        i = 0
        while i < len(order):
            x = order[i]
            i += 1
            for y in adj.get(x, ()):
                if y not in depth:
                    depth[y] = depth[x] + 1
                    parent[y] = x
                    order.append(y)

    # 1. what the initial graph reaches from the roots
    bfs(starts_of(init_edges), adj_of(init_edges), {})
    # 2. what later steps hang under placed objects or the roots
    uadj = adj_of(union)
    bfs(starts_of(union), uadj, {})
    # 3. the rest (unreachable garbage): sources first, in declaration order
    incoming = {b for a, _, b in union if a in heap_set}
    rest = [o for o in heap if o not in depth and o not in incoming]
    bfs(rest, uadj, {})
    bfs([o for o in heap if o not in depth], uadj, {})

    grid: dict[str, tuple[int, int]] = {}
    next_row: dict[int, int] = {}
    for o in order:
        col = depth[o]
        row = next_row.get(col, 0)
        p = parent.get(o)
        if p is not None and p in grid:
            row = max(row, grid[p][1])
        grid[o] = (col, row)
        next_row[col] = row + 1
    return grid


def invariant_lines(st: Step) -> list[str]:
    """The invariant status of *st*, one clause a line (the step log's wording)."""
    return [x.strip() for x in invariant_text(st).split("; ") if x.strip()]


def caption(run: ScenarioRun, index: int, st: Step) -> str:
    """The one-line caption of step *index* (0: the initial graph)."""
    if index == 0:
        return "initial graph: the program's objects before the cycle, all white"
    note = st.note.strip()
    return f"{index}. {st.text} \u2014 {note}" if note else f"{index}. {st.text}"


def compute_layout(run: ScenarioRun, steps: list[Step] | None = None) -> Layout:
    """The layout of *run*'s pictures (every step shares it, so objects never move)."""
    sc = run.sc
    if steps is None:
        steps = all_steps(run)
    lay = Layout(width=MIN_WIDTH, graph_bottom=0)
    top = MARGIN + HEADER_H
    x0 = MARGIN
    y = top
    # roots column: globals, then each goroutine with locals or stack objects
    if sc.globals:
        h = 26 + len(sc.globals) * SLOT_PITCH
        lay.regions.append(Region("globals", "globals", x0, y, LEFT_W, h))
        for i, (name, _) in enumerate(sc.globals):
            lay.slots[f"global {name}"] = (x0 + 12, y + 24 + i * SLOT_PITCH)
        y += h + 14
    for g in sc.goroutines():
        locs = sc.locals.get(g, [])
        objs = sc.stacks.get(g, [])
        if not locs and not objs:
            continue
        gy = y
        yy = gy + 24
        for x in locs:
            lay.slots[f"local {g}.{x}"] = (x0 + 12, yy)
            yy += SLOT_PITCH
        if objs:
            yy += 6
        for o in objs:
            lay.nodes[o] = (x0 + 14, yy)
            yy += STACK_OBJ_PITCH
        if objs:
            yy -= STACK_OBJ_PITCH - NODE_H - 16
        h = max(yy - gy + 4, 40)
        lay.regions.append(Region("stack", f"{g} stack", x0, gy, LEFT_W, h, goroutine=g))
        y = gy + h + 14
    left_bottom = y - 14 if y > top else top
    # heap region
    hx = x0 + LEFT_W + HEAP_GAP
    grid = _heap_grid(run, steps)
    ncols = max((c for c, _ in grid.values()), default=0) + 1
    nrows = max((r for _, r in grid.values()), default=0) + 1
    for o, (c, r) in grid.items():
        lay.nodes[o] = (hx + 24 + c * COL_PITCH, top + 28 + r * ROW_PITCH)
    hw = 24 + (ncols - 1) * COL_PITCH + NODE_W + 40
    hh = 28 + (nrows - 1) * ROW_PITCH + NODE_H + 26 if grid else 60
    lay.regions.append(Region("heap", "heap", hx, top, hw, hh))
    lay.graph_bottom = max(left_bottom, top + hh)
    # width: the graph, or the longest caption / invariant line
    w = hx + hw + MARGIN
    longest = 0.0
    for i, st in enumerate(steps):
        longest = max(
            longest, text_width(caption(run, i, st), CAPTION_MIN_FONT), max(text_width(x, 12) for x in invariant_lines(st)) + 18
        )
    lay.width = max(MIN_WIDTH, w, MARGIN * 2 + longest + 8)
    return lay


# -- drawing -------------------------------------------------------------------------------------


def _defs() -> str:
    def marker(mid: str, color: str) -> str:
        return (
            f'<marker id="{mid}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="9" markerHeight="9" '
            f'markerUnits="userSpaceOnUse" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{color}"/></marker>'
        )

    return (
        "<defs>"
        + marker("arr", EDGE)
        + marker("arr-written", WRITTEN)
        + marker("arr-deleted", DELETED)
        + marker("arr-broken", BROKEN)
        + "</defs>"
    )


def _src_anchor(lay: Layout, src: str, fld: str) -> tuple[float, float] | None:
    if src.startswith(("global ", "local ")):
        p = lay.slots.get(src)
        if p is None:
            return None
        return (p[0] + SLOT_W - 6, p[1] + SLOT_H / 2)
    p = lay.nodes.get(src)
    if p is None:
        return None
    i = FIELDS.index(fld) if fld in FIELDS else 0
    return (p[0] + LABEL_W + FIELD_W - 5, p[1] + FIELD_H * i + FIELD_H / 2)


def _edge_path(lay: Layout, s: tuple[float, float], dst: str, slot: int, nslots: int) -> tuple[str, tuple[float, float]]:
    """A cubic Bézier from the source anchor to *dst*, and its midpoint."""
    sx, sy = s
    tx, ty = lay.nodes[dst]
    spread = (slot - (nslots - 1) / 2) * 8
    if tx >= sx + 18:  # to the right: into the left side
        ex, ey = tx, ty + NODE_H / 2 + spread
        d = max(22.0, (ex - sx) / 2.4)
        c1, c2 = (sx + d, sy), (ex - d, ey)
    elif ty > sy + 4:  # below: into the top of the number
        ex, ey = tx + LABEL_W / 2 + spread, ty
        c1, c2 = (sx + 40, sy + 40), (ex, ey - 12)
    elif ty + NODE_H < sy - 4:  # above: into the bottom
        ex, ey = tx + LABEL_W / 2 + spread, ty + NODE_H
        c1, c2 = (sx + 40, sy - 40), (ex, ey + 12)
    else:  # same row, to the left (or itself): loop over the top
        ex, ey = tx + LABEL_W / 2 + spread, ty
        c1, c2 = (sx + 40, sy - 56), (ex, ey - 56)
    d_attr = f"M{_n(sx)},{_n(sy)} C{_n(c1[0])},{_n(c1[1])} {_n(c2[0])},{_n(c2[1])} {_n(ex)},{_n(ey)}"
    mx = (sx + 3 * c1[0] + 3 * c2[0] + ex) / 8
    my = (sy + 3 * c1[1] + 3 * c2[1] + ey) / 8
    return d_attr, (mx, my)


def _edge_label(e: tuple[str, str, str]) -> str:
    a, f, b = e
    return f"{a}.{f} \u2192 {b}" if f else f"{a} \u2192 {b}"


def _stw_spans(run: ScenarioRun, steps: list[Step]) -> list[tuple[float, float, str, str]]:
    """(start, end, phase, tooltip) of every stop-the-world period."""
    out = []
    for cycle, phase, start, ns in run.rt.gc.pauses:
        out.append((start, start + ns, phase, f"GC {cycle} {phase}: world stopped {fmt_duration(ns)}"))
    # a stop-the-world collector holds the world across steps too (its mark, its sweep)
    i = 0
    while i < len(steps):
        if steps[i].world_stopped:
            j = i
            while j + 1 < len(steps) and steps[j + 1].world_stopped:
                j += 1
            t0, t1 = steps[i].t, steps[min(j + 1, len(steps) - 1)].t
            if t1 > t0:
                out.append((t0, t1, "stop-the-world collector", f"the collector holds the world: {fmt_duration(t1 - t0)}"))
            i = j + 1
        else:
            i += 1
    out.sort(key=lambda x: (x[0], x[1], x[2]))
    return out


def _timeline(run: ScenarioRun, steps: list[Step], st: Step, y: float, width: float) -> list[str]:
    spans = _stw_spans(run, steps)
    t_end = max([s.t for s in steps] + [e for _, e, _, _ in spans] + [1])
    x0 = MARGIN + 86
    x1 = width - MARGIN - 8
    bar_y, bar_h = y + 14, 14

    def pos(t: float) -> float:
        return x0 + (x1 - x0) * t / t_end

    out = ['<g class="timeline">']
    out.append(f'<text x="{MARGIN}" y="{_n(bar_y + 11)}" font-size="11" fill="#455a64">model time</text>')
    out.append(
        f'<rect x="{_n(x0)}" y="{_n(bar_y)}" width="{_n(x1 - x0)}" height="{bar_h}" fill="#eceff1" stroke="#b0bec5"/>'
    )
    for a, b, phase, tip in spans:
        w = max(2.0, pos(b) - pos(a))
        out.append(
            f'<rect class="stw" data-phase="{esc(phase)}" x="{_n(pos(a))}" y="{_n(bar_y)}" width="{_n(w)}" '
            f'height="{bar_h}" fill="{STW}" fill-opacity="0.75"><title>{esc(tip)}</title></rect>'
        )
        if w >= 46:
            short = {"sweep termination": "STW sweep term.", "mark termination": "STW mark term.", "mark": "STW mark"}.get(
                phase, "STW"
            )
            if text_width(short, 9) + 6 <= w:
                out.append(
                    f'<text x="{_n(pos(a) + w / 2)}" y="{_n(bar_y + 10)}" font-size="9" fill="#ffffff" '
                    f'text-anchor="middle">{esc(short)}</text>'
                )
    # ticks at each step's time, the current one marked
    for s in steps[1:]:
        out.append(f'<line x1="{_n(pos(s.t))}" y1="{_n(bar_y + bar_h)}" x2="{_n(pos(s.t))}" y2="{_n(bar_y + bar_h + 4)}" stroke="#78909c"/>')
    cx = pos(st.t)
    out.append(
        f'<path class="now" d="M{_n(cx)},{_n(bar_y - 1)} l-5,-7 h10 z" fill="#1565c0"/>'
        f'<line x1="{_n(cx)}" y1="{_n(bar_y)}" x2="{_n(cx)}" y2="{_n(bar_y + bar_h)}" stroke="#1565c0" stroke-width="2"/>'
    )
    lab_y = bar_y + bar_h + 13
    out.append(f'<text x="{_n(x0)}" y="{_n(lab_y)}" font-size="10" fill="#607d8b">0</text>')
    out.append(
        f'<text x="{_n(x1)}" y="{_n(lab_y)}" font-size="10" fill="#607d8b" text-anchor="end">{esc(fmt_duration(t_end))}</text>'
    )
    now = f"now {fmt_duration(st.t)}"
    nw = text_width(now, 10)
    nx = min(max(cx, x0 + 16 + nw / 2), x1 - 50 - nw / 2)
    out.append(f'<text class="now-label" x="{_n(nx)}" y="{_n(lab_y)}" font-size="10" fill="#1565c0" text-anchor="middle">{esc(now)}</text>')
    merged: list[list[float]] = []
    for a, b, _, _ in sorted(spans):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    total = sum(b - a for a, b in merged)
    if spans:
        stw_txt = f"STW: world stopped {fmt_duration(total)} in {len(merged)} period{'s' if len(merged) != 1 else ''}"
    else:
        stw_txt = "no stop-the-world pause"
    out.append(f'<text x="{_n(x0)}" y="{_n(bar_y - 4)}" font-size="10" fill="{STW}">{esc(stw_txt)}</text>')
    out.append("</g>")
    return out


def _legend(y: float) -> list[str]:
    out = ['<g class="legend" font-size="10" fill="#455a64">']
    x = MARGIN
    for c in (WHITE, GREY, BLACK):
        out.append(f'<rect x="{x}" y="{_n(y - 9)}" width="11" height="11" fill="{FILL[c]}" stroke="#424242"/>')
        out.append(f'<text x="{x + 15}" y="{_n(y)}">{c}</text>')
        x += 15 + int(text_width(c, 10)) + 12
    out.append(
        f'<rect x="{x}" y="{_n(y - 9)}" width="11" height="11" fill="#ffffff" stroke="#9e9e9e" stroke-dasharray="3 2"/>'
        f'<text x="{x + 15}" y="{_n(y)}">freed</text>'
    )
    x += 15 + 40
    yy = _n(y - 4)
    items = [
        (lambda x: f'<line x1="{x}" y1="{yy}" x2="{x + 20}" y2="{yy}" stroke="{WRITTEN}" stroke-width="3"/>', "pointer written"),
        (lambda x: f'<line x1="{x}" y1="{yy}" x2="{x + 20}" y2="{yy}" stroke="{DELETED}" stroke-width="2.5" stroke-dasharray="5 3"/>', "pointer deleted"),
        (lambda x: f'<line x1="{x}" y1="{yy}" x2="{x + 20}" y2="{yy}" stroke="{BROKEN}" stroke-width="2"/>', "black \u2192 white"),
        (lambda x: f'<rect x="{x + 3}" y="{_n(y - 10)}" width="14" height="12" rx="3" fill="none" stroke="{SHADED}" stroke-width="2"/>', "shaded by a barrier"),
    ]
    for shape, label in items:
        out.append(shape(x))
        out.append(f'<text x="{x + 24}" y="{_n(y)}">{esc(label)}</text>')
        x += 24 + int(text_width(label, 10)) + 14
    out.append("</g>")
    return out


def render_step(run: ScenarioRun, index: int, steps: list[Step] | None = None, layout: Layout | None = None) -> str:
    """The SVG of step *index* of *run* (0: the initial graph; k: ``run.steps[k-1]``)."""
    if steps is None:
        steps = all_steps(run)
    lay = layout or compute_layout(run, steps)
    st = steps[index]
    prev = steps[index - 1] if index > 0 else None
    sc = run.sc
    W = lay.width
    colors = st.colors
    n_steps = len(steps) - 1

    # what this step changed
    cur_edges = list(st.edges)
    cur_set = set(cur_edges)
    written: set[tuple[str, str, str]] = set()
    deleted: list[tuple[str, str, str]] = []
    if st.highlight and st.highlight in cur_set:
        written.add(st.highlight)
    if prev is not None and st.kind == "program":
        prev_set = set(prev.edges)
        written |= {e for e in cur_edges if e not in prev_set}
        deleted = [e for e in prev.edges if e not in cur_set]
    if st.highlight and st.highlight not in cur_set and st.highlight[2] != "nil" and st.highlight not in deleted:
        deleted.append(st.highlight)
    deleted = [e for e in deleted if e[2] in lay.nodes and _src_anchor(lay, e[0], e[1]) is not None]
    root_colors = getattr(st, "root_colors", None) or {}
    broken = {e for e in cur_edges if {**colors, **root_colors}.get(e[0]) == BLACK and colors.get(e[2]) == WHITE}
    broken |= {e for e in (st.broken_edge, st.weak_edge) if e is not None and e in cur_set}
    shaded = set(st.shaded)
    referenced = {b for _, _, b in cur_edges}

    header = f"{sc.name} \u00b7 --gc {run.mode_name} \u00b7 " + ("initial graph" if index == 0 else f"step {index} of {n_steps}")
    cap = caption(run, index, st)

    inv_y = lay.graph_bottom + 24
    tl_y = inv_y + 28
    legend_y = tl_y + 62
    H = legend_y + 12

    o: list[str] = []
    o.append(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="gomem-step" width="{_n(W)}" height="{_n(H)}" '
        f'viewBox="0 0 {_n(W)} {_n(H)}" font-family="{FONT}" data-scenario="{esc(sc.name)}" '
        f'data-mode="{esc(run.mode_name)}" data-step="{index}" data-steps="{n_steps}" data-phase="{esc(st.phase)}" '
        f'data-world-stopped="{str(st.world_stopped).lower()}" data-strong="{str(st.strong).lower()}" '
        f'data-weak="{str(st.weak).lower()}" role="img" aria-label="{esc(cap)}">'
    )
    o.append(f"<title>{esc(cap)}</title>")
    o.append(_defs())
    o.append(f'<rect class="background" x="0" y="0" width="{_n(W)}" height="{_n(H)}" fill="#fcfcfc"/>')
    # header and caption
    o.append(f'<text class="header" x="{MARGIN}" y="{MARGIN + 10}" font-size="13" font-weight="bold" fill="#263238">{esc(header)}</text>')
    bx = W - MARGIN
    badges = []
    if st.world_stopped:
        badges.append(("world stopped", STW, "#ffffff"))
    badges.append((f"phase: {st.phase}", "#eceff1", "#37474f"))
    for label, bg, fg in badges:
        bw = text_width(label, 11) + 14
        bx -= bw
        cls = "badge stopped" if label == "world stopped" else "badge"
        o.append(
            f'<g class="{cls}"><rect x="{_n(bx)}" y="{MARGIN - 2}" width="{_n(bw)}" height="17" rx="8" fill="{bg}"/>'
            f'<text x="{_n(bx + bw / 2)}" y="{MARGIN + 10}" font-size="11" fill="{fg}" text-anchor="middle">{esc(label)}</text></g>'
        )
        bx -= 6
    cap_font = CAPTION_FONT
    est = text_width(cap, CAPTION_FONT)
    if est > W - 2 * MARGIN - 8:
        cap_font = max(CAPTION_MIN_FONT, round(CAPTION_FONT * (W - 2 * MARGIN - 8) / est, 1))
    o.append(f'<text class="caption" x="{MARGIN}" y="{MARGIN + 34}" font-size="{_n(cap_font)}" fill="#212121">{esc(cap)}</text>')

    # regions
    for r in lay.regions:
        fill = {"globals": "#f3f6fb", "stack": "#f1f8e9", "heap": "#fff8e1"}[r.kind]
        stroke = {"globals": "#90a4ae", "stack": "#9ccc65", "heap": "#ffca28"}[r.kind]
        extra = f' data-goroutine="{esc(r.goroutine)}"' if r.goroutine else ""
        o.append(
            f'<g class="region {r.kind}"{extra}><rect x="{_n(r.x)}" y="{_n(r.y)}" width="{_n(r.w)}" height="{_n(r.h)}" '
            f'rx="8" fill="{fill}" stroke="{stroke}"/>'
            f'<text x="{_n(r.x + 8)}" y="{_n(r.y + 15)}" font-size="11" font-weight="bold" fill="#546e7a">{esc(r.label)}</text></g>'
        )
        if r.kind == "heap" and not sc.heap:
            o.append(f'<text x="{_n(r.x + 8)}" y="{_n(r.y + 36)}" font-size="11" fill="#90a4ae">(no heap objects)</text>')

    # root slots
    for name, (x, y) in lay.slots.items():
        short = name.split(" ", 1)[1]
        if name.startswith("local "):
            short = short.split(".", 1)[1]
        hl = any(e[0] == name for e in written) or any(e[0] == name for e in deleted)
        stroke = WRITTEN if any(e[0] == name for e in written) else (DELETED if hl else "#78909c")
        o.append(
            f'<g class="root" data-root="{esc(name)}"><rect x="{_n(x)}" y="{_n(y)}" width="{SLOT_W}" height="{SLOT_H}" rx="3" '
            f'fill="#ffffff" stroke="{stroke}" stroke-width="{2 if hl else 1}"/>'
            f'<text x="{_n(x + 6)}" y="{_n(y + 14)}" font-size="11" fill="#37474f">{esc(short)}</text>'
            f'<circle cx="{_n(x + SLOT_W - 6)}" cy="{_n(y + SLOT_H / 2)}" r="2.5" fill="#37474f"/></g>'
        )

    # objects
    for obj in sc.objects:
        if obj not in colors or obj not in lay.nodes:
            continue
        c = colors[obj]
        x, y = lay.nodes[obj]
        where = sc.where(obj)
        is_shaded = obj in shaded
        lost = c == "freed" and obj in referenced
        attrs = (
            f'class="obj{" shaded" if is_shaded else ""}" data-obj="{esc(obj)}" data-color="{c}" '
            f'data-where="{"heap" if where == "heap" else "stack"}"'
        )
        if is_shaded:
            attrs += ' data-shaded="true"'
        if lost:
            attrs += ' data-lost="true"'
        g = [f"<g {attrs}>"]
        g.append(f"<title>{esc(f'object {obj} ({where}): {c}' + (', freed while still referenced (lost)' if lost else ''))}</title>")
        if is_shaded:
            g.append(
                f'<rect class="barrier-mark" x="{_n(x - 5)}" y="{_n(y - 5)}" width="{NODE_W + 10}" height="{NODE_H + 10}" rx="8" '
                f'fill="none" stroke="{SHADED}" stroke-width="3"/>'
                f'<rect x="{_n(x + NODE_W - 12)}" y="{_n(y - 14)}" width="24" height="13" rx="4" fill="{SHADED}"/>'
                f'<text x="{_n(x + NODE_W)}" y="{_n(y - 4)}" font-size="9" font-weight="bold" fill="#ffffff" text-anchor="middle">WB</text>'
            )
        dash = ' stroke-dasharray="4 3"' if c == "freed" else ""
        opacity = ' opacity="0.55"' if c == "freed" else ""
        stroke = BROKEN if lost else "#37474f"
        g.append(f"<g{opacity}>")
        g.append(
            f'<rect class="node" x="{_n(x)}" y="{_n(y)}" width="{NODE_W}" height="{NODE_H}" rx="5" fill="{FILL[c]}" '
            f'stroke="{stroke}" stroke-width="1.5"{dash}/>'
        )
        for i, f in enumerate(FIELDS):
            cy = y + i * FIELD_H
            g.append(
                f'<rect class="field" data-field="{f}" x="{_n(x + LABEL_W)}" y="{_n(cy)}" width="{FIELD_W}" height="{FIELD_H}" '
                f'fill="{CELL_FILL[c]}" stroke="{stroke}" stroke-width="0.75"{dash}/>'
                f'<text x="{_n(x + LABEL_W + 2)}" y="{_n(cy + 10)}" font-size="8" fill="{CELL_TEXT[c]}">{f}</text>'
            )
        g.append(
            f'<text class="label" x="{_n(x + LABEL_W / 2)}" y="{_n(y + NODE_H / 2 + 6)}" font-size="16" font-weight="bold" '
            f'fill="{LABEL_FILL[c]}" text-anchor="middle">{esc(obj)}</text>'
        )
        g.append("</g>")
        if c == "freed":
            word = "lost!" if lost else "freed"
            g.append(
                f'<text x="{_n(x + NODE_W / 2)}" y="{_n(y + NODE_H + 12)}" font-size="10" font-weight="bold" '
                f'fill="{BROKEN if lost else "#9e9e9e"}" text-anchor="middle">{word}</text>'
            )
        g.append("</g>")
        o.extend(g)

    # edges: every pointer now, then the ghosts of deleted ones
    incoming: dict[str, list[tuple]] = {}
    for e in cur_edges + deleted:
        if e[2] in lay.nodes:
            incoming.setdefault(e[2], []).append(e)
    for k in incoming:
        incoming[k].sort(key=lambda e: (_src_anchor(lay, e[0], e[1]) or (0, 0))[1])

    def draw(e, kind: str) -> None:
        s = _src_anchor(lay, e[0], e[1])
        if s is None or e[2] not in lay.nodes:
            return
        lst = incoming[e[2]]
        d, (mx, my) = _edge_path(lay, s, e[2], lst.index(e), len(lst))
        tgt_c = colors.get(e[2])
        attrs = f'data-from="{esc(e[0])}" data-field="{esc(e[1])}" data-to="{esc(e[2])}"'
        if kind == "deleted":
            o.append(
                f'<g class="edge deleted" data-highlight="deleted" {attrs}><title>{esc("just deleted: " + _edge_label(e))}</title>'
                f'<path d="{d}" fill="none" stroke="{DELETED}" stroke-width="2.6" stroke-dasharray="6 4" marker-end="url(#arr-deleted)"/>'
                f'<path d="M{_n(mx - 5)},{_n(my - 5)} L{_n(mx + 5)},{_n(my + 5)} M{_n(mx - 5)},{_n(my + 5)} L{_n(mx + 5)},{_n(my - 5)}" '
                f'stroke="{DELETED}" stroke-width="2.5"/></g>'
            )
            return
        is_written = e in written
        is_broken = e in broken
        dangling = tgt_c == "freed"
        color = BROKEN if (is_broken or dangling) else (WRITTEN if is_written else EDGE)
        marker = "arr-broken" if (is_broken or dangling) else ("arr-written" if is_written else "arr")
        width = 3.2 if is_written else (2.2 if is_broken else 1.6)
        cls = "edge"
        extra = ""
        if is_written:
            cls += " written"
            extra += ' data-highlight="written"'
        if is_broken:
            cls += " broken"
            extra += f' data-broken="{"weak" if e == st.weak_edge else "strong"}"'
        if dangling:
            cls += " dangling"
            extra += ' data-dangling="true"'
        dash = ' stroke-dasharray="3 3"' if dangling else ""
        tip = _edge_label(e) + (" (just written)" if is_written else "") + (" breaks the strong invariant" if is_broken else "")
        tip += " (dangling: the target was freed)" if dangling else ""
        if is_written:
            o.append(f'<path class="halo" d="{d}" fill="none" stroke="#90caf9" stroke-width="8" stroke-opacity="0.7"/>')
        o.append(
            f'<path class="{cls}" {attrs}{extra} d="{d}" fill="none" stroke="{color}" stroke-width="{_n(width)}"{dash} '
            f'marker-end="url(#{marker})"><title>{esc(tip)}</title></path>'
        )
        o.append(f'<circle cx="{_n(s[0])}" cy="{_n(s[1])}" r="2.5" fill="{color}"/>')

    for e in cur_edges:
        draw(e, "edge")
    for e in deleted:
        draw(e, "deleted")
    # a write of nil into a nil field still shows which field was written
    if st.highlight and not written and not deleted and st.highlight[0] in lay.nodes:
        a, f, _ = st.highlight
        x, y = lay.nodes[a]
        i = FIELDS.index(f) if f in FIELDS else 0
        o.append(
            f'<rect class="hl-field" data-highlight="field" data-from="{esc(a)}" data-field="{esc(f)}" x="{_n(x + LABEL_W - 1)}" '
            f'y="{_n(y + i * FIELD_H - 1)}" width="{FIELD_W + 2}" height="{FIELD_H + 2}" fill="none" stroke="{WRITTEN}" stroke-width="2.5"/>'
        )

    # invariant line
    mark = OK_GREEN if st.strong else (BROKEN if not st.weak else DELETED)
    o.append(
        f'<g class="invariant-line"><circle cx="{MARGIN + 5}" cy="{_n(inv_y - 4)}" r="5" fill="{mark}"/>'
        f'<text class="invariant" x="{MARGIN + 16}" y="{_n(inv_y)}" font-size="12" fill="{"#212121" if st.strong else BROKEN}" '
        f'data-strong="{str(st.strong).lower()}" data-weak="{str(st.weak).lower()}">'
        + "".join(
            f'<tspan x="{MARGIN + 16}" dy="{0 if i == 0 else 16}">{esc(line)}</tspan>' for i, line in enumerate(invariant_lines(st))
        )
        + "</text></g>"
    )
    o.extend(_timeline(run, steps, st, tl_y, W))
    o.extend(_legend(legend_y))
    o.append("</svg>")
    return "\n".join(o) + "\n"


def step_svgs(run: ScenarioRun) -> list[str]:
    """Every picture of *run*: the initial graph, then one per step."""
    steps = all_steps(run)
    lay = compute_layout(run, steps)
    return [render_step(run, i, steps, lay) for i in range(len(steps))]


def file_name(run: ScenarioRun, index: int) -> str:
    """``NAME-MODE-stepNN.svg`` (step 00 is the initial graph)."""
    return f"{run.sc.name}-{run.mode_name}-step{index:02d}.svg"


_TITLE_RE = re.compile(r"<title>(.*?)</title>", re.S)


def write_steps(run: ScenarioRun, directory: str | os.PathLike) -> list[Path]:
    """Write every picture of *run* into *directory* (created if needed) and refresh its ``index.html``.

    Returns the paths written.  Raises :class:`~gomem.errors.BadInput`
    with the reason when the directory cannot be created or written.
    """
    d = Path(directory)
    try:
        d.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise BadInput(f"cannot write SVG pictures to {directory}: {e.strerror or e}") from None
    if not d.is_dir():
        raise BadInput(f"cannot write SVG pictures to {directory}: not a directory")
    paths = []
    for i, svg in enumerate(step_svgs(run)):
        p = d / file_name(run, i)
        write_output(p, svg)
        paths.append(p)
    write_index(d)
    return paths


def write_index(directory: Path) -> Path:
    """``index.html`` listing every ``*-stepNN.svg`` in *directory*, grouped by scenario and mode."""
    groups: dict[str, list[Path]] = {}
    for p in sorted(directory.glob("*-step[0-9][0-9]*.svg")):
        m = re.fullmatch(r"(.+)-step(\d+)\.svg", p.name)
        if m:
            groups.setdefault(m.group(1), []).append(p)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en"><head><meta charset="utf-8"><title>gomem scenario pictures</title>',
        "<style>body{font-family:sans-serif;margin:1em 2em;color:#263238}figure{margin:1em 0}"
        "img{max-width:100%;border:1px solid #cfd8dc}figcaption{font-size:90%;color:#455a64}</style>",
        "</head><body><h1>gomem scenario pictures</h1>",
    ]
    for key in sorted(groups):
        parts.append(f'<h2 id="{esc(key)}">{esc(key)}</h2>')
        for p in sorted(groups[key], key=lambda q: int(re.search(r"step(\d+)", q.name).group(1))):
            try:
                head = p.read_text(encoding="utf-8")[:4000]
            except OSError:
                head = ""
            m = _TITLE_RE.search(head)
            cap = m.group(1) if m else p.name  # already escaped in the SVG
            parts.append(f'<figure><img src="{esc(p.name)}" alt="{cap}"><figcaption>{esc(p.name)}: {cap}</figcaption></figure>')
    parts.append("</body></html>")
    out = directory / "index.html"
    write_output(out, "\n".join(parts) + "\n")
    return out
