"""Static devirtualization of interface method calls, as the compiler does before escape analysis.

``i.M()`` where every assignment to the local interface variable ``i`` stores
the same concrete type ``T`` becomes ``T.M(i.(T))``; the compiler notes it
with ``devirtualizing i.M to T`` (``-m``), and escape analysis then uses
``T.M``'s parameter tags instead of assuming that the arguments leak.
"""

from __future__ import annotations

from typing import Optional

from . import ir
from . import types as T
from .escape import walk_nodes
from .ir import Func, Name, Node

NO_TYPE = object()


class State:
    def __init__(self, chk):
        self.chk = chk
        self.assigns: dict[int, list] = {}
        self.analyzed: set[int] = set()

    def assignments(self, n: Name) -> list:
        fn = n.curfn
        top = fn
        if id(top) not in self.analyzed:
            self.analyzed.add(id(top))
            self.analyze(top.body)
        return self.assigns.get(id(n), [])

    def analyze(self, body):
        def assign(name, a):
            if name is None or not isinstance(name, Name) or name.blank:
                return
            n = name.canonical()
            if n.type is None or not n.type.is_interface() or n.cls != ir.PAUTO:
                return
            if isinstance(a, T.Type) and a.is_interface():
                a = None
            elif isinstance(a, Node) and a.op == "NIL":
                return
            self.assigns.setdefault(id(n), []).append(a)

        def do(n):
            op = n.op
            if op == "AS":
                rhs = n.y
                if rhs is not None:
                    if rhs.op in ("CALLFUNC", "CALLINTER"):
                        sig = rhs.fun.type.u
                        rt = sig.results[0].type if isinstance(sig, T.Signature) and sig.results else None
                        assign(n.x, rt)
                    else:
                        assign(n.x, rhs)
            elif op == "AS2":
                for l, r in zip(n.lhs, n.rhs):
                    if r is not None:
                        assign(l, r)
            elif op == "AS2DOTTYPE":
                assign(n.lhs[0], n.rhs[0])
                assign(n.lhs[1], None)
            elif op in ("AS2MAPR", "AS2RECV"):
                assign(n.lhs[0], n.rhs[0].type)
                assign(n.lhs[1], None)
            elif op == "AS2FUNC":
                call = n.rhs[0]
                sig = call.fun.type.u if call.fun is not None else None
                for i, l in enumerate(n.lhs):
                    rt = sig.results[i].type if isinstance(sig, T.Signature) and i < len(sig.results) else None
                    assign(l, rt)
            elif op == "RANGE":
                xt = n.x.type.u
                if isinstance(xt, T.Pointer) and isinstance(xt.elem_type.u, T.Array):
                    xt = xt.elem_type.u
                if isinstance(xt, (T.Array, T.Slice)):
                    assign(n.key, None)
                    assign(n.value, xt.elem_type)
                elif isinstance(xt, T.Chan):
                    assign(n.key, xt.elem_type)
                elif isinstance(xt, T.Map):
                    assign(n.key, xt.key)
                    assign(n.value, xt.elem_type)
                else:
                    assign(n.key, None)
                    assign(n.value, None)
            elif op == "SWITCH" and n.guard is not None:
                for c in n.cases:
                    if c.cvar is not None:
                        assign(c.cvar, n.guard.x)

        walk_nodes(body, do, into_closures=True)

    def concrete_type(self, n: Node) -> Optional[T.Type]:
        t = self.concrete1(n, set())
        if t is NO_TYPE:
            return None
        return t

    def concrete1(self, n: Node, seen: set):
        while True:
            if n.type is not None and not n.type.is_interface():
                return n.type
            if n.op in ("CONVNOP", "CONVIFACE", "PAREN", "DOTTYPE", "DOTTYPE2"):
                n = n.x
                continue
            break
        if not isinstance(n, Name):
            return None
        name = n.canonical()
        if name.cls != ir.PAUTO or name.addrtaken:
            return None
        if id(name) in seen:
            return NO_TYPE
        seen.add(id(name))
        typ = None
        for a in self.assignments(name):
            if isinstance(a, T.Type):
                t = a
            elif isinstance(a, Node):
                t = self.concrete1(a, seen)
                if t is NO_TYPE:
                    continue
            else:
                t = None
            if t is None:
                return None
            if typ is not None and not T.identical(typ, t):
                return None
            typ = t
        if typ is None:
            return NO_TYPE
        return typ


def implements(chk, typ: T.Type, iface: T.Type) -> bool:
    it = iface.u
    if not isinstance(it, T.Interface):
        return False
    for m in it.all_methods():
        r = chk.lookup_member(typ, m.name)
        if r is None or r[0] not in ("method", "imethod"):
            return False
        if r[0] == "method":
            fn = r[1]
            if fn.ptr_recv and not typ.is_ptr() and not any(isinstance(f.type, T.Pointer) for f, _ in r[2]):
                return False
    return True


def devirtualize(chk, prog, order: list[Func], out) -> None:
    st = State(chk)
    wrapped_calls = set()
    for fn in prog.funcs:
        if fn.wrapper:
            for c in fn.body:
                wrapped_calls.add(id(c))
    for fn in order:
        if fn.unsupported:
            continue
        calls = []

        def visit(n):
            if n.op == "CALLINTER" and id(n) not in wrapped_calls:
                calls.append(n)

        walk_nodes(fn.body, visit, into_closures=False)
        for c in calls:
            rewrite(chk, st, c, out)


def rewrite(chk, st: State, call: Node, out):
    sel = call.fun
    typ = st.concrete_type(sel.x)
    if typ is None or typ.is_interface():
        return
    if not implements(chk, typ, sel.x.type):
        return
    r = chk.lookup_member(typ, sel.sel)
    if r is None:
        return
    dt = Node("DOTTYPE", call.pos, typ, x=sel.x)
    if r[0] == "imethod":
        if out.m:
            out.warn(call.pos, f"partially devirtualizing {ir.fmt_node(sel)} to {T.fmt_type(typ)}", kind="devirt")
        return
    fn: Func = r[1]
    if out.m:
        out.warn(call.pos, f"devirtualizing {ir.fmt_node(sel)} to {T.fmt_type(typ)}", kind="devirt")
    recv = chk.dot_path(dt, r[2], sel.pos)
    recv = chk.recv_adjust(recv, fn.ptr_recv, sel.pos)
    sig = chk.method_sig(fn)
    ft = T.Signature([T.Param("", fn.recv_type)] + list(sig.params), list(sig.results), sig.variadic)
    call.op = "CALLFUNC"
    call.fun = Node("METHEXPR", sel.pos, ft, x=Node("TYPE", sel.pos, fn.recv_type), sel=sel.sel, method=fn)
    call.args = [recv] + list(call.args)
