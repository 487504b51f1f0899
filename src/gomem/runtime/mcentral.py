"""mcentral: the free spans of one span class.

Models ``runtime/mcentral.go``.  There is one mcentral per span class (136:
68 size classes × scan/noscan).  It keeps spans in four sets — partial or
full, swept or unswept — but stores only two pairs: with ``sg`` the heap's
sweepgen (always even), the *swept* sets are index ``sg/2 % 2`` and the
*unswept* ones the other index.  When a GC cycle ends, ``sweepgen += 2``
flips which index is which, so every swept span becomes unswept at once
without touching a single span.

``cache_span`` finds a span with a free slot for an mcache: a partial swept
span; else a partial unswept span it sweeps itself; else a full unswept span
that sweeping frees room in; else a brand-new span from the heap (``grow``).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any, Protocol

from . import sizeclasses as sc
from ..errors import InvariantViolation

if TYPE_CHECKING:  # pragma: no cover
    from .mpagealloc import PageCache
    from .mspan import MSpan


class SpanSource(Protocol):
    """What an mcentral needs of its heap (:class:`gomem.runtime.mheap.MHeap`, which imports this module).

    The heap's sweep generation, its sweeper (``sweep``,
    ``deduct_sweep_credit``) and fresh spans (``alloc``).
    """

    sweepgen: int
    sweeper: Any

    def alloc(self, npages: int, spanclass: int, pcache: PageCache | None = None) -> MSpan: ...


class MCentral:
    """Central free spans for one span class (Go: ``mcentral``)."""

    __slots__ = ("heap", "spanclass", "partial", "full")

    def __init__(self, heap: SpanSource, spanclass: int) -> None:
        self.heap = heap
        self.spanclass = spanclass
        #: [2] span sets with free slots (FIFO, like Go's spanSet)
        self.partial: tuple[deque[MSpan], deque[MSpan]] = (deque(), deque())
        #: [2] span sets with no free slots
        self.full: tuple[deque[MSpan], deque[MSpan]] = (deque(), deque())

    def partial_swept(self, sg: int) -> deque[MSpan]:
        return self.partial[sg // 2 % 2]

    def partial_unswept(self, sg: int) -> deque[MSpan]:
        return self.partial[1 - sg // 2 % 2]

    def full_swept(self, sg: int) -> deque[MSpan]:
        return self.full[sg // 2 % 2]

    def full_unswept(self, sg: int) -> deque[MSpan]:
        return self.full[1 - sg // 2 % 2]

    def cache_span(self, pcache: PageCache | None = None) -> MSpan:
        """A span with at least one free slot, for an mcache (Go: ``cacheSpan``)."""
        heap = self.heap
        sweeper = heap.sweeper
        npages = sc.CLASS_TO_NPAGES[self.spanclass >> 1]
        sweeper.deduct_sweep_credit(npages * sc.PAGE_SIZE, 0)
        sg = heap.sweepgen
        s = _pop(self.partial_swept(sg))
        if s is None:
            budget = 100
            # Partial unswept spans: sweep one we win, keep it.
            while budget > 0:
                s = _pop(self.partial_unswept(sg))
                if s is None:
                    break
                if s.sweepgen == sg - 2:
                    s.sweepgen = sg - 1
                    sweeper.sweep(s, preserve=True)
                    break
                s = None  # someone else owns it
                budget -= 1
            # Full unswept spans: sweeping may free a slot.
            while s is None and budget > 0:
                t = _pop(self.full_unswept(sg))
                if t is None:
                    break
                if t.sweepgen == sg - 2:
                    t.sweepgen = sg - 1
                    sweeper.sweep(t, preserve=True)
                    free_index = t.next_free_index()
                    if free_index != t.nelems:
                        t.freeindex = free_index
                        s = t
                        break
                    self.full_swept(sg).append(t)
                budget -= 1
            if s is None:
                s = self.grow(pcache)
        if s.nelems - s.alloc_count == 0 or s.freeindex == s.nelems or s.alloc_count == s.nelems:
            raise InvariantViolation(f"span has no free objects: {s!r}")
        free_byte_base = s.freeindex & ~63
        s.refill_alloc_cache(free_byte_base // 8)
        s.alloc_cache >>= s.freeindex % 64
        return s

    def uncache_span(self, s: MSpan) -> None:
        """Take back a span an mcache is done with (Go: ``uncacheSpan``)."""
        if s.alloc_count == 0:
            raise InvariantViolation("uncaching span but s.allocCount == 0")
        sg = self.heap.sweepgen
        stale = s.sweepgen == sg + 1
        if stale:
            # Cached before this sweep began: sweep it now, which also
            # puts it on the right list or frees it.
            s.sweepgen = sg - 1
            self.heap.sweeper.sweep(s, preserve=False)
        else:
            s.sweepgen = sg
            if s.nelems - s.alloc_count > 0:
                self.partial_swept(sg).append(s)
            else:
                self.full_swept(sg).append(s)

    def grow(self, pcache: PageCache | None = None) -> MSpan:
        """A new span of this class from the heap (Go: ``mcentral.grow``)."""
        npages = sc.CLASS_TO_NPAGES[self.spanclass >> 1]
        return self.heap.alloc(npages, self.spanclass, pcache)

    def all_spans(self) -> list[MSpan]:
        """Every span in this mcentral's sets (not those cached in mcaches)."""
        return [s for q in (*self.partial, *self.full) for s in q]


def _pop(q: deque) -> MSpan | None:
    return q.popleft() if q else None
