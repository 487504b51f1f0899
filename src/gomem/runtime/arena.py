"""The address space: heap arenas of real memory at Go's addresses.

Models ``runtime/mheap.go``'s ``heapArena`` and ``mheap_.arenas`` and
``runtime/malloc.go``'s arena hints (``mallocinit``/``sysAlloc``).

On linux/amd64 Go reserves its heap in **64 MiB arenas** (``heapArenaBytes``)
starting at the hint ``0x00c0 << 32`` = ``0xc000000000`` and going up.  Each
arena is 8192 pages of 8 KiB, and carries metadata the runtime needs to go
from any address back to its span in O(1): ``spans[8192]`` (page → span) and
a one-bit-per-page bitmap ``pageInUse`` (the page starts an in-use span).
Go's ``pageMarks`` serve its page reclaimer, which gomem does not model:
free spans are found by sweeping.

Here the heap's address range is one anonymous ``mmap`` reservation; the
kernel backs it lazily, so it costs real memory only for the pages the
simulated program has touched — just like Go's reserved-but-unused address
space.  Objects hold real
bytes; a pointer is an 8-byte little-endian address stored in them.

Simplification: Go 1.27 randomizes the heap base (``RandomizedHeapBase64``
experiment) and can fall back to other hints; gomem always starts at
``0xc000000000`` and grows contiguously, which keeps runs reproducible and
addresses familiar from Go's own crash dumps.
"""

from __future__ import annotations

import mmap

import numpy as np
from typing import TYPE_CHECKING

from ..errors import BadPointer

if TYPE_CHECKING:  # pragma: no cover
    from .mspan import MSpan

#: first address Go hands out for the heap on linux/amd64 (malloc.go, mallocinit)
ARENA_BASE_ADDR = 0x00C0 << 32
#: log2 of heapArenaBytes on 64-bit linux
LOG_HEAP_ARENA_BYTES = 26
HEAP_ARENA_BYTES = 1 << LOG_HEAP_ARENA_BYTES  # 64 MiB
PAGE_SHIFT = 13
PAGE_SIZE = 1 << PAGE_SHIFT
PAGES_PER_ARENA = HEAP_ARENA_BYTES // PAGE_SIZE  # 8192
#: addresses below this are never valid pointers (runtime/malloc.go minLegalPointer)
MIN_LEGAL_POINTER = 4096
#: the 48-bit address space of amd64 (heapAddrBits)
HEAP_ADDR_BITS = 48

_ARENA_INDEX0 = ARENA_BASE_ADDR >> LOG_HEAP_ARENA_BYTES
#: mmap's MAP_NORESERVE on linux (the mmap module does not export it)
_MAP_NORESERVE = getattr(mmap, "MAP_NORESERVE", 0x4000)


class HeapArena:
    """One 64 MiB arena: its memory and its per-page metadata (Go: ``heapArena``).

    ``spans[i]`` is the span that owns page ``i`` of the arena, or None if the
    page is free or unused; every page of an in-use span points at that span
    (Go: "If this is a span of a free region, spans[...] may point to any
    span"; gomem keeps free pages at None, which is stricter).
    """

    __slots__ = ("index", "base", "end", "spans", "page_in_use", "zeroed_base")

    def __init__(self, index: int) -> None:
        self.index = index
        #: first address of the arena
        self.base = index << LOG_HEAP_ARENA_BYTES
        self.end = self.base + HEAP_ARENA_BYTES
        #: page index within the arena -> owning span (Go: heapArena.spans)
        self.spans: list[MSpan | None] = [None] * PAGES_PER_ARENA
        #: bit per page: the page is the first page of an in-use heap span
        self.page_in_use = bytearray(PAGES_PER_ARENA // 8)
        #: offset below which the arena has been handed out at least once;
        #: memory above it is still zero as the OS gave it (Go: zeroedBase)
        self.zeroed_base = 0


class AddressSpace:
    """The heap's address range: one reservation, arenas handed out in order.

    Go reserves address space arena by arena and maps it as the heap grows
    (``sysReserve``/``sysMap``).  gomem makes one ``mmap`` reservation of
    ``limit_bytes`` (default 256 GiB) with ``MAP_NORESERVE`` up front — that
    costs no memory, only address space — and hands it out 64 MiB arena at a
    time from :data:`ARENA_BASE_ADDR` upward, so every heap address maps to
    its byte by one subtraction, even for a large object that straddles two
    arenas.  The kernel backs a page only when the simulated program first
    touches it, and :meth:`release_pages` gives pages back (``MADV_DONTNEED``,
    what Go's scavenger does on linux).
    """

    __slots__ = ("arenas", "limit_bytes", "mem", "words", "np8", "np64")

    #: default size of the reservation, the most the heap can ever grow to
    DEFAULT_LIMIT = 1 << 38

    def __init__(self, limit_bytes: int | None = None) -> None:
        limit = self.DEFAULT_LIMIT if limit_bytes is None else limit_bytes
        if limit < HEAP_ARENA_BYTES:
            limit = HEAP_ARENA_BYTES
        limit = -(-limit // HEAP_ARENA_BYTES) * HEAP_ARENA_BYTES
        #: arenas in address order; arena i covers ARENA_BASE_ADDR + i*64 MiB
        self.arenas: list[HeapArena] = []
        #: the most bytes of address space the heap may reserve
        self.limit_bytes = limit
        #: the whole reservation's bytes, from ARENA_BASE_ADDR
        self.mem = mmap.mmap(-1, limit, flags=mmap.MAP_PRIVATE | mmap.MAP_ANONYMOUS | _MAP_NORESERVE)
        #: the same memory as 8-byte little-endian words (pointer loads and stores)
        self.words = memoryview(self.mem).cast("Q")
        #: numpy views of the same memory, for bulk work (marking)
        self.np8 = np.frombuffer(self.mem, dtype=np.uint8)
        self.np64 = np.frombuffer(self.mem, dtype=np.uint64)

    # -- reservation -----------------------------------------------------

    @property
    def end(self) -> int:
        """One past the last reserved address."""
        return ARENA_BASE_ADDR + len(self.arenas) * HEAP_ARENA_BYTES

    @property
    def reserved_bytes(self) -> int:
        return len(self.arenas) * HEAP_ARENA_BYTES

    def reserve(self, nbytes: int) -> tuple[int, int] | None:
        """Reserve whole arenas covering at least *nbytes*; return (base, size).

        Models ``mheap.sysAlloc``: the request is rounded up to whole arenas
        and placed right after the previous ones.  Returns None when the
        reservation limit would be exceeded (the caller reports Go's
        out-of-memory words).
        """
        n = -(-nbytes // HEAP_ARENA_BYTES)
        size = n * HEAP_ARENA_BYTES
        if self.reserved_bytes + size > self.limit_bytes:
            return None
        base = self.end
        first = len(self.arenas) + _ARENA_INDEX0
        for i in range(n):
            self.arenas.append(HeapArena(first + i))
        return base, size

    def close(self) -> None:
        """Give the reservation back to the OS; the AddressSpace is unusable after."""
        self.words.release()
        self.np8 = self.np64 = None  # type: ignore[assignment]
        try:
            self.mem.close()
        except BufferError:  # a numpy view still exported; the GC unmaps it later
            pass
        self.arenas.clear()

    def carve_top(self, nbytes: int) -> int:
        """Take the top *nbytes* (rounded up to an arena) of the reservation away from the heap; their address.

        The heap can never reserve them afterwards, so memory placed there (a compiled program's
        read-only data and globals) is addressed like heap memory but is never mistaken for it.
        """
        size = -(-nbytes // HEAP_ARENA_BYTES) * HEAP_ARENA_BYTES
        if self.reserved_bytes + size > self.limit_bytes:
            raise BadPointer(f"no room for {nbytes} bytes above the heap")
        self.limit_bytes -= size
        return ARENA_BASE_ADDR + self.limit_bytes

    # -- lookups ---------------------------------------------------------

    def arena_of(self, addr: int) -> HeapArena | None:
        """The arena holding *addr*, or None outside the reserved range."""
        i = (addr >> LOG_HEAP_ARENA_BYTES) - _ARENA_INDEX0
        if 0 <= i < len(self.arenas):
            return self.arenas[i]
        return None

    def span_of(self, addr: int) -> MSpan | None:
        """The span owning the page of *addr* (Go: ``spanOf``), or None."""
        i = (addr >> LOG_HEAP_ARENA_BYTES) - _ARENA_INDEX0
        if 0 <= i < len(self.arenas):
            return self.arenas[i].spans[(addr >> PAGE_SHIFT) & (PAGES_PER_ARENA - 1)]
        return None

    def set_spans(self, base: int, npages: int, span: MSpan | None) -> None:
        """Point the page→span table for pages [base, base+npages) at *span*."""
        while npages > 0:
            a = self.arena_of(base)
            if a is None:
                raise BadPointer(f"address {base:#x} is outside the heap")
            p = (base - a.base) >> PAGE_SHIFT
            n = min(npages, PAGES_PER_ARENA - p)
            a.spans[p : p + n] = [span] * n
            npages -= n
            base += n << PAGE_SHIFT

    # -- raw memory ------------------------------------------------------

    def _offset(self, addr: int, nbytes: int) -> int:
        off = addr - ARENA_BASE_ADDR
        if off < 0 or off + nbytes > self.reserved_bytes:
            raise BadPointer(f"access of {nbytes} bytes at {addr:#x} is outside the heap arenas")
        return off

    def load_word(self, addr: int) -> int:
        """The 8-byte word at an 8-aligned address."""
        return self.words[self._offset(addr, 8) >> 3]

    def store_word(self, addr: int, value: int) -> None:
        """Store an 8-byte word at an 8-aligned address (no checks of meaning)."""
        self.words[self._offset(addr, 8) >> 3] = value

    def read(self, addr: int, nbytes: int) -> bytes:
        off = self._offset(addr, nbytes)
        return self.mem[off : off + nbytes]

    def write(self, addr: int, data: bytes) -> None:
        off = self._offset(addr, len(data))
        self.mem[off : off + len(data)] = data

    def zero(self, addr: int, nbytes: int) -> None:
        """Clear [addr, addr+nbytes) (Go: ``memclrNoHeapPointers``)."""
        off = self._offset(addr, nbytes)
        self.mem[off : off + nbytes] = bytes(nbytes)

    def fill(self, addr: int, nbytes: int, pattern: bytes) -> None:
        """Fill [addr, addr+nbytes) with a repeating pattern (used to poison freed slots)."""
        off = self._offset(addr, nbytes)
        reps = -(-nbytes // len(pattern))
        self.mem[off : off + nbytes] = (pattern * reps)[:nbytes]

    def release_pages(self, addr: int, nbytes: int) -> None:
        """Return page-aligned [addr, addr+nbytes) to the OS; they read as zero after.

        Go's ``sysUnused`` on linux: ``madvise(MADV_DONTNEED)``.
        """
        off = self._offset(addr, nbytes)
        self.mem.madvise(mmap.MADV_DONTNEED, off, nbytes)
