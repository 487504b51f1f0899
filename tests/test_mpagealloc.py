"""Tests for ``gomem.runtime.mpagealloc``: the page allocator and the per-P page cache."""

from __future__ import annotations

import pytest
from hypothesis import given, strategies as st

from gomem.runtime.arena import ARENA_BASE_ADDR, PAGE_SIZE
from gomem.errors import InvariantViolation
from gomem.runtime.mpagealloc import (
    PAGE_CACHE_PAGES,
    PALLOC_CHUNK_BYTES,
    PALLOC_CHUNK_PAGES,
    PageAlloc,
    PageCache,
    find_bit_range64,
)

B = ARENA_BASE_ADDR
MASK64 = (1 << 64) - 1


def page(i: int) -> int:
    return B + i * PAGE_SIZE


@pytest.fixture
def pa():
    p = PageAlloc()
    p.grow(B, PALLOC_CHUNK_BYTES)
    return p


class TestConstants:
    """Chunk and cache geometry (mpagealloc.go, mpagecache.go)."""

    def test_values(self):
        """A palloc chunk is 512 pages (4 MiB); a page cache covers 64 pages."""
        assert PALLOC_CHUNK_PAGES == 512
        assert PALLOC_CHUNK_BYTES == 4 << 20
        assert PAGE_CACHE_PAGES == 64


class TestFindBitRange64:
    """find_bit_range64: the lowest run of n set bits (Go: findBitRange64)."""

    @pytest.mark.parametrize(
        "c,n,want",
        [
            (0, 1, 64),
            (1, 1, 0),
            (0b1000, 1, 3),
            (0b1110111, 3, 0),
            (0b1110111, 4, 64),
            (0b11110000, 4, 4),
            (0b0111_0110, 3, 4),
            (MASK64, 64, 0),
            (MASK64 >> 1, 64, 64),
            (1 << 63, 1, 63),
        ],
    )
    def test_examples(self, c, n, want):
        """Known answers, including no run (64) and the full word."""
        assert find_bit_range64(c, n) == want

    @given(st.integers(0, MASK64), st.integers(1, 64))
    def test_matches_a_scan(self, c, n):
        """The answer is the first i where bits i..i+n-1 are all set, or 64."""
        want = next((i for i in range(65 - n) if all((c >> j) & 1 for j in range(i, i + n))), 64)
        assert find_bit_range64(c, n) == want


class TestGrow:
    """PageAlloc.grow adds whole 4 MiB chunks, free and scavenged."""

    def test_new_pages_are_free_and_scavenged(self):
        """Grown pages are free and count as released (never touched)."""
        p = PageAlloc()
        p.grow(B, 2 * PALLOC_CHUNK_BYTES)
        assert p.npages == 1024
        assert p.free_pages() == 1024
        assert p.scavenged.all()
        assert list(p.chunk_used) == [0, 0]

    def test_only_whole_chunks(self):
        """A size that is not whole chunks is refused."""
        p = PageAlloc()
        with pytest.raises(InvariantViolation, match="not contiguous whole chunks"):
            p.grow(B, PALLOC_CHUNK_BYTES - PAGE_SIZE)

    def test_only_at_the_end(self, pa):
        """Growth must continue where the last growth ended."""
        with pytest.raises(InvariantViolation, match=r"pageAlloc.grow: 0xc000800000\+0x400000"):
            pa.grow(B + 2 * PALLOC_CHUNK_BYTES, PALLOC_CHUNK_BYTES)


class TestAlloc:
    """PageAlloc.alloc: address-ordered first fit."""

    def test_first_fit_from_the_bottom(self, pa):
        """Consecutive allocations are placed one after another from the first page."""
        assert pa.alloc(1) == (page(0), PAGE_SIZE)
        assert pa.alloc(3) == (page(1), 3 * PAGE_SIZE)
        assert pa.alloc(2)[0] == page(4)
        assert pa.free_pages() == 512 - 6

    def test_reports_scavenged_bytes(self, pa):
        """The second result counts the scavenged bytes among the pages taken."""
        base, _ = pa.alloc(4)
        pa.free(base, 4)
        assert pa.alloc(6) == (page(0), 2 * PAGE_SIZE)  # pages 0..3 were used, 4..5 fresh

    def test_full_returns_zero(self, pa):
        """When no run is long enough alloc returns (0, 0) and changes nothing."""
        pa.alloc(500)
        assert pa.alloc(13) == (0, 0)
        assert pa.free_pages() == 12

    def test_skips_runs_that_are_too_short(self, pa):
        """A hole shorter than the request is passed over for a later one."""
        a, _ = pa.alloc(2)
        pa.alloc(1)
        pa.free(a, 2)
        assert pa.alloc(3)[0] == page(3)
        assert pa.alloc(2)[0] == page(0)

    def test_chunk_used_counts_pages(self):
        """chunk_used follows allocations across a chunk boundary."""
        p = PageAlloc()
        p.grow(B, 2 * PALLOC_CHUNK_BYTES)
        p.alloc(510)
        p.alloc(4)
        assert list(p.chunk_used) == [512, 2]


class TestFree:
    """PageAlloc.free: free runs coalesce by construction."""

    def test_coalescing(self, pa):
        """Freeing the middle then the first of three runs makes one run at the lowest address."""
        a, _ = pa.alloc(2)
        b, _ = pa.alloc(2)
        c, _ = pa.alloc(2)
        pa.free(b, 2)
        pa.free(a, 2)
        assert pa.alloc(4)[0] == a == page(0)
        assert pa.alloc(2)[0] == page(6)
        assert c == page(4)

    def test_lowers_search_hint(self, pa):
        """Freeing below the hint moves the hint down so the page is found again."""
        pa.alloc(10)
        pa.free(page(3), 1)
        assert pa.search <= 3
        assert pa.alloc(1)[0] == page(3)

    def test_freed_pages_stay_unscavenged(self, pa):
        """Freed pages keep their memory: they are free but not scavenged."""
        a, _ = pa.alloc(2)
        pa.free(a, 2)
        assert not pa.scavenged[0:2].any()
        assert pa.alloc(2) == (page(0), 0)

    def test_double_free_raises(self, pa):
        """Freeing pages that are already free is an invariant violation."""
        a, _ = pa.alloc(1)
        pa.free(a, 1)
        with pytest.raises(InvariantViolation, match=r"pageAlloc.free of free pages at 0xc000000000"):
            pa.free(a, 1)


class TestPageCache:
    """PageCache.alloc: a P's lock-free block of up to 64 pages (Go: pageCache)."""

    def test_empty_cache(self):
        """An empty cache hands out nothing."""
        c = PageCache()
        assert c.empty()
        assert c.alloc(1) == (0, 0)

    def test_one_page_is_the_lowest_free(self):
        """A 1-page request takes the lowest free bit and its scavenged bit."""
        c = PageCache(base=B, cache=0b1100, scav=0b0100)
        assert c.alloc(1) == (page(2), PAGE_SIZE)
        assert c.alloc(1) == (page(3), 0)
        assert c.empty()

    def test_n_pages_take_the_first_run(self):
        """An n-page request takes the first run of n free bits."""
        c = PageCache(base=B, cache=0b1110_1101, scav=0b1010_0000)
        assert c.alloc(3) == (page(5), 2 * PAGE_SIZE)
        assert c.cache == 0b0000_1101
        assert c.scav == 0
        assert c.alloc(2) == (page(2), 0)

    def test_n_pages_without_a_run(self):
        """Without a long enough run the cache returns (0, 0) unchanged."""
        c = PageCache(base=B, cache=0b1011, scav=0)
        assert c.alloc(3) == (0, 0)
        assert c.cache == 0b1011


class TestAllocToCache:
    """alloc_to_cache and flush_cache: handing a 64-page block to a P and back."""

    def test_fresh_chunk(self, pa):
        """On a fresh chunk the cache gets pages 0..63, all free and scavenged."""
        c = pa.alloc_to_cache()
        assert (c.base, c.cache, c.scav) == (B, MASK64, MASK64)
        assert pa.in_use[:64].all() and not pa.in_use[64:].any()
        assert not pa.scavenged[:64].any()  # the scavenged bits moved into the cache
        assert pa.chunk_used[0] == 64
        assert pa.alloc(1)[0] == page(64)

    def test_partly_used_block(self, pa):
        """Only the free pages of the block go to the cache."""
        pa.alloc(3)
        x, _ = pa.alloc(2)
        pa.free(x, 2)  # pages 3, 4 free but unscavenged
        pa.alloc(2)  # takes 3, 4 again
        pa.free(page(4), 1)
        c = pa.alloc_to_cache()
        assert c.base == B
        assert c.cache == MASK64 & ~0b01111
        assert c.scav == MASK64 & ~0b11111  # page 4 was used, so is not scavenged
        assert c.alloc(1) == (page(4), 0)

    def test_block_is_64_page_aligned(self, pa):
        """The block is the aligned 64 pages holding the first free page."""
        pa.alloc(70)
        c = pa.alloc_to_cache()
        assert c.base == page(64)
        assert c.cache == MASK64 & ~0b111111

    def test_full_heap_gives_empty_cache(self):
        """With no free page the cache comes back empty."""
        p = PageAlloc()
        p.grow(B, PALLOC_CHUNK_BYTES)
        p.alloc(512)
        assert p.alloc_to_cache().empty()

    def test_round_trip(self, pa):
        """Flushing a cache restores every page it did not hand out, scavenged bits included."""
        pa.alloc(5)
        before_use = pa.in_use.copy()
        before_scav = pa.scavenged.copy()
        c = pa.alloc_to_cache()
        assert pa.free_pages() == 512 - 64
        a, _ = c.alloc(1)
        b, _ = c.alloc(4)
        pa.flush_cache(c)
        assert (c.base, c.cache, c.scav) == (0, 0, 0)
        pa.free(a, 1)
        pa.free(b, 4)
        assert (pa.in_use == before_use).all()
        # the pages the span used are no longer scavenged; the rest are as before
        used = [pa.page_of(a)] + list(range(pa.page_of(b), pa.page_of(b) + 4))
        want = before_scav.copy()
        want[used] = False
        assert (pa.scavenged == want).all()
        assert pa.free_pages() == 512 - 5
        assert pa.alloc(1)[0] == page(5)


class TestScavengeFree:
    """scavenge_free marks free pages released, highest first."""

    def test_runs_and_limit(self, pa):
        """It returns the runs it scavenged, taking the highest pages first under a limit."""
        pa.alloc(10)
        pa.free(page(2), 2)
        pa.free(page(6), 1)
        assert pa.scavenge_free(max_pages=2) == [(page(3), 1), (page(6), 1)]
        assert pa.scavenge_free() == [(page(2), 1)]
        assert pa.scavenge_free() == []
