"""binary_trees.go run by ``gomem run`` against the same program in plain CPython.

The Go source (``src/gomem/workloads/go/binary_trees.go``) is compiled by
``gomem.compile.program`` and run on the model in this process, one object at a time
through mallocgc, the write barrier and stack frames, GOMAXPROCS=1, the
go1.8 collector on; beside it a plain-Python transliteration of the same
program (a Node class with left/right, the same recursion, the same
printing).  Prints both wall times, allocations per second on the model and
the ratio (issue 10: <= 10x at depth 16, goal 3x).

    python benchmarks/gorun_binary_trees.py             # depth 12
    python benchmarks/gorun_binary_trees.py --depth 16  # the issue's figure
    python benchmarks/gorun_binary_trees.py --json out.json
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import platform
import sys
import time
from pathlib import Path

from gomem.cmd import report
from gomem.compile.program import load
from gomem.runtime.runtime import Runtime

GO_SOURCE = Path(__file__).resolve().parent.parent / "src" / "gomem" / "workloads" / "go" / "binary_trees.go"
MIN_DEPTH = 4


class Node:
    __slots__ = ("left", "right")

    def __init__(self, left: Node | None = None, right: Node | None = None) -> None:
        self.left = left
        self.right = right

    def item_check(self) -> int:
        if self.left is None:
            return 1
        return 1 + self.left.item_check() + self.right.item_check()


def bottom_up_tree(depth: int) -> Node:
    if depth <= 0:
        return Node()
    return Node(bottom_up_tree(depth - 1), bottom_up_tree(depth - 1))


def cpython_main(depth: int, out) -> None:
    """binary_trees.go's main, line for line."""
    max_depth = max(depth, MIN_DEPTH + 2)
    stretch = max_depth + 1
    out.write(f"stretch tree of depth {stretch}\t check: {bottom_up_tree(stretch).item_check()}\n")
    long_lived = bottom_up_tree(max_depth)
    for d in range(MIN_DEPTH, max_depth + 1, 2):
        iterations = 1 << (max_depth - d + MIN_DEPTH)
        check = 0
        for _ in range(iterations):
            check += bottom_up_tree(d).item_check()
        out.write(f"{iterations}\t trees of depth {d}\t check: {check}\n")
    out.write(f"long lived tree of depth {max_depth}\t check: {long_lived.item_check()}\n")


def run_gomem(depth: int, gc_mode: str) -> tuple[float, str, Runtime]:
    prog = load(str(GO_SOURCE))
    prog.args = ["-depth", str(depth)]
    prog.out = io.StringIO()
    rt = Runtime(mode=gc_mode)
    t = time.perf_counter()
    rt.run(prog.main, {})
    return time.perf_counter() - t, prog.out.getvalue(), rt


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=12)
    ap.add_argument("--gc", default="go1.8")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each; the best is reported")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)

    best_py = best_gm = float("inf")
    for _ in range(args.repeat):
        gc.collect()
        buf = io.StringIO()
        t = time.perf_counter()
        cpython_main(args.depth, buf)
        best_py = min(best_py, time.perf_counter() - t)
        py_out = buf.getvalue()

        gc.collect()
        wall, gm_out, rt = run_gomem(args.depth, args.gc)
        best_gm = min(best_gm, wall)
    if gm_out != py_out:
        print("outputs differ!", file=sys.stderr)
        return 1
    ms = report.memstats(rt)
    ratio = best_gm / best_py
    rate = ms.Mallocs / best_gm
    print(f"binary_trees.go depth {args.depth}, Python {platform.python_version()} on {platform.machine()}")
    print(f"  CPython (Node class, its own GC on)    {best_py:8.2f} s")
    print(f"  gomem run --gc {args.gc:<6} GOMAXPROCS=1  {best_gm:8.2f} s   "
          f"({ms.Mallocs:,} allocations, {rt.gc.numgc} GC cycles, {rt.now / 1e9:.3f} s model time)")
    print(f"  allocations per second on gomem        {rate:12,.0f}")
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
                    "allocs_per_s": rate,
                    "numgc": rt.gc.numgc,
                    "model_ns": rt.now,
                },
                f,
                indent=2,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
