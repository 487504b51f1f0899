"""The CPU profile's hook: a Go program run with the profile off and on (``gomem run --cpuprofile``).

The hook (``gomem.runtime.cpuprof``) swaps each P's class for one whose clock is a property while a
profile is on; off, nothing is swapped, so a run without a profile runs exactly the code it ran
before the profiler existed (the C fast paths included).  This script shows it: binary_trees.go
(``src/gomem/workloads/go/binary_trees.go``, go1.8, GOMAXPROCS=1) compiled once and run with the
profile off and on, alternately, ``--repeat`` times each; it prints the best wall time of each,
the wall time per allocation and per model-ns, and the ratio on/off, plus the samples taken and the
P's class in each run.  Figures only: nothing is asserted.  Most of the "on" cost is the C fast paths
standing aside (they take only the plain ``P``): ``GOMEM_PURE_PYTHON=1`` runs both without them, which
leaves the setter's own share.

    python benchmarks/cpuprofile_overhead.py              # depth 12
    python benchmarks/cpuprofile_overhead.py --depth 10 --repeat 1
"""

from __future__ import annotations

import argparse
import gc
import io
import json
import sys
import time
from pathlib import Path

from gomem.cmd import report
from gomem.compile.program import load
from gomem.runtime import cpuprof, speedups
from gomem.runtime.runtime import Runtime

GO_SOURCE = Path(__file__).resolve().parent.parent / "src" / "gomem" / "workloads" / "go" / "binary_trees.go"


def run_once(prog, profile: bool, hz: int) -> tuple[float, Runtime, int, str]:
    prog.out = io.StringIO()
    rt = Runtime(mode="go1.8")
    prof = cpuprof.attach(rt, prog.symtab, hz) if profile else None
    cls = type(rt.sched.ps[0]).__name__
    gc.collect()
    t = time.perf_counter()
    rt.run(prog.main, {})
    wall = time.perf_counter() - t
    samples = 0
    if prof is not None:
        prof.stop()
        samples = prof.total
    return wall, rt, samples, cls


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--depth", type=int, default=12)
    ap.add_argument("--repeat", type=int, default=3, help="runs of each, alternating; the best is reported")
    ap.add_argument("--hz", type=int, default=cpuprof.DEFAULT_HZ, help="samples per second of model CPU time")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args(argv)

    prog = load(str(GO_SOURCE))
    prog.args = ["-depth", str(args.depth)]
    best = {False: float("inf"), True: float("inf")}
    info: dict[bool, tuple] = {}
    for _ in range(args.repeat):
        for profile in (False, True):
            wall, rt, samples, cls = run_once(prog, profile, args.hz)
            best[profile] = min(best[profile], wall)
            info[profile] = (report.memstats(rt).Mallocs, rt.now, samples, cls)
    mallocs, model_ns = info[False][0], info[False][1]
    print(f"binary_trees.go depth {args.depth}, go1.8, GOMAXPROCS=1, C fast paths {'on' if speedups.installed() else 'off'}: "
          f"{mallocs:,} allocations, {model_ns / 1e6:.2f} ms model time")
    for profile in (False, True):
        wall = best[profile]
        m, ns, samples, cls = info[profile]
        label = f"profile on ({args.hz} Hz)" if profile else "profile off"
        print(f"  {label:<20} {wall:8.3f} s   {wall / m * 1e9:8.0f} ns wall per allocation   "
              f"{wall / max(ns, 1) * 1e9:8.1f} ns wall per model ns   P class {cls}, {samples} samples")
    ratio = best[True] / best[False]
    print(f"  ratio on / off       {ratio:8.2f}x")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"depth": args.depth, "hz": args.hz, "off_s": best[False], "on_s": best[True], "ratio": ratio,
                       "mallocs": mallocs, "model_ns": model_ns, "samples": info[True][2]}, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
