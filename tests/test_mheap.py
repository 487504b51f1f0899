"""Tests for ``gomem.runtime.mheap``: growth, span allocation and freeing, and their stats."""

from __future__ import annotations

import pytest

from gomem.runtime import sizeclasses as sc
from gomem.runtime.arena import ARENA_BASE_ADDR, HEAP_ARENA_BYTES, PAGE_SIZE, AddressSpace
from gomem.errors import InvariantViolation, OutOfMemory
from gomem.runtime.mgcsweep import Sweeper
from gomem.runtime.mheap import MHeap
from gomem.runtime.mpagealloc import PALLOC_CHUNK_BYTES, PageCache
from gomem.runtime.mspan import SPAN_DEAD, SPAN_IN_USE, SPAN_MANUAL
from gomem.runtime.mstats import HeapStats

MiB = 1 << 20
NOSCAN16 = sc.make_span_class(2, True)
SCAN16 = sc.make_span_class(2, False)
SCAN8 = sc.make_span_class(1, False)
LARGE = sc.make_span_class(0, True)


def page_stats(h: MHeap) -> tuple[int, int, int]:
    return h.stats.heap_in_use, h.stats.heap_free, h.stats.heap_released


@pytest.fixture
def heap():
    aspace = AddressSpace(4 * HEAP_ARENA_BYTES)
    h = MHeap(aspace, HeapStats())
    Sweeper(h)
    yield h
    aspace.close()


class TestGrow:
    """MHeap.grow: whole 4 MiB palloc chunks, counted as released (Go: mheap.grow)."""

    @pytest.mark.parametrize("npages,want", [(1, 4 * MiB), (512, 4 * MiB), (513, 8 * MiB), (1500, 12 * MiB)])
    def test_asks_aligned_up_to_512_pages(self, heap, npages, want):
        """grow(n) adds alignUp(n, 512) pages."""
        assert heap.grow(npages) == want
        assert heap.pages.npages == want // PAGE_SIZE
        assert heap.grown_bytes == want

    def test_new_memory_is_released(self, heap):
        """Grown memory is idle and released: HeapSys grows by it, HeapInuse does not."""
        heap.grow(1)
        assert page_stats(heap) == (0, 0, 4 * MiB)
        assert heap.heap_sys == 4 * MiB

    def test_reserves_arenas_as_needed(self, heap):
        """Growth past the reserved arena reserves the next one, contiguously."""
        heap.grow(8192)  # exactly one arena
        assert len(heap.aspace.arenas) == 1
        heap.grow(1)
        assert len(heap.aspace.arenas) == 2
        assert heap.cur_arena_base == ARENA_BASE_ADDR + HEAP_ARENA_BYTES + PALLOC_CHUNK_BYTES

    def test_first_alloc_grows(self, heap):
        """The first span allocation grows the heap by one chunk."""
        s = heap.alloc(1, NOSCAN16)
        assert s.start_addr == ARENA_BASE_ADDR
        assert heap.heap_sys == 4 * MiB


class TestOutOfMemory:
    """max_heap and the address-space limit end in Go's out-of-memory words."""

    def test_max_heap(self, heap):
        """Growing past max_heap raises OutOfMemory naming the block and the bytes in use."""
        heap.max_heap = 8 * MiB
        heap.alloc(1, NOSCAN16)
        with pytest.raises(
            OutOfMemory, match=r"^runtime: out of memory: cannot allocate 8388608-byte block \(4194304 in use\)$"
        ):
            heap.alloc(600, LARGE)

    def test_heap_unchanged_after_the_error(self, heap):
        """A refused growth leaves stats, pages, arenas and spans as they were."""
        heap.max_heap = 4 * MiB
        s = heap.alloc(3, NOSCAN16)
        before = (page_stats(heap), heap.pages.npages, heap.pages.free_pages(), len(heap.aspace.arenas),
                  dict(heap.all_spans), heap.cur_arena_base, heap.pages_in_use, heap.grown_bytes)
        with pytest.raises(OutOfMemory, match="cannot allocate 4194304-byte block"):
            heap.alloc(510, LARGE)
        after = (page_stats(heap), heap.pages.npages, heap.pages.free_pages(), len(heap.aspace.arenas),
                 dict(heap.all_spans), heap.cur_arena_base, heap.pages_in_use, heap.grown_bytes)
        assert after == before
        assert heap.aspace.span_of(s.start_addr) is s
        assert heap.alloc(509, LARGE).npages == 509  # what fits still fits

    def test_address_space_exhausted(self):
        """Without max_heap, running out of reservation is the same error."""
        aspace = AddressSpace(HEAP_ARENA_BYTES)
        h = MHeap(aspace, HeapStats())
        try:
            h.alloc(8192, LARGE)
            with pytest.raises(OutOfMemory, match=r"cannot allocate 4194304-byte block \(67108864 in use\)"):
                h.alloc(1, LARGE)
        finally:
            aspace.close()


class TestAllocSpanStats:
    """allocSpan and freeSpan move bytes between heapInUse, heapFree and heapReleased."""

    def test_alloc_of_scavenged_pages(self, heap):
        """Allocating fresh (scavenged) pages: heapInUse += n, heapReleased -= n."""
        heap.alloc(3, LARGE)
        assert page_stats(heap) == (3 * PAGE_SIZE, 0, 4 * MiB - 3 * PAGE_SIZE)

    def test_free_moves_to_heap_free(self, heap):
        """Freeing a span: heapInUse -= n, heapFree += n; nothing is released."""
        s = heap.alloc(3, LARGE)
        heap.free_span(s)
        assert page_stats(heap) == (0, 3 * PAGE_SIZE, 4 * MiB - 3 * PAGE_SIZE)

    def test_realloc_of_free_pages(self, heap):
        """Allocating free (unscavenged) pages takes them from heapFree only."""
        s = heap.alloc(3, LARGE)
        heap.free_span(s)
        heap.alloc(2, LARGE)
        assert page_stats(heap) == (2 * PAGE_SIZE, PAGE_SIZE, 4 * MiB - 3 * PAGE_SIZE)

    def test_mixed_pages(self, heap):
        """A span over free and scavenged pages splits its bytes between the two pools."""
        s = heap.alloc(2, LARGE)
        heap.free_span(s)
        heap.alloc(5, LARGE)
        assert page_stats(heap) == (5 * PAGE_SIZE, 0, 4 * MiB - 5 * PAGE_SIZE)

    def test_heap_sys_is_constant(self, heap):
        """Allocating and freeing never changes HeapSys = inUse + free + released."""
        spans = [heap.alloc(n, LARGE) for n in (1, 7, 30)]
        for s in spans[::2]:
            heap.free_span(s)
        assert heap.heap_sys == sum(page_stats(heap)) == 4 * MiB

    def test_manual_span_counts_as_stacks(self, heap):
        """A manual span is counted in inStacks, not heapInUse, and freeManual gives it back."""
        s = heap.alloc_manual(4)
        assert s.state == SPAN_MANUAL
        assert heap.stats.in_stacks == 4 * PAGE_SIZE
        assert page_stats(heap) == (0, 0, 4 * MiB - 4 * PAGE_SIZE)
        heap.free_manual(s)
        assert heap.stats.in_stacks == 0
        assert page_stats(heap) == (0, 4 * PAGE_SIZE, 4 * MiB - 4 * PAGE_SIZE)

    def test_pages_in_use(self, heap):
        """pagesInUse follows heap spans."""
        a = heap.alloc(3, LARGE)
        heap.alloc(2, NOSCAN16)
        heap.free_span(a)
        assert heap.pages_in_use == 2


class TestInitSpan:
    """A new span's fields and its entries in the arena (Go: initSpan)."""

    def test_small_span_fields(self, heap):
        """A 16-byte noscan span: 504 slots, a full allocCache, the heap's sweepgen."""
        heap.sweepgen = 6
        s = heap.alloc(1, NOSCAN16)
        assert (s.state, s.spanclass, s.sizeclass, s.noscan) == (SPAN_IN_USE, NOSCAN16, 2, True)
        assert (s.elemsize, s.nelems, s.npages) == (16, 504, 1)
        assert s.limit == s.start_addr + 16 * 504
        assert s.alloc_cache == (1 << 64) - 1
        assert (s.freeindex, s.alloc_count, s.alloc_bits, s.gcmark_bits) == (0, 0, 0, 0)
        assert s.sweepgen == 6
        assert s.div_magic == sc.CLASS_TO_DIVMAGIC[2]
        assert s.heap_bits_addr == 0
        assert s.inline_marks_addr == s.start_addr + PAGE_SIZE - 128

    def test_scan_span_heap_bits(self, heap):
        """A small scan span keeps its pointer bitmap before the inline mark bits."""
        s = heap.alloc(1, SCAN16)
        assert s.nelems == 496
        assert s.heap_bits_addr == s.start_addr + PAGE_SIZE - 128 - 128

    def test_large_span_fields(self, heap):
        """A large span is one object of the whole span."""
        s = heap.alloc(5, LARGE)
        assert (s.elemsize, s.nelems, s.div_magic) == (5 * PAGE_SIZE, 1, 0)

    def test_page_table_and_bits(self, heap):
        """Every page maps to the span; the first page's pageInUse bit is set, and cleared on free."""
        heap.alloc(1, NOSCAN16)
        s = heap.alloc(3, LARGE)
        for i in range(3):
            assert heap.aspace.span_of(s.start_addr + i * PAGE_SIZE + 5) is s
        arena = heap.aspace.arenas[0]
        assert arena.page_in_use[0] == 0b11  # pages 0 and 1 start spans
        heap.free_span(s)
        assert arena.page_in_use[0] == 0b01
        assert heap.aspace.span_of(s.start_addr) is None
        assert s.state == SPAN_DEAD
        assert s.span_id not in heap.all_spans

    def test_span_ids_are_serial(self, heap):
        """Each span gets the next serial number and is in the census."""
        a, b = heap.alloc(1, NOSCAN16), heap.alloc(1, NOSCAN16)
        assert b.span_id == a.span_id + 1
        assert heap.all_spans == {a.span_id: a, b.span_id: b}

    def test_free_of_free_span_raises(self, heap):
        """Freeing a span twice is an invariant violation in Go's words."""
        s = heap.alloc(1, NOSCAN16)
        heap.free_span(s)
        with pytest.raises(InvariantViolation, match=r"mheap.freeSpan of <mspan 0xc000000000"):
            heap.free_span(s)

    def test_free_manual_of_heap_span_raises(self, heap):
        """freeManual refuses a heap span."""
        s = heap.alloc(1, NOSCAN16)
        with pytest.raises(InvariantViolation, match=r"mheap.freeManual of"):
            heap.free_manual(s)


class TestNeedzero:
    """needzero from the arena's zeroedBase watermark (Go: allocNeedsZero)."""

    def test_fresh_memory_needs_no_zeroing(self, heap):
        """Spans above the watermark are known zero."""
        assert not heap.alloc(1, NOSCAN16).needzero
        assert not heap.alloc(4, LARGE).needzero
        assert heap.aspace.arenas[0].zeroed_base == 5 * PAGE_SIZE

    def test_reused_memory_needs_zeroing(self, heap):
        """A span over pages used before needs zeroing; one past them does not."""
        s = heap.alloc(2, LARGE)
        heap.free_span(s)
        assert heap.alloc(3, LARGE).needzero  # overlaps the old pages
        assert not heap.alloc(1, LARGE).needzero  # above the watermark

    def test_recycled_scan_span_gets_clean_heap_bits(self, heap):
        """A scan span on dirty pages starts with a zero pointer bitmap (Go: initHeapBits)."""
        s = heap.alloc(1, LARGE)
        heap.aspace.fill(s.start_addr, PAGE_SIZE, b"\xff")
        heap.free_span(s)
        t = heap.alloc(1, SCAN16)
        assert t.needzero
        assert heap.aspace.read(t.heap_bits_addr, 128) == bytes(128)
        assert heap.aspace.read(t.inline_marks_addr, 128) == bytes(128)

    def test_class1_scan_span_bits_all_ones(self, heap):
        """An 8-byte scan span has every word marked as a pointer."""
        t = heap.alloc(1, SCAN8)
        assert heap.aspace.read(t.heap_bits_addr, 128) == b"\xff" * 128


class TestPageCacheUse:
    """allocSpan serves requests of fewer than 16 pages from the P's page cache."""

    def test_small_requests_use_the_cache(self, heap):
        """A 1-page span fills the cache with the block and takes its first page."""
        pc = PageCache()
        s = heap.alloc(1, NOSCAN16, pc)
        assert s.start_addr == ARENA_BASE_ADDR + 0
        assert pc.base == 0  # the heap was empty: the span came from growth, not the cache
        t = heap.alloc(1, NOSCAN16, pc)
        assert pc.base == ARENA_BASE_ADDR
        assert t.start_addr == ARENA_BASE_ADDR + PAGE_SIZE
        assert pc.cache == ((1 << 64) - 1) & ~0b11
        # the rest of the block is the P's: a span without the cache goes past it
        assert heap.alloc(1, NOSCAN16).start_addr == ARENA_BASE_ADDR + 64 * PAGE_SIZE

    def test_sixteen_pages_bypass_the_cache(self, heap):
        """Requests of 16 pages or more go to the page allocator."""
        pc = PageCache()
        heap.alloc(1, NOSCAN16)
        s = heap.alloc(16, LARGE, pc)
        assert pc.empty() and pc.base == 0
        assert s.start_addr == ARENA_BASE_ADDR + PAGE_SIZE

    def test_flush_returns_pages(self, heap):
        """flush_page_cache gives the cached pages back to the heap."""
        pc = PageCache()
        heap.alloc(1, NOSCAN16)
        heap.alloc(1, NOSCAN16, pc)
        free_before = heap.pages.free_pages()
        heap.flush_page_cache(pc)
        assert heap.pages.free_pages() == free_before + 62
        assert heap.alloc(1, NOSCAN16).start_addr == ARENA_BASE_ADDR + 2 * PAGE_SIZE

    def test_cached_pages_keep_their_stats(self, heap):
        """Pages sitting in a page cache are still idle memory in the stats."""
        pc = PageCache()
        heap.alloc(1, NOSCAN16)
        heap.alloc(1, NOSCAN16, pc)
        assert page_stats(heap) == (2 * PAGE_SIZE, 0, 4 * MiB - 2 * PAGE_SIZE)


class TestScavengeAll:
    """scavenge_all returns every free page (Go: scavengeAll)."""

    def test_moves_free_to_released(self, heap):
        """Free bytes become released bytes and their memory reads zero."""
        s = heap.alloc(2, LARGE)
        heap.aspace.fill(s.start_addr, 2 * PAGE_SIZE, b"\x7f")
        heap.free_span(s)
        assert heap.scavenge_all() == 2 * PAGE_SIZE
        assert page_stats(heap) == (0, 0, 4 * MiB)
        assert heap.aspace.read(s.start_addr, 2 * PAGE_SIZE) == bytes(2 * PAGE_SIZE)
        assert heap.alloc(2, LARGE).start_addr == s.start_addr
        assert page_stats(heap) == (2 * PAGE_SIZE, 0, 4 * MiB - 2 * PAGE_SIZE)
