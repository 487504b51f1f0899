"""binary-trees on gomem (go1.8 collector) against the same program in plain CPython.

Prints the wall time of each and their ratio, measured in one process so the
ratio does not depend on the machine.  gomem's run is the full simulation:
every node allocated in the simulated heap, the concurrent collector with
its write barrier, assists, workers and sweeping.

    python benchmarks/binary_trees.py            # depth 16, as the issue asks
    python benchmarks/binary_trees.py --depth 12 # quicker
    python benchmarks/binary_trees.py --json out.json
"""

from __future__ import annotations

import argparse
import gc
import json
import platform
import sys
import time

from gomem.runtime import Runtime
from gomem.workloads import get


def cpython_binary_trees(n: int) -> list[str]:
    """The benchmarks-game program with tuple nodes, as plain Python."""

    def bottom_up(d):
        if d <= 0:
            return (None, None)
        return (bottom_up(d - 1), bottom_up(d - 1))

    def check(t):
        left, right = t
        if left is None:
            return 1
        return 1 + check(left) + check(right)

    out = []
    max_depth = max(6, n)
    stretch = max_depth + 1
    out.append(f"stretch tree of depth {stretch}\t check: {check(bottom_up(stretch))}")
    long_lived = bottom_up(max_depth)
    for d in range(4, max_depth + 1, 2):
        iterations = 1 << (max_depth - d + 4)
        c = 0
        for _ in range(iterations):
            c += check(bottom_up(d))
        out.append(f"{iterations}\t trees of depth {d}\t check: {c}")
    out.append(f"long lived tree of depth {max_depth}\t check: {check(long_lived)}")
    return out


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=16)
    ap.add_argument("--gc", default="go1.8")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the best is reported")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)

    best_py = best_gm = float("inf")
    for _ in range(args.repeat):
        gc.collect()
        t = time.perf_counter()
        py_out = cpython_binary_trees(args.depth)
        best_py = min(best_py, time.perf_counter() - t)

        gc.collect()
        rt = Runtime(mode=args.gc)
        t = time.perf_counter()
        g = rt.run(get("binary-trees").main, {"depth": args.depth})
        best_gm = min(best_gm, time.perf_counter() - t)
    if g.result["output"] != py_out:
        print("outputs differ!", file=sys.stderr)
        return 1
    ms = rt.heap.read_memstats()
    ratio = best_gm / best_py
    print(f"binary-trees depth {args.depth}, Python {platform.python_version()} on {platform.machine()}")
    print(f"  CPython (tuple nodes, its own GC on)   {best_py:8.2f} s")
    print(f"  gomem --gc {args.gc:<6} GOMAXPROCS=1      {best_gm:8.2f} s   "
          f"({ms.Mallocs:,} allocations, {rt.gc.numgc} GC cycles, {rt.now / 1e9:.3f} s model time)")
    print(f"  ratio gomem / CPython                  {ratio:8.1f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump(
                {
                    "depth": args.depth,
                    "gc": args.gc,
                    "cpython_s": best_py,
                    "gomem_s": best_gm,
                    "ratio": ratio,
                    "mallocs": ms.Mallocs,
                    "numgc": rt.gc.numgc,
                    "model_ns": rt.now,
                },
                f,
                indent=2,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
