"""mspan: a run of pages holding objects of one span class.

Models ``runtime/mheap.go``'s ``mspan`` and the bitmap helpers of
``runtime/mbitmap.go`` (``nextFreeIndex``, ``refillAllocCache``,
``countAlloc``) and ``runtime/malloc.go`` (``nextFreeFast``).

Go never keeps free lists of objects.  A span has two bitmaps, one bit per
slot: ``allocBits`` says which slots were allocated *as of the last sweep*,
``gcmarkBits`` collects the marks of the cycle in progress.  The sweeper
makes the marks the new allocation bits (``allocBits = gcmarkBits``) and
starts empty mark bits, so a freed object simply becomes a zero bit.  The
allocator walks forward from ``freeindex`` through ``allocCache`` — the
complement of 64 allocation bits, shifted so bit 0 is ``freeindex`` — taking
the next zero bit.  Every slot below ``freeindex`` is allocated.

gomem keeps ``allocBits`` and ``gcmarkBits`` as Python integers (bit *n* is
slot *n*).  Go keeps them in ``gcBits`` arenas of off-heap memory; the bits
and their life cycle are the same, only their home differs (noted in the
README).
"""

from __future__ import annotations

from ..errors import InvariantViolation

# mspan states (Go: mSpanState)
SPAN_DEAD = 0  #: mSpanDead: not in use
SPAN_IN_USE = 1  #: mSpanInUse: a heap span of objects
SPAN_MANUAL = 2  #: mSpanManual: stacks and other manually managed memory

STATE_NAMES = {SPAN_DEAD: "mSpanDead", SPAN_IN_USE: "mSpanInUse", SPAN_MANUAL: "mSpanManual"}

MASK64 = (1 << 64) - 1


def ctz64(x: int) -> int:
    """Trailing zeros of a 64-bit value; 64 for zero (Go: sys.TrailingZeros64)."""
    return (x & -x).bit_length() - 1 if x else 64


class MSpan:
    """A span (Go: ``mspan``).

    ``sweepgen`` relative to the heap's ``h`` = ``mheap.sweepgen`` (always
    even; +2 per GC cycle) says where the span is in the sweep cycle:

    ============  ==========================================================
    ``h - 2``     needs sweeping
    ``h - 1``     being swept (its sweeper won the CAS ``h-2 → h-1``)
    ``h``         swept, ready to use
    ``h + 1``     cached in an mcache before this sweep began: must be swept
                  when it is uncached
    ``h + 3``     swept, then cached, still cached
    ============  ==========================================================
    """

    __slots__ = (
        "start_addr",
        "npages",
        "spanclass",
        "sizeclass",
        "noscan",
        "elemsize",
        "nelems",
        "limit",
        "div_magic",
        "freeindex",
        "free_index_for_scan",
        "alloc_cache",
        "alloc_bits",
        "gcbits",
        "mark_off",
        "sid",
        "alloc_count",
        "alloc_count_before_cache",
        "sweepgen",
        "state",
        "needzero",
        "large_type",
        "heap_bits_addr",
        "inline_marks_addr",
        "span_id",
        "hb_src",
        "hb_upto",
    )

    def __init__(self) -> None:
        self.start_addr = 0
        #: number of 8 KiB pages
        self.npages = 0
        #: sizeclass << 1 | noscan
        self.spanclass = 0
        self.sizeclass = 0
        self.noscan = False
        #: bytes per slot (for a large span, the whole span)
        self.elemsize = 0
        #: number of slots
        self.nelems = 0
        #: end of the last slot: base + elemsize*nelems
        self.limit = 0
        #: ^uint32(0)/elemsize + 1, for object index from offset
        self.div_magic = 0
        #: every slot below freeindex is allocated; allocation scans from here
        self.freeindex = 0
        #: freeindex as of the last allocation made while the GC was off
        self.free_index_for_scan = 0
        #: complement of allocBits[freeindex&~63 ...], shifted so bit 0 is freeindex
        self.alloc_cache = 0
        #: bit n = slot n allocated as of the last sweep
        self.alloc_bits = 0
        #: where the span's mark bits live: gcbits.marks[mark_off : mark_off + nelems]
        #: (Go: gcmarkBits, from the gcBits arenas); see gcmark_bits
        self.gcbits = None
        self.mark_off = 0
        #: the span's id in the heap's SpanIndex (0: none)
        self.sid = 0
        #: number of allocated slots
        self.alloc_count = 0
        #: alloc_count when an mcache took the span (for stats at uncache)
        self.alloc_count_before_cache = 0
        #: see the class docstring
        self.sweepgen = 0
        self.state = SPAN_DEAD
        #: the span's free slots may hold old bytes and must be zeroed on allocation
        self.needzero = False
        #: the type of the object in a large scan span (Go: span.largeType)
        self.large_type = None
        #: address of the pointer bitmap for small scan spans (0 if none)
        self.heap_bits_addr = 0
        #: address of the Green Tea inline mark bits (0 if none)
        self.inline_marks_addr = 0
        #: a serial number, for stable output and debugging
        self.span_id = 0
        #: heap bits written so far: every slot below hb_upto has pattern hb_src
        #: (None: nothing written yet; -1: mixed, no shortcut)
        self.hb_src: int | None = None
        self.hb_upto = 0

    # -- geometry --------------------------------------------------------

    @property
    def base(self) -> int:
        return self.start_addr

    @property
    def end(self) -> int:
        return self.start_addr + (self.npages << 13)

    def object_index(self, addr: int) -> int:
        """Slot index of an address inside the span (Go: ``objIndex``, by div-magic)."""
        return ((addr - self.start_addr) * self.div_magic) >> 32 if self.div_magic else 0

    def slot_addr(self, index: int) -> int:
        return self.start_addr + index * self.elemsize

    # -- allocation bits --------------------------------------------------

    def is_allocated(self, index: int) -> bool:
        """Whether slot *index* holds an object (Go: ``isFree`` negated)."""
        return index < self.freeindex or bool((self.alloc_bits >> index) & 1)

    def refill_alloc_cache(self, which_byte: int) -> None:
        """Load allocCache with the complement of 64 alloc bits from byte *which_byte*.

        Go: ``mspan.refillAllocCache``.
        """
        self.alloc_cache = ~(self.alloc_bits >> (which_byte * 8)) & MASK64

    def next_free_index(self) -> int:
        """The next free slot at or after freeindex, or nelems (Go: ``nextFreeIndex``).

        Advances freeindex past the slot it returns and refills allocCache
        64 bits at a time as it goes.
        """
        sfreeindex = self.freeindex
        snelems = self.nelems
        if sfreeindex == snelems:
            return sfreeindex
        if sfreeindex > snelems:
            raise InvariantViolation("s.freeindex > s.nelems")
        a_cache = self.alloc_cache
        bit_index = ctz64(a_cache)
        while bit_index == 64:
            sfreeindex = (sfreeindex + 64) & ~63
            if sfreeindex >= snelems:
                self.freeindex = snelems
                return snelems
            self.refill_alloc_cache(sfreeindex // 8)
            a_cache = self.alloc_cache
            bit_index = ctz64(a_cache)
        result = sfreeindex + bit_index
        if result >= snelems:
            self.freeindex = snelems
            return snelems
        self.alloc_cache >>= bit_index + 1
        sfreeindex = result + 1
        if sfreeindex % 64 == 0 and sfreeindex != snelems:
            self.refill_alloc_cache(sfreeindex // 8)
        self.freeindex = sfreeindex
        return result

    @property
    def gcmark_bits(self) -> int:
        """The mark bits as an int, bit n = slot n marked in the current cycle."""
        if self.gcbits is None:
            return 0
        return self.gcbits.to_int(self.mark_off, self.nelems)

    @gcmark_bits.setter
    def gcmark_bits(self, bits: int) -> None:
        if self.gcbits is not None:
            self.gcbits.from_int(self.mark_off, self.nelems, bits)

    def is_marked(self, index: int) -> bool:
        return self.gcbits is not None and bool(self.gcbits.marks[self.mark_off + index])

    def set_marked(self, index: int) -> bool:
        """Set slot *index*'s mark bit; True if it was clear."""
        m = self.gcbits.marks
        i = self.mark_off + index
        if m[i]:
            return False
        m[i] = 1
        return True

    def count_alloc(self) -> int:
        """Number of marked slots (Go: ``countAlloc``)."""
        return 0 if self.gcbits is None else self.gcbits.count(self.mark_off, self.nelems)

    def allocated_indices(self) -> list[int]:
        """Indices of every allocated slot, in order."""
        fi = self.freeindex
        bits = self.alloc_bits | ((1 << fi) - 1)
        bits &= (1 << self.nelems) - 1
        out = []
        while bits:
            low = bits & -bits
            out.append(low.bit_length() - 1)
            bits ^= low
        return out

    def __repr__(self) -> str:
        return (
            f"<mspan {self.start_addr:#x} npages={self.npages} spc={self.spanclass} "
            f"elemsize={self.elemsize} alloc={self.alloc_count}/{self.nelems} "
            f"sweepgen={self.sweepgen} {STATE_NAMES.get(self.state, self.state)}>"
        )
