"""mheap: the page heap that spans are cut from.

Models ``runtime/mheap.go``: ``mheap.alloc``/``allocSpan``/``initSpan``,
``grow``, ``freeSpan`` and the heap's sweep generation.  See
:mod:`gomem.runtime.malloc` for the overview of the allocator.

The heap owns every page.  It grows in 4 MiB chunks (``grow`` asks the page
allocator for ``alignUp(npages, 512)`` pages), reserving a new 64 MiB arena
when the current one runs out.  New memory starts *released* (counted in
``HeapReleased``): it has never been touched.  Allocating a span moves its
bytes to ``HeapInuse``; freeing one moves them to the free pool
(``HeapIdle − HeapReleased``) until the scavenger returns them to the OS.

Stats, as Go keeps them (``mheap.go`` ``allocSpan``, ``freeSpanLocked``):
allocating *n* bytes with *s* of them scavenged does heapInUse += n,
heapFree −= n − s, heapReleased −= s; freeing does heapInUse −= n,
heapFree += n.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import sizeclasses as sc
from .arena import ARENA_BASE_ADDR, PAGE_SHIFT, PAGE_SIZE, AddressSpace
from ..errors import InvariantViolation, OutOfMemory
from .mcentral import MCentral
from .mpagealloc import PAGE_CACHE_PAGES, PALLOC_CHUNK_PAGES, PageAlloc, PageCache
from .mspan import SPAN_DEAD, SPAN_IN_USE, SPAN_MANUAL, MSpan
from .mstats import HeapStats
from .spanindex import (
    KIND_LARGE_NOSCAN,
    KIND_LARGE_SCAN,
    KIND_NONE,
    KIND_SMALL_HEADER,
    KIND_SMALL_HEAPBITS,
    KIND_SMALL_NOSCAN,
    GCBits,
    SpanIndex,
)

if TYPE_CHECKING:  # pragma: no cover
    pass


class MHeap:
    """The heap (Go: ``mheap``)."""

    def __init__(self, aspace: AddressSpace, stats: HeapStats, layout: str = "greentea") -> None:
        self.aspace = aspace
        self.stats = stats
        #: span layout: "greentea" (Go 1.27) or "classic"
        self.layout = layout
        self.pages = PageAlloc()
        #: sweep generation: +2 every GC cycle (see MSpan's table)
        self.sweepgen = 0
        #: [base, end) of address space reserved but not yet grown into
        self.cur_arena_base = ARENA_BASE_ADDR
        self.cur_arena_end = ARENA_BASE_ADDR
        #: one mcentral per span class
        self.central = [MCentral(self, spc) for spc in range(sc.NUM_SPAN_CLASSES)]
        #: pages in in-use heap spans (Go: pagesInUse)
        self.pages_in_use = 0
        #: pages swept in the current cycle (Go: pagesSwept)
        self.pages_swept = 0
        self._next_span_id = 0
        #: every in-use span, by span_id (the heap's span census)
        self.all_spans: dict[int, MSpan] = {}
        #: bytes the heap grew by in total
        self.grown_bytes = 0
        #: refuse to grow HeapSys past this many bytes (None: no limit)
        self.max_heap: int | None = None
        #: called after heapLive changes (the pacer's revise hook)
        self.on_heap_live = None
        #: numpy mirrors of the page->span table and span fields, and the mark bits
        self.spanindex = SpanIndex()
        self.gcbits = GCBits()
        #: the sweeper; set by Sweeper(heap)
        self.sweeper = None  # type: ignore[assignment]
        #: allocSpan's scavenging, called as hook(growth_bytes, scavenged_bytes) (set by the scavenger)
        self.scavenge_hook = None

    # -- growth ----------------------------------------------------------

    def grow(self, npages: int) -> int:
        """Add at least *npages* to the page allocator, in whole chunks (Go: ``mheap.grow``).

        Returns the growth in bytes.  Raises OutOfMemory with Go's words
        when no more address space may be reserved.
        """
        ask = -(-npages // PALLOC_CHUNK_PAGES) * PALLOC_CHUNK_PAGES * PAGE_SIZE
        if self.max_heap is not None and self.heap_sys + ask > self.max_heap:
            raise OutOfMemory(f"runtime: out of memory: cannot allocate {ask}-byte block ({self.heap_sys} in use)")
        if self.cur_arena_base + ask > self.cur_arena_end:
            got = self.aspace.reserve(ask - (self.cur_arena_end - self.cur_arena_base))
            if got is None:
                raise OutOfMemory(
                    f"runtime: out of memory: cannot allocate {ask}-byte block ({self.heap_sys} in use)"
                )
            base, size = got
            if base != self.cur_arena_end:
                raise InvariantViolation("arenas must be contiguous")
            self.cur_arena_end = base + size
        v = self.cur_arena_base
        self.cur_arena_base = v + ask
        self.stats.heap_released += ask
        self.pages.grow(v, ask)
        self.spanindex.grow_pages(self.pages.npages)
        self.grown_bytes += ask
        return ask

    def heap_live_add(self, d_heap_live: int, d_heap_scan: int) -> None:
        """Adjust heapLive and heapScan (Go: ``gcControllerState.update``).

        While a cycle is marking, the pacer revises the assist ratio on
        every change; :attr:`on_heap_live` is that hook.  heapScan is
        fixed while marking (Go: "It is fixed at the start of a cycle"; the
        change is dropped, and mark termination's ``resetLive`` sets it to
        the cycle's heap scan work), so the revised assist ratio extrapolates
        from the scannable heap the cycle started with.
        """
        st = self.stats
        st.heap_live += d_heap_live
        if self.on_heap_live is not None:
            self.on_heap_live()
        else:
            st.heap_scan += d_heap_scan

    @property
    def heap_sys(self) -> int:
        s = self.stats
        return s.heap_in_use + s.heap_free + s.heap_released

    # -- span allocation ---------------------------------------------------

    def alloc(self, npages: int, spanclass: int, pcache: PageCache | None = None) -> MSpan:
        """Allocate a heap span of *npages* for *spanclass* (Go: ``mheap.alloc``)."""
        s = self.alloc_span(npages, SPAN_IN_USE, spanclass, pcache)
        return s

    def alloc_manual(self, npages: int) -> MSpan:
        """Allocate a manually managed span, e.g. for stacks (Go: ``allocManual``)."""
        return self.alloc_span(npages, SPAN_MANUAL, 0, None)

    def alloc_span(self, npages: int, state: int, spanclass: int, pcache: PageCache | None) -> MSpan:
        """Find pages, make a span of them, update stats (Go: ``allocSpan``).

        Requests under 16 pages go through the P's page cache when one is
        given, refilling it from the page allocator when it is empty.
        """
        base = scav = 0
        if pcache is not None and npages < PAGE_CACHE_PAGES // 4:
            if pcache.empty():
                fresh = self.pages.alloc_to_cache()
                pcache.base, pcache.cache, pcache.scav = fresh.base, fresh.cache, fresh.scav
            base, scav = pcache.alloc(npages)
        growth = 0
        if base == 0:
            base, scav = self.pages.alloc(npages)
            if base == 0:
                growth = self.grow(npages)
                base, scav = self.pages.alloc(npages)
                if base == 0:
                    raise InvariantViolation("grew heap, but no adequate free space found")
        nbytes = npages * PAGE_SIZE
        st = self.stats
        if state == SPAN_MANUAL:
            st.in_stacks += nbytes
        else:
            st.heap_in_use += nbytes
        st.heap_free -= nbytes - scav
        st.heap_released -= scav
        if self.scavenge_hook is not None:
            self.scavenge_hook(growth, scav)
        s = MSpan()
        self._init_span(s, base, npages, state, spanclass)
        return s

    def _init_span(self, s: MSpan, base: int, npages: int, state: int, spanclass: int) -> None:
        """Fill in a fresh span and publish it in the page→span table (Go: ``initSpan``)."""
        s.start_addr = base
        s.npages = npages
        s.spanclass = spanclass
        s.sizeclass = spanclass >> 1
        s.noscan = bool(spanclass & 1)
        s.state = state
        s.sweepgen = self.sweepgen
        self._next_span_id += 1
        s.span_id = self._next_span_id
        nbytes = npages * PAGE_SIZE
        if state == SPAN_IN_USE:
            if s.sizeclass == 0:
                s.elemsize = nbytes
                s.nelems = 1
                s.div_magic = 0
            else:
                s.elemsize = sc.CLASS_TO_SIZE[s.sizeclass]
                s.nelems = sc.nelems(s.sizeclass, s.noscan, self.layout)
                s.div_magic = sc.CLASS_TO_DIVMAGIC[s.sizeclass]
                hb = sc.heap_bits_offset(npages, s.noscan, s.elemsize, self.layout)
                s.heap_bits_addr = base + hb if hb is not None else 0
                im = sc.inline_marks_offset(npages, s.elemsize, self.layout)
                s.inline_marks_addr = base + im if im is not None else 0
            s.limit = base + s.elemsize * s.nelems
            s.freeindex = 0
            s.free_index_for_scan = 0
            s.alloc_cache = (1 << 64) - 1
            s.alloc_bits = 0
            s.hb_src = None
            s.hb_upto = 0
            s.gcbits = self.gcbits
            s.mark_off = self.gcbits.alloc(s.nelems)
            s.alloc_count = 0
            s.needzero = self._alloc_needs_zero(base, nbytes)
            self.pages_in_use += npages
            arena = self.aspace.arena_of(base)
            p = (base - arena.base) >> PAGE_SHIFT
            arena.page_in_use[p >> 3] |= 1 << (p & 7)
            self.all_spans[s.span_id] = s
            if s.heap_bits_addr and s.needzero:
                # A recycled range may hold stale bits; initHeapBits clears them.
                self.aspace.zero(s.heap_bits_addr, npages * PAGE_SIZE // 64)
            if s.heap_bits_addr and s.elemsize == 8:
                # Class-1 scan spans: every word may be a pointer (initHeapBits).
                self.aspace.fill(s.heap_bits_addr, npages * PAGE_SIZE // 64, b"\xff")
            if s.inline_marks_addr:
                self.aspace.zero(s.inline_marks_addr, sc.INLINE_MARK_BYTES)
        else:
            s.elemsize = nbytes
            s.nelems = 0
            s.limit = base + nbytes
            # Go's initSpan calls allocNeedsZero for every span, stacks too: the
            # watermark must pass the pages a stack dirties, or a heap span
            # made of them later would skip zeroing and keep stale pointers.
            s.needzero = self._alloc_needs_zero(base, nbytes)
        self.stats.span_struct_alloc()
        self.aspace.set_spans(base, npages, s)
        s.sid = self.spanindex.new_id()
        self.spanindex.publish(s, _span_kind(s))

    def _alloc_needs_zero(self, base: int, nbytes: int) -> bool:
        """Whether [base, base+nbytes) was handed out before (Go: ``allocNeedsZero``).

        Each arena's ``zeroed_base`` is a watermark: memory above it is as
        the OS gave it, all zeros.  The watermark moves up past the range.
        """
        needzero = False
        while nbytes > 0:
            arena = self.aspace.arena_of(base)
            off = base - arena.base
            n = min(nbytes, arena.end - base)
            if off < arena.zeroed_base:
                needzero = True
            if off + n > arena.zeroed_base:
                arena.zeroed_base = off + n
            base += n
            nbytes -= n
        return needzero

    def free_span(self, s: MSpan) -> None:
        """Return a heap span's pages to the page allocator (Go: ``freeSpan``)."""
        if s.state != SPAN_IN_USE:
            raise InvariantViolation(f"mheap.freeSpan of {s!r}")
        nbytes = s.npages * PAGE_SIZE
        self.stats.heap_in_use -= nbytes
        self.stats.heap_free += nbytes
        self.pages_in_use -= s.npages
        arena = self.aspace.arena_of(s.start_addr)
        p = (s.start_addr - arena.base) >> PAGE_SHIFT
        arena.page_in_use[p >> 3] &= ~(1 << (p & 7)) & 0xFF
        self._release(s)

    def free_manual(self, s: MSpan) -> None:
        """Return a manually managed span (Go: ``freeManual``)."""
        if s.state != SPAN_MANUAL:
            raise InvariantViolation(f"mheap.freeManual of {s!r}")
        nbytes = s.npages * PAGE_SIZE
        self.stats.in_stacks -= nbytes
        self.stats.heap_free += nbytes
        self._release(s)

    def _release(self, s: MSpan) -> None:
        self.spanindex.retire(s)
        if s.gcbits is not None:
            self.gcbits.release(s.mark_off, s.nelems)
            s.gcbits = None
        self.aspace.set_spans(s.start_addr, s.npages, None)
        self.pages.free(s.start_addr, s.npages)
        self.all_spans.pop(s.span_id, None)
        self.stats.span_struct_free()
        s.state = SPAN_DEAD

    def flush_page_cache(self, c: PageCache) -> None:
        self.pages.flush_cache(c)

    # -- scavenging ------------------------------------------------------

    def scavenge_all(self) -> int:
        """Return every free page to the OS (Go: ``scavengeAll``, part of debug.FreeOSMemory)."""
        released = 0
        for base, n in self.pages.scavenge_free():
            self.aspace.release_pages(base, n * PAGE_SIZE)
            released += n * PAGE_SIZE
        self.stats.heap_free -= released
        self.stats.heap_released += released
        return released


def _span_kind(s: MSpan) -> int:
    """What marking does with objects of span *s* (see gomem.runtime.spanindex)."""
    if s.state != SPAN_IN_USE:
        return KIND_NONE
    if s.sizeclass == 0:
        return KIND_LARGE_NOSCAN if s.noscan else KIND_LARGE_SCAN
    if s.noscan:
        return KIND_SMALL_NOSCAN
    return KIND_SMALL_HEAPBITS if s.heap_bits_addr else KIND_SMALL_HEADER
