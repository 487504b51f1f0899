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
:class:`~gomem.escape.check_base.Unsupported` naming the construct, before
the program starts.
"""

from __future__ import annotations

from typing import Optional

from .. import types as gotypes
from ..escape import ir
from ..escape import types as T
from ..escape.check_base import Unsupported
from ..escape.ir import Func, Name, Node

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
        return expr
    m = (1 << bits) - 1
    if k.startswith("u"):
        return f"(({expr}) & {m})"
    h = 1 << (bits - 1)
    return f"(((({expr}) + {h}) & {m}) - {h})"


def is_scalar(t: T.Type) -> bool:
    return t.u.kind in INT_BITS or t.u.kind == "bool"


def is_pointer(t: T.Type) -> bool:
    return t.u.kind == "ptr"


class FuncGen:
    """Generates one Go function."""

    def __init__(self, prog_gen: "ProgramGen", fn: Func):
        self.pg = prog_gen
        self.fn = fn
        self.lines: list[str] = []
        self.frame_fields: list[tuple[str, gotypes.GoType]] = []
        self.slot: dict[int, str] = {}  # id(Name) -> frame field for pointer locals and heap cells
        self.pyname: dict[int, str] = {}  # id(Name) -> Python local for scalars
        self.live_temps: list[str] = []  # frame temporaries of the statement being generated
        self.loops: list[Optional[list]] = []  # post statements of the enclosing loops

    # -- frame --------------------------------------------------------------------------------

    def unsupported(self, n, what: str):
        raise Unsupported(getattr(n, "pos", self.fn.pos), f"gomem cannot run this yet: {what}")

    def add_field(self, gt: gotypes.GoType) -> str:
        name = f"s{len(self.frame_fields)}"
        self.frame_fields.append((name, gt))
        return name

    def word(self, field: str, extra: str = "") -> str:
        return f"W[(f.base - B + OFF_{self.fn_id}_{field}{extra}) >> 3]"

    def declare(self, nm: Name) -> None:
        if nm.blank or id(nm) in self.slot or id(nm) in self.pyname:
            return
        t = nm.type
        if id(nm) in self.pg.moved:
            if not (is_scalar(t) or is_pointer(t)):
                self.unsupported(nm, f"a variable of type {t} moved to the heap")
            self.slot[id(nm)] = self.add_field(gotypes.UNSAFE_POINTER)
        elif is_pointer(t):
            self.slot[id(nm)] = self.add_field(gotypes.UNSAFE_POINTER)
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
            self.emit(ind, f"{self.word(t)} = 0")
        self.live_temps = []

    # -- generation ---------------------------------------------------------------------------

    def generate(self, fn_id: str) -> str:
        self.fn_id = fn_id
        fn = self.fn
        if len(fn.results) > 1:
            self.unsupported(fn.nname or fn.recv, "functions with several results")
        params = ([fn.recv] if fn.recv is not None else []) + fn.params
        for nm in params + fn.results:
            self.declare(nm)
        body: list[str] = []
        self.lines = body
        pnames = []
        for i, nm in enumerate(params):
            pn = f"a{i}"
            pnames.append(pn)
            if id(nm) in self.pg.moved:
                self.emit_heap_cell(nm, 1)
                self.emit_store_name(nm, pn, 1)
            elif id(nm) in self.slot:
                self.emit(1, f"{self.word(self.slot[id(nm)])} = {pn}")
            elif id(nm) in self.pyname:
                self.emit(1, f"{self.pyname[id(nm)]} = {pn}")
        for nm in fn.results:
            if id(nm) in self.pyname:
                self.emit(1, f"{self.pyname[id(nm)]} = 0")
        self.block(fn.body, 1)
        self.emit(1, "g.pop(f)")
        head = [f"def {fn_id}(g{''.join(', ' + p for p in pnames)}):",
                f"    f = g.frame(FRAME_{fn_id}, {fn.name!r})"]
        return "\n".join(head + body) + "\n"

    def emit(self, ind: int, s: str) -> None:
        self.lines.append("    " * ind + s)

    def block(self, stmts: list, ind: int) -> None:
        start = len(self.lines)
        for st in stmts:
            self.stmt(st, ind)
        if len(self.lines) == start:
            self.emit(ind, "pass")

    def emit_heap_cell(self, nm: Name, ind: int) -> None:
        gt = self.pg.rtype(nm.type, nm)
        self.emit(ind, f"{self.word(self.slot[id(nm)])} = g.new({self.pg.type_ref(gt)})")

    def stmt(self, n: Node, ind: int) -> None:
        self.stmt1(n, ind)
        if n.op == "RETURN":
            self.live_temps = []  # the frame is popped
        else:
            self.clear_temps(ind)

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
        if op == "DCL":
            self.declare(n.x)
            if id(n.x) in self.pg.moved:
                self.emit_heap_cell(n.x, ind)
            elif id(n.x) in self.slot:
                self.emit(ind, f"{self.word(self.slot[id(n.x)])} = 0")
            elif id(n.x) in self.pyname:
                self.emit(ind, f"{self.pyname[id(n.x)]} = {'False' if n.x.type.u.kind == 'bool' else '0'}")
        elif op == "AS":
            if n.y is None:
                return  # var x T: zeroed by its DCL
            if n.x is None or (isinstance(n.x, Name) and n.x.blank):
                self.emit(ind, self.expr(n.y))
                return
            self.assign(n.x, self.expr(n.y), ind)
        elif op == "ASOP":
            if n.asop not in ARITH and n.asop not in ("LSH", "RSH"):
                self.unsupported(n, f"the {n.asop} assignment operator")
            x = n.x
            if not (is_scalar(x.type) and _pure(x)):
                self.unsupported(n, "op= on anything but an integer variable or field")
            binop = Node(n.asop, n.pos, x.type, x=x, y=n.y)
            self.assign(x, self.expr(binop), ind)
        elif op == "IF":
            self.emit(ind, f"if {self.expr(n.cond)}:")
            ct, self.live_temps = self.live_temps, []
            self.branch(n.body or [], ind + 1, ct)
            if n.els or ct:
                self.emit(ind, "else:")
                self.branch(n.els or [], ind + 1, ct)
        elif op == "FOR":
            if n.label:
                self.unsupported(n, "labelled loops")
            self.emit(ind, f"while {self.expr(n.cond) if n.cond is not None else 'True'}:")
            ct, self.live_temps = self.live_temps, []
            self.loops.append([n.post] if n.post is not None else [])
            self.branch(n.body or [], ind + 1, ct)
            post = self.loops.pop()
            for p in post:
                self.stmt(p, ind + 1)
            self.live_temps = ct  # cleared after the loop, when the condition fails
        elif op == "BLOCK":
            self.block(n.list or [], ind)
        elif op == "BREAK" or op == "CONTINUE":
            if n.label:
                self.unsupported(n, "labelled break/continue")
            if op == "CONTINUE":
                for p in self.loops[-1]:
                    self.stmt(p, ind)
            self.emit(ind, op.lower())
        elif op == "RETURN":
            res = n.list or []
            if len(res) > 1:
                self.unsupported(n, "several results")
            if res:
                self.emit(ind, f"r = {self.expr(res[0])}")
            elif self.fn.results:
                self.emit(ind, f"r = {self.load_name(self.fn.results[0])}")
            self.emit(ind, "g.pop(f)")
            self.emit(ind, "return r" if (res or self.fn.results) else "return")
        elif op in ("CALLFUNC", "CALLMETH"):
            self.emit(ind, self.expr(n))
        else:
            self.unsupported(n, f"the statement {ir.fmt_stmt(n) if hasattr(ir, 'fmt_stmt') else op}")

    # -- names --------------------------------------------------------------------------------

    def name_cell(self, nm: Name) -> str:
        return self.word(self.slot[id(nm)])

    def load_name(self, nm: Name) -> str:
        nm = nm.canonical()
        if nm.cls == ir.PEXTERN:
            self.unsupported(nm, "package-level variables")
        if id(nm) in self.pg.moved:
            return self.load_mem(self.name_cell(nm), 0, nm.type, nil_check=False)
        if id(nm) in self.slot:
            return self.name_cell(nm)
        if id(nm) in self.pyname:
            return self.pyname[id(nm)]
        self.unsupported(nm, f"the variable {nm.sym}")

    def emit_store_name(self, nm: Name, val: str, ind: int) -> None:
        if id(nm) in self.pg.moved:
            self.emit(ind, self.store_mem(self.name_cell(nm), 0, nm.type, val, nil_check=False))
        elif id(nm) in self.slot:
            self.emit(ind, f"{self.name_cell(nm)} = {val}")
        else:
            self.emit(ind, f"{self.pyname[id(nm)]} = {val}")

    def assign(self, lhs: Node, val: str, ind: int) -> None:
        if isinstance(lhs, Name):
            nm = lhs.canonical()
            if nm.cls == ir.PEXTERN:
                self.unsupported(lhs, "package-level variables")
            self.declare(nm)
            self.emit_store_name(nm, val, ind)
        elif lhs.op == "DOTPTR":
            self.emit(ind, self.store_mem(self.expr(lhs.x), self.field_off(lhs), lhs.type, val))
        elif lhs.op == "DEREF":
            self.emit(ind, self.store_mem(self.expr(lhs.x), 0, lhs.type, val))
        else:
            self.unsupported(lhs, f"assignment to {lhs.op.lower()}")

    # -- memory -------------------------------------------------------------------------------

    def load_mem(self, addr: str, off: int, t: T.Type, nil_check: bool = True) -> str:
        a = f"nilcheck({addr})" if nil_check else addr
        w = f"W[({a} - B + {off}) >> 3]"
        k = t.u.kind
        if k == "bool":
            return f"({w} != 0)"
        if k in INT_BITS and not k.startswith("u") and INT_BITS[k] == 64:
            return f"s64({w})"
        if is_pointer(t) or k in ("uint", "uint64", "uintptr"):
            return w
        self.unsupported(None, f"a field of type {t}")

    def store_mem(self, addr: str, off: int, t: T.Type, val: str, nil_check: bool = True) -> str:
        a = f"nilcheck({addr})" if nil_check else addr
        if is_pointer(t):
            return f"g.write_slot({a} + {off}, {val})"
        w = f"W[({a} - B + {off}) >> 3]"
        k = t.u.kind
        if k == "bool":
            return f"{w} = 1 if {val} else 0"
        if k in INT_BITS and INT_BITS[k] == 64:
            return f"{w} = ({val}) & 0xFFFFFFFFFFFFFFFF"
        self.unsupported(None, f"a field of type {t}")

    # -- expressions --------------------------------------------------------------------------

    def expr(self, n: Node) -> str:
        op = n.op
        if isinstance(n, Name):
            return self.load_name(n)
        if op == "LITERAL":
            v = n.val
            if isinstance(v, bool):
                return repr(v)
            if isinstance(v, int):
                return repr(v)
            if isinstance(v, str):
                return repr(v)
            self.unsupported(n, f"the constant {v!r}")
        if op == "NIL":
            if is_pointer(n.type):
                return "0"
            self.unsupported(n, f"nil of type {n.type}")
        if op in ARITH:
            return _wrap(f"{self.expr(n.x)} {ARITH[op]} {self.expr(n.y)}", n.type)
        if op == "ANDNOT":
            return _wrap(f"{self.expr(n.x)} & ~{self.expr(n.y)}", n.type)
        if op == "LSH":
            return _wrap(f"shl({self.expr(n.x)}, {self.expr(n.y)})", n.type)
        if op == "RSH":
            return f"shr({self.expr(n.x)}, {self.expr(n.y)})"
        if op in ("DIV", "MOD"):
            fn = "idiv" if op == "DIV" else "imod"
            return _wrap(f"{fn}({self.expr(n.x)}, {self.expr(n.y)})", n.type)
        if op in CMP:
            return f"({self.expr(n.x)} {CMP[op]} {self.expr(n.y)})"
        if op == "ANDAND":
            return f"({self.expr(n.x)} and {self.expr(n.y)})"
        if op == "OROR":
            return f"({self.expr(n.x)} or {self.expr(n.y)})"
        if op == "NOT":
            return f"(not {self.expr(n.x)})"
        if op == "NEG":
            return _wrap(f"-{self.expr(n.x)}", n.type)
        if op == "PLUS":
            return self.expr(n.x)
        if op == "PAREN":
            return self.expr(n.x)
        if op in ("CONV", "CONVNOP"):
            if is_scalar(n.type) and is_scalar(n.x.type) and n.type.u.kind != "bool":
                return _wrap(self.expr(n.x), n.type)
            if is_pointer(n.type) and is_pointer(n.x.type):
                return self.expr(n.x)
            self.unsupported(n, f"the conversion from {n.x.type} to {n.type}")
        if op == "DOTPTR":
            return self.load_mem(self.expr(n.x), self.field_off(n), n.type)
        if op == "DEREF":
            return self.load_mem(self.expr(n.x), 0, n.type)
        if op == "PTRLIT":
            return self.ptrlit(n)
        if op == "ADDR" and isinstance(n.x, Name) and id(n.x.canonical()) in self.pg.moved:
            return self.name_cell(n.x.canonical())
        if op == "NEW":
            return self.new_object(n, n.type.elem(), [])
        if op in ("CALLFUNC", "CALLMETH"):
            return self.call(n)
        self.unsupported(n, f"the expression {ir.fmt_node(n)}")

    def spill(self, val: str) -> str:
        """*val*, a pointer, written to a fresh frame temporary (a root until the statement ends)."""
        t = self.temp()
        return f"tmp(f, OFF_{self.fn_id}_{t}, {val})"

    def call(self, n: Node) -> str:
        fun = n.fun
        target: Optional[Func] = None
        if fun.op == "METHEXPR":
            target = fun.method
        elif isinstance(fun, Name) and fun.cls == ir.PFUNC:
            target = fun.fn
            if target is None or fun.pkgname or getattr(target, "stub", False):
                return self.pg.lib.call(self, n, fun)
        if target is None or target.stub or not target.has_body:
            self.unsupported(n, f"calling {ir.fmt_node(fun)}")
        args = []
        for a in n.args or []:
            v = self.expr(a)
            if is_pointer(a.type) and not _rooted(a):
                v = self.spill(v)
            args.append(v)
        call = f"{self.pg.func_id(target)}(g{''.join(', ' + a for a in args)})"
        if n.type is not None and is_pointer(n.type):
            return self.spill(call)
        return call

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
            kind = "p" if is_pointer(e.field.type) else ("b" if e.field.type.u.kind == "bool" else "i")
            if kind == "i" and INT_BITS.get(e.field.type.u.kind) != 64:
                self.unsupported(e, f"a field of type {e.field.type}")
            stores.append(f"({fld.offset}, {kind!r}, {v})")
        tref = self.pg.type_ref(gt)
        if id(n) in self.pg.heap_allocs:
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
        self.registry = gotypes.TypeRegistry("main")
        self.types: dict[int, str] = {}
        self.type_objs: dict[str, gotypes.GoType] = {}
        self.ids: dict[int, str] = {}
        for i, fn in enumerate(prog.funcs):
            self.ids[id(fn)] = f"F{i}_" + "".join(c if c.isalnum() else "_" for c in fn.name)

    def func_id(self, fn: Func) -> str:
        return self.ids[id(fn)]

    def rtype(self, t: T.Type, where) -> gotypes.GoType:
        """The runtime type descriptor of the front end's type *t*."""
        self._declare_named(t, where)
        try:
            return self.registry.parse(str(t))
        except Exception as e:  # a type the runtime's registry cannot spell
            raise Unsupported(getattr(where, "pos", (1, 1)), f"gomem cannot run this yet: the type {t} ({e})")

    def _declare_named(self, t: T.Type, where, seen=None) -> None:
        seen = set() if seen is None else seen
        if id(t) in seen:
            return
        seen.add(id(t))
        if isinstance(t, T.Named):
            if not t.local:
                raise Unsupported(getattr(where, "pos", (1, 1)), f"gomem cannot run this yet: the type {t}")
            if t.name not in self.registry:
                for f in getattr(t.u, "fields", []):
                    self._declare_named(f.type, where, seen)
                self.registry.declare(t.name, str(t.u))
            return
        for attr in ("elem_type",):
            e = getattr(t, attr, None)
            if e is not None:
                self._declare_named(e, where, seen)
        for f in getattr(t, "fields", []) or []:
            self._declare_named(f.type, where, seen)

    def type_ref(self, gt: gotypes.GoType) -> str:
        name = f"TYPE{gt.id}"
        self.type_objs[name] = gt
        return name

    def generate(self) -> tuple[str, dict]:
        """Python source of every function, and the names it refers to."""
        src = []
        env: dict = {}
        for fn in self.prog.funcs:
            if fn.stub or not fn.has_body:
                continue
            if fn.oclosure is not None or fn.wrapper:
                raise Unsupported(fn.pos, "gomem cannot run this yet: function literals and go/defer")
            if fn.is_init:
                raise Unsupported(fn.pos, "gomem cannot run this yet: init functions")
            fg = FuncGen(self, fn)
            fid = self.func_id(fn)
            code = fg.generate(fid)
            frame = gotypes.struct_of(fg.frame_fields) if fg.frame_fields else gotypes.struct_of([])
            env[f"FRAME_{fid}"] = frame
            for fname, _ in fg.frame_fields:
                env[f"OFF_{fid}_{fname}"] = frame.field(fname).offset
            src.append(code)
        env.update(self.type_objs)
        return "\n".join(src), env


def _rooted(x: Node) -> bool:
    """Whether the pointer *x* evaluates to is already held where the collector sees it."""
    return isinstance(x, Name) or x.op in ("NIL", "CALLFUNC", "CALLMETH", "PTRLIT", "NEW")


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
