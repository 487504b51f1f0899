"""The allocation entry compiled Go code calls, ``g.new(T)``, in a tight loop.

A goroutine allocates N objects of a small pointerful type (a 16-byte
``struct{ left, right *Node }``, heap bits in the span, no malloc header)
through ``Goroutine.new`` — exactly what ``gomem run prog.go`` emits for
``&Node{}`` — with the GC on (GOGC=100, go1.8), so cycles, assists and
sweeping run as they would for a program; one scheduler yield every 1,000
allocations stands for the program's safe points.  Prints allocations per
second (issue 10: >= 2 M/s) and, for scale, the same loop calling a trivial
Python function.

    python benchmarks/alloc_path.py              # 1,000,000 allocations
    python benchmarks/alloc_path.py -n 100000
    python benchmarks/alloc_path.py --gc stw --json out.json
"""

from __future__ import annotations

import argparse
import gc
import json
import sys
import time

from gomem.runtime import types as gotypes
from gomem.runtime.runtime import Runtime

NODE = gotypes.struct_of([("left", gotypes.UNSAFE_POINTER), ("right", gotypes.UNSAFE_POINTER)], name="Node")


def run(n: int, mode: str, typ: gotypes.GoType = NODE) -> tuple[float, Runtime]:
    """Wall seconds for *n* ``g.new(typ)`` in one goroutine, and the runtime."""

    def main(g):
        new = g.new
        for _ in range(n // 1000):
            for _ in range(1000):
                new(typ)
            yield
        for _ in range(n % 1000):
            new(typ)

    rt = Runtime(mode=mode)
    gc.collect()
    t = time.perf_counter()
    rt.run(main)
    return time.perf_counter() - t, rt


def baseline(n: int) -> float:
    def f(t):
        return t

    t0 = time.perf_counter()
    for _ in range(n):
        f(NODE)
    return time.perf_counter() - t0


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("-n", type=int, default=1_000_000, help="allocations")
    ap.add_argument("--gc", default="go1.8")
    ap.add_argument("--repeat", type=int, default=1, help="runs; the best is reported")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)
    best = float("inf")
    for _ in range(args.repeat):
        wall, rt = run(args.n, args.gc)
        best = min(best, wall)
    base = baseline(args.n)
    rate = args.n / best
    print(f"g.new({NODE}) ({NODE.size} B, pointers), --gc {args.gc}, GOMAXPROCS=1, {args.n:,} allocations")
    print(f"  {best:8.3f} s   {rate:12,.0f} allocs/s   ({rt.gc.numgc} GC cycles, {rt.now / 1e9:.4f} s model time)")
    print(f"  {best / base:8.1f}x a call of f(T) ({args.n / base:,.0f}/s)")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"n": args.n, "gc": args.gc, "seconds": best, "allocs_per_s": rate,
                       "numgc": rt.gc.numgc, "model_ns": rt.now, "x_call": best / base}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
