"""Tests for ``gomem.runtime.mcentral``: the swept/unswept span sets of one span class."""

from __future__ import annotations

import pytest

from gomem.runtime import sizeclasses as sc
from gomem.errors import InvariantViolation
from gomem.runtime.malloc import Heap

SPC = sc.make_span_class(5, True)  # 48-byte noscan: 168 slots per span
SIZE = 48


def fill_spans(h: Heap, n: int) -> list[int]:
    """Allocate n spans' worth of 48-byte objects; return their addresses."""
    per = sc.nelems(5, True)
    return [h.mallocgc(SIZE) for _ in range(n * per)]


class TestSetRoles:
    """partial/full swept and unswept sets swap roles every cycle (Go: partialSwept etc.)."""

    @pytest.mark.parametrize("sg,swept", [(0, 0), (2, 1), (4, 0), (6, 1)])
    def test_index_by_sweepgen(self, heap, sg, swept):
        """The swept sets are index sg/2 % 2, the unswept ones the other."""
        c = heap.mheap.central[SPC]
        assert c.partial_swept(sg) is c.partial[swept]
        assert c.partial_unswept(sg) is c.partial[1 - swept]
        assert c.full_swept(sg) is c.full[swept]
        assert c.full_unswept(sg) is c.full[1 - swept]

    def test_swept_spans_become_unswept_when_sweepgen_advances(self, heap):
        """After sweepgen += 2 the spans of the swept sets sit in the unswept ones, untouched."""
        fill_spans(heap, 2)
        c = heap.mheap.central[SPC]
        sg = heap.mheap.sweepgen
        full = list(c.full_swept(sg))
        assert len(full) == 1 and full[0].sweepgen == sg
        heap.sweeper.start_cycle()
        sg2 = heap.mheap.sweepgen
        assert list(c.full_unswept(sg2)) == full
        assert full[0].sweepgen == sg2 - 2
        assert not c.full_swept(sg2)


class TestCacheSpan:
    """cache_span: a span with room for an mcache (Go: mcentral.cacheSpan)."""

    def test_grows_when_empty(self, heap):
        """With no spans at all it takes a new span from the heap."""
        c = heap.mheap.central[SPC]
        s = c.cache_span()
        assert s.spanclass == SPC
        assert s.npages == sc.CLASS_TO_NPAGES[5]
        assert s.alloc_cache == (1 << 64) - 1

    def test_prefers_partial_swept(self, heap):
        """A partial swept span is used before growing."""
        c = heap.mheap.central[SPC]
        s = c.cache_span()
        s.alloc_bits = 0b1011
        s.alloc_count = 3
        c.partial_swept(heap.mheap.sweepgen).append(s)
        spans_before = len(heap.mheap.all_spans)
        assert c.cache_span() is s
        assert len(heap.mheap.all_spans) == spans_before

    def test_alloc_cache_starts_at_freeindex(self, heap):
        """The allocCache is loaded so that bit 0 is freeindex."""
        c = heap.mheap.central[SPC]
        s = c.cache_span()
        s.alloc_bits = (1 << 70) | (1 << 72)
        s.freeindex = 66
        s.alloc_count = 68
        c.partial_swept(heap.mheap.sweepgen).append(s)
        assert c.cache_span() is s
        assert s.alloc_cache & 0b111_1111 == 0b010_1111  # slots 66..72: 70 and 72 taken
        assert [s.next_free_index() for _ in range(5)] == [66, 67, 68, 69, 71]

    def test_sweeps_partial_unswept(self, heap):
        """Without swept spans it sweeps an unswept partial span itself and keeps it."""
        objs = [heap.mallocgc(SIZE) for _ in range(20)]
        heap.flush_mcaches()
        heap.collect_live(objs[:10], eager_sweep=False)
        c = heap.mheap.central[SPC]
        sg = heap.mheap.sweepgen
        (s,) = c.partial_unswept(sg)
        assert s.sweepgen == sg - 2
        assert c.cache_span() is s
        assert s.sweepgen == sg
        assert s.alloc_count == 10
        assert not c.partial_unswept(sg) and not c.partial_swept(sg)
        assert heap.sweeper.swept_by["alloc"] == 1

    def test_sweeps_full_unswept_and_uses_it_if_room(self, heap):
        """A full unswept span that sweeping frees room in is used, freeindex at its first free slot."""
        objs = fill_spans(heap, 2)  # first span full, in the central; second cached
        c = heap.mheap.central[SPC]
        first = heap.find_object(objs[0])[0]
        assert first in c.full_swept(heap.mheap.sweepgen)
        live = [o for o in objs if o != objs[5]]
        heap.collect_live(live, eager_sweep=False)
        sg = heap.mheap.sweepgen
        assert first in c.full_unswept(sg)
        assert c.cache_span() is first
        assert first.freeindex == 5
        assert first.alloc_count == first.nelems - 1

    def test_full_after_sweep_goes_to_full_swept(self, heap):
        """A full unswept span that stays full is moved to fullSwept and a new span is grown."""
        objs = fill_spans(heap, 2)
        c = heap.mheap.central[SPC]
        first = heap.find_object(objs[0])[0]
        heap.collect_live(objs, eager_sweep=False)
        sg = heap.mheap.sweepgen
        assert first in c.full_unswept(sg)
        s = c.cache_span()
        assert s is not first and s.alloc_count == 0
        assert first in c.full_swept(sg) and first.sweepgen == sg

    def test_span_without_free_slots_raises(self, heap):
        """Handing out a full span is Go's throw "span has no free objects"."""
        c = heap.mheap.central[SPC]
        s = c.cache_span()
        s.alloc_count = s.nelems
        s.freeindex = s.nelems
        c.partial_swept(heap.mheap.sweepgen).append(s)
        with pytest.raises(InvariantViolation, match=r"span has no free objects: <mspan"):
            c.cache_span()


class TestUncacheSpan:
    """uncache_span: taking a span back from an mcache (Go: mcentral.uncacheSpan)."""

    def test_partial_goes_to_partial_swept(self, heap):
        """A span with free slots returns to partialSwept with sweepgen h."""
        heap.mallocgc(SIZE)
        s = heap.mcaches[0].alloc[SPC]
        c = heap.mheap.central[SPC]
        sg = heap.mheap.sweepgen
        assert s.sweepgen == sg + 3
        c.uncache_span(s)
        assert s.sweepgen == sg
        assert list(c.partial_swept(sg)) == [s]

    def test_full_goes_to_full_swept(self, heap):
        """A full span returns to fullSwept."""
        fill_spans(heap, 1)
        s = heap.mcaches[0].alloc[SPC]
        assert s.alloc_count == s.nelems
        c = heap.mheap.central[SPC]
        c.uncache_span(s)
        assert list(c.full_swept(heap.mheap.sweepgen)) == [s]

    def test_stale_span_is_swept(self, heap):
        """A span cached before the sweep began (h+1) is swept on uncache, here freeing it."""
        x = heap.mallocgc(SIZE)
        s = heap.mcaches[0].alloc[SPC]
        heap.sweeper.start_cycle()
        assert s.sweepgen == heap.mheap.sweepgen + 1
        heap.mheap.central[SPC].uncache_span(s)
        assert s.sweepgen == heap.mheap.sweepgen
        assert heap.sweeper.swept_by["alloc"] == 1
        assert heap.find_object(x) is None  # nothing was marked: the span went back to the heap
        assert s.span_id not in heap.mheap.all_spans

    def test_empty_span_raises(self, heap):
        """Uncaching a span nothing was allocated from is Go's throw."""
        s = heap.mheap.central[SPC].cache_span()
        with pytest.raises(InvariantViolation, match=r"uncaching span but s.allocCount == 0"):
            heap.mheap.central[SPC].uncache_span(s)


class TestAllSpans:
    """all_spans lists the spans in the four sets, not cached ones."""

    def test_excludes_cached(self, heap):
        """Only spans held by the mcentral are listed."""
        objs = fill_spans(heap, 2)
        c = heap.mheap.central[SPC]
        assert c.all_spans() == [heap.find_object(objs[0])[0]]
