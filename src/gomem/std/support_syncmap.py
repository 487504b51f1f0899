"""The run-time side of ``sync.Map``: Go 1.27's concurrent hash-trie (``internal/sync/hashtriemap.go``).

Since Go 1.24 a ``sync.Map`` is ``internal/sync.HashTrieMap[any, any]`` (``sync/map.go``): a trie of
*indirect* nodes, each with 16 children (``nChildrenLog2 = 4``: a level consumes four bits of the key's
64-bit hash, top bits first), whose leaves are *entry* nodes, each an ``(overflow, key, value)`` with the
entries of colliding hashes chained through ``overflow``.  Readers (Load, Range) take no lock: every link
is an ``atomic.Pointer``.  Writers find the slot, lock the indirect node that holds it (``i.mu``), check
that what they saw is still there and the node is not ``dead``, else start over; under the lock they never
modify an entry but replace it (Store of a present key makes a new entry), so readers always see a whole
one.  A new key whose slot holds an entry of another key grows the trie (``expand``): one indirect node per
level on which the two hashes still agree, then both entries side by side.  A delete that empties a
non-root indirect node marks it dead and unlinks it from its parent, level by level up.

The Map in model memory is Go's 48 bytes (``sync.Map`` over ``HashTrieMap``): ``inited`` (uint32) at 0,
``initMu`` (a Mutex) at 4, ``root`` at 16, ``keyHash`` and ``valEqual`` (func values) at 24 and 32,
``seed`` at 40.  The first operation on a zero Map (even a Load or Range) runs ``initSlow``: the root
indirect node, the hash function and seed.  Nodes are allocated as Go allocates them, sizes from the
compiler's layout (``go build`` of the structs below, ``unsafe.Sizeof``) and checked against MemStats on
Go 1.27 (tests/test_syncmap.py, ``TestAllocations``: the first operation on a Map is 1 malloc of 160
bytes, a Store of a present key or a successful Swap/CompareAndSwap 1 of 48, a LoadAndDelete none):

* ``indirect[any, any]``: ``isEntry`` bool at 0, ``dead`` (atomic.Bool) at 4, ``mu`` (Mutex) at 8,
  ``parent`` at 16, ``children [16]`` at 24: 152 bytes, the 160-byte size class;
* ``entry[any, any]``: ``isEntry`` at 0, ``overflow`` at 8, ``key`` at 16, ``value`` at 32: 48 bytes.

Every pointer store into a node goes through the write barrier (they are ``atomic.Pointer`` stores, which
Go's compiler gives a barrier); a node the helper holds only in Python while it allocates or blocks (a
fresh entry, the top of a fresh subtree, the value a delete took out, the indirect node it locked) is kept
in a runtime frame of its goroutine, as Go keeps it on the stack, so a collection meanwhile sees it.

Keys are compared as Go's ``==`` on interfaces; the hash is Go's ``nilinterhash`` in shape (the nil
interface hashes to the seed; a dynamic type that is not comparable panics with Go's words, ``runtime
error: hash of unhashable type []int``, naming the topmost type; the value is hashed by its type's
structure, the dynamic type itself not mixed in, so ``int(1)`` and ``int64(1)`` share a hash and an
overflow chain as they do in Go) but its function is the model's (:func:`gomem.runtime.maps.hmix` and the
map runtime's string and float hashes), seeded per Map from the run's seed.  Go seeds each Map from
``runtime.rand`` per process, so a real trie's shape (and Range's order) differs from run to run and from
the model's; the number of indirect nodes a set of keys needs varies with it (by a few in a thousand keys).

The indirect nodes' mutexes are the model's Mutex (:mod:`gomem.std.support_sync`): the model switches
goroutines only at safe points, and the only ones inside these helpers are the allocations of new nodes
and the locking itself, so a mutex is contended exactly when a goroutine was switched out while it held
one to allocate; the other writers then park on it as in Go.  Range calls its function with no lock held,
and the function may call any method of the Map.
"""

from __future__ import annotations

import random

from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR as B
from ..runtime.maps import hmix
from ..runtime.panics import GoPanic, runtime_error

#: bits of the hash a level of the trie consumes, and its children (``nChildrenLog2``, ``nChildren``)
N_CHILDREN_LOG2 = 4
N_CHILDREN = 1 << N_CHILDREN_LOG2
N_CHILDREN_MASK = N_CHILDREN - 1
#: unsafe.Sizeof(indirect[any, any]{}) and unsafe.Sizeof(entry[any, any]{}) on linux/amd64 (the field
#: offsets in the module docstring); MemStats counts them as 160 and 48 bytes (their size classes)
INDIRECT_BYTES = 152
ENTRY_BYTES = 48
#: offsets in a Map (HashTrieMap), an indirect node and an entry node
M_INITED, M_INITMU, M_ROOT, M_KEYHASH, M_VALEQUAL, M_SEED = 0, 4, 16, 24, 32, 40
I_DEAD, I_MU, I_PARENT, I_CHILDREN = 4, 8, 16, 24
E_OVERFLOW, E_KEY, E_VALUE = 8, 16, 32

_UP = gotypes.UNSAFE_POINTER
_ANY = gotypes.interface_of()
INDIRECT_TYPE = gotypes.struct_of([("isEntry", gotypes.BOOL), ("dead", gotypes.UINT32), ("mu", gotypes.UINT64),
                                   ("parent", _UP), ("children", gotypes.array_of(_UP, N_CHILDREN))],
                                  name="indirect", pkg="sync")
ENTRY_TYPE = gotypes.struct_of([("isEntry", gotypes.BOOL), ("overflow", _UP), ("key", _ANY), ("value", _ANY)],
                               name="entry", pkg="sync")
#: a Map method's frame: the indirect node it locked, a fresh entry, the top of a fresh subtree, and the
#: data word of the value it returns (once no node holds it)
OP_FRAME = gotypes.struct_of([("i", _UP), ("e", _UP), ("top", _UP), ("res", _UP)], name="hashtriemap", pkg="sync")
#: a level of Range (``iter``): the func value, the indirect node it walks, the entry it yields
ITER_FRAME = gotypes.struct_of([("f", _UP), ("i", _UP), ("e", _UP)], name="hashtriemapiter", pkg="sync")
NIL = (0, 0)
_M64 = (1 << 64) - 1


def _check_size(t, size: int) -> None:
    if t.size != size:
        raise AssertionError(f"{t} is {t.size} bytes, Go's is {size}")


_check_size(INDIRECT_TYPE, INDIRECT_BYTES)
_check_size(ENTRY_TYPE, ENTRY_BYTES)


def make_syncmap_helpers(ns: dict, rt, mutex_lock, mutex_unlock) -> dict:
    """``smap_<Method>(g, m, ...)`` for the methods of ``*sync.Map`` (see the module docstring)."""
    return HashTrieMaps(ns, rt, mutex_lock, mutex_unlock).helpers()


class HashTrieMaps:
    """The program's ``sync.Map`` operations: ``internal/sync.HashTrieMap[any, any]``'s methods."""

    def __init__(self, ns: dict, rt, mutex_lock, mutex_unlock) -> None:
        self.ns = ns
        self.rt = rt
        self.W = rt.words
        mem = rt.heap.aspace.mem
        self.U8 = memoryview(mem).cast("B")
        self.U32 = memoryview(mem).cast("I")
        self.lock = mutex_lock
        self.unlock = mutex_unlock
        probe = random.Random()
        probe.setstate(rt.sched.rng.getstate())  # a copy: the scheduler's own draws stay as they were
        self.rng = random.Random(probe.getrandbits(64) ^ 0x68617368_74726965)
        self.funcs = None  # the funcvals of keyHash and valEqual (read-only data, made at the first init)

    def helpers(self) -> dict:
        names = ("Load", "Store", "LoadOrStore", "LoadAndDelete", "Delete", "Swap", "CompareAndSwap",
                 "CompareAndDelete", "Range", "Clear")
        return {f"smap_{n}": getattr(self, n) for n in names}

    # -- memory ------------------------------------------------------------------------------------

    def w(self, a: int) -> int:
        return self.W[(a - B) >> 3]

    def iface(self, a: int) -> tuple:
        i = (a - B) >> 3
        return (self.W[i], self.W[i + 1])

    def is_entry(self, n: int) -> bool:
        return self.U8[n - B] != 0

    def dead(self, i: int) -> bool:
        return self.U32[(i + I_DEAD - B) >> 2] != 0

    def child(self, i: int, hash_: int, shift: int) -> int:
        """The address of the slot of *i*'s children that the hash selects at the level below *shift*."""
        return i + I_CHILDREN + 8 * ((hash_ >> shift) & N_CHILDREN_MASK)

    def keep(self, f, k: int, v: int) -> None:
        """Slot *k* of the runtime frame *f* := *v* (a stack write: no barrier)."""
        self.W[((f.base - B) >> 3) + k] = v

    def new_indirect(self, g, parent: int) -> int:
        """``newIndirectNode(parent)``."""
        a = g.alloc(INDIRECT_BYTES, INDIRECT_TYPE)
        if parent:
            g.write_slot(a + I_PARENT, parent)
        return a

    def new_entry(self, g, key: tuple, value: tuple) -> int:
        """``newEntryNode(key, value)``: its type words are scalars to the collector, its data words pointers."""
        a = g.alloc(ENTRY_BYTES, ENTRY_TYPE)
        self.U8[a - B] = 1
        W = self.W
        W[(a + E_KEY - B) >> 3] = key[0]
        g.write_slot(a + E_KEY + 8, key[1])
        W[(a + E_VALUE - B) >> 3] = value[0]
        g.write_slot(a + E_VALUE + 8, value[1])
        return a

    # -- hashing and equality --------------------------------------------------------------------------

    def key_hash(self, k: tuple, seed: int) -> int:
        """``nilinterhash``: the seed for nil; Go's panic for a type that is not comparable."""
        if k[0] == 0:
            return seed
        ifaces = self.ns["IFACES"]
        ti = ifaces.types[ifaces.dyn[k[0]]]
        if not _comparable(ti.t):
            raise runtime_error(f"hash of unhashable type {ti.name}")
        return self.value_hash(ti.t, ti.load(k[1]), seed ^ 0x9E3779B97F4A7C15)

    def value_hash(self, t, v, h: int) -> int:
        """``typehash``: the value form *v* of the comparable type *t*, word by word."""
        from ..compile import layout as L

        f = L.form(t)
        if f in (L.INT, L.WORD):
            return hmix((v & _M64) ^ h)
        if f == L.BOOL:
            return hmix((1 if v else 0) ^ h)
        if f == L.FLOAT:
            return self.ns["hfloat"](v, h)
        if f == L.COMPLEX:
            return self.ns["hfloat"](v.imag, self.ns["hfloat"](v.real, h))
        if f == L.STRING:
            return self.ns["hstr"](v, h)
        if f == L.STRUCT:
            for fl, x in zip(t.u.fields, v):
                if fl.name != "_":
                    h = self.value_hash(fl.type, x, h)
            return h
        if f == L.ARRAY:
            for x in v:
                h = self.value_hash(t.u.elem_type, x, h)
            return h
        if f == L.IFACE:
            return self.key_hash(v, h)
        raise AssertionError(f"hash of {t} ({f})")

    def keys_equal(self, a: tuple, b: tuple) -> bool:
        return self.ns["IFACES"].equal(a, b, self.ns["PROGRAM"].fmt_host.values_equal)

    def hash_of(self, g, m: int, key: tuple) -> int:
        self.init(g, m)
        return self.key_hash(key, self.w(m + M_SEED))

    # -- init --------------------------------------------------------------------------------------

    def init(self, g, m: int) -> None:
        """``init``; a nil ``*Map`` is Go's nil dereference (its first access, ``ht.inited``)."""
        if self.U32[(self.ns["nilcheck"](m) + M_INITED - B) >> 2] == 0:
            self.init_slow(g, m)

    def init_slow(self, g, m: int) -> None:
        """``initSlow``: under ``initMu``, the root node, the key's hash function and the seed."""
        self.lock(g, m + M_INITMU)
        try:
            if self.U32[(m + M_INITED - B) >> 2] != 0:
                return  # another goroutine got here first
            if self.funcs is None:
                rodata = self.ns["PROGRAM"].image.rodata
                self.funcs = (rodata(bytes(8)), rodata(bytes(8)))  # runtime.nilinterhash, runtime.nilinterequal
            g.write_slot(m + M_ROOT, self.new_indirect(g, 0))
            W = self.W
            W[(m + M_KEYHASH - B) >> 3], W[(m + M_VALEQUAL - B) >> 3] = self.funcs
            W[(m + M_SEED - B) >> 3] = self.rng.getrandbits(64)
            self.U32[(m + M_INITED - B) >> 2] = 1
        finally:
            self.unlock(g, m + M_INITMU)

    # -- reading -------------------------------------------------------------------------------------

    def lookup(self, e: int, key: tuple, value=None):
        """``entry.lookup``/``lookupWithValue``: the entry of *key* on *e*'s overflow chain (whose value
        equals *value* unless that is None), or 0."""
        while e:
            if self.keys_equal(self.iface(e + E_KEY), key) and (
                    value is None or self.keys_equal(self.iface(e + E_VALUE), value)):
                return e
            e = self.w(e + E_OVERFLOW)
        return 0

    def Load(self, g, m: int, key: tuple):
        h = self.hash_of(g, m, key)
        i = self.w(m + M_ROOT)
        shift = 64
        while shift:
            shift -= N_CHILDREN_LOG2
            n = self.w(self.child(i, h, shift))
            if n == 0:
                return NIL, False
            if self.is_entry(n):
                e = self.lookup(n, key)
                return (self.iface(e + E_VALUE), True) if e else (NIL, False)
            i = n
        raise GoPanic("internal/sync.HashTrieMap: ran out of hash bits while iterating")

    def Range(self, g, m: int, fv: int) -> None:
        self.init(g, m)
        f = g.runtime_frame(ITER_FRAME, "sync.(*Map).Range")
        self.keep(f, 0, fv)
        self.iter(g, f, self.w(m + M_ROOT))
        g.pop(f)

    def iter(self, g, top, i: int) -> bool:
        """``iter``: depth first, each overflow chain in order; False once the function has returned false.
        (A panic in the function leaves the frames to the unwinder, as generated code's are.)"""
        f = g.runtime_frame(ITER_FRAME, "internal/sync.(*HashTrieMap[...]).iter")
        self.keep(f, 1, i)
        for j in range(N_CHILDREN):
            n = self.w(self.w(f.base + 8) + I_CHILDREN + 8 * j)
            if n == 0:
                continue
            if not self.is_entry(n):
                if not self.iter(g, top, n):
                    g.pop(f)
                    return False
                continue
            e = n
            while e:
                self.keep(f, 2, e)
                fv = self.w(top.base)
                code = self.ns["CODE"][self.w(self.ns["nilcheck"](fv))]
                if not code(g, fv, self.iface(e + E_KEY), self.iface(e + E_VALUE)):
                    g.pop(f)
                    return False
                e = self.w(self.w(f.base + 16) + E_OVERFLOW)
        g.pop(f)
        return True

    # -- finding a slot to write ----------------------------------------------------------------------

    def locked_slot(self, g, f, m: int, h: int, key: tuple, stop_at_match: bool):
        """The search of LoadOrStore and Swap: the slot for *key* (nil, or an entry to replace or expand)
        with its indirect node locked, as ``(i, shift, slot, n)``; or ``(0, 0, 0, e)`` when
        *stop_at_match* and the entry *e* of *key* was found without the lock (LoadOrStore's fast path)."""
        while True:
            i = self.w(m + M_ROOT)
            shift = 64
            found = False
            while shift:
                shift -= N_CHILDREN_LOG2
                slot = self.child(i, h, shift)
                n = self.w(slot)
                if n == 0 or self.is_entry(n):
                    if n and stop_at_match:
                        e = self.lookup(n, key)
                        if e:
                            return 0, 0, 0, e
                    found = True
                    break
                i = n
            if not found:
                raise GoPanic("internal/sync.HashTrieMap: ran out of hash bits while iterating")
            self.keep(f, 0, i)
            self.lock(g, i + I_MU)
            n = self.w(slot)
            if (n == 0 or self.is_entry(n)) and not self.dead(i):
                return i, shift, slot, n
            self.unlock(g, i + I_MU)  # what was seen changed: start over

    def find(self, g, f, m: int, h: int, key: tuple, value=None):
        """``find``: ``(i, shift, slot, n)`` with *i* locked and *n* the entry chain holding *key* (and
        *value*, unless None), or n = 0 (the slot emptied meanwhile); i = 0 (nothing locked) when absent."""
        while True:
            i = self.w(m + M_ROOT)
            shift = 64
            while True:
                if shift == 0:
                    raise GoPanic("internal/sync.HashTrieMap: ran out of hash bits while iterating")
                shift -= N_CHILDREN_LOG2
                slot = self.child(i, h, shift)
                n = self.w(slot)
                if n == 0:
                    return 0, 0, 0, 0
                if self.is_entry(n):
                    if not self.lookup(n, key, value):
                        return 0, 0, 0, 0
                    break
                i = n
            self.keep(f, 0, i)
            self.lock(g, i + I_MU)
            n = self.w(slot)
            if not self.dead(i) and (n == 0 or self.is_entry(n)):
                return i, shift, slot, n
            self.unlock(g, i + I_MU)

    def expand(self, g, f, old: int, new: int, new_hash: int, shift: int, parent: int, seed: int) -> int:
        """``expand``: the node that holds the entries *old* and *new* in place of *old*: *new* with *old* on
        its overflow chain when their hashes are equal, else a subtree of indirect nodes down to the level
        where the hashes part."""
        old_hash = self.key_hash(self.iface(old + E_KEY), seed)
        if old_hash == new_hash:
            g.write_slot(new + E_OVERFLOW, old)
            return new
        ind = top = self.new_indirect(g, parent)
        self.keep(f, 2, top)
        while True:
            if shift == 0:
                raise GoPanic("internal/sync.HashTrieMap: ran out of hash bits while inserting "
                              "(incorrect use of unsafe or cgo, or data race?)")
            shift -= N_CHILDREN_LOG2
            oi = (old_hash >> shift) & N_CHILDREN_MASK
            ni = (new_hash >> shift) & N_CHILDREN_MASK
            if oi != ni:
                g.write_slot(ind + I_CHILDREN + 8 * oi, old)
                g.write_slot(ind + I_CHILDREN + 8 * ni, new)
                return top
            nxt = self.new_indirect(g, ind)
            g.write_slot(ind + I_CHILDREN + 8 * oi, nxt)
            ind = nxt

    def insert(self, g, f, m: int, slot: int, old: int, key: tuple, value: tuple, h: int, shift: int, i: int):
        """A new entry for *key* in *slot*, which holds nothing or the entry chain *old* of other keys."""
        e = self.new_entry(g, key, value)
        self.keep(f, 1, e)
        if old == 0:
            g.write_slot(slot, e)
        else:  # publish last: readers must never see old missing from the trie
            g.write_slot(slot, self.expand(g, f, old, e, h, shift, i, self.w(m + M_SEED)))

    # -- writing --------------------------------------------------------------------------------------

    def framed(self, g, name: str, op, *args):
        """*op(g, f, *args)* with *f* a frame of OP_FRAME named *name*, popped when *op* returns (a panic
        leaves it to the unwinder, which pops the frames above the deferring function's)."""
        f = g.runtime_frame(OP_FRAME, name)
        r = op(g, f, *args)
        g.pop(f)
        return r

    def LoadOrStore(self, g, m: int, key: tuple, value: tuple):
        return self.framed(g, "sync.(*Map).LoadOrStore", self.load_or_store, m, self.hash_of(g, m, key), key, value)

    def load_or_store(self, g, f, m: int, h: int, key: tuple, value: tuple):
        i, shift, slot, n = self.locked_slot(g, f, m, h, key, True)
        if i == 0:
            return self.iface(n + E_VALUE), True
        try:  # Go's defer i.mu.Unlock()
            if n:
                e = self.lookup(n, key)
                if e:
                    return self.iface(e + E_VALUE), True
            self.insert(g, f, m, slot, n, key, value, h, shift, i)
            return value, False
        finally:
            self.unlock(g, i + I_MU)

    def Store(self, g, m: int, key: tuple, value: tuple) -> None:
        self.Swap(g, m, key, value)

    def Swap(self, g, m: int, key: tuple, new: tuple):
        return self.framed(g, "sync.(*Map).Swap", self.swap, m, self.hash_of(g, m, key), key, new)

    def swap(self, g, f, m: int, h: int, key: tuple, new: tuple):
        i, shift, slot, n = self.locked_slot(g, f, m, h, key, False)
        try:  # Go's defer i.mu.Unlock()
            if n:
                head, old = self.replace(g, f, n, key, new, None)
                if head:
                    g.write_slot(slot, head)
                    return old, True
            self.insert(g, f, m, slot, n, key, new, h, shift, i)
            return NIL, False
        finally:
            self.unlock(g, i + I_MU)

    def replace(self, g, f, head: int, key: tuple, new: tuple, old):
        """``entry.swap`` (*old* None) and ``entry.compareAndSwap``: a new entry for *key* in place of its
        entry on *head*'s chain (only if its value equals *old*); ``(new head, value replaced)``, or
        ``(0, NIL)`` when nothing was replaced.  The indirect node holding *head* is locked."""
        if self.lookup(head, key, old) == head:
            e = self.new_entry(g, key, new)
            chain = self.w(head + E_OVERFLOW)
            if chain:
                g.write_slot(e + E_OVERFLOW, chain)
            v = self.iface(head + E_VALUE)
            self.keep(f, 3, v[1])
            return e, v
        link = head + E_OVERFLOW
        e = self.w(link)
        while e:
            if self.lookup(e, key, old) == e:
                ne = self.new_entry(g, key, new)
                g.write_slot(ne + E_OVERFLOW, self.w(e + E_OVERFLOW))
                g.write_slot(link, ne)
                v = self.iface(e + E_VALUE)
                self.keep(f, 3, v[1])
                return head, v
            link = e + E_OVERFLOW
            e = self.w(link)
        return 0, NIL

    def CompareAndSwap(self, g, m: int, key: tuple, old: tuple, new: tuple) -> bool:
        return self.framed(g, "sync.(*Map).CompareAndSwap", self.compare_and_swap, m, self.hash_of(g, m, key),
                           key, old, new)

    def compare_and_swap(self, g, f, m: int, h: int, key: tuple, old: tuple, new: tuple) -> bool:
        i, _, slot, n = self.find(g, f, m, h, key, old)
        try:  # Go's defer i.mu.Unlock() when find locked i
            if n == 0:
                return False
            head, _ = self.replace(g, f, n, key, new, old)
            if not head:
                return False
            g.write_slot(slot, head)
            return True
        finally:
            if i:
                self.unlock(g, i + I_MU)

    def LoadAndDelete(self, g, m: int, key: tuple):
        return self.framed(g, "sync.(*Map).LoadAndDelete", self.delete, m, self.hash_of(g, m, key), key, None)

    def Delete(self, g, m: int, key: tuple) -> None:
        self.framed(g, "sync.(*Map).Delete", self.delete, m, self.hash_of(g, m, key), key, None)

    def CompareAndDelete(self, g, m: int, key: tuple, old: tuple) -> bool:
        return self.framed(g, "sync.(*Map).CompareAndDelete", self.delete, m, self.hash_of(g, m, key), key, old)[1]

    def delete(self, g, f, m: int, h: int, key: tuple, old):
        """LoadAndDelete (*old* None) and CompareAndDelete: ``(value, deleted)``.  No defer here in Go:
        each path unlocks what it locked."""
        i, shift, slot, n = self.find(g, f, m, h, key, None)
        if n == 0:
            if i:
                self.unlock(g, i + I_MU)
            return NIL, False
        v, rest, deleted = self.unlink(g, n, key, old)
        if not deleted:
            self.unlock(g, i + I_MU)
            return NIL, False
        self.keep(f, 3, v[1])
        if rest:  # one entry of the chain went: the node is not empty
            g.write_slot(slot, rest)
            self.unlock(g, i + I_MU)
            return v, True
        g.write_slot(slot, 0)
        self.prune(g, f, i, h, shift)
        return v, True

    def unlink(self, g, head: int, key: tuple, old):
        """``entry.loadAndDelete``/``compareAndDelete``: ``(value, new head or 0, deleted)``."""
        if self.lookup(head, key, old) == head:
            return self.iface(head + E_VALUE), self.w(head + E_OVERFLOW), True
        link = head + E_OVERFLOW
        e = self.w(link)
        while e:
            if self.lookup(e, key, old) == e:
                g.write_slot(link, self.w(e + E_OVERFLOW))
                return self.iface(e + E_VALUE), head, True
            link = e + E_OVERFLOW
            e = self.w(link)
        return NIL, head, False

    def prune(self, g, f, i: int, h: int, shift: int) -> None:
        """Unlink *i* (locked) from its parent while it is empty and not the root, up the trie; unlock."""
        while self.w(i + I_PARENT) and self.empty(i):
            if shift == 64:
                raise GoPanic("internal/sync.HashTrieMap: ran out of hash bits while iterating")
            shift += N_CHILDREN_LOG2
            parent = self.w(i + I_PARENT)
            self.lock(g, parent + I_MU)
            self.U32[(i + I_DEAD - B) >> 2] = 1
            g.write_slot(self.child(parent, h, shift), 0)
            self.unlock(g, i + I_MU)
            i = parent
            self.keep(f, 0, i)
        self.unlock(g, i + I_MU)

    def empty(self, i: int) -> bool:
        k = (i + I_CHILDREN - B) >> 3
        return not any(self.W[k:k + N_CHILDREN])

    def Clear(self, g, m: int) -> None:
        """``Clear``: a new empty root (the old trie is garbage)."""
        self.init(g, m)
        g.write_slot(m + M_ROOT, self.new_indirect(g, 0))


def _comparable(t) -> bool:
    """Whether ``==`` is defined on *t* (the runtime's ``t.Equal != nil``)."""
    k = t.u.kind
    if k in ("slice", "map", "func"):
        return False
    if k == "struct":
        return all(_comparable(fl.type) for fl in t.u.fields)
    if k == "array":
        return _comparable(t.u.elem_type)
    return True
