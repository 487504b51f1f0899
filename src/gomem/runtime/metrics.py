"""runtime/metrics: Go 1.27's named metrics, computed from the model's counters.

Models ``runtime/metrics.go`` (the table of ``compute`` functions and the
stat aggregates they read) and ``runtime/histogram.go`` (the time
histogram).  :func:`read` takes every metric the model can know from one
consistent view of the runtime, the way ``metrics.Read`` does:

* heap aggregate (``heapStatsAggregate.compute``): allocated/freed objects
  and bytes summed over the size classes plus the large objects.  Tiny
  allocations are *not* in ``/gc/heap/allocs:objects`` (Go counts them only
  in ``/gc/heap/tiny/allocs:objects``, and in MemStats.Mallocs/Frees), so
  ``allocs:objects`` = Mallocs − tiny, while ``/gc/heap/objects:objects`` =
  HeapObjects.  The per-size histograms count *objects* per size class
  (bucket ``[size(c-1)+1, size(c)+1)``; the last bucket, up to +Inf, holds
  the large objects), as Go's ``sizeClassBuckets``.
* sys aggregate: heap goal, cycles done and forced, mspan/mcache structs.
* memory classes: the parts of MemStats.Sys, so that their sum is
  ``/memory/classes/total:bytes`` = Sys.
* cpu aggregate (``work.cpuStats``): Go updates it only at mark termination
  (``metrics.go`` leaves the read-time update out, see its TODO), so the GC
  classes cover completed cycles and ``/cpu/classes/total`` is
  GOMAXPROCS × the last cycle's end, in model time.
* pause histograms (``sched.stwTotalTimeGC``): one sample per stop-the-world
  of a GC, in Go's time-histogram buckets.  Where a mode records two phases
  of one stop (``stw``: sweep termination then mark, back to back) they are
  one sample, as Go's stopTheWorld/startTheWorld pair is.

``/gc/stack/starting-size:bytes`` is the model's: every goroutine starts
with ``STACK_MIN`` (2 KiB).  Go 1.27 defaults to ``adaptivestackstart=1``,
which at each mark termination sets the starting size to the average stack
scanned plus the guard, rounded up to a power of two (``stack.go``
``gcComputeStartingStackSize``); the model does not size stacks that way,
so a real program can report 4096 where gomem reports 2048.

Absent (the model cannot know them, so they are left out rather than
reported as 0):

* ``/cpu/classes/idle``, ``/cpu/classes/user``, ``/cpu/classes/scavenge/*``:
  the model keeps running totals of idle-P and scavenger time but no
  snapshot at mark termination, which Go's values are; ``user`` is derived
  from the others.
* ``/sched/pauses/stopping/gc`` and ``/sched/pauses/*/other``: the model's
  stop-the-world has no recorded stopping latency, and only GC stops.
* ``/memory/classes/profiling/buckets`` and ``/memory/classes/other``: no
  memory-profile buckets nor the runtime's other off-heap allocations are
  modelled (MemStats BuckHashSys/OtherSys are 0 for the same reason; the
  classes present still add up to the total, Sys).
* ``/sched/latencies``, ``/sched/threads/total``, the goroutine state
  breakdown and ``goroutines-created``, ``/sync/mutex/wait/total``,
  ``/cgo/go-to-c-calls``, finalizer and cleanup counts, ``/godebug/*``:
  no M's, run-queue latency histogram, cgo, finalizers or GODEBUG
  settings are modelled.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..errors import InvariantViolation
from .mstats import MCACHE_STRUCT_BYTES, MSPAN_STRUCT_BYTES, FIXALLOC_CHUNK
from .sizeclasses import CLASS_TO_SIZE, NUM_SIZE_CLASSES
from .stack import STACK_MIN

KIND_UINT64 = "uint64"
KIND_FLOAT64 = "float64"
KIND_FLOAT64_HISTOGRAM = "float64-histogram"

#: runtime/histogram.go: buckets are powers of two split in 2**SUB_BUCKET_BITS sub-buckets
TIME_HIST_MIN_BUCKET_BITS = 9
TIME_HIST_MAX_BUCKET_BITS = 48
TIME_HIST_SUB_BUCKET_BITS = 2
TIME_HIST_NUM_SUB_BUCKETS = 1 << TIME_HIST_SUB_BUCKET_BITS
TIME_HIST_NUM_BUCKETS = TIME_HIST_MAX_BUCKET_BITS - TIME_HIST_MIN_BUCKET_BITS + 1
#: with an underflow and an overflow bucket
TIME_HIST_TOTAL_BUCKETS = TIME_HIST_NUM_BUCKETS * TIME_HIST_NUM_SUB_BUCKETS + 2

_U64 = 1 << 64


@dataclass(frozen=True)
class Description:
    """One entry of ``metrics.All()`` (Go: ``metrics.Description``, without the prose)."""

    name: str
    kind: str
    cumulative: bool


def _d(name: str, kind: str = KIND_UINT64, cumulative: bool = False) -> Description:
    return Description(name, kind, cumulative)


#: the metrics the model emits, sorted by name as metrics.All() is
DESCRIPTIONS: tuple[Description, ...] = tuple(sorted((
    _d("/cpu/classes/gc/mark/assist:cpu-seconds", KIND_FLOAT64, True),
    _d("/cpu/classes/gc/mark/dedicated:cpu-seconds", KIND_FLOAT64, True),
    _d("/cpu/classes/gc/mark/idle:cpu-seconds", KIND_FLOAT64, True),
    _d("/cpu/classes/gc/pause:cpu-seconds", KIND_FLOAT64, True),
    _d("/cpu/classes/gc/total:cpu-seconds", KIND_FLOAT64, True),
    _d("/cpu/classes/total:cpu-seconds", KIND_FLOAT64, True),
    _d("/gc/cycles/automatic:gc-cycles", cumulative=True),
    _d("/gc/cycles/forced:gc-cycles", cumulative=True),
    _d("/gc/cycles/total:gc-cycles", cumulative=True),
    _d("/gc/gogc:percent"),
    _d("/gc/gomemlimit:bytes"),
    _d("/gc/heap/allocs-by-size:bytes", KIND_FLOAT64_HISTOGRAM, True),
    _d("/gc/heap/allocs:bytes", cumulative=True),
    _d("/gc/heap/allocs:objects", cumulative=True),
    _d("/gc/heap/frees-by-size:bytes", KIND_FLOAT64_HISTOGRAM, True),
    _d("/gc/heap/frees:bytes", cumulative=True),
    _d("/gc/heap/frees:objects", cumulative=True),
    _d("/gc/heap/goal:bytes"),
    _d("/gc/heap/live:bytes"),
    _d("/gc/heap/objects:objects"),
    _d("/gc/heap/tiny/allocs:objects", cumulative=True),
    _d("/gc/limiter/last-enabled:gc-cycle"),
    _d("/gc/pauses:seconds", KIND_FLOAT64_HISTOGRAM, True),
    _d("/gc/scan/globals:bytes"),
    _d("/gc/scan/heap:bytes"),
    _d("/gc/scan/stack:bytes"),
    _d("/gc/scan/total:bytes"),
    _d("/gc/stack/starting-size:bytes"),
    _d("/memory/classes/heap/free:bytes"),
    _d("/memory/classes/heap/objects:bytes"),
    _d("/memory/classes/heap/released:bytes"),
    _d("/memory/classes/heap/stacks:bytes"),
    _d("/memory/classes/heap/unused:bytes"),
    _d("/memory/classes/metadata/mcache/free:bytes"),
    _d("/memory/classes/metadata/mcache/inuse:bytes"),
    _d("/memory/classes/metadata/mspan/free:bytes"),
    _d("/memory/classes/metadata/mspan/inuse:bytes"),
    _d("/memory/classes/metadata/other:bytes"),
    _d("/memory/classes/os-stacks:bytes"),
    _d("/memory/classes/total:bytes"),
    _d("/sched/gomaxprocs:threads"),
    _d("/sched/goroutines:goroutines"),
    _d("/sched/pauses/total/gc:seconds", KIND_FLOAT64_HISTOGRAM, True),
), key=lambda d: d.name))

BY_NAME: dict[str, Description] = {d.name: d for d in DESCRIPTIONS}


@dataclass
class Histogram:
    """A ``metrics.Float64Histogram``: ``counts[i]`` samples fell in ``[buckets[i], buckets[i+1])``."""

    counts: list[int]
    buckets: list[float]


# -- bucket boundaries -------------------------------------------------------------------------


def time_hist_buckets() -> list[float]:
    """``timeHistogramMetricsBuckets``: boundaries in seconds, −Inf first and +Inf last.

    Bucket 0 is the underflow (negative durations); then 0 ns up to
    2**(MIN_BUCKET_BITS−1) ns split in sub-buckets, then each power of two
    split in sub-buckets, then the overflow from 2**(MAX_BUCKET_BITS−1) ns.
    """
    b = [0.0] * (TIME_HIST_TOTAL_BUCKETS + 1)
    b[0] = -math.inf
    for j in range(TIME_HIST_NUM_SUB_BUCKETS):
        b[j + 1] = (j << (TIME_HIST_MIN_BUCKET_BITS - 1 - TIME_HIST_SUB_BUCKET_BITS)) / 1e9
    for i in range(TIME_HIST_MIN_BUCKET_BITS, TIME_HIST_MAX_BUCKET_BITS):
        for j in range(TIME_HIST_NUM_SUB_BUCKETS):
            ns = (1 << (i - 1)) | (j << (i - 1 - TIME_HIST_SUB_BUCKET_BITS))
            b[(i - TIME_HIST_MIN_BUCKET_BITS + 1) * TIME_HIST_NUM_SUB_BUCKETS + j + 1] = ns / 1e9
    b[-2] = (1 << (TIME_HIST_MAX_BUCKET_BITS - 1)) / 1e9
    b[-1] = math.inf
    return b


def size_class_buckets() -> list[float]:
    """``sizeClassBuckets``: 1, then size(c)+1 for classes 1.., then +Inf (large objects)."""
    return [1.0] + [float(CLASS_TO_SIZE[c] + 1) for c in range(1, NUM_SIZE_CLASSES)] + [math.inf]


class TimeHistogram:
    """Go's ``timeHistogram``: durations in ns counted in the buckets of :func:`time_hist_buckets`."""

    def __init__(self) -> None:
        self.counts = [0] * (TIME_HIST_NUM_BUCKETS * TIME_HIST_NUM_SUB_BUCKETS)
        self.underflow = 0
        self.overflow = 0

    def record(self, duration: int) -> None:
        if duration < 0:
            self.underflow += 1
            return
        length = duration.bit_length()
        if length < TIME_HIST_MIN_BUCKET_BITS:
            bucket_bit, bucket = TIME_HIST_MIN_BUCKET_BITS, 0
        else:
            bucket_bit, bucket = length, length - TIME_HIST_MIN_BUCKET_BITS + 1
        if bucket >= TIME_HIST_NUM_BUCKETS:
            self.overflow += 1
            return
        sub = (duration >> (bucket_bit - 1 - TIME_HIST_SUB_BUCKET_BITS)) % TIME_HIST_NUM_SUB_BUCKETS
        self.counts[bucket * TIME_HIST_NUM_SUB_BUCKETS + sub] += 1

    def write(self) -> Histogram:
        return Histogram([self.underflow, *self.counts, self.overflow], time_hist_buckets())


# -- reading -----------------------------------------------------------------------------------


def gc_stw_pauses(gc) -> list[int]:
    """Each GC stop-the-world's duration in ns; back-to-back phases of one stop are one pause."""
    out: list[int] = []
    prev_cycle = prev_end = None
    for cycle, _phase, start, ns in gc.pauses:
        if cycle == prev_cycle and start == prev_end and out:
            out[-1] += ns
        else:
            out.append(ns)
        prev_cycle, prev_end = cycle, start + ns
    return out


def _cpu_classes(gc) -> dict[str, float]:
    """``work.cpuStats`` as of the last mark termination, in model seconds (Go: ``cpuStats.accumulate``)."""
    assist = dedicated = idle = pause = 0
    for rec in gc.records:
        assist += rec.assist_time
        dedicated += rec.background_time  # dedicated + fractional workers, as Go adds them
        idle += rec.idle_time
        # the stw modes' "mark" pause is worker time, already in background_time
        pause += rec.stwprocs * sum(ns for phase, _, ns in rec.pauses if phase != "mark")
    total = gc.records[-1].t_end * gc.records[-1].procs if gc.records else 0
    return {
        "/cpu/classes/gc/mark/assist:cpu-seconds": assist / 1e9,
        "/cpu/classes/gc/mark/dedicated:cpu-seconds": dedicated / 1e9,
        "/cpu/classes/gc/mark/idle:cpu-seconds": idle / 1e9,
        "/cpu/classes/gc/pause:cpu-seconds": pause / 1e9,
        "/cpu/classes/gc/total:cpu-seconds": (assist + dedicated + idle + pause) / 1e9,
        "/cpu/classes/total:cpu-seconds": total / 1e9,
    }


def _heap_classes(rt) -> dict[str, Any]:
    """The heap aggregate and memory classes (the caches must have been flushed)."""
    st = rt.heap.stats
    allocs, frees = st.large_alloc_count, st.large_free_count
    alloc_bytes, free_bytes = st.large_alloc, st.large_free
    for c in range(NUM_SIZE_CLASSES):
        allocs += st.small_alloc_count[c]
        frees += st.small_free_count[c]
        alloc_bytes += st.small_alloc_count[c] * CLASS_TO_SIZE[c]
        free_bytes += st.small_free_count[c] * CLASS_TO_SIZE[c]
    in_objects = alloc_bytes - free_bytes
    mspan_inuse = st.spans_in_use * MSPAN_STRUCT_BYTES
    mcache_inuse = len(rt.heap.mcaches) * MCACHE_STRUCT_BYTES
    mcache_sys = -(-mcache_inuse // FIXALLOC_CHUNK) * FIXALLOC_CHUNK
    gc_sys = rt.heap.gc_sys_bytes()
    classes = {
        "/memory/classes/heap/free:bytes": st.heap_free,
        "/memory/classes/heap/objects:bytes": in_objects,
        "/memory/classes/heap/released:bytes": st.heap_released,
        "/memory/classes/heap/stacks:bytes": st.in_stacks,
        "/memory/classes/heap/unused:bytes": st.heap_in_use - in_objects,
        "/memory/classes/metadata/mcache/free:bytes": mcache_sys - mcache_inuse,
        "/memory/classes/metadata/mcache/inuse:bytes": mcache_inuse,
        "/memory/classes/metadata/mspan/free:bytes": st.spans_sys - mspan_inuse,
        "/memory/classes/metadata/mspan/inuse:bytes": mspan_inuse,
        "/memory/classes/metadata/other:bytes": gc_sys,
        "/memory/classes/os-stacks:bytes": st.stacks_sys,
    }
    classes["/memory/classes/total:bytes"] = sum(classes.values())

    def by_size(small: list[int], large: int) -> Histogram:
        return Histogram([*small[1:], large], size_class_buckets())

    return {
        **classes,
        "/gc/heap/allocs-by-size:bytes": by_size(st.small_alloc_count, st.large_alloc_count),
        "/gc/heap/allocs:bytes": alloc_bytes,
        "/gc/heap/allocs:objects": allocs,
        "/gc/heap/frees-by-size:bytes": by_size(st.small_free_count, st.large_free_count),
        "/gc/heap/frees:bytes": free_bytes,
        "/gc/heap/frees:objects": frees,
        "/gc/heap/objects:objects": allocs - frees,
        "/gc/heap/tiny/allocs:objects": st.tiny_alloc_count,
        "/gc/scan/heap:bytes": st.heap_scan,
    }


def read(rt) -> dict[str, int | float | Histogram]:
    """Every metric of :data:`DESCRIPTIONS` for the runtime *rt*, by name (Go: ``metrics.Read``).

    Like Go's it does not flush the mcaches (``ReadMemStats`` does): objects
    allocated from a span still cached are counted when the span is given
    back.  Read right after a MemStats read (as ``--json`` does), the heap
    figures agree with it.
    """
    gc = rt.gc
    pacer = gc.pacer
    pauses = TimeHistogram()
    for ns in gc_stw_pauses(gc):
        pauses.record(ns)
    hist = pauses.write()
    stack_scan, globals_scan = pacer.last_stack_scan, pacer.globals_scan
    out: dict[str, int | float | Histogram] = {
        **_cpu_classes(gc),
        **_heap_classes(rt),
        "/gc/cycles/automatic:gc-cycles": gc.numgc - gc.num_forced,
        "/gc/cycles/forced:gc-cycles": gc.num_forced,
        "/gc/cycles/total:gc-cycles": gc.numgc,
        "/gc/gogc:percent": pacer.gc_percent % _U64,  # GOGC=off is -1, read as uint64
        "/gc/gomemlimit:bytes": pacer.memory_limit,
        "/gc/heap/goal:bytes": gc.heap_goal(),
        "/gc/heap/live:bytes": pacer.heap_marked,
        "/gc/limiter/last-enabled:gc-cycle": gc.limiter.last_enabled_cycle,
        "/gc/pauses:seconds": hist,
        "/gc/scan/globals:bytes": globals_scan,
        "/gc/scan/stack:bytes": stack_scan,
        "/gc/stack/starting-size:bytes": STACK_MIN,
        "/sched/gomaxprocs:threads": len(rt.sched.ps),
        "/sched/goroutines:goroutines": sum(1 for g in rt.sched.allgs if g.status != "dead"),
        "/sched/pauses/total/gc:seconds": Histogram(list(hist.counts), list(hist.buckets)),
    }
    out["/gc/scan/total:bytes"] = out["/gc/scan/heap:bytes"] + stack_scan + globals_scan
    if set(out) != set(BY_NAME):
        raise InvariantViolation(f"metrics read {sorted(set(out) ^ set(BY_NAME))} outside DESCRIPTIONS")
    return {d.name: out[d.name] for d in DESCRIPTIONS}


def _json_float(x: float) -> float | str:
    """A float for JSON: the infinite bucket ends as the strings "-Inf" and "+Inf"."""
    if math.isinf(x):
        return "+Inf" if x > 0 else "-Inf"
    return x


def as_json(samples: dict[str, int | float | Histogram]) -> dict[str, dict[str, Any]]:
    """The ``--json`` ``metrics`` object: each name -> {"kind", "value"}; histograms {"buckets", "counts"}."""
    doc: dict[str, dict[str, Any]] = {}
    for name, v in samples.items():
        kind = BY_NAME[name].kind
        if isinstance(v, Histogram):
            value: Any = {"buckets": [_json_float(b) for b in v.buckets], "counts": list(v.counts)}
        else:
            value = v
        doc[name] = {"kind": kind, "value": value}
    return doc
