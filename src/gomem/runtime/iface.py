"""Interfaces at run time: type descriptors, itabs, assertions and the ``convT`` data words.

An interface value is two words (``runtime.eface``/``iface``): the first is the
address of the dynamic type's descriptor (an empty interface) or of an *itab*
(a non-empty one: the interface type, the dynamic type and its method table),
the second the data word.  Both descriptors and itabs live in the program's
read-only data, as the linker's ``type:*`` and ``go:itab.*`` symbols do (an
itab built at run time by ``getitab`` is ``persistentalloc``'d, off the
heap): neither is ever a heap object, so neither shows in MemStats.

:class:`Interfaces` is built when the program starts from the tables the
code generator wrote (:mod:`gomem.compile.ifacegen`): one descriptor per dynamic type the
program converts to an interface, one itab per (interface, type) pair the
program converts statically, more itabs on demand for assertions to an
interface.  Generated code calls the methods through ``ITF[itab][k]`` (the
k-th method of the interface in Go's sorted order), each a wrapper taking
the data word, as Go's itab entries do.

Simplification: an itab's method table and a descriptor's method set are
Python tuples and dicts beside the read-only bytes (the bytes are zero); the
collector never reads them, since they hold no heap pointers.
"""

from __future__ import annotations

import struct

from .arena import ARENA_BASE_ADDR as B
from ..compile import types as T
from ..std.fmt import type_string
from .panics import NIL_DEREF, GoPanic

#: bytes of read-only data per type descriptor (abi.Type's header) and per itab (abi.ITab with one method)
TYPE_DESCRIPTOR_SIZE = 48
ITAB_SIZE = 32
#: runtime.zeroVal: what the data word of an empty string or nil slice converted to an interface points to
ZERO_VAL_BYTES = 1024


class TypeInfo:
    """What the runtime knows of one dynamic type: the front-end type, how to read a value of it from an
    interface's data word, and its method set (name -> wrapper taking the data word; and taking the value)."""

    __slots__ = ("t", "addr", "name", "load", "methods", "value_methods")

    def __init__(self, t, addr: int, load, methods: dict, value_methods: dict):
        self.t = t
        self.addr = addr
        self.name = type_string(t)
        self.load = load
        self.methods = methods
        self.value_methods = value_methods


class _ITabFuncs(dict):
    """itab address -> method table; a nil interface has none (calling a method of one is a nil dereference)."""

    def __missing__(self, key):
        raise GoPanic(NIL_DEREF + "\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]")


class Interfaces:
    """The program's type descriptors and itabs, and the runtime's interface operations."""

    def __init__(self, ns: dict, rodata):
        self.ns = ns
        self.rodata = rodata
        self.types: dict[int, TypeInfo] = {}  # descriptor address -> type
        self.by_ftype: dict[int, TypeInfo] = {}  # id(front-end type) -> type
        self.dyn: dict[int, int] = {0: 0}  # descriptor or itab address -> descriptor address
        self.itf = _ITabFuncs()  # itab address -> its method table
        self.itab_cache: dict[tuple[int, int], int] = {}  # (interface id, descriptor) -> itab
        self.ifaces: dict[int, object] = {}  # interface id -> front-end interface type
        self._keep: list = []  # types whose id() keys by_ftype

    # -- building ----------------------------------------------------------------------------------

    def add_type(self, t, load, methods: dict, value_methods: dict) -> int:
        addr = self.rodata(bytes(TYPE_DESCRIPTOR_SIZE))
        ti = TypeInfo(t, addr, load, methods, value_methods)
        self.types[addr] = ti
        self.by_ftype[id(t)] = ti
        self.dyn[addr] = addr
        return addr

    def info(self, t) -> TypeInfo | None:
        """The TypeInfo of the front-end type *t* (any type identical to a registered one)."""
        ti = self.by_ftype.get(id(t), False)
        if ti is False:
            ti = next((c for c in self.types.values() if T.identical(c.t, t)), None)
            self.by_ftype[id(t)] = ti
            self._keep.append(t)
        return ti

    def getitab(self, iface_id: int, typ: int, canfail: bool) -> int:
        """``runtime.getitab``: the itab of the interface *iface_id* for the dynamic type *typ*; 0 if the type
        lacks a method and *canfail*, else the TypeAssertionError panic."""
        key = (iface_id, typ)
        tab = self.itab_cache.get(key)
        if tab is not None:
            return tab
        it = self.ifaces[iface_id]
        ti = self.types[typ]
        fns = []
        for m in it.u.all_methods():
            fn = ti.methods.get(m.name)
            if fn is None:
                if canfail:
                    return 0
                raise GoPanic(f"interface conversion: {ti.name} is not {type_string(it)}: missing method {m.name}")
            fns.append(fn)
        tab = self.rodata(bytes(ITAB_SIZE))
        self.itf[tab] = tuple(fns)
        self.dyn[tab] = typ
        self.itab_cache[key] = tab
        return tab

    # -- operations generated code calls ------------------------------------------------------------

    def assert_fail(self, tab: int, src, target) -> GoPanic:
        """The panic of a failed ``x.(T)``: *src* the static interface type, *target* the asserted type."""
        inter = type_string(src)
        want = type_string(target)
        if tab == 0:
            return GoPanic(f"interface conversion: {inter} is nil, not {want}")
        have = self.types[self.dyn[tab]].name
        if target.u.kind == "iface":
            for m in target.u.all_methods():
                if m.name not in self.types[self.dyn[tab]].methods:
                    return GoPanic(f"interface conversion: {have} is not {want}: missing method {m.name}")
        return GoPanic(f"interface conversion: {inter} is {have}, not {want}")

    def unbox(self, tab: int, data: int):
        """fmt's operand for an interface value: (dynamic type, value form), (None, None) for nil."""
        if tab == 0:
            return (None, None)
        ti = self.types[self.dyn[tab]]
        return (ti.t, ti.load(data))

    def equal(self, a, b, values_equal) -> bool:
        """``efaceeq``/``ifaceeq``: the same dynamic type and equal values (a panic for uncomparable types)."""
        ta = self.dyn[a[0]]
        if ta != self.dyn[b[0]]:
            return False
        if ta == 0:
            return True
        ti = self.types[ta]
        k = ti.t.u.kind
        if k in ("slice", "map", "func"):
            raise GoPanic(f"runtime error: comparing uncomparable type {ti.name}")
        if T.is_direct_iface(ti.t):
            return a[1] == b[1]
        return values_equal(ti.t, ti.load(a[1]), ti.load(b[1]))


def make_conv_helpers(mem, W, STATICBYTES: int, ZEROVAL: int):
    """The ``convT*`` functions of ``runtime/iface.go`` for values that are not pointer-shaped: each returns
    the interface's data word."""
    U8 = memoryview(mem).cast("B")
    from .types import STRING, slice_of, UINT8

    SLICE = slice_of(UINT8)

    def convT_small(g, bits: int, size: int) -> int:
        """``convT16``/``convT32``/``convT64``: below 256 the value is already in ``staticuint64s``."""
        if bits < 256:
            return STATICBYTES + bits * 8
        p = g.alloc(size)
        U8[p - B:p - B + size] = bits.to_bytes(size, "little")
        return p

    def convT_f64(g, x: float) -> int:
        return convT_small(g, struct.unpack("<Q", struct.pack("<d", x))[0], 8)

    def convT_f32(g, x: float) -> int:
        return convT_small(g, struct.unpack("<I", struct.pack("<f", x))[0], 4)

    def convTstring(g, s) -> int:
        if s[1] == 0:
            return ZEROVAL
        p = g.alloc(16, STRING)
        g.write_slot(p, s[0])
        W[((p - B) >> 3) + 1] = s[1]
        return p

    def convTslice(g, s) -> int:
        if s[0] == 0:
            return ZEROVAL
        p = g.alloc(24, SLICE)
        g.write_slot(p, s[0])
        W[((p - B) >> 3) + 1] = s[1]
        W[((p - B) >> 3) + 2] = s[2]
        return p

    def convT(g, size: int, rtype, store, v) -> int:
        """``convT``/``convTnoptr``: a heap copy of the value."""
        p = g.alloc(size, rtype)
        store(g, p, v)
        return p

    def ro_store(a: int, store, g, v) -> int:
        """A static composite literal's read-only copy (the same bytes at every conversion)."""
        store(g, a, v)
        return a

    def conv_stack(store, g, v, f, off: int) -> int:
        """A conversion that does not escape: the value in a stack temporary of the frame (its address taken
        after the value is computed: a call in it may have moved the stack)."""
        a = f.base + off
        store(g, a, v)
        return a

    return {"convT_small": convT_small, "convT_f64": convT_f64, "convT_f32": convT_f32, "convTstring": convTstring,
            "convTslice": convTslice, "convT": convT, "conv_stack": conv_stack, "ro_store": ro_store}


def install(ns: dict, image) -> Interfaces:
    """Make the program's descriptors and static itabs (the tables :mod:`gomem.compile.ifacegen` wrote into *ns*) and the
    interface operations generated code calls; returns the :class:`Interfaces`."""
    ifs = Interfaces(ns, image.rodata)
    tables = ns["IFACE_TABLES"]
    ifs.ifaces.update(tables["ifaces"])
    for tdname, t, loader, mw, mv in tables["types"]:
        ns[tdname] = ifs.add_type(t, ns[loader], {m: ns[w] for m, w in mw.items()},
                                  {m: ns[w] for m, w in mv.items()})
    for itname, j, tdname in tables["itabs"]:
        ns[itname] = ifs.getitab(j, ns[tdname], False)
    for name, t, data in tables["ro_values"]:
        if isinstance(data, str):
            p, n = image.string(data.encode("utf-8", "surrogateescape"))
            data = p.to_bytes(8, "little") + n.to_bytes(8, "little")
        ns[name] = image.rodata(data)
    dyn = ifs.dyn
    getitab = ifs.getitab
    assert_fail = ifs.assert_fail

    def e_of_i(v):
        """A non-empty interface converted to ``any``: the itab's type."""
        return (dyn[v[0]], v[1])

    def i_typed(v):
        return (dyn[v[0]], v[1])

    def i2i(j: int, v):
        if v[0] == 0:
            return (0, 0)
        return (getitab(j, dyn[v[0]], False), v[1])

    def assert_T(v, td: int, load, zero, srcft, tft, commaok: bool):
        """``x.(T)`` for a concrete T: the type word compared with T's descriptor."""
        if v[0] == td:
            return (load(v[1]), True) if commaok else load(v[1])
        if commaok:
            return (zero, False)
        raise assert_fail(v[0], srcft, tft)

    def assert_E(v, src_empty: bool, srcft, tft, commaok: bool):
        typ = v[0] if src_empty else dyn[v[0]]
        if typ:
            return ((typ, v[1]), True) if commaok else (typ, v[1])
        if commaok:
            return ((0, 0), False)
        raise assert_fail(0, srcft, tft)

    def assert_I(v, src_empty: bool, j: int, srcft, tft, commaok: bool):
        typ = v[0] if src_empty else dyn[v[0]]
        tab = getitab(j, typ, True) if typ else 0
        if tab:
            return ((tab, v[1]), True) if commaok else (tab, v[1])
        if commaok:
            return ((0, 0), False)
        raise assert_fail(typ, srcft, tft)

    ns.update({"ITF": ifs.itf, "DYN": dyn, "getitab": getitab, "IFACES": ifs, "e_of_i": e_of_i,
               "i_typed": i_typed, "i2i": i2i, "assert_T": assert_T, "assert_E": assert_E, "assert_I": assert_I})
    return ifs
