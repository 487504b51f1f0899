"""Code generation for interfaces: conversions, assertions, type switches and method calls through itabs.

:class:`IfaceTables` is the program's side (the compiler's ``reflectdata``):
every type the program converts to an interface gets a descriptor name
``TDi``, every interface type an id, every static (interface, type) pair
an itab name ``ITk``; for every method in a dynamic type's method set it
writes a wrapper taking the interface's data word (``MWn``, the itab
entry: Go's ``(*T).M`` wrappers for value methods, the embedded-field
walks of promoted methods) and one taking the value (``MVn``, what fmt
calls for ``String``/``Error``).  :class:`IfaceGen` is the function's side,
mixed into :class:`~.codegen.FuncGen`.

The data word of a conversion is ``walk/convert.go``'s ``dataWord``: the
value itself when it is pointer-shaped; ``zerobase`` for zero-size values;
``staticuint64s`` for bools and one-byte values; a read-only copy for a
constant; a stack temporary when the escape analysis keeps the
conversion on the stack; else ``convT16/32/64`` (no allocation below 256),
``convTstring``, ``convTslice`` or ``convT``/``convTnoptr`` (a heap copy).
"""

from __future__ import annotations

import struct
from typing import Optional

from ..runtime import types as gotypes
from . import types as T
from .ir import Func, Name, Node
from . import layout as L

# The standard library's error types the model makes (errors.New, fmt.Errorf).
ERROR_STRING = T.Named("errorString", "errors", "errors", False)
ERROR_STRING.under = T.Struct([T.Field("s", T.STRING)])
ERROR_STRING_PTR = T.Pointer(ERROR_STRING)
WRAP_ERROR = T.Named("wrapError", "fmt", "fmt", False)
WRAP_ERROR.under = T.Struct([T.Field("msg", T.STRING), T.Field("err", T.ERROR)])
WRAP_ERROR_PTR = T.Pointer(WRAP_ERROR)


#: walk's limit for a non-escaping conversion's stack temporary
MAX_STACK_TEMP = 1024


def is_static_composite(x: Node) -> bool:
    """``isStaticCompositeLiteral``: a struct or array literal of constants (nested ones too)."""
    if x.op in ("LITERAL", "NIL"):
        return True
    if x.op == "STRUCTLIT":
        return all(is_static_composite(e.value) for e in x.list or [])
    if x.op == "ARRAYLIT":
        return all(is_static_composite(e.value if e.op == "KEY" else e) for e in x.list or [])
    if x.op == "CONVIFACE":
        while x.op == "CONVIFACE":
            x = x.x
        if is_iface(x.type):
            return x.op == "NIL"
        return is_static_composite(x)
    return False


def is_iface(t: T.Type) -> bool:
    return t.u.kind == "iface"


def direct_from_word(t: T.Type, w: str) -> str:
    """The value form of a pointer-shaped *t* held in the data word *w*."""
    u = t.u
    if u.kind == "struct":
        return f"({direct_from_word(u.fields[0].type, w)},)"
    if u.kind == "array":
        return f"({direct_from_word(u.elem_type, w)},)"
    return w


def word_from_direct(t: T.Type, v: str) -> str:
    """The data word of the pointer-shaped value *v* of type *t*."""
    u = t.u
    if u.kind == "struct":
        return word_from_direct(u.fields[0].type, f"{v}[0]")
    if u.kind == "array":
        return word_from_direct(u.elem_type, f"{v}[0]")
    return v


class IfaceMethod:
    """A method promoted from an embedded interface field: the *k*-th of its interface's itab."""

    stub, has_body = False, True

    def __init__(self, k: int, nparams: int) -> None:
        self.k = k
        self.nparams = nparams


def method_set(d: T.Type) -> dict[str, tuple[Func, list]]:
    """The methods of *d* callable through an interface, with the embedded fields walked to reach each:
    name -> (method, [(struct type, field index), ...]).  The shallowest depth wins; two at the same depth
    are ambiguous and neither is in the set, as the spec says.  A method promoted from an embedded
    interface field is an :class:`IfaceMethod` (its wrapper calls through the field's itab)."""
    is_ptr = d.u.kind == "ptr" and not isinstance(d, T.Named)
    base = d.elem() if is_ptr else d
    out: dict[str, tuple] = {}
    blocked: set[str] = set()
    level = [(base, [], is_ptr)]
    for _ in range(16):
        if not level:
            break
        found: dict[str, list] = {}
        nxt = []
        for t, path, addressable in level:
            if isinstance(t, T.Named):
                for name, fn in t.methods.items():
                    if not isinstance(fn, Func):
                        continue
                    if fn.recv is not None and fn.recv.type.u.kind == "ptr" and not isinstance(fn.recv.type, T.Named) \
                            and not addressable:
                        continue
                    found.setdefault(name, []).append((fn, path))
            u = t.u
            if u.kind == "iface" and path:  # an embedded interface field: its methods are promoted
                for k, m in enumerate(u.all_methods()):
                    found.setdefault(m.name, []).append((IfaceMethod(k, len(m.sig.params)), path))
            if isinstance(u, T.Struct):
                for i, f in enumerate(u.fields):
                    if f.embedded:
                        if f.type.u.kind == "ptr":
                            nxt.append((f.type.elem(), path + [(t, i)], True))
                        else:
                            nxt.append((f.type, path + [(t, i)], addressable))
        for name, cands in found.items():
            if name in out or name in blocked:
                continue
            if len(cands) == 1:
                out[name] = cands[0]
            else:
                blocked.add(name)
        level = nxt
    return out


class IfaceTables:
    """The program's type descriptors, interface ids and static itabs, and the method wrappers."""

    def __init__(self, pg):
        self.pg = pg
        self.types: list[T.Type] = []
        self.ifaces: list[T.Type] = []
        self.itabs: dict[tuple[int, int], str] = {}
        self.ro_values: list[tuple[str, T.Type, object]] = []
        self.native: dict[int, dict[str, tuple[str, str]]] = {}  # type index -> name -> (MW, MV) source names
        self._n = 0

    def td(self, t: T.Type) -> str:
        """The name of *t*'s descriptor address."""
        return f"TD{self.type_index(t)}"

    def type_index(self, t: T.Type) -> int:
        for i, c in enumerate(self.types):
            if c is t or T.identical(c, t):
                return i
        self.pg.layouts._keep.append(t)
        self.types.append(t)
        return len(self.types) - 1

    def register_methods(self, t: T.Type, _seen=None) -> None:
        """Give every type with methods inside *t* (itself, fields, elements) a descriptor, so that fmt
        finds its String and Error methods."""
        seen = _seen if _seen is not None else set()
        if id(t) in seen:
            return
        seen.add(id(t))
        if method_set(t):
            self.type_index(t)
        u = t.u
        if u.kind == "struct":
            for f in u.fields:
                self.register_methods(f.type, seen)
        elif u.kind in ("slice", "array", "ptr"):
            self.register_methods(u.elem_type, seen)
        elif u.kind == "map":
            self.register_methods(u.key, seen)
            self.register_methods(u.elem_type, seen)

    def runtime_errors(self) -> None:
        """The model's runtime.Error type (what recover() returns for the runtime's own panics)."""
        if getattr(self, "_runtime_errors", False):
            return
        self._runtime_errors = True
        from ..runtime.defers import PLAIN_ERROR, RUNTIME_ERROR

        load = self.pg.layouts.load("d", T.STRING)
        self.native_method(RUNTIME_ERROR, "Error", [f"return newstring(g, gostr({load}), 0)"],
                           ["return newstring(g, gostr(v), 0)"])
        self.native_method(PLAIN_ERROR, "Error", [f"return {load}"], ["return v"])

    def iface_id(self, t: T.Type) -> int:
        for i, c in enumerate(self.ifaces):
            if c is t or T.identical(c, t):
                return i
        self.ifaces.append(t)
        return len(self.ifaces) - 1

    def tab(self, iface: T.Type, t: T.Type) -> str:
        """The type word of a *t* converted to *iface*: its descriptor, or the static itab."""
        if iface.u.is_empty():
            return self.td(t)
        key = (self.iface_id(iface), self.type_index(t))
        name = self.itabs.get(key)
        if name is None:
            name = self.itabs[key] = f"IT{len(self.itabs)}"
        return name

    def ro_value(self, t: T.Type, v) -> str:
        """A read-only copy of the constant *v* (the data word of a constant converted to an interface)."""
        name = f"ROV{len(self.ro_values)}"
        self.ro_values.append((name, t, v))
        return name

    def native_method(self, t: T.Type, name: str, lines_word: list[str], lines_value: list[str], nargs: int = 0):
        """A method of a standard-library type written directly as Python (its body lines, using ``d`` or ``v``)."""
        i = self.type_index(t)
        mw, mv = self._fresh("MW"), self._fresh("MV")
        args = "".join(f", a{k}" for k in range(nargs))
        self.pg.layouts.funcs.append("\n".join([f"def {mw}(g, d{args}):"] + ["    " + x for x in lines_word]) + "\n")
        self.pg.layouts.funcs.append("\n".join([f"def {mv}(g, v{args}):"] + ["    " + x for x in lines_value]) + "\n")
        self.native.setdefault(i, {})[name] = (mw, mv)

    def _fresh(self, prefix: str) -> str:
        self._n += 1
        return f"{prefix}{self._n}"

    # -- the wrappers ------------------------------------------------------------------------------

    def generate(self, env: dict) -> None:
        lay = self.pg.layouts
        types_out = []
        k = 0
        while k < len(self.types):  # (a loader may not add types, but be safe)
            t = self.types[k]
            loader = f"DL_{self.td(t)}"
            if T.is_direct_iface(t):
                body = direct_from_word(t, "d")
            elif t.size() == 0:
                body = L.zero(t)
            else:
                body = lay.load("d", t)
            lay.funcs.append(f"def {loader}(d):\n    return {body}\n")
            mw: dict[str, str] = {}
            mv: dict[str, str] = {}
            for name, (fn, path) in method_set(t).items():
                if fn.stub or not fn.has_body:
                    continue
                mw[name] = self._wrapper(t, fn, path, by_word=True)
                mv[name] = self._wrapper(t, fn, path, by_word=False)
            for name, (w, v) in self.native.get(k, {}).items():
                mw[name], mv[name] = w, v
            types_out.append((self.td(t), t, loader, mw, mv))
            k += 1
        env["IFACE_TABLES"] = {
            "types": types_out,
            "ifaces": dict(enumerate(self.ifaces)),
            "itabs": [(name, i, f"TD{j}") for (i, j), name in self.itabs.items()],
            "ro_values": [(name, t, _ro_bytes(t, v)) for name, t, v in self.ro_values],
        }

    def _wrapper(self, d: T.Type, fn: Func, path: list, by_word: bool) -> str:
        """Python source of one method wrapper: ``(g, d, args)`` from the data word, or ``(g, v, args)``
        from the value form of *d*; it walks the embedded fields of *path* and calls the method."""
        lay = self.pg.layouts
        name = self._fresh("MW" if by_word else "MV")
        nargs = fn.nparams if isinstance(fn, IfaceMethod) else len(fn.params)
        args = "".join(f", a{i}" for i in range(nargs))
        lines = [f"def {name}(g, {'d' if by_word else 'v'}{args}):"]
        is_ptr = d.u.kind == "ptr" and not isinstance(d, T.Named)
        src = "d" if by_word else "v"
        if is_ptr:
            mode, e, cur = "a", src, d.elem()
        elif by_word and not T.is_direct_iface(d):
            mode, e, cur = "a", src, d
        elif by_word:
            mode, e, cur = "v", direct_from_word(d, src), d
        else:
            mode, e, cur = "v", src, d
        recv_t = path[-1][0].u.fields[path[-1][1]].type if isinstance(fn, IfaceMethod) else fn.recv.type
        ptr_recv = recv_t.u.kind == "ptr" and not isinstance(recv_t, T.Named)
        if is_ptr and not path and not ptr_recv:
            # Go's (*T).M wrapper of a value method: a nil pointer panics with panicwrap's words
            owner = type_string_of(recv_t)
            pkg, _, tname = owner.rpartition(".")
            lines.append(f"    if {e} == 0: raise GoPanic('value method {owner}.{fn.name.split('.')[-1]} "
                         f"called using nil *{tname} pointer')")
        from_ptr = is_ptr  # e came from a pointer: nil-checked before it is offset or loaded
        for st, i in path:
            off = L.field_offsets(st.u)[i]
            ft = st.u.fields[i].type
            if mode == "a":
                a = f"nilcheck({e})" if from_ptr else e
                a = f"{a} + {off}" if off else a
                if ft.u.kind == "ptr":
                    e, cur, from_ptr = f"W[({a} - B) >> 3]", ft.elem(), True
                else:
                    e, cur, from_ptr = a, ft, False
            elif ft.u.kind == "ptr":
                mode, e, cur, from_ptr = "a", f"{e}[{i}]", ft.elem(), True
            else:
                e, cur = f"{e}[{i}]", ft
        if ptr_recv:
            recv = e
        elif mode == "a":
            recv = lay.load(f"nilcheck({e})" if from_ptr else e, recv_t)
        else:
            recv = e
        if isinstance(fn, IfaceMethod):  # the embedded interface's method, through its itab
            lines.append(f"    x = {recv}")
            lines.append(f"    return ITF[x[0]][{fn.k}](g, x[1]{args})")
        else:
            lines.append(f"    return {self.pg.func_id(fn)}(g, {recv}{args})")
        lay.funcs.append("\n".join(lines) + "\n")
        return name


def type_string_of(t: T.Type) -> str:
    from ..std.fmt import type_string

    return type_string(t.elem() if t.u.kind == "ptr" and not isinstance(t, T.Named) else t)


def _ro_bytes(t: T.Type, v) -> object:
    """The memory form of the constant *v* of type *t* (a string stays a str: its header is made at start)."""
    if v is None:  # a static composite literal: stored by the conversion itself
        return bytes(t.size())
    k = t.u.kind
    if k == "string":
        return v
    if k == "bool":
        return bytes([1 if v else 0])
    if k in ("float64", "untyped float"):
        return struct.pack("<d", float(v))
    if k == "float32":
        return struct.pack("<f", float(v))
    size = t.size()
    return (int(v) & ((1 << (8 * size)) - 1)).to_bytes(size, "little")


class IfaceGen:
    """The interface operations of one function (a mixin of FuncGen)."""

    def conv_iface(self, n: Node) -> str:
        """``CONVIFACE``: the interface value ``(type word, data word)`` of ``n.x`` converted to ``n.type``."""
        x = n.x
        st = x.type
        dst = n.type
        tables = self.pg.ifaces
        if is_iface(st):
            v = self.expr(x)
            if dst.u.is_empty():
                return v if st.u.is_empty() else f"e_of_i({v})"
            return f"i2i({tables.iface_id(dst)}, {v})"
        if st.u.kind.startswith("untyped"):
            if x.op == "NIL":
                return "(0, 0)"
            self.unsupported(x, f"an interface holding an {st}")
        self.check_type(st)
        tab = tables.tab(dst, st)
        return self.spill_val(f"({tab}, {self.data_word(n, x)})", dst)

    def data_word(self, conv: Node, x: Node) -> str:
        t = x.type
        tables = self.pg.ifaces
        if T.is_direct_iface(t):
            return word_from_direct(t, self.arg_val(x))
        size = t.size()
        f = L.form(t)
        if size == 0:
            return "ZEROBASE"
        if f == L.BOOL:
            return f"(STATICBYTES + (8 if {self.expr(x)} else 0))"
        if f == L.INT and size == 1:
            return f"(STATICBYTES + ({self.expr(x)} & 255) * 8)"
        if x.op == "LITERAL":
            return tables.ro_value(t, x.val)
        v = self.arg_val(x)
        gt = self.pg.rtype(t, x)
        if is_static_composite(x):
            # order.go's addrTemp: a static composite literal becomes a read-only global
            st = self.pg.layouts.storer(t, False) if self.in_memory_type(t) else self.pg.elem_storer(t)
            return f"ro_store({tables.ro_value(t, None)}, {st}, g, {v})"
        if id(conv) not in self.pg.heap_allocs and size <= MAX_STACK_TEMP:
            field = self.add_field(gt)
            st = self.pg.layouts.storer(t, False) if self.in_memory_type(t) else self.pg.elem_storer(t)
            return f"conv_stack({st}, g, {v}, f, OFF_{self.fn_id}_{field})"
        if not gt.ptrdata and size in (2, 4, 8) and t.align() == size:
            if f == L.INT:
                return f"convT_small(g, {v} & {(1 << (8 * size)) - 1}, {size})"
            if f == L.FLOAT:
                return f"convT_f64(g, {v})" if size == 8 else f"convT_f32(g, {v})"
            return f"convT_small(g, value_bits({self.pg.ftype_ref(t)}, {v}), {size})"
        if f == L.STRING:
            return f"convTstring(g, {v})"
        if f == L.SLICE:
            return f"convTslice(g, {v})"
        rt = self.pg.type_ref(gt) if gt.ptrdata else "None"
        return f"convT(g, {size}, {rt}, {self.pg.layouts.storer(t, True)}, {v})"

    def dottype(self, n: Node, commaok: bool) -> str:
        """``x.(T)``: the value (a TypeAssertionError panic on failure), or with *commaok* ``(value, ok)``."""
        src = n.x.type
        target = n.type
        tables = self.pg.ifaces
        v = self.expr(n.x)
        srcft = self.pg.ftype_ref(src)
        tft = self.pg.ftype_ref(target)
        if is_iface(target):
            if target.u.is_empty():
                return f"assert_E({v}, {src.u.is_empty()}, {srcft}, {tft}, {commaok})"
            return f"assert_I({v}, {src.u.is_empty()}, {tables.iface_id(target)}, {srcft}, {tft}, {commaok})"
        self.check_type(target)
        td = tables.td(target)
        z = L.zero(target)
        if src.u.is_empty():
            return f"assert_T({v}, {td}, DL_{td}, {z}, {srcft}, {tft}, {commaok})"
        return f"assert_T(i_typed({v}), {td}, DL_{td}, {z}, {srcft}, {tft}, {commaok})"

    def type_switch(self, n: Node, ind: int) -> None:
        guard = n.guard
        xt = guard.x.type
        tables = self.pg.ifaces
        v = self.pytmp()
        self.emit(ind, f"{v} = {self.spill_val(self.expr(guard.x), xt)}")
        typ = self.pytmp()
        self.emit(ind, f"{typ} = {v}[0]" if xt.u.is_empty() else f"{typ} = DYN[{v}[0]]")
        target, ind = self.open_switch(n, ind)
        first = True
        default = None
        for c in n.cases or []:
            if not c.list:
                default = c
                continue
            conds = []
            for e in c.list:
                if e.op == "NIL":
                    conds.append(f"{typ} == 0")
                elif is_iface(e.type):
                    if e.type.u.is_empty():
                        conds.append(f"{typ} != 0")
                    else:
                        conds.append(f"({typ} != 0 and getitab({tables.iface_id(e.type)}, {typ}, True) != 0)")
                else:
                    self.check_type(e.type)
                    conds.append(f"{typ} == {tables.td(e.type)}")
            self.emit(ind, f"{'if' if first else 'elif'} {' or '.join(conds)}:")
            first = False
            self.bind_case_var(c, v, typ, xt, ind + 1)
            self.case_body(c, ind + 1)
        if default is not None:
            if first:
                self.bind_case_var(default, v, typ, xt, ind)
                self.case_body(default, ind)
            else:
                self.emit(ind, "else:")
                self.bind_case_var(default, v, typ, xt, ind + 1)
                self.case_body(default, ind + 1)
        self.close_switch(target, ind)

    def bind_case_var(self, c: Node, v: str, typ: str, xt: T.Type, ind: int) -> None:
        cv: Optional[Name] = c.cvar
        if cv is None:
            return
        ct = cv.type
        tables = self.pg.ifaces
        if is_iface(ct) and T.identical(ct, xt):
            val = v
        elif is_iface(ct):
            val = f"({typ}, {v}[1])" if ct.u.is_empty() else f"(getitab({tables.iface_id(ct)}, {typ}, False), {v}[1])"
        else:
            td = tables.td(ct)
            val = f"DL_{td}({v}[1])"
        self.assign(cv, val, ind)

    def call_inter(self, n: Node) -> str:
        """A method call through an interface: the k-th entry of the itab, given the data word."""
        fun = n.fun
        recv = fun.x
        it = recv.type
        names = [m.name for m in it.u.all_methods()]
        k = names.index(fun.sel)
        r = self.pytmp()
        head = f"({r} := {self.arg_val(recv)})"
        return f"ITF[{head}[0]][{k}](g{self.call_args(n.args or [], first=f'{r}[1]')})"
