"""Python source from the compiler-shaped IR, one Python function per Go function.

Conventions of the generated code (``g`` is the running goroutine, ``W``
the address space as 8-byte words, ``B`` the address of word 0):

* a scalar local (no pointers) is a Python local; the collector never looks
  at it, as Go's stack maps never mark it;
* a pointer local, a pointer temporary and every object the escape analysis
  keeps on the stack are fields of the function's *frame*, a Go struct type
  pushed on the goroutine's stack (``g.frame``); they are read and written
  as words at ``f.base + offset`` (the base moves when the stack is copied
  to grow, so it is read afresh at every access);
* a local the analysis moves to the heap (``moved to heap: x``) is a heap
  object allocated where it is declared; its address sits in a frame slot;
* ``&T{...}``/``new(T)`` that escape are ``mallocgc`` calls with ``T``'s
  runtime type; pointer stores through pointers go through the write
  barrier (``g.write_slot``), as the compiler emits a barrier for every
  store that is not a direct write of a stack slot;
* a pointer produced by a call is written to a frame temporary at once, so
  it is a root until it is used (the compiler's order pass does the same:
  call results go to autotmps before the expression that uses them).

The subset this increment compiles: integer and boolean scalars, pointers to
structs whose fields are 8-byte integers, booleans and pointers, functions
and methods with at most one result, ``if``, three-clause ``for``,
``break``/``continue`` without labels, assignments and ``op=``/``++``, and
the library calls of :mod:`.lib`.  Anything else raises
:class:`~gomem.compile.check_base.Unsupported` naming the construct, before
the program starts.
"""

from __future__ import annotations

from typing import Optional

from ..runtime import types as gotypes
from . import ir, liveness
from . import types as T
from .check_base import Unsupported
from .ir import Func, Name, Node
from . import layout as L
from .closuregen import ClosureGen, ClosureTables, closure_vars
from .ifacegen import IfaceGen, IfaceTables, is_iface
from .inlgen import InlGen, has_inlcall
from .layout import Layouts
from .mapgen import MAP_EXPR_OPS, MAP_STMT_OPS, MapGen
from .changen import CHAN_EXPR_OPS, CHAN_STMT_OPS, ChanGen

#: bytes of the stack store the compiler gives a variable-size make or a first append that does not
#: escape (cmd/compile's -d=variablemakethreshold, 32 by default)
VARIABLE_MAKE_THRESHOLD = 32
ARITH = {"ADD": "+", "SUB": "-", "MUL": "*", "OR": "|", "AND": "&", "XOR": "^"}
CMP = {"EQ": "==", "NE": "!=", "LT": "<", "LE": "<=", "GT": ">", "GE": ">="}
#: integer kinds this increment computes with, and their width in bits
INT_BITS = {"int": 64, "int64": 64, "uint": 64, "uint64": 64, "uintptr": 64, "int32": 32, "uint32": 32,
            "int16": 16, "uint16": 16, "int8": 8, "uint8": 8}


def _wrap(expr: str, t: T.Type) -> str:
    """*expr* reduced to the integer type *t*, as Go's arithmetic wraps."""
    k = t.u.kind
    bits = INT_BITS.get(k)
    if bits is None:
        return f"f32({expr})" if k == "float32" else f"({expr})"
    m = (1 << bits) - 1
    if k.startswith("u"):
        return f"(({expr}) & {m})"
    h = 1 << (bits - 1)
    # In range (nearly always) the value is its own wrap: two comparisons instead of three big-int operations.
    # _w is the expression's value, read only after the comparison that assigned it (an inner wrap of the
    # expression has finished with it by then).
    return f"(_w if {-h} <= (_w := ({expr})) < {h} else (((_w + {h}) & {m}) - {h}))"


def nil_checked(addr: str) -> str:
    """*addr*, a pointer, with Go's nil check: the pointer itself unless it is nil (``nilpanic`` raises)."""
    return f"({addr} or nilpanic())"


def is_scalar(t: T.Type) -> bool:
    return t.u.kind in INT_BITS or t.u.kind in ("bool", "float64", "float32")


def in_memory(t: T.Type) -> bool:
    """Held in the frame in its memory form: strings, slices, structs and arrays (several words, maybe pointers)."""
    return t.u.kind in ("string", "slice", "struct", "array", "iface")


def is_aggregate(t: T.Type) -> bool:
    """A struct or array: a tuple in generated code, its fields or elements at their offsets in memory."""
    return t.u.kind in ("struct", "array")


def is_pointer(t: T.Type) -> bool:
    # a map is one word, its header's address; a channel its hchan's; a func its funcval's
    return t.u.kind in ("ptr", "map", "chan", "func")



#: the runtime printer the compiler's walkPrint picks for an argument of each value kind (runtime/print.go)
_PRINT_KINDS = {"bool": "b", "float64": "f64", "float32": "f32", "complex128": "c128", "complex64": "c64",
                "string": "s", "ptr": "p", "map": "p", "chan": "p", "func": "p", "unsafe.Pointer": "p", "slice": "sl"}


def _print_kind(t) -> str:
    """The printer of ``print``'s argument of type *t*: ``i``/``u`` integers, ``e`` interfaces, and :data:`_PRINT_KINDS`."""
    k = t.u.kind
    if k in L.INT_KINDS:
        return "i" if L.INT_KINDS[k][1] else "u"
    if k == "iface":
        return "e"
    return _PRINT_KINDS[k]

class SrcLine(str):
    """A line of generated Python that knows the Go it came from: the position of the statement being
    generated (``pos``) and the inlined calls it is inside (``chain``: (callee, call position) pairs, the
    outermost first).  The program's line table (:meth:`ProgramGen.line_table`) is made from them."""

    def __new__(cls, text: str, pos, chain: tuple):
        s = super().__new__(cls, text)
        s.pos = pos
        s.chain = chain
        return s


#: standard-library package variables the model keeps (set by their package's init)
STD_VARS = frozenset({("context", "Canceled"), ("context", "DeadlineExceeded"), ("runtime", "MemProfileRate"),
                      ("io", "Discard"), ("io", "EOF"), ("io", "ErrUnexpectedEOF"), ("io", "ErrShortBuffer")})


class FuncGen(IfaceGen, MapGen, ChanGen, ClosureGen, InlGen):
    """Generates one Go function."""

    def __init__(self, prog_gen: "ProgramGen", fn: Func):
        self.pg = prog_gen
        self.fn = fn
        self.lines: list[str] = []
        self.inl_chain: tuple = ()  # the inlined calls being generated: (callee, call position), outermost first
        self.frame_fields: list[tuple[str, gotypes.GoType]] = []
        self.slot: dict[int, str] = {}  # id(Name) -> frame field for pointer locals and heap cells
        self.pyname: dict[int, str] = {}  # id(Name) -> Python local for scalars
        self.memloc: dict[int, str] = {}  # id(Name) -> frame field holding a string or slice local
        self.ntmp = 0
        self.agg_temps: dict[str, int] = {}
        self.append_stores: set[int] = set()
        self.static = False  # generating the linker's static initialisers: composite literals are static data  # slices whose first non-escaping append has a stack store
        self.prologue: list[str] = []  # Python lines run when the function starts  # frame temporaries holding a struct or array: their size
        self.live_temps: list[str] = []  # frame temporaries of the statement being generated
        self.loops: list[Target] = []  # the enclosing statements a break or continue can leave
        self.cur_ind = 1  # the indentation of the statement being generated (for an expression's init)
        self.cur_pos = None  # the position of the statement being generated
        self.cvars: dict[int, tuple[int, bool]] = {}  # id(captured variable) -> (offset in the funcval, by value)
        self.clslot: Optional[str] = None  # the frame slot holding this function literal's funcval
        self.has_defer = _has_defer(fn.body or [])
        self.sel_values: dict[int, tuple[str, str]] = {}  # id(receive) -> its value and ok in a select case
        self.goto_labels = _goto_labels(fn.body or [])  # deferred calls: the body runs inside DEFERS.run's protocol
        # the locals to clear after each statement (their stack maps' end): none where a goto may jump back
        self.dead = liveness.dead_after(fn.body or []) if not self.goto_labels else {}

    # -- frame --------------------------------------------------------------------------------

    def unsupported(self, n, what: str):
        pos = getattr(n, "pos", None)
        if not pos or pos == (0, 0):  # a standard-library name: where the statement using it is
            pos = self.cur_pos or self.fn.pos
        raise Unsupported(pos, f"gomem cannot run this yet: {what}")

    def add_field(self, gt: gotypes.GoType) -> str:
        name = f"s{len(self.frame_fields)}"
        self.frame_fields.append((name, gt))
        return name

    def word(self, field: str, extra: str = "") -> str:
        return f"W[(f.base - B + OFF_{self.fn_id}_{field}{extra}) >> 3]"

    def faddr(self, field: str) -> str:
        return f"(f.base + OFF_{self.fn_id}_{field})"

    def pytmp(self) -> str:
        self.ntmp += 1
        return f"_t{self.ntmp}"

    def declare(self, nm: Name) -> None:
        if nm.blank or id(nm) in self.slot or id(nm) in self.pyname or id(nm) in self.memloc:
            return
        t = nm.type
        if id(nm) in self.pg.moved:
            if not (is_scalar(t) or is_pointer(t) or in_memory(t)):
                self.unsupported(nm, f"a variable of type {t} moved to the heap")
            self.slot[id(nm)] = self.add_field(gotypes.UNSAFE_POINTER)
        elif is_pointer(t):
            self.slot[id(nm)] = self.add_field(gotypes.UNSAFE_POINTER)
        elif in_memory(t) or (is_scalar(t) and nm.addrtaken):  # captured by reference: in the frame's memory
            self.memloc[id(nm)] = self.add_field(self.pg.layouts.rtype(t))
        elif is_scalar(t):
            self.pyname[id(nm)] = f"v{len(self.pyname)}_{nm.sym.replace('~', '_').replace('.', '_')}"
        else:
            self.unsupported(nm, f"a local of type {t}")

    def field_off(self, n: Node) -> int:
        st = n.x.type.elem() if n.op == "DOTPTR" else n.x.type
        return _offset_of(st.u, n.field.name)

    def temp(self) -> str:
        t = self.add_field(gotypes.UNSAFE_POINTER)
        self.live_temps.append(t)
        return t

    def clear_temps(self, ind: int) -> None:
        """Temporaries die with the statement that made them (the compiler's liveness: autotmps are dead after use)."""
        for t in self.live_temps:
            size = self.agg_temps.get(t)
            if size is None:
                self.emit(ind, f"{self.word(t)} = 0")
            else:
                self.emit(ind, f"memclr({self.faddr(t)}, {size})")
        self.live_temps = []

    # -- generation ---------------------------------------------------------------------------

    def generate(self, fn_id: str) -> str:
        self.fn_id = fn_id
        fn = self.fn
        params = ([fn.recv] if fn.recv is not None else []) + fn.params
        for nm in params + fn.results:
            self.declare(nm)
        body: list[str] = []
        self.lines = body
        pnames = []
        if fn.oclosure is not None:  # a function literal: its funcval (the closure context) comes first
            pnames.append("cl")
            self.clslot = self.add_field(gotypes.UNSAFE_POINTER)
            self.emit(1, f"{self.word(self.clslot)} = cl")
            self.cvars = {id(cv): (off, byval) for cv, off, byval in closure_vars(fn)}
        for i, nm in enumerate(params):
            pn = f"a{i}"
            pnames.append(pn)
            if id(nm) in self.pg.moved:
                self.emit_heap_cell(nm, 1)
                self.emit_store_name(nm, pn, 1)
            elif id(nm) in self.slot:
                self.emit(1, f"{self.word(self.slot[id(nm)])} = {pn}")
            elif id(nm) in self.memloc:
                self.emit_store_name(nm, pn, 1)
            elif id(nm) in self.pyname:
                self.emit(1, f"{self.pyname[id(nm)]} = {pn}")
        for nm in fn.results:
            if id(nm) in self.pyname:
                self.emit(1, f"{self.pyname[id(nm)]} = {L.zero(nm.type)}")
        if self.has_defer:
            self.emit(1, "dfr = []")
            self.emit(1, "_p = None")
            self.emit(1, "try:")
            self.block(fn.body, 2)
            self.emit(1, "except GoReturn:")
            self.emit(2, "pass")
            self.emit(1, "except GoPanic as _e:")
            self.emit(2, "_p = _e")
            self.emit(1, "DEFERS.run(g, f, dfr, _p)")
            if len(fn.results) > 1:
                self.emit(1, f"r = ({', '.join(self.load_name(x) for x in fn.results)})")
            elif fn.results:
                self.emit(1, f"r = {self.load_name(fn.results[0])}")
            self.emit(1, "g.pop(f)")
            if fn.results:
                self.emit(1, "return r")
        else:
            self.block(fn.body, 1)
            self.emit(1, "g.pop(f)")
        head = [f"def {fn_id}(g{''.join(', ' + p for p in pnames)}):"]
        # The frame push may grow (copy) the stack: a pointer argument into the caller's frame then points
        # into the old stack, as Go's morestack would find it before adjusting it; adjust it the same way.
        moves = []
        for pn, t in zip(pnames, ([gotypes.UNSAFE_POINTER] if fn.oclosure is not None else [])
                         + [nm.type for nm in params]):
            adj = _adjusted(pn, t) if not isinstance(t, gotypes.GoType) else f"adj(_m, {pn})"
            if adj is not None:
                moves.append(f"{pn} = {adj}")
        if moves:
            head += ["    _c = g.stack.copies", f"    f = g.frame(FRAME_{fn_id}, {fn.name!r})",
                     "    if g.stack.copies != _c:", "        _m = g.stack.last_move"] + ["        " + m for m in moves]
        else:
            head.append(f"    f = g.frame(FRAME_{fn_id}, {fn.name!r})")
        head += ["    " + x for x in self.prologue]
        self.code_lines = head + body
        return "\n".join(head + body) + "\n"

    def emit(self, ind: int, s: str) -> None:
        self.lines.append(SrcLine("    " * ind + s, self.cur_pos, self.inl_chain))

    def block(self, stmts: list, ind: int) -> None:
        start = len(self.lines)
        for k, st in enumerate(stmts):
            if st.op == "LABEL" and st.label in self.goto_labels:
                # a label a goto jumps back to: the rest of the block is a loop the goto continues
                target = self.push_target("goto", st.label, [], ind)
                self.emit(ind, "while True:")
                self.block(stmts[k + 1:], ind + 1)
                self.emit(ind + 1, "break")
                self.pop_target(target, ind)
                break
            self.stmt(st, ind)
        if len(self.lines) == start:
            self.emit(ind, "pass")

    def emit_heap_cell(self, nm: Name, ind: int) -> None:
        gt = self.pg.rtype(nm.type, nm)
        self.emit(ind, f"{self.word(self.slot[id(nm)])} = g.new({self.pg.type_ref(gt)})")

    def stmt(self, n: Node, ind: int) -> None:
        saved, self.cur_ind = self.cur_ind, ind
        if n.pos:
            self.cur_pos = n.src_pos or n.pos
        self.stmt1(n, ind)
        self.cur_ind = saved
        if n.op == "RETURN":
            self.live_temps = []  # the frame is popped
        else:
            self.clear_temps(ind)
            self.clear_dead(n, ind)

    def clear_dead(self, n: Node, ind: int) -> None:
        """Clear the frame slots of the locals that die with statement *n* (:mod:`.liveness`): the collector
        scans a frame's every word, Go's only the slots its stack map calls live."""
        for nm in self.dead.get(id(n), ()):
            if id(nm) in self.pg.moved:
                continue  # its slot holds the heap cell's address (kept: see liveness)
            if id(nm) in self.slot:
                self.emit(ind, f"{self.word(self.slot[id(nm)])} = 0")
            elif id(nm) in self.memloc and nm.type.has_pointers():
                self.emit(ind, f"memclr({self.faddr(self.memloc[id(nm)])}, {nm.type.size()})")

    def branch(self, stmts: list, ind: int, cond_temps: list) -> None:
        start = len(self.lines)
        for t in cond_temps:
            self.emit(ind, f"{self.word(t)} = 0")
        for st in stmts:
            self.stmt(st, ind)
        if len(self.lines) == start:
            self.emit(ind, "pass")

    def stmt1(self, n: Node, ind: int) -> None:
        for x in n.init or ():
            self.stmt(x, ind)
        op = n.op
        if op in MAP_STMT_OPS and self.map_stmt(n, ind):
            return
        if op in CHAN_STMT_OPS and self.chan_stmt(n, ind):
            return
        if op == "DCL":
            self.declare(n.x)
            if getattr(n, "extra", None) == "nozero":
                return
            if id(n.x) in self.pg.moved:
                self.emit_heap_cell(n.x, ind)
            elif id(n.x) in self.slot:
                self.emit(ind, f"{self.word(self.slot[id(n.x)])} = 0")
            elif id(n.x) in self.memloc:
                self.emit(ind, self.pg.layouts.store(self.faddr(self.memloc[id(n.x)]), n.x.type, L.zero(n.x.type), False))
            elif id(n.x) in self.pyname:
                self.emit(ind, f"{self.pyname[id(n.x)]} = {L.zero(n.x.type)}")
        elif op == "AS":
            if n.y is None:
                return  # var x T: zeroed by its DCL
            if n.x is None or (isinstance(n.x, Name) and n.x.blank):
                self.emit(ind, self.expr(n.y))
                return
            self.assign(n.x, self.expr(n.y), ind)
        elif op == "ASOP":
            if n.asop not in ARITH and n.asop not in ("LSH", "RSH", "DIV", "MOD", "ANDNOT"):
                self.unsupported(n, f"the {n.asop} assignment operator")
            x = n.x
            if x.type.u.kind == "string":
                if n.asop != "ADD":
                    self.unsupported(n, f"the {n.asop} assignment operator on strings")
                # s += t: walk makes the concatenation after escape analysis, so it has no stack buffer
                y = self.pytmp()
                if n.y.op == "ADDSTR":  # s += a + b: typecheck flattens it into one concatstrings(s, a, b)
                    self.emit(ind, f"{y} = ({''.join(self.expr(p) + ', ' for p in n.y.list)})")
                else:
                    self.emit(ind, f"{y} = ({self.expr(n.y)},)")
                self.assign(x, self.spill_val(f"concat(g, 0, ({self.expr(x)},) + {y})", x.type), ind)
                return
            if isinstance(x, Name) or (is_scalar(x.type) and _pure(x)):
                binop = Node(n.asop, n.pos, x.type, x=x, y=n.y)
                self.assign(x, self.expr(binop), ind)
                return
            # x[i] op= y: the operand first, then the address once, load, operate, store
            y = self.pytmp()
            self.emit(ind, f"{y} = {self.expr(n.y)}")
            addr, own_frame = self.addr(x)
            if addr is None or not is_scalar(x.type) and x.type.u.kind != "string":
                self.unsupported(n, f"op= on {x.type}")
            a = self.pytmp()
            self.emit(ind, f"{a} = {addr}")
            cur = self.pg.layouts.load(a, x.type)
            binop = Node(n.asop, n.pos, x.type, x=_Raw(cur, x.type), y=_Raw(y, n.y.type))
            self.emit(ind, self.pg.layouts.store(a, x.type, self.expr(binop), not own_frame))
        elif op == "IF":
            self.emit(ind, f"if {self.expr(n.cond)}:")
            ct, self.live_temps = self.live_temps, []
            self.branch(n.body or [], ind + 1, ct)
            if n.els or ct:
                self.emit(ind, "else:")
                self.branch(n.els or [], ind + 1, ct)
        elif op == "FOR":
            body = n.body or []
            post = [n.post] if n.post is not None else []
            for k, st in enumerate(body):
                if st.op == "LABEL" and st.label == ".3clNext":  # Go 1.22's per-iteration loop variables:
                    body, post = body[:k], body[k + 1:] + post  # what a continue runs before the next iteration
                    break
            target = self.push_target("loop", n.label, post, ind)
            self.emit(ind, f"while {self.expr(n.cond) if n.cond is not None else 'True'}:")
            ct, self.live_temps = self.live_temps, []
            self.branch(body, ind + 1, ct)
            for p in post:
                self.stmt(p, ind + 1)
            self.pop_target(target, ind)
            self.live_temps = ct  # cleared after the loop, when the condition fails
        elif op == "BLOCK":
            self.block(n.list or [], ind)
        elif op == "BREAK" or op == "CONTINUE":
            self.jump(n, op.lower(), n.label, ind)
        elif op == "GOTO":
            if not any(t.kind == "goto" and t.label == n.label for t in self.loops):
                self.unsupported(n, f"goto {n.label} (gomem runs a goto back to a label before it in an enclosing "
                                    f"block)")
            self.jump(n, "continue", n.label, ind)
        elif op == "RETURN" and self.has_defer:
            # the results go to the result variables, then the deferred calls run (which may change them)
            res = n.list or []
            vals = []
            for x in res:
                v = self.pytmp()
                self.emit(ind, f"{v} = {self.expr(x)}")
                vals.append(v)
            for nm, v in zip(self.fn.results, vals):
                self.assign(nm, v, ind)
            self.emit(ind, "raise RETURN")
        elif op == "DEFER":
            fun = n.x.fun if n.x.op == "CALLFUNC" else None
            if fun is None or n.x.args:
                self.unsupported(n, f"defer of {ir.fmt_node(n.x)}")
            fv = self.arg_val(fun)
            if any(x.kind == "loop" for x in self.loops):  # in a loop: a heap _defer record (newdefer)
                self.emit(ind, f"dfr.append((0, DEFERS.newdefer(g, {fv})))")
            else:  # open-coded: the func value in a frame slot of its own
                slot = self.add_field(gotypes.UNSAFE_POINTER)
                self.emit(ind, f"{self.word(slot)} = {fv}")
                self.emit(ind, f"dfr.append(({self.word(slot)}, 0))")
        elif op == "PANIC":
            self.emit(ind, f"DEFERS.gopanic(g, {self.expr(n.x)})")
        elif op == "RECOVER":
            self.emit(ind, "DEFERS.recover(g)")
        elif op in ("PRINT", "PRINTLN"):
            parts = ", ".join(f"({_print_kind(x.type)!r}, {self.arg_val(x)})" for x in n.args or ())
            self.emit(ind, f"gprint(g, ({parts}{',' if n.args and len(n.args) == 1 else ''}), {op == 'PRINTLN'})")
        elif op == "RETURN":
            res = n.list or []
            if len(res) > 1:
                self.emit(ind, f"r = ({', '.join(self.expr(x) for x in res)})")
            elif res:
                e = self.expr(res[0])
                if isinstance(e, Spilled):  # tmp(...) as two statements: the value, then its frame slot
                    self.emit(ind, f"r = {e.val}")
                    self.emit(ind, f"{e.slot} = r")
                else:
                    self.emit(ind, f"r = {e}")
            elif len(self.fn.results) > 1:
                self.emit(ind, f"r = ({', '.join(self.load_name(x) for x in self.fn.results)})")
            elif self.fn.results:
                self.emit(ind, f"r = {self.load_name(self.fn.results[0])}")
            self.emit(ind, "g.pop(f)")
            self.emit(ind, "return r" if (res or self.fn.results) else "return")
        elif op in ("CALLFUNC", "CALLMETH", "CALLINTER"):
            for st in n.init or ():
                self.stmt1(st, ind)
            self.emit(ind, self.call(n, spill=False))
        elif op == "COPY":
            self.emit(ind, self.expr(n))
        elif op in ("AS2FUNC", "AS2"):
            self.assign_many(n, ind)
        elif op == "AS2DOTTYPE":
            r = self.pytmp()
            self.emit(ind, f"{r} = {self.dottype(n.rhs[0], True)}")
            for lhs, v in zip(n.lhs, (f"{r}[0]", f"{r}[1]")):
                if not (isinstance(lhs, Name) and lhs.blank):
                    self.assign(lhs, v, ind)
        elif op == "SWITCH":
            self.switch(n, ind)
        elif op == "RANGE":
            self.range_(n, ind)
        elif op == "LABEL":
            pass  # labels of loops the generated code does not branch to
        elif op in ("INLCALL", "INLRET"):  # inlined calls (inlgen.py)
            self.inl_stmt(n, ind)
        else:
            self.unsupported(n, f"the statement {ir.fmt_stmt(n) if hasattr(ir, 'fmt_stmt') else op}")

    def assign_many(self, n: Node, ind: int) -> None:
        """``a, b = f()`` and ``a, b = x, y``: every right-hand side first, then the stores in order."""
        if n.op == "AS2FUNC":
            for st in n.rhs[0].init or ():  # the call's own statements: f().M()'s receiver autotmp
                self.stmt1(st, ind)
            r = self.pytmp()
            self.emit(ind, f"{r} = {self.call(n.rhs[0], spill=False)}")
            vals = [f"{r}[{i}]" for i in range(len(n.lhs))]
        else:
            vals = []
            for x in n.rhs:
                v = self.pytmp()
                self.emit(ind, f"{v} = {self.expr(x)}")
                vals.append(v)
        for lhs, v in zip(n.lhs, vals):
            if isinstance(lhs, Name) and lhs.blank:
                continue
            self.assign(lhs, v, ind)

    def switch(self, n: Node, ind: int) -> None:
        if n.guard is not None:
            self.type_switch(n, ind)
            return
        tag = None
        if n.x is not None:
            tag = self.pytmp()
            self.emit(ind, f"{tag} = {self.expr(n.x)}")
        target, ind = self.open_switch(n, ind)
        cases = n.cases or []
        conds = []
        for c in cases:
            cs = []
            for e in c.list or []:
                cs.append(self.expr(e) if tag is None else self.equal(tag, self.expr(e), n.x.type))
            conds.append(" or ".join(cs) if cs else None)
        if any((c.body or []) and c.body[-1].op == "FALL" for c in cases):
            # fallthrough: pick the case first (Go's order, default last), then run the bodies in source order
            # as a chain of ifs, a falling body handing on to the next
            k = self.pytmp()
            first = True
            for i, cond in enumerate(conds):
                if cond is not None:
                    self.emit(ind, f"{'if' if first else 'elif'} {cond}:")
                    self.emit(ind + 1, f"{k} = {i}")
                    first = False
            dflt = next((i for i, c in enumerate(conds) if c is None), -1)
            if first:
                self.emit(ind, f"{k} = {dflt}")
            else:
                self.emit(ind, "else:")
                self.emit(ind + 1, f"{k} = {dflt}")
            for i, c in enumerate(cases):
                self.emit(ind, f"if {k} == {i}:")
                body = c.body or []
                falls = bool(body) and body[-1].op == "FALL"
                self.block(body[:-1] if falls else body, ind + 1)
                if falls:
                    self.emit(ind + 1, f"{k} = {i + 1}")
        else:
            first = True
            default = None
            for c, cond in zip(cases, conds):
                if cond is None:
                    default = c
                    continue
                self.emit(ind, f"{'if' if first else 'elif'} {cond}:")
                first = False
                self.case_body(c, ind + 1)
            if default is not None:
                if first:
                    self.case_body(default, ind)
                else:
                    self.emit(ind, "else:")
                    self.case_body(default, ind + 1)
        self.close_switch(target, ind)

    # -- break and continue -------------------------------------------------------------------

    def push_target(self, kind: str, label, post, ind: int, py: bool = True) -> "Target":
        t = Target(kind, label, post, py, len(self.lines), ind)
        self.loops.append(t)
        return t

    def pop_target(self, t: "Target", ind: int) -> None:
        """After *t*'s statement: hand on the jumps to outer statements that left its Python loop, and set the
        flags those jumps use to false before the statement starts."""
        assert self.loops.pop() is t
        for outer, kind in t.pending:
            flag = outer.flags[kind]
            between = [x for x in self.loops[self.loops.index(outer) + 1:] if x.py]
            if between or kind == "break":
                self.emit(ind, f"if {flag}: break")
                if between:
                    between[-1].pending.append((outer, kind))
            else:
                self.emit(ind, f"if {flag}:")
                self.emit(ind + 1, f"{flag} = False")
                for p in outer.post:
                    self.stmt(p, ind + 1)
                self.emit(ind + 1, "continue")
        if t.flags:
            self.lines[t.start:t.start] = ["    " * t.ind + f"{f} = False" for f in t.flags.values()]

    def jump(self, n: Node, kind: str, label, ind: int) -> None:
        """``break``/``continue`` (maybe labelled): a Python break/continue when the target is the innermost
        Python loop, else a flag set and checked after each Python loop in between."""
        target = None
        for t in reversed(self.loops):
            if (t.label == label) if label else (t.kind == "loop" or (kind == "break" and t.kind == "switch")):
                target = t
                break
        if target is None:
            self.unsupported(n, f"{kind} {label or ''} outside its statement")
        between = [x for x in self.loops[self.loops.index(target) + 1:] if x.py]
        if not between:
            if kind == "continue":
                for p in target.post:
                    self.stmt(p, ind)
            self.emit(ind, kind)
            return
        flag = target.flags.get(kind)
        if flag is None:
            flag = target.flags[kind] = f"_{kind[0]}{len(self.lines)}_{self.ntmp}"
        self.emit(ind, f"{flag} = True")
        self.emit(ind, "break")
        if (target, kind) not in between[-1].pending:
            between[-1].pending.append((target, kind))

    def open_switch(self, n: Node, ind: int) -> tuple["Target", int]:
        """A switch a break leaves runs inside a once-loop, so that the break is Python's."""
        py = _breaks_out(n.cases or [], n.label)
        t = self.push_target("switch", n.label, [], ind, py)
        if py:
            self.emit(ind, "for _once in ONCE:")
            return t, ind + 1
        return t, ind

    def close_switch(self, t: "Target", ind: int) -> None:
        if t.py:
            self.emit(ind, "break")
            ind -= 1
        self.pop_target(t, ind)

    def case_body(self, c: Node, ind: int) -> None:
        self.block(c.body or [], ind)

    def equal(self, a: str, b: str, t: T.Type) -> str:
        if t.u.kind == "string":
            return f"streq({a}, {b})"
        if is_iface(t):
            return f"ifeq({a}, {b})"
        if not (is_scalar(t) or is_pointer(t)):
            self.unsupported(None, f"comparing values of type {t}")
        return f"({a} == {b})"

    def range_(self, n: Node, ind: int) -> None:
        start = len(self.lines)
        xt = n.x.type
        k = xt.u.kind
        key = n.key if n.key is not None and not (isinstance(n.key, Name) and n.key.blank) else None
        val = n.value if n.value is not None and not (isinstance(n.value, Name) and n.value.blank) else None
        i = self.pytmp()
        held = None
        if k in INT_BITS:
            self.emit(ind, f"for {i} in range({self.expr(n.x)}):")
            if key is not None:
                self.assign(key, i, ind + 1)
        elif k == "slice":
            r = self.pytmp()
            held = self.temp()  # the slice's backing array stays reachable for the whole loop
            self.emit(ind, f"{r} = tmp0(f, OFF_{self.fn_id}_{held}, {self.expr(n.x)})")
            self.live_temps.remove(held)
            self.emit(ind, f"for {i} in range({r}[1]):")
            if key is not None:
                self.assign(key, i, ind + 1)
            if val is not None:
                es = xt.u.elem_type.size()
                # the backing array's address is re-read from the frame each iteration: a stack
                # object's moves when a call in the body grows (copies) the stack
                base = self.word(held)
                self.assign(val, self.pg.layouts.load(f"{base} + {i} * {es}", xt.u.elem_type), ind + 1)
        elif k == "array" or (k == "ptr" and xt.elem().u.kind == "array"):
            at = xt if k == "array" else xt.elem()
            if val is not None:
                # the range expression is evaluated (copied) once, as Go copies an array ranged over by value
                arr = self.pytmp()
                src = self.expr(n.x) if k == "array" else self.pg.layouts.load(f"nilcheck({self.expr(n.x)})", at)
                self.emit(ind, f"{arr} = {src}")
                self.emit(ind, f"for {i} in range({at.u.n}):")
                if key is not None:
                    self.assign(key, i, ind + 1)
                self.assign(val, f"{arr}[{i}]", ind + 1)
            else:
                if k == "ptr":
                    self.emit(ind, self.expr(n.x))
                self.emit(ind, f"for {i} in range({at.u.n}):")
                if key is not None:
                    self.assign(key, i, ind + 1)
        elif k == "string":
            c = self.pytmp()
            self.emit(ind, f"for {i}, {c} in decoderunes(gostr({self.expr(n.x)})):")
            if key is not None:
                self.assign(key, i, ind + 1)
            if val is not None:
                self.assign(val, c, ind + 1)
        else:
            self.unsupported(n, f"range over {xt}")
        ct, self.live_temps = self.live_temps, []
        target = self.push_target("loop", n.label, [], ind)
        target.start = start
        self.branch(n.body or [], ind + 1, [])
        self.pop_target(target, ind)
        self.live_temps = ct + ([held] if held else [])

    # -- names --------------------------------------------------------------------------------

    def name_cell(self, nm: Name) -> str:
        return self.word(self.slot[id(nm)])

    def load_name(self, nm: Name) -> str:
        if id(nm) in self.cvars:
            return self.cv_load(nm)
        if nm.cls == ir.PFUNC and nm.fn is not None:  # a top-level function as a value
            if nm.fn.stub or nm.pkgname:
                return self.pg.closures.stdlib_func_value(f"{nm.pkgname}.{nm.sym}", self.cur_pos)
            return self.pg.closures.func_value(nm.fn)
        nm = nm.canonical()
        if nm.cls == ir.PEXTERN:
            return self.pg.layouts.load(self.pg.global_ref(nm), self.check_type(nm.type))
        if id(nm) in self.pg.moved:
            return self.load_mem(self.name_cell(nm), 0, nm.type, nil_check=False)
        if id(nm) in self.slot:
            return self.name_cell(nm)
        if id(nm) in self.memloc:
            return self.pg.layouts.load(self.faddr(self.memloc[id(nm)]), nm.type)
        if id(nm) in self.pyname:
            return self.pyname[id(nm)]
        self.unsupported(nm, f"the variable {nm.sym}")

    def emit_store_name(self, nm: Name, val: str, ind: int) -> None:
        if (id(nm) in self.cvars or id(nm) in self.pg.moved or id(nm) in self.memloc) and "(" in val:
            # the value first: a call in it may grow (move) the stack, and the address reads f.base
            v = self.pytmp()
            self.emit(ind, f"{v} = {val}")
            val = v
        if id(nm) in self.cvars:
            self.emit(ind, self.pg.layouts.store(self.cv_addr(nm), nm.type, val, True))
        elif id(nm) in self.pg.moved:
            self.emit(ind, self.store_mem(self.name_cell(nm), 0, nm.type, val, nil_check=False))
        elif id(nm) in self.slot:
            self.emit(ind, f"{self.name_cell(nm)} = {val}")
        elif id(nm) in self.memloc:
            self.emit(ind, self.pg.layouts.store(self.faddr(self.memloc[id(nm)]), nm.type, val, False))
        else:
            self.emit(ind, f"{self.pyname[id(nm)]} = {val}")

    def assign(self, lhs: Node, val: str, ind: int) -> None:
        if isinstance(lhs, Name) and id(lhs) in self.cvars:
            self.emit_store_name(lhs, val, ind)
            return
        if isinstance(lhs, Name):
            nm = lhs.canonical()
            if nm.cls == ir.PEXTERN:  # a global: stored through the write barrier, as the heap is
                self.emit(ind, self.pg.layouts.store(self.pg.global_ref(nm), self.check_type(nm.type), val, True))
                return
            self.declare(nm)
            self.emit_store_name(nm, val, ind)
        elif lhs.op == "INDEXMAP":
            self.map_assign(lhs, val, ind)
        else:
            # the value first (a call in it may grow, and move, this goroutine's stack), then the address
            v = self.pytmp()
            self.emit(ind, f"{v} = {val}")
            addr, own_frame = self.addr(lhs)
            if addr is None:
                self.unsupported(lhs, f"assignment to {lhs.op.lower()}")
            self.emit(ind, self.pg.layouts.store(addr, self.check_type(lhs.type), v, not own_frame))

    def addr(self, n: Node) -> tuple[Optional[str], bool]:
        """The address of an addressable expression in model memory, and whether it is in this function's
        own frame (a store there needs no write barrier); (None, False) for a value that is not in memory."""
        if isinstance(n, Name):
            if id(n) in self.cvars:
                return self.cv_addr(n), False
            nm = n.canonical()
            if nm.cls == ir.PEXTERN:
                return self.pg.global_ref(nm), False
            self.declare(nm)
            if id(nm) in self.pg.moved:
                return self.name_cell(nm), False
            if id(nm) in self.memloc:
                return self.faddr(self.memloc[id(nm)]), True
            return None, False
        op = n.op
        if op == "DEREF":
            return nil_checked(self.expr(n.x)), False
        if op == "DOTPTR":
            return f"{nil_checked(self.expr(n.x))} + {self.field_off(n)}", False
        if op == "DOT":
            base, own = self.addr(n.x)
            if base is None:
                return None, False
            return f"{base} + {self.field_off(n)}", own
        if op == "INDEX":
            k = n.x.type.u.kind
            es = n.type.size()
            if k == "slice":
                return f"slice_elem({self.expr(n.x)}, {self.expr(n.index)}, {es})", False
            if k == "array":
                base, own = self.addr(n.x)
                if base is None:
                    return None, False
                return f"{base} + ix({self.expr(n.index)}, {n.x.type.u.n}) * {es}", own
        if op == "PAREN":
            return self.addr(n.x)
        return None, False

    # -- memory -------------------------------------------------------------------------------

    def load_mem(self, addr: str, off: int, t: T.Type, nil_check: bool = True) -> str:
        a = nil_checked(addr) if nil_check else addr
        return self.pg.layouts.load(f"{a} + {off}" if off else a, self.check_type(t))

    def store_mem(self, addr: str, off: int, t: T.Type, val: str, nil_check: bool = True) -> str:
        a = nil_checked(addr) if nil_check else addr
        return self.pg.layouts.store(f"{a} + {off}" if off else a, self.check_type(t), val, True)

    def check_type(self, t: T.Type) -> T.Type:
        if not (is_scalar(t) or is_pointer(t) or in_memory(t)):
            self.unsupported(None, f"a value of type {t}")
        if is_aggregate(t):
            self.pg.rtype(t, None)  # every field's type must have a layout
        return t

    # -- expressions --------------------------------------------------------------------------

    def expr(self, n: Node) -> str:
        op = n.op
        if isinstance(n, Name):
            return self.load_name(n)
        for st in n.init or ():  # statements the front end hung on the expression (autotmps of x.(T), f(g()))
            self.stmt1(st, self.cur_ind)
        if op == "INLCALL":  # an inlined call (inlgen.py)
            return self.inl_expr(n)
        if op == "RAW":
            return n.code
        if op in MAP_EXPR_OPS and (mx := self.map_expr(n)) is not None:
            return mx
        if op in CHAN_EXPR_OPS and (cx := self.chan_expr(n)) is not None:
            return cx
        if op == "LITERAL":
            v = n.val
            if isinstance(v, bool):
                return repr(v)
            k = n.type.u.kind
            if k in ("string", "untyped string") and isinstance(v, str):
                return self.pg.string_const(v)
            if k in ("float64", "untyped float", "float32"):
                return repr(float(v)) if k != "float32" else repr(_f32(float(v)))
            if isinstance(v, int):
                return repr(v)
            self.unsupported(n, f"the constant {v!r}")
        if op == "NIL":
            if is_pointer(n.type):
                return "0"
            if n.type is not None and n.type.u.kind in ("iface", "string", "slice"):
                return L.zero(n.type)
            self.unsupported(n, f"nil of type {n.type}")
        if op in ARITH:
            return _wrap(f"{self.expr(n.x)} {ARITH[op]} {self.expr(n.y)}", n.type)
        if op == "ANDNOT":
            return _wrap(f"{self.expr(n.x)} & ~{self.expr(n.y)}", n.type)
        if op == "LSH":
            return _wrap(f"shl({self.expr(n.x)}, {self.expr(n.y)})", n.type)
        if op == "RSH":
            return f"shr({self.expr(n.x)}, {self.expr(n.y)})"
        if op == "DIV" and n.type.u.kind in ("float64", "float32"):
            return _wrap(f"fdiv({self.expr(n.x)}, {self.expr(n.y)})", n.type)
        if op in ARITH and n.type.u.kind == "float64":
            return f"({self.expr(n.x)} {ARITH[op]} {self.expr(n.y)})"
        if op == "NEG" and n.type.u.kind in ("float64", "float32"):
            return f"(-{self.expr(n.x)})"
        if op in ("DIV", "MOD"):
            fn = "idiv" if op == "DIV" else "imod"
            return _wrap(f"{fn}({self.expr(n.x)}, {self.expr(n.y)})", n.type)
        if op in CMP:
            if is_iface(n.x.type) and op in ("EQ", "NE"):
                if n.y.op == "NIL" or n.x.op == "NIL":
                    v = self.expr(n.x if n.y.op == "NIL" else n.y)
                    return f"({v}[0] {CMP[op]} 0)"
                return f"({'' if op == 'EQ' else 'not '}ifeq({self.expr(n.x)}, {self.expr(n.y)}))"
            if n.x.type.u.kind == "string":
                if op in ("EQ", "NE"):
                    return f"({'' if op == 'EQ' else 'not '}streq({self.expr(n.x)}, {self.expr(n.y)}))"
                return f"(strcmp({self.expr(n.x)}, {self.expr(n.y)}) {CMP[op]} 0)"
            return f"({self.expr(n.x)} {CMP[op]} {self.expr(n.y)})"
        if op in ("LEN", "CAP"):
            k = n.x.type.u.kind
            if k == "array":
                return str(n.x.type.u.n)
            if k in ("string", "slice"):
                return f"{self.expr(n.x)}[{1 if op == 'LEN' else 2}]"
            self.unsupported(n, f"{op.lower()} of {n.x.type}")
        if op == "INDEX":
            k = n.x.type.u.kind
            if k == "string":
                return f"sidx({self.expr(n.x)}, {self.expr(n.index)})"
            if k in ("slice", "array"):
                addr, _ = self.addr(n)
                if addr is not None:
                    return self.pg.layouts.load(addr, self.check_type(n.type))
                return f"{self.expr(n.x)}[ix({self.expr(n.index)}, {n.x.type.u.n})]"
            self.unsupported(n, f"indexing {n.x.type}")
        if op == "DOT":
            addr, _ = self.addr(n)
            if addr is not None:
                return self.pg.layouts.load(addr, self.check_type(n.type))
            i = next(j for j, fl in enumerate(n.x.type.u.fields) if fl.name == n.field.name)
            return f"{self.expr(n.x)}[{i}]"
        if op == "STRUCTLIT":
            return self.struct_value(n)
        if op == "ARRAYLIT":
            return self.array_value(n)
        if op == "ADDSTR":
            parts = [self.expr(x) for x in n.list]
            return self.spill_val(f"concat(g, {self.strbuf(n)}, ({', '.join(parts)},))", n.type)
        if op == "SLICESTR":
            return (f"slicestr({self.expr(n.x)}, {self.opt(n.low)}, {self.opt(n.high)})")
        if op in ("SLICE", "SLICE3"):
            if n.x.type.u.kind != "slice":
                self.unsupported(n, f"slicing {n.x.type}")
            es = n.type.u.elem_type.size()
            return f"reslice({self.expr(n.x)}, {self.opt(n.low)}, {self.opt(n.high)}, {self.opt(n.max)}, {es})"
        if op == "MAKESLICE":
            return self.makeslice(n)
        if op == "SLICELIT":
            return self.slicelit(n)
        if op == "APPEND":
            return self.append(n)
        if op == "BYTES2STR":
            return self.spill_val(f"bytes_to_string(g, {self.strbuf(n)}, {self.expr(n.x)})", n.type)
        if op == "STR2BYTES":
            return self.spill_val(f"string_to_bytes(g, {self.strbuf(n)}, {self.expr(n.x)})", n.type)
        if op == "RUNES2STR":
            return self.spill_val(f"runes_to_string(g, {self.strbuf(n)}, {self.expr(n.x)}, I32)", n.type)
        if op == "STR2RUNES":
            buf = "0"
            if id(n) not in self.pg.heap_allocs:  # tmpBuf: [32]rune on the stack
                buf = self.faddr(self.add_field(gotypes.array_of(gotypes.INT32, 32)))
            return self.spill_val(f"string_to_runes(g, {buf}, {self.expr(n.x)}, I32, None)", n.type)
        if op == "RUNESTR":
            return self.spill_val(f"intstring(g, {self.strbuf(n)}, {self.expr(n.x)})", n.type)
        if op in ("ANDAND", "OROR") and has_inlcall(n.y):  # inlgen.py
            return self.inl_logical(n)
        if op == "ANDAND":
            return f"({self.expr(n.x)} and {self.expr(n.y)})"
        if op == "OROR":
            return f"({self.expr(n.x)} or {self.expr(n.y)})"
        if op == "NOT":
            return f"(not {self.expr(n.x)})"
        if op == "NEG":
            return _wrap(f"-{self.expr(n.x)}", n.type)
        if op == "BITNOT":
            return _wrap(f"~{self.expr(n.x)}", n.type)
        if op in ("MIN", "MAX"):
            k = n.type.u.kind
            args = ", ".join(self.expr(a) for a in n.args)
            if k in INT_BITS:
                return f"{op.lower()}({args})"
            if k in ("float64", "float32"):
                return f"f{op.lower()}({args})"
            self.unsupported(n, f"{op.lower()} of {n.type}")
        if op == "PLUS":
            return self.expr(n.x)
        if op == "PAREN":
            return self.expr(n.x)
        if op in ("CONV", "CONVNOP"):
            if n.type.u.kind in ("float64", "float32") and n.x.type.u.kind in INT_BITS:
                return _wrap(f"float({self.expr(n.x)})", n.type)
            if n.type.u.kind == "float32" and n.x.type.u.kind == "float64":
                return f"f32({self.expr(n.x)})"
            if n.type.u.kind == "float64" and n.x.type.u.kind == "float32":
                return self.expr(n.x)
            if n.x.type.u.kind in ("float64", "float32") and n.type.u.kind in INT_BITS:
                return _wrap(f"int({self.expr(n.x)})", n.type)
            if is_scalar(n.type) and is_scalar(n.x.type) and n.type.u.kind != "bool":
                return _wrap(self.expr(n.x), n.type)
            if n.type.u.kind == n.x.type.u.kind == "bool":
                return self.expr(n.x)
            if n.type.u.kind == n.x.type.u.kind and in_memory(n.type):
                return self.expr(n.x)
            if is_pointer(n.type) and is_pointer(n.x.type):
                return self.expr(n.x)
            if n.type.u.kind == "unsafe.Pointer" and is_pointer(n.x.type):
                # unsafe.Pointer(p): the same word, p's address (consumed at once: unsafe.Pointer locals stay unsupported)
                return self.expr(n.x)
            if n.type.u.kind == "uintptr" and n.x.type.u.kind == "unsafe.Pointer":
                # uintptr(unsafe.Pointer(p)): the address in the model's address space as an integer, just the value
                # (as in Go, the integer does not keep the object alive)
                return self.expr(n.x)
            self.unsupported(n, f"the conversion from {n.x.type} to {n.type}")
        if op == "DOTPTR":
            return self.load_mem(self.expr(n.x), self.field_off(n), n.type)
        if op == "DEREF":
            return self.load_mem(self.expr(n.x), 0, n.type)
        if op == "PTRLIT":
            return self.ptrlit(n)
        if op == "ADDR" and isinstance(n.x, Name) and id(n.x.canonical()) in self.pg.moved:
            if id(n.x) in self.cvars:  # a function literal's captured variable: the closure holds its cell
                return self.cv_addr(n.x)
            return self.name_cell(n.x.canonical())
        if op == "ADDR":
            addr, _ = self.addr(n.x)
            if addr is not None:
                return addr
        if op in ("SLICEARR", "SLICE3ARR"):
            at = n.x.type.elem() if n.x.type.u.kind == "ptr" else n.x.type
            es = at.u.elem_type.size()
            return (f"slicearr(nilcheck({self.expr(n.x)}), {at.u.n}, {self.opt(n.low)}, {self.opt(n.high)}, "
                    f"{self.opt(n.max)}, {es})")
        if op == "COPY":
            tref, es, noscan = self.elem_info(n.x.type)
            return f"slicecopy(g, {self.expr(n.x)}, {self.expr(n.y)}, {tref}, {es}, {noscan})"
        if op == "STR2BYTESTMP":
            return f"strbytes({self.expr(n.x)})"
        if op == "NEW":
            return self.new_object(n, n.type.elem(), [])
        if op in ("CALLFUNC", "CALLMETH"):
            return self.call(n)
        if op == "CALLINTER":
            return self.call(n)
        if op == "CONVIFACE":
            return self.conv_iface(n)
        if op == "CLOSURE":
            return self.closure(n)
        if op == "RECOVER":
            self.pg.ifaces.runtime_errors()
            return self.spill_val("DEFERS.recover(g)", n.type)
        if op == "METHVALUE":
            return self.method_value(n)
        if op == "METHEXPR":
            return self.method_expr(n)
        if op == "DOTTYPE":
            return self.dottype(n, False)
        self.unsupported(n, f"the expression {ir.fmt_node(n)}")

    def opt(self, x) -> str:
        return "None" if x is None else self.expr(x)

    def strbuf(self, n: Node) -> str:
        """The 32-byte stack buffer of a string operation whose result does not escape, or 0."""
        if id(n) in self.pg.heap_allocs:
            return "0"
        return self.faddr(self.add_field(gotypes.array_of(gotypes.UINT8, 32)))

    def spill_val(self, val: str, t: T.Type) -> str:
        """*val* of type *t* (a string or slice, or a pointer) with its pointer word in a frame temporary."""
        if is_pointer(t):
            return self.spill(val)
        if is_aggregate(t):
            gt = self.pg.rtype(t, None)
            if not gt.ptrdata:
                return val
            field = self.add_field(gt)
            self.live_temps.append(field)
            self.agg_temps[field] = gt.size
            return f"tmpv(g, {self.pg.layouts.storer(t, False)}, {val}, f, OFF_{self.fn_id}_{field})"
        if is_iface(t):
            return f"tmp1(f, OFF_{self.fn_id}_{self.temp()}, {val})"
        if in_memory(t):
            return f"tmp0(f, OFF_{self.fn_id}_{self.temp()}, {val})"
        return val

    def elem_info(self, t: T.Type) -> tuple[str, int, bool]:
        """(runtime type name, size, noscan) of a slice type's element."""
        et = t.u.elem_type
        self.check_type(et)
        gt = self.pg.layouts.rtype(et)
        return self.pg.type_ref(gt), gt.size, not gt.ptrdata

    def makeslice(self, n: Node) -> str:
        tref, es, noscan = self.elem_info(n.type)
        ln = self.expr(n.len)
        cp = self.expr(n.cap) if n.cap is not None else None
        if id(n) not in self.pg.heap_allocs:
            size = _const(n.cap if n.cap is not None else n.len)
            et_rt = self.pg.layouts.rtype(n.type.u.elem_type)
            if size is not None:
                # a constant-size make that does not escape: the backing array is a stack object
                arr = gotypes.array_of(et_rt, size)
                obj = f"stackobj(f, OFF_{self.fn_id}_{self.add_field(arr)}, {arr.size})"
                return f"({obj}, {ln}, {size})"
            # a variable size that does not escape (walk's tryStack): a stack store of K elements,
            # used when cap <= K = 32 bytes / element size, else makeslice
            k = VARIABLE_MAKE_THRESHOLD // es if es else 0
            if k > 0:
                store = self.faddr(self.add_field(gotypes.array_of(et_rt, k)))
                return self.spill_val(f"makeslice_buf(g, {tref}, {es}, {noscan}, {ln}, {ln if cp is None else cp}, "
                                      f"{store}, {k})", n.type)
        return self.spill_val(f"makeslice(g, {tref}, {es}, {noscan}, {ln}, {ln if cp is None else cp})", n.type)

    def slicelit(self, n: Node) -> str:
        tref, es, noscan = self.elem_info(n.type)
        elems = n.list or []
        if any(e.op == "KEY" for e in elems):
            self.unsupported(n, "keyed slice literals")
        et = n.type.u.elem_type
        vals = [self.arg_val(e) for e in elems]
        cnt = len(elems)
        if cnt == 0:
            return "(ZEROBASE, 0, 0)"
        if self.static:
            obj = f"static_new({self.pg.type_ref(gotypes.array_of(self.pg.layouts.rtype(n.type.u.elem_type), cnt))})"
        elif id(n) in self.pg.heap_allocs:
            # rooted in a frame temporary: the elements evaluated after it may allocate or park (a GC)
            obj = self.spill(f"g.alloc({es * cnt}, {'None' if noscan else tref})")
        else:
            arr = gotypes.array_of(self.pg.layouts.rtype(et), cnt)
            obj = f"stackobj(f, OFF_{self.fn_id}_{self.add_field(arr)}, {arr.size})"
        st = self.pg.elem_storer(et)
        return self.spill_val(f"fill_elems(g, {obj}, {es}, {st}, ({''.join(v + ', ' for v in vals)}), {cnt})", n.type)

    def arg_val(self, e: Node) -> str:
        """An operand's value, with its pointers rooted if it is the fresh result of a call or allocation."""
        v = self.expr(e)
        if not _rooted(e) and (is_pointer(e.type) or in_memory(e.type)):
            return self.spill_val(v, e.type)
        return v

    def append(self, n: Node) -> str:
        args = n.args
        tref, es, noscan = self.elem_info(n.type)
        s = self.expr(args[0])
        if n.is_ddd:
            src = args[1]
            if src.type.u.kind == "string":
                sv = self.pytmp()
                return self.spill_val(f"append_slice(g, {s}, (({sv} := {self.arg_val(src)})[0], {sv}[1], {sv}[1]), "
                                      f"{tref}, {es}, True)", n.type)
            return self.spill_val(f"append_slice(g, {s}, {self.expr(src)}, {tref}, {es}, {noscan})", n.type)
        vals = [self.arg_val(e) for e in args[1:]]
        st = self.pg.elem_storer(n.type.u.elem_type)
        vs = "(" + "".join(v + ", " for v in vals) + ")"
        key = id(args[0].canonical()) if isinstance(args[0], Name) else id(args[0])
        if id(n) not in self.pg.heap_allocs and 0 < es <= VARIABLE_MAKE_THRESHOLD and key not in self.append_stores:
            # The first non-escaping append to a slice in the function may start it in a stack store of
            # K = 32 bytes / element size elements, once per call (ssagen's backing store for append).
            self.append_stores.add(key)
            k = VARIABLE_MAKE_THRESHOLD // es
            store = self.faddr(self.add_field(gotypes.array_of(self.pg.layouts.rtype(n.type.u.elem_type), k)))
            used = self.pytmp()
            self.prologue.append(f"{used} = [False]")
            return self.spill_val(f"append_vals_buf(g, {s}, {vs}, {tref}, {es}, {noscan}, {st}, {store}, {k}, {used})",
                                  n.type)
        return self.spill_val(f"append_vals(g, {s}, {vs}, {tref}, {es}, {noscan}, {st})", n.type)

    def spill(self, val: str) -> str:
        """*val*, a pointer, written to a fresh frame temporary (a root until the statement ends)."""
        t = self.temp()
        return Spilled(f"tmp(f, OFF_{self.fn_id}_{t}, {val})", val, self.word(t))

    def call(self, n: Node, spill: bool = True) -> str:
        fun = n.fun
        target: Optional[Func] = None
        if n.op == "CALLINTER":
            call = self.call_inter(n)
            if spill and n.type is not None and (is_pointer(n.type) or in_memory(n.type)):
                return self.spill_val(call, n.type)
            return call
        if fun.op == "METHEXPR":
            target = fun.method
            if getattr(target, "stub", False) and getattr(target, "pkg", None):  # a standard-library method
                return self.pg.lib.call_method(self, n, target)
        elif isinstance(fun, Name) and fun.cls == ir.PFUNC:
            target = fun.fn
            if getattr(target, "stub", False) and not fun.pkgname:  # an instance of a generic stdlib function
                return self.pg.lib.call_generic(self, n, target)
            if target is None or fun.pkgname or getattr(target, "stub", False):
                return self.pg.lib.call(self, n, fun)
        if target is None and fun.type is not None and fun.type.u.kind == "func":
            call = self.call_value(n)
            if spill and n.type is not None and (is_pointer(n.type) or in_memory(n.type)):
                return self.spill_val(call, n.type)
            return call
        if target is None or target.stub or not target.has_body:
            self.unsupported(n, f"calling {ir.fmt_node(fun)}")
        call = f"{self.pg.func_id(target)}(g{self.call_args(n.args or [])})"
        if spill and n.type is not None and (is_pointer(n.type) or in_memory(n.type)):
            return self.spill_val(call, n.type)
        if isinstance(n.type, T.Tuple) and any(is_pointer(t) or in_memory(t) for t in n.type.types):
            if spill:
                self.unsupported(n, "a call with several results inside an expression")
        return call

    def arg_list(self, args: list) -> list[str]:
        """The arguments of a library call as separate expressions, evaluated in order; when some must be
        refreshed (see :meth:`call_args`), the first holds the refreshed list and the others index it."""
        vals, refresh = self._call_parts(args, None)
        if refresh is None or not args:
            return vals
        r = self.pytmp()
        return [f"({r} := {refresh})[0]"] + [f"{r}[{i}]" for i in range(1, len(args))]

    def call_args(self, args: list, first: Optional[str] = None) -> str:
        """``, a0, a1 ...`` for a call.  An argument holding a pointer that is evaluated before a later argument
        which may push a frame (a call: the stack may grow and move) goes through a frame slot, which the stack
        copy adjusts, and is read back after every argument is evaluated (``refresh``); otherwise a pointer into
        the stack held in flight would be stale, where Go's spilled argument is adjusted.  *first*: an already
        evaluated pointer word passed before the arguments (a funcval, an interface's data word)."""
        vals, refresh = self._call_parts(args, first)
        if refresh is None:
            return "".join(", " + v for v in vals)
        return f", *{refresh}"

    def _call_parts(self, args: list, first: Optional[str]) -> tuple[list[str], Optional[str]]:
        vals = ([first] if first is not None else []) + [self.arg_val(a) for a in args]
        nodes = ([None] if first is not None else []) + list(args)
        kinds = []
        for i, a in enumerate(nodes):
            if i == len(nodes) - 1 or not any(_may_push(x) for x in nodes[i + 1:]):
                kinds.append(None)
            elif a is None:
                kinds.append(L.WORD)
            else:
                k = L.form(a.type) if a.type is not None and not isinstance(a.type, T.Tuple) else None
                kinds.append(k if k in (L.WORD, L.STRING, L.SLICE, L.IFACE) else None)
        if not any(kinds):
            return vals, None
        parts, spec = [], []
        for i, (v, k) in enumerate(zip(vals, kinds)):
            if k is None:
                parts.append(v)
                continue
            slot = self.temp()
            word = 1 if k == L.IFACE else 0
            parts.append(f"tmp(f, OFF_{self.fn_id}_{slot}, {v})" if k == L.WORD
                         else f"tmp{word}(f, OFF_{self.fn_id}_{slot}, {v})")
            spec.append(f"({i}, OFF_{self.fn_id}_{slot}, {-1 if k == L.WORD else word})")
        return vals, f"refresh(f, ({''.join(x + ', ' for x in spec)}), [{', '.join(parts)}])"

    def struct_value(self, n: Node) -> str:
        """A struct literal's value: a tuple of its fields (missing ones zero), in field order."""
        t = self.check_type(n.type)
        vals = {}
        for e in n.list or []:
            if e.op != "STRUCTKEY":
                self.unsupported(e, "positional struct literals")
            vals[e.sel if isinstance(e.sel, str) else e.field.name] = self.arg_val(e.value)
        return "(" + "".join(vals.get(fl.name, L.zero(fl.type)) + ", " for fl in t.u.fields) + ")"

    def array_value(self, n: Node) -> str:
        t = self.check_type(n.type)
        et = t.u.elem_type
        elems = [L.zero(et)] * t.u.n
        i = 0
        for e in n.list or []:
            if e.op == "KEY":
                i = _const(e.key)
                if i is None:
                    self.unsupported(e, "a non-constant array index in a literal")
                e = e.value
            elems[i] = self.arg_val(e)
            i += 1
        return "(" + "".join(x + ", " for x in elems) + ")"

    def ptrlit(self, n: Node) -> str:
        lit = n.x
        if lit.op != "STRUCTLIT":
            self.unsupported(n, f"&{lit.op.lower()}")
        return self.new_object(n, lit.type, lit.list or [])

    def new_object(self, n: Node, t: T.Type, elems: list) -> str:
        gt = self.pg.rtype(t, n)
        stores = []
        for e in elems:
            if e.op != "STRUCTKEY":
                self.unsupported(e, "positional struct literals")
            fld = gt.field(e.sel)
            v = self.expr(e.value)
            if is_pointer(e.value.type) and not _rooted(e.value):
                v = self.spill(v)
            ft = self.check_type(e.field.type)
            if is_pointer(ft):
                kind = "'p'"
            elif ft.u.kind == "bool":
                kind = "'b'"
            elif INT_BITS.get(ft.u.kind) == 64:
                kind = "'i'"
            else:  # any other type: its own storer, through the barrier for its pointer words
                if in_memory(ft) and not _rooted(e.value):
                    v = self.spill_val(v, ft)
                kind = self.pg.layouts.storer(ft, True) if in_memory(ft) else self.pg.elem_storer(ft)
            stores.append(f"({fld.offset}, {kind}, {v})")
        tref = self.pg.type_ref(gt)
        if self.static:
            obj = f"static_new({tref})"
        elif id(n) in self.pg.heap_allocs:
            obj = f"g.new({tref})"
        else:
            obj = f"stackobj(f, OFF_{self.fn_id}_{self.add_field(gt)}, {gt.size})"
        if not stores:
            return self.spill(obj) if id(n) in self.pg.heap_allocs else obj
        # The element values first (each pointer already in a frame temporary), then the
        # allocation, then the stores: the compiler's order, with nothing unrooted across mallocgc.
        return self.spill(f"fill(g, ({', '.join(stores)},), {obj})")


class ProgramGen:
    """Generates the whole program: type descriptors, frames, functions."""

    def __init__(self, prog, heap_allocs: set, moved: set, lib):
        self.prog = prog
        self.heap_allocs = heap_allocs
        self.moved = moved
        self.lib = lib
        self.layouts = Layouts()
        self.ifaces = IfaceTables(self)
        self.closures = ClosureTables(self)
        self.registry = self.layouts.registry
        self.strings: dict[bytes, str] = {}
        self.elem_storers: dict[int, str] = {}
        self.types: dict[int, str] = {}
        self.ftypes: dict[int, str] = {}
        self.globals: dict[tuple, str] = {}
        self.global_types: dict[str, tuple] = {}  # GV name -> (Go name, runtime type)
        #: Python lines of the standard packages' inits the program needs (run first in STATIC_INIT)
        self.std_init_lines: list[str] = []
        self.ftype_objs: dict[str, T.Type] = {}
        self.type_objs: dict[str, gotypes.GoType] = {}
        self.ids: dict[int, str] = {}
        for i, fn in enumerate(prog.funcs):
            self.ids[id(fn)] = f"F{i}_" + "".join(c if c.isalnum() else "_" for c in fn.name)

    def func_id(self, fn: Func) -> str:
        return self.ids[id(fn)]

    def rtype(self, t: T.Type, where) -> gotypes.GoType:
        """The runtime type descriptor of the front end's type *t*."""
        try:
            return self.layouts.rtype(t)
        except Unsupported as e:
            raise Unsupported(getattr(where, "pos", (1, 1)), e.reason) from None

    def static_init_code(self, env: dict) -> str:
        """``STATIC_INIT(g)``: the values the linker puts in the data segment (package-level variables whose
        initialiser is a constant or a static composite literal), run when the program starts, before init."""
        fn = Func("static_init", (0, 0), T.Signature([], []))
        fn.body = []
        fg = FuncGen(self, fn)
        fg.static = True
        fg.fn_id = "STATIC_INIT"
        fg.lines = []
        for nm, x in getattr(self.prog, "static_inits", ()):
            fg.assign(nm, fg.expr(x), 1)
            fg.clear_temps(1)
        frame = gotypes.struct_of(fg.frame_fields)
        env["FRAME_STATIC_INIT"] = frame
        for fname, _ in fg.frame_fields:
            env[f"OFF_STATIC_INIT_{fname}"] = frame.field(fname).offset
        std = ["    " + line for line in self.std_init_lines]  # the standard packages' inits come first
        return "\n".join(["def STATIC_INIT(g):", "    f = g.frame(FRAME_STATIC_INIT, 'static_init')"] + std + fg.lines
                         + ["    g.pop(f)", ""])

    def string_const(self, v: str) -> str:
        """The name of a string literal's (ptr, len), placed in read-only data when the program starts."""
        data = v.encode("utf-8", "surrogateescape")
        name = self.strings.get(data)
        if name is None:
            name = self.strings[data] = f"STR{len(self.strings)}"
        return name

    def elem_storer(self, t: T.Type) -> str:
        """A function ``(g, addr, v)`` storing an element of type *t* into a backing array (with barrier)."""
        name = self.elem_storers.get(id(t))
        if name is None:
            name = self.elem_storers[id(t)] = f"ES{len(self.elem_storers)}"
            self.layouts._keep.append(t)
            self.layouts.funcs.append(f"def {name}(g, a, v):\n    {self.layouts.store('a', t, 'v', True)}\n")
        return name

    def global_ref(self, nm: Name) -> str:
        """The name of a package-level variable's address (placed in the image's data when the program starts)."""
        key = (nm.pkgname or "main", nm.sym)
        if key == ("os", "Args"):
            return "GV_os_Args"
        if key in STD_VARS:
            return self.std_global(nm.pkgname, nm.sym, nm.type)
        if nm.pkgname:
            raise Unsupported(nm.pos, f"gomem cannot run this yet: the package variable {nm.pkgname}.{nm.sym}")
        name = self.globals.get(key)
        if name is None:
            name = self.globals[key] = f"GV{len(self.globals)}_{''.join(c if c.isalnum() else '_' for c in nm.sym)}"
            self.global_types[name] = (f"main.{nm.sym}", self.rtype(nm.type, nm))
        return name

    def std_global(self, pkg: str, sym: str, t: T.Type) -> str:
        """The address name of a standard-library package variable the model keeps (its package's init,
        in ``std_init_lines``, sets it)."""
        key = (pkg, sym)
        name = self.globals.get(key)
        if name is None:
            name = self.globals[key] = f"GV{len(self.globals)}_{pkg}_{sym}"
            self.global_types[name] = (f"{pkg}.{sym}", self.rtype(t, None))
            init = getattr(self.lib, f"init_{pkg}_{sym}", None)  # the package's init sets it (libstd.py)
            if init is not None:
                init(self, name, t)
        return name

    def ftype_ref(self, t: T.Type) -> str:
        """A name for the front-end type *t* itself (fmt's dynamic type of an operand)."""
        name = self.ftypes.get(id(t))
        if name is None:
            name = self.ftypes[id(t)] = f"FT{len(self.ftypes)}"
            self.ftype_objs[name] = t
        return name

    def type_ref(self, gt: gotypes.GoType) -> str:
        name = f"TYPE{gt.id}"
        self.type_objs[name] = gt
        return name

    def generate(self) -> tuple[str, dict]:
        """Python source of every function, and the names it refers to."""
        src = []
        env: dict = {}
        self.func_lines: list[tuple[Func, list[str]]] = []  # (function, its generated lines), in source order
        for fn in self.prog.funcs:
            if fn.stub or not fn.has_body:
                continue
            fg = FuncGen(self, fn)
            fid = self.func_id(fn)
            code = fg.generate(fid)
            self.func_lines.append((fn, fg.code_lines))
            frame = gotypes.struct_of(fg.frame_fields) if fg.frame_fields else gotypes.struct_of([])
            env[f"FRAME_{fid}"] = frame
            for fname, _ in fg.frame_fields:
                env[f"OFF_{fid}_{fname}"] = frame.field(fname).offset
            src.append(code)
        src.append(self.static_init_code(env))
        self.ifaces.generate(env)
        self.closures.generate(env)
        env.update(self.type_objs)
        env.update(self.ftype_objs)
        env["GLOBALS"] = dict(self.global_types)
        env["STRINGS"] = dict(self.strings)
        env["LAYOUTS"] = self.layouts
        self.first_func_line = 1 + sum(f.count("\n") + 1 for f in self.layouts.funcs)
        return "\n".join(self.layouts.funcs + src), env

    def line_table(self, where) -> list[tuple]:
        """The program's text for the symbol table (:class:`gomem.runtime.symtab.Symtab`): per function, in
        the generated code's order, ``(go_name, file, start_line, first_py_line, sites, has_params)`` where ``sites[k]``
        are the Go frames running at generated line ``first_py_line + k``, leaf first, each
        ``(go_name, file, line, start_line)``: every frame but the last inlined into the next (the
        compiler's inline tree).  A line of a function's prologue is at the function's own position.
        *has_params*: it takes arguments (a receiver or parameters: what a traceback prints).
        *where(pos)* gives a position's ``(absolute file, line)``."""
        table = []
        line = self.first_func_line
        for fn, lines in self.func_lines:
            file, start = where(fn.pos)
            name = go_func_name(fn)
            sites: list[tuple] = []
            memo: dict = {}
            for text in lines:
                pos = getattr(text, "pos", None) or fn.pos
                chain = getattr(text, "chain", ())
                key = (pos, chain)
                frames = memo.get(key)
                if frames is None:
                    out = []
                    for callee, call_pos in reversed(chain):
                        out.append((go_func_name(callee), *where(pos), where(callee.pos)[1]))
                        pos = call_pos
                    out.append((name, *where(pos), start))
                    frames = memo[key] = tuple(out)
                sites.extend([frames] * (text.count("\n") + 1))
            table.append((name, file, start, line, sites, bool(fn.params or fn.recv)))
            line += len(sites) + 1  # the blank line between functions (each function's code ends with a newline)
        return table


def go_func_name(fn: Func) -> str:
    """The function's name as Go's symbol table has it: ``main.f``, ``main.(*T).M``, ``main.main.func1``,
    ``strings.Index`` for a standard-library function."""
    return f"{fn.pkg or 'main'}.{_shape_args(fn.name)}"


def _shape_args(name: str) -> str:
    """A generic instance's type arguments as Go's symbol table prints them: ``Set[...].Add``."""
    out, depth = [], 0
    for c in name:
        if c == "[":
            if depth == 0:
                out.append("[...]")
            depth += 1
        elif c == "]":
            depth -= 1
        elif depth == 0:
            out.append(c)
    return "".join(out)


class Spilled(str):
    """The code ``tmp(f, OFF, val)`` of a spilled pointer, knowing its parts: *val* and the frame word *slot*
    it is written to (a statement can write the two in turn, without the helper call)."""

    def __new__(cls, code: str, val: str, slot: str):
        s = super().__new__(cls, code)
        s.val, s.slot = val, slot
        return s


class _Raw(Node):
    """Generated code standing for an already evaluated operand."""

    def __init__(self, code: str, t):
        super().__init__("RAW", None, t)
        self.code = code


class Target:
    """A statement a break or continue can leave: a loop, or a switch (a Python once-loop if a break leaves it).
    A jump across inner Python loops sets a flag (``flags``) that each of them checks when it ends (``pending``)."""

    __slots__ = ("kind", "label", "post", "py", "start", "ind", "flags", "pending")

    def __init__(self, kind: str, label, post: list, py: bool, start: int, ind: int):
        self.kind = kind
        self.label = label
        self.post = post
        self.py = py
        self.start = start  # the line where the statement starts (flags are set false before it)
        self.ind = ind
        self.flags: dict[str, str] = {}
        self.pending: list = []


def _breaks_out(cases, label) -> bool:
    """Whether a break in these case bodies leaves the switch (an unlabelled one not inside an inner loop,
    switch or select; or one with the switch's label)."""
    def walk(stmts, nested: bool) -> bool:
        for n in stmts or []:
            if n is None or not isinstance(n, Node):
                continue
            if n.op == "BREAK" and ((not n.label and not nested) or (label and n.label == label)):
                return True
            inner = nested or n.op in ("FOR", "RANGE", "SWITCH", "SELECT")
            for attr in ("body", "els", "list", "init"):
                sub = getattr(n, attr, None)
                if isinstance(sub, list) and walk(sub, inner):
                    return True
            for c in getattr(n, "cases", None) or []:
                if walk(c.body, inner):
                    return True
        return False

    return any(walk(c.body, False) for c in cases)


#: operations whose evaluation may push a frame on the goroutine's stack (and so grow and move it)
_PUSHES = frozenset({"CALLFUNC", "CALLMETH", "CALLINTER", "MAKEMAP", "MAPLIT", "INLCALL", "INDEXMAP", "DELETE",
                     "APPEND"})


def _may_push(x) -> bool:
    """Whether evaluating *x* may push a frame (a call, or a runtime helper that keeps objects in a frame)."""
    stack = [x]
    while stack:
        n = stack.pop()
        if n is None or not isinstance(n, Node) or isinstance(n, Name):
            continue
        if n.op in _PUSHES:
            return True
        for attr in ("x", "y", "fun", "index", "low", "high", "max", "len", "cap", "value", "key"):
            v = getattr(n, attr, None)
            if isinstance(v, Node):
                stack.append(v)
        for attr in ("args", "list", "init"):
            v = getattr(n, attr, None)
            if isinstance(v, list):
                stack.extend(v)
    return False


def _adjusted(v: str, t) -> Optional[str]:
    """Python source of the value form *v* of type *t* with each pointer word moved by the last stack copy
    (``adj``), or None when *t* holds no pointer."""
    f = L.form(t)
    if f == L.WORD:
        return f"adj(_m, {v})"
    if f in (L.STRING, L.SLICE):
        return f"(adj(_m, {v}[0]),) + {v}[1:]"
    if f == L.IFACE:
        return f"({v}[0], adj(_m, {v}[1]))"
    if f in (L.STRUCT, L.ARRAY) and t.has_pointers():
        types = [fl.type for fl in t.u.fields] if f == L.STRUCT else [t.u.elem_type] * t.u.n
        items = []
        for i, ft in enumerate(types):
            a = _adjusted(f"{v}[{i}]", ft)
            items.append(a if a is not None else f"{v}[{i}]")
        return "(" + "".join(x + ", " for x in items) + ")"
    return None


def _goto_labels(stmts) -> set:
    """The labels goto statements of a function body name (function literals are functions of their own)."""
    out = set()
    for n in stmts:
        if n is None or not isinstance(n, Node):
            continue
        if n.op == "GOTO":
            out.add(n.label)
        for attr in ("body", "els", "list", "init"):
            sub = getattr(n, attr, None)
            if isinstance(sub, list):
                out |= _goto_labels(sub)
        for c in getattr(n, "cases", None) or []:
            out |= _goto_labels(c.body or [])
    return out


def _has_defer(stmts) -> bool:
    """Whether a function body has a defer statement (function literals are functions of their own)."""
    for n in stmts:
        if n is None or not isinstance(n, Node):
            continue
        if n.op == "DEFER":
            return True
        for attr in ("body", "els", "list", "init"):
            sub = getattr(n, attr, None)
            if isinstance(sub, list) and _has_defer(sub):
                return True
        if any(_has_defer(c.body or []) for c in getattr(n, "cases", None) or []):
            return True
    return False


def _f32(x: float) -> float:
    import struct

    return struct.unpack("<f", struct.pack("<f", x))[0]


def _const(x) -> Optional[int]:
    if x is not None and x.op == "LITERAL" and isinstance(x.val, int):
        return x.val
    return None


def _rooted(x: Node) -> bool:
    """Whether the pointer *x* evaluates to is already held where the collector sees it."""
    return isinstance(x, Name) or x.op in ("NIL", "CALLFUNC", "CALLMETH", "CALLINTER", "PTRLIT", "NEW", "CONVIFACE",
                                           "CLOSURE", "METHVALUE")


def _pure(x: Node) -> bool:
    """Whether evaluating *x* twice is the same as once (a variable, or fields and derefs of one)."""
    while not isinstance(x, Name):
        if x.op not in ("DOTPTR", "DEREF"):
            return False
        x = x.x
    return True


def _offset_of(st: T.Struct, name: str) -> int:
    off = 0
    for f in st.fields:
        a = f.type.align()
        off = (off + a - 1) // a * a
        if f.name == name:
            return off
        off += f.type.size()
    raise KeyError(name)
