"""churn: a large, pointer-rich live set, replaced at random.

The shape measured in ``../shared/reference/real-go-measurements.md`` (the
"Churn" table: 1,048,576 live 64-byte objects with 4 pointers, 65,536 of them
static, 10 M random replacements).  The Go program::

    type Obj struct {
        a, b, c, d *Obj // 4 pointer fields, scanned
        id         int64
        _          [3]int64 // 64 bytes in all: size class 64
    }

    var live []*Obj // the live table: one large pointer array on the heap

    func newObj(id int64, r *rand.Rand) *Obj {
        o := &Obj{id: id}
        for k := 0; k < ptrs; k++ { // even fields: a static object;
            o.field(k) = live[pick(k)] // odd fields: any live object
        }
        return o
    }

    func main() {
        live = make([]*Obj, N)
        for i := range live { live[i] = newObj(i, r) } // targets among live[:i]
        for n := 0; n < replacements; n++ {
            i := static + r.Intn(N-static) // live[:static] never changes
            o := newObj(N+n, r)
            old := live[i]
            *old = Obj{id: old.id} // reset before release: cut its out-pointers
            live[i] = o
        }
        fmt.Println(checksum(live))
    }

The collector sees one big pointer array (a large object, scanned whole)
referenced from a global, N small scan objects, and a steady stream of heap
stores: the table slot, the new object's fields and the cleared fields of the
replaced object — every one through the write barrier while it is on, so all
six GC modes' barriers are exercised (the insertion barrier shades the new
targets, the deletion barrier the overwritten table slot and cleared fields).

Why the replaced object's fields are cleared: an odd field points at a random
*non-static* live object, which may later be replaced; it then stays alive
through that field.  Without the reset, those retained objects would keep
their own targets alive in turn, and the live heap would grow without bound
(roughly ``2N·ln(replacements/N)`` extra objects).  With it, each replaced
object is retained only while something points at it directly, so the live
heap stays near ``N`` objects plus the table, as in the real measurement
(~82 MB live for 64 MiB of objects and an 8 MiB table).

The output is a checksum over the final table computed from the objects'
``id`` fields (not their addresses), so it is the same under every GC mode,
GOGC and GOMAXPROCS for one seed.

How gomem runs it fast: random numbers come from a seeded numpy generator in
batches; the hot loop stores through the trusted :meth:`Goroutine.write_slot`
(the barrier is applied, the checks were done once up front) and reads
pointers straight from the word array, charging their cost-model price in
bulk.  Every pointer the loop holds in a Python local is also reachable from
the table (or is the object just allocated, which no allocation separates
from its store into the table), so the GC never misses one.
"""

from __future__ import annotations

import numpy as np

from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR
from ..errors import BadInput
from . import MAX_LIVE, MAX_OPS, MAX_SEED, Param, Workload, register

#: objects created between safe points (``yield``)
BATCH = 256
#: word offset of Obj.id
ID_WORD = 4


def obj_type() -> gotypes.GoType:
    return gotypes.default_registry().declare(
        "ChurnObj", "struct { a, b, c, d *ChurnObj; id int64; _ [3]int64 }"
    )


def _seed(g, params: dict) -> int:
    s = params["seed"]
    return s if s else g.rt.sched.rng.getrandbits(63)


def main(g, params: dict):
    n = params["live"]
    static = params["static"]
    reps = params["replacements"]
    ptrs = params["ptrs"]
    if not 1 <= static < n:
        raise BadInput(f"churn: static must be between 1 and live-1, got static={static} live={n}")
    rt = g.rt
    cost = rt.cost
    words = rt.words
    T = obj_type()
    if T.size != 64 or T.pointer_offsets() != (0, 8, 16, 24):
        raise BadInput(f"churn: unexpected layout of {T}")
    size = T.size
    alloc = g.alloc
    write_slot = g.write_slot
    rng = np.random.default_rng(_seed(g, params))
    B = ARENA_BASE_ADDR

    # var live []*Obj; live = make([]*Obj, n)
    ptr_t = gotypes.pointer_to(T)
    rt.data.declare("churnLive", gotypes.slice_of(ptr_t))
    table = g.new_array(ptr_t, n)
    g.set_global("churnLive", table)
    gv = rt.data.get("churnLive")
    rt.data.store_word(gv.addr + 8, n)  # len and cap: scalars the GC never reads
    rt.data.store_word(gv.addr + 16, n)
    tw = (table - B) >> 3  # word index of live[0]

    # Fill: object i points its even fields at random objects among
    # live[:min(i, static)], its odd fields at any of live[:i].
    detail = rt.log.detail
    for start in range(0, n, BATCH):
        stop = min(start + BATCH, n)
        u = rng.random((stop - start, ptrs)).tolist()
        stores = 0
        for i in range(start, stop):
            o = alloc(size, T)
            ow = (o - B) >> 3
            words[ow + ID_WORD] = i
            barrier = rt.wb_enabled or detail  # fixed until the next allocation
            if i:
                row = u[i - start]
                for k in range(ptrs):
                    lim = i if k & 1 else min(i, static)
                    v = words[tw + int(row[k] * lim)]
                    if barrier:
                        write_slot(o + 8 * k, v)
                    else:
                        words[ow + k] = v
                        stores += 1
            if barrier:
                write_slot(table + 8 * i, o)
            else:
                words[tw + i] = o
                stores += 1
        g.p.now += (stop - start) * (ptrs * (cost.ptr_load + cost.rand) + cost.scalar) + stores * cost.ptr_store
        yield

    # Replacements.
    next_id = n
    for start in range(0, reps, BATCH):
        m = min(BATCH, reps - start)
        slots = rng.integers(static, n, m).tolist()
        st = rng.integers(0, static, (m, ptrs)).tolist()
        anyi = rng.integers(0, n, (m, ptrs)).tolist()
        stores = 0
        for j in range(m):
            o = alloc(size, T)
            ow = (o - B) >> 3
            words[ow + ID_WORD] = next_id
            next_id += 1
            srow = st[j]
            arow = anyi[j]
            i = slots[j]
            old = words[tw + i]
            olw = (old - B) >> 3
            if rt.wb_enabled or detail:
                for k in range(ptrs):
                    write_slot(o + 8 * k, words[tw + (arow[k] if k & 1 else srow[k])])
                for k in range(ptrs):
                    if words[olw + k]:
                        write_slot(old + 8 * k, 0)
                write_slot(table + 8 * i, o)
            else:
                # The barrier is off and stays off until the next allocation:
                # these are write_slot's plain stores, charged below.
                for k in range(ptrs):
                    words[ow + k] = words[tw + (arow[k] if k & 1 else srow[k])]
                    words[olw + k] = 0
                words[tw + i] = o
                stores += 2 * ptrs + 1
        # the program's own work: 1 + ptrs random draws, and the replaced
        # object (read and cleared) is a random cold one
        g.p.now += (
            m * ((2 * ptrs + 2) * cost.ptr_load + 2 * cost.scalar + (1 + ptrs) * cost.rand + cost.cache_miss)
            + stores * cost.ptr_store
        )
        yield

    # checksum(live): ids of the table's objects and of their targets.
    mem = rt.heap.aspace.np64
    objs = mem[tw : tw + n].astype(np.int64)
    ow = (objs - B) >> 3
    ids = mem[ow + ID_WORD].astype(np.uint64)
    check = np.uint64(0)
    with np.errstate(over="ignore"):
        idx = np.arange(1, n + 1, dtype=np.uint64)
        check += np.sum(ids * idx, dtype=np.uint64)
        for k in range(4):
            tgt = mem[ow + k].astype(np.int64)
            has = tgt != 0
            tids = np.zeros(n, dtype=np.uint64)
            tids[has] = mem[((tgt[has] - B) >> 3) + ID_WORD].astype(np.uint64)
            check += np.sum((tids + np.uint64(1)) * idx * np.uint64(2 * k + 3), dtype=np.uint64)
    g.p.now += n * (1 + 4 + ptrs) * cost.ptr_load
    out = [
        f"churn: {n} live objects ({static} static), {reps} replacements, {ptrs} pointers each",
        f"checksum: {int(check):016x}",
    ]
    return {"output": out}


register(
    Workload(
        "churn",
        "a large live set of 64-byte objects with 4 pointers in a big pointer table, replaced at random",
        main,
        (
            Param("live", 65536, "live objects in the table (the real-Go measurement uses 1048576)", int, 2, MAX_LIVE),
            Param("static", 4096, "leading table entries that are never replaced (real Go: 65536)", int, 1, MAX_LIVE - 1),
            Param("replacements", 327680, "random replacements (real Go: 10000000)", int, 0, MAX_OPS),
            Param("ptrs", 4, "pointer fields set per object (even: a static object, odd: any live one)", int, 0, 4),
            Param("seed", 0, "random seed (0: derived from the runtime's --seed)", int, 0, MAX_SEED),
        ),
    )
)
