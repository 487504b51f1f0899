"""Tests for ``gomem.runtime.mgcsweep``: sweep generations, sweeping a span, and finding spans to sweep."""

from __future__ import annotations

import pytest

from gomem.runtime import sizeclasses as sc
from gomem.errors import InvariantViolation
from gomem.runtime.malloc import Heap
from gomem.runtime.mcentral import MCentral
from gomem.runtime.mgcsweep import CLOBBER_WORD

SPC = sc.make_span_class(5, True)  # 48-byte noscan
SIZE = 48
NELEMS = sc.nelems(5, True)  # 168


def span_of(h: Heap, addr: int):
    return h.aspace.span_of(addr)


class TestSweepgenStates:
    """The sweepgen table of mheap.go, observed across a collect_live cycle."""

    def test_states_across_a_cycle(self, heap, monkeypatch):
        """Unswept h-2, being swept h-1, swept h, stale cached h+1 and cached h+3 all occur where Go has them."""
        full = [heap.mallocgc(SIZE) for _ in range(NELEMS)]  # span A: full, in the mcentral after the next refill
        cached = heap.mallocgc(SIZE)  # span B: cached
        a, b = span_of(heap, full[0]), span_of(heap, cached)
        h0 = heap.mheap.sweepgen
        assert (a.sweepgen - h0, b.sweepgen - h0) == (0, 3)  # swept / swept then cached

        seen: dict[str, list[int]] = {"uncache": [], "sweep": []}
        central = heap.mheap.central[SPC]
        real_uncache = MCentral.uncache_span

        def spy_uncache(c, s):
            seen["uncache"].append(s.sweepgen - heap.mheap.sweepgen)
            real_uncache(c, s)

        monkeypatch.setattr(MCentral, "uncache_span", spy_uncache)
        heap.sweeper.on_free = lambda s, i: seen["sweep"].append(s.sweepgen - heap.mheap.sweepgen)

        heap.collect_live(full[:10], eager_sweep=False)
        h1 = heap.mheap.sweepgen
        assert h1 == h0 + 2
        assert seen["uncache"] == [1]  # B was cached before this sweep began: stale
        assert b.sweepgen == h1  # ... so uncaching swept it (it had no marks: freed)
        assert b.span_id not in heap.mheap.all_spans
        assert a.sweepgen == h1 - 2  # A still needs sweeping
        assert a in central.full_unswept(h1)
        assert set(seen["sweep"]) == {-1}  # every freed slot was seen while its span was being swept

        seen["sweep"].clear()
        heap.sweeper.finish()
        assert a.sweepgen == h1
        assert set(seen["sweep"]) == {-1} and len(seen["sweep"]) == NELEMS - 10
        heap.mallocgc(SIZE)
        assert a.sweepgen == h1 + 3  # swept, then cached


class TestSweep:
    """Sweeper.sweep: turning marks into free slots (Go: sweepLocked.sweep)."""

    def _one_span(self, h: Heap, nlive: int) -> tuple[list[int], object]:
        objs = [h.mallocgc(SIZE) for _ in range(20)]
        h.flush_mcaches()
        s = span_of(h, objs[0])
        for o in objs[:nlive]:
            h.mark(o)
        h.sweeper.start_cycle()
        return objs, s

    def test_alloc_bits_become_the_marks(self, heap):
        """Unmarked slots are freed: allocBits ← gcmarkBits, fresh marks, freeindex 0."""
        objs, s = self._one_span(heap, 0)
        for o in objs[3:7]:
            heap.mark(o)
        marks = s.gcmark_bits
        heap.sweeper.sweepone()
        assert s.alloc_bits == marks == 0b1111000
        assert (s.gcmark_bits, s.freeindex, s.alloc_count) == (0, 0, 4)
        assert s.alloc_cache == ((1 << 64) - 1) & ~0b1111000
        assert s.needzero
        assert heap.find_object(objs[0]) is None
        assert heap.find_object(objs[3])[1] == objs[3]
        assert s in heap.mheap.central[SPC].partial_swept(heap.mheap.sweepgen)

    def test_counts_frees(self, heap):
        """smallFreeCount and totalFree grow by the freed slots."""
        self._one_span(heap, 5)
        heap.sweeper.sweepone()
        assert heap.stats.small_free_count[5] == 15
        assert heap.stats.total_free == 15 * SIZE

    def test_empty_span_goes_back_to_the_heap(self, heap):
        """A span with nothing marked is freed to the heap."""
        objs, s = self._one_span(heap, 0)
        in_use = heap.stats.heap_in_use
        assert heap.sweeper.sweepone() == 1
        assert s.span_id not in heap.mheap.all_spans
        assert heap.aspace.span_of(objs[0]) is None
        assert heap.stats.heap_in_use == in_use - 8192

    def test_full_span_goes_to_full_swept(self, heap):
        """A span whose every slot is marked goes to fullSwept."""
        objs = [heap.mallocgc(SIZE) for _ in range(NELEMS)]
        heap.flush_mcaches()
        s = span_of(heap, objs[0])
        for o in objs:
            heap.mark(o)
        heap.sweeper.start_cycle()
        assert heap.sweeper.sweepone() == 0
        assert s in heap.mheap.central[SPC].full_swept(heap.mheap.sweepgen)
        assert not s.needzero

    def test_preserve_keeps_the_span_off_the_lists(self, heap):
        """With preserve the span is kept even if empty, and put on no list."""
        _, s = self._one_span(heap, 0)
        heap.mheap.central[SPC].partial_unswept(heap.mheap.sweepgen).remove(s)
        s.sweepgen = heap.mheap.sweepgen - 1
        assert heap.sweeper.sweep(s, preserve=True) is False
        assert s.alloc_count == 0 and s.span_id in heap.mheap.all_spans
        assert heap.mheap.central[SPC].all_spans() == []

    def test_large_object(self, heap):
        """An unmarked large object's span is freed and counted as a large free."""
        x = heap.mallocgc(40000)
        heap.collect_live([])
        assert heap.find_object(x) is None
        assert (heap.stats.large_free_count, heap.stats.large_free) == (1, 5 * 8192)
        assert heap.stats.total_free == 5 * 8192

    def test_marked_large_object_survives(self, heap):
        """A marked large object goes to fullSwept."""
        x = heap.mallocgc(40000)
        heap.collect_live([x + 100])
        s = span_of(heap, x)
        assert s.sweepgen == heap.mheap.sweepgen
        assert s in heap.mheap.central[s.spanclass].full_swept(heap.mheap.sweepgen)
        assert heap.stats.large_free_count == 0

    def test_zombie_raises(self, heap):
        """A mark on a free slot is Go's "marked free object in span" throw."""
        objs, s = self._one_span(heap, 1)
        s.gcmark_bits |= 1 << 30  # slot 30 was never allocated
        with pytest.raises(
            InvariantViolation,
            match=rf"^runtime: marked free object in span {s.start_addr:#x}, elemsize=48 freeindex=20 "
            r"\(bad use of unsafe.Pointer or having race conditions\? try -d=checkptr or -race\)\n"
            rf"{s.start_addr + 30 * 48:#x} free  marked   zombie\nfound pointer to free object$",
        ):
            heap.sweeper.sweepone()

    def test_sweeping_unowned_span_raises(self, heap):
        """Sweeping a span whose sweepgen is not h-1 is refused."""
        _, s = self._one_span(heap, 1)
        with pytest.raises(InvariantViolation, match=r"mspan.sweep: bad span state <mspan .* \(heap sweepgen 2\)"):
            heap.sweeper.sweep(s, preserve=False)

    def test_clobberfree_poisons_freed_slots(self):
        """With clobberfree every freed slot is filled with 0xdeadbeef; live ones keep their bytes."""
        h = Heap(clobberfree=True)
        try:
            objs = [h.mallocgc(SIZE) for _ in range(4)]
            for o in objs:
                h.store_scalar(o, 0, 0x1122334455667788)
            h.collect_live(objs[1:2])
            for o in (objs[0], objs[2], objs[3]):
                assert h.aspace.read(o, SIZE) == CLOBBER_WORD * (SIZE // 4)
                assert h.aspace.load_word(o) == 0xDEADBEEFDEADBEEF
            assert h.load_scalar(objs[1], 0) == 0x1122334455667788
            # a reused slot is zeroed again before it is handed out
            again = h.mallocgc(SIZE)
            assert again == objs[0]
            assert h.aspace.read(again, SIZE) == bytes(SIZE)
        finally:
            h.close()

    def test_on_free_sees_every_freed_slot(self, heap):
        """on_free is called once per freed object with its span and index."""
        freed = []
        heap.sweeper.on_free = lambda s, i: freed.append(s.start_addr + i * s.elemsize)
        objs = [heap.mallocgc(SIZE) for _ in range(6)]
        heap.collect_live(objs[::2])
        assert sorted(freed) == objs[1::2]


class TestFindingSpans:
    """sweepone, next_span_for_sweep and finish."""

    def test_sweepone_returns_minus_one_when_done(self, heap):
        """With nothing to sweep sweepone returns -1 and marks the sweep done."""
        heap.sweeper.start_cycle()
        assert heap.sweeper.sweepone() == -1
        assert heap.sweeper.done

    def test_full_before_partial_class_by_class(self, heap):
        """Spans are taken class by class, the full set before the partial one."""
        small = [heap.mallocgc(16) for _ in range(sc.nelems(2, True) + 1)]  # class 2: one full, one partial
        big = heap.mallocgc(SIZE)  # class 5: partial
        heap.flush_mcaches()
        for o in small + [big]:
            heap.mark(o)
        heap.sweeper.start_cycle()
        order = []
        while (s := heap.sweeper.next_span_for_sweep()) is not None:
            order.append((s.sizeclass, s.alloc_count == s.nelems))
        assert order == [(2, True), (2, False), (5, False)]

    def test_finish_sweeps_everything(self, heap):
        """finish sweeps every unswept span and counts them."""
        for n in (16, 48, 100, 40000):
            heap.mallocgc(n)
        heap.collect_live([], eager_sweep=False)
        assert heap.sweeper.finish() == 1  # the large span; the stale cached ones were swept on uncache
        heap.mallocgc(16)
        heap.mallocgc(40000)
        heap.flush_mcaches()  # the 16-byte span goes to the mcentral before the cycle
        heap.collect_live([], eager_sweep=False)
        assert heap.sweeper.finish() == 2
        assert heap.sweeper.swept_by["finish"] == 3
        assert all(s.sweepgen == heap.mheap.sweepgen for s in heap.spans())
        assert heap.spans() == []

    def test_start_cycle(self, heap):
        """start_cycle advances sweepgen by 2 and resets the cycle's sweep state."""
        heap.mheap.pages_swept = 9
        heap.sweeper.start_cycle()
        assert heap.mheap.sweepgen == 2
        assert heap.mheap.pages_swept == 0
        assert not heap.sweeper.done


class TestDeductSweepCredit:
    """deduct_sweep_credit: proportional sweeping paid for by allocation."""

    def test_off_by_default(self, heap):
        """With pagesPerByte 0 allocation sweeps nothing."""
        heap.mallocgc(50000)
        heap.collect_live([], eager_sweep=False)
        heap.sweeper.deduct_sweep_credit(1 << 30, 0)
        assert heap.mheap.pages_swept == 0

    def test_sweeps_in_proportion(self, heap):
        """Allocation sweeps until pagesSwept keeps pace with pagesPerByte × new heapLive."""
        for _ in range(4):
            heap.mallocgc(40000)  # 5 pages each
        heap.collect_live([], eager_sweep=False)
        sw = heap.sweeper
        sw.pages_per_byte = 1 / 8192
        sw.heap_live_basis = heap.stats.heap_live
        sw.pages_swept_basis = 0
        sw.deduct_sweep_credit(8 * 8192, 0)  # owes 8 pages: two 5-page spans
        assert heap.mheap.pages_swept == 10
        assert sw.swept_by["alloc"] == 2
        sw.deduct_sweep_credit(100 * 8192, 0)  # owes more than is left
        assert heap.mheap.pages_swept == 20
        assert sw.done and sw.pages_per_byte == 0

    def test_heap_live_below_basis_counts_as_zero(self, heap):
        """When heapLive fell below the basis, only the span being allocated is owed for (Go clamps at 0)."""
        for _ in range(4):
            heap.mallocgc(40000)
        heap.collect_live([], eager_sweep=False)
        sw = heap.sweeper
        sw.pages_per_byte = 1 / 8192
        sw.heap_live_basis = heap.stats.heap_live + (1 << 20)
        sw.pages_swept_basis = 0
        sw.deduct_sweep_credit(8 * 8192, 0)
        assert heap.mheap.pages_swept == 10
