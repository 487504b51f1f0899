"""lru: a bounded cache — a chained hash table plus a doubly linked LRU list.

The Go program::

    type Entry struct {
        key           int64
        value         []byte // a pointer-free blob: tiny, small, medium or large
        next          *Entry // hash chain
        prev, nextLRU *Entry // LRU list, most recent first
    }

    type Cache struct {
        buckets    []*Entry // fixed: the smallest power of two >= capacity
        head, tail *Entry
        n          int
    }

    func (c *Cache) Get(key int64) ([]byte, bool) // hit: move to front
    func (c *Cache) Put(key int64, v []byte)       // full: evict c.tail

    func main() {
        c := newCache(capacity)
        for i := 0; i < ops; i++ {
            key := skewed(r)           // P(key = k) ~ 1/(k+1): a few keys are hot
            if r.Intn(10) == 0 {
                c.Put(key, newBlob(key, r))   // replace the value: the old blob is garbage
            } else if _, ok := c.Get(key); !ok {
                c.Put(key, newBlob(key, r))   // read-through on a miss
            }
        }
        fmt.Println(c.stats(), checksum(c))
    }

Eviction unlinks the tail from the list and from its hash chain; the entry
and its blob become garbage in one step.  Blobs are noscan: 90-odd percent
are 8–256 bytes (8-byte ones go through the tiny allocator), about 5 % are
512 B–8 KiB, and about one in 500 is large (33–128 KiB, over the 32 KiB
small-object limit: a span of its own).  So the collector sees a steady,
mixed population of scan (Entry, 64-byte size class) and noscan objects of
every size class, a pointer array that is never replaced (the buckets), and
pointer stores into old, already-black entries (the list moves), which is
what write barriers are for.

Every blob starts with a stamp derived from its key; a hit reads it back
through :meth:`Goroutine.load_scalar`, which raises ``DanglingPointer`` if
the blob was freed, and the stamp catches a freed slot that was reused.

Rooting: the cache is reachable from main's frame (slot ``c``); a new blob
is held in frame slot ``v`` from its allocation until it is stored into an
entry, because the entry's own allocation can start or finish a GC cycle.
Pointer reads go straight to the word array (charged in bulk); pointer
stores use the trusted :meth:`Goroutine.write_slot`, barrier included.
The output (hit/miss/eviction counts and a checksum over the keys in LRU
order) does not depend on addresses, so it is the same under every GC mode.
"""

from __future__ import annotations

import numpy as np

from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR
from ..errors import InvariantViolation
from . import MAX_LIVE, MAX_OPS, MAX_SEED, Param, Workload, register

BATCH = 256
M64 = (1 << 64) - 1
STAMP = 0x9E3779B97F4A7C15

# word offsets in Entry
E_KEY, E_VAL, E_LEN, E_CAP, E_NEXT, E_PREV, E_NEXTLRU = range(7)
# word offsets in Cache
C_BUCKETS, C_BLEN, C_BCAP, C_HEAD, C_TAIL, C_N = range(6)


def types() -> tuple[gotypes.GoType, gotypes.GoType, gotypes.GoType]:
    reg = gotypes.default_registry()
    entry = reg.declare("LRUEntry", "struct { key int64; value []byte; next *LRUEntry; prev, nextLRU *LRUEntry }")
    cache = reg.declare("LRUCache", "struct { buckets []*LRUEntry; head, tail *LRUEntry; n int }")
    frame = reg.parse("struct { c *LRUCache; v *uint8 }")
    return entry, cache, frame


def blob_sizes(rng: np.random.Generator, m: int) -> list[int]:
    """*m* blob sizes: mostly 8–256 B, ~5 % 512 B–8 KiB, ~0.2 % 33–128 KiB."""
    u = rng.random(m)
    small = (8 * 2 ** (rng.random(m) * 5)).astype(np.int64)
    medium = (512 * 2 ** (rng.random(m) * 4)).astype(np.int64)
    large = rng.integers(33 << 10, 128 << 10, m)
    return np.where(u < 0.002, large, np.where(u < 0.05, medium, small)).tolist()


def main(g, params: dict):
    capacity = params["capacity"]
    ops = params["ops"]
    nkeys = params["keys"]
    seed = params["seed"] or g.rt.sched.rng.getrandbits(63)
    rt = g.rt
    cost = rt.cost
    words = rt.words
    B = ARENA_BASE_ADDR
    ET, CT, FT = types()
    if ET.pointer_offsets() != (8, 32, 40, 48) or CT.pointer_offsets() != (0, 24, 32):
        raise InvariantViolation(f"lru: unexpected layout of {ET} / {CT}")
    esize = ET.size
    alloc = g.alloc
    write_slot = g.write_slot
    rng = np.random.default_rng(seed)
    logb = max(capacity - 1, 1).bit_length()
    nb = 1 << logb
    shift = 64 - logb

    f = g.frame(FT, "main")
    fv = (f.addr("v") - B) >> 3
    c = g.new(CT)
    g.set_local(f, "c", c)
    cw = (c - B) >> 3
    buckets = g.new_array(gotypes.pointer_to(ET), nb)
    write_slot(c, buckets)
    words[cw + C_BLEN] = nb
    words[cw + C_BCAP] = nb
    bw = (buckets - B) >> 3
    ca_head = c + 8 * C_HEAD
    ca_tail = c + 8 * C_TAIL

    n = hits = misses = evictions = puts = 0
    loads = 0

    def unlink(e: int) -> None:
        ew = (e - B) >> 3
        p = words[ew + E_PREV]
        nx = words[ew + E_NEXTLRU]
        write_slot(p + 8 * E_NEXTLRU if p else ca_head, nx)
        write_slot(nx + 8 * E_PREV if nx else ca_tail, p)

    def push_front(e: int) -> None:
        h = words[cw + C_HEAD]
        write_slot(e + 8 * E_PREV, 0)
        write_slot(e + 8 * E_NEXTLRU, h)
        write_slot(h + 8 * E_PREV if h else ca_tail, e)
        write_slot(ca_head, e)

    def insert(key: int, b: int, size: int) -> None:
        """A new entry for *key* holding blob *b* (rooted in frame slot v)."""
        nonlocal n, evictions
        if n == capacity:
            t = words[cw + C_TAIL]
            tw = (t - B) >> 3
            unlink(t)
            # unlink from its hash chain
            tb = bw + (((words[tw + E_KEY] * STAMP) & M64) >> shift)
            prev = 0
            cur = words[tb]
            while cur != t:
                prev = cur
                cur = words[((cur - B) >> 3) + E_NEXT]
            write_slot(prev + 8 * E_NEXT if prev else B + 8 * tb, words[tw + E_NEXT])
            n -= 1
            evictions += 1
        e = alloc(esize, ET)
        ew = (e - B) >> 3
        words[ew + E_KEY] = key
        write_slot(e + 8 * E_VAL, b)
        words[ew + E_LEN] = size
        words[ew + E_CAP] = size
        words[fv] = 0
        slot = bw + (((key * STAMP) & M64) >> shift)
        write_slot(e + 8 * E_NEXT, words[slot])
        write_slot(B + 8 * slot, e)
        push_front(e)
        n += 1

    def new_blob(key: int, size: int) -> int:
        b = alloc(size)
        words[fv] = b  # rooted until stored into an entry
        words[(b - B) >> 3] = (key * STAMP) & M64
        return b

    for start in range(0, ops, BATCH):
        m = min(BATCH, ops - start)
        keys = (np.floor(nkeys ** rng.random(m)).astype(np.int64) - 1).tolist()
        is_put = (rng.random(m) < 0.1).tolist()
        sizes = blob_sizes(rng, m)
        for j in range(m):
            key = keys[j]
            if is_put[j]:
                puts += 1
                b = new_blob(key, sizes[j])
            else:
                b = 0
            # lookup
            e = words[bw + (((key * STAMP) & M64) >> shift)]
            loads += 1
            while e and words[((e - B) >> 3) + E_KEY] != key:
                e = words[((e - B) >> 3) + E_NEXT]
                loads += 2
            if e:
                ew = (e - B) >> 3
                if b:
                    write_slot(e + 8 * E_VAL, b)
                    words[ew + E_LEN] = sizes[j]
                    words[ew + E_CAP] = sizes[j]
                    words[fv] = 0
                else:
                    hits += 1
                    v = words[ew + E_VAL]
                    if g.load_scalar(v, 0) != (key * STAMP) & M64:
                        raise InvariantViolation(f"lru: blob {v:#x} of key {key} lost its stamp")
                if words[cw + C_HEAD] != e:
                    unlink(e)
                    push_front(e)
                loads += 4
            else:
                if not b:
                    misses += 1
                    b = new_blob(key, sizes[j])
                insert(key, b, sizes[j])
                loads += 4
        words[cw + C_N] = n
        g.p.now += loads * cost.ptr_load + m * 8 * cost.scalar
        loads = 0
        yield

    # checksum: keys and blob sizes in LRU order; the hash chains hold the same entries
    check = 0
    e = words[cw + C_HEAD]
    count = 0
    while e:
        ew = (e - B) >> 3
        count += 1
        check = (check * 1_000_003 + words[ew + E_KEY] * 131 + words[ew + E_LEN]) & M64
        e = words[ew + E_NEXTLRU]
    chained = 0
    for i in range(nb):
        e = words[bw + i]
        while e:
            chained += 1
            e = words[((e - B) >> 3) + E_NEXT]
    if count != n or chained != n:
        raise InvariantViolation(f"lru: {n} entries, but {count} in the LRU list and {chained} in the hash chains")
    g.p.now += (2 * count + nb) * cost.ptr_load
    g.pop(f)
    return {
        "output": [
            f"lru: capacity {capacity}, {ops} ops over {nkeys} keys",
            f"hits {hits} misses {misses} puts {puts} evictions {evictions} entries {n}",
            f"checksum: {check:016x}",
        ]
    }


register(
    Workload(
        "lru",
        "a bounded LRU cache: chained hash table, doubly linked list, skewed keys, blobs from 8 B to 128 KiB",
        main,
        (
            Param("capacity", 4096, "entries the cache holds before it evicts", int, 1, MAX_LIVE),
            Param("ops", 200000, "cache operations (90% get with read-through, 10% put)", int, 0, MAX_OPS),
            Param("keys", 16384, "distinct keys; P(key = k) ~ 1/(k+1)", int, 1, MAX_LIVE),
            Param("seed", 0, "random seed (0: derived from the runtime's --seed)", int, 0, MAX_SEED),
        ),
    )
)
