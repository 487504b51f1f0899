"""Code generation for goroutines, channels and select: a mixin of :class:`.codegen.FuncGen`.

A channel is pointer-shaped (one word, its ``hchan``'s address; see :mod:`gomem.runtime.chan`).
This mixin compiles what walk turns into runtime calls:

* ``make(chan T[, n])`` (``makechan``), ``c <- v`` (``chansend1``), ``<-c`` (``chanrecv1``),
  ``v, ok := <-c`` (``chanrecv2``), ``close(c)`` (``closechan``), ``len``/``cap`` of a channel,
  ``for v := range c`` (``chanrecv2`` until it reports closed);
* ``select`` (``selectgo``): every channel operand and sent value evaluated in source order, then
  one runtime call that picks the case; ``break`` leaves the select;
* ``go f(x)``: the front end has wrapped the call in a closure of no arguments (``gowrap``, as
  the compiler does); ``newproc`` starts a goroutine running that func value.

Each channel element type gets a descriptor (``CT<n> = ElemType(...)``) with the element's
generated load and store (through the write barrier).
"""

from __future__ import annotations

from typing import Optional

from . import layout as L
from . import types as T
from .ir import Name, Node

#: expression ops the mixin may compile (LEN and CAP only of a channel)
CHAN_EXPR_OPS = frozenset({"MAKECHAN", "RECV", "LEN", "CAP"})
#: statement ops it may compile (RANGE only over a channel)
CHAN_STMT_OPS = frozenset({"SEND", "AS2RECV", "CLOSE", "RANGE", "SELECT", "GO", "RECV"})


def _is_chan(t) -> bool:
    return t is not None and not isinstance(t, T.Tuple) and t.u.kind == "chan"


class ChanGen:
    """Channel operations for :class:`~gomem.compile.codegen.FuncGen` (which provides expr, emit, assign …)."""

    # -- the element type descriptor ----------------------------------------------------------

    def chan_type(self, t: T.Type, where=None) -> str:
        """The name of the generated ``ElemType`` of the channel type *t*'s elements."""
        pg = self.pg
        cache = pg.__dict__.setdefault("_chan_types", {})
        et = t.u.elem_type
        got = cache.get(id(et))
        if got is not None:
            return got
        lay = pg.layouts
        lay._keep.append(et)
        self.check_type(et)
        rt = pg.rtype(et, where)
        n = len(cache)
        if n == 0:
            lay.funcs.append("from gomem.runtime.chan import ElemType as _GoChanElem\n")
        lay.funcs.append(f"def CLE{n}(a):\n    return {lay.load('a', et)}\n")
        lay.funcs.append(f"def CSE{n}(g, a, v):\n    {lay.store('a', et, 'v', True)}\n")
        name = f"CT{n}"
        lay.funcs.append(f"{name} = _GoChanElem({pg.type_ref(rt)}, {L.zero(et)}, CSE{n}, CLE{n})\n")
        cache[id(et)] = name
        return name

    def _received(self, t: T.Type, code: str) -> str:
        """A received value: rooted in a frame temporary when it holds pointers (a fresh value in flight)."""
        return self.spill_val(code, t)

    # -- expressions ----------------------------------------------------------------------------

    def chan_expr(self, n: Node) -> Optional[str]:
        """The code of a channel expression, or None when *n* is not one (LEN of something else)."""
        op = n.op
        if op in ("LEN", "CAP"):
            if not _is_chan(n.x.type):
                return None
            return f"CHANS.{'length' if op == 'LEN' else 'capacity'}({self.expr(n.x)})"
        if op == "MAKECHAN":
            size = self.expr(n.len) if getattr(n, "len", None) is not None else "0"
            return self.spill(f"CHANS.makechan(g, {self.chan_type(n.type, n)}, {size})")
        if op == "RECV":
            sel = self.sel_values.get(id(n))
            if sel is not None:
                return sel[0]
            ct = self.chan_type(n.x.type, n)
            return self._received(n.type, f"CHANS.recv(g, {self.expr(n.x)}, {ct})[0]")
        return None

    # -- statements -----------------------------------------------------------------------------

    def chan_stmt(self, n: Node, ind: int) -> bool:
        """Generate *n* if it is a goroutine or channel statement; False if it is not one."""
        op = n.op
        if op == "SEND":
            ct = self.chan_type(n.x.type, n)
            c = self.expr(n.x)
            self.emit(ind, f"CHANS.send(g, {c}, {ct}, {self.arg_val(n.y)})")
        elif op == "RECV":
            ct = self.chan_type(n.x.type, n)
            self.emit(ind, f"CHANS.recv(g, {self.expr(n.x)}, {ct})")
        elif op == "AS2RECV":
            self.as2recv(n, ind)
        elif op == "CLOSE":
            self.emit(ind, f"CHANS.close(g, {self.expr(n.x)})")
        elif op == "RANGE":
            if not _is_chan(n.x.type):
                return False
            self.chan_range(n, ind)
        elif op == "SELECT":
            self.select(n, ind)
        elif op == "GO":
            self.go_stmt(n, ind)
        else:
            return False
        return True

    def as2recv(self, n: Node, ind: int) -> None:
        """``v, ok = <-c``; inside a select case, the values the select received."""
        recv = n.rhs[0]
        sel = self.sel_values.get(id(recv))
        if sel is not None:
            v, ok = sel
        else:
            r = self.pytmp()
            ct = self.chan_type(recv.x.type, recv)
            self.emit(ind, f"{r} = CHANS.recv(g, {self.expr(recv.x)}, {ct})")
            v, ok = self._received(recv.type, f"{r}[0]"), f"{r}[1]"
        for lhs, val in zip(n.lhs, (v, ok)):
            if not (isinstance(lhs, Name) and lhs.blank):
                self.assign(lhs, val, ind)

    def chan_range(self, n: Node, ind: int) -> None:
        """``for v := range c``: receive until the channel is closed and drained."""
        start = len(self.lines)
        ct = self.chan_type(n.x.type, n)
        c = self.pytmp()
        held = self.temp()  # the channel stays reachable for the whole loop
        self.emit(ind, f"{c} = tmp(f, OFF_{self.fn_id}_{held}, {self.expr(n.x)})")
        self.live_temps.remove(held)
        r = self.pytmp()
        self.emit(ind, "while True:")
        self.emit(ind + 1, f"{r} = CHANS.recv(g, {c}, {ct})")
        self.emit(ind + 1, f"if not {r}[1]: break")
        key = n.key if n.key is not None and not (isinstance(n.key, Name) and n.key.blank) else None
        if key is not None:
            self.assign(key, self._received(n.x.type.u.elem_type, f"{r}[0]"), ind + 1)
        ct_, self.live_temps = self.live_temps, []
        target = self.push_target("loop", n.label, [], ind)
        target.start = start
        self.branch(n.body or [], ind + 1, [])
        self.pop_target(target, ind)
        self.live_temps = ct_ + [held]

    def select(self, n: Node, ind: int) -> None:
        """``select``: operands in source order, ``selectgo``, then the chosen case's body."""
        cases = n.cases or []
        ops = []
        default = None
        for i, c in enumerate(cases):
            comm = c.x
            if comm is None:
                default = i
                continue
            recv = _recv_of(comm)
            if comm.op == "SEND":
                ch = self.spill(self.expr(comm.x))
                ops.append((i, comm, f"(True, {self.chan_type(comm.x.type, comm)}, {ch}, {self.arg_val(comm.y)})"))
            elif recv is not None:
                ch = self.spill(self.expr(recv.x))
                ops.append((i, comm, f"(False, {self.chan_type(recv.x.type, recv)}, {ch}, None)"))
            else:
                self.unsupported(comm, "this select case")
        s = self.pytmp()
        self.emit(ind, f"{s} = CHANS.select(g, ({''.join(o[2] + ', ' for o in ops)}), {default is not None})")
        self.clear_temps(ind)
        target, ind = self.open_switch(n, ind)
        first = True
        for k, (i, comm, _) in enumerate(ops):
            self.emit(ind, f"{'if' if first else 'elif'} {s}[0] == {k}:")
            first = False
            recv = _recv_of(comm)
            if recv is not None:
                self.sel_values[id(recv)] = (self._received(recv.type, f"{s}[1]"), f"{s}[2]")
                if comm.op != "RECV":
                    self.stmt(comm, ind + 1)
            self.case_body(cases[i], ind + 1)
            if not (cases[i].body or []) and comm.op in ("RECV", "SEND"):
                self.emit(ind + 1, "pass")
        if default is not None:
            if first:
                self.case_body(cases[default], ind)
            else:
                self.emit(ind, "else:")
                self.case_body(cases[default], ind + 1)
                self.emit(ind + 1, "pass")
        self.close_switch(target, ind)

    def go_stmt(self, n: Node, ind: int) -> None:
        """``go f()`` of the gowrap closure: ``newproc``."""
        call = n.x
        if call.op != "CALLFUNC" or call.args:
            self.unsupported(n, f"go of {call.op}")
        fv = self.arg_val(call.fun)
        self.emit(ind, f"PROCS.newproc(g, GOFUNC, ({fv},), {self.go_name(call.fun)!r}, {self.fn.name!r})")

    def go_name(self, fun: Node) -> str:
        """The function a go statement starts, as tracebacks name it."""
        fn = getattr(fun, "fn", None) or getattr(fun, "func", None)
        return getattr(fn, "name", None) or (fun.sym if isinstance(fun, Name) else "func1")


def _recv_of(comm: Node) -> Optional[Node]:
    """The receive of a select case's communication (``<-c``, ``v := <-c``, ``v, ok = <-c``), or None."""
    if comm.op == "RECV":
        return comm
    if comm.op == "AS" and comm.y is not None and comm.y.op == "RECV":
        return comm.y
    if comm.op in ("AS2", "AS2RECV"):
        for r in comm.rhs or []:
            x = r
            while x is not None and x.op == "CONVNOP":
                for st in (x.init or []) + (x.x.init or []):
                    if st.op == "AS2RECV":
                        return st.rhs[0]
                x = x.x
            if x is not None and x.op == "RECV":
                return x
        if comm.op == "AS2RECV":
            return comm.rhs[0]
    return None
