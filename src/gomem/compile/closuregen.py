"""Code generation for function values: closures, method values, calls through func values, defer.

A func value is one word, the address of a *funcval*: a code word followed
by the captured variables (``cmd/compile/internal/walk/closure.go``).  A
variable captured by value is copied into the funcval; one captured by
reference is a pointer to the variable (its heap cell when the escape
analysis moved it, else its slot in the creating frame).  A function
literal that captures nothing, and a top-level function used as a value,
is a static funcval in read-only data (``main.f·f``): no allocation.  A
closure that does not escape is a stack object of the creating frame;
one that escapes is a heap object of the closure's struct type.  A method
value ``x.M`` is a funcval ``{code, receiver copy}`` (``T.M-fm``).

Code words are addresses in read-only data; ``CODE[word]`` is the Python
function, called as ``(g, funcval, args...)`` (the funcval is Go's closure
context register).  A generated closure body keeps its funcval in a frame
slot, so the collector sees it and a stack copy adjusts it.
"""

from __future__ import annotations

from ..runtime import types as gotypes
from . import types as T
from .ir import Func, Name, Node
from . import layout as L


def closure_vars(fn: Func) -> list[tuple[Name, int, bool]]:
    """The captured variables of a function literal: (variable, offset in the funcval, captured by value)."""
    out = []
    off = 8
    for cv in fn.closure_vars:
        byval = cv.canonical().byval
        t = cv.type
        if byval:
            a = t.align()
            off = (off + a - 1) // a * a
            out.append((cv, off, True))
            off += t.size()
        else:
            off = (off + 7) // 8 * 8
            out.append((cv, off, False))
            off += 8
    return out


class ClosureTables:
    """The program's code words, static funcvals, closure struct types and method-value wrappers."""

    def __init__(self, pg):
        self.pg = pg
        self.code: dict[str, str] = {}  # code-word name -> Python function name
        self.funcvals: dict[str, str] = {}  # static funcval name -> code-word name
        self._by_target: dict[tuple, str] = {}
        self.types: dict[int, gotypes.GoType] = {}

    def code_word(self, pyname: str) -> str:
        name = self._by_target.get(("code", pyname))
        if name is None:
            name = self._by_target[("code", pyname)] = f"CA{len(self.code)}"
            self.code[name] = pyname
        return name

    def static_funcval(self, pyname: str) -> str:
        """The read-only funcval of a function that captures nothing (code called as (g, fv, args))."""
        key = ("fv", pyname)
        name = self._by_target.get(key)
        if name is None:
            name = self._by_target[key] = f"FV{len(self.funcvals)}"
            self.funcvals[name] = self.code_word(pyname)
        return name

    def func_value(self, fn: Func) -> str:
        """A top-level function used as a value: a static funcval whose code drops the context."""
        key = ("top", id(fn))
        w = self._by_target.get(key)
        if w is None:
            w = self._by_target[key] = f"FW_{self.pg.func_id(fn)}"
            n = len(fn.params)
            args = "".join(f", a{i}" for i in range(n))
            self.pg.layouts.funcs.append(f"def {w}(g, cl{args}):\n    return {self.pg.func_id(fn)}(g{args})\n")
        return self.static_funcval(w)

    def stdlib_func_value(self, name: str, pos) -> str:
        """A standard-library function as a value: its funcval exists (``%T`` and comparisons with nil work),
        but calling it stops the run with gomem's one line (the model's library is compiled per call site)."""
        key = ("std", name)
        w = self._by_target.get(key)
        if w is None:
            w = self._by_target[key] = f"FS{len(self._by_target)}"
            files = getattr(getattr(self.pg.prog, "_checker", None), "files", None)
            if pos and files is not None and len(files.files) > 1:
                where = f"{files.fmt(pos)}: "  # a package of several files: which file
            else:
                where = f"{pos[0]}:{pos[1]}: " if pos else ""
            self.pg.layouts.funcs.append(
                f"def {w}(g, cl, *a):\n    raise BadInput({where + 'gomem cannot run this yet: calling ' + name + ' through a func value'!r})\n")
        return self.static_funcval(w)

    def closure_type(self, fn: Func) -> gotypes.GoType:
        """The funcval struct of a function literal: the code word, then each capture."""
        gt = self.types.get(id(fn))
        if gt is None:
            fields = [("F", gotypes.UINTPTR)]
            for cv, off, byval in closure_vars(fn):
                fields.append((f"v{len(fields)}", self.pg.rtype(cv.type, cv) if byval else gotypes.UNSAFE_POINTER))
            gt = self.types[id(fn)] = gotypes.struct_of(fields)
        return gt

    def generate(self, env: dict) -> None:
        env["CLOSURE_TABLES"] = {"code": dict(self.code), "funcvals": dict(self.funcvals)}


class ClosureGen:
    """Function values in one function (a mixin of FuncGen)."""

    def closure_var(self, n) -> tuple[int, bool] | None:
        """(offset, by value) if *n* is a variable this function literal captured."""
        return self.cvars.get(id(n)) if isinstance(n, Name) else None

    def closure_base(self) -> str:
        return self.word(self.clslot)

    def cv_load(self, n: Name) -> str:
        off, byval = self.cvars[id(n)]
        lay = self.pg.layouts
        if byval:
            return lay.load(f"{self.closure_base()} + {off}", n.type)
        return lay.load(f"W[({self.closure_base()} + {off} - B) >> 3]", n.type)

    def cv_addr(self, n: Name) -> str:
        off, byval = self.cvars[id(n)]
        if byval:
            return f"{self.closure_base()} + {off}"
        return f"W[({self.closure_base()} + {off} - B) >> 3]"

    def var_addr(self, nm: Name) -> str:
        """The address of a variable of this function (captured by reference by a literal it creates)."""
        if id(nm) in self.cvars:
            return self.cv_addr(nm)
        nm = nm.canonical()
        self.declare(nm)
        if id(nm) in self.pg.moved:
            return self.name_cell(nm)
        if id(nm) in self.memloc:
            return self.faddr(self.memloc[id(nm)])
        if id(nm) in self.slot:
            return self.faddr(self.slot[id(nm)])
        self.unsupported(nm, f"capturing {nm.sym} by reference")

    def closure(self, n: Node) -> str:
        """A function literal's value."""
        fn = n.func
        tables = self.pg.closures
        fid = self.pg.func_id(fn)
        caps = closure_vars(fn)
        if not caps:
            return tables.static_funcval(fid)
        gt = tables.closure_type(fn)
        vals = []
        for cv, off, byval in caps:
            src = cv.outer
            if byval:
                v = self.load_name(src)
                vals.append((off, cv.type, v))
            else:
                vals.append((off, None, self.var_addr(src)))
        code = tables.code_word(fid)
        heap = id(n) in self.pg.heap_allocs or getattr(n, "heap", False)
        if heap:
            obj = f"g.new({self.pg.type_ref(gt)})"
        else:
            obj = f"stackobj(f, OFF_{self.fn_id}_{self.add_field(gt)}, {gt.size})"
        stores = []
        lay = self.pg.layouts
        for off, t, v in vals:
            if t is None:
                stores.append(f"({off}, 'p', {v})")
            elif L.form(t) == L.WORD:
                stores.append(f"({off}, 'p', {v})")
            else:
                stores.append(f"({off}, {self.pg.elem_storer(t) if not self.in_memory_type(t) else lay.storer(t, True)}, "
                              f"{self.spill_val(v, t)})")
        fill = f"fill(g, ((0, 'i', {code}), {''.join(s + ', ' for s in stores)}), {obj})"
        return self.spill(fill)

    def in_memory_type(self, t) -> bool:
        return L.form(t) in (L.STRING, L.SLICE, L.IFACE, L.STRUCT, L.ARRAY)

    def method_value(self, n: Node) -> str:
        """``x.M`` as a value: a funcval holding a copy of the receiver (the ``-fm`` wrapper)."""
        fn: Func = n.method
        recv = n.x
        rt = recv.type
        tables = self.pg.closures
        key = ("fm", id(fn), id(rt))
        w = tables._by_target.get(key)
        lay = self.pg.layouts
        if w is None:
            w = tables._by_target[key] = f"FM{len(tables._by_target)}"
            args = "".join(f", a{i}" for i in range(len(fn.params)))
            rv = lay.load("cl + 8", fn.recv.type)
            lay.funcs.append(f"def {w}(g, cl{args}):\n    return {self.pg.func_id(fn)}(g, {rv}{args})\n")
        gt = gotypes.struct_of([("F", gotypes.UINTPTR), ("R", self.pg.rtype(fn.recv.type, recv))])
        code = tables.code_word(w)
        v = self.arg_val(recv)
        if id(n) in self.pg.heap_allocs:
            obj = f"g.new({self.pg.type_ref(gt)})"
        else:
            obj = f"stackobj(f, OFF_{self.fn_id}_{self.add_field(gt)}, {gt.size})"
        t = fn.recv.type
        st = "'p'" if L.form(t) == L.WORD else (lay.storer(t, True) if self.in_memory_type(t) else self.pg.elem_storer(t))
        return self.spill(f"fill(g, ((0, 'i', {code}), (8, {st}, {v})), {obj})")

    def method_expr(self, n: Node) -> str:
        """``T.M`` or ``(*T).M`` as a value: a static funcval whose code takes the receiver first (a value method
        through a pointer type derefs it, with panicwrap's words for nil)."""
        fn: Func = n.method
        if fn is None or fn.stub or not fn.has_body:
            self.unsupported(n, f"the method expression {n.sel} of a standard-library type")
        tables = self.pg.closures
        rt = n.x.type  # the receiver type the expression names
        key = ("mx", id(fn), id(rt))
        w = tables._by_target.get(key)
        if w is None:
            w = tables._by_target[key] = f"FX{len(tables._by_target)}"
            args = "".join(f", a{i}" for i in range(len(fn.params)))
            recv_t = fn.recv.type
            if rt.u.kind == "ptr" and recv_t.u.kind != "ptr":
                name = fn.name.split(".")[-1]
                tname = T.fmt_type(recv_t) if hasattr(T, "fmt_type") else str(recv_t)
                body = (f"    if r == 0: raise GoPanic('value method main.{tname}.{name} called using nil *{tname} "
                        f"pointer')\n    return {self.pg.func_id(fn)}(g, {self.pg.layouts.load('r', recv_t)}{args})\n")
            else:
                body = f"    return {self.pg.func_id(fn)}(g, r{args})\n"
            self.pg.layouts.funcs.append(f"def {w}(g, cl, r{args}):\n{body}")
        return tables.static_funcval(w)

    def call_value(self, n: Node) -> str:
        """A call through a func value: ``CODE[fv.F](g, fv, args)``."""
        fv = self.pytmp()
        head = f"({fv} := {self.arg_val(n.fun)})"
        return f"CODE[W[(nilcheck({head}) - B) >> 3]](g{self.call_args(n.args or [], first=fv)})"
