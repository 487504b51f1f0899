"""The learners' view: heap allocations grouped by the seed article's list of causes.

The article (逃逸分析) lists why variables escape: returning a local's address,
sending a pointer on a channel, closures capturing variables, pointers stored in
slices or maps, slices too large (or growing), and calls through interfaces.
Each escaping variable or allocation is put under the first cause its flow path
to the heap (the same path ``-m=2`` explains) shows; what fits none of them is
listed as "other" with the path's own reason.
"""

from __future__ import annotations

from . import ir
from .ir import Name

CAUSES = [
    ("return", "returning a local's address"),
    ("send", "sending a pointer on a channel"),
    ("closure", "closures capturing variables"),
    ("container", "pointers stored in slices or maps"),
    ("size", "slices too large or growing"),
    ("iface", "calls through interfaces"),
    ("other", "other reasons"),
]

SLICE_MAP_WHYS = {"slice-literal-element", "map literal key", "map literal value", "key of map put",
                  "appended slice...", "copied slice", "appendee slice"}


def _notes(path) -> list:
    out = []
    for _dst, notes in path:
        nt = notes
        chain = []
        while nt is not None:
            where, why, nxt = nt
            chain.append((where, why))
            nt = nxt
        out.extend(chain)
    return out


def classify(n, root_kind: str, path) -> tuple[str, str]:
    """(cause key, detail) for an escaping location n whose flow path to root is path."""
    notes = _notes(path)
    whys = [w for _, w in notes]
    if "too large for stack" in whys:
        return "size", "too large for the stack"
    if "zero-sized element" in whys:
        return "size", "zero-sized elements are heap allocated"
    if n is not None and n.op == "CLOSURE":
        if "return" in whys or root_kind == "result":
            return "closure", "the function literal is returned"
        return "closure", "the function literal outlives its frame"
    if n is not None and n.op == "METHVALUE":
        return "closure", "a method value (a closure over its receiver) escapes"
    if n is not None and n.op == "CONVIFACE":
        if "send" in whys:
            return "send", "an interface value sent on a channel"
        if root_kind == "result" or "return" in whys:
            return "return", "an interface value returned"
        if "slice-literal-element" in whys and any(w is not None and w.op == "SLICELIT" and w.implicit for w, _ in notes):
            return "iface", "converted to an interface for a ...any argument (fmt and friends)"
        return "iface", "converted to an interface that escapes"
    wrappers = [d.n for d, _ in path if d is not None and d.n is not None and d.n.op == "CLOSURE" and d.n.func.wrapper]
    if wrappers:
        if wrappers[0].func.name.rsplit(".", 1)[-1].startswith("gowrap"):
            return "other", "an argument of a function started with go"
        return "other", "an argument of a deferred call (in a loop)"
    if "captured by a closure" in whys:
        return "closure", "captured by a closure that escapes"
    if "send" in whys:
        return "send", "sent on a channel"
    if root_kind == "result" or "return" in whys:
        return "return", "flows to a result"
    if "interface-converted" in whys:
        return "iface", "converted to an interface that escapes (e.g. an fmt argument)"
    for where, why in notes:
        if why == "call parameter" and where is not None and where.op == "CALLINTER":
            return "iface", f"passed to the interface method call {ir.fmt_node(where)}"
    if n is not None and n.op == "APPEND":
        return "size", "append may grow the slice on the heap"
    if n is not None and n.op == "MAKESLICE":
        return "size", "a slice made with a size not known at compile time"
    for where, why in notes:
        if why in SLICE_MAP_WHYS:
            return "container", why
        if why == "call parameter" and where is not None and where.op == "APPEND":
            return "container", "appended to a slice"
        if why in ("assign", "assign-pair") and where is not None:
            lhs = [where.x] if where.op in ("AS", "ASOP") else list(where.lhs or [])
            for l in lhs:
                if l is not None and l.op in ("INDEXMAP",):
                    return "container", "stored in a map"
                if l is not None and l.op == "INDEX" and not l.x.type.is_array():
                    return "container", "stored in a slice"
    for where, why in notes:
        if why in ("assign", "assign-pair") and where is not None:
            lhs = [where.x] if where.op in ("AS", "ASOP") else list(where.lhs or [])
            for l in lhs:
                if isinstance(l, Name) and l.cls == ir.PEXTERN:
                    return "other", f"stored in the global {l.sym}"
                if l is not None and l.op in ("DEREF", "DOTPTR"):
                    return "other", "stored through a pointer"
        if why == "call parameter" and where is not None:
            if where.op == "APPEND":
                return "container", "appended to a slice"
            if where.op == "PANIC":
                return "other", "passed to panic"
            return "other", f"passed to {ir.fmt_node(where.fun) if where.fun is not None else 'a call'}, whose parameter leaks"
        if why == "callee operand":
            return "other", "a function value called without known callee"
    return "other", None  # stored in something that outlives the function (see note_cause)


def explain_lines(result) -> list[str]:
    """One line per cause: the findings (moved to heap / escapes to heap) under it."""
    groups: dict[str, list[str]] = {k: [] for k, _ in CAUSES}
    for pos, kind, msg, node in result.records:
        if kind not in ("moved", "escapes"):
            continue
        cause = result.causes.get(id(node)) if node is not None else None
        key, detail = cause if cause else ("other", "")
        where = result.fmtpos(pos)
        what = msg.replace(" escapes to heap", "").replace("moved to heap: ", "")
        if key == "other" and not detail:
            detail = "stored where it outlives the function"
        groups[key].append(f"{where} {what}" + (f" ({detail})" if key == "other" and detail else ""))
    out = []
    for key, label in CAUSES:
        items = groups[key]
        if key == "other" and not items:
            continue
        out.append(f"{label} ({len(items)}): " + ("; ".join(items) if items else "none"))
    leaks = [r for r in result.records if r[1] in ("leak", "leakcontent", "leakresult")]
    if leaks:
        out.append(f"parameters that leak ({len(leaks)}): " + "; ".join(
            f"{result.fmtpos(p)} {m.replace('leaking param content: ', '*').replace('leaking param: ', '')}"
            for p, _k, m, _n in leaks))
    if result.unsupported:
        out.append(f"not analysed, or only partly ({len(result.unsupported)}): " + "; ".join(
            f"{result.fmtpos(p)} {fn}: {why}" for p, fn, why in result.unsupported))
    return out
