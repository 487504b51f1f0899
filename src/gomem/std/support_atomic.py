"""The run-time side of ``sync/atomic``: the functions on ``*int32 ... *uintptr`` and the methods of the
types ``Int32``, ``Int64``, ``Uint32``, ``Uint64``, ``Uintptr``, ``Bool``, ``Value`` and ``Pointer[T]``.

Every value is read and written in model memory through the typed views (``int32`` 4 bytes signed,
``uint64`` 8 bytes unsigned ...), and arithmetic wraps as Go's does: ``AddInt32(&x, 1)`` on
``math.MaxInt32`` gives ``math.MinInt32``, ``AddUint32(&x, ^uint32(0))`` subtracts one.  The types'
value is their ``v`` field, at offset 0 (``sync/atomic/type.go``: ``_ noCopy`` and ``_ align64`` take
no bytes), a ``Bool`` a ``uint32`` that is 0 or 1.  A nil address panics as Go's nil dereference does.

Atomicity: the model runs one goroutine at a time and switches only at its own safe points (calls,
allocations, channel and sync operations), never inside a helper, so each helper is atomic as the
hardware instruction is (``LOCK XADDQ``, ``XCHGQ``, ``CMPXCHGQ``).  ``Value`` stores its data word
and ``Pointer[T]`` its pointer through the write barrier, as Go's ``StorePointer`` does.
"""

from __future__ import annotations

from ..runtime.arena import ARENA_BASE_ADDR as B
from ..runtime.panics import GoPanic

#: kind -> (memoryview format, log2 of the width, bits, signed)
KINDS = {"int32": ("i", 2, 32, True), "int64": ("q", 3, 64, True), "uint32": ("I", 2, 32, False),
         "uint64": ("Q", 3, 64, False), "uintptr": ("Q", 3, 64, False)}


def _wrap(bits: int, signed: bool):
    mask = (1 << bits) - 1
    half = 1 << (bits - 1)
    if signed:
        return lambda x: ((x + half) & mask) - half
    return lambda x: x & mask


def make_atomic_helpers(ns: dict, rt) -> dict:
    """``AT_<op>_<kind>`` for op in add, load, store, swap, cas, and, or (Go's semantics: Add returns
    the new value, Swap/And/Or the old one, CompareAndSwap whether it swapped), plus the Bool and Value
    methods."""
    mem = rt.heap.aspace.mem
    nilcheck = ns["nilcheck"]
    out: dict = {}
    for kind, (fmt, shift, bits, signed) in KINDS.items():
        out.update(_kind_helpers(kind, memoryview(mem).cast(fmt), shift, _wrap(bits, signed), nilcheck))
    U32 = memoryview(mem).cast("I")

    def AT_load_bool(a: int) -> bool:
        return U32[(nilcheck(a) - B) >> 2] != 0

    def AT_store_bool(a: int, v: bool) -> None:
        U32[(nilcheck(a) - B) >> 2] = 1 if v else 0

    def AT_swap_bool(a: int, v: bool) -> bool:
        i = (nilcheck(a) - B) >> 2
        old = U32[i]
        U32[i] = 1 if v else 0
        return old != 0

    def AT_cas_bool(a: int, old: bool, new: bool) -> bool:
        i = (nilcheck(a) - B) >> 2
        if (U32[i] != 0) != bool(old):
            return False
        U32[i] = 1 if new else 0
        return True

    out.update((k, v) for k, v in locals().items() if k.startswith("AT_"))
    out.update(_value_helpers(ns, rt, nilcheck))
    out.update(_pointer_helpers(rt, nilcheck))
    return out


def _pointer_helpers(rt, nilcheck) -> dict:
    """``atomic.Pointer[T]``: its ``v`` word at offset 0.  A store is a pointer store the collector must
    see, so Store, Swap and a successful CompareAndSwap write through the write barrier, as Go's
    ``StorePointer``/``SwapPointer``/``CompareAndSwapPointer`` do (``atomicstorep``, ``atomicwb``); Load
    reads the word (a pointer load needs no barrier)."""
    W = rt.words

    def AT_load_pointer(x: int) -> int:
        return W[(nilcheck(x) - B) >> 3]

    def AT_store_pointer(g, x: int, new: int) -> None:
        g.write_slot(nilcheck(x), new)

    def AT_swap_pointer(g, x: int, new: int) -> int:
        old = W[(nilcheck(x) - B) >> 3]
        g.write_slot(x, new)
        return old

    def AT_cas_pointer(g, x: int, old: int, new: int) -> bool:
        if W[(nilcheck(x) - B) >> 3] != old:
            return False
        g.write_slot(x, new)
        return True

    return {k: f for k, f in locals().items() if k.startswith("AT_")}


def _value_helpers(ns: dict, rt, nilcheck) -> dict:
    """``atomic.Value``: an ``any`` (type word at 0, data word at 8) whose dynamic type, once stored,
    never changes; Go's panics for a nil value and for another type.  (Go's ``firstStoreInProgress``
    sentinel, which other goroutines spin on during a first store, cannot be observed here: a
    helper is never interrupted.)"""
    W = rt.words

    def load(v: int) -> tuple:
        return (W[(nilcheck(v) - B) >> 3], W[(v + 8 - B) >> 3])

    def put(g, v: int, x: tuple, what: str) -> tuple:
        if x[0] == 0:
            raise GoPanic(f"sync/atomic: {what} of nil value into Value")
        old = load(v)
        if old[0] and old[0] != x[0]:
            raise GoPanic(f"sync/atomic: {what} of inconsistently typed value into Value")
        g.write_slot(v + 8, x[1])
        W[(v - B) >> 3] = x[0]
        return old

    def AT_value_Load(v: int) -> tuple:
        return load(v)

    def AT_value_Store(g, v: int, x: tuple) -> None:
        put(g, v, x, "store")

    def AT_value_Swap(g, v: int, x: tuple) -> tuple:
        return put(g, v, x, "swap")

    def AT_value_CompareAndSwap(g, v: int, old: tuple, new: tuple) -> bool:
        if new[0] == 0:
            raise GoPanic("sync/atomic: compare and swap of nil value into Value")
        if old[0] and old[0] != new[0]:
            raise GoPanic("sync/atomic: compare and swap of inconsistently typed values")
        cur = load(v)
        if cur[0] == 0:
            if old[0]:
                return False
        elif cur[0] != new[0]:
            raise GoPanic("sync/atomic: compare and swap of inconsistently typed value into Value")
        elif not ns["IFACES"].equal(cur, old, ns["PROGRAM"].fmt_host.values_equal):
            return False
        put(g, v, new, "compare and swap")
        return True

    return {k: f for k, f in locals().items() if k.startswith("AT_value_")}


def _kind_helpers(kind: str, V, shift: int, wrap, nilcheck) -> dict:
    """The seven operations on one integer kind, *V* its view of memory."""

    def add(a: int, d: int) -> int:
        i = (nilcheck(a) - B) >> shift
        V[i] = v = wrap(V[i] + d)
        return v

    def load(a: int) -> int:
        return V[(nilcheck(a) - B) >> shift]

    def store(a: int, v: int) -> None:
        V[(nilcheck(a) - B) >> shift] = v

    def swap(a: int, v: int) -> int:
        i = (nilcheck(a) - B) >> shift
        old = V[i]
        V[i] = v
        return old

    def cas(a: int, old: int, new: int) -> bool:
        i = (nilcheck(a) - B) >> shift
        if V[i] != old:
            return False
        V[i] = new
        return True

    def and_(a: int, m: int) -> int:
        i = (nilcheck(a) - B) >> shift
        old = V[i]
        V[i] = wrap(old & m)
        return old

    def or_(a: int, m: int) -> int:
        i = (nilcheck(a) - B) >> shift
        old = V[i]
        V[i] = wrap(old | m)
        return old

    ops = {"add": add, "load": load, "store": store, "swap": swap, "cas": cas, "and": and_, "or": or_}
    return {f"AT_{op}_{kind}": f for op, f in ops.items()}
