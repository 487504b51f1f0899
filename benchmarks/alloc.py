"""How fast gomem allocates, and how much real memory its heap costs.

Run ``python benchmarks/alloc.py`` (about 30 s) or ``--quick`` (a smoke
test, about 3 s); ``--json FILE`` also writes every figure.

1. **Allocation rate, GC off.**  ``Heap.mallocgc`` in a plain loop for 8,
   16, 64, 512, 4096 and 40000-byte objects, pointer-free (``typ=None``)
   and pointerful (a struct of that size whose first word is a pointer,
   built with :mod:`gomem.runtime.types`).  Nothing is ever collected, as with
   ``GOGC=off``; so that large objects don't grow one heap without end, the
   loop runs in chunks of at most 64 MiB, each on a fresh ``Heap`` (making
   and closing heaps is not timed).  Each figure is the best of several
   repeats.
2. **Baselines, same loop.**  Python speed differs from machine to machine,
   so the table also gives each figure as a multiple of two baselines timed
   by the same loop: calling a trivial function (``def f(size): return
   size``) and ``bytearray(size)``.  Those ratios are what to compare across
   machines.  The real runtime's cost (``shared/reference/
   real-go-measurements.md``, another machine) is shown where it was measured.
3. **Memory.**  In a fresh subprocess: the RSS an empty ``Heap`` costs (the
   fixed overhead), then the RSS growth from allocating 2,000,000 64-byte
   pointer-free objects and 1,000,000 16-byte pointerful ones, against
   ``MemStats.HeapSys``.  Twice: with every object's first word written (the
   pointerful objects as a linked list), as a program would, and untouched,
   which shows the cost of gomem's own bookkeeping.  Target: growth
   <= 1.25 x HeapSys.

RSS is read from ``/proc/self/status`` (VmRSS), falling back to
``resource.getrusage`` peak RSS where there is no /proc.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
from typing import Any, Callable

from gomem.runtime import types as gotypes
from gomem.runtime.malloc import Heap

SIZES = (8, 16, 64, 512, 4096, 40000)
#: allocations per measurement, full run
FULL_COUNTS = {8: 500_000, 16: 500_000, 64: 500_000, 512: 200_000, 4096: 100_000, 40000: 20_000}
QUICK_COUNTS = {8: 5_000, 16: 5_000, 64: 5_000, 512: 2_000, 4096: 1_000, 40000: 200}
FULL_REPEATS, QUICK_REPEATS = 3, 1
#: bytes of objects one heap holds before the loop moves on to a fresh heap
CHUNK_BYTES = 64 << 20
#: objects for the memory measurement: (64-byte pointer-free, 16-byte pointerful)
FULL_MEMORY = (2_000_000, 1_000_000)
QUICK_MEMORY = (50_000, 25_000)
#: RSS growth may be at most this multiple of HeapSys
MEMORY_TARGET = 1.25
#: the real runtime, GC off, GOMAXPROCS=1 (ns per allocation; real-go-measurements.md)
GO_REFERENCE_NS = {(8, False): 4.4, (16, False): 5.4, (16, True): 6.8, (64, False): 7.5, (64, True): 9.2}


def pointerful_type(size: int) -> gotypes.GoType:
    """``struct { P *byte; Pad [size-8]byte }``: *size* bytes, first word a pointer."""
    fields = [("P", gotypes.pointer_to(gotypes.BYTE))]
    if size > 8:
        fields.append(("Pad", gotypes.array_of(gotypes.BYTE, size - 8)))
    t = gotypes.struct_of(fields)
    if t.size != size:
        raise SystemExit(f"pointerful type for {size} bytes came out {t.size} bytes")
    return t


def _chunks(n: int, per_chunk: int) -> list[int]:
    out = [per_chunk] * (n // per_chunk)
    if n % per_chunk:
        out.append(n % per_chunk)
    return out


def time_gomem(size: int, typ: gotypes.GoType | None, n: int) -> float:
    """Seconds to allocate *n* objects, summed over fresh-heap chunks."""
    total = 0.0
    for count in _chunks(n, max(1, CHUNK_BYTES // max(size, 16))):
        heap = Heap(procs=1)
        try:
            mallocgc = heap.mallocgc
            loop = range(count)
            t0 = time.perf_counter()
            for _ in loop:
                mallocgc(size, typ)
            total += time.perf_counter() - t0
        finally:
            heap.close()
    return total


def _f(size: int) -> int:
    return size


def time_call(fn: Callable[[int], Any], size: int, n: int) -> float:
    """Seconds for the same loop shape calling *fn* (a baseline)."""
    loop = range(n)
    t0 = time.perf_counter()
    for _ in loop:
        fn(size)
    return time.perf_counter() - t0


def best(fn: Callable[[], float], repeats: int) -> float:
    return min(fn() for _ in range(repeats))


def measure_rates(counts: dict[int, int], repeats: int, progress: bool) -> list[dict[str, Any]]:
    rows = []
    for size in SIZES:
        n = counts[size]
        call_ns = best(lambda: time_call(_f, size, n), repeats) / n * 1e9
        bytearray_ns = best(lambda: time_call(bytearray, size, n), repeats) / n * 1e9
        for pointers in (False, True):
            typ = pointerful_type(size) if pointers else None
            ns = best(lambda: time_gomem(size, typ, n), repeats) / n * 1e9
            rows.append({
                "size": size,
                "pointers": pointers,
                "count": n,
                "ns_per_alloc": ns,
                "allocs_per_s": 1e9 / ns,
                "baseline_call_ns": call_ns,
                "baseline_bytearray_ns": bytearray_ns,
                "x_call": ns / call_ns,
                "x_bytearray": ns / bytearray_ns,
                "go_reference_ns": GO_REFERENCE_NS.get((size, pointers)),
            })
            if progress:
                print(f"  measured {size} B {'pointerful' if pointers else 'pointer-free'}", file=sys.stderr)
    return rows


# -- memory ---------------------------------------------------------------------


def rss_bytes() -> tuple[int, str]:
    """Current resident set size, and where it was read."""
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) * 1024, "VmRSS"
    except OSError:
        pass
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return (peak if sys.platform == "darwin" else peak * 1024), "ru_maxrss (peak)"


def memory_child(n64: int, n16: int, write: bool) -> dict[str, Any]:
    """Runs in a fresh interpreter: the RSS cost of an empty heap, then of the objects."""
    node = pointerful_type(16)
    rss0, source = rss_bytes()
    heap = Heap(procs=1)
    rss_empty, _ = rss_bytes()
    mallocgc = heap.mallocgc
    store = heap.aspace.store_word
    t0 = time.perf_counter()
    if write:
        for i in range(n64):
            store(mallocgc(64, None), i)
        prev = 0
        for _ in range(n16):
            a = mallocgc(16, node)
            store(a, prev)  # P = the previous node: a linked list
            prev = a
    else:
        for _ in range(n64):
            mallocgc(64, None)
        for _ in range(n16):
            mallocgc(16, node)
    seconds = time.perf_counter() - t0
    ms = heap.read_memstats()
    rss1, _ = rss_bytes()
    growth = rss1 - rss_empty
    return {
        "objects_64B_noscan": n64,
        "objects_16B_pointerful": n16,
        "written": write,
        "rss_source": source,
        "rss_before_heap": rss0,
        "fixed_overhead": rss_empty - rss0,
        "rss_growth": growth,
        "HeapSys": ms.HeapSys,
        "HeapInuse": ms.HeapInuse,
        "HeapAlloc": ms.HeapAlloc,
        "Sys": ms.Sys,
        "ratio": growth / ms.HeapSys,
        "within_target": growth <= MEMORY_TARGET * ms.HeapSys,
        "alloc_seconds": seconds,
    }


def measure_memory(n64: int, n16: int, write: bool) -> dict[str, Any]:
    cmd = [sys.executable, os.path.abspath(__file__), "--memory-child", str(n64), str(n16)]
    if write:
        cmd.append("--write")
    r = subprocess.run(cmd, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise SystemExit(f"memory measurement failed:\n{r.stderr}")
    return json.loads(r.stdout)


# -- output ---------------------------------------------------------------------


def _mib(n: float) -> str:
    return f"{n / (1 << 20):.1f} MiB"


def format_rates(rows: list[dict[str, Any]]) -> str:
    head = (f"{'size':>6}  {'kind':<12} {'count':>8} {'allocs/s':>12} {'ns/alloc':>9} "
            f"{'x f(size)':>9} {'x bytearray':>11} {'real Go ns':>10}")
    lines = [head, "-" * len(head)]
    for r in rows:
        go = f"{r['go_reference_ns']:.1f}" if r["go_reference_ns"] else "-"
        lines.append(
            f"{r['size']:>6}  {'pointerful' if r['pointers'] else 'pointer-free':<12} {r['count']:>8} "
            f"{r['allocs_per_s']:>12,.0f} {r['ns_per_alloc']:>9.0f} {r['x_call']:>9.1f} "
            f"{r['x_bytearray']:>11.1f} {go:>10}"
        )
    lines.append("")
    lines.append("baselines, same loop (ns per call):")
    seen = set()
    for r in rows:
        if r["size"] in seen:
            continue
        seen.add(r["size"])
        lines.append(f"  {r['size']:>6} B   f(size) {r['baseline_call_ns']:6.1f}   "
                     f"bytearray(size) {r['baseline_bytearray_ns']:7.1f}")
    return "\n".join(lines)


def format_memory(runs: list[dict[str, Any]]) -> str:
    lines = []
    for m in runs:
        lines.append(
            f"{m['objects_64B_noscan']:,} x 64 B pointer-free + {m['objects_16B_pointerful']:,} x 16 B pointerful, "
            f"{'first word of each written' if m['written'] else 'untouched'} ({m['rss_source']}):"
        )
        lines.append(f"  fixed overhead (RSS of an empty Heap) {_mib(m['fixed_overhead']):>12}")
        lines.append(f"  RSS growth                            {_mib(m['rss_growth']):>12}")
        lines.append(f"  MemStats.HeapSys                      {_mib(m['HeapSys']):>12}"
                     f"   (HeapInuse {_mib(m['HeapInuse'])}, Sys {_mib(m['Sys'])})")
        verdict = "within" if m["within_target"] else "OVER"
        lines.append(f"  RSS growth / HeapSys                  {m['ratio']:>12.3f}"
                     f"   {verdict} target <= {MEMORY_TARGET}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--quick", action="store_true", help="small counts: a smoke test, not figures to quote")
    ap.add_argument("--json", metavar="FILE", help="also write every figure to FILE")
    ap.add_argument("--progress", action="store_true", help="report each measurement on stderr")
    ap.add_argument("--memory-child", nargs=2, type=int, metavar=("N64", "N16"), help=argparse.SUPPRESS)
    ap.add_argument("--write", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args(argv)

    if args.memory_child:
        json.dump(memory_child(*args.memory_child, write=args.write), sys.stdout)
        return 0

    counts = QUICK_COUNTS if args.quick else FULL_COUNTS
    repeats = QUICK_REPEATS if args.quick else FULL_REPEATS
    n64, n16 = QUICK_MEMORY if args.quick else FULL_MEMORY
    started = time.perf_counter()

    print(f"gomem allocation benchmark ({'quick' if args.quick else 'full'}): "
          f"Python {platform.python_version()} on {platform.machine()}, {platform.system()}")
    print(f"Heap(procs=1).mallocgc, GC off; best of {repeats}; "
          f"'x' columns: time per allocation / time per baseline call\n")
    rows = measure_rates(counts, repeats, args.progress)
    print(format_rates(rows))
    print()
    memory = [measure_memory(n64, n16, write=True), measure_memory(n64, n16, write=False)]
    print(format_memory(memory))
    elapsed = time.perf_counter() - started
    print(f"\n({elapsed:.1f} s)")

    if args.json:
        with open(args.json, "w") as f:
            json.dump({
                "mode": "quick" if args.quick else "full",
                "python": platform.python_version(),
                "implementation": platform.python_implementation(),
                "machine": platform.machine(),
                "system": platform.system(),
                "repeats": repeats,
                "chunk_bytes": CHUNK_BYTES,
                "alloc": rows,
                "memory": memory,
                "memory_target": MEMORY_TARGET,
                "seconds": elapsed,
            }, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
