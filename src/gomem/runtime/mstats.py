"""Memory statistics: the runtime's counters and ``runtime.MemStats``.

Models ``runtime/mstats.go``: the consistent heap statistics
(``heapStatsDelta``: ``smallAllocCount``, ``smallFreeCount``, ``largeAlloc``,
``tinyAllocCount`` …), the controller's ``heapInUse``/``heapFree``/
``heapReleased``/``heapLive``, and ``readmemstats_m``, which flushes every
mcache and derives the public fields from them:

* ``TotalAlloc`` = Σ smallAllocCount[c]·size(c) + largeAlloc; ``Alloc`` =
  ``HeapAlloc`` = TotalAlloc − TotalFree.  Small allocations are counted
  when an mcache gives its span back (``refill``/``releaseAll``), which is
  why reading the stats flushes the caches.
* ``Mallocs``/``Frees`` count objects; every tiny allocation is added to
  *both* (Go does not track tiny objects' lifetimes), so ``HeapObjects`` =
  Mallocs − Frees counts 16-byte tiny blocks, not tiny objects.
* ``HeapSys`` = heapInUse + heapFree + heapReleased; ``HeapIdle`` =
  heapFree + heapReleased; ``HeapInuse`` = bytes in in-use spans.
* ``BySize`` reports size classes 0..60 (Go's 61-entry array); larger
  classes are counted in the totals only.
* ``StackInuse`` = bytes of stack spans in use (``inStacks``: the 32 KiB
  pool spans with at least one stack in them, and large stacks' own
  spans); ``StackSys`` = StackInuse + ``stacks_sys`` (memory mapped directly
  for OS thread stacks: none on linux/amd64 without cgo, so the two are
  equal, as in Go).  The stacks counted are those the model has: the main
  goroutine's (kept after ``main`` returns, since Go's ``runtime.main``
  calls ``exit(0)`` and never frees it) and those of the goroutines the
  program starts while they run.  The runtime's own stacks are *not*
  modelled and not counted: each M's g0 and signal stacks, and the
  goroutines Go starts at init (``bgsweep``, ``bgscavenge``,
  ``forcegchelper``, ``runfinq``) or for the GC (``gcBgMarkWorker``), which
  the model runs without goroutines.  Real Go 1.27.3 (linux/amd64,
  GOMAXPROCS=1) reports 224–256 KiB for an empty program and 192 KiB at
  the end of churn, lru, binary-trees and the corpus's bst.go; gomem
  reports 32 KiB for them (main's 2 KiB stack in one pool span).  Nor are
  Go's per-P stack caches, the dead goroutines' 2 KiB stacks Go keeps for
  reuse (``gfput``) or stack shrinking modelled (see :mod:`gomem.runtime.stack`).

:meth:`MemStats.format` is the short ``Name: value`` text ``gomem run``
prints; :meth:`MemStats.format_go` is what ``fmt.Printf("%+v", m)`` of a
``runtime.MemStats`` prints: every field in Go's order, ``PauseNs`` and
``PauseEnd`` as the 256-entry rings and ``BySize`` as its 61 entries.

Off-heap metadata (span structs, mcaches, GC bitmaps) is modelled by
counting what Go would allocate for it; see :func:`metadata_bytes`.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields

from ..errors import InvariantViolation
from .sizeclasses import CLASS_TO_SIZE, NUM_SIZE_CLASSES

#: Go's MemStats.BySize has 61 entries (classes 0..60)
BY_SIZE_CLASSES = 61
#: Go's MemStats.PauseNs and PauseEnd are circular buffers of this many entries
PAUSE_RING = 256
#: unsafe.Sizeof(mspan{}) on linux/amd64, Go 1.27 (fixalloc'd off-heap)
MSPAN_STRUCT_BYTES = 160
#: unsafe.Sizeof(mcache{}) on linux/amd64 (136 span pointers + fields)
MCACHE_STRUCT_BYTES = 1200
#: fixalloc grabs persistent memory this many bytes at a time
FIXALLOC_CHUNK = 16 << 10


class HeapStats:
    """The runtime's allocation counters (Go: ``heapStatsDelta`` + ``gcController``).

    Every counter is written only by the allocator and sweeper code paths
    that Go updates it in; MemStats are derived, never stored.
    """

    __slots__ = (
        "small_alloc_count",
        "small_free_count",
        "large_alloc",
        "large_alloc_count",
        "large_free",
        "large_free_count",
        "tiny_alloc_count",
        "total_alloc",
        "total_free",
        "heap_in_use",
        "heap_free",
        "heap_released",
        "heap_live",
        "heap_scan",
        "in_stacks",
        "stacks_sys",
        "spans_in_use",
        "spans_sys",
    )

    def __init__(self) -> None:
        #: per size class: objects allocated, counted when a cached span is released
        self.small_alloc_count = [0] * NUM_SIZE_CLASSES
        #: per size class: objects freed by the sweeper
        self.small_free_count = [0] * NUM_SIZE_CLASSES
        #: bytes and count of large objects allocated / freed
        self.large_alloc = 0
        self.large_alloc_count = 0
        self.large_free = 0
        self.large_free_count = 0
        #: tiny allocations (sub-16-byte objects packed into blocks)
        self.tiny_alloc_count = 0
        #: inconsistent running totals kept beside the consistent ones (Go: gcController.totalAlloc/totalFree)
        self.total_alloc = 0
        self.total_free = 0
        #: bytes in in-use heap spans
        self.heap_in_use = 0
        #: bytes of free pages still backed by memory
        self.heap_free = 0
        #: bytes of free pages returned to the OS
        self.heap_released = 0
        #: bytes the GC treats as live: marked at the last cycle + allocated since (an overestimate while spans are cached)
        self.heap_live = 0
        #: scannable bytes of heap_live
        self.heap_scan = 0
        #: bytes of stack spans in use, and of all stack memory obtained
        self.in_stacks = 0
        self.stacks_sys = 0
        #: span structs in use, and fixalloc memory obtained for them
        self.spans_in_use = 0
        self.spans_sys = 0

    def span_struct_alloc(self) -> None:
        """Count one mspan struct taken from fixalloc."""
        self.spans_in_use += 1
        need = self.spans_in_use * MSPAN_STRUCT_BYTES
        while self.spans_sys < need:
            self.spans_sys += FIXALLOC_CHUNK

    def span_struct_free(self) -> None:
        self.spans_in_use -= 1


@dataclass
class SizeClassStats:
    """One entry of MemStats.BySize."""

    Size: int
    Mallocs: int
    Frees: int


@dataclass
class MemStats:
    """``runtime.MemStats`` with Go's field names (``runtime/mstats.go``)."""

    Alloc: int = 0
    TotalAlloc: int = 0
    Sys: int = 0
    Lookups: int = 0
    Mallocs: int = 0
    Frees: int = 0
    HeapAlloc: int = 0
    HeapSys: int = 0
    HeapIdle: int = 0
    HeapInuse: int = 0
    HeapReleased: int = 0
    HeapObjects: int = 0
    StackInuse: int = 0
    StackSys: int = 0
    MSpanInuse: int = 0
    MSpanSys: int = 0
    MCacheInuse: int = 0
    MCacheSys: int = 0
    BuckHashSys: int = 0
    GCSys: int = 0
    OtherSys: int = 0
    NextGC: int = 0
    LastGC: int = 0
    PauseTotalNs: int = 0
    PauseNs: list[int] = field(default_factory=lambda: [0] * PAUSE_RING)
    PauseEnd: list[int] = field(default_factory=lambda: [0] * PAUSE_RING)
    NumGC: int = 0
    NumForcedGC: int = 0
    GCCPUFraction: float = 0.0
    EnableGC: bool = True
    DebugGC: bool = False
    BySize: list[SizeClassStats] = field(default_factory=list)

    #: the scalar fields in Go's declaration order (for printing)
    @classmethod
    def scalar_fields(cls) -> list[str]:
        return [f.name for f in fields(cls) if f.name not in ("PauseNs", "PauseEnd", "BySize")]

    def as_dict(self) -> dict:
        d = {name: getattr(self, name) for name in self.scalar_fields()}
        d["BySize"] = [vars(b) for b in self.BySize]
        return d

    def format(self) -> str:
        """One ``Name: value`` line per scalar field, in Go's order."""
        width = max(len(n) for n in self.scalar_fields())
        lines = []
        for name in self.scalar_fields():
            v = getattr(self, name)
            if isinstance(v, float):
                v = f"{v:.4f}"
            lines.append(f"{name + ':':<{width + 1}} {v}")
        return "\n".join(lines)

    def format_go(self) -> str:
        """``fmt.Sprintf("%+v", m)`` of a ``runtime.MemStats``: one line, ``{Alloc:N TotalAlloc:N …}``.

        Every field in Go's declaration order, as ``%+v`` prints a struct:
        integers in decimal, ``GCCPUFraction`` as ``%v`` prints a float64
        (``strconv.FormatFloat(f, 'g', -1, 64)``: ``0``, ``0.0123``,
        ``1e-05``), booleans as ``true``/``false``, the ``[256]uint64``
        rings ``PauseNs``/``PauseEnd`` as ``[a b …]`` and ``BySize`` as its
        61 ``{Size:N Mallocs:N Frees:N}`` entries (a MemStats made without
        BySize has Go's zero array: the class sizes, no counts).
        """
        from ..std.strconv import format_float_str

        parts = []
        for f in fields(self):
            v = getattr(self, f.name)
            if f.name in ("PauseNs", "PauseEnd"):
                if len(v) != PAUSE_RING:
                    raise InvariantViolation(f"MemStats.{f.name} has {len(v)} entries, Go's ring {PAUSE_RING}")
                text = "[" + " ".join(str(int(x)) for x in v) + "]"
            elif f.name == "BySize":
                by = list(v) or [SizeClassStats(CLASS_TO_SIZE[c], 0, 0) for c in range(BY_SIZE_CLASSES)]
                if len(by) != BY_SIZE_CLASSES:
                    raise InvariantViolation(f"MemStats.BySize has {len(by)} entries, Go's {BY_SIZE_CLASSES}")
                text = "[" + " ".join(f"{{Size:{b.Size} Mallocs:{b.Mallocs} Frees:{b.Frees}}}" for b in by) + "]"
            elif isinstance(v, bool):
                text = "true" if v else "false"
            elif isinstance(v, float):
                text = format_float_str(v, "g", -1, 64)
            else:
                text = str(int(v))
            parts.append(f"{f.name}:{text}")
        return "{" + " ".join(parts) + "}"


def compute_memstats(s: HeapStats, *, ncaches: int, gc_sys: int, other_sys: int, next_gc: int) -> MemStats:
    """Derive MemStats from the counters, as ``readmemstats_m`` does.

    The caller must have flushed every mcache first.
    """
    total_alloc = s.large_alloc
    n_malloc = s.large_alloc_count
    total_free = s.large_free
    n_free = s.large_free_count
    by_size = []
    for c in range(NUM_SIZE_CLASSES):
        a = s.small_alloc_count[c]
        f = s.small_free_count[c]
        total_alloc += a * CLASS_TO_SIZE[c]
        total_free += f * CLASS_TO_SIZE[c]
        n_malloc += a
        n_free += f
        if c < BY_SIZE_CLASSES:
            by_size.append(SizeClassStats(CLASS_TO_SIZE[c], a, f))
    n_free += s.tiny_alloc_count
    n_malloc += s.tiny_alloc_count

    mcache_inuse = ncaches * MCACHE_STRUCT_BYTES
    mcache_sys = -(-mcache_inuse // FIXALLOC_CHUNK) * FIXALLOC_CHUNK if mcache_inuse else 0
    heap_sys = s.heap_in_use + s.heap_free + s.heap_released
    sys = heap_sys + s.stacks_sys + s.spans_sys + mcache_sys + gc_sys + other_sys + s.in_stacks
    return MemStats(
        Alloc=total_alloc - total_free,
        TotalAlloc=total_alloc,
        Sys=sys,
        Mallocs=n_malloc,
        Frees=n_free,
        HeapAlloc=total_alloc - total_free,
        HeapSys=heap_sys,
        HeapIdle=s.heap_free + s.heap_released,
        HeapInuse=s.heap_in_use,
        HeapReleased=s.heap_released,
        HeapObjects=n_malloc - n_free,
        StackInuse=s.in_stacks,
        StackSys=s.in_stacks + s.stacks_sys,
        MSpanInuse=s.spans_in_use * MSPAN_STRUCT_BYTES,
        MSpanSys=s.spans_sys,
        MCacheInuse=mcache_inuse,
        MCacheSys=mcache_sys,
        GCSys=gc_sys,
        OtherSys=other_sys,
        NextGC=next_gc,
        BySize=by_size,
    )
