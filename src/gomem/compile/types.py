"""Go types, as far as escape analysis needs them (amd64 sizes).

Sizes, alignment and "has pointers" follow the gc compiler's layout rules
(``types/size.go``); ``fmt_type`` prints a type the way the compiler's
diagnostics do (local named types unqualified, others ``pkg.Name``,
``interface {}``, ``struct { x int }``, ``func(int) string``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

PTR_SIZE = 8

#: basic kinds: name -> (size, align, has_pointers)
BASIC_INFO = {
    "bool": (1, 1), "int8": (1, 1), "uint8": (1, 1), "int16": (2, 2), "uint16": (2, 2),
    "int32": (4, 4), "uint32": (4, 4), "int64": (8, 8), "uint64": (8, 8), "int": (8, 8),
    "uint": (8, 8), "uintptr": (8, 8), "float32": (4, 4), "float64": (8, 8),
    "complex64": (8, 4), "complex128": (16, 8), "string": (16, 8), "unsafe.Pointer": (8, 8),
}
INTEGER_KINDS = {"int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "int", "uint", "uintptr"}
UNSIGNED_KINDS = {"uint8", "uint16", "uint32", "uint64", "uint", "uintptr"}
FLOAT_KINDS = {"float32", "float64"}
COMPLEX_KINDS = {"complex64", "complex128"}
UNTYPED = {"untyped bool", "untyped int", "untyped rune", "untyped float", "untyped complex", "untyped string", "untyped nil"}


class Type:
    """Base class; ``kind`` is one of the strings below."""

    kind: str = "?"

    # -- structure -------------------------------------------------------------------------
    def underlying(self) -> "Type":
        return self

    @property
    def u(self) -> "Type":
        return self.underlying()

    def is_named(self) -> bool:
        return False

    def sym(self) -> Optional[str]:
        """The name the compiler prints for the type, if it has one."""
        return None

    # -- layout ----------------------------------------------------------------------------
    def size(self) -> int:
        raise NotImplementedError

    def align(self) -> int:
        raise NotImplementedError

    def has_pointers(self) -> bool:
        raise NotImplementedError

    # -- predicates ------------------------------------------------------------------------
    def is_interface(self) -> bool:
        return self.u.kind == "iface"

    def is_untyped(self) -> bool:
        return self.kind in UNTYPED

    def is_ptr(self) -> bool:
        return self.u.kind == "ptr"

    def is_slice(self) -> bool:
        return self.u.kind == "slice"

    def is_array(self) -> bool:
        return self.u.kind == "array"

    def is_map(self) -> bool:
        return self.u.kind == "map"

    def is_chan(self) -> bool:
        return self.u.kind == "chan"

    def is_func(self) -> bool:
        return self.u.kind == "func"

    def is_struct(self) -> bool:
        return self.u.kind == "struct"

    def is_string(self) -> bool:
        u = self.u
        return u.kind in ("string", "untyped string")

    def is_unsafe_ptr(self) -> bool:
        return self.u.kind == "unsafe.Pointer"

    def is_uintptr(self) -> bool:
        return self.u.kind == "uintptr"

    def is_integer(self) -> bool:
        return self.u.kind in INTEGER_KINDS or self.u.kind in ("untyped int", "untyped rune")

    def is_numeric(self) -> bool:
        k = self.u.kind
        return k in INTEGER_KINDS or k in FLOAT_KINDS or k in COMPLEX_KINDS or k in ("untyped int", "untyped rune", "untyped float", "untyped complex")

    def is_boolean(self) -> bool:
        return self.u.kind in ("bool", "untyped bool")

    def elem(self) -> "Type":
        return self.u.elem_type  # type: ignore[attr-defined]

    def __str__(self) -> str:
        return fmt_type(self)

    def __repr__(self) -> str:
        return f"<{self.kind} {fmt_type(self)}>"


class Basic(Type):
    def __init__(self, kind: str, name: Optional[str] = None):
        self.kind = kind
        self.name = name or kind  # byte/rune keep their own spelling

    def sym(self):
        return self.name if self.kind not in UNTYPED else None

    def size(self):
        return BASIC_INFO.get(self.kind, (8, 8))[0]

    def align(self):
        return BASIC_INFO.get(self.kind, (8, 8))[1]

    def has_pointers(self):
        return self.kind in ("string", "unsafe.Pointer", "untyped string", "untyped nil")


class Pointer(Type):
    kind = "ptr"

    def __init__(self, elem: Type):
        self.elem_type = elem

    def size(self):
        return PTR_SIZE

    def align(self):
        return PTR_SIZE

    def has_pointers(self):
        return True


class Slice(Type):
    kind = "slice"

    def __init__(self, elem: Type):
        self.elem_type = elem

    def size(self):
        return 3 * PTR_SIZE

    def align(self):
        return PTR_SIZE

    def has_pointers(self):
        return True


class Array(Type):
    kind = "array"

    def __init__(self, elem: Type, n: int):
        self.elem_type = elem
        self.n = n

    def size(self):
        return self.elem_type.size() * self.n

    def align(self):
        return self.elem_type.align()

    def has_pointers(self):
        return self.n > 0 and self.elem_type.has_pointers()


class Map(Type):
    kind = "map"

    def __init__(self, key: Type, elem: Type):
        self.key = key
        self.elem_type = elem

    def size(self):
        return PTR_SIZE

    def align(self):
        return PTR_SIZE

    def has_pointers(self):
        return True


class Chan(Type):
    kind = "chan"

    def __init__(self, elem: Type, dir: str = "both"):
        self.elem_type = elem
        self.dir = dir  # both | send | recv

    def size(self):
        return PTR_SIZE

    def align(self):
        return PTR_SIZE

    def has_pointers(self):
        return True


@dataclass
class Param:
    name: str  # "" when unnamed
    type: Type
    pos: Optional[tuple] = None


class Signature(Type):
    kind = "func"

    def __init__(self, params: list[Param], results: list[Param], variadic: bool = False, recv: Optional[Param] = None):
        self.params = params
        self.results = results
        self.variadic = variadic
        self.recv = recv

    def size(self):
        return PTR_SIZE

    def align(self):
        return PTR_SIZE

    def has_pointers(self):
        return True


@dataclass
class Field:
    name: str
    type: Type
    embedded: bool = False
    tag: Optional[str] = None


class Struct(Type):
    kind = "struct"

    def __init__(self, fields: list[Field]):
        self.fields = fields
        self._layout: Optional[tuple[int, int]] = None

    def _calc(self):
        if self._layout is None:
            off, al = 0, 1
            for f in self.fields:
                a = f.type.align()
                al = max(al, a)
                off = (off + a - 1) // a * a + f.type.size()
            if self.fields and self.fields[-1].type.size() == 0 and off > 0:
                off += 1  # a final zero-sized field gets a byte, so &x.f stays inside x
            off = (off + al - 1) // al * al
            self._layout = (off, al)
        return self._layout

    def size(self):
        return self._calc()[0]

    def align(self):
        return self._calc()[1]

    def has_pointers(self):
        return any(f.type.has_pointers() for f in self.fields)

    def field(self, name: str) -> Optional[Field]:
        for f in self.fields:
            if f.name == name:
                return f
        return None


@dataclass
class IMethod:
    name: str
    sig: Signature


class Interface(Type):
    kind = "iface"

    def __init__(self, methods: list[IMethod], embeds: Optional[list[Type]] = None):
        self.explicit = methods
        self.embeds = embeds or []
        self._all: Optional[list[IMethod]] = None

    def all_methods(self) -> list[IMethod]:
        if self._all is None:
            ms = {m.name: m for m in self.explicit}
            for e in self.embeds:
                u = e.u
                if isinstance(u, Interface):
                    for m in u.all_methods():
                        ms.setdefault(m.name, m)
            self._all = sorted(ms.values(), key=lambda m: (not m.name[:1].isupper(), m.name))
        return self._all

    def method(self, name: str) -> Optional[IMethod]:
        for m in self.all_methods():
            if m.name == name:
                return m
        return None

    def is_empty(self) -> bool:
        return not self.all_methods()

    def size(self):
        return 2 * PTR_SIZE

    def align(self):
        return PTR_SIZE

    def has_pointers(self):
        return True


class Tuple(Type):
    kind = "tuple"

    def __init__(self, types: list[Type]):
        self.types = types

    def size(self):
        return sum(t.size() for t in self.types)

    def align(self):
        return PTR_SIZE

    def has_pointers(self):
        return any(t.has_pointers() for t in self.types)


class TypeParam(Type):
    kind = "typeparam"

    def __init__(self, name: str):
        self.name = name

    def size(self):
        return PTR_SIZE

    def align(self):
        return PTR_SIZE

    def has_pointers(self):
        return True


class Named(Type):
    """A defined type: ``type T U``; methods are filled in by the checker."""

    kind = "named"

    def __init__(self, name: str, pkg: str, pkgname: str, local: bool):
        self.name = name
        self.pkg = pkg
        self.pkgname = pkgname
        self.local = local  # declared in the analysed package
        self.under: Optional[Type] = None
        self.methods: dict[str, "object"] = {}  # name -> gomem.compile.ir.Func or stdlib FuncInfo
        self.layout: Optional[tuple[int, int, bool]] = None  # stub: (size, align, has_pointers)
        self.generic = False

    def underlying(self) -> Type:
        u = self.under
        seen = 0
        while isinstance(u, Named):
            u = u.under
            seen += 1
            if seen > 100:
                break
        return u if u is not None else Struct([])

    @property
    def kind_u(self):
        return self.underlying().kind

    def is_named(self):
        return True

    def sym(self):
        return self.name if self.local else f"{self.pkgname}.{self.name}"

    def size(self):
        if self.layout:
            return self.layout[0]
        return self.underlying().size()

    def align(self):
        if self.layout:
            return self.layout[1]
        return self.underlying().align()

    def has_pointers(self):
        if self.layout:
            return self.layout[2]
        return self.underlying().has_pointers()


# -- the predeclared types --------------------------------------------------------------------

BOOL = Basic("bool")
INT = Basic("int")
INT8 = Basic("int8")
INT16 = Basic("int16")
INT32 = Basic("int32")
INT64 = Basic("int64")
UINT = Basic("uint")
UINT8 = Basic("uint8")
UINT16 = Basic("uint16")
UINT32 = Basic("uint32")
UINT64 = Basic("uint64")
UINTPTR = Basic("uintptr")
FLOAT32 = Basic("float32")
FLOAT64 = Basic("float64")
COMPLEX64 = Basic("complex64")
COMPLEX128 = Basic("complex128")
STRING = Basic("string")
BYTE = Basic("uint8", "byte")
RUNE = Basic("int32", "rune")
UNSAFE_POINTER = Basic("unsafe.Pointer")
UNTYPED_BOOL = Basic("untyped bool")
UNTYPED_INT = Basic("untyped int")
UNTYPED_RUNE = Basic("untyped rune")
UNTYPED_FLOAT = Basic("untyped float")
UNTYPED_COMPLEX = Basic("untyped complex")
UNTYPED_STRING = Basic("untyped string")
UNTYPED_NIL = Basic("untyped nil")


ERROR = Named("error", "", "", True)
ERROR.under = Interface([IMethod("Error", Signature([], [Param("", STRING)]))])

PREDECLARED_TYPES: dict[str, Type] = {
    t.name: t for t in [BOOL, INT, INT8, INT16, INT32, INT64, UINT, UINT8, UINT16, UINT32, UINT64, UINTPTR,
                        FLOAT32, FLOAT64, COMPLEX64, COMPLEX128, STRING, BYTE, RUNE]
}
PREDECLARED_TYPES["error"] = ERROR

#: default types of untyped constants
DEFAULT_TYPE = {"untyped bool": BOOL, "untyped int": INT, "untyped rune": RUNE, "untyped float": FLOAT64,
                "untyped complex": COMPLEX128, "untyped string": STRING}


def default_type(t: Type) -> Type:
    return DEFAULT_TYPE.get(t.kind, t) if isinstance(t, Basic) else t


# -- identity ----------------------------------------------------------------------------------


def identical(a: Type, b: Type, _seen=None) -> bool:
    if a is b:
        return True
    if a is None or b is None:
        return False
    if isinstance(a, Named) or isinstance(b, Named):
        # shape types (go.shape.int) are one type however often they are bound
        return (isinstance(a, Named) and isinstance(b, Named) and getattr(a, "is_shape", False)
                and getattr(b, "is_shape", False) and a.name == b.name)
    if isinstance(a, Basic) and isinstance(b, Basic):
        return a.kind == b.kind
    if isinstance(a, Interface) and isinstance(b, Interface):
        am, bm = a.all_methods(), b.all_methods()
        return len(am) == len(bm) and all(x.name == y.name and identical(x.sig, y.sig) for x, y in zip(am, bm))
    if type(a) is not type(b):
        return False
    if isinstance(a, Pointer) or isinstance(a, Slice):
        return identical(a.elem_type, b.elem_type)
    if isinstance(a, Array):
        return a.n == b.n and identical(a.elem_type, b.elem_type)
    if isinstance(a, Map):
        return identical(a.key, b.key) and identical(a.elem_type, b.elem_type)
    if isinstance(a, Chan):
        return a.dir == b.dir and identical(a.elem_type, b.elem_type)
    if isinstance(a, Signature):
        return (a.variadic == b.variadic and len(a.params) == len(b.params) and len(a.results) == len(b.results)
                and all(identical(x.type, y.type) for x, y in zip(a.params, b.params))
                and all(identical(x.type, y.type) for x, y in zip(a.results, b.results)))
    if isinstance(a, Struct):
        return len(a.fields) == len(b.fields) and all(
            x.name == y.name and x.embedded == y.embedded and x.tag == y.tag and identical(x.type, y.type)
            for x, y in zip(a.fields, b.fields))
    if isinstance(a, Tuple):
        return len(a.types) == len(b.types) and all(identical(x, y) for x, y in zip(a.types, b.types))
    return False


# -- printing -----------------------------------------------------------------------------------


_QUALIFY = [False]


def fmt_type(t: Optional[Type], qualify: bool = False) -> str:
    """The type as the compiler prints it; with qualify, local named types get their package (link names)."""
    if qualify and not _QUALIFY[0]:
        _QUALIFY[0] = True
        try:
            return fmt_type(t)
        finally:
            _QUALIFY[0] = False
    if t is None:
        return "<T>"
    if isinstance(t, AnyType):
        return "interface {}" if _QUALIFY[0] else "any"
    if isinstance(t, Basic):
        return t.name
    if isinstance(t, Named):
        if _QUALIFY[0] and t.pkgname and t.name not in ("error",) and not getattr(t, "is_shape", False):
            # link names: the package path (main.T, io/fs.PathError)
            path = t.pkgname if t.local else t.pkg
            origin = getattr(t, "origin", None)
            if origin is not None and getattr(t, "targs", None) is not None:
                return f"{path}.{origin.name}[{','.join(fmt_type(a) for a in t.targs)}]"
            return f"{path}.{t.name}"
        return t.sym()
    if isinstance(t, Pointer):
        return "*" + fmt_type(t.elem_type)
    if isinstance(t, Array):
        return f"[{t.n}]" + fmt_type(t.elem_type)
    if isinstance(t, Slice):
        return "[]" + fmt_type(t.elem_type)
    if isinstance(t, Chan):
        if t.dir == "recv":
            return "<-chan " + fmt_type(t.elem_type)
        if t.dir == "send":
            return "chan<- " + fmt_type(t.elem_type)
        e = t.elem_type
        if isinstance(e, Chan) and e.dir == "recv":
            return "chan (" + fmt_type(e) + ")"
        return "chan " + fmt_type(e)
    if isinstance(t, Map):
        return f"map[{fmt_type(t.key)}]{fmt_type(t.elem_type)}"
    if isinstance(t, Interface):
        ms = t.all_methods()
        if not ms:
            return "interface {}"
        return "interface {" + ";".join(" " + m.name + fmt_sig(m.sig, head=False) for m in ms) + " }"
    if isinstance(t, Signature):
        return fmt_sig(t)
    if isinstance(t, Struct):
        if not t.fields:
            return "struct {}"
        parts = []
        for f in t.fields:
            txt = fmt_type(f.type) if f.embedded else f"{f.name} {fmt_type(f.type)}"
            if f.tag:
                from .ir import go_quote
                txt += " " + go_quote(f.tag)
            parts.append(" " + txt)
        return "struct {" + ";".join(parts) + " }"
    if isinstance(t, Tuple):
        return ",".join(fmt_type(x) for x in t.types)
    if isinstance(t, TypeParam):
        return t.name
    return "?"


def fmt_sig(s: Signature, head: bool = True) -> str:
    ps = []
    for i, p in enumerate(s.params):
        if s.variadic and i == len(s.params) - 1:
            ps.append("..." + fmt_type(p.type.elem_type))
        else:
            ps.append(fmt_type(p.type))
    out = ("func" if head else "") + "(" + ", ".join(ps) + ")"
    if len(s.results) == 1:
        out += " " + fmt_type(s.results[0].type)
    elif len(s.results) > 1:
        out += " (" + ", ".join(fmt_type(r.type) for r in s.results) + ")"
    return out


class AnyType(Interface):
    """The predeclared alias ``any`` (prints as ``any``)."""

    def __init__(self):
        super().__init__([])

    def sym(self):
        return "any"


ANY = AnyType()


def is_direct_iface(t: Type) -> bool:
    """Whether values of t are stored directly in an interface's data word (pointer-shaped)."""
    u = t.u
    if u.kind in ("ptr", "chan", "map", "func", "unsafe.Pointer"):
        return True
    if isinstance(u, Array):
        return u.n == 1 and is_direct_iface(u.elem_type)
    if isinstance(u, Struct):
        return len(u.fields) == 1 and is_direct_iface(u.fields[0].type)
    return False


def is_empty_iface(t: Type) -> bool:
    u = t.u
    return isinstance(u, Interface) and u.is_empty()
