"""Code generation for inlined calls (``INLCALL``, :mod:`gomem.compile.inline`): a mixin of FuncGen.

An inlined call is its ``init`` (the parameters declared and assigned the
arguments; the results declared, unless declared at the single return), its
body, and its value: the result variables.  As an expression its statements
are emitted before the statement being generated (where the front end's
other expression ``init`` statements go) and its value is a load of the
result variable(s); as a statement, in place.

A ``return`` of the inlined function became ``results = values; goto .iN``
with the label ``.iN`` at the end of the body (:func:`lower` makes those gotos
``INLRET``, so that FuncGen's own goto handling never sees them).  When the only such goto is
the body's last statement, it is just the end of the body.  Otherwise the
body runs inside a Python once-loop (``for _once in ONCE:`` ... ``break``),
a Target of FuncGen's break/continue machinery labelled ``.iN``, and each goto
is a ``break`` to it: from inside loops of the inlined body, FuncGen's flags
(set, checked after each inner Python loop) carry it out level by level.

The compiler evaluates the right operand of ``&&``/``||`` and a loop
condition lazily; an inlined call there cannot go before the statement:
``x && y`` becomes ``t = x; if t: [y's statements] t = y``, and
:func:`lower` turns ``for cond {...}`` into ``for { if !cond { break }; ... }``
before code generation, when cond holds an inlined call (and ``a, b := f()``
with f inlined into the inlined call then ``a, b = results``).
"""

from __future__ import annotations

from . import ir
from .ir import Func, Name, Node


def has_inlcall(n) -> bool:
    """Whether an expression holds an inlined call (function literals are functions of their own)."""
    stack = [n]
    while stack:
        x = stack.pop()
        if not isinstance(x, Node) or isinstance(x, Name):
            continue
        if x.op == "INLCALL":
            return True
        if x.op == "CLOSURE":
            continue
        stack.extend(x.init or [])
        for a in ("x", "y", "fun", "cond", "key", "value", "index", "low", "high", "max", "len", "cap"):
            v = getattr(x, a)
            if isinstance(v, Node):
                stack.append(v)
        for a in ("args", "list", "lhs", "rhs"):
            v = getattr(x, a)
            if isinstance(v, list):
                stack.extend(v)
    return False


def _gotos(stmts, label: str) -> int:
    n = 0
    stack = list(stmts or [])
    while stack:
        x = stack.pop()
        if not isinstance(x, Node) or isinstance(x, Name):
            continue
        if x.op in ("GOTO", "INLRET") and x.label == label:
            n += 1
        if x.op == "CLOSURE":
            continue
        stack.extend(x.init or [])
        for a in ("body", "els", "list", "cases"):
            v = getattr(x, a)
            if isinstance(v, list):
                stack.extend(v)
        for a in ("x", "y", "post", "cond"):
            v = getattr(x, a)
            if isinstance(v, Node):
                stack.append(v)
    return n


def returns_at_end(body: list, label: str) -> bool:
    """Whether the inlined body's only goto to its end is its last statement (before the label)."""
    if len(body) < 2 or body[-1].op != "LABEL":
        return _gotos(body, label) == 0
    last = body[-2]
    tail_goto = last.op == "BLOCK" and last.list and last.list[-1].op in ("GOTO", "INLRET") and last.list[-1].label == label
    total = _gotos(body, label)
    return total == 0 or (tail_goto and total == 1)


def lower(prog) -> None:
    """Before code generation: loop conditions that hold an inlined call are tested at the top of the body."""
    from .escape import walk_nodes

    def visit(n):
        if n.op == "INLCALL":  # its returns' gotos: INLRET, apart from the gotos of the Go source
            stack = list(n.body or [])
            while stack:
                x = stack.pop()
                if not isinstance(x, Node) or isinstance(x, Name) or x.op == "CLOSURE":
                    continue
                if x.op == "GOTO" and x.label == n.label:
                    x.op = "INLRET"
                stack.extend(x.init or [])
                for a in ("body", "els", "list", "cases"):
                    v = getattr(x, a)
                    if isinstance(v, list):
                        stack.extend(v)
        if n.op == "AS2FUNC" and n.rhs and n.rhs[0].op == "INLCALL":  # a, b := f() with f inlined
            call = n.rhs[0]
            n.op = "AS2"
            n.init = list(n.init or []) + [call]
            n.rhs = list(call.list)
        if n.op == "FOR" and n.cond is not None and has_inlcall(n.cond):
            test = Node("IF", n.pos, cond=Node("NOT", n.cond.pos, n.cond.type, x=n.cond),
                        body=[Node("BREAK", n.pos)], els=[])
            n.cond = None
            n.body = [test] + list(n.body or [])

    for fn in prog.funcs:
        if not fn.stub and fn.has_body:
            walk_nodes(fn.body or [], visit, into_closures=False)


class InlGen:
    """FuncGen's inlined calls."""

    def inl_body(self, n: Node, ind: int, expr_ctx: bool) -> None:
        """The inlined body's statements, their lines attributed to the callee inside this call (the line
        table's inline chain)."""
        saved = self.inl_chain, self.cur_pos
        self.inl_chain = saved[0] + ((n.extra, n.pos),)
        try:
            self._inl_body(n, ind, expr_ctx)
        finally:
            self.inl_chain, self.cur_pos = saved

    def _inl_body(self, n: Node, ind: int, expr_ctx: bool) -> None:
        body = n.body or []
        label = n.label
        emit_stmt = self.stmt1 if expr_ctx else self.stmt
        if returns_at_end(body, label):
            self._inl_skip = getattr(self, "_inl_skip", set())
            self._inl_skip.add(label)
            for st in body:
                if st.pos:
                    self.cur_pos = st.src_pos or st.pos
                emit_stmt(st, ind)
            return
        target = self.push_target("inline", label, [], ind, True)
        self.emit(ind, "for _once in ONCE:")
        start = len(self.lines)
        for st in body:
            self.stmt(st, ind + 1)
        if len(self.lines) == start:
            self.emit(ind + 1, "pass")
        self.emit(ind + 1, "break")
        self.pop_target(target, ind)

    def inl_dead(self, n: Node, results: bool = True) -> None:
        """The inlined body's variables die with the statement, as its frame would have: pointer slots and
        in-memory values are cleared then (not those captured by reference or moved to the heap; nor the
        results of an inlined call that is a statement of its own: ``a, b := f()`` reads them next)."""
        keep = set() if results else {id(r) for r in n.list or []}
        for nm in n.decl_names or []:
            if nm.addrtaken or id(nm) in self.pg.moved or id(nm) in keep:
                continue
            if id(nm) in self.slot:
                self.live_temps.append(self.slot[id(nm)])
            elif id(nm) in self.memloc and nm.type.has_pointers():
                f = self.memloc[id(nm)]
                self.agg_temps[f] = nm.type.size()
                self.live_temps.append(f)

    def inl_expr(self, n: Node) -> str:
        """The value of an inlined call in an expression (its init already emitted by expr)."""
        saved = self.live_temps
        self.live_temps = []
        self.inl_body(n, self.cur_ind, False)
        self.live_temps = saved + self.live_temps
        self.inl_dead(n)
        res = n.list or []
        if len(res) == 1:
            return self.load_name(res[0])
        return "(" + ", ".join(self.load_name(r) for r in res) + ("," if len(res) == 1 else "") + ")"

    def inl_stmt(self, n: Node, ind: int) -> None:
        """An inlined call as a statement (stmt1 emitted its init), or a return of one (to its end)."""
        if n.op == "INLRET":
            if n.label in getattr(self, "_inl_skip", ()):
                return  # the end of an inlined body that ends here
            if any(t.label == n.label and t.kind == "inline" for t in self.loops):
                self.jump(n, "break", n.label, ind)
                return
            self.unsupported(n, f"return from an inlined call ({n.label})")
        self.inl_body(n, ind, False)
        self.inl_dead(n, results=False)

    def inl_logical(self, n: Node) -> str:
        """``x && y`` / ``x || y`` whose right operand holds an inlined call: y's statements run only when needed."""
        t = self.pytmp()
        self.emit(self.cur_ind, f"{t} = {self.expr(n.x)}")
        self.emit(self.cur_ind, f"if {'' if n.op == 'ANDAND' else 'not '}{t}:")
        saved = self.cur_ind
        self.cur_ind += 1
        start = len(self.lines)
        self.emit(self.cur_ind, f"{t} = {self.expr(n.y)}")
        del start
        self.cur_ind = saved
        return t
