"""Flat, numpy-backed mirrors of span metadata, for marking in bulk.

Go's collector finds an object from a pointer with two loads — the arena's
``spans[page]``, then the span's fields — and keeps mark bits in ``gcBits``
arenas off the heap.  gomem keeps the same information twice in one place
each, so that marking can work on thousands of pointers per numpy call:

* :class:`SpanIndex` — for every page of the heap, the span id that owns it
  (Go: ``heapArena.spans``), and per span id its base, element size, limit,
  division magic, kind, heap-bits address and mark-bit offset.  Written
  only by :mod:`gomem.runtime.mheap` when a span is initialised or freed.
* :class:`GCBits` — the mark bits of every span (Go: ``gcmarkBits`` from the
  ``gcBits`` arenas), one byte per slot so a batch can test and set them
  with fancy indexing, and a second array for ``GODEBUG=gccheckmark=1``'s
  independent marks.  A span's bits are a fixed window ``[off, off+nelems)``
  taken when the span is made and given back when it is freed.

Simplification: Go packs mark bits eight to a byte and recycles them by
epochs (``nextMarkBitArenaEpoch``); gomem uses a byte per slot and
recycles windows per span.  The bits mean the same.
"""

from __future__ import annotations

import numpy as np

from .arena import ARENA_BASE_ADDR, PAGE_SHIFT

# Span kinds in the index (what marking must do with an object of the span)
KIND_NONE = 0  #: no heap span (free page, or a stack/manual span): not an object
KIND_SMALL_NOSCAN = 1  #: small, pointer-free: marked black at once
KIND_SMALL_HEAPBITS = 2  #: small scan object <= 512 B: pointer bits in the span
KIND_SMALL_HEADER = 3  #: small scan object with an 8-byte malloc header
KIND_LARGE_NOSCAN = 4
KIND_LARGE_SCAN = 5

SCAN_KINDS = (KIND_SMALL_HEAPBITS, KIND_SMALL_HEADER, KIND_LARGE_SCAN)


class GCBits:
    """Per-slot mark bytes for every span (Go: gcmarkBits in gcBits arenas)."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self.marks = np.zeros(capacity, dtype=np.uint8)
        self.checkmarks = np.zeros(capacity, dtype=np.uint8)
        self.top = 0
        #: free windows by length
        self.free: dict[int, list[int]] = {}

    def alloc(self, n: int) -> int:
        """A zeroed window of *n* slots; returns its offset."""
        lst = self.free.get(n)
        if lst:
            off = lst.pop()
            self.marks[off : off + n] = 0
            self.checkmarks[off : off + n] = 0
            return off
        off = self.top
        if off + n > self.marks.size:
            cap = max(self.marks.size * 2, off + n)
            self.marks = np.concatenate([self.marks, np.zeros(cap - self.marks.size, dtype=np.uint8)])
            self.checkmarks = np.concatenate([self.checkmarks, np.zeros(cap - self.checkmarks.size, dtype=np.uint8)])
        self.top = off + n
        return off

    def release(self, off: int, n: int) -> None:
        self.free.setdefault(n, []).append(off)

    @property
    def bytes_in_use(self) -> int:
        return self.top - sum(k * len(v) for k, v in self.free.items())

    def to_int(self, off: int, n: int, which: str = "marks") -> int:
        """The window as a Python int, bit i = slot i."""
        if n == 0:
            return 0
        arr = self.marks if which == "marks" else self.checkmarks
        return int.from_bytes(np.packbits(arr[off : off + n], bitorder="little").tobytes(), "little")

    def from_int(self, off: int, n: int, bits: int) -> None:
        if n == 0:
            return
        raw = np.frombuffer(bits.to_bytes((n + 7) // 8, "little"), dtype=np.uint8)
        self.marks[off : off + n] = np.unpackbits(raw, bitorder="little")[:n]

    def count(self, off: int, n: int) -> int:
        return int(np.count_nonzero(self.marks[off : off + n]))


class SpanIndex:
    """Page → span id, and span fields by id, as numpy arrays (see module doc)."""

    def __init__(self, capacity: int = 1024) -> None:
        self.page_sid = np.full(0, -1, dtype=np.int32)
        self.base = np.zeros(capacity, dtype=np.uint64)
        self.elemsize = np.zeros(capacity, dtype=np.uint64)
        self.limit = np.zeros(capacity, dtype=np.uint64)
        self.magic = np.zeros(capacity, dtype=np.uint64)
        self.kind = np.zeros(capacity, dtype=np.int8)
        self.heapbits = np.zeros(capacity, dtype=np.uint64)
        self.markoff = np.zeros(capacity, dtype=np.int64)
        #: the MSpan objects, by id (for the few paths that need Python-side fields)
        self.spans: list = [None] * capacity
        self._free_ids: list[int] = []
        self._next = 1  # id 0 is never used

    def grow_pages(self, npages: int) -> None:
        """Cover *npages* pages from ARENA_BASE_ADDR."""
        if npages > self.page_sid.size:
            self.page_sid = np.concatenate([self.page_sid, np.full(npages - self.page_sid.size, -1, dtype=np.int32)])

    def new_id(self) -> int:
        if self._free_ids:
            return self._free_ids.pop()
        sid = self._next
        self._next += 1
        if sid >= self.base.size:
            cap = self.base.size * 2
            for name in ("base", "elemsize", "limit", "magic", "kind", "heapbits", "markoff"):
                a = getattr(self, name)
                setattr(self, name, np.concatenate([a, np.zeros(cap - a.size, dtype=a.dtype)]))
            self.spans.extend([None] * (cap - len(self.spans)))
        return sid

    def publish(self, s, kind: int) -> None:
        """Record span *s* (already initialised) under its id and point its pages at it."""
        sid = s.sid
        self.base[sid] = s.start_addr
        self.elemsize[sid] = s.elemsize
        self.limit[sid] = s.limit
        self.magic[sid] = s.div_magic
        self.kind[sid] = kind
        self.heapbits[sid] = s.heap_bits_addr
        self.markoff[sid] = s.mark_off
        self.spans[sid] = s
        p = (s.start_addr - ARENA_BASE_ADDR) >> PAGE_SHIFT
        self.page_sid[p : p + s.npages] = sid if kind != KIND_NONE else -1

    def set_limit(self, s) -> None:
        self.limit[s.sid] = s.limit

    def retire(self, s) -> None:
        """Forget a freed span."""
        sid = s.sid
        p = (s.start_addr - ARENA_BASE_ADDR) >> PAGE_SHIFT
        self.page_sid[p : p + s.npages] = -1
        self.kind[sid] = KIND_NONE
        self.spans[sid] = None
        self._free_ids.append(sid)
