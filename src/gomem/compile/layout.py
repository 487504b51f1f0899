"""How a Go value is laid out in model memory and held by generated code.

Every Go type has two forms here:

* its **memory form**, Go's layout on amd64 (``types/size.go``): an ``int32``
  is 4 little-endian bytes, a string header is (data pointer, length), a
  slice header (data pointer, length, capacity), an interface (type word,
  data word), structs and arrays their fields and elements at the gc
  compiler's offsets;
* its **value form**, what a Python expression of the generated code
  evaluates to: integers and floats are Python ``int``/``float`` (already
  wrapped to their width), booleans ``bool``, every pointer-shaped value
  (pointers, maps, channels, funcs, ``unsafe.Pointer``) one ``int`` address,
  a string ``(ptr, len)``, a slice ``(ptr, len, cap)``, an interface
  ``(type, data)``, a struct or array a tuple of its fields or elements.

:class:`Layouts` turns front-end types (:mod:`gomem.compile.types`) into the
runtime's type descriptors (:mod:`gomem.runtime.types`, which the allocator and the
collector read: size, pointer mask) and writes the Python that loads and
stores each type at an address.  Loads and stores of a scalar are one
subscript of a typed view of the address space (``I64``, ``U8``, ``F64`` …,
indexed by ``(addr - B) >> log2(size)``); a struct or array gets a
generated function per type.  A store of a pointer word into memory that is
not the running function's own frame goes through the write barrier
(``g.write_slot``), as the compiler emits ``gcWriteBarrier`` for every
pointer store except to the stack.
"""

from __future__ import annotations

from ..runtime import types as gotypes
from . import types as T
from .check_base import Unsupported

#: integer kinds, their width in bytes and whether they are signed
INT_KINDS = {"int": (8, True), "int64": (8, True), "int32": (4, True), "int16": (2, True), "int8": (1, True),
             "uint": (8, False), "uint64": (8, False), "uintptr": (8, False), "uint32": (4, False),
             "uint16": (2, False), "uint8": (1, False)}
#: the typed view of the address space for each scalar kind (a memoryview format; see ``views``)
_VIEW = {("int", 8): "I64", ("int", 4): "I32", ("int", 2): "I16", ("int", 1): "I8",
         ("uint", 8): "W", ("uint", 4): "U32", ("uint", 2): "U16", ("uint", 1): "U8"}
_SHIFT = {1: 0, 2: 1, 4: 2, 8: 3}
#: memoryview formats of the views generated code indexes
VIEW_FORMATS = {"W": "Q", "I64": "q", "I32": "i", "I16": "h", "I8": "b", "U32": "I", "U16": "H", "U8": "B",
                "F64": "d", "F32": "f"}

#: value forms
INT, BOOL, FLOAT, WORD, STRING, SLICE, IFACE, STRUCT, ARRAY, COMPLEX = (
    "int", "bool", "float", "word", "string", "slice", "iface", "struct", "array", "complex")


def form(t: T.Type) -> str:
    """The value form of *t* (one of the constants above)."""
    u = t.u
    k = u.kind
    if k in INT_KINDS:
        return INT
    if k == "bool":
        return BOOL
    if k in ("float32", "float64"):
        return FLOAT
    if k in ("complex64", "complex128"):
        return COMPLEX
    if k == "string":
        return STRING
    if k in ("ptr", "map", "chan", "func", "unsafe.Pointer"):
        return WORD
    if k == "slice":
        return SLICE
    if k == "iface":
        return IFACE
    if k == "struct":
        return STRUCT
    if k == "array":
        return ARRAY
    raise Unsupported(None, f"gomem cannot run this yet: values of type {t}")


def is_scalar(t: T.Type) -> bool:
    """Held in a Python local when not address-taken: no pointers, one Python value."""
    return form(t) in (INT, BOOL, FLOAT, COMPLEX)


def int_info(t: T.Type) -> tuple[int, bool]:
    return INT_KINDS[t.u.kind]


def wrap(expr: str, t: T.Type) -> str:
    """*expr* reduced to the integer type *t*, as Go's arithmetic wraps."""
    k = t.u.kind
    info = INT_KINDS.get(k)
    if info is None:
        if k == "float32":
            return f"f32({expr})"
        return expr
    bits = info[0] * 8
    m = (1 << bits) - 1
    if not info[1]:
        return f"(({expr}) & {m})"
    return f"s{bits}({expr})"


def zero(t: T.Type) -> str:
    """Python source of the zero value of *t*."""
    f = form(t)
    if f in (INT, WORD):
        return "0"
    if f == BOOL:
        return "False"
    if f == FLOAT:
        return "0.0"
    if f == COMPLEX:
        return "0j"
    if f in (STRING, IFACE):
        return "(0, 0)"
    if f == SLICE:
        return "(0, 0, 0)"
    if f == STRUCT:
        return "(" + "".join(zero(fl.type) + ", " for fl in t.u.fields) + ")"
    u = t.u
    return f"({zero(u.elem_type)},) * {u.n}" if u.n else "()"


def field_offsets(st: T.Struct) -> list[int]:
    """Offsets of a struct's fields, as ``types.CalcStructSize`` lays them out."""
    out = []
    off = 0
    for f in st.fields:
        a = f.type.align()
        off = (off + a - 1) // a * a
        out.append(off)
        off += f.type.size()
    return out


def field_offset(st: T.Struct, name: str) -> int:
    for f, off in zip(st.fields, field_offsets(st)):
        if f.name == name:
            return off
    raise KeyError(name)


class Layouts:
    """Runtime type descriptors and load/store code for the program's types."""

    def __init__(self):
        self.registry = gotypes.TypeRegistry("main")
        self._rt: dict[int, gotypes.GoType] = {}
        self._keep: list = []  # front-end types whose id() keys the caches
        self.funcs: list[str] = []  # generated loader/storer functions
        self._ld: dict[int, str] = {}
        self._st: dict[int, str] = {}
        self._named: dict[str, int] = {}

    # -- runtime descriptors ----------------------------------------------------------------------

    def rtype(self, t: T.Type) -> gotypes.GoType:
        """The runtime's descriptor of *t*: the allocator's size and the collector's pointer mask."""
        got = self._rt.get(id(t))
        if got is not None:
            return got
        self._keep.append(t)
        u = t.u
        f = form(t)
        if isinstance(t, T.Named) and f in (STRUCT, ARRAY):
            # every pointer is *uint8 to the runtime (it needs the mask, not the pointee), so no cycles
            r = self.registry.declare(self._unique_name(t), self._build(u))
        elif f == INT:
            r = {"int": gotypes.INT, "int64": gotypes.INT64, "int32": gotypes.INT32, "int16": gotypes.INT16,
                 "int8": gotypes.INT8, "uint": gotypes.UINT, "uint64": gotypes.UINT64, "uintptr": gotypes.UINTPTR,
                 "uint32": gotypes.UINT32, "uint16": gotypes.UINT16, "uint8": gotypes.UINT8}[u.kind]
        else:
            r = self._build(u)
        self._rt[id(t)] = r
        if r.size != t.size():
            raise Unsupported(None, f"gomem cannot run this yet: values of type {t} (its fields are not modelled)")
        return r

    def _unique_name(self, t: T.Named) -> str:
        base = "".join(c if c.isalnum() or c == "_" else "_" for c in t.name)
        n = self._named.get(base, 0)
        self._named[base] = n + 1
        return base if n == 0 else f"{base}_{n}"

    def _build(self, u: T.Type) -> gotypes.GoType:
        f = form(u)
        k = u.kind
        if f == BOOL:
            return gotypes.BOOL
        if f == FLOAT:
            return gotypes.FLOAT64 if k == "float64" else gotypes.FLOAT32
        if f == COMPLEX:
            return gotypes.COMPLEX128 if k == "complex128" else gotypes.COMPLEX64
        if f == STRING:
            return gotypes.STRING
        if f == WORD:
            return gotypes.UNSAFE_POINTER if k != "ptr" else gotypes.pointer_to(gotypes.UINT8)
        if f == SLICE:
            return gotypes.slice_of(gotypes.UINT8)
        if f == IFACE:
            return gotypes.interface_of()
        if f == ARRAY:
            return gotypes.array_of(self.rtype(u.elem_type), u.n)
        if f == STRUCT:
            return gotypes.struct_of([(fl.name if fl.name else "_", self.rtype(fl.type)) for fl in u.fields])
        return self.rtype(u)

    # -- loads and stores -------------------------------------------------------------------------

    def load(self, addr: str, t: T.Type) -> str:
        """Python source of the value of type *t* at address *addr* (an expression evaluated once)."""
        f = form(t)
        if f == INT:
            size, signed = int_info(t)
            return f"{_VIEW['int' if signed else 'uint', size]}[({addr} - B) >> {_SHIFT[size]}]"
        if f == WORD:
            return f"W[({addr} - B) >> 3]"
        if f == BOOL:
            return f"(U8[{addr} - B] != 0)"
        if f == FLOAT:
            return f"F64[({addr} - B) >> 3]" if t.u.kind == "float64" else f"F32[({addr} - B) >> 2]"
        return f"{self.loader(t)}({addr})"

    def store(self, addr: str, t: T.Type, val: str, barrier: bool) -> str:
        """A Python statement storing *val* (of type *t*) at *addr*; *barrier*: the store may need the
        write barrier (anything but the running function's own frame)."""
        f = form(t)
        if f == WORD:
            if barrier:
                return f"g.write_slot({addr}, {val})"
            return f"W[({addr} - B) >> 3] = {val}"
        if f in (INT, BOOL, FLOAT):
            return f"{self.load(addr, t)} = {val}" if f != BOOL else f"U8[{addr} - B] = 1 if {val} else 0"
        return f"{self.storer(t, barrier)}(g, {addr}, {val})"

    def loader(self, t: T.Type) -> str:
        key = id(t)
        name = self._ld.get(key)
        if name is None:
            self._keep.append(t)
            name = f"LD{len(self._ld)}"
            self._ld[key] = name
            parts = [self.load(f"a + {off}", ft) for off, ft in self.parts(t)]
            if form(t) in (STRING, SLICE, IFACE):
                body = "(" + ", ".join(parts) + ")"
            else:
                body = "(" + "".join(p + ", " for p in parts) + ")"
            self.funcs.append(f"def {name}(a):\n    return {body}\n")
        return name

    def storer(self, t: T.Type, barrier: bool) -> str:
        key = (id(t), barrier)
        name = self._st.get(key)  # type: ignore[arg-type]
        if name is None:
            self._keep.append(t)
            name = f"ST{len(self._st)}{'b' if barrier else 's'}"
            self._st[key] = name  # type: ignore[index]
            lines = [f"def {name}(g, a, v):"]
            parts = self.parts(t)
            for i, (off, ft) in enumerate(parts):
                lines.append("    " + self.store(f"a + {off}", ft, f"v[{i}]", barrier))
            if not parts:
                lines.append("    pass")
            self.funcs.append("\n".join(lines) + "\n")
        return name

    def parts(self, t: T.Type) -> list[tuple[int, T.Type]]:
        """The components of an aggregate's value form: (offset, type) of each tuple element."""
        f = form(t)
        if f == STRING:
            return [(0, _UNSAFE), (8, T.INT)]
        if f == SLICE:
            return [(0, _UNSAFE), (8, T.INT), (16, T.INT)]
        if f == IFACE:
            return [(0, _TYPEWORD), (8, _UNSAFE)]
        if f == STRUCT:
            return list(zip(field_offsets(t.u), [fl.type for fl in t.u.fields]))
        if f == ARRAY:
            u = t.u
            es = u.elem_type.size()
            return [(i * es, u.elem_type) for i in range(u.n)]
        raise AssertionError(f)

    def pointer_parts(self, t: T.Type) -> list[int]:
        """Indexes into the value form of the words the collector must see (for spilling)."""
        f = form(t)
        if f == WORD:
            return [-1]
        if f in (STRING, SLICE):
            return [0]
        if f == IFACE:
            return [1]
        return []


_UNSAFE = T.UNSAFE_POINTER
#: an interface's first word: a type descriptor address, never a heap pointer (no barrier needed)
_TYPEWORD = T.UINTPTR
