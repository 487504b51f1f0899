"""Runtime side of ``runtime/metrics`` (:mod:`gomem.compile.libmetrics`): ``Read`` and ``All``.

``metrics.Read(m)`` is ``runtime_readMetrics`` on the samples' memory: each
``Sample`` (Go's layout: ``Name string; Value Value``, the ``Value`` being
``kind ValueKind; scalar uint64; pointer unsafe.Pointer``, 40 bytes) gets the
metric of its name from :func:`gomem.runtime.metrics.read` — one consistent
view of the runtime per call — or ``KindBad`` for a name the model does not
have.  A histogram reuses the ``*Float64Histogram`` already in the sample
when the sample held a histogram, as ``float64HistOrInit`` does; otherwise
it allocates one (48 bytes, with pointers), and its ``Counts`` is a fresh
``make([]uint64, len(buckets)-1)`` (noscan) unless the old one has that length.

Simplifications:

* ``Buckets`` points at bucket boundaries in the program image's read-only
  data.  Go's are two slices the runtime allocates once, at the first read
  (``initMetrics``), and keeps in globals; that one-off allocation (about
  2 KiB, with the ``metrics`` map) is not modelled.
* ``All()`` returns a ``[]Description`` in read-only data listing the
  metrics the model has (:data:`gomem.runtime.metrics.DESCRIPTIONS`), each
  with an empty ``Description`` text; Go's package init builds its list
  (every metric, with prose) on the heap before ``main``.
* Reading costs no model time beyond the allocations.
"""

from __future__ import annotations

import struct

from ..runtime import metrics as M
from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR as B
from ..runtime.panics import GoPanic

#: runtime/metrics ValueKind
KIND_BAD, KIND_UINT64, KIND_FLOAT64, KIND_FLOAT64_HISTOGRAM = 0, 1, 2, 3
_KIND_OF = {M.KIND_UINT64: KIND_UINT64, M.KIND_FLOAT64: KIND_FLOAT64,
            M.KIND_FLOAT64_HISTOGRAM: KIND_FLOAT64_HISTOGRAM}
#: sizeof(Sample), sizeof(Description) on amd64 (the stubs' //gomem:layout lines)
SAMPLE_SIZE = 40
DESCRIPTION_SIZE = 48
#: Float64Histogram{Counts []uint64; Buckets []float64}
FLOAT64_HISTOGRAM_RT = gotypes.struct_of([("Counts", gotypes.slice_of(gotypes.UINT64)),
                                          ("Buckets", gotypes.slice_of(gotypes.FLOAT64))])
_M64 = (1 << 64) - 1


def _f64_bits(x: float) -> int:
    return struct.unpack("<Q", struct.pack("<d", x))[0]


def _f64_from_bits(w: int) -> float:
    return struct.unpack("<d", struct.pack("<Q", w & _M64))[0]


def make_metrics_helpers(ns: dict, image) -> dict:
    """The helpers, closed over the program's memory views (*ns*) and its read-only data (*image*)."""
    W = ns["W"]
    U8 = ns["U8"]
    mem = U8.obj
    placed: dict[str, tuple[int, int, int]] = {}

    def rodata_floats(key: str, xs: list[float]) -> tuple[int, int, int]:
        """A []float64 of *xs* in read-only data, placed once per program."""
        if key not in placed:
            p = image.rodata(struct.pack(f"<{len(xs)}d", *xs))
            placed[key] = (p, len(xs), len(xs))
        return placed[key]

    def all_slice() -> tuple[int, int, int]:
        if "All" not in placed:
            data = bytearray()
            for d in M.DESCRIPTIONS:
                name = image.string(d.name.encode())
                data += struct.pack("<QQQQqQ", name[0], name[1], 0, 0, _KIND_OF[d.kind], int(d.cumulative))
            p = image.rodata(bytes(data))
            placed["All"] = (p, len(M.DESCRIPTIONS), len(M.DESCRIPTIONS))
        return placed["All"]

    def metrics_All(g) -> tuple[int, int, int]:
        """``metrics.All()``: the model's metrics, sorted by name."""
        return all_slice()

    def write_histogram(g, a: int, h: M.Histogram, key: str) -> None:
        """``float64HistOrInit`` then the counts, into the Value at *a*."""
        i = (a - B) >> 3
        p = W[i + 2]
        if W[i] != KIND_FLOAT64_HISTOGRAM or p == 0:
            W[i] = KIND_FLOAT64_HISTOGRAM
            p = g.alloc(48, FLOAT64_HISTOGRAM_RT)
            g.write_slot(a + 16, p)
        bp, bl, bc = rodata_floats(key, h.buckets)
        j = (p - B) >> 3
        g.write_slot(p + 24, bp)
        W[j + 4] = bl
        W[j + 5] = bc
        n = len(h.counts)
        if W[j + 1] != n:
            c = g.alloc(8 * n)  # make([]uint64, n): noscan
            g.write_slot(p, c)
            W[j + 1] = n
            W[j + 2] = n
        c = (W[j] - B) >> 3
        for k, x in enumerate(h.counts):
            W[c + k] = x & _M64

    def metrics_Read(g, m) -> None:
        """``metrics.Read(m)``: fill each sample's Value (see the module docstring)."""
        ptr, n = m[0], m[1]
        if n == 0:
            return
        values = None
        for k in range(n):
            a = ptr + SAMPLE_SIZE * k
            i = (a - B) >> 3
            name_p, name_n = W[i], W[i + 1]
            name = bytes(mem[name_p - B:name_p - B + name_n]).decode("utf-8", "replace") if name_n else ""
            d = M.BY_NAME.get(name)
            if d is None:
                W[i + 2] = KIND_BAD
                continue
            if values is None:
                values = M.read(g.rt)
            v = values[name]
            if d.kind == M.KIND_FLOAT64_HISTOGRAM:
                key = "time" if M.TIME_HIST_TOTAL_BUCKETS == len(v.counts) else "size"
                write_histogram(g, a + 16, v, key)
            elif d.kind == M.KIND_FLOAT64:
                W[i + 2] = KIND_FLOAT64
                W[i + 3] = _f64_bits(v)
            else:
                W[i + 2] = KIND_UINT64
                W[i + 3] = int(v) & _M64

    def metrics_Value_Uint64(v) -> int:
        if v[0] != KIND_UINT64:
            raise GoPanic("called Uint64 on non-uint64 metric value")
        return v[1]

    def metrics_Value_Float64(v) -> float:
        if v[0] != KIND_FLOAT64:
            raise GoPanic("called Float64 on non-float64 metric value")
        return _f64_from_bits(v[1])

    def metrics_Value_Float64Histogram(v) -> int:
        if v[0] != KIND_FLOAT64_HISTOGRAM:
            raise GoPanic("called Float64Histogram on non-Float64Histogram metric value")
        return v[2]

    return {k: v for k, v in locals().items() if k.startswith("metrics_")}
