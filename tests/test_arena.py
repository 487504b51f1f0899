"""Tests for ``gomem.runtime.arena``: the address space and its page→span table."""

from __future__ import annotations

import pytest

from gomem.runtime import arena
from gomem.runtime.arena import ARENA_BASE_ADDR, HEAP_ARENA_BYTES, PAGE_SIZE, PAGES_PER_ARENA, AddressSpace
from gomem.errors import BadPointer
from gomem.runtime.mspan import MSpan


@pytest.fixture
def aspace():
    a = AddressSpace(4 * HEAP_ARENA_BYTES)
    yield a
    a.close()


class TestConstants:
    """The address-space constants of linux/amd64."""

    def test_go_values(self):
        """Arenas are 64 MiB of 8 KiB pages starting at Go's first heap hint."""
        assert ARENA_BASE_ADDR == 0xC000000000
        assert HEAP_ARENA_BYTES == 64 << 20
        assert PAGE_SIZE == 8192
        assert PAGES_PER_ARENA == 8192
        assert arena.MIN_LEGAL_POINTER == 4096


class TestReserve:
    """AddressSpace.reserve hands out whole arenas in address order."""

    def test_first_reservation_starts_at_base(self, aspace):
        """The first arena starts at 0xc000000000."""
        assert aspace.reserve(1) == (0xC000000000, HEAP_ARENA_BYTES)
        assert aspace.arenas[0].base == 0xC000000000

    def test_rounds_up_to_whole_arenas_contiguously(self, aspace):
        """A request is rounded up to arenas placed right after the previous ones."""
        aspace.reserve(1)
        assert aspace.reserve(HEAP_ARENA_BYTES + 1) == (0xC004000000, 2 * HEAP_ARENA_BYTES)
        assert aspace.end == 0xC000000000 + 3 * HEAP_ARENA_BYTES
        assert [a.base for a in aspace.arenas] == [0xC000000000 + i * HEAP_ARENA_BYTES for i in range(3)]

    def test_limit_returns_none(self, aspace):
        """Beyond the reservation limit reserve returns None and reserves nothing."""
        assert aspace.reserve(4 * HEAP_ARENA_BYTES) is not None
        assert aspace.reserve(1) is None
        assert len(aspace.arenas) == 4

    def test_limit_rounds_up_to_an_arena(self):
        """A limit below one arena still allows one whole arena."""
        a = AddressSpace(1)
        try:
            assert a.limit_bytes == HEAP_ARENA_BYTES
            assert a.reserve(1) is not None
        finally:
            a.close()


class TestSpanOf:
    """span_of and set_spans: the page→span table (Go: spanOf, heapArena.spans)."""

    def test_unreserved_address_has_no_span(self, aspace):
        """Outside the reserved arenas span_of is None."""
        assert aspace.span_of(ARENA_BASE_ADDR) is None
        aspace.reserve(1)
        assert aspace.span_of(ARENA_BASE_ADDR - 1) is None
        assert aspace.span_of(aspace.end) is None

    def test_every_byte_of_the_pages_maps_to_the_span(self, aspace):
        """After set_spans, every address of every page maps to the span and nothing else does."""
        aspace.reserve(1)
        s = MSpan()
        base = ARENA_BASE_ADDR + 3 * PAGE_SIZE
        aspace.set_spans(base, 2, s)
        for addr in (base, base + 1, base + PAGE_SIZE - 1, base + PAGE_SIZE, base + 2 * PAGE_SIZE - 1):
            assert aspace.span_of(addr) is s
        assert aspace.span_of(base - 1) is None
        assert aspace.span_of(base + 2 * PAGE_SIZE) is None

    def test_clearing_with_none(self, aspace):
        """set_spans(..., None) empties the table again."""
        aspace.reserve(1)
        s = MSpan()
        aspace.set_spans(ARENA_BASE_ADDR, 4, s)
        aspace.set_spans(ARENA_BASE_ADDR, 4, None)
        assert aspace.span_of(ARENA_BASE_ADDR + 3 * PAGE_SIZE) is None

    def test_span_straddling_two_arenas(self, aspace):
        """A span crossing an arena boundary is recorded in both arenas."""
        aspace.reserve(2 * HEAP_ARENA_BYTES)
        s = MSpan()
        base = ARENA_BASE_ADDR + HEAP_ARENA_BYTES - PAGE_SIZE
        aspace.set_spans(base, 3, s)
        assert aspace.arenas[0].spans[PAGES_PER_ARENA - 1] is s
        assert aspace.arenas[1].spans[0:2] == [s, s]
        assert aspace.span_of(base + 3 * PAGE_SIZE - 1) is s

    def test_outside_heap_raises(self, aspace):
        """Recording a span outside the reserved arenas raises BadPointer."""
        aspace.reserve(1)
        with pytest.raises(BadPointer, match=r"address 0xc004000000 is outside the heap"):
            aspace.set_spans(aspace.end, 1, MSpan())


class TestWords:
    """load_word/store_word and byte access to the heap's memory."""

    def test_fresh_memory_reads_zero(self, aspace):
        """Memory never written reads as zero, like fresh OS pages."""
        aspace.reserve(1)
        assert aspace.load_word(ARENA_BASE_ADDR + 4096) == 0

    def test_store_then_load(self, aspace):
        """A stored word reads back, little-endian in the bytes."""
        aspace.reserve(1)
        a = ARENA_BASE_ADDR + 16
        aspace.store_word(a, 0xC000001234)
        assert aspace.load_word(a) == 0xC000001234
        assert aspace.read(a, 8) == (0xC000001234).to_bytes(8, "little")

    def test_write_zero_fill(self, aspace):
        """write, zero and fill change exactly the bytes asked for."""
        aspace.reserve(1)
        a = ARENA_BASE_ADDR + 100
        aspace.write(a, b"hello")
        assert aspace.read(a - 1, 7) == b"\0hello\0"
        aspace.fill(a, 10, b"\xef\xbe\xad\xde")
        assert aspace.read(a, 10) == b"\xef\xbe\xad\xde" * 2 + b"\xef\xbe"
        aspace.zero(a, 10)
        assert aspace.read(a, 10) == bytes(10)

    @pytest.mark.parametrize(
        "offset",
        [-8, -1, 4 * HEAP_ARENA_BYTES],
        ids=["below", "straddles-start", "past-end"],
    )
    def test_out_of_range_raises(self, aspace, offset):
        """An access outside the reserved arenas raises BadPointer in words naming the address."""
        aspace.reserve(4 * HEAP_ARENA_BYTES)
        addr = ARENA_BASE_ADDR + offset
        with pytest.raises(BadPointer, match=rf"access of 8 bytes at {addr:#x} is outside the heap arenas"):
            aspace.load_word(addr)
        with pytest.raises(BadPointer, match="outside the heap arenas"):
            aspace.store_word(addr, 1)

    def test_access_past_reserved_part(self, aspace):
        """Memory of the reservation not yet handed out as arenas is out of range too."""
        aspace.reserve(1)
        with pytest.raises(BadPointer, match="outside the heap arenas"):
            aspace.read(aspace.end - 4, 8)


class TestReleasePages:
    """release_pages returns memory to the OS (Go: sysUnused, MADV_DONTNEED)."""

    def test_reads_zero_after(self, aspace):
        """Released pages read back as zero; their neighbours keep their bytes."""
        aspace.reserve(1)
        for i in range(3):
            aspace.fill(ARENA_BASE_ADDR + i * PAGE_SIZE, PAGE_SIZE, bytes([i + 1]))
        aspace.release_pages(ARENA_BASE_ADDR + PAGE_SIZE, PAGE_SIZE)
        assert aspace.read(ARENA_BASE_ADDR + PAGE_SIZE, PAGE_SIZE) == bytes(PAGE_SIZE)
        assert aspace.read(ARENA_BASE_ADDR, PAGE_SIZE) == b"\x01" * PAGE_SIZE
        assert aspace.read(ARENA_BASE_ADDR + 2 * PAGE_SIZE, PAGE_SIZE) == b"\x03" * PAGE_SIZE
