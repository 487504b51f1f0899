"""A stateful test of ``gomem.runtime.malloc.Heap``: random programs against a model of what must be true.

The model knows only what a Go program knows: which objects it allocated
(address, size, type), which it still holds, and what it stored in them.
Hypothesis drives allocations of every path (zero, tiny, small with heap
bits, small with a malloc header, large) on random Ps, drops, pointer and
scalar stores, collections that keep exactly the held objects (swept eagerly
or lazily), and reads of MemStats.  After every step the heap must agree
with the model and with itself: objects are disjoint and findable, every
object sits in an in-use span of a class that fits it, the page→span table
matches the spans, the page counters match the page allocator, and every
store reads back.  The sweeper may only ever free what the program dropped.
"""

from __future__ import annotations

from dataclasses import dataclass

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, precondition, rule

from gomem.runtime import sizeclasses as sc
from gomem.runtime import types as T
from gomem.runtime.arena import PAGE_SIZE
from gomem.runtime.malloc import ZEROBASE_ADDR, Heap
from gomem.runtime.mspan import SPAN_IN_USE
from gomem.runtime.mstats import compute_memstats

from strategies import alloc_sizes, typed_allocs

MAX_SIZE = 70000


@dataclass
class Obj:
    """One allocation as the program sees it."""

    addr: int
    size: int
    typ: T.GoType | None  # None: allocated without a type (pointer-free bytes)
    path: sc.AllocPath

    @property
    def noscan(self) -> bool:
        return self.typ is None or self.typ.ptrdata == 0

    @property
    def end(self) -> int:
        return self.addr + self.size


class HeapMachine(RuleBasedStateMachine):
    """Random allocator programs, checked after every step."""

    def __init__(self) -> None:
        super().__init__()
        self.heap: Heap | None = None
        #: objects the program holds, by address
        self.live: dict[int, Obj] = {}
        #: (object, offset) -> pointer stored there
        self.pointers: dict[tuple[int, int], int] = {}
        #: (object, offset, width) -> scalar stored there
        self.scalars: dict[tuple[int, int, int], int] = {}
        #: allocations of at least one byte (each is one of MemStats.Mallocs)
        self.nallocs = 0

    # -- set-up and tear-down --------------------------------------------------

    @initialize(procs=st.integers(1, 3), clobberfree=st.booleans())
    def start(self, procs: int, clobberfree: bool) -> None:
        self.heap = Heap(procs=procs, clobberfree=clobberfree)
        self.heap.sweeper.on_free = self._on_free

    def teardown(self) -> None:
        if self.heap is not None:
            self.heap.close()

    def _on_free(self, s, idx: int) -> None:
        """The sweeper frees a slot: nothing the program holds may be in it."""
        base = s.start_addr + idx * s.elemsize
        end = s.limit if s.sizeclass == 0 else base + s.elemsize
        for o in self.live.values():
            assert not (base <= o.addr < end), f"sweeper freed live object {o.addr:#x} (slot {base:#x})"

    # -- rules -----------------------------------------------------------------

    @rule(data=st.data())
    def allocate(self, data: st.DataObject) -> None:
        """mallocgc of random size and type on a random P."""
        h = self.heap
        p = data.draw(st.integers(0, h.procs - 1), label="P")
        if data.draw(st.booleans(), label="typed"):
            t, n = data.draw(typed_allocs(MAX_SIZE), label="type, n")
            addr = h.new_array(t, n, p)
            size = t.size * n
            typ = t if t.ptrdata else None
        else:
            size = data.draw(alloc_sizes(MAX_SIZE), label="size")
            addr = h.mallocgc(size, None, p)
            t = typ = None
        if size == 0:
            assert addr == ZEROBASE_ADDR
            return
        self.nallocs += 1
        o = Obj(addr, size, t, sc.alloc_path(size, typ is None, h.layout))
        for other in self.live.values():
            assert o.end <= other.addr or other.end <= o.addr, f"new {o} overlaps {other}"
        self.live[addr] = o
        self._check_fresh(o)
        # a scalar in the object's last byte, if that byte is not part of a pointer word
        last = size - 1
        if o.noscan or not (T.tile_mask(t, size) >> (last // 8)) & 1:
            v = data.draw(st.integers(1, 255), label="byte")
            h.store_scalar(addr, last, v, 1)
            self.scalars[(addr, last, 1)] = v

    @rule(
        size=st.one_of(st.integers(1, 15), st.sampled_from([16, 48, 144, 512, 1024, 4096, 9472, 32768])),
        count=st.integers(50, 600),
        keep_every=st.integers(7, 60),
    )
    def allocate_burst(self, size: int, count: int, keep_every: int) -> None:
        """Many pointer-free objects of one size, most dropped at once: spans fill, refill and go partial."""
        h = self.heap
        for i in range(count):
            addr = h.mallocgc(size, None, i % h.procs)
            self.nallocs += 1
            if i % keep_every == 0:
                self.live[addr] = Obj(addr, size, None, sc.alloc_path(size, True, h.layout))

    def _check_fresh(self, o: Obj) -> None:
        """A new object reads as zero and has exactly its type's pointer words."""
        h = self.heap
        assert h.aspace.read(o.addr, o.size) == bytes(o.size)
        got = {a for a in h.pointer_slots(o.addr) if a < o.end}
        want = set() if o.noscan else {o.addr + off for off in T.pointer_offsets_array(o.typ, o.size).tolist()}
        assert got == want

    @precondition(lambda self: self.live)
    @rule(data=st.data())
    def drop(self, data: st.DataObject) -> None:
        """The program forgets an object."""
        addr = data.draw(st.sampled_from(sorted(self.live)), label="drop")
        del self.live[addr]
        self.pointers = {k: v for k, v in self.pointers.items() if k[0] != addr}
        self.scalars = {k: v for k, v in self.scalars.items() if k[0] != addr}

    @precondition(lambda self: any(not o.noscan for o in self.live.values()))
    @rule(data=st.data())
    def store_pointer(self, data: st.DataObject) -> None:
        """src.f = &dst.g (or nil) for a pointer field f of a live object."""
        h = self.heap
        src = data.draw(st.sampled_from(sorted(a for a, o in self.live.items() if not o.noscan)), label="src")
        o = self.live[src]
        slots = [a for a in h.pointer_slots(src) if a < o.end]
        slot = data.draw(st.sampled_from(slots), label="slot")
        if data.draw(st.booleans(), label="nil"):
            val = 0
        else:
            dst = self.live[data.draw(st.sampled_from(sorted(self.live)), label="dst")]
            val = dst.addr + data.draw(st.integers(0, dst.size - 1), label="interior")
        h.store_pointer(src, slot - src, val)
        self.pointers[(src, slot - src)] = val

    @rule(eager=st.booleans())
    def collect(self, eager: bool) -> None:
        """A GC cycle that keeps exactly the held objects, swept at once or lazily."""
        h = self.heap
        keep = {}
        for o in self.live.values():
            s, base, _ = h.find_object(o.addr)
            keep[base] = s.elemsize
        for c in h.mcaches:  # gcMarkTinyAllocs: the P's current tiny blocks are live too
            if c.tiny:
                keep[c.tiny] = 16
        marked = h.collect_live(list(self.live), eager_sweep=eager)
        assert marked == sum(keep.values())
        assert h.stats.heap_live == marked
        assert all(c.tiny == 0 and c.cached_spans() == [] for c in h.mcaches)
        if eager:
            assert h.sweeper.done
            assert {a for _, a in h.live_objects()} == set(keep)

    @rule()
    def read_memstats(self) -> None:
        """runtime.ReadMemStats agrees with a recount of the spans."""
        h = self.heap
        m = h.read_memstats()
        spans = h.spans()
        assert m.HeapInuse == sum(s.npages * PAGE_SIZE for s in spans)
        assert m.HeapObjects == sum(s.alloc_count for s in spans) == len(list(h.live_objects()))
        assert m.HeapAlloc == m.Alloc == sum(s.alloc_count * s.elemsize for s in spans)
        assert m.Mallocs == self.nallocs
        assert m.HeapSys == m.HeapInuse + m.HeapIdle
        assert m.HeapIdle >= m.HeapReleased
        assert len(m.BySize) == 61

    # -- invariants --------------------------------------------------------------

    @invariant()
    def objects_disjoint_and_findable(self) -> None:
        """Live objects do not overlap, sit in in-use spans of a fitting class, and are found from inside."""
        if self.heap is None:
            return
        h = self.heap
        objs = sorted(self.live.values(), key=lambda o: o.addr)
        for a, b in zip(objs, objs[1:]):
            assert a.end <= b.addr, f"{a} overlaps {b}"
        for o in objs:
            s, base, _ = h.find_object(o.addr)
            assert s.state == SPAN_IN_USE and h.mheap.all_spans.get(s.span_id) is s
            path = o.path
            assert s.spanclass == (sc.TINY_SPAN_CLASS if path.path == "tiny" else path.spanclass)
            if path.path == "large":
                assert (s.npages, base, s.limit) == (path.npages, o.addr, o.end)
            else:
                assert s.elemsize == path.elemsize
                header = sc.MALLOC_HEADER_SIZE if path.header else 0
                assert base + header <= o.addr and o.end <= base + s.elemsize
                assert path.path == "tiny" or o.addr == base + header
            probes = {o.addr, o.end - 1, o.addr + o.size // 2}
            if o.size <= 256:
                probes.update(range(o.addr, o.end, 8))
            for a in probes:
                assert h.find_object(a)[1] == base

    @invariant()
    def page_table_matches_spans(self) -> None:
        """Every page of every span maps to it, and no other page maps to anything."""
        if self.heap is None:
            return
        h = self.heap
        spans = list(h.mheap.all_spans.values())
        for s in spans:
            assert s.state == SPAN_IN_USE
            for i in range(s.npages):
                assert h.aspace.span_of(s.start_addr + i * PAGE_SIZE) is s
        mapped = sum(len(a.spans) - a.spans.count(None) for a in h.aspace.arenas)
        assert mapped == sum(s.npages for s in spans)
        assert h.mheap.pages_in_use == sum(s.npages for s in spans)

    @invariant()
    def page_stats_match_the_page_allocator(self) -> None:
        """HeapInuse, HeapIdle and HeapReleased agree with spans, free pages and page caches."""
        if self.heap is None:
            return
        h = self.heap
        m = compute_memstats(h.stats, ncaches=h.procs, gc_sys=0, other_sys=0, next_gc=0)  # no flush
        pa = h.mheap.pages
        cached = sum(c.pcache.cache.bit_count() for c in h.mcaches)
        cached_scav = sum(c.pcache.scav.bit_count() for c in h.mcaches)
        free_scav = int((pa.scavenged & ~pa.in_use).sum())
        assert m.HeapInuse == sum(s.npages for s in h.mheap.all_spans.values()) * PAGE_SIZE
        assert m.HeapIdle == (pa.free_pages() + cached) * PAGE_SIZE
        assert m.HeapReleased == (free_scav + cached_scav) * PAGE_SIZE
        assert m.HeapSys == m.HeapInuse + m.HeapIdle == h.mheap.grown_bytes
        assert not (pa.scavenged & pa.in_use).any()

    @invariant()
    def stores_read_back(self) -> None:
        """Every pointer and scalar the program stored in a held object is still there."""
        if self.heap is None:
            return
        h = self.heap
        for (obj, off), val in self.pointers.items():
            assert h.load_pointer(obj, off) == val
        for (obj, off, width), val in self.scalars.items():
            assert h.load_scalar(obj, off, width) == val


HeapMachine.TestCase.settings = settings(
    max_examples=200,
    stateful_step_count=50,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much, HealthCheck.data_too_large],
)
TestHeapMachine = HeapMachine.TestCase
