"""The printed step log of a scenario run (also its golden-file format)."""

from __future__ import annotations

from .engine import BLACK, GREY, WHITE, ScenarioRun, Step, _sort_key


def _group(colors: dict[str, str]) -> str:
    parts = []
    for c in (WHITE, GREY, BLACK, "freed"):
        objs = sorted((o for o, v in colors.items() if v == c), key=_sort_key)
        if objs:
            parts.append(f"{c}: {' '.join(objs)}")
    return " | ".join(parts)


def _edge(e) -> str:
    a, f, b = e
    return f"{a}.{f} -> {b}" if f else f"{a} -> {b}"


def invariant_text(st: Step) -> str:
    if st.strong:
        return "strong invariant holds, weak invariant holds"
    s = f"strong invariant broken by {_edge(st.broken_edge)} (black -> white)"
    if st.weak:
        return s + "; weak invariant holds (a grey object or an unscanned root still reaches it through white objects)"
    return s + f"; weak invariant broken by {_edge(st.weak_edge)} (no grey object or unscanned root reaches it)"


def render(run: ScenarioRun) -> str:
    sc = run.sc
    lines = [f"scenario {sc.name} under --gc {run.mode_name}: {sc.title}"]
    for a in sc.about:
        lines.append(f"  {a}")
    lines.append(f"  initial: {_group(run.initial.colors)}")
    lines.append(f"  edges: {', '.join(_edge(e) for e in run.initial.edges)}")
    for st in run.steps:
        flag = " [world stopped]" if st.world_stopped else ""
        lines.append(f"step {st.index + 1:>2}  {st.text}{flag}")
        lines.append(f"          {st.note}")
        if st.events:
            lines.append(f"          events: {'; '.join(st.events)}")
        roots = ""
        if any(c != WHITE for c in st.roots.values()):
            roots = "   roots: " + ", ".join(f"{k} {c}" for k, c in st.roots.items())
        lines.append(f"          {_group(st.colors)}{roots}")
        lines.append(f"          {invariant_text(st)}")
    o = run.outcome()

    def lst(x):
        return " ".join(x) if x else "-"

    later = [x for x in o.floating if x in o.freed]
    fl = lst(o.floating) + (f" (freed by a later cycle: {' '.join(later)})" if later else "")
    lines.append(f"outcome: live {lst(o.live)}; freed {lst(o.freed)}; lost {lst(o.lost)}; floating {fl}")
    for name, path in sorted(o.lost_paths.items(), key=lambda kv: _sort_key(kv[0])):
        lines.append(f"  lost {name}: checkmark path {path}")
    probs = run.check_expectations()
    if sc.expected(run.mode_name):
        lines.append("expectations: " + ("all met" if not probs else "NOT MET: " + "; ".join(probs)))
    return "\n".join(lines) + "\n"
