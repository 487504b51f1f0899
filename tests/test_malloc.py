"""Tests for ``gomem.runtime.malloc``: every allocation path, object lookup, and checked loads and stores."""

from __future__ import annotations

import pytest
from hypothesis import given, settings, strategies as st

from gomem.runtime import sizeclasses as sc
from gomem.runtime import types as T
from gomem.runtime.arena import ARENA_BASE_ADDR, PAGE_SIZE
from gomem.errors import BadInput, BadPointer, BadWrite, OutOfMemory
from gomem.runtime.malloc import ZEROBASE_ADDR, Heap, type_addr, type_at

from strategies import alloc_sizes, typed_allocs

PINT = T.pointer_to(T.INT)
# struct { a int; p *int; s string; i any }: pointers in words 1, 2 and 5
NODE = T.struct_of([("a", T.INT), ("p", PINT), ("s", T.STRING), ("i", T.ANY)])
NODE_PTR_OFFSETS = [8, 16, 40]


def with_filler(nbytes: int) -> T.GoType:
    """struct { p *int; b [nbytes-8]byte }: one pointer, then bytes."""
    return T.struct_of([("p", PINT), ("b", T.array_of(T.BYTE, nbytes - 8))])


class TestHeapOptions:
    """Heap() validates its options."""

    @pytest.mark.parametrize(
        "kw,msg",
        [
            ({"procs": 0}, r"GOMAXPROCS must be at least 1, got 0"),
            ({"layout": "tcmalloc"}, r"unknown span layout 'tcmalloc': want one of greentea, classic"),
            ({"max_heap": 0}, r"heap limit must be positive, got 0"),
        ],
    )
    def test_bad_options(self, kw, msg):
        """Bad GOMAXPROCS, layout or heap limit are BadInput."""
        with pytest.raises(BadInput, match=msg):
            Heap(**kw)

    def test_procs(self):
        """One mcache per P."""
        h = Heap(procs=3)
        try:
            assert h.procs == 3 and [c.p_id for c in h.mcaches] == [0, 1, 2]
        finally:
            h.close()


class TestBadRequests:
    """mallocgc refuses requests the runtime would reject."""

    def test_negative(self, heap):
        """A negative size is makeslice's error."""
        with pytest.raises(BadInput, match=r"negative allocation size -1: makeslice: len out of range"):
            heap.mallocgc(-1)

    def test_not_an_int(self, heap):
        """A size that is not an integer is refused."""
        for bad in (1.5, True, "8"):
            with pytest.raises(BadInput, match=rf"allocation size must be an integer, got {bad!r}"):
                heap.mallocgc(bad)  # type: ignore[arg-type]

    @pytest.mark.parametrize("p", [1, -1])
    def test_bad_p(self, heap, p):
        """A P that does not exist is refused, on every path."""
        for size in (8, 100, 40000):
            with pytest.raises(BadInput, match=rf"^no P {p}: GOMAXPROCS is 1$"):
                heap.mallocgc(size, p=p)
        assert heap.spans() == []

    def test_numpy_integer_size(self, heap):
        """An integral size of another type (numpy's) is taken as its int value."""
        np = pytest.importorskip("numpy")
        x = heap.mallocgc(np.int64(48))
        assert type(x) is int and heap.aspace.span_of(x).elemsize == 48

    def test_size_not_a_multiple_of_the_type(self, heap):
        """An allocation must be a whole number of its type."""
        with pytest.raises(BadInput, match=r"allocation of 20 bytes is not a whole number of \*int \(8 bytes\)"):
            heap.mallocgc(20, PINT)

    def test_negative_array(self, heap):
        """new_array with a negative length is makeslice's error."""
        with pytest.raises(BadInput, match=r"makeslice: len out of range"):
            heap.new_array(T.INT, -1)

    def test_too_large(self, heap):
        """More than the address space can hold is refused in Go's words."""
        with pytest.raises(BadInput, match=r"runtime: out of memory: cannot allocate 281474976710657-byte block"):
            heap.mallocgc((1 << 48) + 1)


class TestZeroSize:
    """Zero-byte allocations return &zerobase and allocate nothing."""

    def test_zerobase(self, heap):
        """mallocgc(0), new of an empty struct and a zero-length array all return zerobase."""
        assert heap.mallocgc(0) == ZEROBASE_ADDR
        assert heap.new(T.struct_of([])) == ZEROBASE_ADDR
        assert heap.new_array(NODE, 0) == ZEROBASE_ADDR
        assert heap.spans() == []
        assert heap.read_memstats().Mallocs == 0


class TestTiny:
    """The tiny allocator packs pointer-free objects under 16 bytes (Go: mallocgcTiny)."""

    def test_one_byte_objects_sixteen_per_block(self, heap):
        """Sixteen 1-byte objects share one block; the seventeenth starts the next."""
        a = [heap.mallocgc(1) for _ in range(17)]
        assert a[:16] == [a[0] + i for i in range(16)]
        assert a[16] == a[0] + 16
        s = heap.aspace.span_of(a[0])
        assert s.spanclass == sc.TINY_SPAN_CLASS and s.alloc_count == 2

    def test_eight_byte_objects_two_per_block(self, heap):
        """8-byte objects are 8-aligned: two per block."""
        a = [heap.mallocgc(8) for _ in range(4)]
        assert [x - a[0] for x in a] == [0, 8, 16, 24]

    def test_alignment_rules(self, heap):
        """Offsets align to 8, 4 or 2 by the size's low bits; odd sizes are not aligned."""
        b = heap.mallocgc(1)  # offset 0
        assert heap.mallocgc(2) == b + 2  # even: align 2
        assert heap.mallocgc(1) == b + 4
        assert heap.mallocgc(4) == b + 8  # multiple of 4: align 4
        assert heap.mallocgc(3) == b + 12  # odd: no alignment
        assert heap.mcaches[0].tinyoffset == 15

    def test_eight_aligned_after_odd(self, heap):
        """An 8-byte object after a 1-byte one skips to offset 8."""
        b = heap.mallocgc(1)
        assert heap.mallocgc(8) == b + 8

    def test_twelve_byte_objects_do_not_share(self, heap):
        """On 64-bit a 12-byte object is 4-aligned, so two never fit one block."""
        a = heap.mallocgc(12)
        b = heap.mallocgc(12)
        assert b == a + 16
        assert heap.mallocgc(4) == a + 12  # the first block keeps its 4 free bytes

    def test_new_block_replaces_only_if_it_has_more_room(self, heap):
        """A new block becomes the tiny block only when its leftover beats the old one's."""
        a = heap.mallocgc(10)  # block 1, 6 bytes left
        b = heap.mallocgc(12)  # block 2 would leave 4: block 1 stays current
        assert heap.mcaches[0].tiny == a
        c = heap.mallocgc(7)  # does not fit (10+7 > 16): block 3 leaves 9 > 6, replaces
        assert heap.mcaches[0].tiny == c == b + 16
        assert heap.mcaches[0].tinyoffset == 7

    def test_counts(self, heap):
        """Allocations into an existing block count as tinyAllocs; new blocks as class-2 slots."""
        for _ in range(5):
            heap.mallocgc(4)
        assert heap.mcaches[0].tiny_allocs == 3
        assert heap.mcaches[0].alloc[sc.TINY_SPAN_CLASS].alloc_count == 2

    def test_block_is_zeroed(self, heap):
        """A recycled tiny block is cleared before use."""
        a = heap.mallocgc(15)
        heap.store_scalar(a, 0, 0xFF, 1)
        heap.flush_mcaches()  # so the block is no longer the P's tiny block
        heap.collect_live([])
        b = heap.mallocgc(15)
        assert b == a
        assert heap.aspace.read(b, 16) == bytes(16)

    def test_sixteen_bytes_is_not_tiny(self, heap):
        """A 16-byte noscan object takes a whole class-2 slot of the noscan class."""
        x = heap.mallocgc(16)
        assert heap.aspace.span_of(x).spanclass == sc.make_span_class(2, True)
        assert heap.mcaches[0].tiny == 0

    def test_pointer_types_are_never_tiny(self, heap):
        """An 8-byte pointer is a scan object in the 8-byte scan class."""
        x = heap.new(PINT)
        s = heap.aspace.span_of(x)
        assert s.spanclass == sc.make_span_class(1, False)
        assert heap.pointer_slots(x) == [x]


class TestSmallNoscan:
    """Pointer-free objects of 16..32760 bytes take the next free slot of their class."""

    @pytest.mark.parametrize("size", [16, 17, 100, 1024, 1025, 32760])
    def test_class_and_slot(self, heap, size):
        """The slot has the class size and consecutive objects are elemsize apart."""
        a, b = heap.mallocgc(size), heap.mallocgc(size)
        s = heap.aspace.span_of(a)
        cl = sc.size_to_class(size)
        assert s.spanclass == sc.make_span_class(cl, True)
        assert s.elemsize == sc.CLASS_TO_SIZE[cl]
        if s.nelems > 1:
            assert b == a + s.elemsize
        assert heap.pointer_slots(a) == []

    def test_reused_slot_is_zeroed(self, heap):
        """A slot freed by the sweeper is zeroed when it is handed out again."""
        a = heap.mallocgc(64)
        heap.store_scalar(a, 56, 0xAB)
        heap.collect_live([])
        assert heap.mallocgc(64) == a
        assert heap.load_scalar(a, 56) == 0

    def test_next_span_when_full(self, heap):
        """When the cached span is full the next object comes from a new span."""
        n = sc.nelems(5, True)
        objs = [heap.mallocgc(48) for _ in range(n + 1)]
        assert heap.aspace.span_of(objs[-1]) is not heap.aspace.span_of(objs[0])
        assert len(set(objs)) == n + 1

    def test_gc_trigger_checked_only_after_a_refill(self, heap):
        """The GC trigger hook runs when a span was fetched, not on the fast path."""
        calls = []
        heap.gc_trigger_hook = lambda v: calls.append(1)
        heap.mallocgc(48)
        heap.mallocgc(48)
        assert calls == [1]
        heap.mallocgc(40000)
        assert calls == [1, 1]

    def test_classic_layout(self):
        """Without Green Tea a 16-byte span holds 512 objects, with no inline mark bits."""
        h = Heap(layout="classic")
        try:
            x = h.mallocgc(16)
            s = h.aspace.span_of(x)
            assert s.nelems == 512 and s.inline_marks_addr == 0
        finally:
            h.close()


class TestSmallScanHeapBits:
    """Scan objects of at most 512 bytes record their pointer words in the span's heap bits."""

    def test_struct_pointer_slots(self, heap):
        """pointer_slots lists exactly the struct's pointer words."""
        x = heap.new(NODE)
        assert [p - x for p in heap.pointer_slots(x)] == NODE_PTR_OFFSETS
        s = heap.aspace.span_of(x)
        assert s.elemsize == 48 and not s.noscan and s.heap_bits_addr

    def test_heap_bits_in_the_span(self, heap):
        """The bits sit in the span's bitmap, one per word, at the object's word offset."""
        heap.new(NODE)
        y = heap.new(NODE)
        s = heap.aspace.span_of(y)
        bits = int.from_bytes(heap.aspace.read(s.heap_bits_addr, 128), "little")
        assert bits == NODE.ptrmask | (NODE.ptrmask << 6)

    def test_array_of_structs(self, heap):
        """new_array tiles the struct's mask once per element."""
        x = heap.new_array(NODE, 3)
        want = [i * 48 + o for i in range(3) for o in NODE_PTR_OFFSETS]
        assert [p - x for p in heap.pointer_slots(x)] == want
        assert heap.aspace.span_of(x).elemsize == 144

    def test_slot_bigger_than_the_data(self, heap):
        """Words of the slot past the data carry no pointer bits."""
        x = heap.new_array(NODE, 2)  # 96 bytes in a 96 slot; then 3 × 48 = 144
        y = heap.mallocgc(5 * 8, PINT)  # 40 bytes in a 48-byte slot
        assert [p - y for p in heap.pointer_slots(y)] == [0, 8, 16, 24, 32]
        assert heap.pointer_mask(y)[1] - y == 48
        assert len(heap.pointer_slots(x)) == 6

    def test_reused_slot_gets_new_bits(self, heap):
        """A slot reused by another type has only the new type's bits."""
        x = heap.mallocgc(48, T.array_of(PINT, 6))
        heap.collect_live([])
        y = heap.new(NODE)
        assert y == x
        assert [p - y for p in heap.pointer_slots(y)] == NODE_PTR_OFFSETS

    def test_512_bytes_has_no_header(self, heap):
        """A 512-byte pointerful object still uses heap bits (the header starts above 512)."""
        t = with_filler(512)
        x = heap.new(t)
        s = heap.aspace.span_of(x)
        assert s.elemsize == 512 and s.heap_bits_addr and heap.object_type(x) is None
        assert (x - s.start_addr) % 512 == 0
        assert heap.pointer_slots(x) == [x]


class TestSmallScanHeader:
    """Scan objects of 513..32760 bytes get an 8-byte malloc header holding the type."""

    def test_header_and_user_pointer(self, heap):
        """The user pointer is slot+8 and the header holds the type's address."""
        t = with_filler(520)
        x = heap.new(t)
        s = heap.aspace.span_of(x)
        assert s.elemsize == 576 and s.heap_bits_addr == 0
        slot = s.start_addr + s.object_index(x) * s.elemsize
        assert x == slot + 8
        assert heap.aspace.load_word(slot) == type_addr(t)
        assert type_at(type_addr(t)) is t
        assert heap.object_type(x) is t
        assert heap.object_bounds(x) == (slot + 8, slot + 576)

    @pytest.mark.parametrize("size,elemsize", [(1016, 1024), (1024, 1152), (32760, 32768)])
    def test_header_counts_in_the_class(self, heap, size, elemsize):
        """The class is chosen for size+8: 1016 → 1024, 1024 → 1152, 32760 → 32768."""
        x = heap.new(with_filler(size))
        assert heap.aspace.span_of(x).elemsize == elemsize

    def test_pointer_slots_tile_the_type(self, heap):
        """An array allocation is scanned element by element from the header's type."""
        t = with_filler(600)
        x = heap.new_array(t, 3)  # 1808 bytes with the header: a 2048-byte slot
        # like Go's typePointers, the scan goes on to an element that starts inside the slot's slack
        assert [p - x for p in heap.pointer_slots(x)] == [0, 600, 1200, 1800]

    def test_partial_trailing_element(self, heap):
        """A slot ending part-way through a further element is scanned up to the slot's end."""
        t = with_filler(608)  # 616 bytes with the header: class 640, 24 bytes past the object
        x = heap.new(t)
        assert heap.aspace.span_of(x).elemsize == 640
        assert [p - x for p in heap.pointer_slots(x)] == [0, 608]

    def test_typed_loads_and_stores(self, heap):
        """Stores through the header's type are checked like any other object."""
        x = heap.new(with_filler(600))
        y = heap.new(T.INT)
        heap.store_pointer(x, 0, y)
        assert heap.load_pointer(x, 0) == y
        with pytest.raises(BadWrite, match=r"offset 8 of object .* is not a pointer slot"):
            heap.store_pointer(x, 8, y)


class TestLarge:
    """Objects over 32,760 bytes get a span of their own."""

    @pytest.mark.parametrize("size,npages", [(32761, 4), (32768, 4), (32769, 5), (100000, 13)])
    def test_noscan_large(self, heap, size, npages):
        """Even a pointer-free 32,761-byte object is large: ceil(size/8192) pages."""
        x = heap.mallocgc(size)
        s = heap.aspace.span_of(x)
        assert x == s.start_addr
        assert (s.sizeclass, s.noscan, s.npages, s.elemsize) == (0, True, npages, npages * PAGE_SIZE)
        assert s.limit == x + size
        assert (s.freeindex, s.alloc_count, s.nelems) == (1, 1, 1)

    def test_in_full_swept(self, heap):
        """A large span goes straight to its mcentral's fullSwept set."""
        x = heap.mallocgc(50000)
        s = heap.aspace.span_of(x)
        assert s in heap.mheap.central[sc.make_span_class(0, True)].full_swept(heap.mheap.sweepgen)

    def test_scan_large_records_its_type(self, heap):
        """A large scan object keeps its type in the span; pointer slots tile it."""
        t = T.array_of(PINT, 5000)
        x = heap.new(t)
        s = heap.aspace.span_of(x)
        assert s.large_type is t and heap.object_type(x) is t and not s.noscan
        slots = heap.pointer_slots(x)
        assert len(slots) == 5000 and slots[-1] == x + 4999 * 8

    def test_stats(self, heap):
        """largeAlloc counts whole pages and heapLive grows by them."""
        heap.mallocgc(40000)
        assert (heap.stats.large_alloc, heap.stats.large_alloc_count) == (5 * PAGE_SIZE, 1)
        assert heap.stats.heap_live == 5 * PAGE_SIZE

    def test_reused_pages_are_zeroed(self, heap):
        """A large object on recycled pages reads zero."""
        x = heap.mallocgc(40000)
        heap.store_scalar(x, 39992, 0x55)
        heap.collect_live([])
        y = heap.mallocgc(40000)
        assert y == x
        assert heap.load_scalar(y, 39992) == 0

    def test_out_of_memory(self):
        """Past max_heap the allocation fails with Go's words and nothing is allocated."""
        h = Heap(max_heap=8 << 20)
        try:
            x = h.mallocgc(100)
            with pytest.raises(OutOfMemory, match=r"^runtime: out of memory: cannot allocate 12582912-byte block"):
                h.mallocgc(10 << 20)
            assert [s.start_addr for s in h.spans()] == [h.aspace.span_of(x).start_addr]
            assert h.mallocgc(100) == x + 112
        finally:
            h.close()


class TestAllocateBlack:
    """With alloc_black set (mark phase), every new object is born marked (Go: gcmarknewobject)."""

    @pytest.mark.parametrize("make", [
        lambda h: h.mallocgc(5),
        lambda h: h.mallocgc(100),
        lambda h: h.new(NODE),
        lambda h: h.new(with_filler(700)),
        lambda h: h.mallocgc(50000),
    ], ids=["tiny", "small", "scan", "header", "large"])
    def test_new_objects_are_marked(self, heap, make):
        """The object's mark bit is set and bytesMarked counts the slot."""
        heap.alloc_black = True
        x = make(heap)
        s, _, idx = heap.find_object(x)
        assert (s.gcmark_bits >> idx) & 1
        assert heap.bytes_marked == s.elemsize

    def test_off_records_free_index_for_scan(self, heap):
        """With the GC off, allocation records freeIndexForScan instead."""
        x = heap.mallocgc(100)
        s = heap.aspace.span_of(x)
        heap.mallocgc(100)
        assert s.gcmark_bits == 0
        assert s.free_index_for_scan == s.freeindex == 2

    def test_hook(self, heap):
        """on_alloc_black sees each object allocated black."""
        seen = []
        heap.on_alloc_black = lambda s, i: seen.append(i)
        heap.alloc_black = True
        heap.mallocgc(100)
        heap.mallocgc(100)
        assert seen == [0, 1]


class TestFindObject:
    """find_object: from any address to its object (Go: findObject)."""

    def test_interior_pointers(self, heap):
        """Every byte of a slot maps back to the slot's base and index."""
        heap.mallocgc(48)
        x = heap.mallocgc(48)
        for a in (x, x + 1, x + 47):
            s, base, idx = heap.find_object(a)
            assert (base, idx) == (x, 1)

    def test_free_slot(self, heap):
        """A free slot of an in-use span is not an object."""
        x = heap.mallocgc(48)
        assert heap.find_object(x + 48) is None

    def test_outside_spans(self, heap):
        """Addresses in no span, before the heap, or past a span's last slot are not objects."""
        x = heap.mallocgc(48)
        s = heap.aspace.span_of(x)
        assert heap.find_object(ARENA_BASE_ADDR - 8) is None
        assert heap.find_object(x + 100 * PAGE_SIZE) is None
        assert heap.find_object(s.limit) is None  # the tail past the last slot
        assert heap.find_object(0) is None

    def test_large_interior_and_past_size(self, heap):
        """Inside a large object finds it; past its size (in the same span) does not."""
        x = heap.mallocgc(40000)
        assert heap.find_object(x + 39999)[1] == x
        assert heap.find_object(x + 40000) is None

    @pytest.mark.parametrize(
        "addr,msg",
        [
            (0, r"invalid memory address or nil pointer dereference"),
            (ARENA_BASE_ADDR + 50 * PAGE_SIZE, r"runtime: pointer 0xc000064000 to unallocated span"),
        ],
    )
    def test_object_bounds_errors(self, heap, addr, msg):
        """object_bounds names why an address is not an object."""
        heap.mallocgc(48)
        with pytest.raises(BadPointer, match=msg):
            heap.object_bounds(addr)

    def test_object_bounds_free_slot_and_tail(self, heap):
        """A free slot and a span's tail get their own explanations."""
        x = heap.mallocgc(48)
        s = heap.aspace.span_of(x)
        with pytest.raises(BadPointer, match=rf"pointer {x + 48:#x} is to a free slot of span {s.start_addr:#x}"):
            heap.object_bounds(x + 48)
        with pytest.raises(BadPointer, match=rf"runtime: pointer {s.limit:#x} past the last object of span"):
            heap.object_bounds(s.limit)

    @settings(max_examples=60)
    @given(alloc=typed_allocs(max_size=40000))
    def test_every_typed_allocation_is_found(self, alloc):
        """For any typed allocation, its first and last byte find it and its pointer words match the type."""
        t, n = alloc
        h = Heap()
        try:
            x = h.new_array(t, n)
            size = t.size * n
            start, end = h.object_bounds(x)
            assert start <= x and x + size <= end
            assert h.find_object(x + size - 1)[1] == h.find_object(x)[1]
            want = {x + o for o in T.pointer_offsets_array(t, size).tolist()}
            got = {p for p in h.pointer_slots(x) if p < x + size}
            assert got == want
        finally:
            h.close()

    @settings(max_examples=60)
    @given(sizes=st.lists(alloc_sizes(40000), min_size=1, max_size=12))
    def test_pointer_free_allocations_never_overlap(self, sizes):
        """Pointer-free objects of any sizes are disjoint and each lies in its slot."""
        h = Heap()
        try:
            objs = [(h.mallocgc(n), n) for n in sizes if n]
            spans = sorted(objs)
            for (a, n), (b, _) in zip(spans, spans[1:]):
                assert a + n <= b
            for a, n in objs:
                s, base, _ = h.find_object(a)
                assert base <= a and a + n <= base + s.elemsize
        finally:
            h.close()


class TestStores:
    """store_pointer / load_pointer / store_scalar / load_scalar check every access."""

    @pytest.fixture
    def objs(self, heap):
        return heap.new(NODE), heap.new(NODE)

    def test_pointer_round_trip(self, heap, objs):
        """A pointer stored in a pointer slot reads back, and the old value is returned."""
        x, y = objs
        assert heap.store_pointer(x, 8, y + 16) == 0
        assert heap.load_pointer(x, 8) == y + 16
        assert heap.store_pointer(x, 8, 0) == y + 16
        assert heap.store_pointer(x, 40, ZEROBASE_ADDR) == 0

    def test_scalar_round_trip(self, heap, objs):
        """Scalars of 1, 2, 4 and 8 bytes read back from non-pointer words."""
        x, _ = objs
        heap.store_scalar(x, 0, 0x0102030405060708)
        heap.store_scalar(x, 24, 0xBEEF, 2)
        heap.store_scalar(x, 34, 7, 1)
        heap.store_scalar(x, 36, 0xDEADBEEF, 4)
        assert heap.load_scalar(x, 0) == 0x0102030405060708
        assert heap.load_scalar(x, 24, 2) == 0xBEEF
        assert heap.load_scalar(x, 34, 1) == 7
        assert heap.load_scalar(x, 32, 8) == 0xDEADBEEF_0007_0000

    @pytest.mark.parametrize(
        "call,exc,msg",
        [
            (lambda h, x, y: h.store_pointer(x, 48, y), BadWrite,
             r"access of 8 bytes at offset 48 of object 0x[0-9a-f]+ is outside its 48 bytes"),
            (lambda h, x, y: h.store_pointer(x, -8, y), BadWrite, r"at offset -8 .* is outside its 48 bytes"),
            (lambda h, x, y: h.store_scalar(x, 44, 1, 8), BadWrite, r"access of 8 bytes at offset 44"),
            (lambda h, x, y: h.store_pointer(x, 0, y), BadWrite, r"offset 0 of object 0x[0-9a-f]+ is not a pointer slot"),
            (lambda h, x, y: h.store_pointer(x, 12, y), BadWrite, r"offset 12 .* is not a pointer slot"),
            (lambda h, x, y: h.store_scalar(x, 8, 1), BadWrite,
             r"cannot store a non-pointer into pointer slot at offset 8 of object"),
            (lambda h, x, y: h.store_scalar(x, 16, 1, 1), BadWrite, r"cannot store a non-pointer into pointer slot"),
            (lambda h, x, y: h.store_pointer(x, 8, y + 48), BadPointer,
             r"storing invalid pointer 0x[0-9a-f]+: pointer 0x[0-9a-f]+ is to a free slot of span"),
            (lambda h, x, y: h.store_pointer(x, 8, ARENA_BASE_ADDR + 200 * PAGE_SIZE), BadPointer,
             r"storing invalid pointer 0xc000190000: runtime: pointer 0xc000190000 to unallocated span"),
            (lambda h, x, y: h.store_pointer(x, 8, 42), BadPointer, r"storing invalid pointer 0x2a"),
            (lambda h, x, y: h.store_pointer(x, 8, 0x7F0000000000), BadPointer, r"storing invalid pointer 0x7f0000000000"),
            (lambda h, x, y: h.store_scalar(x, 3, 1, 2), BadWrite, r"misaligned 2-byte store at offset 3"),
            (lambda h, x, y: h.store_scalar(x, 0, 1, 3), BadInput, r"scalar width must be 1, 2, 4 or 8 bytes, got 3"),
            (lambda h, x, y: h.store_scalar(x, 0, 256, 1), BadInput, r"value 256 does not fit in 1 bytes"),
            (lambda h, x, y: h.store_scalar(x, 0, -1), BadInput, r"value -1 does not fit in 8 bytes"),
        ],
        ids=[
            "past-end", "before-start", "straddles-end", "scalar-word", "misaligned-ptr", "scalar-into-ptr",
            "byte-into-ptr", "ptr-to-free-slot", "ptr-to-unallocated-span", "ptr-below-4096", "ptr-outside-heap",
            "misaligned-scalar", "bad-width", "too-big", "negative",
        ],
    )
    def test_rejected_and_memory_unchanged(self, heap, objs, call, exc, msg):
        """A refused store raises the named error and leaves both objects' bytes as they were."""
        x, y = objs
        heap.store_pointer(x, 8, y)
        heap.store_scalar(x, 0, 0x1111)
        before = heap.aspace.read(x, 96), heap.aspace.read(y, 48)
        with pytest.raises(exc, match=msg):
            call(heap, x, y)
        assert (heap.aspace.read(x, 96), heap.aspace.read(y, 48)) == before

    def test_store_into_freed_object(self, heap, objs):
        """A store through a pointer to a freed object is a bad pointer."""
        x, y = objs
        heap.collect_live([y])
        with pytest.raises(BadPointer, match=r"is to a free slot of span"):
            heap.store_scalar(x, 0, 1)
        with pytest.raises(BadPointer, match=r"is to a free slot"):
            heap.load_pointer(x, 8)

    def test_noscan_objects_have_no_pointer_slots(self, heap):
        """Nothing can be stored as a pointer in a pointer-free object."""
        x = heap.mallocgc(64)
        y = heap.mallocgc(64)
        with pytest.raises(BadWrite, match=r"offset 0 of object .* is not a pointer slot"):
            heap.store_pointer(x, 0, y)
        with pytest.raises(BadWrite, match=r"not a pointer slot"):
            heap.load_pointer(x, 0)

    def test_tiny_object_bounds_are_the_block(self, heap):
        """A tiny object's loads and stores are checked against its 16-byte block."""
        a = heap.mallocgc(4)
        heap.store_scalar(a, 12, 9, 4)
        assert heap.load_scalar(a, 12, 4) == 9
        with pytest.raises(BadWrite, match=r"outside its 16 bytes"):
            heap.store_scalar(a, 16, 9, 1)

    def test_interior_pointer_store(self, heap, objs):
        """A pointer into the middle of an object is a valid pointer value."""
        x, y = objs
        heap.store_pointer(x, 16, y + 47)
        assert heap.load_pointer(x, 16) == y + 47


class TestMark:
    """Heap.mark sets mark bits on objects found from any interior address."""

    def test_mark_once(self, heap):
        """The first mark returns True and counts the slot; the second returns False."""
        x = heap.mallocgc(48)
        assert heap.mark(x + 5) is True
        assert heap.mark(x) is False
        assert heap.bytes_marked == 48

    def test_mark_non_object(self, heap):
        """Marking something that is not an object is a bad pointer."""
        with pytest.raises(BadPointer, match=r"runtime: pointer 0xc000000000 to unallocated span"):
            heap.mark(ARENA_BASE_ADDR)


class TestCollectLive:
    """collect_live: a stop-the-world cycle that keeps exactly the given objects."""

    def test_frees_the_rest(self, heap):
        """Unlisted objects are freed; listed ones (by any interior address) survive."""
        objs = [heap.mallocgc(48) for _ in range(5)] + [heap.mallocgc(40000)]
        marked = heap.collect_live([objs[1] + 3, objs[5] + 20000])
        assert marked == 48 + 5 * PAGE_SIZE
        assert [heap.find_object(o) is not None for o in objs] == [False, True, False, False, False, True]
        assert heap.stats.heap_live == marked

    def test_keeps_the_tiny_block(self, heap):
        """The P's current tiny block survives the cycle even if nothing in it is listed."""
        a = heap.mallocgc(4)
        heap.collect_live([])
        assert heap.find_object(a) is not None
        assert heap.mcaches[0].tiny == 0  # the caches were flushed
        heap.collect_live([])
        assert heap.find_object(a) is None

    def test_bad_live_pointer_changes_nothing(self, heap):
        """A live address that is no object raises before any mark is set."""
        a = heap.mallocgc(4)
        x = heap.mallocgc(48)
        with pytest.raises(BadPointer, match=r"is to a free slot"):
            heap.collect_live([x + 48])
        assert all(s.gcmark_bits == 0 for s in heap.spans())
        assert heap.mheap.sweepgen == 0 and heap.mcaches[0].tiny == a

    def test_lazy_sweep(self, heap):
        """Without eager sweep, dead objects stay allocated until their span is swept."""
        x = heap.mallocgc(40000)
        heap.collect_live([], eager_sweep=False)
        assert heap.find_object(x) is not None
        assert not heap.sweeper.done
        heap.sweeper.finish()
        assert heap.find_object(x) is None


class TestCensus:
    """spans and live_objects list the heap's contents."""

    def test_live_objects(self, heap):
        """live_objects yields (span, slot) for every allocated slot in address order."""
        a = heap.mallocgc(48)
        b = heap.mallocgc(48)
        c = heap.mallocgc(40000)
        assert [x for _, x in heap.live_objects()] == [a, b, c]
        assert len(heap.spans()) == 2
