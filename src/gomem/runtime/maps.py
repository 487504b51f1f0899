"""Go 1.27's maps (Swiss tables, ``internal/runtime/maps``) in model memory.

A map value is one word: the address of its ``Map`` header, or 0 for nil.
Everything a map holds lives in the model's address space, laid out as
Go lays it out on amd64, and is allocated with ``mallocgc`` (``g.alloc``)
with the same size and the same pointer mask as Go's:

* ``Map`` (48 bytes: used, seed, dirPtr, dirLen, globalDepth, globalShift,
  writing, tombstonePossible, clearSeq; the collector sees ``dirPtr``):
  ``new(Map)`` when the map escapes, else a stack object of the frame
  (``walkMakeMap``), with one stack *group* as well when the size hint is
  not a constant above 8;
* a *group*: a control word (one byte per slot: ``0x80`` empty, ``0xfe``
  deleted, else the hash's low 7 bits, ``h2``) and 8 slots ``{key; elem}``
  (interleaved, ``GOEXPERIMENT=mapsplitgroup`` off), a key or element above
  128 bytes held through a pointer to its own ``newobject``; the group
  arrays are ``newarray(group, n)`` with the group type's pointer mask
  (noscan when neither key nor element has pointers);
* a *small* map (at most 8 entries) is one group at ``dirPtr`` and
  ``dirLen == 0``; the 9th entry makes a *table* of 16 slots
  (``growToTable``) and a one-entry directory;
* a ``table`` (32 bytes: used, capacity, growthLeft, localDepth, index,
  groups, lengthMask) holds ``capacity/8`` groups, at most 7/8 full
  (growthLeft); a full table doubles (``grow``) up to 1024 slots
  (``maxTableCapacity``), then splits in two (``split``) on the next hash
  bit (extendible hashing: the directory, ``make([]*table, n)``, doubles
  when a table at the global depth splits);
* quadratic probing over groups (``h1 = hash >> 7``), tombstones for
  deletes from groups that were ever full, tombstone pruning
  (``pruneTombstones``) by the fast assign paths (``mapassign_fast32/64/
  str``: 4- and 8-byte plain-memory keys and strings with elements up to
  128 bytes) but not the generic ``mapassign``, as in Go;
* ``clear`` (``Map.Clear``/``table.Clear``) keeps the tables, empties every
  group and re-seeds; a map emptied by deletes is re-seeded too;
* iteration (``Iter``, a 96-byte stack object in the ranging function's
  frame, so the collector sees its pointers) with Go's two random offsets
  (entry and directory), its handling of growth during the loop (entries
  of a replaced table are looked up again in the current map; entries
  deleted meanwhile are skipped; NaN keys, which cannot be looked up, are
  returned from the old table unless the map was cleared) and of the
  directory doubling under it.

Every pointer stored into the map's memory goes through the write barrier
(``g.write_slot``); bulk moves and clears shade the old and new pointer
words while the barrier is on (``typedmemmove``/``typedmemclr``'s
``bulkBarrierPreWrite``).  Objects that exist only in the runtime's locals
while more are allocated (a new table before it is installed, a new
directory) are held in a frame of the goroutine's stack meanwhile, as
Go's runtime functions hold them in their frames.

Simplified (no effect on what is allocated): the hash.  Go hashes with
AES (``memhash``/``aeshash``) seeded by a per-map random seed; here keys
are hashed by a 64-bit mix (splitmix64's finaliser) of their words and
the map's seed, strings by CRC-32 of their bytes mixed with their length
and the seed, floats by their bits (+0 and -0 alike, NaN by a fresh
random number, as Go's ``f64hash``).  Only the distribution matters for
when tables grow and split.  The random numbers (map seeds, iteration
offsets) come from a generator seeded from the run's ``--seed``
(a copy of the scheduler's generator's state at start-up, mixed), so a
run is reproducible and iteration order is as unpredictable as Go's.
``matchH2`` uses the portable bit trick (a false positive costs one key
comparison, as on arm64).  The ``writing`` flag (concurrent-write
detection) is not kept.  Interface keys are not supported yet.
"""

from __future__ import annotations

import random
import struct as _struct
import zlib

from . import types as gotypes
from ..compile import types as T
from .arena import ARENA_BASE_ADDR as B
from .panics import GoPanic

#: slots per group (abi.MapGroupSlots)
GROUP_SLOTS = 8
#: keys and elements above this are stored through a pointer (abi.MapMaxKeyBytes/MapMaxElemBytes)
MAX_KEY_BYTES = 128
MAX_ELEM_BYTES = 128
#: the largest table before it splits (maxTableCapacity)
MAX_TABLE_CAPACITY = 1024
#: at most 7 of 8 slots of a table are used (maxAvgGroupLoad)
MAX_AVG_GROUP_LOAD = 7
CTRL_EMPTY = 0x80
CTRL_DELETED = 0xFE
_LSB = 0x0101010101010101
_MSB = 0x8080808080808080
_EMPTY_GROUP = _LSB * CTRL_EMPTY
_M64 = (1 << 64) - 1
#: runtime maxAlloc on linux/amd64
MAX_ALLOC = 1 << 48

_P = gotypes.UNSAFE_POINTER
#: internal/runtime/maps.Map (reflectdata.MapType): the collector sees dirPtr
MAP_RTYPE = gotypes.struct_of([("used", gotypes.UINT64), ("seed", gotypes.UINTPTR), ("dirPtr", _P),
                               ("dirLen", gotypes.INT), ("globalDepth", gotypes.UINT8),
                               ("globalShift", gotypes.UINT8), ("writing", gotypes.UINT8),
                               ("tombstonePossible", gotypes.BOOL), ("clearSeq", gotypes.UINT64)])
#: internal/runtime/maps.table (reflectdata.mapTableType)
TABLE_RTYPE = gotypes.struct_of([("used", gotypes.UINT16), ("capacity", gotypes.UINT16),
                                 ("growthLeft", gotypes.UINT16), ("localDepth", gotypes.UINT8),
                                 ("index", gotypes.INT), ("groups_data", _P), ("groups_lengthMask", gotypes.UINT64)])
#: internal/runtime/maps.Iter (reflectdata.MapIterType); typ is a read-only type descriptor, kept as a plain word
ITER_RTYPE = gotypes.struct_of([("key", _P), ("elem", _P), ("typ", gotypes.UINTPTR), ("m", _P),
                                ("entryOffset", gotypes.UINT64), ("dirOffset", gotypes.UINT64),
                                ("clearSeq", gotypes.UINT64), ("globalDepth", gotypes.UINT8), ("dirIdx", gotypes.INT),
                                ("tab", _P), ("group", _P), ("entryIdx", gotypes.UINT64)])
#: make([]*table, n)'s element
_TABLE_PTR = gotypes.pointer_to(TABLE_RTYPE)
#: the frame a growing map's runtime functions hold their new objects in
_GROW_FRAME = gotypes.struct_of([("m", _P), ("dir", _P), ("t0", _P), ("t1", _P)])
#: fmtsort.KeyValue: two reflect.Values (typ, ptr, flag)
_REFLECT_VALUE = gotypes.struct_of([("typ", _P), ("ptr", _P), ("flag", gotypes.UINTPTR)])
_KEY_VALUE = gotypes.struct_of([("Key", _REFLECT_VALUE), ("Value", _REFLECT_VALUE)])

assert MAP_RTYPE.size == 48 and TABLE_RTYPE.size == 32 and ITER_RTYPE.size == 96


def _round(n: int, a: int) -> int:
    return (n + a - 1) // a * a


def slot_layout(key_size: int, key_align: int, elem_size: int, elem_align: int) -> tuple[int, int, bool, bool]:
    """(slot size, elem offset in the slot, indirect key, indirect elem) of ``reflectdata.MapGroupType``."""
    ind_key = key_size > MAX_KEY_BYTES
    ind_elem = elem_size > MAX_ELEM_BYTES
    ks, ka = (8, 8) if ind_key else (key_size, key_align)
    es, ea = (8, 8) if ind_elem else (elem_size, elem_align)
    eoff = _round(ks, ea)
    size = eoff + es
    if es == 0 and size > 0:
        size += 1  # a final zero-size field gets a byte (types.CalcStructSize)
    size = _round(size, max(ka, ea, 1))
    return size, eoff, ind_key, ind_elem


def group_rtype(key_rt: gotypes.GoType, elem_rt: gotypes.GoType) -> gotypes.GoType:
    """The runtime type of a map's group: ``struct { ctrl uint64; slots [8]struct{ key K; elem V } }``."""
    k = gotypes.pointer_to(key_rt) if key_rt.size > MAX_KEY_BYTES else key_rt
    e = gotypes.pointer_to(elem_rt) if elem_rt.size > MAX_ELEM_BYTES else elem_rt
    slot = gotypes.struct_of([("key", k), ("elem", e)])
    return gotypes.struct_of([("ctrl", gotypes.UINT64), ("slots", gotypes.array_of(slot, GROUP_SLOTS))])


class MapType:
    """A map type's descriptor (``abi.MapType``): layout, allocation types, and the key's hash and
    equality and the key's and element's loads and stores as generated for the program.

    *hash(k, seed)* hashes a key value; *eq(k, a)* compares a key value with the key at address
    *a*; *ld_key(a)*/*ld_elem(a)* load, *st_key(g, a, v)*/*st_elem(g, a, v)* store (through the
    barrier); *zero* is the element's zero value.  *fast*: the compiler uses the fast32/fast64/faststr
    assign paths (which prune tombstones); *need_key_update*: an assignment to an existing key
    rewrites the key (floats, strings)."""

    __slots__ = ("name", "key_rt", "elem_rt", "group_rt", "group_size", "group_noscan", "slot_size", "elem_off",
                 "ind_key", "ind_elem", "key_size", "elem_size", "key_noscan", "elem_noscan", "kslot_ptrs",
                 "eslot_ptrs", "key_ptrs", "hash", "eq", "ld_key", "st_key", "ld_elem", "st_elem", "zero", "fast",
                 "need_key_update", "group_ptrs")

    def __init__(self, name: str, key_rt, elem_rt, hash, eq, ld_key, st_key, ld_elem, st_elem, zero,
                 fast: bool, need_key_update: bool):
        self.name = name
        self.key_rt = key_rt
        self.elem_rt = elem_rt
        self.key_size = key_rt.size
        self.elem_size = elem_rt.size
        self.key_noscan = not key_rt.ptrdata
        self.elem_noscan = not elem_rt.ptrdata
        self.slot_size, self.elem_off, self.ind_key, self.ind_elem = slot_layout(
            key_rt.size, key_rt.align, elem_rt.size, elem_rt.align)
        self.group_rt = group_rtype(key_rt, elem_rt)
        self.group_size = self.group_rt.size
        assert self.group_size == 8 + GROUP_SLOTS * self.slot_size, (name, self.group_size, self.slot_size)
        self.group_noscan = not self.group_rt.ptrdata
        self.group_ptrs = self.group_rt.pointer_offsets()
        self.key_ptrs = key_rt.pointer_offsets()
        #: pointer words of a slot's key part and elem part (relative to each part)
        self.kslot_ptrs = (0,) if self.ind_key else self.key_ptrs
        self.eslot_ptrs = (0,) if self.ind_elem else elem_rt.pointer_offsets()
        self.hash = hash
        self.eq = eq
        self.ld_key = ld_key
        self.st_key = st_key
        self.ld_elem = ld_elem
        self.st_elem = st_elem
        self.zero = zero
        self.fast = fast
        self.need_key_update = need_key_update

    def __repr__(self) -> str:
        return f"<MapType {self.name}>"


def _mix(x: int) -> int:
    """splitmix64's finaliser: a bijection of 64-bit words with full avalanche."""
    x = ((x ^ (x >> 30)) * 0xBF58476D1CE4E5B9) & _M64
    x = ((x ^ (x >> 27)) * 0x94D049BB133111EB) & _M64
    return x ^ (x >> 31)


def hmix(x: int) -> int:
    """The hash of one (already seed-combined) word."""
    return _mix((x + 0x9E3779B97F4A7C15) & _M64)


def map_rng(rt) -> random.Random:
    """The generator of a run's map seeds and iteration offsets (Go's ``rand()``): reproducible from the
    run's seed (a copy of the scheduler's generator, which is seeded with it), independent of the
    scheduler's own draws."""
    sched_rng = rt.sched.rng
    probe = random.Random()
    probe.setstate(sched_rng.getstate())
    return random.Random(probe.getrandbits(64) ^ 0x6D61707352616E64)


def make_helpers(rt, mem) -> dict:
    """The map runtime for generated code, closed over the run's address space."""
    W = rt.words
    U8 = memoryview(mem).cast("B")
    U16 = memoryview(mem).cast("H")
    I64 = memoryview(mem).cast("q")
    getrandbits = map_rng(rt).getrandbits

    def rand() -> int:
        return getrandbits(64)

    # -- hashing (generated hash functions call these) -----------------------------------------

    def hstr(s, h: int) -> int:
        n = s[1]
        c = zlib.crc32(mem[s[0] - B:s[0] - B + n]) if n else 0
        return _mix((c ^ (n << 32) ^ h ^ 0x243F6A8885A308D3) & _M64)

    def hfloat(x: float, h: int) -> int:
        if x == 0:
            return hmix(h)  # +0 and -0 are equal keys
        if x != x:
            return hmix(h ^ rand())  # NaN: a random hash (f64hash); it never matches anything
        return hmix(_struct.unpack("<Q", _struct.pack("<d", x))[0] ^ h)

    # -- memory helpers -------------------------------------------------------------------------

    def newarray_groups(g, mt: MapType, n: int) -> int:
        p = g.alloc(n * mt.group_size, None if mt.group_noscan else mt.group_rt)
        gs = mt.group_size
        for i in range(n):
            W[(p - B + i * gs) >> 3] = _EMPTY_GROUP
        return p

    def typedmemclr(g, a: int, n: int, ptrs) -> None:
        if ptrs and rt.wb_enabled:
            for off in ptrs:
                if W[(a - B + off) >> 3]:
                    g.write_slot(a + off, 0)
        if n:
            U8[a - B:a - B + n] = bytes(n)

    def typedmemmove(g, dst: int, src: int, n: int, ptrs) -> None:
        if ptrs and rt.wb_enabled:
            for off in ptrs:
                g.write_slot(dst + off, W[(src - B + off) >> 3])
        if n:
            U8[dst - B:dst - B + n] = mem[src - B:src - B + n]

    def enter(g, m: int, name: str):
        """Push the runtime's frame for a growth; the map header's address as it is after the push
        (a stack-allocated header moves when the push grows the stack)."""
        st = g.stack
        lo, hi = st.lo, st.hi
        f = g.runtime_frame(_GROW_FRAME, name)
        if st.lo != lo and lo <= m < hi:
            m += st.hi - hi
        W[(f.base - B) >> 3] = m
        return f, m

    # -- tables ---------------------------------------------------------------------------------

    def max_growth_left(cap: int) -> int:
        if cap <= GROUP_SLOTS:
            return cap - 1
        return cap * MAX_AVG_GROUP_LOAD // GROUP_SLOTS

    def new_table(g, mt: MapType, capacity: int, index: int, local_depth: int, f, slot: int) -> int:
        """``newTable``: the table object, then its groups (the table held in frame slot *slot* meanwhile)."""
        if capacity < GROUP_SLOTS:
            capacity = GROUP_SLOTS
        capacity = 1 << (capacity - 1).bit_length()
        t = g.alloc(TABLE_RTYPE.size, TABLE_RTYPE)
        W[(f.base - B + slot) >> 3] = t
        ti = t - B
        U8[ti + 6] = local_depth
        I64[(ti >> 3) + 1] = index
        ngroups = capacity // GROUP_SLOTS
        grp = newarray_groups(g, mt, ngroups)
        g.write_slot(t + 16, grp)
        W[(ti >> 3) + 3] = ngroups - 1
        U16[ti >> 1] = 0
        U16[(ti >> 1) + 1] = capacity
        U16[(ti >> 1) + 2] = max_growth_left(capacity)
        return t

    def put_moved(g, mt: MapType, t: int, h: int, src_key: int, src_elem: int) -> None:
        """``uncheckedPutSlot``: an entry moved from an old group (its slot's key and elem words) into *t*."""
        ti = t - B
        groups = W[(ti >> 3) + 2]
        mask = W[(ti >> 3) + 3]
        gs = mt.group_size
        off = (h >> 7) & mask
        idx = 0
        while True:
            grp = groups + off * gs
            match = W[(grp - B) >> 3] & _MSB
            if match:
                i = ((match & -match).bit_length() - 1) >> 3
                sk = grp + 8 + i * mt.slot_size
                if mt.ind_key:
                    g.write_slot(sk, src_key)
                else:
                    typedmemmove(g, sk, src_key, mt.key_size, mt.key_ptrs)
                if mt.ind_elem:
                    g.write_slot(sk + mt.elem_off, src_elem)
                else:
                    typedmemmove(g, sk + mt.elem_off, src_elem, mt.elem_size, mt.eslot_ptrs)
                U16[(ti >> 1) + 2] -= 1
                U16[ti >> 1] += 1
                U8[grp - B + i] = h & 0x7F
                return
            idx += 1
            off = (off + idx) & mask

    def each_full(mt: MapType, groups: int, ngroups: int):
        """(slot address, key address, elem address) of every full slot of a group array."""
        gs = mt.group_size
        ss = mt.slot_size
        eo = mt.elem_off
        for gi in range(ngroups):
            grp = groups + gi * gs
            ctrl = W[(grp - B) >> 3]
            full = ~ctrl & _MSB
            while full:
                j = ((full & -full).bit_length() - 1) >> 3
                full &= full - 1
                sk = grp + 8 + j * ss
                ka = W[(sk - B) >> 3] if mt.ind_key else sk
                ea = W[(sk + eo - B) >> 3] if mt.ind_elem else sk + eo
                yield sk, ka, ea

    def key_hash_at(mt: MapType, ka: int, seed: int) -> int:
        return mt.hash(mt.ld_key(ka), seed)

    def replace_table(g, m: int, nt: int) -> None:
        mi = m - B
        entries = 1 << (U8[mi + 32] - U8[nt - B + 6])
        d = W[(mi >> 3) + 2]
        base = I64[((nt - B) >> 3) + 1]
        for i in range(entries):
            g.write_slot(d + 8 * (base + i), nt)

    def grow_table(g, mt: MapType, m: int, t: int, newcap: int) -> int:
        """``table.grow``: a table of twice the capacity replaces *t* in the directory."""
        f, m = enter(g, m, "internal/runtime/maps.(*table).grow")
        ti = t - B
        nt = new_table(g, mt, newcap, I64[(ti >> 3) + 1], U8[ti + 6], f, 16)
        seed = W[((m - B) >> 3) + 1]
        for _, ka, ea in each_full(mt, W[(ti >> 3) + 2], W[(ti >> 3) + 3] + 1):
            put_moved(g, mt, nt, key_hash_at(mt, ka, seed), ka, ea)
        replace_table(g, m, nt)
        I64[(ti >> 3) + 1] = -1
        g.pop(f)
        return m

    def split_table(g, mt: MapType, m: int, t: int) -> int:
        """``table.split``: two full-size tables on the next hash bit replace *t*."""
        f, m = enter(g, m, "internal/runtime/maps.(*table).split")
        ti = t - B
        ld = U8[ti + 6] + 1
        left = new_table(g, mt, MAX_TABLE_CAPACITY, -1, ld, f, 16)
        right = new_table(g, mt, MAX_TABLE_CAPACITY, -1, ld, f, 24)
        bit = 1 << (64 - ld)
        seed = W[((m - B) >> 3) + 1]
        for _, ka, ea in each_full(mt, W[(ti >> 3) + 2], W[(ti >> 3) + 3] + 1):
            h = key_hash_at(mt, ka, seed)
            put_moved(g, mt, right if h & bit else left, h, ka, ea)
        # installTableSplit
        mi = m - B
        if U8[ti + 6] == U8[mi + 32]:
            n = W[(mi >> 3) + 3]
            nd = g.alloc(16 * n, _TABLE_PTR)
            W[(f.base - B + 8) >> 3] = nd
            d = W[(mi >> 3) + 2]
            for i in range(n):
                x = W[((d - B) >> 3) + i]
                g.write_slot(nd + 16 * i, x)
                g.write_slot(nd + 16 * i + 8, x)
                if I64[((x - B) >> 3) + 1] == i:
                    I64[((x - B) >> 3) + 1] = 2 * i
            U8[mi + 32] += 1
            U8[mi + 33] -= 1
            g.write_slot(m + 16, nd)
            W[(mi >> 3) + 3] = 2 * n
        I64[((left - B) >> 3) + 1] = I64[(ti >> 3) + 1]
        replace_table(g, m, left)
        entries = 1 << (U8[mi + 32] - ld)
        I64[((right - B) >> 3) + 1] = I64[(ti >> 3) + 1] + entries
        replace_table(g, m, right)
        I64[(ti >> 3) + 1] = -1
        g.pop(f)
        return m

    def rehash(g, mt: MapType, m: int, t: int) -> int:
        newcap = 2 * U16[((t - B) >> 1) + 1]
        if newcap <= MAX_TABLE_CAPACITY:
            return grow_table(g, mt, m, t, newcap)
        return split_table(g, mt, m, t)

    def tombstones(t: int) -> int:
        ti = (t - B) >> 1
        return U16[ti + 1] * MAX_AVG_GROUP_LOAD // GROUP_SLOTS - U16[ti] - U16[ti + 2]

    def prune_tombstones(mt: MapType, m: int, t: int) -> None:
        """``table.pruneTombstones``: turn the tombstones no probe sequence needs back into empty slots,
        when that frees at least 10% of the capacity."""
        ti = t - B
        cap = U16[(ti >> 1) + 1]
        if tombstones(t) * 10 < cap:
            return
        groups = W[(ti >> 3) + 2]
        mask = W[(ti >> 3) + 3]
        gs = mt.group_size
        seed = W[((m - B) >> 3) + 1]
        needed = set()
        for i in range(mask + 1):
            grp = groups + i * gs
            ctrl = W[(grp - B) >> 3]
            full = ~ctrl & _MSB
            while full:
                j = ((full & -full).bit_length() - 1) >> 3
                full &= full - 1
                sk = grp + 8 + j * mt.slot_size
                ka = W[(sk - B) >> 3] if mt.ind_key else sk
                kv = mt.ld_key(ka)
                if not mt.eq(kv, ka):
                    continue  # NaN: never looked up
                h = mt.hash(kv, seed)
                off = (h >> 7) & mask
                idx = 0
                while off != i:
                    if W[(groups + off * gs - B) >> 3] & _MSB:
                        needed.add(off)
                    idx += 1
                    off = (off + idx) & mask
            if (ctrl & ~(ctrl << 6)) & _MSB:
                needed.add(i)
        cnt = 0
        for i in range(mask + 1):
            if i not in needed:
                cnt += bin(W[(groups + i * gs - B) >> 3] & _MSB).count("1")
        if cnt * 10 < cap:
            return
        for i in range(mask + 1):
            if i in needed:
                continue
            grp = groups + i * gs
            ctrl = W[(grp - B) >> 3]
            dm = ctrl & _MSB
            while dm:
                j = ((dm & -dm).bit_length() - 1) >> 3
                dm &= dm - 1
                U8[grp - B + j] = CTRL_EMPTY
                U16[(ti >> 1) + 2] += 1

    # -- lookups --------------------------------------------------------------------------------

    def find(mt: MapType, m: int, k) -> int:
        """The address of key *k*'s slot in *m* (0 if absent)."""
        mi = (m - B) >> 3
        h = mt.hash(k, W[mi + 1])
        h2 = (h & 0x7F) * _LSB
        eq = mt.eq
        ss = mt.slot_size
        if W[mi + 3] == 0:
            grp = W[mi + 2]
            v = W[(grp - B) >> 3] ^ h2
            match = ((v - _LSB) & ~v) & _MSB
            while match:
                sk = grp + 8 + (((match & -match).bit_length() - 1) >> 3) * ss
                if eq(k, W[(sk - B) >> 3] if mt.ind_key else sk):
                    return sk
                match &= match - 1
            return 0
        d = W[mi + 2]
        t = W[((d - B) >> 3) + (h >> U8[m - B + 33] if W[mi + 3] > 1 else 0)]
        ti = (t - B) >> 3
        groups = W[ti + 2]
        mask = W[ti + 3]
        gs = mt.group_size
        off = (h >> 7) & mask
        idx = 0
        while True:
            grp = groups + off * gs
            ctrl = W[(grp - B) >> 3]
            v = ctrl ^ h2
            match = ((v - _LSB) & ~v) & _MSB
            while match:
                sk = grp + 8 + (((match & -match).bit_length() - 1) >> 3) * ss
                if eq(k, W[(sk - B) >> 3] if mt.ind_key else sk):
                    return sk
                match &= match - 1
            if (ctrl & ~(ctrl << 6)) & _MSB:
                return 0
            idx += 1
            off = (off + idx) & mask

    def elem_of(mt: MapType, sk: int) -> int:
        e = sk + mt.elem_off
        return W[(e - B) >> 3] if mt.ind_elem else e

    def mapaccess(mt: MapType, m: int, k) -> int:
        """``mapaccess1``'s element address, or 0 when the key is absent (Go returns &zeroVal)."""
        if not m or not W[(m - B) >> 3]:
            return 0
        sk = find(mt, m, k)
        return elem_of(mt, sk) if sk else 0

    def mapget(mt: MapType, m: int, k):
        """``m[k]``: the element's value, the zero value when absent (a nil map too)."""
        if not m or not W[(m - B) >> 3]:
            return mt.zero
        sk = find(mt, m, k)
        if not sk:
            return mt.zero
        e = sk + mt.elem_off
        return mt.ld_elem(W[(e - B) >> 3] if mt.ind_elem else e)

    def mapget2(mt: MapType, m: int, k):
        """``v, ok := m[k]``."""
        if not m or not W[(m - B) >> 3]:
            return mt.zero, False
        sk = find(mt, m, k)
        if not sk:
            return mt.zero, False
        e = sk + mt.elem_off
        return mt.ld_elem(W[(e - B) >> 3] if mt.ind_elem else e), True

    def maplen(m: int) -> int:
        return W[(m - B) >> 3] if m else 0

    # -- making ---------------------------------------------------------------------------------

    def makemap_small(g) -> int:
        """``makemap_small``/``NewEmptyMap``: the header alone; the group comes with the first insert."""
        m = g.alloc(MAP_RTYPE.size, MAP_RTYPE)
        W[((m - B) >> 3) + 1] = rand()
        return m

    def makemap(g, mt: MapType, hint: int, m: int) -> int:
        """``makemap``/``NewMap``: *m* is the stack header walk made (0: allocate one)."""
        if hint < 0:
            hint = 0
        if not m:
            m = g.alloc(MAP_RTYPE.size, MAP_RTYPE)
        mi = (m - B) >> 3
        W[mi + 1] = rand()
        if hint <= GROUP_SLOTS:
            return m
        target = hint * GROUP_SLOTS // MAX_AVG_GROUP_LOAD
        dir_size = (target + MAX_TABLE_CAPACITY - 1) // MAX_TABLE_CAPACITY
        dir_size = 1 << (dir_size - 1).bit_length()
        if dir_size * MAX_TABLE_CAPACITY * mt.group_size > MAX_ALLOC:
            return m  # too big: an empty map, grown as entries come
        depth = dir_size.bit_length() - 1
        f, m = enter(g, m, "internal/runtime/maps.NewMap")
        mi = (m - B) >> 3
        U8[m - B + 32] = depth
        U8[m - B + 33] = 64 - depth
        d = g.alloc(8 * dir_size, _TABLE_PTR)
        W[(f.base - B + 8) >> 3] = d
        for i in range(dir_size):
            t = new_table(g, mt, target // dir_size, i, depth, f, 16)
            g.write_slot(d + 8 * i, t)
        g.write_slot(m + 16, d)
        W[mi + 3] = dir_size
        g.pop(f)
        return m

    def makemap_stack(g, mt: MapType, hint: int, hdr: int, grp: int, const_small: bool) -> int:
        """walkMakeMap for a map that does not escape: the header *hdr* (and group *grp*, used when
        hint <= 8) are zeroed stack objects of the frame."""
        if grp and hint <= GROUP_SLOTS:
            W[(grp - B) >> 3] = _EMPTY_GROUP
            W[((hdr - B) >> 3) + 2] = grp  # a stack store: no barrier
        if const_small:
            W[((hdr - B) >> 3) + 1] = rand()
            return hdr
        return makemap(g, mt, hint, hdr)

    # -- assignment -----------------------------------------------------------------------------

    def grow_to_small(g, mt: MapType, m: int) -> None:
        g.write_slot(m + 16, newarray_groups(g, mt, 1))

    def grow_to_table(g, mt: MapType, m: int):
        """``growToTable``: the small group's entries move to a 16-slot table and a one-entry directory."""
        f, m = enter(g, m, "internal/runtime/maps.(*Map).growToTable")
        t = new_table(g, mt, 2 * GROUP_SLOTS, 0, 0, f, 16)
        mi = (m - B) >> 3
        seed = W[mi + 1]
        for _, ka, ea in each_full(mt, W[mi + 2], 1):
            put_moved(g, mt, t, key_hash_at(mt, ka, seed), ka, ea)
        d = g.alloc(8, _TABLE_PTR)
        g.write_slot(d, t)
        g.write_slot(m + 16, d)
        W[mi + 3] = 1
        U8[m - B + 32] = 0
        U8[m - B + 33] = 64
        g.pop(f)
        return m, t

    def fill_slot(g, mt: MapType, sk: int, k) -> int:
        """A new entry's key stored in slot *sk* (its own object when indirect); the element's address."""
        if mt.ind_key:
            km = g.alloc(mt.key_size, None if mt.key_noscan else mt.key_rt)
            g.write_slot(sk, km)
            mt.st_key(g, km, k)
        else:
            mt.st_key(g, sk, k)
        e = sk + mt.elem_off
        if mt.ind_elem:
            em = g.alloc(mt.elem_size, None if mt.elem_noscan else mt.elem_rt)
            g.write_slot(e, em)
            return em
        return e

    def put_small(g, mt: MapType, m: int, h: int, k) -> int:
        grp = W[((m - B) >> 3) + 2]
        ctrl = W[(grp - B) >> 3]
        v = ctrl ^ ((h & 0x7F) * _LSB)
        match = ((v - _LSB) & ~v) & _MSB
        ss = mt.slot_size
        while match:
            sk = grp + 8 + (((match & -match).bit_length() - 1) >> 3) * ss
            ka = W[(sk - B) >> 3] if mt.ind_key else sk
            if mt.eq(k, ka):
                if mt.need_key_update:
                    mt.st_key(g, ka, k)
                return elem_of(mt, sk)
            match &= match - 1
        match = ctrl & _MSB
        if not match:
            return 0
        i = ((match & -match).bit_length() - 1) >> 3
        e = fill_slot(g, mt, grp + 8 + i * ss, k)
        U8[grp - B + i] = h & 0x7F
        W[(m - B) >> 3] += 1
        return e

    def mapassign(g, mt: MapType, m: int, k) -> int:
        """``mapassign`` (``_fast32/64/str`` for *mt.fast*): the address of key *k*'s element, the entry
        made (zeroed) if absent."""
        if not m:
            raise GoPanic("assignment to entry in nil map")
        mi = (m - B) >> 3
        h = mt.hash(k, W[mi + 1])
        if not W[mi + 2]:
            grow_to_small(g, mt, m)
        if W[mi + 3] == 0:
            e = put_small(g, mt, m, h, k)
            if e:
                return e
            m, t = grow_to_table(g, mt, m)
            mi = (m - B) >> 3
            e = put_new(g, mt, t, h, k)
            W[mi] += 1
            return e
        h2 = h & 0x7F
        h2w = h2 * _LSB
        eq = mt.eq
        ss = mt.slot_size
        gs = mt.group_size
        while True:
            d = W[mi + 2]
            t = W[((d - B) >> 3) + (h >> U8[m - B + 33] if W[mi + 3] > 1 else 0)]
            ti = t - B
            groups = W[(ti >> 3) + 2]
            mask = W[(ti >> 3) + 3]
            off = (h >> 7) & mask
            idx = 0
            del_grp = 0
            del_i = 0
            while True:
                grp = groups + off * gs
                ctrl = W[(grp - B) >> 3]
                v = ctrl ^ h2w
                match = ((v - _LSB) & ~v) & _MSB
                while match:
                    sk = grp + 8 + (((match & -match).bit_length() - 1) >> 3) * ss
                    ka = W[(sk - B) >> 3] if mt.ind_key else sk
                    if eq(k, ka):
                        if mt.need_key_update:
                            mt.st_key(g, ka, k)
                        return elem_of(mt, sk)
                    match &= match - 1
                if mt.fast:
                    match = ctrl & _MSB
                    if not match:
                        idx += 1
                        off = (off + idx) & mask
                        continue
                    i = ((match & -match).bit_length() - 1) >> 3
                    if U8[grp - B + i] == CTRL_DELETED:
                        if not del_grp:
                            del_grp, del_i = grp, i
                        idx += 1
                        off = (off + idx) & mask
                        continue
                    if del_grp:
                        grp, i = del_grp, del_i
                        U16[(ti >> 1) + 2] += 1
                    if U16[(ti >> 1) + 2] == 0:
                        prune_tombstones(mt, m, t)
                else:
                    match = (ctrl & ~(ctrl << 6)) & _MSB
                    if not match:
                        if not del_grp:
                            dm = ctrl & _MSB
                            if dm:
                                del_grp, del_i = grp, ((dm & -dm).bit_length() - 1) >> 3
                        idx += 1
                        off = (off + idx) & mask
                        continue
                    if del_grp:
                        grp, i = del_grp, del_i
                        U16[(ti >> 1) + 2] += 1
                    else:
                        i = ((match & -match).bit_length() - 1) >> 3
                if U16[(ti >> 1) + 2] > 0:
                    e = fill_slot(g, mt, grp + 8 + i * ss, k)
                    U8[grp - B + i] = h2
                    U16[(ti >> 1) + 2] -= 1
                    U16[ti >> 1] += 1
                    W[mi] += 1
                    return e
                m = rehash(g, mt, m, t)
                mi = (m - B) >> 3
                break

    def put_new(g, mt: MapType, t: int, h: int, k) -> int:
        """``uncheckedPutSlotForAssign``: a new key into a table known to have room."""
        ti = t - B
        groups = W[(ti >> 3) + 2]
        mask = W[(ti >> 3) + 3]
        gs = mt.group_size
        off = (h >> 7) & mask
        idx = 0
        while True:
            grp = groups + off * gs
            match = W[(grp - B) >> 3] & _MSB
            if match:
                i = ((match & -match).bit_length() - 1) >> 3
                e = fill_slot(g, mt, grp + 8 + i * mt.slot_size, k)
                U16[(ti >> 1) + 2] -= 1
                U16[ti >> 1] += 1
                U8[grp - B + i] = h & 0x7F
                return e
            idx += 1
            off = (off + idx) & mask

    # -- delete and clear -----------------------------------------------------------------------

    def clear_slot(g, mt: MapType, sk: int) -> None:
        if mt.ind_key:
            g.write_slot(sk, 0)
        elif mt.key_ptrs:
            typedmemclr(g, sk, mt.key_size, mt.key_ptrs)
        e = sk + mt.elem_off
        if mt.ind_elem:
            g.write_slot(e, 0)
        else:
            typedmemclr(g, e, mt.elem_size, mt.eslot_ptrs)

    def mapdelete(g, mt: MapType, m: int, k) -> None:
        """``delete(m, k)``."""
        if not m or not W[(m - B) >> 3]:
            return
        mi = (m - B) >> 3
        h = mt.hash(k, W[mi + 1])
        h2w = (h & 0x7F) * _LSB
        ss = mt.slot_size
        eq = mt.eq
        if W[mi + 3] == 0:
            grp = W[mi + 2]
            v = W[(grp - B) >> 3] ^ h2w
            match = ((v - _LSB) & ~v) & _MSB
            while match:
                i = ((match & -match).bit_length() - 1) >> 3
                sk = grp + 8 + i * ss
                if eq(k, W[(sk - B) >> 3] if mt.ind_key else sk):
                    W[mi] -= 1
                    clear_slot(g, mt, sk)
                    U8[grp - B + i] = CTRL_EMPTY
                    break
                match &= match - 1
        else:
            d = W[mi + 2]
            t = W[((d - B) >> 3) + (h >> U8[m - B + 33] if W[mi + 3] > 1 else 0)]
            ti = t - B
            groups = W[(ti >> 3) + 2]
            mask = W[(ti >> 3) + 3]
            gs = mt.group_size
            off = (h >> 7) & mask
            idx = 0
            done = False
            while not done:
                grp = groups + off * gs
                ctrl = W[(grp - B) >> 3]
                v = ctrl ^ h2w
                match = ((v - _LSB) & ~v) & _MSB
                while match:
                    i = ((match & -match).bit_length() - 1) >> 3
                    sk = grp + 8 + i * ss
                    if eq(k, W[(sk - B) >> 3] if mt.ind_key else sk):
                        U16[ti >> 1] -= 1
                        W[mi] -= 1
                        clear_slot(g, mt, sk)
                        if (ctrl & ~(ctrl << 6)) & _MSB:
                            U8[grp - B + i] = CTRL_EMPTY
                            U16[(ti >> 1) + 2] += 1
                        else:
                            U8[grp - B + i] = CTRL_DELETED
                            U8[m - B + 35] = 1  # tombstonePossible
                        done = True
                        break
                    match &= match - 1
                if done or (ctrl & ~(ctrl << 6)) & _MSB:
                    break
                idx += 1
                off = (off + idx) & mask
        if W[mi] == 0:
            W[mi + 1] = rand()

    def clear_group(g, mt: MapType, grp: int) -> None:
        typedmemclr(g, grp, mt.group_size, () if mt.group_noscan else mt.group_ptrs)
        W[(grp - B) >> 3] = _EMPTY_GROUP

    def mapclear(g, mt: MapType, m: int) -> None:
        """``clear(m)``: every entry gone, the memory kept, a new seed."""
        if not m:
            return
        mi = (m - B) >> 3
        if W[mi] == 0 and not U8[m - B + 35]:
            return
        if W[mi + 3] == 0:
            clear_group(g, mt, W[mi + 2])
            W[mi] = 0
        else:
            d = W[mi + 2]
            last = 0
            for i in range(W[mi + 3]):
                t = W[((d - B) >> 3) + i]
                if t == last:
                    continue
                last = t
                ti = t - B
                mgl = max_growth_left(U16[(ti >> 1) + 1])
                if U16[ti >> 1] == 0 and U16[(ti >> 1) + 2] == mgl:
                    continue
                groups = W[(ti >> 3) + 2]
                mask = W[(ti >> 3) + 3]
                full_test = U16[ti >> 1] * 4 <= mask or mt.slot_size > 32
                for j in range(mask + 1):
                    grp = groups + j * mt.group_size
                    if full_test and not (~W[(grp - B) >> 3] & _MSB):
                        W[(grp - B) >> 3] = _EMPTY_GROUP
                        continue
                    clear_group(g, mt, grp)
                U16[ti >> 1] = 0
                U16[(ti >> 1) + 2] = mgl
            W[mi] = 0
            U8[m - B + 35] = 0
        W[mi + 5] += 1
        W[mi + 1] = rand()

    # -- iteration ------------------------------------------------------------------------------

    def get_with_key(mt: MapType, m: int, ka: int):
        """(key address, elem address) of the key stored at *ka* in the map as it is now, or None."""
        if not W[(m - B) >> 3]:
            return None
        sk = find(mt, m, mt.ld_key(ka))
        if not sk:
            return None
        return (W[(sk - B) >> 3] if mt.ind_key else sk), elem_of(mt, sk)

    def iter_init(mt: MapType, m: int, it: int) -> None:
        """``Iter.Init`` of the iterator at *it* (a frame object)."""
        i = (it - B) >> 3
        for j in range(12):
            W[i + j] = 0
        W[i + 2] = 1  # typ: the iterator is initialised
        if not m or not W[(m - B) >> 3]:
            return
        mi = (m - B) >> 3
        if W[mi + 3] == 0:
            I64[i + 8] = -1
            W[i + 10] = W[mi + 2]
        W[i + 3] = m
        W[i + 4] = rand()
        W[i + 5] = rand()
        U8[it - B + 56] = U8[m - B + 32]
        W[i + 6] = W[mi + 5]

    def iter_next(mt: MapType, it: int) -> None:
        """``Iter.Next``: the next entry's key and elem addresses in the iterator's first two words (0: done)."""
        i = (it - B) >> 3
        m = W[i + 3]
        if not m:
            W[i] = W[i + 1] = 0
            return
        mi = (m - B) >> 3
        ss = mt.slot_size
        dir_idx = I64[i + 8]
        if dir_idx < 0:
            grp = W[i + 10]
            off = W[i + 4]
            e = W[i + 11]
            while e < GROUP_SLOTS:
                k = (e + off) & 7
                if U8[grp - B + k] & CTRL_EMPTY:
                    e += 1
                    continue
                sk = grp + 8 + k * ss
                ka = W[(sk - B) >> 3] if mt.ind_key else sk
                if W[mi + 3] > 0:  # grown to a table since the iteration started
                    r = get_with_key(mt, m, ka)
                    if r is None:
                        if W[i + 6] == W[mi + 5] and not mt.eq(mt.ld_key(ka), ka):
                            ea = elem_of(mt, sk)
                        else:
                            e += 1
                            continue
                    else:
                        ka, ea = r
                else:
                    ea = elem_of(mt, sk)
                W[i + 11] = e + 1
                W[i] = ka
                W[i + 1] = ea
                return
            W[i + 11] = e
            W[i] = W[i + 1] = 0
            return
        gd = U8[it - B + 56]
        mgd = U8[m - B + 32]
        dir_off = W[i + 5]
        if gd != mgd:
            dir_idx <<= mgd - gd
            dir_off = (dir_off << (mgd - gd)) & _M64
            gd = mgd
        tab = W[i + 9]
        grp = W[i + 10]
        e = W[i + 11]
        entry_off = W[i + 4]
        gs = mt.group_size
        clear_seq = W[i + 6]

        def grown_entry(ka, slot):
            r = get_with_key(mt, m, ka)
            if r is None:
                if clear_seq == W[mi + 5] and not mt.eq(mt.ld_key(ka), ka):
                    return ka, elem_of(mt, grp + 8 + slot * ss)
                return None
            return r

        def save(ka, ea):
            W[i] = ka
            W[i + 1] = ea
            W[i + 5] = dir_off
            U8[it - B + 56] = gd
            I64[i + 8] = dir_idx
            W[i + 9] = tab
            W[i + 10] = grp
            W[i + 11] = e

        while dir_idx < W[mi + 3]:
            dir_len = W[mi + 3]
            if not tab:
                di = (dir_idx + dir_off) & (dir_len - 1)
                nt = W[((W[mi + 2] - B) >> 3) + di]
                nidx = I64[((nt - B) >> 3) + 1]
                if nidx != di:
                    dir_off = (dir_off - (di - nidx)) & _M64
                tab = nt
            ti = tab - B
            entry_mask = U16[(ti >> 1) + 1] - 1
            grown = I64[(ti >> 3) + 1] == -1
            groups = W[(ti >> 3) + 2]
            if e <= entry_mask:
                ei = (e + entry_off) & entry_mask
                slot = ei & 7
                if slot == 0 or not grp:
                    grp = groups + (ei >> 3) * gs
                if not U8[grp - B + slot] & CTRL_EMPTY:
                    sk = grp + 8 + slot * ss
                    ka = W[(sk - B) >> 3] if mt.ind_key else sk
                    r = grown_entry(ka, slot) if grown else (ka, elem_of(mt, sk))
                    if r is not None:
                        e += 1
                        save(*r)
                        return
                e += 1
                gm = 0
                while e <= entry_mask:
                    ei = (e + entry_off) & entry_mask
                    slot = ei & 7
                    if slot == 0 or not grp:
                        grp = groups + (ei >> 3) * gs
                    if gm == 0:
                        gm = ~W[(grp - B) >> 3] & _MSB
                        if slot:
                            gm &= ~((1 << (8 * slot)) - 1)
                        if gm == 0:
                            e += GROUP_SLOTS - slot
                            continue
                        j = ((gm & -gm).bit_length() - 1) >> 3
                        e += j - slot
                        if e > entry_mask:
                            continue
                        slot = j
                    sk = grp + 8 + slot * ss
                    ka = W[(sk - B) >> 3] if mt.ind_key else sk
                    if grown:
                        r = grown_entry(ka, slot)
                        if r is None:
                            gm &= gm - 1
                            if gm == 0:
                                e += GROUP_SLOTS - slot
                                continue
                            j = ((gm & -gm).bit_length() - 1) >> 3
                            e += j - slot
                            continue
                    else:
                        r = (ka, elem_of(mt, sk))
                    gm &= gm - 1
                    if gm == 0:
                        e += GROUP_SLOTS - slot
                    else:
                        j = ((gm & -gm).bit_length() - 1) >> 3
                        e += j - slot
                    save(*r)
                    return
            # nextDirIdx
            dir_idx += 1 << (mgd - U8[ti + 6])
            tab = 0
            grp = 0
            e = 0
        save(0, 0)

    def mapiter(mt: MapType, m: int, f, off: int):
        """``for k, v := range m``: (key address, elem address) of each entry, the iterator in the
        frame *f* at offset *off* (re-read each time: the stack moves when a call in the body grows it)."""
        iter_init(mt, m, f.base + off)
        iter_next(mt, f.base + off)
        while True:
            it = f.base + off
            ka = W[(it - B) >> 3]
            if not ka:
                return
            yield ka, W[((it - B) >> 3) + 1]
            iter_next(mt, f.base + off)

    def maplit(g, mt: MapType, f, off: int, m: int, pairs):
        """A map literal's entries assigned in order; the map is re-read from the frame temporary at *off*
        before each (a stack-allocated header moves when a growth grows the stack)."""
        i = (f.base - B + off) >> 3
        W[i] = m
        for k, v in pairs:
            mt.st_elem(g, mapassign(g, mt, W[(f.base - B + off) >> 3], k), v)
        return W[(f.base - B + off) >> 3]

    # -- fmt ------------------------------------------------------------------------------------

    def entries(m: int, key_size: int, key_align: int, elem_size: int, elem_align: int):
        """(key address, elem address) of every entry, in memory order (fmt sorts them)."""
        if not m or not W[(m - B) >> 3]:
            return []
        ss, eo, ind_key, ind_elem = slot_layout(key_size, key_align, elem_size, elem_align)
        gs = 8 + GROUP_SLOTS * ss
        mi = (m - B) >> 3
        out = []

        def scan(groups, n):
            for gi in range(n):
                grp = groups + gi * gs
                full = ~W[(grp - B) >> 3] & _MSB
                while full:
                    j = ((full & -full).bit_length() - 1) >> 3
                    full &= full - 1
                    sk = grp + 8 + j * ss
                    ka = W[(sk - B) >> 3] if ind_key else sk
                    ea = W[(sk + eo - B) >> 3] if ind_elem else sk + eo
                    out.append((ka, ea))

        if W[mi + 3] == 0:
            scan(W[mi + 2], 1)
        else:
            d = W[mi + 2]
            last = 0
            for i in range(W[mi + 3]):
                t = W[((d - B) >> 3) + i]
                if t == last:
                    continue
                last = t
                scan(W[((t - B) >> 3) + 2], W[((t - B) >> 3) + 3] + 1)
        return out

    return {"hstr": hstr, "hfloat": hfloat, "hmix": hmix, "mapaccess": mapaccess, "mapget": mapget,
            "mapget2": mapget2, "maplen": maplen, "makemap_small": makemap_small, "makemap": makemap,
            "makemap_stack": makemap_stack, "maplit": maplit, "mapassign": mapassign, "mapdelete": mapdelete,
            "mapclear": mapclear,
            "mapiter": mapiter, "map_entries": entries, "map_rand": rand}


class FmtMapItems(list):
    """A map's entries as fmt receives them: ``(key, elem)`` pairs, and what ``internal/fmtsort.Sort``
    allocates, charged when fmt iterates them to sort (the map is printed): the ``SortedMap`` of
    ``len(m)`` KeyValue pairs (48 bytes each), and a copy of every key and element that is not
    pointer-shaped (``reflect.copyVal``'s ``unsafe_New``)."""

    __slots__ = ("host", "key_copy", "elem_copy", "charged")

    def __init__(self, pairs, host, key_copy, elem_copy):
        super().__init__(pairs)
        self.host = host
        self.key_copy = key_copy
        self.elem_copy = elem_copy
        self.charged = False

    def __iter__(self):
        if not self.charged:
            self.charged = True
            g = self.host.g
            n = list.__len__(self)
            if g is not None and n:
                g.alloc(n * _KEY_VALUE.size, _KEY_VALUE)
                for _ in range(n):
                    for c in (self.key_copy, self.elem_copy):
                        if c is not None:
                            g.alloc(c[0], c[1])
        return list.__iter__(self)


def fmt_map_items(host, t, m: int):
    """fmt's operand for the map *m* of front-end type *t* (see :class:`FmtMapItems`); None for nil."""
    if not m:
        return None
    kt, et = t.u.key, t.u.elem_type
    pairs = [(host.deref(ka, kt), host.deref(ea, et))
             for ka, ea in host.ns["map_entries"](m, kt.size(), kt.align(), et.size(), et.align())]
    return FmtMapItems(pairs, host, _copy_of(host, kt), _copy_of(host, et))


def _copy_of(host, t):
    """(size, runtime type or None) of ``reflect.copyVal``'s heap copy of a *t*, None if it makes none."""
    size = t.size()
    if size == 0 or T.is_direct_iface(t):
        return None
    gt = host.layouts.rtype(t)
    return size, (gt if gt.ptrdata else None)


__all__ = ["MapType", "fmt_map_items", "make_helpers", "slot_layout", "group_rtype", "MAP_RTYPE", "TABLE_RTYPE",
           "ITER_RTYPE",
           "FmtMapItems", "map_rng", "hmix"]
