"""Where a local variable dies: the part of the compiler's stack liveness the collector sees.

Go's compiler (``cmd/compile/internal/liveness``) computes, for every safe point of a function,
which of its stack slots holding pointers may still be read; the stack map of that point lists only
those, and the collector scans nothing else of the frame.  A pointer left in a slot after its last
use therefore keeps nothing alive.  This matters most at a function's end: the goroutine-leak
detector's cases, for instance, call the profile from a deferred function, when the frame's
channels are dead, and a frame that kept them would make the goroutines blocked on them
reachable.

The model's frames are real memory the collector scans word by word, so a dead variable is made
invisible the way the effect shows: its slot is cleared once it cannot be read again.  For each
local of a function this module finds the *owner* block (the innermost statement list that holds
its declaration and every use) and the last statement of that block using it; the code generator
clears the variable's slot after that statement (:func:`dead_after`).

Simplifications, each of which keeps a variable live longer than Go does, never shorter:

* a variable dies after the statement of its owner block that uses it last, not at its last use
  inside that statement (Go's maps are per instruction: an argument is dead during the call that
  receives it when the caller does not use it afterwards);
* variables whose address is taken, that a closure captures by reference, or that escape to a heap
  cell are never cleared (Go keeps an address-taken variable live for its whole scope too);
* parameters and results are never cleared;
* a function with a label a ``goto`` jumps to gets no clearing at all (a backward jump could reach
  a use after the clear).
"""

from __future__ import annotations

from .ir import PAUTO, Name, Node, operands


def _blocks(n: Node) -> list[list]:
    """The statement lists nested directly in statement *n* (its branches, loop body, case bodies)."""
    if n.op == "BLOCK":
        return [n.list or []]
    out = []
    if n.op in ("IF", "FOR", "RANGE"):
        out += [b for b in (n.body, n.els) if isinstance(b, list)]
    for c in n.cases or ():
        if isinstance(c, Node) and isinstance(c.body, list):
            out.append(c.body)
    return out


def _parts(n: Node, blocks: list[list]) -> list:
    """The nodes of statement *n* evaluated at its own level: its operands but the statements of its nested
    *blocks*, a case clause opened so that its own nodes (not its body) are included."""
    inner = {id(x) for b in blocks for x in b}
    clauses = {id(c) for c in n.cases or ()}
    out = []
    for x in operands(n):
        if id(x) in clauses:
            out.extend(_parts(x, blocks))
        elif id(x) not in inner:
            out.append(x)
    return out


def _names_under(nodes: list, found: list, by_ref: set) -> None:
    """Every name occurring under *nodes* (into function literals, whose captured variables count as a
    use of the variable they capture) into *found*; variables captured by reference into *by_ref*."""
    stack = list(nodes)
    while stack:
        n = stack.pop()
        if not isinstance(n, Node):
            continue
        if isinstance(n, Name):
            found.append(n.canonical())
            continue
        stack.extend(operands(n))
        if n.op == "CLOSURE" and n.func is not None:
            for cv in n.func.closure_vars or ():
                outer = cv.canonical()
                found.append(outer)
                if not outer.byval:
                    by_ref.add(id(outer))
            stack.extend(n.func.body or [])


def dead_after(body: list) -> dict[int, list[Name]]:
    """``id(statement) -> locals`` that are dead once the statement has run (see the module docstring).

    Only the function's own automatic variables (``PAUTO``) are candidates; the caller skips those it
    keeps elsewhere than in a frame slot (scalars in Python locals, heap cells).
    """
    uses: dict[int, list[tuple]] = {}  # id(variable) -> the paths of its uses
    names: dict[int, Name] = {}
    by_ref: set[int] = set()

    def visit_block(stmts: list, prefix: tuple) -> None:
        for k, st in enumerate(stmts):
            if not isinstance(st, Node):
                continue
            here = prefix + ((id(stmts), k, st),)
            nested = _blocks(st)
            found: list[Name] = []
            _names_under(_parts(st, nested), found, by_ref)
            for nm in found:
                if nm.cls == PAUTO and not nm.blank and not nm.is_closure_var:
                    names[id(nm)] = nm
                    uses.setdefault(id(nm), []).append(here)
            for b in nested:
                visit_block(b, here)

    visit_block(body, ())
    out: dict[int, list[Name]] = {}
    for key, paths in uses.items():
        nm = names[key]
        if nm.addrtaken or key in by_ref:
            continue
        depth = 0  # the deepest level at which every use is in the same block: the owner
        while all(len(p) > depth + 1 for p in paths) and len({p[depth + 1][0] for p in paths}) == 1:
            depth += 1
        last = max((p[depth] for p in paths), key=lambda e: e[1])
        out.setdefault(id(last[2]), []).append(nm)
    return out
