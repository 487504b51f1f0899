"""The sweeper: turning mark bits into free slots, span by span.

Models ``runtime/mgcsweep.go``: ``sweepLocked.sweep``, ``sweepone``,
``mheap.nextSpanForSweep``, ``deductSweepCredit`` and ``finishsweep_m``.

When a mark phase ends, ``mheap.sweepgen += 2`` makes every span *unswept*
at once (see :class:`~gomem.runtime.mspan.MSpan`).  Sweeping a span is then purely
local: the slots that were allocated but not marked are free; the mark bits
become the allocation bits (``allocBits = gcmarkBits``), fresh zero mark
bits are started, ``freeindex`` goes back to 0, and the span goes to its
mcentral's swept sets — or, if nothing in it survived, back to the heap.
Spans get swept by whoever needs them first: the background sweeper
(:meth:`Sweeper.sweepone` in a loop), an mcentral looking for a span with
room (:meth:`~gomem.runtime.mcentral.MCentral.cache_span`), the proportional sweeper
that allocation pays into (:meth:`Sweeper.deduct_sweep_credit`), or the next
cycle's sweep termination, which finishes whatever is left.

:class:`GCSweep` is the collector's side (a mixin of
:class:`~gomem.runtime.mgc.Collector`): ``gcSweep`` at mark termination, the
proportional sweeper's pacing (``gcPaceSweeper``), the background sweeper
(``bgsweep``), and the model time sweeping is charged.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable

from . import sizeclasses as sc
from .arena import PAGE_SIZE
from ..errors import InvariantViolation
from .mgcpacer import sweep_done_trace
from .mspan import SPAN_IN_USE, MSpan
from .trace import SWEEP_DONE

if TYPE_CHECKING:  # pragma: no cover
    from .mheap import MHeap

#: Go fills freed objects with this word under GODEBUG=clobberfree=1
CLOBBER_WORD = (0xDEADBEEF).to_bytes(4, "little")


class Sweeper:
    """The sweep state of a heap (Go: ``sweep`` + parts of ``mheap``)."""

    def __init__(self, heap: MHeap) -> None:
        self.heap = heap
        heap.sweeper = self
        #: next sweep class to look at: spanclass << 1 | (0 full, 1 partial)
        self.central_index = 0
        #: all spans of this cycle have been swept
        self.done = True
        #: proportional sweep: pages to sweep per byte allocated (0 = off)
        self.pages_per_byte = 0.0
        #: pages_per_byte when this cycle's sweep found nothing left (gcpacertrace's "sweep done" line)
        self.pages_per_byte_at_done = 0.0
        #: pagesSwept and heapLive when the sweep pacing was last set
        self.pages_swept_basis = 0
        self.heap_live_basis = 0
        #: GODEBUG=clobberfree=1: poison the bytes of every freed slot
        self.clobberfree = False
        #: called as on_free(span, slot_index) for every object freed (for checkers)
        self.on_free: Callable[[MSpan, int], None] | None = None
        #: the heap profile (gomem.runtime.mprof.MemProfile) whose sampled objects' frees sweeping counts
        self.memprof = None
        #: objects freed by sweeping, in total
        self.objects_freed = 0
        #: spans swept, by who swept them, for the event log and tests
        self.swept_by: dict[str, int] = {"bg": 0, "alloc": 0, "uncache": 0, "finish": 0}

    # -- a new cycle -------------------------------------------------------

    def start_cycle(self) -> None:
        """Begin a sweep phase: every span becomes unswept (Go: ``gcSweep``)."""
        h = self.heap
        h.sweepgen += 2
        h.pages_swept = 0
        self.central_index = 0
        self.done = False

    # -- sweeping one span -------------------------------------------------

    def sweep(self, s: MSpan, preserve: bool, who: str = "alloc") -> bool:
        """Sweep a span its caller owns (sweepgen == h-2+1); True if it went back to the heap.

        With *preserve* the span is kept whatever it holds (the caller is
        about to use it) and not put on any list.
        """
        h = self.heap
        sg = h.sweepgen
        if s.state != SPAN_IN_USE or s.sweepgen != sg - 1:
            raise InvariantViolation(f"mspan.sweep: bad span state {s!r} (heap sweepgen {sg})")
        h.pages_swept += s.npages
        self.swept_by[who] = self.swept_by.get(who, 0) + 1
        nelems = s.nelems
        allocated = s.alloc_bits | ((1 << s.freeindex) - 1)
        allocated &= (1 << nelems) - 1
        marks = s.gcmark_bits
        zombies = marks & ~allocated
        if zombies:
            idx = (zombies & -zombies).bit_length() - 1
            # Go's reportZombies: the header line, one line per slot (here only
            # the first zombie's), then throw("found pointer to free object").
            raise InvariantViolation(
                f"runtime: marked free object in span {s.start_addr:#x}, "
                f"elemsize={s.elemsize} freeindex={s.freeindex} "
                "(bad use of unsafe.Pointer or having race conditions? try -d=checkptr or -race)\n"
                f"{s.start_addr + idx * s.elemsize:#x} free  marked   zombie\n"
                "found pointer to free object"
            )
        freed = allocated & ~marks
        if freed and (self.clobberfree or self.on_free is not None):
            self._each_freed(s, freed)
        if freed and self.memprof is not None and s.start_addr in self.memprof.specials:
            self.memprof.sweep_span(s.start_addr, s.elemsize, lambda i: freed >> i & 1)
        nalloc = marks.bit_count()
        nfreed = s.alloc_count - nalloc
        if nalloc > s.alloc_count:
            raise InvariantViolation(
                f"sweep increased allocation count: nelems={nelems} nalloc={nalloc} previous allocCount={s.alloc_count}"
            )
        s.alloc_count = nalloc
        s.freeindex = 0
        s.free_index_for_scan = 0
        s.alloc_bits = marks
        s.gcbits.marks[s.mark_off : s.mark_off + nelems] = 0
        self.objects_freed += nfreed if nfreed > 0 else 0
        s.refill_alloc_cache(0)
        s.sweepgen = sg
        st = h.stats
        if s.sizeclass != 0:
            if nfreed > 0:
                s.needzero = True
                st.small_free_count[s.sizeclass] += nfreed
                st.total_free += nfreed * s.elemsize
            if not preserve:
                c = h.central[s.spanclass]
                if nalloc == 0:
                    h.free_span(s)
                    return True
                if nalloc == nelems:
                    c.full_swept(sg).append(s)
                else:
                    c.partial_swept(sg).append(s)
        elif not preserve:
            if nfreed != 0:
                size = s.elemsize
                h.free_span(s)
                st.large_free_count += 1
                st.large_free += size
                st.total_free += size
                return True
            h.central[s.spanclass].full_swept(sg).append(s)
        return False

    def _each_freed(self, s: MSpan, freed: int) -> None:
        aspace = self.heap.aspace
        while freed:
            low = freed & -freed
            i = low.bit_length() - 1
            freed ^= low
            if self.clobberfree:
                aspace.fill(s.start_addr + i * s.elemsize, s.elemsize, CLOBBER_WORD)
            if self.on_free is not None:
                self.on_free(s, i)

    # -- finding spans to sweep ----------------------------------------------

    def next_span_for_sweep(self) -> MSpan | None:
        """Pop the next unswept span, full sets before partial, class by class."""
        h = self.heap
        sg = h.sweepgen
        n = sc.NUM_SPAN_CLASSES << 1
        i = self.central_index
        while i < n:
            c = h.central[i >> 1]
            q = c.full_unswept(sg) if (i & 1) == 0 else c.partial_unswept(sg)
            if q:
                self.central_index = i
                return q.popleft()
            i += 1
        self.central_index = n
        return None

    def sweepone(self, who: str = "bg") -> int:
        """Sweep one span; return the pages it freed, or -1 when nothing is left.

        Go: ``sweepone`` (returns ``^uintptr(0)`` when there is no more work).
        """
        h = self.heap
        sg = h.sweepgen
        while True:
            s = self.next_span_for_sweep()
            if s is None:
                if not self.done:
                    # the ratio the last sweeper prints: deductSweepCredit zeroes it only after
                    # this call returns "no more work"
                    self.pages_per_byte_at_done = self.pages_per_byte
                self.done = True
                return -1
            if s.state != SPAN_IN_USE:
                continue
            if s.sweepgen == sg - 2:
                s.sweepgen = sg - 1
                npages = s.npages
                return npages if self.sweep(s, preserve=False, who=who) else 0

    def finish(self) -> int:
        """Sweep every span left (Go: ``finishsweep_m`` at sweep termination); return the count."""
        n = 0
        while self.sweepone(who="finish") >= 0:
            n += 1
        self.done = True
        return n

    # -- proportional sweep ------------------------------------------------

    def deduct_sweep_credit(self, span_bytes: int, caller_pages: int) -> None:
        """Sweep enough that sweeping keeps ahead of allocation (Go: ``deductSweepCredit``)."""
        if self.pages_per_byte == 0 or self.done:
            return
        h = self.heap
        new_heap_live = span_bytes + max(0, h.stats.heap_live - self.heap_live_basis)
        target = int(self.pages_per_byte * new_heap_live) - caller_pages
        while h.pages_swept - self.pages_swept_basis < target:
            if self.sweepone(who="alloc") == -1:
                self.pages_per_byte = 0
                break


class GCSweep:
    """The collector's sweeping: gcSweep, sweep pacing, bgsweep and their cost (a Collector mixin).

    Sweeping done by anyone is priced at ``sweep_span`` per span and
    ``sweep_object`` per object freed, and charged to the P that next passes
    a charge point (:meth:`_charge_sweeping`).
    """

    def _sweep_counts(self) -> tuple[int, int]:
        """(spans swept, objects freed) so far, to price sweeping done between two points."""
        sw = self.heap.sweeper
        return sum(sw.swept_by.values()), sw.objects_freed

    def _sweep_cost(self, before: tuple[int, int]) -> int:
        """Model ns of the sweeping done since *before* (a _sweep_counts() result)."""
        spans, freed = self._sweep_counts()
        return (spans - before[0]) * self.cost.sweep_span + (freed - before[1]) * self.cost.sweep_object

    def _charge_sweeping(self, p) -> None:
        """Charge *p* the sweeping done since the last charge; note the end of the sweep."""
        sw = self.heap.sweeper
        spans, freed = self._sweep_counts()
        ds, df = spans - self._sweep_mark[0], freed - self._sweep_mark[1]
        if ds or df:
            t0 = p.now
            p.now += ds * self.cost.sweep_span + df * self.cost.sweep_object
            self._sweep_mark = (spans, freed)
            if self.rt.log.timeline is not None:
                self.rt.log.timeline.span(p.id, "sweep", t0, p.now, p.g)
        if not self._sweep_done_seen and sw.done:
            self._on_sweep_done(p)

    def _gc_sweep(self) -> int:
        """Mark termination's switch to sweeping (Go: ``gcSweep``); return the ns of a stop-the-world sweep."""
        work = 0
        sw = self.heap.sweeper
        sw.start_cycle()
        for c in self.heap.mcaches:
            c.prepare_for_sweep()
        if self.mode.stw_sweep:
            before = self._sweep_counts()
            sw.finish()
            work += self._sweep_cost(before)
        self._sweep_mark = self._sweep_counts()
        self._sweep_done_seen = False
        return work

    def _on_sweep_done(self, p) -> None:
        """The last span of the cycle was swept: scavtrace, gcpacertrace, wake the scavenger."""
        self._sweep_done_seen = True
        if self.rt.log.timeline is not None:
            self.rt.log.timeline.sweep_done.append(p.now)
        # Go's last sweeper prints the pacer line (activeSweep.end) before sweepone prints the
        # scavtrace line and readies the scavenger
        if self.gcpacertrace is not None:
            sw = self.heap.sweeper
            mh = self.heap.mheap
            self.gcpacertrace(sweep_done_trace(self.heap.stats.heap_live, sw.heap_live_basis, mh.pages_swept,
                                               sw.pages_per_byte_at_done))
        self.scavenger.on_sweep_done(p.now)
        self.next_sysmon = 0

    def _pace_sweeper(self) -> None:
        """Proportional sweep: sweep all pages before the heap reaches the trigger (Go: ``gcPaceSweeper``)."""
        sw = self.heap.sweeper
        mh = self.heap.mheap
        if sw.done:
            sw.pages_per_byte = 0.0
            return
        basis = self.heap.stats.heap_live
        distance = max(self.pacer.trigger() - basis - (1 << 20), PAGE_SIZE)
        pages = mh.pages_in_use - mh.pages_swept
        if pages <= 0:
            sw.pages_per_byte = 0.0
            return
        sw.pages_per_byte = pages / distance
        sw.heap_live_basis = basis
        sw.pages_swept_basis = mh.pages_swept

    def bg_sweep(self, p) -> bool:
        """The background sweeper's turn on an idle P (Go: ``bgsweep``); False if nothing to do."""
        sw = self.heap.sweeper
        if sw.done:
            return False
        n = 0
        t0 = p.now
        while n < 10 and sw.sweepone() >= 0:
            n += 1
        before = self._sweep_mark
        self._charge_sweeping(p)
        if before == self._sweep_mark:
            p.now += self.cost.sweep_span
        if self.rt.log.timeline is not None:
            self.rt.log.timeline.span(p.id, "bgsweep", t0, p.now)
        if sw.done:
            self.rt.log.emit(p.now, SWEEP_DONE, p.id, cycle=self.numgc)
        return True

    def _on_free(self, span, idx: int) -> None:
        """clobberfree: remember what was freed in each slot, for dangling-pointer reports."""
        addr = span.start_addr + idx * span.elemsize
        self.rt.graveyard[addr] = {
            "addr": addr,
            "cycle": self.cycles,  # the cycle whose mark found it dead (numgc lags during mark termination)
            "type": self.rt.type_name(addr),
            "where": f" (span {span.start_addr:#x}, size class {span.sizeclass})",
        }
