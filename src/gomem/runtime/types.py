"""Go type descriptors: what the allocator and the collector know about a type.

Models ``internal/abi.Type`` (``$GOROOT/src/internal/abi/type.go``) as laid
out by the compiler (``cmd/compile/internal/types/size.go`` for sizes and
alignment, ``cmd/compile/internal/typebits`` and ``reflectdata/reflect.go``
for pointer masks), for amd64: pointers are 8 bytes.

What the runtime needs to know
------------------------------
``mallocgc`` is handed a size and a ``*_type``. From the type it needs four
facts, all computed once by the compiler:

* **size** (``Size_``) and **alignment** (``Align_``; ``FieldAlign_`` is the
  same on amd64).  A struct lays its fields out in order, each at the next
  multiple of its alignment; the struct's alignment is the largest of its
  fields' (at least 1) and its size is rounded up to it.  One twist (Go issue
  9401): a non-empty struct whose *last* field has size 0 gets one extra byte
  before that rounding, so ``&s.last`` can never point at the next object.
* **ptrdata** (``PtrBytes``): the length of the prefix of the type that can
  hold pointers - the offset of the last pointer word plus 8, or 0.  The
  collector never looks past it, so putting pointer fields first makes objects
  cheaper to scan.
* the **pointer mask** (``GCData``): one bit per 8-byte word of that prefix,
  little-endian, bit *i* set when word *i* holds a pointer the GC must trace.
  A string, a slice, a map, a chan, a func and ``unsafe.Pointer`` have their
  pointer in word 0.  An interface is two words, (itab or type, data), and
  only the *data* word is marked: the first word points at an itab or a type
  descriptor, which live outside the GC'd heap (``typebits.Set``).  So an
  interface has ptrdata 16 but mask ``0b10``.  The compiler emits the mask
  as bytes padded to a multiple of 8; for types with more than 128 pointer
  words (``abi.MaxPtrmaskBytes`` = 16) it sets ``TFlagGCMaskOnDemand`` and the
  runtime builds the same mask on first use (``runtime.getGCMask``).
* whether it is **noscan**: ``ptrdata == 0``.  Noscan objects go to noscan
  spans (spanClass bit 0) that the collector never reads, and noscan objects
  under 16 bytes go to the tiny allocator.

Where the runtime keeps it for a heap object
--------------------------------------------
Go 1.22+ keeps no per-arena heap bitmap (``runtime/mbitmap.go``):

* small scan objects of at most 512 bytes: the span carries a bitmap with one
  bit per word of the whole span at its end; ``heapSetType`` copies the type's
  mask into it, *tiled* once per element when the allocation is an array of
  the type (``make([]*T, n)``: ``dataSize`` is a multiple of ``Size_``);
* scan objects of 513..32760 bytes: an 8-byte **malloc header** at the start
  of the slot holds the ``*_type``; the collector tiles ``GCData`` itself;
* large objects (> 32760 bytes): the ``*_type`` is stored in
  ``span.largeType``.

In gomem a "``*_type`` address" is the small integer :attr:`GoType.id`;
:func:`by_id` turns one read out of a malloc header or ``largeType`` back
into the descriptor.  :func:`tile_mask` gives the mask of an array
allocation, :meth:`GoType.pointer_offsets` the byte offsets to scan.

Names
-----
:attr:`GoType.name` is the type as written in the Go source of package
``main`` (``"Node"``, ``"*Node"``, ``"struct { left *Node; right *Node }"``),
which is also what :meth:`TypeRegistry.parse` reads back.
:attr:`GoType.go_string` is what ``reflect.Type.String`` and ``%T`` print:
declared types get the package qualifier (``"*main.Node"``).  Both use Go's
canonical spelling (``byte`` is ``uint8``, ``any`` is ``interface {}``,
``struct { a, b int }`` is ``struct { a int; b int }``).

Identity
--------
Like Go, two unnamed types with the same structure are the same type:
constructors intern them, so ``pointer_to(INT) is pointer_to(INT)`` and
equality is identity.  Each declared (named) type is distinct.  Descriptors
are frozen and hashable; recursive types are built by declaring a name
first and completing it once its body is known (see
:meth:`TypeRegistry.declare`).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from gomem.errors import BadInput, InvariantViolation, UnknownType
from gomem.std import strconv

__all__ = [
    "PTR_SIZE",
    "MAX_WIDTH",
    "MAX_PTRMASK_BYTES",
    "MAX_MASK_WORDS",
    "KINDS",
    "Field",
    "GoType",
    "TypeRegistry",
    "PREDECLARED",
    "BOOL",
    "INT",
    "INT8",
    "INT16",
    "INT32",
    "INT64",
    "UINT",
    "UINT8",
    "UINT16",
    "UINT32",
    "UINT64",
    "UINTPTR",
    "FLOAT32",
    "FLOAT64",
    "COMPLEX64",
    "COMPLEX128",
    "STRING",
    "UNSAFE_POINTER",
    "BYTE",
    "RUNE",
    "ANY",
    "ERROR",
    "pointer_to",
    "slice_of",
    "array_of",
    "struct_of",
    "map_of",
    "chan_of",
    "func_of",
    "interface_of",
    "by_id",
    "tile_mask",
    "mask_bits",
    "mask_from_bits",
    "mask_to_bytes",
    "mask_from_bytes",
    "pointer_offsets_array",
    "RECV_DIR",
    "SEND_DIR",
    "BOTH_DIR",
    "HANDY_TYPES",
    "default_registry",
    "parse",
    "iter_types",
]

#: bytes in a pointer and in a heap-bitmap word (amd64, ``goarch.PtrSize``)
PTR_SIZE = 8
#: largest type size the compiler accepts on amd64 (``arch.MAXWIDTH``)
MAX_WIDTH = 1 << 50
#: types with more pointer words than ``8 * MAX_PTRMASK_BYTES`` get their mask
#: built on demand by the runtime (``abi.MaxPtrmaskBytes``, TFlagGCMaskOnDemand)
MAX_PTRMASK_BYTES = 16
#: gomem's own limit: masks are Python ints, so cap a type's pointer words
#: (64 Mi words = 512 MiB of pointerful prefix) to keep them in memory
MAX_MASK_WORDS = 1 << 26
#: largest channel element (``CalcSize``, TCHANARGS)
_MAX_CHAN_ELEM = 1 << 16

#: kind names as ``reflect.Kind.String`` spells them -> ``abi.Kind`` number
KINDS: dict[str, int] = {
    "bool": 1,
    "int": 2,
    "int8": 3,
    "int16": 4,
    "int32": 5,
    "int64": 6,
    "uint": 7,
    "uint8": 8,
    "uint16": 9,
    "uint32": 10,
    "uint64": 11,
    "uintptr": 12,
    "float32": 13,
    "float64": 14,
    "complex64": 15,
    "complex128": 16,
    "array": 17,
    "chan": 18,
    "func": 19,
    "interface": 20,
    "map": 21,
    "ptr": 22,
    "slice": 23,
    "string": 24,
    "struct": 25,
    "unsafe.Pointer": 26,
}
#: a declared name whose body is not known yet (only ever seen behind a pointer)
_FORWARD = "forward"

#: channel directions, as reflect.ChanDir
RECV_DIR, SEND_DIR, BOTH_DIR = 1, 2, 3


@dataclass(frozen=True, slots=True)
class Field:
    """One struct field: its name, type and byte offset in the struct.

    ``embedded`` fields are named after their type (``Node`` for ``*Node``);
    ``tag`` is the raw struct tag, part of the type's identity as in Go.
    """

    name: str
    type: GoType
    offset: int
    embedded: bool = False
    tag: str = ""


@dataclass(frozen=True, slots=True, eq=False, repr=False)
class GoType:
    """A Go type descriptor; models ``internal/abi.Type`` (and its kind-specific tails).

    Invariants (checked when built): ``ptrdata == 8 * ptrmask.bit_length()``;
    ``ptrdata <= size``; ``size % align == 0``; a type with pointers has
    ``align == 8``.  Equality is identity: structurally equal unnamed types are
    interned, so ``is`` and ``==`` agree with Go's type identity.
    """

    #: Go source spelling in package main, canonical form ("*Node", "[]uint8")
    name: str
    #: reflect.Kind spelling ("ptr", "struct", "unsafe.Pointer", ...); a declared
    #: type has the kind of its underlying type
    kind: str
    #: bytes (``Size_``; ``unsafe.Sizeof``)
    size: int
    #: bytes, a power of two (``Align_``; ``unsafe.Alignof``)
    align: int
    #: bytes of the prefix that can hold pointers (``PtrBytes``); 0 = noscan
    ptrdata: int
    #: bit i set <=> the word at byte offset 8*i is a pointer to trace (``GCData``)
    ptrmask: int
    #: pointee (ptr), element (slice, array, chan), value (map)
    elem: GoType | None = None
    #: element count, arrays only
    length: int | None = None
    #: structs only, in declaration order
    fields: tuple[Field, ...] = ()
    #: maps only
    key: GoType | None = None
    #: funcs only: parameter and result types; a variadic final parameter is a slice
    params: tuple[GoType, ...] = ()
    results: tuple[GoType, ...] = ()
    variadic: bool = False
    #: interfaces only: (method name, func type), sorted by name
    methods: tuple[tuple[str, GoType], ...] = ()
    #: chans only: RECV_DIR, SEND_DIR or BOTH_DIR
    chan_dir: int = 0
    #: True for defined types (predeclared ones like int, and declared ones)
    named: bool = False
    #: package of a declared type ("main"); "" for predeclared and unnamed ones
    pkg: str = ""
    #: the *_type "address": small, unique per process (0 is the nil type)
    id: int = 0
    #: underlying unnamed type of a named type (None: the type is its own)
    _underlying: GoType | None = None
    #: cache of pointer_offsets()
    _offsets: tuple[int, ...] | None = None

    # -- derived facts -------------------------------------------------

    @property
    def noscan(self) -> bool:
        """True when the type holds no pointers: it goes to a noscan span."""
        return self.ptrdata == 0

    @property
    def words(self) -> int:
        """8-byte words the type occupies: ``ceil(size / 8)``."""
        return (self.size + PTR_SIZE - 1) // PTR_SIZE

    @property
    def ptr_words(self) -> int:
        """Words of the pointer prefix, ``ptrdata / 8``: the bits of :attr:`ptrmask` that matter."""
        return self.ptrdata // PTR_SIZE

    @property
    def field_align(self) -> int:
        """Alignment as a struct field (``FieldAlign_``); equal to :attr:`align` on amd64."""
        return self.align

    @property
    def abi_kind(self) -> int:
        """The ``abi.Kind`` number (``Kind_``)."""
        return KINDS[self.kind]

    @property
    def underlying(self) -> GoType:
        """The unnamed type a declared type is defined as; the type itself otherwise."""
        return self._underlying if self._underlying is not None else self

    @property
    def is_empty_interface(self) -> bool:
        """``interface{}``/``any`` (an eface: type word, data word)."""
        return self.kind == "interface" and not self.methods

    @property
    def gc_mask_on_demand(self) -> bool:
        """Whether Go builds this type's mask at run time (TFlagGCMaskOnDemand)."""
        return self.ptr_words > MAX_PTRMASK_BYTES * 8

    @property
    def comparable(self) -> bool:
        """Whether ``==`` is defined (so the type can be a map key)."""
        if self.kind in ("slice", "map", "func"):
            return False
        if self.kind == "array":
            assert self.elem is not None
            return self.elem.comparable
        if self.kind == "struct":
            return all(f.type.comparable for f in self.fields)
        return True

    @property
    def go_string(self) -> str:
        """The type as ``reflect.Type.String`` / ``%T`` prints it ("*main.Node")."""
        if self.named:
            return f"{self.pkg}.{self.name}" if self.pkg else self.name
        return _spell(self, qualify=True)

    def pointer_offsets(self) -> tuple[int, ...]:
        """Byte offsets of the pointer words, ascending (the slots the GC traces)."""
        offs = self._offsets
        if offs is None:
            offs = tuple(PTR_SIZE * i for i in _bit_indices(self.ptrmask))
            object.__setattr__(self, "_offsets", offs)
        return offs

    def gcdata(self) -> bytes:
        """The mask as Go's ``GCData`` bytes: ceil(ptr_words/8) bytes, padded to a multiple of 8."""
        n = (self.ptr_words + 7) // 8
        n = (n + PTR_SIZE - 1) // PTR_SIZE * PTR_SIZE
        return self.ptrmask.to_bytes(n, "little")

    def field(self, name: str) -> Field:
        """The struct field called ``name`` (BadInput if there is none)."""
        for f in self.fields:
            if f.name == name:
                return f
        raise BadInput(f"type {self.name} has no field {name}")

    # -- plumbing ------------------------------------------------------

    def __repr__(self) -> str:
        return (
            f"<GoType {self.go_string} kind={self.kind} size={self.size} align={self.align}"
            f" ptrdata={self.ptrdata} mask={self.ptrmask:#b} id={self.id}>"
        )

    def __str__(self) -> str:
        return self.name

    def __copy__(self) -> GoType:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> GoType:
        return self

    def __reduce__(self) -> tuple[Callable[..., GoType], tuple[int, str]]:
        # Only meaningful within one process (or a fork of it): ids are identities.
        return (_unpickle, (self.id, self.name))


def _unpickle(type_id: int, name: str) -> GoType:
    t = by_id(type_id)
    if t.name != name:
        raise UnknownType(f"unknown type: id {type_id} is {t.name}, not {name}")
    return t


# ---------------------------------------------------------------------------
# the table of all descriptors (the "read-only data section")

_ids = itertools.count(1)
_BY_ID: dict[int, GoType] = {}
_INTERNED: dict[tuple[Any, ...], GoType] = {}


def by_id(type_id: int) -> GoType:
    """The descriptor whose :attr:`GoType.id` is ``type_id`` (as read from a malloc header)."""
    try:
        return _BY_ID[type_id]
    except (KeyError, TypeError):
        raise UnknownType(f"unknown type: no type has id {type_id!r}") from None


def _new(**kw: Any) -> GoType:
    t = GoType(id=next(_ids), **kw)
    _check(t)
    _BY_ID[t.id] = t
    return t


def _check(t: GoType) -> None:
    """Invariants every finished descriptor keeps (raise, never assert)."""
    if t.kind == _FORWARD:
        return
    ok = (
        t.ptrdata == PTR_SIZE * t.ptrmask.bit_length()
        and 0 <= t.ptrdata <= t.size
        and t.align in (1, 2, 4, 8)
        and t.size % t.align == 0
        and (t.ptrdata == 0 or t.align == PTR_SIZE)
    )
    if not ok:  # pragma: no cover - a bug in this module
        raise InvariantViolation(f"bad type descriptor {t!r}")


def _interned(key: tuple[Any, ...], build: Callable[[], dict[str, Any]]) -> GoType:
    t = _INTERNED.get(key)
    if t is None:
        t = _new(**build())
        _INTERNED[key] = t
    return t


def _bit_indices(mask: int) -> list[int]:
    if mask == 0:
        return []
    if mask.bit_length() <= 64:
        out = []
        i = 0
        while mask:
            if mask & 1:
                out.append(i)
            mask >>= 1
            i += 1
        return out
    raw = np.frombuffer(mask.to_bytes((mask.bit_length() + 7) // 8, "little"), dtype=np.uint8)
    return np.flatnonzero(np.unpackbits(raw, bitorder="little")).tolist()


# ---------------------------------------------------------------------------
# predeclared types


def _scalar(name: str, size: int, align: int | None = None, ptrmask: int = 0, kind: str | None = None) -> GoType:
    t = _new(
        name=name,
        kind=kind or name,
        size=size,
        align=align if align is not None else size,
        ptrdata=PTR_SIZE * ptrmask.bit_length(),
        ptrmask=ptrmask,
        named=True,
    )
    _INTERNED[("named", name)] = t
    return t


BOOL = _scalar("bool", 1)
INT8 = _scalar("int8", 1)
UINT8 = _scalar("uint8", 1)
INT16 = _scalar("int16", 2)
UINT16 = _scalar("uint16", 2)
INT32 = _scalar("int32", 4)
UINT32 = _scalar("uint32", 4)
FLOAT32 = _scalar("float32", 4)
INT64 = _scalar("int64", 8)
UINT64 = _scalar("uint64", 8)
INT = _scalar("int", 8)
UINT = _scalar("uint", 8)
UINTPTR = _scalar("uintptr", 8)
FLOAT64 = _scalar("float64", 8)
COMPLEX64 = _scalar("complex64", 8, 4)  # two float32s: 4-aligned
COMPLEX128 = _scalar("complex128", 16, 8)
STRING = _scalar("string", 16, 8, ptrmask=0b1)  # (data *byte, len int)
UNSAFE_POINTER = _scalar("unsafe.Pointer", 8, ptrmask=0b1)
BYTE = UINT8  # aliases, as in Go
RUNE = INT32


# ---------------------------------------------------------------------------
# constructors


def _need_complete(t: GoType, where: str) -> None:
    if not isinstance(t, GoType):
        raise BadInput(f"{where}: expected a GoType, got {t!r}")
    if t.kind == _FORWARD:
        raise BadInput(f"invalid recursive type {t.name}: {where} needs its size")


def _check_type(t: Any, where: str) -> None:
    if not isinstance(t, GoType):
        raise BadInput(f"{where}: expected a GoType, got {t!r}")


def pointer_to(elem: GoType) -> GoType:
    """``*elem``: 8 bytes, one pointer word.  ``elem`` may still be incomplete."""
    _check_type(elem, "pointer_to")
    return _interned(
        ("ptr", elem.id),
        lambda: dict(name="*" + elem.name, kind="ptr", size=8, align=8, ptrdata=8, ptrmask=1, elem=elem),
    )


def slice_of(elem: GoType) -> GoType:
    """``[]elem``: (array pointer, len, cap), 24 bytes, pointer in word 0."""
    _check_type(elem, "slice_of")
    return _interned(
        ("slice", elem.id),
        lambda: dict(name="[]" + elem.name, kind="slice", size=24, align=8, ptrdata=8, ptrmask=1, elem=elem),
    )


def array_of(elem: GoType, n: int) -> GoType:
    """``[n]elem``: elem's mask tiled n times; ``[0]T`` and arrays of zero-size elems are size 0."""
    _need_complete(elem, "array element")
    if isinstance(n, bool) or not isinstance(n, int) or n < 0:
        raise BadInput(f"invalid array length {n!r} (must be a non-negative integer)")
    size = elem.size * n
    if size >= MAX_WIDTH:
        raise BadInput(f"type [{n}]{elem.name} larger than address space")
    ptrdata = elem.size * (n - 1) + elem.ptrdata if n > 0 and elem.ptrdata > 0 else 0
    if ptrdata // PTR_SIZE > MAX_MASK_WORDS:
        raise BadInput(
            f"type [{n}]{elem.name} has {ptrdata // PTR_SIZE} pointer words; gomem models at most {MAX_MASK_WORDS}"
        )
    return _interned(
        ("array", elem.id, n),
        lambda: dict(
            name=f"[{n}]{elem.name}",
            kind="array",
            size=size,
            align=elem.align,
            ptrdata=ptrdata,
            ptrmask=_tile(elem.ptrmask, elem.size // PTR_SIZE, n) if ptrdata else 0,
            elem=elem,
            length=n,
        ),
    )


_IDENT_RE = re.compile(r"[^\W\d]\w*\Z")


def _field_name_of(t: GoType) -> str:
    """Name of an embedded field of type t (``Node`` for ``Node`` and ``*Node``)."""
    base = t.elem if t.kind == "ptr" and not t.named and t.elem is not None else t
    if not base.named or (base.kind == "ptr" and t is not base):
        raise BadInput(f"embedded field type must be a type name or a pointer to one, not {t.name}")
    return base.name.rsplit(".", 1)[-1]


def struct_of(
    fields: Iterable[tuple[str | None, GoType] | tuple[str | None, GoType, str] | Field],
    name: str | None = None,
    pkg: str = "main",
) -> GoType:
    """``struct { ... }`` laid out as ``types.CalcStructSize`` does.

    ``fields`` are ``(name, type)`` or ``(name, type, tag)``; a name of ``None``
    makes an embedded field named after its type.  With ``name``, the result is
    a new declared type of that name in package *pkg* (the package's name, as
    ``%T`` prints it: ``sync.poolLocal``) instead of the interned unnamed struct;
    it is not entered in any registry.
    """
    specs: list[tuple[str, GoType, bool, str]] = []
    seen: set[str] = set()
    for spec in fields:
        if isinstance(spec, Field):
            fname, ftype, embedded, tag = spec.name, spec.type, spec.embedded, spec.tag
        else:
            if not isinstance(spec, tuple) or len(spec) not in (2, 3):
                raise BadInput(f"struct field must be (name, type) or (name, type, tag), got {spec!r}")
            fname, ftype = spec[0], spec[1]
            tag = spec[2] if len(spec) == 3 else ""  # type: ignore[misc]
            embedded = fname is None
        _need_complete(ftype, "struct field")
        if embedded and fname is None:
            fname = _field_name_of(ftype)
        if not isinstance(fname, str) or not _IDENT_RE.match(fname):
            raise BadInput(f"invalid field name {fname!r}")
        if not isinstance(tag, str):
            raise BadInput(f"struct tag must be a string, got {tag!r}")
        if fname != "_":
            if fname in seen:
                raise BadInput(f"duplicate field {fname}")
            seen.add(fname)
        specs.append((fname, ftype, embedded, tag))

    laid: list[Field] = []
    offset = 0
    align = 1
    for fname, ftype, embedded, tag in specs:
        offset = _round_up(offset, ftype.align)
        laid.append(Field(fname, ftype, offset, embedded, tag))
        offset += ftype.size
        align = max(align, ftype.align)
        if offset >= MAX_WIDTH:
            raise BadInput("struct type too large")
    if offset > 0 and specs[-1][1].size == 0:
        offset += 1  # issue 9401: &s.lastZeroSizeField must stay inside s
    size = _round_up(offset, align)
    ptrdata = 0
    for f in reversed(laid):
        if f.type.ptrdata:
            ptrdata = f.offset + f.type.ptrdata
            break
    mask = 0
    for f in laid:
        if f.type.ptrmask:
            mask |= f.type.ptrmask << (f.offset // PTR_SIZE)
    ftuple = tuple(laid)

    def build() -> dict[str, Any]:
        return dict(
            name=_spell_struct(ftuple, qualify=False),
            kind="struct",
            size=size,
            align=align,
            ptrdata=ptrdata,
            ptrmask=mask,
            fields=ftuple,
        )

    unnamed = _interned(("struct", tuple((f.name, f.type.id, f.embedded, f.tag) for f in laid)), build)
    if name is None:
        return unnamed
    return _named_copy(_check_decl_name(name), pkg, unnamed)


def map_of(key: GoType, value: GoType) -> GoType:
    """``map[key]value``: a pointer to the runtime's map header, 8 bytes."""
    _check_type(key, "map key")
    _check_type(value, "map value")
    if key.kind != _FORWARD and not key.comparable:
        raise BadInput(f"invalid map key type {key.name}")
    return _interned(
        ("map", key.id, value.id),
        lambda: dict(
            name=f"map[{key.name}]{value.name}", kind="map", size=8, align=8, ptrdata=8, ptrmask=1, elem=value, key=key
        ),
    )


def chan_of(elem: GoType, dir: int = BOTH_DIR) -> GoType:
    """``chan elem`` (or ``<-chan``/``chan<-`` with ``dir``): a pointer to an hchan, 8 bytes."""
    _check_type(elem, "chan element")
    if dir not in (RECV_DIR, SEND_DIR, BOTH_DIR):
        raise BadInput(f"invalid channel direction {dir!r}")
    if elem.kind != _FORWARD and elem.size >= _MAX_CHAN_ELEM:
        raise BadInput("channel element type too large (>64kB)")
    return _interned(
        ("chan", elem.id, dir),
        lambda: dict(
            name=_spell_chan(elem, dir, qualify=False),
            kind="chan",
            size=8,
            align=8,
            ptrdata=8,
            ptrmask=1,
            elem=elem,
            chan_dir=dir,
        ),
    )


def func_of(params: Sequence[GoType] = (), results: Sequence[GoType] = (), variadic: bool = False) -> GoType:
    """A func type: whatever its signature, a value is one pointer to a closure, 8 bytes.

    With ``variadic`` the last parameter must be a slice (``...T`` is ``[]T``).
    """
    params, results = tuple(params), tuple(results)
    for t in params + results:
        _check_type(t, "func parameter")
    if variadic and (not params or params[-1].kind != "slice" or params[-1].named):
        raise BadInput("variadic func needs a final slice parameter")
    return _interned(
        ("func", tuple(t.id for t in params), tuple(t.id for t in results), bool(variadic)),
        lambda: dict(
            name="func" + _spell_sig(params, results, variadic, qualify=False),
            kind="func",
            size=8,
            align=8,
            ptrdata=8,
            ptrmask=1,
            params=params,
            results=results,
            variadic=bool(variadic),
        ),
    )


def interface_of(methods: Iterable[tuple[str, GoType]] = ()) -> GoType:
    """An interface type: (type-or-itab word, data word), 16 bytes.

    Only the data word is in the pointer mask (``typebits.Set``): the first
    word points at a type descriptor or itab, never into the GC'd heap.  So
    ptrdata is 16 but ptrmask is ``0b10``.
    """
    table: dict[str, GoType] = {}
    for mname, sig in methods:
        if not isinstance(mname, str) or not _IDENT_RE.match(mname) or mname == "_":
            raise BadInput(f"invalid method name {mname!r}")
        _check_type(sig, "method")
        if sig.kind != "func" or sig.named:
            raise BadInput(f"method {mname} must have an unnamed func type, not {sig.name}")
        if table.get(mname, sig) is not sig:
            raise BadInput(f"duplicate method {mname}")
        table[mname] = sig
    mtuple = tuple(sorted(table.items()))
    return _interned(
        ("interface", tuple((m, s.id) for m, s in mtuple)),
        lambda: dict(
            name=_spell_iface(mtuple, qualify=False),
            kind="interface",
            size=16,
            align=8,
            ptrdata=16,
            ptrmask=0b10,
            methods=mtuple,
        ),
    )


def _copy_kw(u: GoType) -> dict[str, Any]:
    return dict(
        kind=u.kind,
        size=u.size,
        align=u.align,
        ptrdata=u.ptrdata,
        ptrmask=u.ptrmask,
        elem=u.elem,
        length=u.length,
        fields=u.fields,
        key=u.key,
        params=u.params,
        results=u.results,
        variadic=u.variadic,
        methods=u.methods,
        chan_dir=u.chan_dir,
    )


def _named_copy(name: str, pkg: str, underlying: GoType) -> GoType:
    """A new defined type ``type name underlying``."""
    _need_complete(underlying, f"type {name}")
    return _new(name=name, pkg=pkg, named=True, _underlying=underlying.underlying, **_copy_kw(underlying))




# ---------------------------------------------------------------------------
# spelling (reflect.Type.String)


def _sub(t: GoType, qualify: bool) -> str:
    return t.go_string if qualify else t.name


def _spell(t: GoType, qualify: bool) -> str:
    k = t.kind
    if k == "ptr":
        assert t.elem is not None
        return "*" + _sub(t.elem, qualify)
    if k == "slice":
        assert t.elem is not None
        return "[]" + _sub(t.elem, qualify)
    if k == "array":
        assert t.elem is not None
        return f"[{t.length}]" + _sub(t.elem, qualify)
    if k == "map":
        assert t.key is not None and t.elem is not None
        return f"map[{_sub(t.key, qualify)}]{_sub(t.elem, qualify)}"
    if k == "chan":
        assert t.elem is not None
        return _spell_chan(t.elem, t.chan_dir, qualify)
    if k == "func":
        return "func" + _spell_sig(t.params, t.results, t.variadic, qualify)
    if k == "struct":
        return _spell_struct(t.fields, qualify)
    if k == "interface":
        return _spell_iface(t.methods, qualify)
    return t.name


def _spell_chan(elem: GoType, dir: int, qualify: bool) -> str:
    e = _sub(elem, qualify)
    if dir == RECV_DIR:
        return "<-chan " + e
    if dir == SEND_DIR:
        return "chan<- " + e
    if elem.kind == "chan" and not elem.named and elem.chan_dir == RECV_DIR:
        return f"chan ({e})"  # "chan <-chan T" would parse as chan<- (chan T)
    return "chan " + e


def _spell_sig(params: tuple[GoType, ...], results: tuple[GoType, ...], variadic: bool, qualify: bool) -> str:
    ps = [_sub(p, qualify) for p in params]
    if variadic:
        last = params[-1].elem
        assert last is not None
        ps[-1] = "..." + _sub(last, qualify)
    s = "(" + ", ".join(ps) + ")"
    if len(results) == 1:
        s += " " + _sub(results[0], qualify)
    elif results:
        s += " (" + ", ".join(_sub(r, qualify) for r in results) + ")"
    return s


def _spell_struct(fields: tuple[Field, ...], qualify: bool) -> str:
    if not fields:
        return "struct {}"
    parts = []
    for f in fields:
        s = _sub(f.type, qualify) if f.embedded else f"{f.name} {_sub(f.type, qualify)}"
        if f.tag:
            s += " " + _go_quote(f.tag)
        parts.append(s)
    return "struct { " + "; ".join(parts) + " }"


def _spell_iface(methods: tuple[tuple[str, GoType], ...], qualify: bool) -> str:
    if not methods:
        return "interface {}"
    parts = [m + _spell_sig(s.params, s.results, s.variadic, qualify) for m, s in methods]
    return "interface { " + "; ".join(parts) + " }"


def _go_quote(s: str) -> str:
    """``strconv.Quote`` of a struct tag: the model's :func:`gomem.std.strconv.Quote`, the one implementation."""
    return strconv.Quote(s.encode("utf-8", "surrogateescape")).decode("utf-8")


# ---------------------------------------------------------------------------
# masks


def _round_up(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def _tile(mask: int, stride_words: int, n: int) -> int:
    """``mask`` repeated n times every ``stride_words`` bits (a geometric series, no loop)."""
    if n <= 0 or mask == 0:
        return 0
    if stride_words <= 0:  # pragma: no cover - a pointerful type has size >= 8
        raise BadInput("cannot tile a zero-size type with pointers")
    unit = (1 << stride_words) - 1
    return mask * (((1 << (stride_words * n)) - 1) // unit)


def tile_mask(t: GoType, nbytes: int) -> int:
    """Pointer mask of ``nbytes / t.size`` consecutive ``t`` values (an array allocation).

    This is what ``heapSetType`` writes for ``make([]T, n)``: ``GCData``
    repeated every ``Size_`` bytes.  ``nbytes`` must be a multiple of
    ``t.size`` (the runtime relies on that too).
    """
    if isinstance(nbytes, bool) or not isinstance(nbytes, int) or nbytes < 0:
        raise BadInput(f"invalid byte count {nbytes!r}")
    if t.size == 0:
        return 0
    if nbytes % t.size:
        raise BadInput(f"{nbytes} bytes is not a whole number of {t.name} ({t.size} B)")
    return _tile(t.ptrmask, t.size // PTR_SIZE, nbytes // t.size)


def mask_bits(ptrmask: int, nwords: int) -> list[int]:
    """The first ``nwords`` bits of ``ptrmask`` as a list of 0/1, word 0 first."""
    if nwords < 0:
        raise BadInput(f"invalid word count {nwords}")
    return [(ptrmask >> i) & 1 for i in range(nwords)]


def mask_from_bits(bits: Iterable[int]) -> int:
    """Inverse of :func:`mask_bits`."""
    mask = 0
    for i, b in enumerate(bits):
        if b:
            mask |= 1 << i
    return mask


def mask_to_bytes(ptrmask: int, nbytes: int) -> bytes:
    """``ptrmask`` as little-endian bitmap bytes (the layout of Go's heap bits and GCData)."""
    return ptrmask.to_bytes(nbytes, "little")


def mask_from_bytes(data: bytes, nwords: int | None = None) -> int:
    """A bitmap read back from bytes; with ``nwords``, bits past it are dropped."""
    mask = int.from_bytes(data, "little")
    if nwords is not None:
        mask &= (1 << nwords) - 1
    return mask


def pointer_offsets_array(t: GoType, nbytes: int | None = None) -> np.ndarray:
    """Byte offsets of every pointer slot of an allocation of ``nbytes`` (default ``t.size``) as int64.

    For an array allocation the type's offsets repeat every ``t.size`` bytes;
    the tail of the last element past ``ptrdata`` has none.
    """
    offs = np.asarray(t.pointer_offsets(), dtype=np.int64)
    if nbytes is None or t.size == 0:
        return offs
    if isinstance(nbytes, bool) or not isinstance(nbytes, int) or nbytes < 0:
        raise BadInput(f"invalid byte count {nbytes!r}")
    if nbytes % t.size:
        raise BadInput(f"{nbytes} bytes is not a whole number of {t.name} ({t.size} B)")
    starts = np.arange(nbytes // t.size, dtype=np.int64) * t.size
    return np.add.outer(starts, offs).ravel()



# ---------------------------------------------------------------------------
# the rest of the universe block

ANY = interface_of()


ERROR = _named_copy("error", "", interface_of([("Error", func_of((), (STRING,)))]))
_INTERNED[("named", "error")] = ERROR

#: the universe block: predeclared type names (aliases included) -> types
PREDECLARED: dict[str, GoType] = {
    t.name: t
    for t in (
        BOOL,
        INT8,
        UINT8,
        INT16,
        UINT16,
        INT32,
        UINT32,
        FLOAT32,
        INT64,
        UINT64,
        INT,
        UINT,
        UINTPTR,
        FLOAT64,
        COMPLEX64,
        COMPLEX128,
        STRING,
        UNSAFE_POINTER,
        ERROR,
    )
}
PREDECLARED.update(byte=BYTE, rune=RUNE, any=ANY)


# ---------------------------------------------------------------------------
# parsing Go type expressions

_KEYWORDS = frozenset({"struct", "interface", "map", "chan", "func"})
_TOKEN_RE = re.compile(
    r"""
      (?P<ws>[ \t\r]+|//[^\n]*|/\*.*?\*/)
    | (?P<nl>\n)
    | (?P<ident>[^\W\d]\w*)
    | (?P<int>0[xX][0-9a-fA-F_]+|0[oO][0-7_]+|0[bB][01_]+|\d[\d_]*)
    | (?P<string>"(?:[^"\\\n]|\\.)*"|`[^`]*`)
    | (?P<punct>\.\.\.|<-|[*\[\](){},;.|~=])
    """,
    re.VERBOSE | re.DOTALL,
)
# tokens after which a newline ends a statement (Go's automatic semicolons)
_SEMI_AFTER = {"ident", "int", "string", ")", "]", "}"}
_TYPE_START = {"ident", "*", "[", "(", "map", "chan", "func", "struct", "interface", "<-"}


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "ident", "int", "string", a keyword, a punctuation, ";" or "eof"
    text: str
    pos: int


def _tokenize(text: str, fail: Callable[[int, str], BadInput]) -> list[_Tok]:
    toks: list[_Tok] = []
    pos = 0
    last = ""
    while pos < len(text):
        m = _TOKEN_RE.match(text, pos)
        if m is None:
            raise fail(pos, f"invalid character {text[pos]!r}")
        kind = m.lastgroup
        s = m.group()
        if kind == "ws":
            if s.startswith("/*") and "\n" in s and last in _SEMI_AFTER:
                toks.append(_Tok(";", "newline", pos))
                last = ";"
        elif kind == "nl":
            if last in _SEMI_AFTER:
                toks.append(_Tok(";", "newline", pos))
                last = ";"
        else:
            assert kind is not None
            if kind == "ident" and s in _KEYWORDS:
                kind = s
            elif kind == "punct":
                kind = s
            toks.append(_Tok(kind, s, pos))
            last = kind
        pos = m.end()
    toks.append(_Tok("eof", "EOF", len(text)))
    return toks


def _unquote(lit: str) -> str:
    if lit.startswith("`"):
        return lit[1:-1].replace("\r", "")
    import ast

    try:
        value = ast.literal_eval(lit)
    except (ValueError, SyntaxError):
        raise BadInput(f"invalid string literal {lit}") from None
    if not isinstance(value, str):  # pragma: no cover
        raise BadInput(f"invalid string literal {lit}")
    return value


class _Parser:
    """Recursive descent over Go's Type grammar (spec: Types), resolving names as it goes.

    ``indirect`` is True under a pointer, slice, map, chan, func or method:
    there a declared-but-incomplete name (the one being declared, or one
    referred to before its declaration) is allowed, since the size of the
    enclosing type does not depend on it.
    """

    def __init__(self, reg: TypeRegistry, text: str, declaring: str | None):
        self.reg = reg
        self.text = text
        self.declaring = declaring
        self.toks = _tokenize(text, self.error_at)
        self.i = 0

    # -- errors --------------------------------------------------------

    def error_at(self, pos: int, msg: str) -> BadInput:
        line = self.text.count("\n", 0, pos) + 1
        col = pos - (self.text.rfind("\n", 0, pos) + 1) + 1
        err = BadInput(f"{line}:{col}: {msg} in type {self.text!r}")
        err.line, err.col, err.offset = line, col, pos  # type: ignore[attr-defined]
        return err

    def unexpected(self, expected: str) -> BadInput:
        t = self.peek()
        what = {"eof": "EOF", ";": "newline" if t.text == "newline" else "semicolon"}.get(t.kind, repr(t.text))
        return self.error_at(t.pos, f"syntax error: unexpected {what}, expected {expected}")

    # -- tokens --------------------------------------------------------

    def peek(self, k: int = 0) -> _Tok:
        return self.toks[min(self.i + k, len(self.toks) - 1)]

    def next(self) -> _Tok:
        t = self.toks[self.i]
        if t.kind != "eof":
            self.i += 1
        return t

    def accept(self, kind: str) -> _Tok | None:
        if self.peek().kind == kind:
            return self.next()
        return None

    def expect(self, kind: str, expected: str | None = None) -> _Tok:
        if self.peek().kind != kind:
            raise self.unexpected(expected or repr(kind))
        return self.next()

    # -- grammar -------------------------------------------------------

    def parse_whole(self) -> GoType:
        t = self.type(indirect=False)
        while self.accept(";"):
            pass
        if self.peek().kind != "eof":
            raise self.unexpected("end of type")
        return t

    def type(self, indirect: bool) -> GoType:
        tok = self.peek()
        k = tok.kind
        if k == "(":
            self.next()
            t = self.type(indirect)
            self.expect(")")
            return t
        if k == "*":
            self.next()
            return pointer_to(self.type(indirect=True))
        if k == "[":
            self.next()
            if self.accept("]"):
                return slice_of(self.type(indirect=True))
            if self.peek().kind == "...":
                raise self.error_at(self.peek().pos, "invalid use of [...] array (outside a composite literal)")
            ntok = self.expect("int", "array length")
            self.expect("]")
            try:
                n = _go_int(ntok.text)
            except ValueError:
                raise self.error_at(ntok.pos, f"invalid array length {ntok.text}") from None
            elem = self.type(indirect)
            return self._build(ntok.pos, array_of, elem, n)
        if k == "map":
            self.next()
            self.expect("[")
            key = self.type(indirect=True)
            self.expect("]")
            return self._build(tok.pos, map_of, key, self.type(indirect=True))
        if k == "chan":
            self.next()
            d = SEND_DIR if self.accept("<-") else BOTH_DIR
            return self._build(tok.pos, chan_of, self.type(indirect=True), d)
        if k == "<-":
            self.next()
            self.expect("chan", "chan")
            return self._build(tok.pos, chan_of, self.type(indirect=True), RECV_DIR)
        if k == "func":
            self.next()
            return self.signature(tok.pos)
        if k == "struct":
            self.next()
            return self.struct_body(indirect)
        if k == "interface":
            self.next()
            return self.interface_body(tok.pos)
        if k == "ident":
            return self.type_name(indirect)
        raise self.unexpected("type")

    def _build(self, pos: int, fn: Callable[..., GoType], *args: Any) -> GoType:
        try:
            return fn(*args)
        except UnknownType:
            raise
        except BadInput as e:
            raise self.error_at(pos, str(e)) from None

    def type_name(self, indirect: bool) -> GoType:
        tok = self.expect("ident", "type")
        name = tok.text
        if self.peek().kind == "." and self.peek(1).kind == "ident":
            self.next()
            sel = self.next().text
            if name == "unsafe" and sel == "Pointer":
                return UNSAFE_POINTER
            if name != self.reg.pkg:
                raise UnknownType(f"unknown type: {name}.{sel}")
            name = sel
        return self.reg._resolve(name, indirect, self.declaring, tok.pos, self)

    def struct_body(self, indirect: bool) -> GoType:
        start = self.expect("{", "'{'")
        fields: list[tuple[str | None, GoType, str]] = []
        while True:
            while self.accept(";"):
                pass
            if self.accept("}"):
                break
            tok = self.peek()
            if tok.kind == "*" or (tok.kind == "ident" and self.peek(1).kind in (";", "}", "string", ".")):
                # embedded field: [*]TypeName
                star = self.accept("*") is not None
                t = self.type_name(indirect=indirect or star)
                if star:
                    t = pointer_to(t)
                names: list[str | None] = [None]
            elif tok.kind == "ident":
                names = [self.next().text]
                while self.accept(","):
                    names.append(self.expect("ident", "field name").text)
                t = self.type(indirect)
            else:
                raise self.unexpected("field name or embedded type")
            tag = ""
            if self.peek().kind == "string":
                tag = _unquote(self.next().text)
            for n in names:
                fields.append((n, t, tag))
            if not self.accept(";") and self.peek().kind != "}":
                raise self.unexpected("semicolon, newline, or '}'")
        return self._build(start.pos, struct_of, fields)

    def interface_body(self, pos: int) -> GoType:
        self.expect("{", "'{'")
        methods: list[tuple[str, GoType]] = []
        while True:
            while self.accept(";"):
                pass
            if self.accept("}"):
                break
            tok = self.peek()
            if tok.kind == "ident" and self.peek(1).kind == "(":
                self.next()
                methods.append((tok.text, self.signature(tok.pos)))
            elif tok.kind in ("ident",) and self.peek(1).kind in (";", "}", "."):
                emb = self.type_name(indirect=True)
                if emb.kind == _FORWARD:
                    raise UnknownType(f"unknown type: {emb.name} (embedded before it is declared)")
                if emb.kind != "interface":
                    raise self.error_at(
                        tok.pos, f"cannot use {emb.name} in an interface: type constraints are not value types"
                    )
                methods.extend(emb.methods)
            elif tok.kind in ("~", "|") or tok.kind in _TYPE_START:
                raise self.error_at(tok.pos, "interface contains type constraints; not a value type")
            else:
                raise self.unexpected("method or embedded interface")
            if not self.accept(";") and self.peek().kind != "}":
                raise self.unexpected("semicolon, newline, or '}'")
        return self._build(pos, interface_of, methods)

    def signature(self, pos: int) -> GoType:
        params, variadic = self.param_list(allow_variadic=True)
        results: list[GoType] = []
        nxt = self.peek().kind
        if nxt == "(":
            results, _ = self.param_list(allow_variadic=False)
        elif nxt in _TYPE_START:
            results = [self.type(indirect=True)]
        return self._build(pos, func_of, params, results, variadic)

    def param_list(self, allow_variadic: bool) -> tuple[list[GoType], bool]:
        self.expect("(", "'('")
        # each item: (name token or None, type or None, is_variadic)
        items: list[tuple[_Tok | None, GoType | None, bool]] = []
        while self.peek().kind != ")":
            tok = self.peek()
            if tok.kind == "ident" and self.peek(1).kind in (",", ")"):
                self.next()
                items.append((tok, None, False))
            elif tok.kind == "ident" and self.peek(1).kind != ".":
                self.next()
                dots = self.accept("...")
                items.append((tok, self.type(indirect=True), dots is not None))
            else:
                dots = self.accept("...")
                items.append((None, self.type(indirect=True), dots is not None))
            if not self.accept(","):
                break
            while self.accept(";"):  # a newline after a comma
                pass
        self.expect(")", "')'")

        named = any(name is not None and t is not None for name, t, _ in items)
        types: list[GoType] = []
        dots_at: list[int] = []
        if named:
            pending = 0
            for name, t, dots in items:
                if name is None:
                    raise self.error_at(self.peek().pos, "syntax error: mixed named and unnamed parameters")
                if t is None:
                    pending += 1
                    continue
                if dots:
                    if pending:
                        raise self.error_at(name.pos, "can only use ... with final parameter")
                    dots_at.append(len(types))
                types.extend([t] * (pending + 1))
                pending = 0
            if pending:
                raise self.error_at(self.peek().pos, "syntax error: mixed named and unnamed parameters")
        else:
            for name, t, dots in items:
                if t is None:
                    assert name is not None
                    t = self.reg._resolve(name.text, True, self.declaring, name.pos, self)
                if dots:
                    dots_at.append(len(types))
                types.append(t)
        variadic = False
        if dots_at:
            if not allow_variadic or dots_at != [len(types) - 1]:
                raise self.error_at(self.peek().pos, "can only use ... with final parameter in list")
            types[-1] = slice_of(types[-1])
            variadic = True
        return types, variadic


def _go_int(text: str) -> int:
    """A Go integer literal: decimal, ``0x``/``0o``/``0b``, or octal with a bare leading 0."""
    t = text.replace("_", "")
    if t[:2].lower() in ("0x", "0o", "0b"):
        return int(t, 0)
    if len(t) > 1 and t[0] == "0":
        return int(t, 8)
    return int(t, 10)


# ---------------------------------------------------------------------------
# registry


def _check_decl_name(name: Any) -> str:
    if not isinstance(name, str) or not _IDENT_RE.match(name) or name in _KEYWORDS:
        raise BadInput(f"invalid type name {name!r}")
    if name == "_":
        raise BadInput("cannot declare a type named _")
    return name


class TypeRegistry:
    """The type declarations of one Go package (``main`` by default).

    Starts with the universe block (:data:`PREDECLARED`).  :meth:`declare`
    adds ``type Name <type>`` declarations one at a time; a declaration may
    refer to itself, or to names declared later, behind a pointer, slice,
    map, chan or func (which do not need the referent's size), so recursive
    and mutually recursive types work::

        reg.declare("Node", "struct { left, right *Node }")

    Ids are process-wide (:func:`by_id`), so a type from any registry can
    be stored in a malloc header.
    """

    def __init__(self, pkg: str = "main") -> None:
        if not isinstance(pkg, str) or not _IDENT_RE.match(pkg):
            raise BadInput(f"invalid package name {pkg!r}")
        self.pkg = pkg
        self._names: dict[str, GoType] = dict(PREDECLARED)
        self._declared: list[str] = []
        #: names used behind a pointer before their declaration (kind "forward")
        self._pending: dict[str, GoType] = {}

    # -- lookups -------------------------------------------------------

    def get(self, name: str) -> GoType:
        """The type called ``name`` ("Node" or "main.Node"); UnknownType if not declared."""
        if isinstance(name, str):
            if name == "unsafe.Pointer":
                return UNSAFE_POINTER
            if name.startswith(self.pkg + "."):
                name = name[len(self.pkg) + 1 :]
            t = self._names.get(name)
            if t is not None:
                return t
        raise UnknownType(f"unknown type: {name}")

    def __contains__(self, name: object) -> bool:
        try:
            self.get(name)  # type: ignore[arg-type]
        except UnknownType:
            return False
        return True

    def names(self) -> tuple[str, ...]:
        """Declared names (not the predeclared ones), in declaration order."""
        return tuple(self._declared)

    def unresolved(self) -> tuple[str, ...]:
        """Names used behind a pointer but never declared (yet)."""
        return tuple(self._pending)

    @staticmethod
    def by_id(type_id: int) -> GoType:
        """The type with this id (ids are process-wide; see :func:`by_id`)."""
        return by_id(type_id)

    def parse(self, text: str) -> GoType:
        """The type a Go type expression denotes (``"*Node"``, ``"map[string][]int"``, ...).

        Raises BadInput (with ``line:col``) for bad syntax and UnknownType for
        names that are not declared.
        """
        if isinstance(text, GoType):
            return text
        if not isinstance(text, str):
            raise BadInput(f"type expression must be a string, got {text!r}")
        return _Parser(self, text, None).parse_whole()

    # -- declarations --------------------------------------------------

    def declare(self, name: str, type_or_text: str | GoType | Callable[[GoType], GoType]) -> GoType:
        """``type name <type>``: a new named type; returns it.

        ``type_or_text`` is Go source (``"struct { left, right *Node }"``), a
        GoType, or a callable that receives the (still incomplete) named type,
        for building recursive types with the constructors.  Declaring a name
        again with the same definition returns the existing type; with a
        different one raises BadInput.
        """
        _check_decl_name(name)
        existing = self._names.get(name)
        if existing is not None:
            return self._redeclare(name, existing, type_or_text)
        shell = self._pending.get(name)
        fresh_shell = shell is None
        if shell is None:
            shell = _new(name=name, kind=_FORWARD, size=0, align=1, ptrdata=0, ptrmask=0, named=True, pkg=self.pkg)
        pending_before = set(self._pending)
        self._pending[name] = shell
        try:
            underlying = self._evaluate(name, shell, type_or_text)
        except BaseException:
            for n in set(self._pending) - pending_before:
                del self._pending[n]
            if not fresh_shell:
                self._pending[name] = shell
            raise
        _complete(shell, underlying)
        del self._pending[name]
        self._names[name] = shell
        self._declared.append(name)
        return shell

    def alias(self, name: str, type_or_text: str | GoType) -> GoType:
        """``type name = <type>``: another name for an existing type."""
        _check_decl_name(name)
        t = self.parse(type_or_text) if isinstance(type_or_text, str) else type_or_text
        if not isinstance(t, GoType) or t.kind == _FORWARD:
            raise BadInput(f"cannot alias {name} to {type_or_text!r}")
        existing = self._names.get(name)
        if existing is not None and existing is not t:
            raise BadInput(f"{name} redeclared in this block")
        self._names[name] = t
        return t

    def _evaluate(self, name: str, shell: GoType, spec: Any) -> GoType:
        if isinstance(spec, str):
            t = _Parser(self, spec, name).parse_whole()
        elif isinstance(spec, GoType):
            t = spec
        elif callable(spec):
            t = spec(shell)
            if not isinstance(t, GoType):
                raise BadInput(f"declare({name!r}, fn): fn returned {t!r}, not a GoType")
        else:
            raise BadInput(f"declare({name!r}, ...): expected Go source, a GoType or a callable, got {spec!r}")
        if t is shell or (t.kind == _FORWARD):
            raise BadInput(f"invalid recursive type {name}: {name} refers to itself")
        return t.underlying

    def _redeclare(self, name: str, existing: GoType, spec: Any) -> GoType:
        if name not in self._declared:
            raise BadInput(f"{name} redeclared: it is a predeclared type")
        pending_before = set(self._pending)
        try:
            if isinstance(spec, str):
                t = _Parser(self, spec, None).parse_whole()
            elif isinstance(spec, GoType):
                t = spec
            else:
                t = None
        except (BadInput, UnknownType):
            t = None
        finally:
            for n in set(self._pending) - pending_before:
                del self._pending[n]
        if t is not None and t.underlying is existing.underlying:
            return existing
        raise BadInput(f"{name} redeclared in this block")

    def _resolve(self, name: str, indirect: bool, declaring: str | None, pos: int, parser: _Parser) -> GoType:
        t = self._names.get(name)
        if t is not None:
            return t
        shell = self._pending.get(name)
        if shell is not None or declaring is not None:
            if not indirect:
                if name == declaring:
                    raise parser.error_at(pos, f"invalid recursive type {name}")
                raise UnknownType(f"unknown type: {name}")
            if shell is None:
                shell = _new(
                    name=name, kind=_FORWARD, size=0, align=1, ptrdata=0, ptrmask=0, named=True, pkg=self.pkg
                )
                self._pending[name] = shell
            return shell
        raise UnknownType(f"unknown type: {name}")

    def __repr__(self) -> str:
        return f"<TypeRegistry package {self.pkg}: {', '.join(self._declared) or 'no declarations'}>"


def _complete(shell: GoType, underlying: GoType) -> None:
    """Give a declared name its body, once: the only mutation a GoType ever sees."""
    _need_complete(underlying, f"type {shell.name}")
    for k, v in _copy_kw(underlying).items():
        object.__setattr__(shell, k, v)
    object.__setattr__(shell, "_underlying", underlying.underlying)
    _check(shell)


_DEFAULT: TypeRegistry | None = None

#: declarations every default registry has (the article's and the benchmarks' shapes)
HANDY_TYPES: tuple[tuple[str, str], ...] = (
    # binary-trees and the article's object graphs
    ("Node", "struct { left, right *Node }"),
    # a singly linked list with a payload
    ("List", "struct { next *List; value int }"),
    # a pointer-free record, for noscan allocations
    ("Point", "struct { x, y float64 }"),
    # a key/value pair holding a string and an interface
    ("Pair", "struct { key string; value any }"),
)


def default_registry() -> TypeRegistry:
    """The process-wide registry of package main, with :data:`HANDY_TYPES` declared."""
    global _DEFAULT
    if _DEFAULT is None:
        reg = TypeRegistry()
        for n, src in HANDY_TYPES:
            reg.declare(n, src)
        _DEFAULT = reg
    return _DEFAULT


def parse(text: str) -> GoType:
    """:meth:`TypeRegistry.parse` on :func:`default_registry`."""
    return default_registry().parse(text)


def iter_types() -> Iterator[GoType]:
    """Every descriptor made so far, in id order."""
    return iter(list(_BY_ID.values()))
