"""mcache: a P's private cache of spans, one per span class.

Models ``runtime/mcache.go``.  Each P owns an mcache, so the allocation fast
path takes no lock: ``alloc[spc]`` is the span the P allocates from for span
class *spc*; when it is full, ``refill`` gives it back to its mcentral and
takes another.  The mcache also carries the tiny allocator's current block
(``tiny``, ``tinyoffset``) and counters it flushes into the heap statistics
when spans change hands.

Go keeps the page cache (``pcache``) on the P, beside the mcache; gomem keeps
it on the mcache, which plays the P's part for the allocator.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ..errors import InvariantViolation
from .mpagealloc import PageCache
from .mspan import MSpan
from .sizeclasses import NUM_SPAN_CLASSES, TINY_SPAN_CLASS

if TYPE_CHECKING:  # pragma: no cover
    from .mheap import MHeap

#: the placeholder span of an empty mcache slot (Go: emptymspan); it is
#: always "full" so the first allocation refills
EMPTY_MSPAN = MSpan()


class MCache:
    """A P's span cache (Go: ``mcache``)."""

    __slots__ = ("heap", "p_id", "alloc", "tiny", "tinyoffset", "tiny_allocs", "scan_alloc", "flush_gen", "pcache",
                 "next_sample", "mem_prof_rate")

    def __init__(self, heap: MHeap, p_id: int) -> None:
        self.heap = heap
        self.p_id = p_id
        #: span to allocate from, per span class
        self.alloc: list[MSpan] = [EMPTY_MSPAN] * NUM_SPAN_CLASSES
        #: base of the current 16-byte tiny block (0: none)
        self.tiny = 0
        #: bytes of the tiny block already used
        self.tinyoffset = 0
        #: tiny allocations not yet flushed into the heap stats
        self.tiny_allocs = 0
        #: scannable bytes allocated since the last flush (feeds heapScan)
        self.scan_alloc = 0
        #: heap sweepgen when this cache was last flushed
        self.flush_gen = heap.sweepgen
        #: the P's page cache
        self.pcache = PageCache()
        #: the heap profile's sampler: bytes to the next sample, and MemProfileRate when it last sampled
        #: (set by :meth:`gomem.runtime.mprof.MemProfile.init_mcache` when a profile is kept)
        self.next_sample = 0
        self.mem_prof_rate = 0

    def refill(self, spc: int) -> MSpan:
        """Swap the full span of class *spc* for one with room (Go: ``mcache.refill``)."""
        h = self.heap
        st = h.stats
        s = self.alloc[spc]
        if s is not EMPTY_MSPAN:
            if s.alloc_count != s.nelems:
                raise InvariantViolation("refill of span with free space remaining")
            if s.sweepgen != h.sweepgen + 3:
                raise InvariantViolation(f"bad sweepgen in refill: {s!r}, heap sweepgen {h.sweepgen}")
            h.central[spc].uncache_span(s)
            slots_used = s.alloc_count - s.alloc_count_before_cache
            st.small_alloc_count[spc >> 1] += slots_used
            if spc == TINY_SPAN_CLASS:
                st.tiny_alloc_count += self.tiny_allocs
                self.tiny_allocs = 0
            st.total_alloc += slots_used * s.elemsize
            s.alloc_count_before_cache = 0
        s = h.central[spc].cache_span(self.pcache)
        if s.alloc_count == s.nelems:
            raise InvariantViolation("span has no free space")
        s.sweepgen = h.sweepgen + 3
        s.alloc_count_before_cache = s.alloc_count
        # Count the whole span as live now; releaseAll corrects the guess.
        h.heap_live_add(s.npages * 8192 - s.alloc_count * s.elemsize, self.scan_alloc)
        self.scan_alloc = 0
        self.alloc[spc] = s
        return s

    def release_all(self) -> None:
        """Give every cached span back and drop the tiny block (Go: ``releaseAll``)."""
        h = self.heap
        st = h.stats
        scan_alloc = self.scan_alloc
        self.scan_alloc = 0
        sg = h.sweepgen
        d_heap_live = 0
        for i, s in enumerate(self.alloc):
            if s is EMPTY_MSPAN:
                continue
            slots_used = s.alloc_count - s.alloc_count_before_cache
            s.alloc_count_before_cache = 0
            st.small_alloc_count[i >> 1] += slots_used
            st.total_alloc += slots_used * s.elemsize
            if s.sweepgen != sg + 1:
                d_heap_live -= (s.nelems - s.alloc_count) * s.elemsize
            h.central[i].uncache_span(s)
            self.alloc[i] = EMPTY_MSPAN
        self.tiny = 0
        self.tinyoffset = 0
        st.tiny_alloc_count += self.tiny_allocs
        self.tiny_allocs = 0
        h.heap_live_add(d_heap_live, scan_alloc)

    def prepare_for_sweep(self) -> None:
        """Flush if a sweep phase began since the last flush (Go: ``prepareForSweep``)."""
        sg = self.heap.sweepgen
        if self.flush_gen == sg:
            return
        if self.flush_gen != sg - 2:
            raise InvariantViolation(f"bad flushGen {self.flush_gen} in prepareForSweep; sweepgen {sg}")
        self.release_all()
        self.flush_gen = sg

    def cached_spans(self) -> list[MSpan]:
        return [s for s in self.alloc if s is not EMPTY_MSPAN]
