"""Tests for ``gomem.runtime.mspan``: slot geometry and the allocation-bit walk."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from gomem.runtime import sizeclasses as sc
from gomem.runtime.arena import ARENA_BASE_ADDR, PAGE_SIZE
from gomem.errors import InvariantViolation
from gomem.runtime.spanindex import GCBits
from gomem.runtime.mspan import MASK64, SPAN_IN_USE, MSpan, ctz64


def make_span(nelems: int, alloc_bits: int = 0, elemsize: int = 16, freeindex: int = 0) -> MSpan:
    """A span as the sweeper leaves it: allocBits set, allocCache loaded at *freeindex*."""
    s = MSpan()
    s.start_addr = ARENA_BASE_ADDR
    s.npages = 1
    s.elemsize = elemsize
    s.nelems = nelems
    s.alloc_bits = alloc_bits
    s.alloc_count = alloc_bits.bit_count()
    s.freeindex = freeindex
    s.refill_alloc_cache((freeindex & ~63) // 8)
    s.alloc_cache >>= freeindex % 64
    s.state = SPAN_IN_USE
    s.gcbits = GCBits()
    s.mark_off = s.gcbits.alloc(nelems)
    return s


def walk(s: MSpan) -> list[int]:
    """Every slot next_free_index hands out until the span is full."""
    out = []
    while (i := s.next_free_index()) != s.nelems:
        out.append(i)
    return out


class TestCtz64:
    """ctz64: trailing zeros of a 64-bit word (Go: sys.TrailingZeros64)."""

    @pytest.mark.parametrize("x,want", [(0, 64), (1, 0), (2, 1), (0b1000, 3), (1 << 63, 63), (MASK64, 0), (0x50, 4)])
    def test_values(self, x, want):
        """Known values, with 64 for zero."""
        assert ctz64(x) == want

    @given(st.integers(1, MASK64))
    def test_lowest_set_bit(self, x):
        """ctz64(x) is the index of the lowest set bit."""
        n = ctz64(x)
        assert (x >> n) & 1 and x & ((1 << n) - 1) == 0


class TestRefillAllocCache:
    """refill_alloc_cache loads the complement of 64 alloc bits (Go: refillAllocCache)."""

    def test_complement_of_the_chosen_word(self):
        """Byte 8 selects slots 64..127; set alloc bits become zero cache bits."""
        s = make_span(504, alloc_bits=(0b1011 << 64) | 0xFF)
        s.refill_alloc_cache(8)
        assert s.alloc_cache == MASK64 & ~0b1011
        s.refill_alloc_cache(0)
        assert s.alloc_cache == MASK64 & ~0xFF


class TestNextFreeIndex:
    """next_free_index: the slow scan for the next free slot (Go: nextFreeIndex)."""

    def test_empty_span_hands_out_every_slot_in_order(self):
        """A fresh 16-byte span (504 slots) yields 0..503 and then nelems."""
        s = make_span(504)
        assert walk(s) == list(range(504))
        assert s.freeindex == 504
        assert s.next_free_index() == 504

    def test_walk_across_64_bit_boundaries(self):
        """Allocated slots around each 64-slot word boundary are skipped, and the cache is refilled."""
        taken = {0, 1, 62, 63, 64, 65, 127, 128, 191, 192, 255, 256, 300, 447, 448, 500, 503}
        taken |= set(range(320, 384))  # a whole allocCache word allocated
        bits = sum(1 << i for i in taken)
        s = make_span(504, bits)
        assert walk(s) == [i for i in range(504) if i not in taken]

    def test_freeindex_advances_past_the_result(self):
        """Each call sets freeindex to one past the slot it returns."""
        s = make_span(504, alloc_bits=0b111)
        assert s.next_free_index() == 3
        assert s.freeindex == 4
        assert s.next_free_index() == 4

    def test_cache_refilled_at_a_word_boundary(self):
        """Taking slot 63 reloads allocCache with the bits of slots 64..127."""
        s = make_span(504, alloc_bits=(MASK64 >> 1) | (1 << 64))
        assert s.next_free_index() == 63
        assert s.freeindex == 64
        assert s.alloc_cache == MASK64 & ~1

    def test_full_span(self):
        """A full span returns nelems and parks freeindex there."""
        s = make_span(100, alloc_bits=(1 << 100) - 1)
        assert s.next_free_index() == 100
        assert s.freeindex == 100

    def test_bits_past_nelems_are_not_slots(self):
        """Cache bits past nelems (free in the complement) are never handed out."""
        s = make_span(70, alloc_bits=((1 << 70) - 1) & ~(1 << 5))
        assert walk(s) == [5]
        assert s.freeindex == 70

    def test_starting_mid_span(self):
        """With freeindex past 64 the walk starts from there."""
        s = make_span(504, alloc_bits=1 << 131, freeindex=130)
        assert s.next_free_index() == 130
        assert s.next_free_index() == 132

    def test_freeindex_past_nelems_raises(self):
        """freeindex beyond nelems is Go's throw."""
        s = make_span(10)
        s.freeindex = 11
        with pytest.raises(InvariantViolation, match=r"s.freeindex > s.nelems"):
            s.next_free_index()

    @given(st.integers(1, 1024).flatmap(lambda n: st.tuples(st.just(n), st.integers(0, (1 << n) - 1))))
    def test_matches_the_alloc_bits(self, n_bits):
        """For any alloc bits the walk yields exactly the clear bits in order."""
        n, bits = n_bits
        s = make_span(n, bits)
        assert walk(s) == [i for i in range(n) if not (bits >> i) & 1]


class TestAllocatedSlots:
    """is_allocated, allocated_indices and count_alloc."""

    def test_below_freeindex_is_allocated(self):
        """Every slot below freeindex counts as allocated, whatever its bit."""
        s = make_span(504, alloc_bits=1 << 10)
        for _ in range(3):
            s.next_free_index()
        s.alloc_count += 3
        assert [i for i in range(12) if s.is_allocated(i)] == [0, 1, 2, 10]
        assert s.allocated_indices() == [0, 1, 2, 10]

    def test_count_alloc_counts_marks(self):
        """count_alloc is the popcount of the mark bits (Go: countAlloc)."""
        s = make_span(504)
        s.gcmark_bits = 0b1011 | (1 << 400)
        assert s.count_alloc() == 4


class TestGeometry:
    """base, end, slot_addr and object_index."""

    def test_base_end_slot(self):
        """end is npages*8192 past the base; slots are elemsize apart."""
        s = make_span(10, elemsize=48)
        s.npages = 2
        assert (s.base, s.end) == (ARENA_BASE_ADDR, ARENA_BASE_ADDR + 2 * PAGE_SIZE)
        assert s.slot_addr(3) == ARENA_BASE_ADDR + 144

    def test_large_span_index_is_zero(self):
        """Without a div magic (a large span) every address is object 0."""
        s = make_span(1, elemsize=5 * PAGE_SIZE)
        assert s.object_index(ARENA_BASE_ADDR + 40000) == 0

    @pytest.mark.parametrize("cl", range(1, sc.NUM_SIZE_CLASSES))
    def test_div_magic_for_every_class(self, cl):
        """object_index by div magic equals offset // elemsize over every slot of the class."""
        size = sc.CLASS_TO_SIZE[cl]
        s = make_span(sc.CLASS_TO_NOBJS[cl], elemsize=size)
        s.npages = sc.CLASS_TO_NPAGES[cl]
        s.div_magic = sc.CLASS_TO_DIVMAGIC[cl]
        assert s.div_magic == 0xFFFFFFFF // size + 1  # ^uint32(0)/size + 1
        for i in range(sc.CLASS_TO_NOBJS[cl]):
            for off in (0, 1, size // 2, size - 1):
                assert s.object_index(s.base + i * size + off) == i
        # the tail past the last slot still maps no further than nelems
        assert s.object_index(s.end - 1) == (s.npages * PAGE_SIZE - 1) // size

    def test_repr_names_the_state(self):
        """repr shows the span's address, class and Go state name."""
        s = make_span(504, alloc_bits=0b11)
        s.spanclass = 5
        assert repr(s) == (
            "<mspan 0xc000000000 npages=1 spc=5 elemsize=16 alloc=2/504 sweepgen=0 mSpanInUse>"
        )
