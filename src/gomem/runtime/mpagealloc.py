"""The page allocator and the per-P page cache.

Models ``runtime/mpagealloc.go`` (``pageAlloc``), ``runtime/mpallocbits.go``
and ``runtime/mpagecache.go`` (``pageCache``).

The heap's pages are tracked by a bitmap, one bit per 8 KiB page (1 = in
use), grown in **4 MiB chunks** (512 pages, ``pallocChunkPages``), plus a
second bitmap of *scavenged* pages — free pages whose memory was returned
to the OS.  Allocation is **address-ordered first fit**: the lowest run of
``npages`` free pages at or above ``searchAddr``, a hint below which no page
is free.  Freeing clears bits and may lower the hint, so adjacent free runs
coalesce by construction — there are no free-span lists to merge.

Go finds runs through a five-level radix tree of chunk summaries (free run
at the start, longest run, free run at the end).  gomem finds the same first
fit with numpy scans over the bitmap: the answer is identical, only the
search structure differs (noted in the README).

A P's **page cache** holds one 64-page-aligned block of up to 64 free pages
(``cache``: bit set = free, ``scav``: bit set = scavenged).  Span requests of
fewer than 16 pages (``pageCachePages/4``) are served from it without taking
the heap lock; it is refilled from the first free page at ``searchAddr``.
"""

from __future__ import annotations

import numpy as np

from .arena import ARENA_BASE_ADDR, PAGE_SHIFT, PAGE_SIZE
from ..errors import InvariantViolation

#: pages per palloc chunk (4 MiB)
PALLOC_CHUNK_PAGES = 512
PALLOC_CHUNK_BYTES = PALLOC_CHUNK_PAGES * PAGE_SIZE
#: pages one pageCache covers
PAGE_CACHE_PAGES = 64


def find_bit_range64(c: int, n: int) -> int:
    """Index of the lowest run of *n* set bits in 64-bit *c*, or 64 (Go: findBitRange64)."""
    if n == 0:
        return 0
    run = (1 << n) - 1
    for i in range(0, 65 - n):
        if (c >> i) & run == run:
            return i
    return 64


class PageCache:
    """A P's private block of free pages (Go: ``pageCache``)."""

    __slots__ = ("base", "cache", "scav")

    def __init__(self, base: int = 0, cache: int = 0, scav: int = 0) -> None:
        #: address of page 0 of the block (64-page aligned)
        self.base = base
        #: bit i set: page i is free and owned by this cache
        self.cache = cache
        #: bit i set: page i is scavenged
        self.scav = scav

    def empty(self) -> bool:
        return self.cache == 0

    def alloc(self, npages: int) -> tuple[int, int]:
        """Take *npages* contiguous pages; return (base, scavenged bytes) or (0, 0)."""
        if self.cache == 0:
            return 0, 0
        if npages == 1:
            i = (self.cache & -self.cache).bit_length() - 1
            scav = (self.scav >> i) & 1
            self.cache &= ~(1 << i)
            self.scav &= ~(1 << i)
            return self.base + i * PAGE_SIZE, scav * PAGE_SIZE
        i = find_bit_range64(self.cache, npages)
        if i >= 64:
            return 0, 0
        mask = ((1 << npages) - 1) << i
        scav = (self.scav & mask).bit_count()
        self.cache &= ~mask
        self.scav &= ~mask
        return self.base + i * PAGE_SIZE, scav * PAGE_SIZE


class PageAlloc:
    """The heap's page bitmap and first-fit search (Go: ``pageAlloc``).

    Pages are numbered from :data:`~gomem.runtime.arena.ARENA_BASE_ADDR`; the
    bitmaps cover every page the heap has grown into.
    """

    __slots__ = ("in_use", "scavenged", "npages", "search", "chunk_used")

    def __init__(self) -> None:
        #: True = page allocated (to a span or a page cache)
        self.in_use = np.zeros(0, dtype=bool)
        #: True = page free and returned to the OS
        self.scavenged = np.zeros(0, dtype=bool)
        #: pages covered so far
        self.npages = 0
        #: page index below which no page is free (Go: searchAddr)
        self.search = 0
        #: pages in use per chunk (Go keeps this for the scavenger's index)
        self.chunk_used = np.zeros(0, dtype=np.int32)

    # -- growth ----------------------------------------------------------

    def grow(self, base: int, size: int) -> None:
        """Make [base, base+size) available: free and scavenged (Go: ``pageAlloc.grow``).

        gomem grows contiguously, so *base* must be the current end.
        """
        first = (base - ARENA_BASE_ADDR) >> PAGE_SHIFT
        if first != self.npages or size % PALLOC_CHUNK_BYTES:
            raise InvariantViolation(f"pageAlloc.grow: {base:#x}+{size:#x} is not contiguous whole chunks")
        n = size >> PAGE_SHIFT
        self.in_use = np.concatenate([self.in_use, np.zeros(n, dtype=bool)])
        self.scavenged = np.concatenate([self.scavenged, np.ones(n, dtype=bool)])
        self.chunk_used = np.concatenate([self.chunk_used, np.zeros(n // PALLOC_CHUNK_PAGES, dtype=np.int32)])
        self.npages += n

    # -- page numbers ----------------------------------------------------

    @staticmethod
    def page_of(addr: int) -> int:
        return (addr - ARENA_BASE_ADDR) >> PAGE_SHIFT

    @staticmethod
    def addr_of(page: int) -> int:
        return ARENA_BASE_ADDR + (page << PAGE_SHIFT)

    # -- search ----------------------------------------------------------

    def find(self, npages: int) -> int:
        """Lowest page index starting a run of *npages* free pages, or -1."""
        seg = self.in_use[self.search :]
        if seg.size == 0:
            return -1
        if npages == 1:
            i = int(np.argmin(seg))
            return -1 if seg[i] else self.search + i
        free = np.concatenate(([0], (~seg).view(np.int8), [0]))
        d = np.diff(free)
        starts = np.flatnonzero(d == 1)
        ends = np.flatnonzero(d == -1)
        ok = np.flatnonzero(ends - starts >= npages)
        if ok.size == 0:
            return -1
        return self.search + int(starts[ok[0]])

    def _take(self, p: int, npages: int) -> int:
        """Mark [p, p+npages) in use; return the scavenged bytes among them."""
        scav = int(np.count_nonzero(self.scavenged[p : p + npages]))
        self.in_use[p : p + npages] = True
        self.scavenged[p : p + npages] = False
        self._count_chunks(p, npages, +1)
        return scav * PAGE_SIZE

    def _count_chunks(self, p: int, npages: int, sign: int) -> None:
        end = p + npages
        while p < end:
            c = p // PALLOC_CHUNK_PAGES
            n = min(end, (c + 1) * PALLOC_CHUNK_PAGES) - p
            self.chunk_used[c] += sign * n
            p += n

    def alloc(self, npages: int) -> tuple[int, int]:
        """Allocate *npages* pages first fit; return (base, scavenged bytes) or (0, 0).

        Go: ``pageAlloc.alloc``.  Moves the search hint past a 1-page
        allocation (Go does this for every allocation that starts at it).
        """
        p = self.find(npages)
        if p < 0:
            return 0, 0
        scav = self._take(p, npages)
        if p == self.search:
            self.search = p + npages
        return self.addr_of(p), scav

    def free(self, base: int, npages: int) -> None:
        """Return pages to the free pool (Go: ``pageAlloc.free``)."""
        p = self.page_of(base)
        if not self.in_use[p : p + npages].all():
            raise InvariantViolation(f"pageAlloc.free of free pages at {base:#x}")
        self.in_use[p : p + npages] = False
        self._count_chunks(p, npages, -1)
        if p < self.search:
            self.search = p

    def alloc_to_cache(self) -> PageCache:
        """Hand a P the 64-page block holding the first free page (Go: ``allocToCache``).

        Every free page of that block becomes the cache's; they are marked
        in use here, and their scavenged bits move into the cache.
        """
        p = self.find(1)
        if p < 0:
            self.search = self.npages
            return PageCache()
        b = p & ~(PAGE_CACHE_PAGES - 1)
        block = self.in_use[b : b + PAGE_CACHE_PAGES].copy()  # a copy: in_use is overwritten below
        scv = self.scavenged[b : b + PAGE_CACHE_PAGES]
        weights = 1 << np.arange(PAGE_CACHE_PAGES, dtype=np.uint64)
        cache = int(np.bitwise_or.reduce(np.where(~block, weights, 0).astype(np.uint64)))
        scav = int(np.bitwise_or.reduce(np.where(~block & scv, weights, 0).astype(np.uint64)))
        nfree = int(np.count_nonzero(~block))
        self.in_use[b : b + PAGE_CACHE_PAGES] = True
        self.scavenged[b : b + PAGE_CACHE_PAGES] &= block
        self.chunk_used[b // PALLOC_CHUNK_PAGES] += nfree
        # Everything below the end of the block is now in use or was before.
        self.search = b + PAGE_CACHE_PAGES - 1
        return PageCache(self.addr_of(b), cache, scav)

    def flush_cache(self, c: PageCache) -> None:
        """Give a cache's free pages back (Go: ``pageCache.flush``)."""
        if c.cache == 0:
            c.base = 0
            return
        b = self.page_of(c.base)
        bits = c.cache
        while bits:
            low = bits & -bits
            i = low.bit_length() - 1
            bits ^= low
            self.in_use[b + i] = False
            if (c.scav >> i) & 1:
                self.scavenged[b + i] = True
            self.chunk_used[(b + i) // PALLOC_CHUNK_PAGES] -= 1
            if b + i < self.search:
                self.search = b + i
        c.base = c.cache = c.scav = 0

    # -- scavenging ------------------------------------------------------

    def scavenge_free(self, max_pages: int | None = None, dense_pages: int | None = None) -> list[tuple[int, int]]:
        """Mark free, unscavenged pages scavenged, highest address first.

        Returns the (base address, npages) runs so the caller can release
        their memory.  Go's scavenger also works top-down (``scavengeIndex``
        finds the highest chunk with work).  With *dense_pages*, chunks with
        at least that many pages in use are skipped (unforced scavenging).
        """
        free = ~self.in_use & ~self.scavenged
        if dense_pages is not None:
            free &= np.repeat(self.chunk_used < dense_pages, PALLOC_CHUNK_PAGES)
        cand = np.flatnonzero(free)[::-1]
        if max_pages is not None:
            cand = cand[:max_pages]
        if cand.size == 0:
            return []
        self.scavenged[cand] = True
        cand = np.sort(cand)
        runs = []
        start = prev = int(cand[0])
        for q in cand[1:]:
            q = int(q)
            if q != prev + 1:
                runs.append((self.addr_of(start), prev - start + 1))
                start = q
            prev = q
        runs.append((self.addr_of(start), prev - start + 1))
        return runs

    def free_pages(self) -> int:
        return int(self.npages - np.count_nonzero(self.in_use))
