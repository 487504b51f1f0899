"""The standard-library calls this increment runs: ``fmt.Print*``, ``flag.Int``, ``flag.Parse``.

Each call allocates what Go's allocates where the program can see it:
``fmt``'s variadic ``...any`` argument packs each operand into an interface,
and ``runtime.convT64`` puts an integer outside ``staticuint64s`` (0..255)
in an 8-byte noscan object on the heap (through the tiny allocator) when the
escape analysis says the operand escapes, as it does for every fmt call.
``flag.Int`` returns a pointer to a heap ``int``.  What fmt allocates for
itself (its ``pp`` from a ``sync.Pool``, its buffer) is runtime start-up to
a first approximation and is not modelled in this increment.
"""

from __future__ import annotations

import struct

from . import types as T
from .check_base import Unsupported
from . import layout as L
from .libbits import BitsLib
from .libmetrics import MetricsLib
from .libstd import StdLib
from .libatomic import AtomicLib
from .libsync import SyncLib
from .libtime import TimeLib
from .libcontext import ContextLib
from ..runtime.panics import GoPanic

class _RawBytes(bytes):
    pass


class _RawTuple(tuple):
    pass


class _RawList(list):
    pass


_RAW = {bytes: _RawBytes, tuple: _RawTuple, list: _RawList}


def _with_raw(conv, raw, t, host):
    """fmt's value *conv*, carrying the generated code's value form *raw* when *t* has methods fmt may call."""
    if host.ns["IFACES"].info(t) is None:
        return conv
    c = _RAW[type(conv)](conv)
    c.raw = raw
    return c


class GrowthLog(bytearray):
    """A printer's buffer that notes its length after every piece appended (fmt's appends to pp.buf)."""

    def __init__(self):
        super().__init__()
        self.lens: list[int] = []

    def __iadd__(self, piece):
        bytearray.__iadd__(self, piece)
        self.lens.append(len(self))
        return self


#: methods of standard-library types fmt calls (``handleMethods``), by (package, type, method): the helper
#: the model runs for them, which allocates what Go's method allocates
NATIVE_METHODS = {("time", "Duration", "String"): "duration_String"}


class FmtHost:
    """What :mod:`gomem.std.fmt` reads from the running program: values in memory, methods.

    Operands reach fmt as ``(front-end type, value form)`` pairs (see :mod:`.layout`);
    :meth:`value` turns a value form into fmt's (strings as bytes, slices as lists of their
    elements read from the backing array, structs as tuples).  Methods are not yet run by
    this increment (no method sets reach fmt), so :meth:`method` finds none.
    """

    Panic = GoPanic

    def __init__(self, ns: dict):
        self.ns = ns
        self.B = ns["B"]
        self.membytes = ns["membytes"]
        self.layouts = ns["LAYOUTS"]
        self.g = None  # the goroutine whose fmt call is running
        #: the buffers of the printers made so far by the fmt call(s) running (nested for String methods)
        self.buffers: list[GrowthLog] = []

    def new_buffer(self) -> GrowthLog:
        b = GrowthLog()
        self.buffers.append(b)
        return b

    def value(self, t: T.Type, v):
        f = L.form(t)
        if t.u.kind == "map":  # its (key, elem) pairs; what fmtsort allocates is charged as fmt sorts them
            from ..runtime.maps import fmt_map_items
            return fmt_map_items(self, t, v)
        if f in (L.INT, L.BOOL, L.FLOAT, L.COMPLEX, L.WORD):
            return v
        if f == L.STRING:
            return _with_raw(self.membytes(v[0], v[1]), v, t, self)
        if f == L.SLICE:
            if v[0] == 0:
                return None
            et = t.u.elem_type
            if et.u.kind == "uint8":
                return _with_raw(self.membytes(v[0], v[1]), v, t, self)
            es = et.size()
            return _with_raw([self.deref(v[0] + i * es, et) for i in range(v[1])], v, t, self)
        if f == L.STRUCT:
            return _with_raw(tuple(self.value(fl.type, x) for fl, x in zip(t.u.fields, v)), v, t, self)
        if f == L.ARRAY:
            return _with_raw([self.value(t.u.elem_type, x) for x in v], v, t, self)
        if f == L.IFACE:
            dt, dv = self.ns["IFACES"].unbox(v[0], v[1])
            return (None, None) if dt is None else (dt, self.value(dt, dv))
        raise Unsupported(None, f"gomem cannot run this yet: formatting a value of type {t}")

    def load(self, addr: int, t: T.Type):
        """The value form of the *t* at *addr*."""
        ns = self.ns
        i = addr - self.B
        f = L.form(t)
        if f == L.INT:
            size, signed = L.int_info(t)
            return int.from_bytes(self.membytes(addr, size), "little", signed=signed) if size else 0
        if f == L.WORD:
            return ns["W"][i >> 3]
        if f == L.BOOL:
            return ns["U8"][i] != 0
        if f == L.FLOAT:
            return ns["F64"][i >> 3] if t.u.kind == "float64" else ns["F32"][i >> 2]
        if f == L.COMPLEX:
            if t.u.kind == "complex128":
                return complex(ns["F64"][i >> 3], ns["F64"][(i >> 3) + 1])
            return complex(ns["F32"][i >> 2], ns["F32"][(i >> 2) + 1])
        if f == L.STRING:
            return (ns["W"][i >> 3], ns["I64"][(i >> 3) + 1])
        if f == L.SLICE:
            return (ns["W"][i >> 3], ns["I64"][(i >> 3) + 1], ns["I64"][(i >> 3) + 2])
        if f == L.IFACE:
            return (ns["W"][i >> 3], ns["W"][(i >> 3) + 1])
        if f == L.STRUCT:
            return tuple(self.load(addr + off, fl.type) for fl, off in zip(t.u.fields, L.field_offsets(t.u)))
        if f == L.ARRAY:
            es = t.u.elem_type.size()
            return tuple(self.load(addr + k * es, t.u.elem_type) for k in range(t.u.n))
        raise Unsupported(None, f"gomem cannot run this yet: formatting a value of type {t}")

    def deref(self, addr: int, t: T.Type):
        return self.value(t, self.load(addr, t))

    def bits(self, t: T.Type, v) -> int:
        """The memory form of a small scalar-only value as an unsigned integer (convT16/32/64's test)."""
        f = L.form(t)
        if f == L.INT:
            return v & ((1 << (8 * t.size())) - 1)
        if f == L.BOOL:
            return int(v)
        if f == L.FLOAT:
            if t.u.kind == "float64":
                return struct.unpack("<Q", struct.pack("<d", v))[0]
            return struct.unpack("<I", struct.pack("<f", v))[0]
        if f == L.COMPLEX:  # complex64: two float32s
            return struct.unpack("<Q", struct.pack("<ff", v.real, v.imag))[0]
        if f in (L.STRUCT, L.ARRAY):
            parts = zip(L.field_offsets(t.u), [fl.type for fl in t.u.fields], v) if f == L.STRUCT else \
                ((k * t.u.elem_type.size(), t.u.elem_type, x) for k, x in enumerate(v))
            return sum(self.bits(ft, x) << (8 * off) for off, ft, x in parts)
        raise AssertionError(f)

    def interface_copy(self, t: T.Type) -> None:
        """``reflect.packEface`` of an addressable value: a heap copy, ``unsafe_New(t)``, unless *t* is
        pointer-shaped (stored in the interface word itself) or zero-size."""
        size = t.size()
        if size and not T.is_direct_iface(t):
            gt = self.layouts.rtype(t)
            self.g.alloc(size, gt if gt.ptrdata else None)

    def _method(self, t, name):
        native = NATIVE_METHODS.get((getattr(t, "pkg", None), getattr(t, "name", None), name))
        if native is not None:
            return self.ns[native]
        ti = self.ns["IFACES"].info(t)
        return None if ti is None else ti.value_methods.get(name)

    def method(self, t, v, name, *extra):
        """Call the program's method *name* of *t* on fmt's value *v* (its value form kept as ``raw``); the
        string it returns, as bytes.  Only String and Error (no Format or GoString methods reach fmt here)."""
        fn = self._method(t, name)
        if fn is None or extra:
            return None
        r = fn(self.g, getattr(v, "raw", v))
        return self.membytes(r[0], r[1])

    def has_method(self, t, name) -> bool:
        return self._method(t, name) is not None

    def values_equal(self, t, a, b) -> bool:
        """Go's == on two value forms of the comparable type *t* (strings by their bytes)."""
        f = L.form(t)
        if f == L.STRING:
            return a[1] == b[1] and self.membytes(a[0], a[1]) == self.membytes(b[0], b[1])
        if f == L.STRUCT:
            return all(self.values_equal(fl.type, x, y) for fl, x, y in zip(t.u.fields, a, b))
        if f == L.ARRAY:
            return all(self.values_equal(t.u.elem_type, x, y) for x, y in zip(a, b))
        if f == L.IFACE:
            return self.ns["IFACES"].equal(a, b, self.values_equal)
        return a == b


class Lib(ContextLib, AtomicLib, TimeLib, SyncLib, MetricsLib, BitsLib, StdLib):
    # -- fmt ----------------------------------------------------------------------------------

    def _operands(self, fg, n, first: int) -> str:
        """The ``...any`` operands as a tuple of ``box(...)`` calls: each makes the interface's data
        word as the compiler's ``dataWord`` does and hands fmt ``(dynamic type, value)``."""
        args = n.args or []
        if len(args) == first or (len(args) == first + 1 and args[first].op == "NIL"):
            return "()"  # no operands: the ... slice is nil
        if len(args) != first + 1 or args[first].op != "SLICELIT":
            raise Unsupported(n.pos, "gomem cannot run this yet: passing a slice to fmt with ...")
        out = []
        for e in args[first].list or []:
            if e.op != "CONVIFACE":  # already an interface: fmt unwraps it to its dynamic type
                out.append(f"({fg.pg.ftype_ref(e.type)}, {fg.arg_val(e)})")  # expr runs e's init
                continue
            for st in e.init or ():  # e.g. the autotmps of f(g()) where g returns several values (box
                fg.stmt1(st, fg.cur_ind)  # converts e.x: e's own statements go first)
            out.append(self.box(fg, e))
        return "(" + "".join(o + ", " for o in out) + ")"

    def box(self, fg, e) -> str:
        """One interface conversion (``walk/convert.go``'s dataWord): no allocation for pointer-shaped and
        zero-size values, bools and bytes (``staticuint64s``), constants (read-only data) and conversions
        that do not escape (a stack temporary); otherwise ``convT16/32/64`` (no allocation below 256),
        ``convTstring`` (none for ""), ``convTslice`` (none for a nil slice) or ``convT``/``convTnoptr``."""
        x = e.x
        t = x.type
        if t.u.kind.startswith("untyped"):
            if x.op == "NIL":
                return "(None, None)"
            raise Unsupported(x.pos, f"gomem cannot run this yet: an operand of {t}")
        fg.check_type(t)
        ft = fg.pg.ftype_ref(t)
        if t.u.kind == "iface":  # already an interface: fmt unwraps it to its dynamic type
            return f"({ft}, {fg.arg_val(x)})"
        fg.pg.ifaces.register_methods(t)
        v = fg.arg_val(x)
        f = L.form(t)
        size = t.size()
        is_byte = f == L.BOOL or (f == L.INT and size == 1)
        if (f == L.WORD or size == 0 or is_byte or x.op == "LITERAL" or id(e) not in fg.pg.heap_allocs):
            return f"({ft}, {v})"
        gt = fg.pg.rtype(t, x)
        has_ptrs = bool(gt.ptrdata)
        if size in (2, 4, 8) and t.align() == size and not has_ptrs:
            return f"box_small(g, {ft}, {v})"
        if f == L.STRING:
            return f"box_string(g, {ft}, {v})"
        if f == L.SLICE:
            return f"box_slice(g, {ft}, {v})"
        return f"box_alloc(g, {ft}, {v}, {size}, {fg.pg.type_ref(gt) if has_ptrs else 'None'})"

    def call_fmt_Printf(self, fg, n) -> str:
        return f"printf(g, {self._format_arg(n)!r}, {self._operands(fg, n, 1)})"

    def _format_arg(self, n) -> bytes:
        fmtarg = n.args[0]
        if fmtarg.op != "LITERAL":
            raise Unsupported(n.pos, "gomem cannot run this yet: a format that is not a constant")
        return fmtarg.val.encode("utf-8", "surrogateescape")

    def call_fmt_Sprintf(self, fg, n) -> str:
        return fg.spill_val(f"sprintf_(g, {self._format_arg(n)!r}, {self._operands(fg, n, 1)})", n.type)

    # -- errors -------------------------------------------------------------------------------

    def _error_tabs(self, fg) -> tuple[str, str]:
        """The itabs of ``error`` for ``*errors.errorString`` and ``*fmt.wrapError`` (their methods native)."""
        from .ifacegen import ERROR_STRING_PTR, WRAP_ERROR_PTR

        tables = fg.pg.ifaces
        if not getattr(tables, "errors_done", False):
            tables.errors_done = True
            load_s = fg.pg.layouts.load("nilcheck(d)", T.STRING)
            tables.native_method(ERROR_STRING_PTR, "Error", [f"return {load_s}"], [f"return {load_s.replace('(d)', '(v)')}"])
            tables.native_method(WRAP_ERROR_PTR, "Error", [f"return {load_s}"], [f"return {load_s.replace('(d)', '(v)')}"])
            load_e = fg.pg.layouts.load("nilcheck(d) + 16", T.ERROR)
            tables.native_method(WRAP_ERROR_PTR, "Unwrap", [f"return {load_e}"],
                                 [f"return {load_e.replace('(d)', '(v)')}"])
        return tables.tab(T.ERROR, ERROR_STRING_PTR), tables.tab(T.ERROR, WRAP_ERROR_PTR)

    def call_errors_New(self, fg, n) -> str:
        es, _ = self._error_tabs(fg)
        if getattr(fg.fn, "is_init", False) and n.args[0].op == "LITERAL":
            return self.static_errors_new(fg, n, es)  # libfunc.py
        return fg.spill_val(f"errors_new(g, {es}, {fg.arg_val(n.args[0])})", n.type)

    def call_fmt_Errorf(self, fg, n) -> str:
        return self.fmt_errorf_call(fg, n)  # libfunc.py

    def call_errors_Unwrap(self, fg, n) -> str:
        return fg.spill_val(f"errors_unwrap(g, {fg.arg_val(n.args[0])})", n.type)

    def call_errors_Is(self, fg, n) -> str:
        return f"errors_is_tree(g, {fg.arg_val(n.args[0])}, {fg.arg_val(n.args[1])})"

    def call_fmt_Sprint(self, fg, n) -> str:
        return fg.spill_val(f"sprint_(g, {self._operands(fg, n, 0)})", n.type)

    def call_fmt_Sprintln(self, fg, n) -> str:
        return fg.spill_val(f"sprintln_(g, {self._operands(fg, n, 0)})", n.type)

    # -- math (no allocation) ----------------------------------------------------------------------

    _MATH1 = {"Sqrt": "gosqrt", "Abs": "abs", "Floor": "gofloor", "Ceil": "goceil", "Trunc": "gotrunc",
              "Exp": "goexp", "Log": "golog", "IsNaN": "isnan"}

    def call(self, fg, n, fun) -> str:
        if fun.pkgname == "math" and fun.sym in self._MATH1:
            return f"{self._MATH1[fun.sym]}({fg.expr(n.args[0])})"
        if fun.pkgname == "math" and fun.sym in ("Max", "Min"):
            return f"f{fun.sym.lower()}({fg.expr(n.args[0])}, {fg.expr(n.args[1])})"
        if fun.pkgname == "math" and fun.sym == "Pow":
            return f"gopow({fg.expr(n.args[0])}, {fg.expr(n.args[1])})"
        if fun.pkgname == "math" and fun.sym == "Inf":
            return f"(float('inf') if {fg.expr(n.args[0])} >= 0 else float('-inf'))"
        key = f"{fun.pkgname}.{fun.sym}"
        h = getattr(self, "call_" + key.replace(".", "_"), None)
        if h is None:
            raise Unsupported(n.pos, f"gomem cannot run this yet: the function {key}")
        return h(fg, n)

    # -- strconv --------------------------------------------------------------------------------

    def call_strconv_Itoa(self, fg, n) -> str:
        return fg.spill_val(f"itoa(g, {fg.expr(n.args[0])})", n.type)

    def call_strconv_FormatInt(self, fg, n) -> str:
        return fg.spill_val(f"format_int(g, {fg.expr(n.args[0])}, {fg.expr(n.args[1])})", n.type)

    def call_fmt_Println(self, fg, n) -> str:
        return f"println_(g, {self._operands(fg, n, 0)})"

    def call_fmt_Print(self, fg, n) -> str:
        return f"print_(g, {self._operands(fg, n, 0)})"

    # -- flag ---------------------------------------------------------------------------------

    def _flag_var(self, fg, n, kind: str, with_ptr: bool) -> str:
        """``flag.<Kind>(name, value, usage)`` / ``flag.<Kind>Var(p, name, value, usage)``: support_flag.py."""
        args = list(n.args)
        p = fg.arg_val(args.pop(0)) if with_ptr else "0"
        name, value, usage = (fg.arg_val(a) for a in args)
        if kind == "float64":
            value = f"float({value})"
        call = f"flag_var(g, {kind!r}, {name}, {value}, {usage}, {p})"
        return call if with_ptr else fg.spill(call)

    def call_flag_Parse(self, fg, n) -> str:
        return "flag_parse(g)"

    def call_flag_Args(self, fg, n) -> str:
        return fg.spill_val("flag_args(g)", n.type)

    def call_flag_NArg(self, fg, n) -> str:
        return "flag_narg(g)"

    def call_flag_NFlag(self, fg, n) -> str:
        return "flag_nflag(g)"

    def call_flag_Parsed(self, fg, n) -> str:
        return "flag_parsed(g)"

    def call_flag_Arg(self, fg, n) -> str:
        return fg.spill_val(f"flag_arg(g, {fg.arg_val(n.args[0])})", n.type)


#: flag.Int ... flag.String and their Var forms: the kind of value each defines
_FLAG_KINDS = {"Int": "int", "Int64": "int64", "Uint": "uint", "Uint64": "uint64", "Float64": "float64",
               "Bool": "bool", "String": "string"}
for _f, _k in _FLAG_KINDS.items():
    setattr(Lib, f"call_flag_{_f}", lambda self, fg, n, _k=_k: self._flag_var(fg, n, _k, False))
    setattr(Lib, f"call_flag_{_f}Var", lambda self, fg, n, _k=_k: self._flag_var(fg, n, _k, True))
del _f, _k
