"""The inliner, as the gc compiler runs it before escape analysis (``go build`` without ``-l``).

Two passes, after the compiler's ``inline`` package:

- :func:`can_inline_funcs` decides which functions can be inlined and at what
  cost: every IR node of the body costs 1, with the compiler's adjustments
  (a call costs 57 more, or the callee's own cost when that callee can be
  inlined at the call; a function literal 15 more; ``panic`` nothing more;
  conversions that make no code nothing; ...).  A function is inlinable when
  its cost is at most 80 (800 for a function literal) and it has no
  ``go``/``defer``/``recover()`` and no ``//go:noinline``.  Functions are
  visited callees first (an SCC member sees the costs of the members visited
  before it).
- :func:`inline_calls` replaces the calls of inlinable functions (direct
  calls, method calls, devirtualized interface calls, calls of function
  literals whose value is statically known) by an ``INLCALL`` node: the
  compiler's ``OINLCALL``, the callee's body copied with fresh variables.
  ``init`` declares the parameters and assigns the arguments to them
  (``OAS2``), and declares the results unless they can be declared at the
  single return; ``body`` is the copied body, where each ``return`` became
  ``BLOCK{[DCL results;] results = values; GOTO .iN}``, followed by
  ``LABEL .iN``; ``list`` holds the result variables (what the call's value
  is).  Calls inside inlined bodies are inlined in later rounds, as the
  compiler's worklist does, except into themselves (a function already on
  the chain of inlined calls).

Standard-library functions have declaration stubs but no bodies here: what
the real compiler decides for them (their cost, and the calls it inlines
inside them) is read from the toolchain by :func:`generate_stdlib_table` into
:mod:`._stdlib_inline`.  Their cost counts in the caller's cost, and a call
of one that Go inlines is reported (``inlining call to fmt.Println``), with
the calls inlined inside it, but stays a call: the escape analysis uses its
parameter tags, which the compiler computed from that same body.  The one
difference this leaves is an allocation in such a body that would not
escape in the caller once inlined (``errors.New``'s ``&errorString{}``):
``gomem run`` still allocates it.
"""

from __future__ import annotations

import re
from typing import Optional

from . import ir
from . import types as T
from .ir import LIST_ATTRS, NODE_ATTRS, Func, Name, Node
from .srcfiles import LINE_MASK

MAX_BUDGET = 80
EXTRA_CALL_COST = 57
PARAM_CALL_COST = 17
EXTRA_PANIC_COST = 1
CLOSURE_COST = 15
BIG_FUNCTION_NODES = 5000
BIG_FUNCTION_MAX_COST = 20
CLOSURE_CALLED_ONCE_COST = 10 * MAX_BUDGET



class Inl:
    """What ``fn.Inl`` holds: the cost, and the body as it was before anything was inlined into it."""

    def __init__(self, cost: int, body: list, can_delay_results: bool, stub: bool = False):
        self.cost = cost
        self.body = body
        self.can_delay_results = can_delay_results
        self.stub = stub  # a standard-library function: known cost, no body here


# -- the standard library ---------------------------------------------------------------------------


def _stdlib_table():
    try:
        from . import _stdlib_inline
    except ImportError:  # pragma: no cover - the table is generated
        return {}, {}
    return _stdlib_inline.COSTS, _stdlib_inline.NESTED


def stub_key(fn: Func) -> str:
    """A stub's name as the compiler prints it inside its package: F, T.M, (*T).M."""
    rt = fn.recv_type
    if rt is None:
        return fn.name
    if isinstance(rt, T.Pointer):
        return f"(*{T.fmt_type(rt.elem_type).rsplit('.', 1)[-1]}).{fn.name}"
    return f"{T.fmt_type(rt).rsplit('.', 1)[-1]}.{fn.name}"


def pkg_name(path: str) -> str:
    last = path.rsplit("/", 1)[-1]
    if re.fullmatch(r"v\d+", last) and "/" in path:
        last = path.rsplit("/", 2)[-2]
    return last


def diag_name(fn: Func) -> str:
    """``n.DiagName()``: the function's name, qualified by its package's name when it is not main."""
    if fn.stub:
        return f"{pkg_name(fn.pkg)}.{stub_key(fn)}"
    return fn.name


# -- costs ------------------------------------------------------------------------------------------


def is_closure_func(fn: Func) -> bool:
    """The compiler's ``fn.ClosureParent != nil``: a function literal."""
    return fn.oclosure is not None


def count_nodes(stmts, limit: Optional[int] = None) -> int:
    """The number of IR nodes under stmts (the compiler's ``IsBigFunc`` counts them)."""
    n = 0
    stack = list(stmts or [])
    while stack:
        x = stack.pop()
        if not isinstance(x, Node):
            continue
        n += 1
        if op_rewrites_tmp(x):
            n -= 4 * len(x.lhs) + 1
        if limit is not None and n >= limit:
            return n
        stack.extend(children(x))
    return n


def children(n: Node) -> list:
    """The node's operands and statements, in the compiler's ``DoChildren`` order."""
    if isinstance(n, Name):
        return []
    out = list(n.init or [])
    op = n.op
    if op == "CASE":
        if n.cvar is not None:
            out.append(n.cvar)
        out.extend(n.list or [])
        if n.x is not None:
            out.append(n.x)
        out.extend(n.body or [])
        return out
    if op == "CLOSURE":
        return out
    return ir.operands(n)


def op_rewrites_tmp(n: Node) -> bool:
    """``a, b = f()`` that the front end wrote as temporaries first (unified IR's rewrite)."""
    if n.op != "AS2" or not n.rhs:
        return False
    init = n.rhs[0].init if isinstance(n.rhs[0], Node) else None
    return bool(init) and len(init) == 1 and init[0].op in ("AS2", "AS2FUNC", "AS2MAPR", "AS2DOTTYPE", "AS2RECV")


def is_big_func(fn: Func) -> bool:
    return count_nodes(fn.body, BIG_FUNCTION_NODES) >= BIG_FUNCTION_NODES


def is_const_bool(n: Node) -> Optional[bool]:
    if n is not None and n.op == "LITERAL" and isinstance(n.val, bool):
        return n.val
    return None


def static_value(n: Node, oracle) -> Node:
    """``ir.StaticValue``: what a function expression statically is (through single assignments)."""
    while True:
        if n.op in ("CONVNOP", "PAREN"):
            n = n.x
            continue
        if n.op == "INLCALL" and n.list and len(n.list) == 1:
            n = n.list[0]
            continue
        if oracle is None:
            return n
        n1 = oracle.static_value1(n)
        if n1 is None:
            return n
        n = n1


class Inliner:
    """The compiler's inlining state for one package: which functions can be inlined, then the inlining."""

    def __init__(self, prog, out, src=b""):
        self.prog = prog
        self.out = out  # escape.Output, or None (no messages)
        self.m = out.m if out is not None else 0
        self.costs, self.nested = _stdlib_table()
        # src: the file's source, or the package's srcfiles.FileSet; positions' lines name their files
        sources = [(0, src)] if isinstance(src, (bytes, bytearray)) else [(f.base_line, f.src) for f in src.files]
        self.noinline = {base + line for base, text in sources for line in noinline_lines(text)}
        self.src_lines = {base: text.decode("utf-8", "surrogateescape").splitlines() for base, text in sources}
        self.checked: set[int] = set()
        self.inl: dict[int, Optional[Inl]] = {}
        self.big: dict[int, bool] = {}
        self.oracles: dict[int, object] = {}
        self.chains: dict[int, tuple] = {}  # id(call node in an inlined body) -> the inlined functions around it
        self.inlgen = 0
        self.new_funcs: list[Func] = []

    def warn(self, pos, msg, kind="inline"):
        if self.out is not None and self.m:
            self.out.warn(pos, msg, kind=kind)

    def oracle(self, fn: Func):
        from .escape import ReassignOracle
        o = self.oracles.get(id(fn))
        if o is None:
            o = self.oracles[id(fn)] = ReassignOracle(fn)
        return o

    # -- inlinability ---------------------------------------------------------------------------------

    def fn_pos(self, fn: Func):
        """``ir.Line(fn)``: a method is placed at its receiver's parenthesis, a function at its name."""
        if fn.recv_type is None or fn.oclosure is not None or not fn.pos:
            return fn.pos
        lines = self.src_lines.get(fn.pos[0] & ~LINE_MASK, [])
        n = fn.pos[0] & LINE_MASK
        if n > len(lines):
            return fn.pos
        line = lines[n - 1].encode("utf-8", "surrogateescape")
        k = line.find(b"func")
        j = line.find(b"(", k + 4) if k >= 0 else -1
        return (fn.pos[0], j + 1) if 0 <= j < fn.pos[1] else fn.pos

    def inl_of(self, fn: Func) -> Optional[Inl]:
        if fn.stub:
            if id(fn) not in self.inl:
                c = self.costs.get(fn.pkg, {}).get(stub_key(fn))
                self.inl[id(fn)] = Inl(c, [], False, stub=True) if c is not None else None
            return self.inl[id(fn)]
        return self.inl.get(id(fn))

    def can_inline(self, fn: Func) -> None:
        """``CanInline``: decide once whether fn can be inlined; -m=2 says why not, -m says that it can."""
        if fn.stub or id(fn) in self.checked:
            return
        reason = self.impossible(fn)
        if reason:
            self.checked.add(id(fn))
            if self.m > 1:
                if not fn.is_init:
                    self.warn(self.fn_pos(fn), f"cannot inline {fn.name}: {reason}")
            return
        self.checked.add(id(fn))
        budget = MAX_BUDGET
        if is_closure_func(fn):
            budget = max(budget, CLOSURE_CALLED_ONCE_COST)
        v = HairyVisitor(self, fn, budget)
        if v.too_hairy():
            if self.m > 1:
                self.warn(self.fn_pos(fn), f"cannot inline {fn.name}: {v.reason}")
            return
        cost = budget - v.budget
        self.inl[id(fn)] = Inl(cost, fn.body, can_delay_results(fn))
        if self.m > 1:
            self.warn(self.fn_pos(fn), f"can inline {fn.name} with cost {cost} as: {fmt_func_type(fn)} {{ {fmt_body(fn.body)} }}")
        elif self.m:
            self.warn(self.fn_pos(fn), f"can inline {fn.name}")

    def impossible(self, fn: Func) -> str:
        if fn.is_init:
            return "no function body"  # the package initialiser the compiler builds is never a candidate
        if fn.pos and fn.pos[0] in self.noinline and not is_closure_func(fn):
            return "marked go:noinline"
        if fn.wrapper:
            return "no function body" if not fn.body else ""
        if not fn.has_body or not fn.body:
            return "no function body"
        return ""

    def inl_callee(self, caller: Func, fun: Node, resolve_only: bool) -> Optional[Func]:
        """``inlCallee``: the function a call's function expression statically is, or None."""
        v = static_value(fun, self.oracle(caller) if not caller.stub else None)
        if v.op == "METHEXPR":
            return v.method
        if isinstance(v, Name) and v.cls == ir.PFUNC:
            return v.fn
        if v.op == "CLOSURE":
            c = v.func
            if c.closure_vars and c.closure_vars[0].outer is not None and c.closure_vars[0].outer.curfn is not caller:
                return None
            if not resolve_only:
                self.can_inline(c)
            return c
        return None

    def cost_ok(self, callee: Func, big_caller: bool, called_once: bool) -> bool:
        inl = self.inl_of(callee)
        if inl is None:
            return False
        max_cost = BIG_FUNCTION_MAX_COST if big_caller else MAX_BUDGET
        if is_closure_func(callee):
            max_cost *= 2
            if called_once:
                max_cost = max(max_cost, CLOSURE_CALLED_ONCE_COST)
        return inl.cost <= max_cost

    # -- the package --------------------------------------------------------------------------------

    def can_inline_funcs(self, funcs: list[Func]) -> None:
        from .escape import visit_funcs_bottom_up

        def visit(block, recursive):
            for fn in block:
                if fn.unsupported is None:
                    self.can_inline(fn)
                for c in closures_in(fn):
                    if c.unsupported is None:
                        self.can_inline(c)

        visit_funcs_bottom_up(funcs, visit)

    def inline_calls(self, funcs: list[Func]) -> None:
        """``DevirtualizeAndInlinePackage``'s inlining: every function, callees first, to a fixed point."""
        from .escape import visit_funcs_bottom_up

        order: list[Func] = [f for f in funcs if not f.stub and f.has_body and f.unsupported is None]
        for fn in order:
            self.big[id(fn)] = is_big_func(fn)
        states: dict[int, _State] = {}
        use_counts: dict[int, int] = {}
        for fn in order:
            st = states[id(fn)] = _State(fn)
            st.sites = call_sites(fn.body)
            for call in st.sites:
                callee = self.resolve(fn, call)
                if callee is not None:
                    st.resolved[id(call)] = callee
                    use_counts[id(callee)] = use_counts.get(id(callee), 0) + 1

        def run(block, recursive):
            lst = [f for f in block if id(f) in states]
            done = False
            while not done:
                done = True
                for fn in lst:
                    st = states[id(fn)]
                    l0, l1 = 0, len(st.sites)
                    while True:
                        for i in range(l0, l1):
                            call = st.sites[i]
                            if isinstance(call, _StubSite):
                                self.warn(call.pos, f"inlining call to {pkg_name(call.path)}.{call.key}")
                                self.stub_nested(st, call.pos, call.path, call.key)
                                continue
                            if call.op not in ("CALLFUNC",) or id(call) in st.stub_done:
                                continue
                            callee = st.resolved.get(id(call))
                            if callee is None:
                                callee = self.resolve(fn, call)
                                if callee is None:
                                    continue
                                st.resolved[id(call)] = callee
                                use_counts[id(callee)] = use_counts.get(id(callee), 0) + 1
                            count = use_counts.get(id(callee), 0)
                            if self.try_inline(fn, st, call, callee, count == 1 and is_closure_func(callee)):
                                done = False
                        l0, l1 = l1, len(st.sites)
                        if l0 == l1:
                            break

        visit_funcs_bottom_up(funcs, run)
        self.prog.funcs.extend(self.new_funcs)

    def resolve(self, caller: Func, call: Node) -> Optional[Func]:
        if call.op != "CALLFUNC" or call.fun is None:
            return None
        if id(call) in WRAPPED:
            return None
        return self.inl_callee(caller, call.fun, True)

    def try_inline(self, caller: Func, st: "_State", call: Node, callee: Func, once: bool) -> bool:
        if callee.stub:
            if not self.cost_ok(callee, self.big[id(caller)], False):
                return False
            chain = self.chains.get(id(call), ())
            st.stub_done.add(id(call))
            self.warn(call.pos, f"inlining call to {diag_name(callee)}")
            sig = callee.sig if isinstance(callee.sig, T.Signature) else None
            if sig is not None and sig.results:
                call.inlres = [f"{pkg_name(callee.pkg)}.{r.name}" if r.name and r.name != "_" else f"~r{i}"
                               for i, r in enumerate(sig.results)]
            # the calls the compiler inlines inside the stub's body come in the next rounds
            self.stub_nested(st, call.pos, callee.pkg, stub_key(callee))
            return False
        if is_closure_func(callee):
            self.can_inline(callee)
        inl = self.inl_of(callee)
        if inl is None or not self.cost_ok(callee, self.big[id(caller)], once):
            return False
        chain = self.chains.get(id(call), ())
        if callee is caller and not chain:
            return False  # never into itself (the compiler says nothing)
        if callee in chain:
            if self.m > 1:
                self.warn(call.pos, f"cannot inline {callee.name} into {caller.name}: repeated recursive cycle")
            return False
        self.warn(call.pos, f"inlining call to {diag_name(callee)}")
        new_sites = self.mkinlcall(caller, call, callee, inl, chain + (callee,))
        st.sites.extend(new_sites)
        self.oracles.pop(id(caller), None)
        return True

    def stub_nested(self, st: "_State", pos, path: str, key: str) -> None:
        """The calls the compiler inlines inside a standard-library body: reported in the next round."""
        for cpath, ckey in self.nested.get(path, {}).get(key, []):
            st.sites.append(_StubSite(pos, cpath, ckey))

    # -- the inlined body ------------------------------------------------------------------------------

    def mkinlcall(self, caller: Func, call: Node, callee: Func, inl: Inl, chain: tuple) -> list:
        """Turn the call node into the ``INLCALL`` (in place, so that its parents need not change)."""
        pos = call.pos
        label = f".i{self.inlgen}"
        self.inlgen += 1
        cp = _Copier(self, caller, callee, pos, label)
        params = ([callee.recv] if callee.recv is not None else []) + list(callee.params)
        inlvars = [cp.param(p, i, "~p") for i, p in enumerate(params)]
        retvars = [cp.param(r, i, "~r") for i, r in enumerate(callee.results)]
        cp.retvars = retvars
        cp.delay = inl.can_delay_results
        if is_closure_func(callee):
            for cv in callee.closure_vars:
                cp.names[id(cv)] = cv.outer
        args = list(call.args or [])
        if callee.recv is not None and len(args) == len(params) - 1:  # recv passed separately (never, here)
            pass
        init = list(call.init or [])
        if inlvars:
            # the declarations go before the assignment, not in its init (the same statements to escape
            # analysis; code generation emits an expression's init statements without nesting)
            as2 = Node("AS2", pos, lhs=inlvars, rhs=args, def_=True)
            init.extend(Node("DCL", pos, x=v) for v in inlvars if not v.blank)
            for v in inlvars:
                if not v.blank:
                    v.defn = as2
            init.append(as2)
        if not cp.delay:
            for v in retvars:
                init.append(Node("DCL", pos, x=v))
                init.append(Node("AS", pos, x=v, y=None))
        body = cp.stmts(inl.body)
        body.append(Node("LABEL", pos, label=label))
        cp.fix_defns()
        caller.dcl.extend(cp.new_names)
        call.op = "INLCALL"
        call.init = init
        call.body = body
        call.list = retvars
        call.fun = None
        call.args = None
        call.is_ddd = False
        call.label = label
        call.extra = callee
        call.decl_names = list(cp.new_names)  # the variables the inlined body brought (code generation)
        sites = call_sites(body)
        for s in sites:
            self.chains[id(s)] = chain
        return sites


class _StubSite:
    """A call the compiler inlines inside an inlined standard-library body (reported, nothing to edit)."""

    op = "STUBSITE"

    def __init__(self, pos, path: str, key: str):
        self.pos = pos
        self.path = path
        self.key = key


class _State:
    def __init__(self, fn: Func):
        self.fn = fn
        self.sites: list = []
        self.resolved: dict[int, Func] = {}
        self.stub_done: set[int] = set()


WRAPPED: set = set()  # go/defer wrapper calls (never inlined: the compiler's GoDefer calls)


def call_sites(stmts) -> list:
    """The calls under stmts in the order the compiler's ``mark`` lists them: operands before the call."""
    out: list = []

    def visit(n):
        if not isinstance(n, Node) or isinstance(n, Name):
            return
        if n.op in ("GO", "DEFER"):  # the compiler never inlines a go/defer call (its wrapper's call)
            return
        for c in children(n):
            visit(c)
        if n.op == "CALLFUNC":
            out.append(n)

    for s in stmts or []:
        visit(s)
    return out


def closures_in(fn: Func) -> list[Func]:
    out = []

    def v(n):
        if n.op == "CLOSURE":
            out.append(n.func)

    from .escape import walk_nodes
    walk_nodes(fn.body, v, into_closures=False)
    return out


def can_delay_results(fn: Func) -> bool:
    """Exactly one return, not empty, and unnamed results: the results can be declared at that return."""
    from .escape import walk_nodes
    nret = [0]

    def v(n):
        if n.op == "RETURN":
            nret[0] += 1 if n.list else 2

    walk_nodes(fn.body, v, into_closures=False)
    if nret[0] != 1:
        return False
    return all(r.sym.startswith("~") for r in fn.results)


def noinline_lines(src: bytes) -> set[int]:
    """The lines of function declarations that a ``//go:noinline`` comment block precedes."""
    out = set()
    lines = src.decode("utf-8", "replace").splitlines()
    pending = False
    for i, line in enumerate(lines, 1):
        s = line.strip()
        if s.startswith("//"):
            if s.startswith("//go:noinline"):
                pending = True
            continue
        if pending and s.startswith("func"):
            out.add(i)
        pending = False
    return out


# -- the cost visitor -----------------------------------------------------------------------------------


class HairyVisitor:
    """``hairyVisitor``: the function's cost, or why it can never be inlined."""

    def __init__(self, inl: Inliner, fn: Func, budget: int):
        self.inl = inl
        self.fn = fn
        self.budget = budget
        self.max_budget = budget
        self.reason = ""
        self.big = is_big_func(fn)

    def too_hairy(self) -> bool:
        for s in self.fn.body:
            if self.do(s):
                return True
        if self.budget < 0:
            self.reason = f"function too complex: cost {self.max_budget - self.budget} exceeds budget {self.max_budget}"
            return True
        return False

    def do_list(self, lst) -> bool:
        for x in lst or []:
            if isinstance(x, Node) and self.do(x):
                return True
        return False

    def do(self, n: Node) -> bool:
        if n is None:
            return False
        if isinstance(n, Name):
            self.budget -= 1
            return False
        op = n.op
        if op == "CALLFUNC":
            fun = n.fun
            extra = EXTRA_CALL_COST
            if isinstance(fun, Name) and (fun.cls == ir.PPARAM or fun.is_closure_var):
                extra = min(extra, PARAM_CALL_COST)
            callee = None
            if fun is not None and not (isinstance(fun, Name) and fun.fn is not None and fun.fn.wrapper):
                callee = self.inl.inl_callee(self.fn, fun, False)
            if callee is not None and self.inl.cost_ok(callee, self.big, False) and (callee.stub or self.inl.inl_of(callee).body):
                self.budget -= self.inl.inl_of(callee).cost
            elif callee is not None and callee.stub and self.cheap_stub(callee):
                pass
            else:
                self.budget -= extra
        elif op == "CALLINTER":
            self.budget -= EXTRA_CALL_COST
        elif op == "PANIC":
            if n.x is not None and n.x.op == "CONVIFACE" and n.x.implicit:
                self.budget += 1
            self.budget -= EXTRA_PANIC_COST
        elif op == "RECOVER":
            self.reason = "call to recover"
            return True
        elif op == "CLOSURE":
            if n.func.wrapper:
                self.reason = "unhandled op " + ("DEFER" if ".deferwrap" in n.func.name else "GO")
                return True
            self.budget -= CLOSURE_COST
        elif op in ("GO", "DEFER"):
            self.reason = "unhandled op " + op
            return True
        elif op == "ADDR":
            x = n.x
            if x is not None and x.op in ("DOT", "DOTPTR") and isinstance(x.x, Name) and _field_offset(x) == 0:
                self.budget += 2
        elif op == "DEREF":
            p = n.x
            while p is not None and p.op == "CONVNOP":
                p = p.x
            if p is not None and p.op == "ADDR":
                self.budget += 1
        elif op in ("CONVNOP", "CONV"):
            if n.x is not None and conv_is_nop(n.x.type, n.type):
                self.budget += 1
        elif op in ("FALL", "TYPE"):
            return False
        elif op == "IF":
            c = is_const_bool(n.cond)
            if c is not None:
                if self.do_list(n.init):
                    return True
                return self.do_list(n.body if c else n.els)
        elif op in ("MAKEMAP", "MAKECHAN") and n.len is None:
            self.budget -= 1  # the type checker's implicit size 0
        elif op == "BLOCK":
            self.budget += 1
        elif op in ("METHVALUE", "SLICELIT"):
            self.budget -= 1
        elif op == "METHEXPR":
            self.budget += 1
        elif op == "AS2":
            if op_rewrites_tmp(n):
                self.budget += 4 * len(n.lhs) + 1
        elif op in ("SLICE", "SLICEARR", "SLICESTR", "SLICE3", "SLICE3ARR"):
            if n.low is not None and n.low.op == "LITERAL" and n.low.val == 0:
                self.budget += 1
            if n.high is not None and n.high.op == "LEN" and n.high.x is n.x:
                self.budget += 2
        self.budget -= 1
        if self.budget < 0 and self.inl.m < 2:  # the compiler stops early unless it is to print the cost
            self.reason = "too expensive"
            return True
        return self.do_list(children(n))

    def cheap_stub(self, fn: Func) -> bool:
        return False


_SIM = {"int": "int64", "uint": "uint64", "uintptr": "uint64", "byte": "uint8", "rune": "int32"}
_FLOATS = ("float32", "float64", "complex64", "complex128")


def conv_is_nop(src, dst) -> bool:
    """Whether the compiler's conversion op for src -> dst is OCONVNOP (no code): identical underlying types
    or pointers to them, integers of one machine kind; but never a float or complex conversion, which
    rounds."""
    if src is None or dst is None:
        return False
    su, du = src.u, dst.u
    sk, dk = getattr(su, "kind", None), getattr(du, "kind", None)
    if sk in _FLOATS and sk == dk:
        return False
    if T.identical(su, du):
        return True
    if isinstance(su, T.Pointer) and isinstance(du, T.Pointer) and not src.is_named() and not dst.is_named():
        return T.identical(su.elem_type.u, du.elem_type.u)
    if src.is_integer() and dst.is_integer() and not src.is_untyped():
        return _SIM.get(sk, sk) == _SIM.get(dk, dk)
    if (sk == "unsafe.Pointer") != (dk == "unsafe.Pointer") and (isinstance(su, T.Pointer) or isinstance(du, T.Pointer)
                                                                or sk == "uintptr" or dk == "uintptr"):
        return True
    return False


def _field_offset(dot: Node) -> int:
    st = dot.x.type.elem() if dot.op == "DOTPTR" else dot.x.type
    try:
        u = st.u
        off = 0
        for f in u.fields:
            a = f.type.align()
            off = (off + a - 1) // a * a
            if f.name == dot.field.name:
                return off
            off += f.type.size()
    except Exception:
        return -1
    return -1


# -- copying a body ----------------------------------------------------------------------------------------


class _Copier:
    """The callee's body re-read for one call site: fresh variables, positions at the call, returns as gotos."""

    def __init__(self, inliner: Inliner, caller: Func, callee: Func, pos, label: str):
        self.inliner = inliner
        self.caller = caller
        self.callee = callee
        self.pos = pos
        self.label = label
        self.names: dict[int, Name] = {}
        self.new_names: list[Name] = []
        self.stmt_map: dict[int, Node] = {}
        self.fresh: list[tuple[Name, Name]] = []  # (old, new)
        self.retvars: list[Name] = []
        self.delay = False
        self.funcs: dict[int, Func] = {}  # id(old closure) -> its copy
        self.label_suffix = f"·{inliner.inlgen}"

    def new_name(self, old: Name, sym: str, curfn: Func, cls: str) -> Name:
        nm = Name(sym, self.pos, old.type, cls, curfn)
        for a in ("addrtaken", "is_closure_var", "fn", "pkgname", "autotmp", "blank", "const_val", "used_addr"):
            if hasattr(old, a):
                setattr(nm, a, getattr(old, a))
        self.names[id(old)] = nm
        self.fresh.append((old, nm))
        return nm

    def param(self, p: Name, i: int, prefix: str) -> Name:
        sym = p.sym
        if p.blank or sym in ("_", "~r") or sym.startswith("~b"):
            sym = f"{prefix}{i}"
        nm = self.new_name(p, sym, self.caller, ir.PAUTO)
        nm.blank = False
        self.new_names.append(nm)
        return nm

    def name(self, n: Name) -> Name:
        m = self.names.get(id(n))
        if m is not None:
            return m
        fn = n.curfn
        if n.cls in (ir.PAUTO, ir.PPARAM, ir.PPARAMOUT) and fn is not None and (fn is self.callee or id(fn) in self.funcs):
            if n.is_closure_var and fn is not self.callee:
                return n  # handled when the closure is copied
            curfn = self.caller if fn is self.callee else self.funcs[id(fn)]
            nm = self.new_name(n, n.sym, curfn, n.cls if fn is not self.callee else ir.PAUTO)
            if fn is self.callee:
                self.new_names.append(nm)
            return nm
        return n

    def stmts(self, lst) -> list:
        out = []
        for s in lst or []:
            out.append(self.node(s))
        return out

    def node(self, n):
        if n is None or not isinstance(n, Node):
            return n
        if isinstance(n, Name):
            return self.name(n)
        if n.op == "RETURN" and self.caller is not None and self.in_callee_body:
            return self.ret(n)
        new = Node.__new__(Node)
        for a in Node.__slots__:
            if hasattr(n, a):
                setattr(new, a, getattr(n, a))
        new.pos = self.pos
        new.src_pos = n.src_pos or n.pos
        self.stmt_map[id(n)] = new
        new.init = [self.node(x) for x in n.init or []]
        for a in NODE_ATTRS + ("cvar",):
            v = getattr(n, a)
            if isinstance(v, Node):
                setattr(new, a, self.node(v))
        for a in LIST_ATTRS + ("decl_names",):
            v = getattr(n, a)
            if isinstance(v, list):
                setattr(new, a, [self.node(x) if isinstance(x, Node) else x for x in v])
        if n.label and not n.label.startswith(".") and n.op in ("LABEL", "GOTO", "BREAK", "CONTINUE", "FOR", "RANGE",
                                                                 "SWITCH", "SELECT"):
            new.label = n.label + self.label_suffix
        if n.op == "CLOSURE":
            new.func = self.closure(n.func, new)
        return new

    in_callee_body = True

    def ret(self, n: Node) -> Node:
        block = [self.node(x) for x in n.init or []]
        if n.list:
            vals = [self.node(x) for x in n.list]
            as2 = Node("AS2", self.pos, lhs=list(self.retvars), rhs=vals, def_=False)
            if self.delay:
                for v in self.retvars:
                    block.append(Node("DCL", self.pos, x=v))
                    v.defn = as2
                as2.def_ = True
            block.append(as2)
        block.append(Node("GOTO", self.pos, label=self.label))
        for st in block:
            st.src_pos = st.src_pos or n.src_pos or n.pos  # the return statement's line, for the line table
        out = Node("BLOCK", self.pos, list=block)
        out.src_pos = n.src_pos or n.pos
        return out

    def closure(self, old: Func, clo: Node) -> Func:
        """A function literal inside the inlined body: a new function of the caller's."""
        fn = Func(old.name, old.pos, old.sig)  # the compiler prints the copy at the literal's own position
        for a in ("has_body", "wrapper", "is_init", "ptr_recv", "recv_type", "noescape", "pkg"):
            setattr(fn, a, getattr(old, a))
        self.funcs[id(old)] = fn
        parent = old.parent
        fn.parent = self.caller if parent is self.callee else self.funcs.get(id(parent), parent)
        fn.oclosure = clo
        fn.nname = Name(fn.name, self.pos, old.sig, ir.PFUNC)
        fn.nname.fn = fn
        for cv in old.closure_vars:
            outer = cv.outer
            nm = Name(cv.sym, self.pos, cv.type, cv.cls, fn)
            nm.is_closure_var = True
            nm.outer = self.name(outer) if outer is not None else None
            if is_closure_func(self.callee) and outer is not None and outer.curfn is self.callee.parent \
                    and id(outer) in self.names:
                nm.outer = self.names[id(outer)]
            self.names[id(cv)] = nm
            fn.closure_vars.append(nm)
        for n in old.dcl:
            m = self.name(n)
            fn.dcl.append(m)
        fn.recv = self.names.get(id(old.recv)) if old.recv is not None else None
        fn.params = [self.names[id(p)] for p in old.params]
        fn.results = [self.names[id(r)] for r in old.results]
        saved = self.in_callee_body
        self.in_callee_body = False
        try:
            fn.body = self.stmts(old.body)
        finally:
            self.in_callee_body = saved
        self.inliner.new_funcs.append(fn)
        return fn

    def fix_defns(self) -> None:
        for old, new in self.fresh:
            d = old.defn
            if d is not None and id(d) in self.stmt_map:
                new.defn = self.stmt_map[id(d)]
            elif new.defn is None or new.defn is d:
                new.defn = None if old.cls != ir.PAUTO else None


# -- printing -------------------------------------------------------------------------------------------


def fmt_func_type(fn: Func) -> str:
    s = T.fmt_type(fn.sig)
    if fn.recv_type is not None:
        return f"method({T.fmt_type(fn.recv_type)}) {s}"
    return s


def fmt_body(stmts) -> str:
    try:
        return "; ".join(ir.fmt_node(s) for s in stmts or [])
    except Exception:  # pragma: no cover - the -m=2 body text is informative only
        return "..."


# -- the pipeline ----------------------------------------------------------------------------------------


def devirtualize_and_inline(prog, order: list, out, src=b"", inline: bool = True) -> Optional[Inliner]:
    """The compiler's order: which functions can be inlined (on the IR as checked), devirtualization,
    then the inlining; messages to out (an escape.Output).  src: the file's source, or the package's
    :class:`~gomem.compile.srcfiles.FileSet`."""
    from . import devirt
    inl = None
    if inline:
        inl = Inliner(prog, out, src)
        WRAPPED.clear()
        for fn in prog.funcs:
            if fn.wrapper:
                for c in fn.body:
                    WRAPPED.add(id(c))
        inl.can_inline_funcs(prog.funcs)
    devirt.devirtualize(prog._checker, prog, order, out)
    if inl is not None:
        inl.inline_calls(prog.funcs)
        dead_locals(prog.funcs)
    return inl


# -- dead locals ----------------------------------------------------------------------------------------


def dead_locals(funcs: list[Func]) -> None:
    """The compiler's ``deadlocals`` pass (after inlining, before escape analysis): an assignment of a value
    without effects (a name, constant, nil or function literal) to a local nothing reads becomes ``_ = 0``.
    (After inlining, ``f := func() {...}; f()`` leaves f unread: its literal is then no allocation at all.)"""
    for fn in funcs:
        if fn.stub or not fn.has_body or fn.is_closure() or fn.unsupported is not None:
            continue
        defs: dict[int, Optional[list]] = {}
        names: dict[int, Name] = {}

        def is_local(nm: Name, blank_is_not_use: bool) -> bool:
            if nm.blank:
                return blank_is_not_use
            return nm.cls in (ir.PAUTO, ir.PPARAM)

        def use(nm: Name):
            nm = nm.canonical()
            if not is_local(nm, False):
                return
            k = id(nm)
            names[k] = nm
            pending = defs.get(k)
            defs[k] = None
            for _, _, _, rhs in pending or []:
                node(rhs)

        def assign(owner, attr, idx, lhs, rhs, blank_is_not_use):
            if not isinstance(lhs, Name):
                node(lhs)
                node(rhs)
                return
            nm = lhs.canonical()
            if is_local(nm, blank_is_not_use) and not has_effects(rhs):
                k = id(nm)
                if k not in defs or defs[k] is not None:
                    names[k] = nm
                    defs.setdefault(k, [])
                    defs[k].append((owner, attr, idx, rhs))
                    return
            node(rhs)

        def node(n):
            if n is None or not isinstance(n, Node):
                return
            if isinstance(n, Name):
                use(n)
                return
            op = n.op
            if op == "CLOSURE":
                for x in n.init or []:
                    node(x)
                for cv in n.func.closure_vars:
                    use(cv)
                for x in n.func.body or []:
                    node(x)
            elif op == "DCL":
                return
            elif op == "AS":
                for x in n.init or []:
                    node(x)
                assign(n, "x", None, n.x, n.y, False)
            elif op == "AS2" and len(n.lhs) == len(n.rhs):
                for x in n.init or []:
                    node(x)
                nonblank = any(not (isinstance(x, Name) and x.blank) for x in n.lhs)
                for i in range(len(n.lhs)):
                    assign(n, "lhs", i, n.lhs[i], n.rhs[i], nonblank)
            else:
                for c in children(n):
                    node(c)

        for st in fn.body or []:
            node(st)
        for k, assigns in defs.items():
            for owner, attr, idx, _ in assigns or []:
                pos = owner.pos
                blank = Name("_", pos, None, ir.PAUTO, fn)
                zero = Node("LITERAL", pos, T.INT, val=0, extra="int")
                if attr == "x":
                    owner.x, owner.y = blank, zero
                else:
                    owner.lhs[idx], owner.rhs[idx] = blank, zero
            if assigns:
                names[k].defn = None


def has_effects(n) -> bool:
    if n is None:
        return False
    if n.init:
        return True
    return n.op not in ("NAME", "LITERAL", "NIL", "CLOSURE")


# -- the standard-library table ------------------------------------------------------------------------------

_CAN = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): can inline (?P<name>\S+) with cost (?P<cost>\d+)")
_FN = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): (?:can|cannot) inline (?P<name>[^: ]+)")
_CALL = re.compile(r"^(?P<file>.+?):(?P<line>\d+):(?P<col>\d+): inlining call to (?P<name>\S+)")


def parse_std_messages(text: str, goroot_src: str) -> tuple[dict, dict]:
    """COSTS[path][name] and NESTED[path][name] (the calls inlined in name's body, as DiagNames) from the
    ``-m=2`` output of compiling the standard library."""
    costs: dict = {}
    starts: dict[str, list] = {}  # file -> [(line, path, name)]
    calls: list = []
    prefix = goroot_src.rstrip("/") + "/"
    seen_fn: set = set()
    for line in text.splitlines():
        if not line.startswith(prefix):
            continue
        m = _FN.match(line)
        if m and (m["file"], m["line"], m["name"]) not in seen_fn:
            seen_fn.add((m["file"], m["line"], m["name"]))
            path = m["file"][len(prefix):].rsplit("/", 1)[0]
            starts.setdefault(m["file"], []).append((int(m["line"]), path, m["name"]))
            c = _CAN.match(line)
            if c:
                costs.setdefault(path, {})[m["name"]] = int(c["cost"])
            continue
        m = _CALL.match(line)
        if m:
            calls.append((m["file"], int(m["line"]), m["name"]))
    nested: dict = {}
    for f in starts:
        starts[f].sort()
    seen_call: set = set()
    for file, line, name in calls:
        fs = starts.get(file)
        if not fs:
            continue
        owner = None
        for ln, path, fname in fs:
            if ln <= line:
                owner = (path, fname)
            else:
                break
        if owner is None or owner[1] not in costs.get(owner[0], {}):
            continue
        if (file, line, name, owner) in seen_call:
            continue
        seen_call.add((file, line, name, owner))
        path = owner[0]
        callee_path, key = path, name
        if not name.startswith("(") and "." in name and not re.match(r"^[A-Z]\w*\.", name):
            pn, key = name.split(".", 1)
            cands = [p for p in costs if pkg_name(p) == pn and key in costs[p]]
            if not cands:
                continue
            callee_path = cands[0]
        elif key not in costs.get(path, {}):
            continue
        nested.setdefault(path, {}).setdefault(owner[1], []).append((callee_path, key))
    return costs, nested


def generate_stdlib_table() -> None:  # pragma: no cover - run by hand with the toolchain
    """Compile the curated standard library with -m=2 and write :mod:`._stdlib_inline`."""
    import os
    import pprint
    import subprocess
    import sys
    from pathlib import Path

    from .gen_stdlib import CURATED
    env = dict(os.environ)
    env.setdefault("GOTOOLCHAIN", "local")
    pkgs = sorted(set(CURATED))
    goroot = subprocess.run(["go", "env", "GOROOT"], env=env, capture_output=True, text=True, check=True).stdout.strip()
    if len(sys.argv) > 1:  # the saved output of that build
        text = Path(sys.argv[1]).read_text()
    else:
        res = subprocess.run(["go", "build", "-a", "-o", os.devnull, "-gcflags=all=-m=2", *pkgs], env=env,
                             capture_output=True, text=True)
        text = res.stdout + res.stderr
    costs, nested = parse_std_messages(text, os.path.join(goroot, "src"))
    keep, todo = set(), list(pkgs)
    while todo:  # the curated packages and those whose functions are inlined inside theirs
        p = todo.pop()
        if p in keep:
            continue
        keep.add(p)
        for calls in nested.get(p, {}).values():
            todo.extend(cp for cp, _ in calls)
    def exported(key: str) -> bool:
        return key.rsplit(".", 1)[-1][:1].isupper()

    want = {(p, k) for p in pkgs for k in costs.get(p, {}) if exported(k) and "[" not in k}
    todo2 = list(want)
    while todo2:
        p, k = todo2.pop()
        for c in nested.get(p, {}).get(k, []):
            if c not in want:
                want.add(c)
                todo2.append(c)
    costs = {p: {k: c for k, c in v.items() if (p, k) in want} for p, v in costs.items() if p in keep}
    costs = {p: v for p, v in costs.items() if v}
    nested = {p: {k: c for k, c in v.items() if (p, k) in want} for p, v in nested.items() if p in keep}
    nested = {p: v for p, v in nested.items() if v}
    ver = subprocess.run(["go", "version"], env=env, capture_output=True, text=True).stdout.strip()
    out = Path(__file__).resolve().parent / "_stdlib_inline.py"
    out.write_text('"""Generated by ``python -m gomem.compile.inline`` from ' + ver + '; do not edit.\n\n'
                   "COSTS[package][function]: the inlining cost of each standard-library function the compiler\n"
                   "can inline; NESTED[package][function]: the calls it inlines inside that function's body.\"\"\"\n\n"
                   "COSTS = " + pprint.pformat(costs, width=120, sort_dicts=True) + "\n\n"
                   "NESTED = " + pprint.pformat(nested, width=120, sort_dicts=True) + "\n")


if __name__ == "__main__":  # pragma: no cover
    generate_stdlib_table()
