"""The memory allocator: how ``new``, ``make`` and ``&T{}`` get their bytes.

Models ``runtime/malloc.go`` (``mallocgc`` and its tiny, small and large
paths) on top of :mod:`gomem.runtime.mheap`, :mod:`gomem.runtime.mcentral` and
:mod:`gomem.runtime.mcache`.

Glossary (the same layers as Go's):

* **arena** — 64 MiB of address space; the heap is a run of arenas from
  ``0xc000000000`` (:mod:`gomem.runtime.arena`).
* **page** — 8 KiB; the unit the heap hands out (:mod:`gomem.runtime.mpagealloc`).
* **span** — a run of pages cut into equal slots of one *size class*
  (:mod:`gomem.runtime.mspan`), or holding a single large object.
* **size class** — one of 67 slot sizes from 8 B to 32 KiB
  (:mod:`gomem.runtime.sizeclasses`); with the scan/noscan bit, a *span class*.
* **mcache** — a P's span per span class; allocation takes no lock.
* **mcentral** — the spans of one span class that have room or need sweeping.
* **mheap** — all pages; spans come from it and go back to it.

An allocation of *size* bytes of type *T*:

1. ``size == 0`` returns the address of ``zerobase``; nothing is allocated.
2. Pointer-free and under 16 bytes: the **tiny allocator** packs it into the
   P's current 16-byte block (aligned to 8, 4 or 2 by its size), or starts a
   new block from span class 5.  The block lives while any part of it does.
3. Up to 32,760 bytes: the **small** path.  The size rounds up to its class;
   a type with pointers bigger than 512 bytes gets an 8-byte **malloc
   header** holding its type (so 1,000 bytes become 1,152); smaller ones
   record their pointer words in the span's heap bits.  The slot is the next
   free bit of the cached span (``nextFreeFast``); when the span is full the
   mcache refills from the mcentral, which may sweep or grow — and only
   then does the allocation check whether a GC should start.
4. Larger: a **large** object gets its own span straight from the heap, its
   type in the span, and always checks the GC trigger.

Every slot is zeroed before it is handed out unless its memory is known to
be untouched.  While the GC is marking, new objects are allocated black.
"""

from __future__ import annotations

import numbers
from typing import Callable, Iterable

from . import sizeclasses as sc
from . import types as gotypes
from .arena import ARENA_BASE_ADDR, MIN_LEGAL_POINTER, PAGE_SHIFT, AddressSpace
from ..errors import BadInput, BadPointer, BadWrite, InvariantViolation
from .mcache import EMPTY_MSPAN, MCache
from .mgcsweep import Sweeper
from .mheap import MHeap
from .mspan import SPAN_IN_USE, MSpan
from .mstats import HeapStats, MemStats, compute_memstats

#: address of runtime.zerobase, what every zero-byte allocation returns
#: (a bss address of a typical linux/amd64 Go binary)
ZEROBASE_ADDR = 0x5B4F60
#: where gomem places type descriptors, so a malloc header or a large span can
#: hold a type's "address" (Go: *_type in the binary's rodata)
TYPE_ADDR_BASE = 0x4A0000
TYPE_ADDR_STRIDE = 64
#: gcBits arenas (off-heap mark/alloc bitmaps) come in 64 KiB pieces
GC_BITS_ARENA_BYTES = 64 << 10

_MAX_SMALL = sc.MAX_SMALL_NOHEADER_SIZE
_TINY_SPC = sc.TINY_SPAN_CLASS
_MASK64 = (1 << 64) - 1
#: zero words for clearing small slots
_ZERO_WORDS = memoryview(bytes(256)).cast("Q")
_ZERO_VIEWS = [_ZERO_WORDS[:n] for n in range(33)]  #: _ZERO_WORDS[:n], made once


def _heap_bits_pattern(typ: gotypes.GoType, data_size: int) -> tuple[int, int]:
    """(pointer bits of *data_size* bytes of *typ* tiled, scanSize) as writeHeapBitsSmall computes them."""
    tsize = typ.size
    if tsize == 8:
        return (1 << (data_size >> 3)) - 1, data_size
    src0 = typ.ptrmask
    src = src0
    scan_size = typ.ptrdata
    i = tsize
    while i < data_size:
        src |= src0 << (i >> 3)
        scan_size += tsize
        i += tsize
    return src, scan_size


def type_addr(t: gotypes.GoType) -> int:
    """The address a malloc header stores for type *t*."""
    return TYPE_ADDR_BASE + t.id * TYPE_ADDR_STRIDE


def type_at(addr: int) -> gotypes.GoType | None:
    """The type whose descriptor lives at *addr*, or None."""
    off = addr - TYPE_ADDR_BASE
    if addr == 0 or off < 0 or off % TYPE_ADDR_STRIDE:
        return None
    try:
        return gotypes.by_id(off // TYPE_ADDR_STRIDE)
    except Exception:
        return None


def _small_tables(layout: str) -> tuple[list, list]:
    """Per-size (spanclass, elemsize) for the small noscan and scan paths.

    Built with the uncached ``sc._alloc_path`` and one shared tuple per
    class: caching 65,520 AllocPath objects and tuples cost every process
    about 18 MiB of RSS for what is ~140 distinct entries.
    """
    noscan: list = [None] * (_MAX_SMALL + 1)
    scan: list = [None] * (_MAX_SMALL + 1)
    shared: dict[tuple, tuple] = {}
    for size in range(1, _MAX_SMALL + 1):
        p = sc._alloc_path(size, True, layout)
        if p.path == "small":
            t = (p.spanclass, p.elemsize)
            noscan[size] = shared.setdefault(t, t)
        p = sc._alloc_path(size, False, layout)
        t = (p.spanclass, p.elemsize, p.header)
        scan[size] = shared.setdefault(t, t)
    return noscan, scan


_TABLES: dict[str, tuple[list, list]] = {}


class Heap:
    """A Go heap: address space, page heap, mcentrals and one mcache per P.

    The public surface a workload or collector uses: :meth:`mallocgc`,
    :meth:`new`, :meth:`new_array`; :meth:`find_object`,
    :meth:`pointer_slots`; loads and stores of pointer and scalar fields;
    :meth:`read_memstats`.
    """

    def __init__(
        self,
        procs: int = 1,
        layout: str = "greentea",
        max_heap: int | None = None,
        clobberfree: bool = False,
    ) -> None:
        if procs < 1:
            raise BadInput(f"GOMAXPROCS must be at least 1, got {procs}")
        if layout not in sc.LAYOUTS:
            raise BadInput(f"unknown span layout {layout!r}: want one of {', '.join(sc.LAYOUTS)}")
        if max_heap is not None and max_heap <= 0:
            raise BadInput(f"heap limit must be positive, got {max_heap}")
        self.layout = layout
        self.stats = HeapStats()
        reserve = None if max_heap is None else max_heap + (64 << 20)
        self.aspace = AddressSpace(reserve)
        self.mheap = MHeap(self.aspace, self.stats, layout)
        self.mheap.max_heap = max_heap
        self.sweeper = Sweeper(self.mheap)
        self.sweeper.clobberfree = clobberfree
        self.mcaches = [MCache(self.mheap, p) for p in range(procs)]
        if layout not in _TABLES:
            _TABLES[layout] = _small_tables(layout)
        self._noscan_tab, self._scan_tab = _TABLES[layout]
        #: (heap bits, scanSize) of an object of a type (key: the type) or an array of it (key: (type, size))
        self._hb_patterns: dict[gotypes.GoType | tuple, tuple[int, int]] = {}
        #: True while the write barrier is on (mark and mark termination):
        #: new objects are allocated black
        self.alloc_black = False
        #: called with the new object's address after an allocation that
        #: fetched a span or was large (Go: the gcTriggerHeap test); set by
        #: the collector
        self.gc_trigger_hook: Callable[[int], None] | None = None
        #: called as mark_new(span, index) for objects allocated black
        self.on_alloc_black: Callable[[MSpan, int], None] | None = None
        #: bytes of objects marked in the current cycle (Go: work.bytesMarked)
        self.bytes_marked = 0

    @property
    def procs(self) -> int:
        return len(self.mcaches)

    def close(self) -> None:
        """Release the address space."""
        self.aspace.close()

    # -- allocation --------------------------------------------------------

    def mallocgc(self, size: int, typ: gotypes.GoType | None = None, p: int = 0) -> int:
        """Allocate *size* bytes for *typ* (None: no pointers) on P *p*; return the address.

        *size* must be a multiple of the type's size (an array of it).
        """
        if (
            type(size) is not int
            or size <= 0
            or (typ is not None and typ.size and size % typ.size)
            or not 0 <= p < len(self.mcaches)
        ):
            return self._malloc_odd(size, typ, p)
        c = self.mcaches[p]
        if size <= _MAX_SMALL:
            if typ is None or typ.ptrdata == 0:
                if size < 16:
                    return self._malloc_tiny(size, c)
                spc, elemsize = self._noscan_tab[size]
                s = c.alloc[spc]
                # nextFreeFast
                cache = s.alloc_cache
                v = 0
                if cache:
                    bit = (cache & -cache).bit_length() - 1
                    result = s.freeindex + bit
                    if result < s.nelems:
                        freeidx = result + 1
                        if freeidx & 63 or freeidx == s.nelems:
                            s.alloc_cache = cache >> (bit + 1)
                            s.freeindex = freeidx
                            s.alloc_count += 1
                            v = s.start_addr + result * elemsize
                check = False
                if not v:
                    v, s, check = self._next_free(c, spc)
                if s.needzero:
                    if elemsize <= 256:
                        i = (v - ARENA_BASE_ADDR) >> 3
                        self.aspace.words[i : i + (elemsize >> 3)] = _ZERO_VIEWS[elemsize >> 3]
                    else:
                        self.aspace.zero(v, elemsize)
                if self.alloc_black:
                    self._mark_new(s, v)
                else:
                    s.free_index_for_scan = s.freeindex
                if check and self.gc_trigger_hook is not None:
                    self.gc_trigger_hook(v)
                return v
            return self._malloc_small_scan(size, typ, c)
        return self._malloc_large(size, typ, c)

    def new(self, typ: gotypes.GoType, p: int = 0) -> int:
        """``new(T)``: one zeroed value of *typ*."""
        return self.mallocgc(typ.size, typ if typ.ptrdata else None, p)

    def new_object(self, typ: gotypes.GoType, p: int) -> int:
        """:meth:`new` on a valid P: a small type with pointers goes straight to the small scan path
        (what mallocgc's checks and dispatch would choose for it)."""
        size = typ.size
        if typ.ptrdata and size <= _MAX_SMALL:
            return self._malloc_small_scan(size, typ, self.mcaches[p])
        return self.mallocgc(size, typ if typ.ptrdata else None, p)

    def new_array(self, typ: gotypes.GoType, n: int, p: int = 0) -> int:
        """The backing array of ``make([]T, n)``."""
        if n < 0:
            raise BadInput("makeslice: len out of range")
        return self.mallocgc(typ.size * n, typ if typ.ptrdata else None, p)

    def profile_alloc(self, memprof, p: int, x: int, size: int, typ: gotypes.GoType | None, main: bool) -> None:
        """mallocgc's last step when a heap profile is kept: count the slot *x* took against P *p*'s next
        sample (:meth:`gomem.runtime.mprof.MemProfile.malloc`).  The slot is what the sweeper will free:
        the size class's size (with a malloc header), a large object's pages, a new tiny block's 16 bytes;
        an object combined into the current tiny block takes none."""
        if size <= 0:
            return  # zerobase
        if size <= _MAX_SMALL:
            if typ is None or typ.ptrdata == 0:
                if size < 16:
                    if x & 15:
                        return  # combined into the tiny block
                    slot = 16
                else:
                    slot = self._noscan_tab[size][1]
            else:
                slot = self._scan_tab[size][1]
        else:
            slot = self.aspace.span_of(x).elemsize
        memprof.malloc(self.mcaches[p], x, slot, main)

    def _malloc_odd(self, size: int, typ: gotypes.GoType | None, p: int) -> int:
        if not isinstance(size, numbers.Integral) or isinstance(size, bool):
            raise BadInput(f"allocation size must be an integer, got {size!r}")
        if type(size) is not int:  # a numpy integer, say
            return self.mallocgc(int(size), typ, p)
        if size == 0:
            return ZEROBASE_ADDR
        if size < 0:
            raise BadInput(f"negative allocation size {size}: makeslice: len out of range")
        if type(p) is not int or not 0 <= p < len(self.mcaches):
            raise BadInput(f"no P {p}: GOMAXPROCS is {len(self.mcaches)}")
        raise BadInput(f"allocation of {size} bytes is not a whole number of {typ} ({typ.size} bytes)")

    def _next_free(self, c: MCache, spc: int) -> tuple[int, MSpan, bool]:
        """The slow path of a small allocation (Go: ``mcache.nextFree``).

        Returns (address, span, whether a new span was fetched): only then
        does the caller test the GC trigger (Go's checkGCTrigger).
        """
        s = c.alloc[spc]
        refilled = False
        free_index = s.next_free_index()
        if free_index == s.nelems:
            if s is not EMPTY_MSPAN and s.alloc_count != s.nelems:
                raise InvariantViolation(f"s.allocCount != s.nelems && freeIndex == s.nelems: {s!r}")
            s = c.refill(spc)
            refilled = True
            free_index = s.next_free_index()
        if free_index >= s.nelems:
            raise InvariantViolation("freeIndex is not valid")
        s.alloc_count += 1
        return s.start_addr + free_index * s.elemsize, s, refilled

    def _take_slot(self, c: MCache, spc: int) -> tuple[int, MSpan, bool]:
        s = c.alloc[spc]
        cache = s.alloc_cache
        if cache:
            bit = (cache & -cache).bit_length() - 1
            result = s.freeindex + bit
            if result < s.nelems:
                freeidx = result + 1
                if freeidx & 63 or freeidx == s.nelems:
                    s.alloc_cache = cache >> (bit + 1)
                    s.freeindex = freeidx
                    s.alloc_count += 1
                    return s.start_addr + result * s.elemsize, s, False
        return self._next_free(c, spc)

    def _malloc_tiny(self, size: int, c: MCache) -> int:
        """Pack a pointer-free object under 16 bytes into a tiny block (Go: ``mallocgcTiny``)."""
        off = c.tinyoffset
        if size & 7 == 0:
            off = (off + 7) & ~7
        elif size & 3 == 0:
            off = (off + 3) & ~3
        elif size & 1 == 0:
            off = (off + 1) & ~1
        if off + size <= 16 and c.tiny:
            x = c.tiny + off
            c.tinyoffset = off + size
            c.tiny_allocs += 1
            return x
        v, s, check = self._take_slot(c, _TINY_SPC)
        self.aspace.words[(v - ARENA_BASE_ADDR) >> 3] = 0
        self.aspace.words[((v - ARENA_BASE_ADDR) >> 3) + 1] = 0
        if size < c.tinyoffset or c.tiny == 0:
            c.tiny = v
            c.tinyoffset = size
        if self.alloc_black:
            self._mark_new(s, v)
        else:
            s.free_index_for_scan = s.freeindex
        if check and self.gc_trigger_hook is not None:
            self.gc_trigger_hook(v)
        return v

    def adopt_startup_tiny_block(self, p: int, offset: int) -> int:
        """Give P *p*'s mcache the tiny block the runtime's start-up leaves it, *offset* bytes used.

        A Go program's first tiny allocations share the block start-up was filling (Go 1.27.3,
        linux/amd64: the first ``new(byte)`` of main is at offset 8 of its block, with any
        GOMAXPROCS, every run).  The block is start-up's: it is in neither Mallocs nor TotalAlloc
        (the slot is counted as allocated before the span was cached); its free, after a GC, is
        counted in Frees as Go counts the frees of start-up garbage.
        """
        c = self.mcaches[p]
        v, s, check = self._take_slot(c, _TINY_SPC)
        s.alloc_count_before_cache += 1
        self.aspace.words[(v - ARENA_BASE_ADDR) >> 3] = 0
        self.aspace.words[((v - ARENA_BASE_ADDR) >> 3) + 1] = 0
        c.tiny = v
        c.tinyoffset = offset
        if self.alloc_black:
            self._mark_new(s, v)
        else:
            s.free_index_for_scan = s.freeindex
        return v

    def adopt_startup_object(self, p: int, typ: gotypes.GoType) -> int:
        """A small object of *typ* that the runtime's start-up allocated on P *p* and left to the program
        (a sudog in P 0's cache, say): allocated as mallocgc would, but counted as start-up's, in neither
        Mallocs nor TotalAlloc (like :meth:`adopt_startup_tiny_block`); its free is counted in Frees."""
        x = self._malloc_small_scan(typ.size, typ, self.mcaches[p])
        self.aspace.span_of(x).alloc_count_before_cache += 1
        return x

    def _malloc_small_scan(self, size: int, typ: gotypes.GoType, c: MCache) -> int:
        """Small objects with pointers, with heap bits or a malloc header."""
        spc, elemsize, header = self._scan_tab[size]
        # nextFreeFast, inlined
        s = c.alloc[spc]
        cache = s.alloc_cache
        v = 0
        if cache:
            bit = (cache & -cache).bit_length() - 1
            result = s.freeindex + bit
            if result < s.nelems:
                freeidx = result + 1
                if freeidx & 63 or freeidx == s.nelems:
                    s.alloc_cache = cache >> (bit + 1)
                    s.freeindex = freeidx
                    s.alloc_count += 1
                    v = s.start_addr + result * elemsize
        check = False
        if not v:
            v, s, check = self._next_free(c, spc)
            result = (v - s.start_addr) // elemsize
        if s.needzero:
            if elemsize <= 256:
                i = (v - ARENA_BASE_ADDR) >> 3
                self.aspace.words[i : i + (elemsize >> 3)] = _ZERO_VIEWS[elemsize >> 3]
            else:
                self.aspace.zero(v, elemsize)
        if header:
            self.aspace.words[(v - ARENA_BASE_ADDR) >> 3] = type_addr(typ)
            c.scan_alloc += elemsize
            x = v + sc.MALLOC_HEADER_SIZE
        else:
            x = v
            if elemsize == 8:
                c.scan_alloc += 8
            else:
                pat = self._hb_patterns.get(typ) if size == typ.size else None
                if pat is not None and pat[0] == s.hb_src and result < s.hb_upto:
                    c.scan_alloc += pat[1]  # the slot's heap bits are this pattern already
                else:
                    c.scan_alloc += self._write_heap_bits_small(s, v, size, typ)
        if self.alloc_black:
            self._mark_new(s, v)
        else:
            s.free_index_for_scan = s.freeindex
        if check and self.gc_trigger_hook is not None:
            self.gc_trigger_hook(x)
        return x

    def _write_heap_bits_small(self, s: MSpan, x: int, data_size: int, typ: gotypes.GoType) -> int:
        """Record the object's pointer words in the span's heap bits (Go: ``writeHeapBitsSmall``).

        Returns the scannable size (Go's scanSize).  The bits written are
        Go's; gomem only skips a write that would not change them: a span
        remembers the one bit pattern every slot below ``hb_upto`` holds.
        """
        key = typ if data_size == typ.size else (typ, data_size)
        pat = self._hb_patterns.get(key)
        if pat is None:
            pat = self._hb_patterns[key] = _heap_bits_pattern(typ, data_size)
        src, scan_size = pat
        o = (x - s.start_addr) >> 3
        nbits = s.elemsize >> 3
        idx = o // nbits
        if src == s.hb_src:
            if idx < s.hb_upto:
                return scan_size
            if idx == s.hb_upto:
                s.hb_upto = idx + 1
        elif s.hb_src is None and idx == 0:
            s.hb_src = src
            s.hb_upto = 1
        else:
            s.hb_src = -1  # mixed patterns: write every time
            s.hb_upto = 0
        b0 = o >> 3
        sh = o & 7
        mem = self.aspace.mem
        at = s.heap_bits_addr - ARENA_BASE_ADDR + b0
        if sh + nbits <= 8:  # the object's bits sit in one byte
            old = mem[at]
            m = ((1 << nbits) - 1) << sh
            mem[at] = (old & ~m) | (src << sh)
            return scan_size
        nb = (sh + nbits + 7) >> 3
        old = int.from_bytes(mem[at : at + nb], "little")
        m = ((1 << nbits) - 1) << sh
        new = (old & ~m) | (src << sh)
        if new != old:
            mem[at : at + nb] = new.to_bytes(nb, "little")
        return scan_size

    def _malloc_large(self, size: int, typ: gotypes.GoType | None, c: MCache) -> int:
        """An object over 32,760 bytes gets a span of its own (Go: ``mallocgcLarge``)."""
        noscan = typ is None or typ.ptrdata == 0
        npages = size >> PAGE_SHIFT
        if size & ((1 << PAGE_SHIFT) - 1):
            npages += 1
        if size > sc.MAX_ALLOC:
            raise BadInput(f"runtime: out of memory: cannot allocate {size}-byte block")
        self.sweeper.deduct_sweep_credit(npages << PAGE_SHIFT, npages)
        spc = sc.make_span_class(0, noscan)
        s = self.mheap.alloc(npages, spc, c.pcache)
        st = self.stats
        nbytes = npages << PAGE_SHIFT
        st.large_alloc += nbytes
        st.large_alloc_count += 1
        st.total_alloc += nbytes
        self.mheap.heap_live_add(nbytes, 0)
        s.freeindex = 1
        s.alloc_count = 1
        s.alloc_cache = _MASK64 >> 1
        s.limit = s.start_addr + size
        self.mheap.spanindex.set_limit(s)
        self.mheap.central[spc].full_swept(self.mheap.sweepgen).append(s)
        if s.needzero:
            self.aspace.zero(s.start_addr, size)
        if not noscan:
            s.large_type = typ
            c.scan_alloc += size
        if self.alloc_black:
            self._mark_new(s, s.start_addr)
        else:
            s.free_index_for_scan = 1
        if self.gc_trigger_hook is not None:
            self.gc_trigger_hook(s.start_addr)
        return s.start_addr

    def _mark_new(self, s: MSpan, v: int) -> None:
        """Allocate black: set the new object's mark bit (Go: ``gcmarknewobject``)."""
        idx = s.object_index(v)
        s.gcbits.marks[s.mark_off + idx] = 1
        self.bytes_marked += s.elemsize
        if self.on_alloc_black is not None:
            self.on_alloc_black(s, idx)

    # -- finding objects -----------------------------------------------------

    def find_object(self, addr: int) -> tuple[MSpan, int, int] | None:
        """(span, slot base, slot index) of the allocated object holding *addr*, or None.

        Go: ``findObject``.  Interior pointers find their object.  Unlike Go,
        a pointer to a free slot of an in-use span is not an object.
        """
        s = self.aspace.span_of(addr)
        if s is None or s.state != SPAN_IN_USE or addr >= s.limit or addr < s.start_addr:
            return None
        if s.sizeclass == 0:
            return s, s.start_addr, 0
        idx = ((addr - s.start_addr) * s.div_magic) >> 32
        if not (idx < s.freeindex or (s.alloc_bits >> idx) & 1):
            return None
        return s, s.start_addr + idx * s.elemsize, idx

    def object_bounds(self, addr: int) -> tuple[int, int]:
        """[start, end) of the user data of the allocated object holding *addr*.

        Raises BadPointer (in Go's words where it has them) otherwise.
        """
        found = self.find_object(addr)
        if found is None:
            raise BadPointer(self._why_not_object(addr))
        s, base, _ = found
        if s.sizeclass == 0:
            return base, s.limit
        if not s.noscan and not s.heap_bits_addr:
            return base + sc.MALLOC_HEADER_SIZE, base + s.elemsize
        return base, base + s.elemsize

    def _why_not_object(self, addr: int) -> str:
        if addr == 0:
            return "invalid memory address or nil pointer dereference"
        s = self.aspace.span_of(addr)
        if s is None or s.state != SPAN_IN_USE:
            return f"runtime: pointer {addr:#x} to unallocated span"
        if addr >= s.limit:
            return f"runtime: pointer {addr:#x} past the last object of span {s.start_addr:#x}"
        return f"pointer {addr:#x} is to a free slot of span {s.start_addr:#x} (elemsize {s.elemsize})"

    def object_type(self, addr: int) -> gotypes.GoType | None:
        """The type recorded for the object at *addr*, where Go records one.

        Header objects and large scan objects carry their type; objects in
        spans with heap bits carry only pointer bits (None).
        """
        found = self.find_object(addr)
        if found is None:
            return None
        s, base, _ = found
        if s.noscan:
            return None
        if s.sizeclass == 0:
            return s.large_type
        if not s.heap_bits_addr:
            return type_at(self.aspace.words[(base - ARENA_BASE_ADDR) >> 3])
        return None

    def pointer_mask(self, addr: int) -> tuple[int, int, int]:
        """(data start, data end, mask) of the object holding *addr*; bit i = word i of data is a pointer.

        Read from where Go keeps it: the span's heap bits, the malloc
        header's type tiled over the slot, or the large span's type
        (Go: ``typePointersOf``).
        """
        found = self.find_object(addr)
        if found is None:
            raise BadPointer(self._why_not_object(addr))
        s, base, _ = found
        if s.noscan:
            start, end = (base, s.limit) if s.sizeclass == 0 else (base, base + s.elemsize)
            return start, end, 0
        if s.sizeclass == 0:
            typ = s.large_type
            start, end = base, s.limit
        elif s.heap_bits_addr:
            nbits = s.elemsize >> 3
            o = (base - s.start_addr) >> 3
            at = s.heap_bits_addr - ARENA_BASE_ADDR + (o >> 3)
            nb = ((o & 7) + nbits + 7) >> 3
            bits = int.from_bytes(self.aspace.mem[at : at + nb], "little") >> (o & 7)
            return base, base + s.elemsize, bits & ((1 << nbits) - 1)
        else:
            typ = type_at(self.aspace.words[(base - ARENA_BASE_ADDR) >> 3])
            start, end = base + sc.MALLOC_HEADER_SIZE, base + s.elemsize
        if typ is None:
            return start, end, 0
        # The slot may end part-way through an element (a 608-byte type in a
        # 640-byte slot): Go's typePointers.next walks every element that
        # starts below the limit and clips the mask there.
        nbytes = end - start
        nelem = -(-nbytes // typ.size) if typ.size else 0
        return start, end, gotypes.tile_mask(typ, nelem * typ.size) & ((1 << (nbytes >> 3)) - 1)

    def pointer_slots(self, addr: int) -> list[int]:
        """Addresses of every pointer word of the object holding *addr*."""
        start, _, mask = self.pointer_mask(addr)
        out = []
        while mask:
            low = mask & -mask
            out.append(start + ((low.bit_length() - 1) << 3))
            mask ^= low
        return out

    # -- loads and stores ----------------------------------------------------

    def _slot(self, obj: int, offset: int, nbytes: int) -> tuple[int, int, int]:
        start, end, mask = self.pointer_mask(obj)
        addr = obj + offset
        if offset < 0 or addr < start or addr + nbytes > end:
            raise BadWrite(
                f"access of {nbytes} bytes at offset {offset} of object {start:#x} "
                f"is outside its {end - start} bytes"
            )
        return addr, start, mask

    def is_valid_pointer(self, value: int) -> bool:
        """Whether *value* may be stored as a pointer: nil, zerobase, or into an allocated object."""
        if value == 0 or value == ZEROBASE_ADDR:
            return True
        if value < MIN_LEGAL_POINTER:
            return False
        if self.aspace.arena_of(value) is None:
            return value in self.extra_pointer_targets()
        return self.find_object(value) is not None

    def extra_pointer_targets(self) -> set[int]:
        """Non-heap addresses pointers may hold (globals, stacks); none yet."""
        return set()

    def store_pointer(self, obj: int, offset: int, value: int) -> int:
        """``obj.f = value`` for the pointer field at *offset*; returns the old value.

        Checks that the slot is a pointer slot of an allocated object and
        that *value* is nil or points to an allocated object.  The write
        barrier, when a collector installs one, is not applied here.
        """
        addr, start, mask = self._slot(obj, offset, 8)
        if addr & 7 or not (mask >> ((addr - start) >> 3)) & 1:
            raise BadWrite(f"offset {offset} of object {start:#x} is not a pointer slot")
        if not self.is_valid_pointer(value):
            raise BadPointer(f"storing invalid pointer {value:#x}: {self._why_not_object(value)}")
        i = (addr - ARENA_BASE_ADDR) >> 3
        words = self.aspace.words
        old = words[i]
        words[i] = value
        return old

    def load_pointer(self, obj: int, offset: int) -> int:
        """The pointer stored at *offset* of the object at *obj*."""
        addr, start, mask = self._slot(obj, offset, 8)
        if addr & 7 or not (mask >> ((addr - start) >> 3)) & 1:
            raise BadWrite(f"offset {offset} of object {start:#x} is not a pointer slot")
        return self.aspace.words[(addr - ARENA_BASE_ADDR) >> 3]

    def store_scalar(self, obj: int, offset: int, value: int, nbytes: int = 8) -> None:
        """Store an unsigned little-endian integer of *nbytes* into non-pointer words."""
        if nbytes not in (1, 2, 4, 8):
            raise BadInput(f"scalar width must be 1, 2, 4 or 8 bytes, got {nbytes}")
        addr, start, mask = self._slot(obj, offset, nbytes)
        if addr % nbytes:
            raise BadWrite(f"misaligned {nbytes}-byte store at offset {offset}")
        if (mask >> ((addr - start) >> 3)) & 1:
            raise BadWrite(f"cannot store a non-pointer into pointer slot at offset {offset} of object {start:#x}")
        if not 0 <= value < 1 << (8 * nbytes):
            raise BadInput(f"value {value} does not fit in {nbytes} bytes")
        self.aspace.write(addr, value.to_bytes(nbytes, "little"))

    def load_scalar(self, obj: int, offset: int, nbytes: int = 8) -> int:
        addr, start, mask = self._slot(obj, offset, nbytes)
        return int.from_bytes(self.aspace.read(addr, nbytes), "little")

    # -- marking and sweeping (used by collectors) ---------------------------

    def mark(self, addr: int) -> bool:
        """Set the mark bit of the object holding *addr*; True if it was newly marked."""
        found = self.find_object(addr)
        if found is None:
            raise BadPointer(self._why_not_object(addr))
        s, _, idx = found
        if not s.set_marked(idx):
            return False
        self.bytes_marked += s.elemsize
        return True

    def flush_mcaches(self) -> None:
        """Release every P's cached spans and tiny block (Go: ``flushallmcaches``)."""
        for c in self.mcaches:
            c.release_all()

    def collect_live(self, live: Iterable[int], eager_sweep: bool = True) -> int:
        """One stop-the-world cycle whose mark phase marks exactly *live*.

        A test and teaching aid for the allocator on its own: sweep
        termination finishes the last sweep, the objects holding the given
        addresses (and every P's active tiny block, as ``gcMarkTinyAllocs``
        does) are marked, the sweep generation advances and — with
        *eager_sweep*, like ``GODEBUG=gcstoptheworld=2`` — every span is
        swept at once; otherwise spans are swept lazily as allocation needs
        them.  Returns the bytes marked.  The tracing collector replaces
        the given live set with what is reachable from the roots.
        """
        self.sweeper.finish()
        live = list(live)
        for a in live:
            if self.find_object(a) is None:
                raise BadPointer(self._why_not_object(a))
        self.bytes_marked = 0
        for c in self.mcaches:
            if c.tiny:
                self.mark(c.tiny)
        for a in live:
            self.mark(a)
        marked = self.bytes_marked
        self.stats.heap_live = marked
        self.sweeper.start_cycle()
        for c in self.mcaches:
            c.prepare_for_sweep()
            self.mheap.flush_page_cache(c.pcache)
        if eager_sweep:
            self.sweeper.finish()
        return marked

    # -- statistics ----------------------------------------------------------

    def gc_sys_bytes(self) -> int:
        """Off-heap GC metadata: alloc and mark bitmaps, in 64 KiB gcBits arenas."""
        nbytes = sum(2 * (-(-s.nelems // 64) * 8) for s in self.mheap.all_spans.values())
        return -(-nbytes // GC_BITS_ARENA_BYTES) * GC_BITS_ARENA_BYTES

    def read_memstats(self, next_gc: int = 0) -> MemStats:
        """``runtime.ReadMemStats``: flush the mcaches and derive every field."""
        self.flush_mcaches()
        return compute_memstats(
            self.stats, ncaches=len(self.mcaches), gc_sys=self.gc_sys_bytes(), other_sys=0, next_gc=next_gc
        )

    def slot_base(self, addr: int) -> int:
        """The slot start of *addr* in its span, allocated or not (0 outside heap spans)."""
        s = self.aspace.span_of(addr)
        if s is None or s.state != SPAN_IN_USE:
            return 0
        if s.sizeclass == 0:
            return s.start_addr
        return s.start_addr + s.object_index(addr) * s.elemsize

    # -- census (for checkers and tests) -------------------------------------

    def spans(self) -> list[MSpan]:
        """Every in-use heap span, in address order."""
        return sorted((s for s in self.mheap.all_spans.values() if s.state == SPAN_IN_USE), key=lambda s: s.start_addr)

    def live_objects(self) -> Iterable[tuple[MSpan, int]]:
        """(span, slot address) of every allocated slot in the heap."""
        for s in self.spans():
            if s.sizeclass == 0:
                if s.alloc_count:
                    yield s, s.start_addr
                continue
            for i in s.allocated_indices():
                yield s, s.start_addr + i * s.elemsize
