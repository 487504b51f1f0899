"""Size classes: how Go rounds a small allocation and carves spans into slots.

What a size class is
--------------------
Go does not keep a free list per byte count.  Every small object (at most
32 KiB) is rounded up to one of 67 *size classes* (8, 16, 24, 32, 48, ... ,
32768 bytes); class 0 is a sentinel meaning "large".  Each class also fixes a
span length in 8 KiB pages (``npages``), and a span of that class is cut into
equal slots of the class size.  Because all slots of a span have one size, the
allocator finds a free slot with a bitmap (no headers, no coalescing) and the
collector finds the start of the object holding any interior pointer with one
multiply (``off * divMagic >> 32``) instead of a division.  The page-to-span
table plus the span's size class is all the metadata an address needs.

Why 68
------
The table is not hand-written: ``runtime/_mkmalloc/mksizeclasses.go`` derives
it, and this module re-derives it the same way at import (see
:func:`_make_classes`).  Candidate sizes step by an alignment that grows with
the size (8 bytes; 16 from 32 B; size/8 from 128 B; 256 from 2 KiB).  For each
candidate the generator picks the fewest pages whose leftover after cutting is
at most 1/8 of the span.  A candidate that gives the same page count *and* the
same number of objects as the previous class is merged into it (only the
larger size survives).  Finally each class is widened to the largest
128-aligned size that still fits the same number of objects in the same pages
(e.g. 8448 B -> 9472 B, 6 objects in 7 pages).  What comes out is exactly 68
entries; the Go generator panics if that ever changes.

Tail waste vs max waste
-----------------------
Two kinds of waste are printed for each class.  *Tail waste* is the bytes left
over at the end of a span after cutting it into slots
(``span - size*objs``).  *Max waste* is the worst case over all request sizes
that land in the class: every slot holds a request one byte bigger than the
previous class, so ``(size - prev - 1) * objs + tail`` bytes of the span hold
nothing, printed as a percentage of the span.  The 1/8 rule bounds each kind
at 12.5 %, but tiny classes blow through it for alignment reasons (an 8-byte
class slot holding a 1-byte object wastes 87.5 %).

The two lookup tables
---------------------
``size -> class`` must be O(1) and branch-light.  Go keeps two byte tables
generated from the class list: ``SizeToSizeClass8`` indexed by
``ceil(size/8)`` for sizes up to 1016 B (129 entries) and
``SizeToSizeClass128`` indexed by ``ceil((size-1024)/128)`` for 1017..32768
(249 entries).  The 128-byte granularity of the second table is why the
widening step above keeps class sizes 128-aligned.

The malloc header
-----------------
Since Go 1.22 the GC finds the pointers of a small object in one of two ways.
Objects of at most 512 bytes (``MinSizeForMallocHeader``, 64 words, one
bitmap word) keep one bit per word in a bitmap at the end of their span:
``span_bytes/64`` bytes, 128 B for a one-page span.  Larger pointerful objects
get an 8-byte *malloc header* at the start of their slot that holds the
``*_type``; the request is grown by 8 bytes *before* the class lookup, so a
576-byte pointerful object needs 584 bytes and lands in the 640-byte class.
Objects of more than 32760 bytes (32768 minus the header) are large: they get
their own span and the type is kept in ``span.largeType``.  Noscan objects
never need either.

Green Tea's inline mark bits
----------------------------
Go 1.27 turns the GreenTeaGC experiment on by default.  Green Tea marks
small objects span by span, and for every span whose slots are 16..512 bytes
(one page each) it keeps 128 bytes of per-span state in the last 128 bytes of
the page: 63 bytes of "scanned" bits, an ownership byte, 63 bytes of mark
bits and the span class in the very last byte.  Those 128 bytes are taken out
of the slots, so such spans hold fewer objects than the generated table
says; scan spans lose another ``span/64`` bytes to the pointer bitmap, which
sits just below the inline mark bits::

    [slot 0][slot 1] ... [slot n-1][pad][ptr bitmap 128 B][inline marks 128 B]

:func:`nelems` gives the real per-span counts for both layouts.  The
``classic`` layout is the one of Go 1.22 and later built without Green Tea
(Go 1.27 with ``GOEXPERIMENT=nogreenteagc``; verified on the real toolchain):
no inline mark bits, but scan spans of at most 512-byte slots still give up
``span/64`` bytes to the pointer bitmap, so even there the scan counts differ
from the generated ``objects`` column (16-byte scan spans hold 504 objects,
not 512; 8-byte scan spans 1008 in both layouts).

Go files modeled
----------------
- ``runtime/_mkmalloc/mksizeclasses.go`` -- the generator (classes, waste
  columns, division magic, lookup tables).
- ``internal/runtime/gc/sizeclasses.go`` -- the generated tables and
  constants; ``internal/runtime/gc/malloc.go`` -- ``MallocHeaderSize``,
  ``MinSizeForMallocHeader``.
- ``runtime/malloc.go`` -- ``mallocgc`` and its paths (zero, tiny, small
  noscan, small scan without/with header, large).
- ``runtime/mheap.go`` -- ``spanClass``, ``initSpan`` (``nelems``).
- ``runtime/mbitmap.go`` -- ``heapBitsInSpan``, ``spanHeapBitsRange``.
- ``runtime/mgcmark_greenteagc.go`` -- ``spanInlineMarkBits``,
  ``gcUsesSpanInlineMarkBits``.
"""

from __future__ import annotations

from dataclasses import dataclass

from gomem.errors import BadInput

__all__ = [
    "PAGE_SHIFT", "PAGE_SIZE", "MAX_SMALL_SIZE", "NUM_SIZE_CLASSES", "SMALL_SIZE_DIV",
    "SMALL_SIZE_MAX", "LARGE_SIZE_DIV", "MAX_OBJS_PER_SPAN", "MAX_SIZE_CLASS_NPAGES",
    "TINY_SIZE", "TINY_SIZE_CLASS", "MALLOC_HEADER_SIZE", "MIN_SIZE_FOR_MALLOC_HEADER",
    "MAX_SMALL_NOHEADER_SIZE", "NUM_SPAN_CLASSES", "TINY_SPAN_CLASS", "INLINE_MARK_BYTES",
    "PTR_SIZE", "MIN_HEAP_ALIGN", "MAX_ALLOC",
    "CLASS_TO_SIZE", "CLASS_TO_NPAGES", "CLASS_TO_NOBJS", "CLASS_TO_DIVMAGIC",
    "CLASS_TAIL_WASTE", "CLASS_MAX_WASTE", "CLASS_MIN_ALIGN", "SIZE_TO_CLASS8",
    "SIZE_TO_CLASS128", "ALIGNMENT_TABLE", "LAYOUTS",
    "size_to_class", "make_span_class", "spanclass_sizeclass", "spanclass_noscan",
    "spanclass_name", "uses_inline_mark_bits", "heap_bits_in_span", "heap_bits_size",
    "nelems", "heap_bits_offset", "inline_marks_offset", "AllocPath", "alloc_path",
    "table_text", "alignment_text", "describe",
]

# --- constants (internal/runtime/gc/sizeclasses.go, gc/malloc.go, runtime/malloc.go) ---

PTR_SIZE = 8
PAGE_SHIFT = 13
PAGE_SIZE = 1 << PAGE_SHIFT
MAX_SMALL_SIZE = 32768
NUM_SIZE_CLASSES = 68
SMALL_SIZE_DIV = 8
SMALL_SIZE_MAX = 1024
LARGE_SIZE_DIV = 128
MAX_OBJS_PER_SPAN = 1024
MAX_SIZE_CLASS_NPAGES = 10
MIN_HEAP_ALIGN = 8
TINY_SIZE = 16
TINY_SIZE_CLASS = 2
MALLOC_HEADER_SIZE = 8
#: exclusive bound: scan objects of at most this many bytes keep their pointer
#: bits in the span (one bitmap word = 64 words = 512 bytes)
MIN_SIZE_FOR_MALLOC_HEADER = PTR_SIZE * 8 * PTR_SIZE
#: the largest request that is still small (a scan object needs room for its header)
MAX_SMALL_NOHEADER_SIZE = MAX_SMALL_SIZE - MALLOC_HEADER_SIZE
NUM_SPAN_CLASSES = NUM_SIZE_CLASSES << 1
TINY_SPAN_CLASS = TINY_SIZE_CLASS << 1 | 1
#: sizeof(spanInlineMarkBits): scans[63] + owned + marks[63] + class
INLINE_MARK_BYTES = 128
#: runtime.maxAlloc on 64-bit: 1 << heapAddrBits; makeslice rejects more
MAX_ALLOC = 1 << 48

LAYOUTS = ("greentea", "classic")


# --- the generator ---------------------------------------------------------------


def _is_pow2(x: int) -> bool:
    return x > 0 and x & (x - 1) == 0


def _make_classes() -> list[tuple[int, int]]:
    """Re-derive the (size, npages) list of mksizeclasses.go; entry 0 is (0, 0)."""
    classes: list[list[int]] = [[0, 0]]
    step = MIN_HEAP_ALIGN
    size = step
    while size <= MAX_SMALL_SIZE:
        # the alignment grows at each power of two
        if _is_pow2(size):
            if size >= 2048:
                step = 256
            elif size >= 128:
                step = size // 8
            elif size >= 32:
                step = 16
        # fewest pages whose leftover is at most 1/8 of the span
        span = PAGE_SIZE
        while span % size > span // 8:
            span += PAGE_SIZE
        npages = span // PAGE_SIZE
        last = classes[-1]
        if len(classes) > 1 and last[1] == npages and span // last[0] == span // size:
            last[0] = size  # same pages, same count: keep only the larger size
        else:
            classes.append([size, npages])
        size += step
    # widen each class to the largest 128-aligned size with the same object count
    for c in classes[1:]:
        span = c[1] * PAGE_SIZE
        wider = (span // (span // c[0])) & ~(LARGE_SIZE_DIV - 1)
        if wider > c[0]:
            c[0] = wider
    if len(classes) != NUM_SIZE_CLASSES:  # pragma: no cover - the generator's own check
        raise AssertionError(f"size class generator produced {len(classes)} classes, want 68")
    return [(s, n) for s, n in classes]


def _ctz(x: int) -> int:
    return (x & -x).bit_length() - 1


_CLASSES = _make_classes()

CLASS_TO_SIZE: tuple[int, ...] = tuple(s for s, _ in _CLASSES)
CLASS_TO_NPAGES: tuple[int, ...] = tuple(n for _, n in _CLASSES)
CLASS_TO_NOBJS: tuple[int, ...] = tuple(
    0 if s == 0 else n * PAGE_SIZE // s for s, n in _CLASSES
)
CLASS_TO_DIVMAGIC: tuple[int, ...] = tuple(
    0 if s == 0 else 0xFFFFFFFF // s + 1 for s, _ in _CLASSES
)
CLASS_TAIL_WASTE: tuple[int, ...] = tuple(
    0 if s == 0 else n * PAGE_SIZE - s * (n * PAGE_SIZE // s) for s, n in _CLASSES
)


def _max_waste_fractions() -> list[float]:
    out = [0.0]
    prev = 0
    for c in range(1, NUM_SIZE_CLASSES):
        size, span = CLASS_TO_SIZE[c], CLASS_TO_NPAGES[c] * PAGE_SIZE
        out.append(((size - prev - 1) * CLASS_TO_NOBJS[c] + CLASS_TAIL_WASTE[c]) / span)
        prev = size
    return out


_MAX_WASTE_RAW = _max_waste_fractions()
#: worst-case waste in percent, rounded as Go's ``%.2f`` prints it
CLASS_MAX_WASTE: tuple[float, ...] = tuple(float(f"{100 * w:.2f}") for w in _MAX_WASTE_RAW)
CLASS_MIN_ALIGN: tuple[int, ...] = tuple(
    0 if s == 0 else 1 << min(_ctz(s), PAGE_SHIFT) for s in CLASS_TO_SIZE
)


def _first_class_at_least(size: int) -> int:
    for c, s in enumerate(CLASS_TO_SIZE):
        if s >= size:
            return c
    raise AssertionError("unreachable")  # pragma: no cover


SIZE_TO_CLASS8: tuple[int, ...] = tuple(
    _first_class_at_least(i * SMALL_SIZE_DIV) for i in range(SMALL_SIZE_MAX // SMALL_SIZE_DIV + 1)
)
SIZE_TO_CLASS128: tuple[int, ...] = tuple(
    _first_class_at_least(SMALL_SIZE_MAX + i * LARGE_SIZE_DIV)
    for i in range((MAX_SMALL_SIZE - SMALL_SIZE_MAX) // LARGE_SIZE_DIV + 1)
)


def _alignment_table() -> tuple[tuple[int, int, int], ...]:
    """(alignment, bits, smallest class size guaranteed that alignment)."""
    first: list[int] = [0] * (PAGE_SHIFT + 1)
    for s in CLASS_TO_SIZE[1:]:
        b = min(_ctz(s), PAGE_SHIFT)
        for i in range(PAGE_SHIFT + 1):
            if i > b:
                first[i] = 0
            elif first[i] == 0:
                first[i] = s
    rows = []
    for b, s in enumerate(first):
        if s == 0:
            break
        if b + 1 < len(first) and first[b + 1] == s:
            continue
        rows.append((1 << b, b, s))
    return tuple(rows)


#: Go's "alignment  bits  min obj size" table: every object of at least
#: ``min obj size`` bytes is aligned to ``alignment``
ALIGNMENT_TABLE = _alignment_table()

# sanity: the constants Go derives from the table
assert max(CLASS_TO_NOBJS) == MAX_OBJS_PER_SPAN
assert max(CLASS_TO_NPAGES) == MAX_SIZE_CLASS_NPAGES
assert SIZE_TO_CLASS8[TINY_SIZE // SMALL_SIZE_DIV] == TINY_SIZE_CLASS


# --- lookups -------------------------------------------------------------------


def size_to_class(size: int) -> int:
    """The size class of a small request, by Go's two-table lookup (malloc.go).

    ``size <= 1016`` uses ``SIZE_TO_CLASS8[ceil(size/8)]``, larger sizes up to
    32768 use ``SIZE_TO_CLASS128[ceil((size-1024)/128)]``.
    """
    if type(size) is not int or not 0 < size <= MAX_SMALL_SIZE:
        raise BadInput(f"size_to_class: size {size!r} is not a small size (1..{MAX_SMALL_SIZE})")
    if size <= SMALL_SIZE_MAX - 8:
        return SIZE_TO_CLASS8[(size + SMALL_SIZE_DIV - 1) // SMALL_SIZE_DIV]
    return SIZE_TO_CLASS128[(size - SMALL_SIZE_MAX + LARGE_SIZE_DIV - 1) // LARGE_SIZE_DIV]


def make_span_class(sizeclass: int, noscan: bool) -> int:
    """``spanClass = sizeclass<<1 | noscan`` (mheap.go makeSpanClass)."""
    if type(sizeclass) is not int or not 0 <= sizeclass < NUM_SIZE_CLASSES:
        raise BadInput(f"bad size class {sizeclass!r} (want 0..{NUM_SIZE_CLASSES - 1})")
    return sizeclass << 1 | (1 if noscan else 0)


def _check_spc(spc: int) -> None:
    if type(spc) is not int or not 0 <= spc < NUM_SPAN_CLASSES:
        raise BadInput(f"bad span class {spc!r} (want 0..{NUM_SPAN_CLASSES - 1})")


def spanclass_sizeclass(spc: int) -> int:
    _check_spc(spc)
    return spc >> 1


def spanclass_noscan(spc: int) -> bool:
    _check_spc(spc)
    return bool(spc & 1)


def spanclass_name(spc: int) -> str:
    """``"5 (class 2, noscan)"``; class 0 is shown as ``class 0 = large``."""
    _check_spc(spc)
    sc = spc >> 1
    cls = "class 0 = large" if sc == 0 else f"class {sc}"
    return f"{spc} ({cls}, {'noscan' if spc & 1 else 'scan'})"


def _check_layout(layout: str) -> None:
    if layout not in LAYOUTS:
        raise BadInput(f"unknown span layout {layout!r} (want one of: {', '.join(LAYOUTS)})")


def heap_bits_in_span(elemsize: int) -> bool:
    """mbitmap.go heapBitsInSpan: scan objects of at most 512 bytes keep their
    pointer bitmap at the end of the span instead of in a malloc header.
    (Meaningful only for scan spans; Go asks it of request sizes too, which
    works because 512 is a class boundary.)"""
    return 0 < elemsize <= MIN_SIZE_FOR_MALLOC_HEADER


def uses_inline_mark_bits(elemsize: int, layout: str = "greentea") -> bool:
    """gcUsesSpanInlineMarkBits: Green Tea keeps 128 B of mark/scan state at
    the end of every span of 16..512-byte slots, scan or noscan."""
    _check_layout(layout)
    return layout == "greentea" and TINY_SIZE <= elemsize <= MIN_SIZE_FOR_MALLOC_HEADER


def heap_bits_size(npages: int) -> int:
    """Bytes of pointer bitmap for a span of ``npages`` pages: one bit per word."""
    return npages * PAGE_SIZE // PTR_SIZE // 8


def _nelems(sizeclass: int, noscan: bool, layout: str) -> int:
    if sizeclass == 0:
        return 1
    size = CLASS_TO_SIZE[sizeclass]
    span = CLASS_TO_NPAGES[sizeclass] * PAGE_SIZE
    reserve = 0
    if layout == "greentea" and TINY_SIZE <= size <= MIN_SIZE_FOR_MALLOC_HEADER:
        reserve += INLINE_MARK_BYTES
    if not noscan and size <= MIN_SIZE_FOR_MALLOC_HEADER:
        reserve += heap_bits_size(CLASS_TO_NPAGES[sizeclass])
    return (span - reserve) // size


_NELEMS = {
    (layout, c, bool(ns)): _nelems(c, bool(ns), layout)
    for layout in LAYOUTS for c in range(NUM_SIZE_CLASSES) for ns in (False, True)
}


def nelems(sizeclass: int, noscan: bool, layout: str = "greentea") -> int:
    """Objects per span as mheap.go initSpan computes ``s.nelems``.

    ``greentea``: ``(span - reserve) // size`` with 128 B of inline mark bits
    for 16..512-byte classes plus ``span/64`` bytes of pointer bitmap for
    scan classes of at most 512 bytes.  ``classic`` (nogreenteagc): only the
    pointer-bitmap reserve.  Class 0 (large) spans hold one object.
    """
    _check_layout(layout)
    if type(sizeclass) is not int or not 0 <= sizeclass < NUM_SIZE_CLASSES:
        raise BadInput(f"bad size class {sizeclass!r} (want 0..{NUM_SIZE_CLASSES - 1})")
    return _NELEMS[(layout, sizeclass, bool(noscan))]


def heap_bits_offset(npages: int, noscan: bool, elemsize: int, layout: str = "greentea") -> int | None:
    """Offset from the span base of the span's pointer bitmap, or None.

    Only scan spans with slots of at most 512 bytes have one
    (mbitmap.go spanHeapBitsRange): ``span/64`` bytes at the end of the span,
    moved down by the 128 B of inline mark bits where Green Tea keeps them.
    """
    _check_layout(layout)
    if noscan or not heap_bits_in_span(elemsize):
        return None
    span = npages * PAGE_SIZE
    off = span - heap_bits_size(npages)
    if uses_inline_mark_bits(elemsize, layout):
        off -= INLINE_MARK_BYTES
    return off


def inline_marks_offset(npages: int, elemsize: int, layout: str = "greentea") -> int | None:
    """Offset from the span base of Green Tea's 128 B spanInlineMarkBits, or None.

    They are the last 128 bytes of the span's first page
    (spanInlineMarkBitsFromBase); such spans are always one page long.  The
    final byte holds the span class.
    """
    if not uses_inline_mark_bits(elemsize, layout):
        return None
    return PAGE_SIZE - INLINE_MARK_BYTES


# --- mallocgc's choice of path ------------------------------------------------------

_PATHS = ("zero", "tiny", "small", "small-header", "large")


@dataclass(frozen=True, slots=True)
class AllocPath:
    """What ``mallocgc(size, typ)`` does with one request.

    ``elemsize`` is the slot charged: the class size (including the 8 B header
    on the ``small-header`` path), the 16 B tiny block for ``tiny``, or
    ``npages*8192`` for ``large``.  ``zero`` allocates nothing (all zeros).
    """

    size: int
    noscan: bool
    path: str
    sizeclass: int
    spanclass: int
    elemsize: int
    npages: int
    nelems: int
    header: bool


_PATH_CACHE: dict[tuple[int, bool, str], AllocPath] = {}


def alloc_path(size: int, noscan: bool, layout: str = "greentea") -> AllocPath:
    """Which allocation path mallocgc (malloc.go) takes for ``size`` bytes.

    - ``0`` -> ``zero`` (``&zerobase``; nothing allocated).
    - noscan and ``size < 16`` -> ``tiny`` (16 B blocks of span class 5).
    - ``size <= 32760``: noscan -> ``small``; scan ``<= 512`` -> ``small``
      (pointer bitmap in the span); scan ``> 512`` -> ``small-header``: 8 B
      are added *before* the class lookup.
    - ``size > 32760`` (noscan 32761..32768 too) -> ``large``: its own span
      of ``ceil(size/8192)`` pages, span class 0.

    Errors (:class:`gomem.errors.BadInput`): a negative size gets Go's
    ``makeslice: len out of range`` (the only way Go code can ask for a
    negative size), and so does a size above ``maxAlloc`` = 2**48, which
    makeslice rejects before mallocgc is reached; the message also says the
    block could never be allocated.
    """
    if type(size) is int:
        p = _PATH_CACHE.get((size, noscan, layout))
        if p is not None:
            return p
    p = _alloc_path(size, bool(noscan), layout)
    if p.size <= MAX_SMALL_SIZE:
        _PATH_CACHE[(p.size, p.noscan, layout)] = p
    return p


def _alloc_path(size: int, noscan: bool, layout: str) -> AllocPath:
    _check_layout(layout)
    if type(size) is not int:
        if isinstance(size, int):  # bool and int subclasses
            size = int(size)
        else:
            raise BadInput(f"allocation size must be an integer, not {type(size).__name__}")
    if size < 0:
        raise BadInput(f"makeslice: len out of range (negative allocation size {size})")
    if size > MAX_ALLOC:
        raise BadInput(
            f"makeslice: len out of range (runtime: out of memory: cannot allocate {size}-byte "
            f"block; the largest possible is maxAlloc = {MAX_ALLOC})"
        )
    if size == 0:
        return AllocPath(0, noscan, "zero", 0, 0, 0, 0, 0, False)
    if size <= MAX_SMALL_NOHEADER_SIZE:
        header = False
        if noscan:
            if size < TINY_SIZE:
                return AllocPath(size, True, "tiny", TINY_SIZE_CLASS, TINY_SPAN_CLASS, TINY_SIZE, 1,
                                 _NELEMS[(layout, TINY_SIZE_CLASS, True)], False)
            path, need = "small", size
        elif size <= MIN_SIZE_FOR_MALLOC_HEADER:
            path, need = "small", size
        else:
            path, need, header = "small-header", size + MALLOC_HEADER_SIZE, True
        c = size_to_class(need)
        return AllocPath(size, noscan, path, c, c << 1 | noscan, CLASS_TO_SIZE[c],
                         CLASS_TO_NPAGES[c], _NELEMS[(layout, c, noscan)], header)
    npages = (size + PAGE_SIZE - 1) >> PAGE_SHIFT
    return AllocPath(size, noscan, "large", 0, int(noscan), npages * PAGE_SIZE, npages, 1, False)


# --- text -----------------------------------------------------------------------


def table_text(layout: str = "greentea", with_gt: bool = False) -> str:
    """The size-class table as the header comment of Go's sizeclasses.go
    prints it (without the ``// `` prefix), one line per class, each line
    ending in a newline.

    With ``with_gt=True`` two columns are appended with the real objects per
    span for noscan and scan spans in ``layout`` (headed ``gt noscan`` /
    ``gt scan`` for Green Tea, ``classic noscan`` / ``classic scan``
    otherwise).
    """
    _check_layout(layout)
    tag = "gt" if layout == "greentea" else layout
    extra_h = [f"{tag} noscan", f"{tag} scan"]
    head = (f"{'class':<5}  {'bytes/obj':<9}  {'bytes/span':<10}  {'objects':<7}  "
            f"{'tail waste':<10}  {'max waste':<9}  {'min align':<9}")
    if with_gt:
        head = (head + "".join(f"  {h:<{max(len(h), 9)}}" for h in extra_h)).rstrip()
    lines = [head]
    for c in range(1, NUM_SIZE_CLASSES):
        row = (f"{c:5d}  {CLASS_TO_SIZE[c]:9d}  {CLASS_TO_NPAGES[c] * PAGE_SIZE:10d}  "
               f"{CLASS_TO_NOBJS[c]:7d}  {CLASS_TAIL_WASTE[c]:10d}  "
               f"{100 * _MAX_WASTE_RAW[c]:8.2f}%  {CLASS_MIN_ALIGN[c]:9d}")
        if with_gt:
            vals = (_NELEMS[(layout, c, True)], _NELEMS[(layout, c, False)])
            row += "".join(f"  {v:{max(len(h), 9)}d}" for h, v in zip(extra_h, vals))
        lines.append(row)
    return "\n".join(lines) + "\n"


def alignment_text() -> str:
    """The second table of sizeclasses.go's header (``alignment  bits  min obj size``)."""
    lines = [f"{'alignment':<9}  {'bits':<4}  {'min obj size':<12}"]
    lines += [f"{a:9d}  {b:4d}  {s:12d}" for a, b, s in ALIGNMENT_TABLE]
    return "\n".join(lines) + "\n"


_PATH_WORDS = {
    "zero": "zero-sized: returns &zerobase, nothing is allocated",
    "tiny": "tiny allocator: packed into a 16-byte noscan block (mallocgcTiny)",
    "small": "small object (mallocgcSmall{Noscan,ScanNoHeader})",
    "small-header": "small object with an 8-byte malloc header (mallocgcSmallScanHeader)",
    "large": "large object: a span of its own (mallocgcLarge)",
}


def describe(size: int, noscan: bool, layout: str = "greentea") -> str:
    """Human-readable account of one allocation, for ``gomem sizeclass``."""
    p = alloc_path(size, noscan, layout)
    kind = "noscan (no pointers)" if p.noscan else "scan (has pointers)"
    out = [f"request:      {size} bytes, {kind}", f"path:         {p.path} - {_PATH_WORDS[p.path]}"]
    if p.path == "zero":
        return "\n".join(out) + "\n"
    if p.path == "large":
        out.append("size class:   0 (large)")
    else:
        out.append(f"size class:   {p.sizeclass} ({CLASS_TO_SIZE[p.sizeclass]}-byte objects)")
    out.append(f"span class:   {spanclass_name(p.spanclass)}")
    if p.path == "tiny":
        out.append(f"charged:      {p.elemsize} bytes per tiny block, shared by objects packed into it")
        out.append(f"waste:        up to {p.elemsize - size} bytes if nothing else shares the block")
    else:
        hdr = f" (incl. {MALLOC_HEADER_SIZE}-byte malloc header)" if p.header else ""
        waste = p.elemsize - size
        out.append(f"elemsize:     {p.elemsize} bytes{hdr}")
        out.append(f"waste:        {waste} bytes ({100 * waste / p.elemsize:.2f}% of the slot)")
    out.append(f"span:         {p.npages} page(s) = {p.npages * PAGE_SIZE} bytes")
    if p.path == "large":
        out.append("objects/span: 1")
    else:
        counts = ", ".join(
            f"{_NELEMS[(lay, p.sizeclass, p.noscan)]} ({lay})" for lay in LAYOUTS
        )
        out.append(f"objects/span: {counts}; generated table: {CLASS_TO_NOBJS[p.sizeclass]}")
    if p.noscan:
        meta = "none (noscan: the GC never scans it)"
    elif p.path == "small":
        off = heap_bits_offset(p.npages, False, p.elemsize, layout)
        meta = (f"bitmap in the span ({heap_bits_size(p.npages)} bytes at span offset {off}, "
                f"{layout} layout)")
    elif p.header:
        meta = "malloc header (*_type in the first 8 bytes of the slot; the object starts at +8)"
    else:
        meta = "span.largeType (the span records the object's type)"
    out.append(f"pointer bits: {meta}")
    im = inline_marks_offset(p.npages, p.elemsize, layout) if p.path != "large" else None
    if im is not None:
        out.append(f"mark bits:    Green Tea inline mark bits, {INLINE_MARK_BYTES} bytes at span offset {im}")
    return "\n".join(out) + "\n"
