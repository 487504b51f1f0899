"""Tests for ``gomem.runtime.mgcmark``: workbufs, shading (greyobject), scanning (scanobject), draining and checkmark.

Most tests use a bare :class:`~gomem.runtime.malloc.Heap` and a :class:`Marker` on it:
marking is a pure function of the heap's memory and span metadata.
"""

from __future__ import annotations

import numpy as np
import pytest

from gomem.runtime import mcheckmark
from gomem.runtime import sizeclasses as sc
from gomem.runtime import types as gt
from gomem.runtime.dataseg import DATA_BASE
from gomem.runtime.malloc import Heap
from gomem.runtime.mgcmark import WORKBUF_PTRS, GCWork, Marker
from gomem.runtime.runtime import Runtime
from gomem.runtime.spanindex import KIND_LARGE_SCAN, KIND_SMALL_HEADER, KIND_SMALL_HEAPBITS, KIND_SMALL_NOSCAN
from gomem.runtime.stack import StackAllocator

REG = gt.TypeRegistry()
T = REG.declare("T", "struct { next *T; val int }")
PT = gt.pointer_to(T)
#: 24 bytes: heap bits in the span
SMALL = REG.declare("Small", "struct { a *T; x int; b *T }")
#: 640 bytes: a malloc header
HEADER = REG.declare("Hdr", "struct { p [40]*T; x [40]int }")
#: 48000 bytes: a large object with its type in the span
LARGE = gt.array_of(REG.declare("Pair", "struct { p *T; x int }"), 3000)


@pytest.fixture
def marker(heap):
    return Marker(heap)


def arr(*xs) -> np.ndarray:
    return np.array(xs, dtype=np.uint64)


def marked(heap: Heap, addr: int) -> bool:
    s, _, idx = heap.find_object(addr)
    return s.is_marked(idx)


class TestWorkbuf:
    """A gcWork is a stack of workbufs of at most 253 pointers (2048-byte buffers less a 24-byte header)."""

    def test_capacity_constant(self):
        """WORKBUF_PTRS is (2048 - 24) / 8."""
        assert WORKBUF_PTRS == (2048 - 24) // 8 == 253

    def test_push_splits_into_full_buffers(self):
        """Pushing 1000 pointers makes buffers of at most 253, keeping every pointer once."""
        w = GCWork()
        w.push(np.arange(1, 1001, dtype=np.uint64))
        assert [b.size for b in w.bufs] == [253, 253, 253, 241]
        assert sorted(w.contents().tolist()) == list(range(1, 1001))

    def test_push_tops_up_a_partial_buffer(self):
        """Small pushes share the top buffer while it has room, and never overfill it."""
        w = GCWork()
        for i in range(300):
            w.push(arr(i + 1))
        assert all(b.size <= WORKBUF_PTRS for b in w.bufs)
        assert [b.size for b in w.bufs] == [253, 47]

    def test_pop_and_empty(self):
        """pop takes the most recent buffer; an empty gcWork pops None."""
        w = GCWork()
        assert w.empty() and w.pop() is None
        w.push(arr(1, 2))
        w.push(np.arange(10, 263, dtype=np.uint64))
        assert w.pop().size == 253
        assert w.pop().tolist() == [1, 2]
        assert w.empty()

    def test_marking_many_objects_fills_buffers_to_253(self, heap, marker):
        """Shading 1000 scan objects queues them in buffers of at most 253."""
        objs = np.array([heap.new(T) for _ in range(1000)], dtype=np.uint64)
        w = GCWork()
        assert marker.grey(objs, w) == 1000
        assert max(b.size for b in w.bufs) <= WORKBUF_PTRS
        assert sorted(w.contents().tolist()) == sorted(objs.tolist())

    def test_balance_gives_half_to_the_global_list(self, marker):
        """With more than four buffers and an empty global list, half go global (gcWork.balance)."""
        w = GCWork()
        w.push(np.arange(1, 6 * 253 + 1, dtype=np.uint64))
        marker.balance(w)
        assert (len(w.bufs), len(marker.full)) == (3, 3)
        assert marker.has_work([GCWork()])


class TestGrey:
    """greyobject: mark once, queue scan objects, blacken noscan ones, ignore what is not a heap object."""

    def test_marks_and_queues_scan_objects(self, heap, marker):
        """A scan object is marked, counted and queued (grey)."""
        a = heap.new(T)
        w = GCWork()
        assert marker.grey(arr(a), w) == 1
        assert marked(heap, a)
        assert w.contents().tolist() == [a]
        assert (w.bytes_marked, w.objects_marked) == (16, 1)

    def test_noscan_goes_black(self, heap, marker):
        """A pointer-free object is marked and counted but not queued: black at once."""
        a = heap.mallocgc(64)
        w = GCWork()
        assert marker.grey(arr(a), w) == 1
        assert marked(heap, a)
        assert w.empty()
        assert w.bytes_marked == 64

    def test_dedups(self, heap, marker):
        """The same object twice, or by an interior pointer, is marked and queued once; a second grey is a no-op."""
        a = heap.new(T)
        w = GCWork()
        assert marker.grey(arr(a, a + 8, a), w) == 1
        assert w.contents().tolist() == [a]
        assert marker.grey(arr(a), w) == 0
        assert w.contents().tolist() == [a]
        assert w.bytes_marked == 16

    def test_ignores_nil_globals_stacks_and_wild_pointers(self, heap, marker):
        """nil, a globals address, a stack address, a free page and a span's tail are not objects."""
        a = heap.new(T)
        stacks = StackAllocator(heap.mheap)
        lo = stacks.alloc(2048)
        s = heap.aspace.span_of(a)
        tail = s.limit  # past the last object, inside the span's page
        assert tail < s.start_addr + s.npages * 8192
        beyond = s.start_addr + (64 << 20)
        w = GCWork()
        shaded = []
        marker.on_shade = lambda objs, scan: shaded.extend(objs.tolist())
        assert marker.grey(arr(0, DATA_BASE + 8, lo, lo + 100, tail, beyond), w) == 0
        assert w.empty() and shaded == []
        assert heap.aspace.span_of(lo).state != s.state

    def test_on_shade_reports_colours(self, heap, marker):
        """on_shade gets the newly marked objects and whether each has pointers to scan."""
        a, b = heap.new(T), heap.mallocgc(32)
        got = []
        marker.on_shade = lambda objs, scan: got.extend(zip(objs.tolist(), scan.tolist()))
        marker.grey(arr(a, b, a), GCWork())
        assert sorted(got) == sorted([(a, True), (b, False)])


def fill_pointer_slots(heap: Heap, obj: int) -> list[int]:
    """Point every pointer slot of *obj* at a fresh object and put heap addresses in every scalar word."""
    start, end, mask = heap.pointer_mask(obj)
    slots = heap.pointer_slots(obj)
    targets = []
    for slot in slots:
        t = heap.mallocgc(16)
        heap.store_pointer(obj, slot - obj, t)
        targets.append(t)
    decoy = heap.mallocgc(16)
    for w in range((end - start) >> 3):
        if not (mask >> w) & 1:
            heap.store_scalar(obj, start - obj + 8 * w, decoy)  # looks like a pointer, is not one
    return targets


def last_pointer_end(typ, nbytes: int) -> int:
    """Scan work of an object of *nbytes* holding *typ* tiled: bytes to the end of its last pointer slot (Go's scanSize)."""
    offs = [k * typ.size + o for k in range(-(-nbytes // typ.size)) for o in typ.pointer_offsets()]
    return max(o for o in offs if o < nbytes) + 8


class TestScan:
    """scanobject finds exactly the pointer slots the heap's metadata describes, in all three layouts,
    and counts Go's scan work: up to the end of the last pointer slot, not the whole object."""

    @pytest.mark.parametrize(
        "typ, kind, work",
        [
            (SMALL, KIND_SMALL_HEAPBITS, lambda s: last_pointer_end(SMALL, SMALL.size)),
            (HEADER, KIND_SMALL_HEADER,
             lambda s: sc.MALLOC_HEADER_SIZE + last_pointer_end(HEADER, s.elemsize - sc.MALLOC_HEADER_SIZE)),
            (LARGE, KIND_LARGE_SCAN, lambda s: last_pointer_end(LARGE, s.limit - s.start_addr)),
        ],
        ids=["heapbits", "header", "large"],
    )
    def test_scan_matches_pointer_slots(self, heap, marker, typ, kind, work):
        """The values scan returns are exactly those in Heap.pointer_slots; scalar words are never read as pointers."""
        obj = heap.new(typ)
        s = heap.aspace.span_of(obj)
        assert heap.mheap.spanindex.kind[s.sid] == kind
        targets = fill_pointer_slots(heap, obj)
        assert len(targets) >= len(typ.pointer_offsets())
        w = GCWork()
        vals = marker.scan(arr(heap.slot_base(obj)), w)  # grey objects are slot bases
        assert sorted(vals.tolist()) == sorted(targets)
        assert w.scan_work == work(s)
        assert w.objects_scanned == 1

    def test_nil_slots_are_skipped(self, heap, marker):
        """A scan object whose pointers are all nil yields nothing."""
        obj = heap.new(SMALL)
        assert marker.scan(arr(obj), GCWork()).size == 0

    def test_batch_of_mixed_layouts(self, heap, marker):
        """One scan call over objects of all layouts returns the union of their pointers."""
        objs = [heap.new(SMALL), heap.new(HEADER), heap.new(LARGE), heap.new(T)]
        expect = []
        for o in objs:
            expect += fill_pointer_slots(heap, o)
        assert sorted(marker.scan(arr(*map(heap.slot_base, objs)), GCWork()).tolist()) == sorted(expect)

    def test_with_sources(self, heap, marker):
        """with_sources pairs each pointer with the object it was found in."""
        a, b = heap.new(SMALL), heap.new(HEADER)
        ta, tb = fill_pointer_slots(heap, a), fill_pointer_slots(heap, b)
        ba, bb = heap.slot_base(a), heap.slot_base(b)
        vals, srcs = marker.scan(arr(ba, bb), GCWork(), with_sources=True)
        pairs = sorted(zip(vals.tolist(), srcs.tolist()))
        assert pairs == sorted([(t, ba) for t in ta] + [(t, bb) for t in tb])

    def test_header_object_is_greyed_by_its_slot_base(self, heap, marker):
        """A pointer to a header object's data greys the slot (header included), as scan expects."""
        a = heap.new(HEADER)
        w = GCWork()
        marker.grey(arr(a), w)
        assert w.contents().tolist() == [heap.slot_base(a)] == [a - sc.MALLOC_HEADER_SIZE]

    def test_noscan_kind(self, heap):
        """Pointer-free small objects live in noscan spans, which scanning never visits."""
        a = heap.mallocgc(48)
        assert heap.mheap.spanindex.kind[heap.aspace.span_of(a).sid] == KIND_SMALL_NOSCAN


def build_list(heap: Heap, n: int) -> list[int]:
    objs = [heap.new(T) for _ in range(n)]
    for x, y in zip(objs, objs[1:]):
        heap.store_pointer(x, 0, y)
    return objs


@pytest.fixture
def rt():
    r = Runtime()
    yield r
    r.heap.close()


class TestDrain:
    """The collector's one drain loop alternates scan and grey until no grey object is left, or the budget is spent."""

    def test_marks_everything_reachable_and_nothing_else(self, rt):
        """From the head of a list every node is marked; an unreferenced object stays white."""
        heap, p = rt.heap, rt.sched.ps[0]
        objs = build_list(heap, 600)
        lone = heap.new(T)
        rt.gc.marker.grey(arr(objs[0]), p.gcw)
        assert rt.gc.mark_step(p) == 600
        assert all(marked(heap, o) for o in objs)
        assert not marked(heap, lone)
        assert p.gcw.empty()
        assert p.gcw.bytes_marked == 600 * 16

    def test_budget(self, rt):
        """With a budget of objects the drain stops early and leaves the rest grey."""
        heap, p = rt.heap, rt.sched.ps[0]
        objs = build_list(heap, 10)
        rt.gc.marker.grey(arr(objs[0]), p.gcw)
        assert rt.gc.mark_step(p, objects=3) == 3
        assert p.gcw.contents().tolist() == [objs[3]]

    def test_takes_work_from_the_global_list(self, rt):
        """A P with no buffers of its own drains the global list (tryGet)."""
        heap, marker, p = rt.heap, rt.gc.marker, rt.sched.ps[0]
        objs = build_list(heap, 5)
        w = GCWork()
        marker.grey(arr(objs[0]), w)
        marker.flush_to_global(w)
        assert w.empty() and marker.grey_objects().tolist() == [objs[0]]
        assert rt.gc.mark_step(p) == 5
        assert not marker.full

    def test_charges_the_scan_cost(self, rt):
        """Step-by-step driving pays for its scans like a worker does: the same drain, the same prices."""
        heap, p = rt.heap, rt.sched.ps[0]
        objs = build_list(heap, 10)
        rt.gc.marker.grey(arr(objs[0]), p.gcw)
        t0 = p.now
        rt.gc.mark_step(p)
        c = rt.cost
        assert p.now - t0 >= 10 * c.scan_object + 10 * 2 * c.scan_word + 9 * c.grey


class TestCheckmark:
    """The checkmark re-trace uses its own bits, and records how each object was reached."""

    def test_parents_and_independent_bits(self, heap, marker):
        """Every reachable object maps to its finder (root i as i+1); the cycle's mark bits are untouched."""
        objs = build_list(heap, 4)
        other = heap.new(T)
        parents, names = mcheckmark.trace(marker, [("global a", arr(objs[0])), ("global b", arr(other, 0))])
        assert names == ["global a", "global b"]
        assert parents == {objs[0]: 1, objs[1]: objs[0], objs[2]: objs[1], objs[3]: objs[2], other: 2}
        assert not any(marked(heap, o) for o in objs + [other])

    def test_finds_nothing_after_a_correct_mark(self, rt):
        """After a full drain from the same roots, every object checkmark reaches is marked."""
        heap, marker, p = rt.heap, rt.gc.marker, rt.sched.ps[0]
        objs = build_list(heap, 300)
        big = heap.new(LARGE)
        fill_pointer_slots(heap, big)
        heap.store_pointer(objs[-1], 0, big)
        marker.grey(arr(objs[0]), p.gcw)
        rt.gc.mark_step(p)
        parents, _ = mcheckmark.trace(marker, [("root", arr(objs[0]))])
        assert len(parents) == 300 + 1 + 3000
        assert all(marked(heap, a) for a in parents)
