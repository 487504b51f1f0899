"""Tests for ``gomem.runtime.mcache``: a P's span cache, refill, release and flush."""

from __future__ import annotations

import pytest

from gomem.runtime import sizeclasses as sc
from gomem.errors import InvariantViolation
from gomem.runtime.malloc import Heap
from gomem.runtime.mcache import EMPTY_MSPAN, MCache

SPC = sc.make_span_class(5, True)  # 48-byte noscan
SIZE = 48
NELEMS = sc.nelems(5, True)  # 168


class TestNew:
    """A new mcache holds no spans."""

    def test_every_slot_is_the_empty_span(self, heap):
        """All 136 span classes start at emptymspan, which is always full."""
        c = heap.mcaches[0]
        assert len(c.alloc) == sc.NUM_SPAN_CLASSES
        assert all(s is EMPTY_MSPAN for s in c.alloc)
        assert EMPTY_MSPAN.nelems == 0 and EMPTY_MSPAN.next_free_index() == 0
        assert (c.tiny, c.tinyoffset, c.tiny_allocs) == (0, 0, 0)
        assert c.flush_gen == heap.mheap.sweepgen
        assert c.cached_spans() == []


class TestRefill:
    """refill swaps a full span for one with room (Go: mcache.refill)."""

    def test_first_refill(self, heap):
        """The first allocation of a class refills from the mcentral and marks the span cached (h+3)."""
        heap.mallocgc(SIZE)
        s = heap.mcaches[0].alloc[SPC]
        assert s is not EMPTY_MSPAN
        assert s.sweepgen == heap.mheap.sweepgen + 3
        assert s.alloc_count_before_cache == 0
        assert heap.mcaches[0].cached_spans() == [s]

    def test_heap_live_counts_the_whole_span(self, heap):
        """refill adds the span's unallocated bytes to heapLive as if all slots were used."""
        heap.mallocgc(SIZE)
        s = heap.mcaches[0].alloc[SPC]
        assert heap.stats.heap_live == s.npages * 8192  # allocCount was 0 when it was cached

    def test_full_span_uncached_to_full_swept(self, heap):
        """Refilling a full span gives it to the mcentral's fullSwept set and counts its slots."""
        first = [heap.mallocgc(SIZE) for _ in range(NELEMS)]
        s = heap.mcaches[0].alloc[SPC]
        assert s.alloc_count == NELEMS
        heap.mallocgc(SIZE)
        sg = heap.mheap.sweepgen
        assert heap.mcaches[0].alloc[SPC] is not s
        assert s.sweepgen == sg
        assert list(heap.mheap.central[SPC].full_swept(sg)) == [s]
        assert heap.stats.small_alloc_count[5] == NELEMS
        assert heap.stats.total_alloc == NELEMS * SIZE
        assert s.alloc_count_before_cache == 0
        assert heap.find_object(first[-1])[0] is s

    def test_refill_with_room_left_raises(self, heap):
        """Refilling a span that still has free slots is Go's throw."""
        heap.mallocgc(SIZE)
        with pytest.raises(InvariantViolation, match=r"^refill of span with free space remaining$"):
            heap.mcaches[0].refill(SPC)

    def test_bad_sweepgen_raises(self, heap):
        """A cached span whose sweepgen is not h+3 is Go's throw "bad sweepgen in refill"."""
        for _ in range(NELEMS):
            heap.mallocgc(SIZE)
        heap.mcaches[0].alloc[SPC].sweepgen = heap.mheap.sweepgen
        with pytest.raises(InvariantViolation, match=r"^bad sweepgen in refill: <mspan .*heap sweepgen 0$"):
            heap.mcaches[0].refill(SPC)

    def test_stale_span_is_swept_on_release(self, heap):
        """A full span cached before the sweep began (h+1) is swept when the cache lets it go."""
        objs = [heap.mallocgc(SIZE) for _ in range(NELEMS)]
        s = heap.mcaches[0].alloc[SPC]
        for o in objs[:3]:
            heap.mark(o)
        heap.sweeper.start_cycle()
        assert s.sweepgen == heap.mheap.sweepgen + 1
        heap.stats.heap_live = 12345  # as mark termination resets it
        heap.mcaches[0].prepare_for_sweep()
        assert heap.stats.heap_live == 12345  # no correction for a stale span
        assert s.alloc_count == 3 and s.sweepgen == heap.mheap.sweepgen
        assert s in heap.mheap.central[SPC].partial_swept(heap.mheap.sweepgen)
        assert heap.stats.small_free_count[5] == NELEMS - 3


class TestReleaseAll:
    """release_all gives every span back and drops the tiny block (Go: mcache.releaseAll)."""

    def test_uncaches_every_span(self, heap):
        """Every cached span goes back to its mcentral and the slots become emptymspan."""
        heap.mallocgc(SIZE)
        heap.mallocgc(100)
        heap.mallocgc(5)
        c = heap.mcaches[0]
        spans = c.cached_spans()
        assert len(spans) == 3
        c.release_all()
        assert c.cached_spans() == []
        sg = heap.mheap.sweepgen
        for s in spans:
            assert s.sweepgen == sg
            assert s in heap.mheap.central[s.spanclass].partial_swept(sg)

    def test_undoes_the_heap_live_overestimate(self, heap):
        """After release heapLive no longer counts the unused slots."""
        heap.mallocgc(SIZE)
        heap.mallocgc(SIZE)
        heap.mcaches[0].release_all()
        # refill added the span's 8192 bytes; release takes back only the free slots, so
        # the 128-byte tail past the last slot stays counted, as in Go
        assert heap.stats.heap_live == 2 * SIZE + (8192 - NELEMS * SIZE)

    def test_flushes_counts(self, heap):
        """Slots used since caching go to smallAllocCount and totalAlloc; tiny allocs to tinyAllocCount."""
        for _ in range(3):
            heap.mallocgc(SIZE)
        heap.mallocgc(1)
        heap.mallocgc(1)
        c = heap.mcaches[0]
        assert c.tiny_allocs == 1
        c.release_all()
        assert heap.stats.small_alloc_count[5] == 3
        assert heap.stats.small_alloc_count[2] == 1
        assert heap.stats.tiny_alloc_count == 1
        assert heap.stats.total_alloc == 3 * SIZE + 16
        assert c.tiny_allocs == 0

    def test_drops_the_tiny_block(self, heap):
        """The tiny block is forgotten: the next tiny allocation starts a new block."""
        a = heap.mallocgc(1)
        heap.mcaches[0].release_all()
        assert (heap.mcaches[0].tiny, heap.mcaches[0].tinyoffset) == (0, 0)
        assert heap.mallocgc(1) == a + 16

    def test_counts_only_new_slots(self, heap):
        """A span cached a second time counts only the slots allocated since."""
        heap.mallocgc(SIZE)
        heap.mcaches[0].release_all()
        heap.mallocgc(SIZE)
        heap.mallocgc(SIZE)
        s = heap.mcaches[0].alloc[SPC]
        assert s.alloc_count_before_cache == 1
        heap.mcaches[0].release_all()
        assert heap.stats.small_alloc_count[5] == 3


class TestPrepareForSweep:
    """prepare_for_sweep flushes a cache once per sweep phase (Go: mcache.prepareForSweep)."""

    def test_noop_when_current(self, heap):
        """With flushGen == sweepgen nothing happens."""
        heap.mallocgc(SIZE)
        c = heap.mcaches[0]
        c.prepare_for_sweep()
        assert c.cached_spans() != []

    def test_flushes_after_a_new_cycle(self, heap):
        """After sweepgen += 2 it releases everything and records the new generation."""
        heap.mallocgc(SIZE)
        c = heap.mcaches[0]
        heap.sweeper.start_cycle()
        c.prepare_for_sweep()
        assert c.cached_spans() == []
        assert c.flush_gen == heap.mheap.sweepgen

    def test_skipped_generation_raises(self, heap):
        """A cache two cycles behind is Go's throw "bad flushGen"."""
        c = heap.mcaches[0]
        heap.sweeper.start_cycle()
        heap.sweeper.start_cycle()
        with pytest.raises(InvariantViolation, match=r"^bad flushGen 0 in prepareForSweep; sweepgen 4$"):
            c.prepare_for_sweep()


class TestPageCache:
    """Each mcache carries its P's page cache."""

    def test_spans_come_from_the_p_page_cache(self):
        """Two Ps take their spans from different 64-page blocks."""
        h = Heap(procs=2)
        try:
            h.mallocgc(SIZE, p=0)  # first span: heap growth
            a = h.mallocgc(100, p=0)  # from P0's cache
            b = h.mallocgc(100, p=1)  # P1 gets the next block
            assert isinstance(h.mcaches[1], MCache)
            assert h.mcaches[0].pcache.base == 0xC000000000
            assert h.mcaches[1].pcache.base == 0xC000000000 + 64 * 8192
            assert (a, b) == (0xC000000000 + 8192, 0xC000000000 + 64 * 8192)
        finally:
            h.close()
