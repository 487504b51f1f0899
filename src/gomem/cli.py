"""The ``gomem`` command line.

``gomem run [WORKLOAD]``, ``gomem workloads``, ``gomem sizeclass``.  Bad input
gets one line on stderr (``gomem: …``) and exit status 2; an internal
invariant failure exits 3.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time

from . import sizeclasses as sc
from . import workloads
from .errors import BadInput, GomemError
from .mbarrier import MODES

DEFAULT_WORKLOAD = "binary-trees"


def parse_size(text: str) -> int:
    """A byte count as Go's GOMEMLIMIT accepts it: 1234, 64KiB, 512MiB, 2GiB, 1TiB."""
    units = {"B": 1, "KiB": 1 << 10, "MiB": 1 << 20, "GiB": 1 << 30, "TiB": 1 << 40}
    t = text.strip()
    for u in ("KiB", "MiB", "GiB", "TiB", "B"):
        if t.endswith(u):
            num = t[: -len(u)]
            mul = units[u]
            break
    else:
        num, mul = t, 1
    if not num.isdigit():
        raise BadInput(f"invalid size {text!r}: want bytes, optionally with B, KiB, MiB, GiB or TiB")
    return int(num) * mul


def _build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="gomem", description="Go's memory manager and garbage collector, as an executable model.")
    sub = p.add_subparsers(dest="cmd", metavar="COMMAND")

    r = sub.add_parser("run", help="run a built-in workload and print MemStats")
    r.add_argument("workload", nargs="?", default=DEFAULT_WORKLOAD, help=f"workload name (default {DEFAULT_WORKLOAD})")
    r.add_argument("--gc", default="go1.8", choices=list(MODES), help="collector (default go1.8)")
    r.add_argument("--gogc", default="100", help="GOGC: a percent or off (default 100)")
    r.add_argument("--gctrace", action="store_true", help="print a gctrace line per cycle to stderr (GODEBUG=gctrace=1)")
    r.add_argument("--checkmark", action="store_true", help="verify every mark with a stop-the-world re-trace (GODEBUG=gccheckmark=1)")
    r.add_argument("--procs", type=int, default=1, help="GOMAXPROCS (default 1)")
    r.add_argument("--seed", type=int, default=1, help="random seed (default 1)")
    r.add_argument("--param", action="append", default=[], metavar="KEY=VALUE", help="workload parameter")
    r.add_argument("--layout", choices=sc.LAYOUTS, default="greentea", help="span layout (default greentea, Go 1.27)")
    r.add_argument("--max-heap", type=parse_size, default=None, metavar="SIZE", help="fail with Go's out-of-memory error past this HeapSys")
    r.add_argument("--json", metavar="FILE", help="write the run's figures as JSON")

    sub.add_parser("workloads", help="list the built-in workloads and their parameters")

    s = sub.add_parser("sizeclass", help="which size class and path an allocation takes")
    s.add_argument("size", nargs="?", help="object size in bytes")
    s.add_argument("--noscan", action="store_true", help="the object has no pointers")
    s.add_argument("--table", action="store_true", help="print Go's size class table")
    s.add_argument("--greentea", action="store_true", help="with --table: add Green Tea objects-per-span columns")
    s.add_argument("--layout", choices=sc.LAYOUTS, default="greentea")
    return p


def cmd_workloads(args) -> int:
    for w in workloads.all_workloads():
        print(f"{w.name}: {w.description}")
        for prm in w.params:
            print(f"    {prm.name}={prm.default}\t{prm.help}")
    return 0


def cmd_sizeclass(args) -> int:
    if args.table:
        print(sc.table_text(args.layout, with_gt=args.greentea), end="")
        return 0
    if args.size is None:
        raise BadInput("sizeclass wants SIZE or --table")
    try:
        size = int(args.size, 0)
    except ValueError:
        raise BadInput(f"invalid size {args.size!r}") from None
    print(sc.describe(size, args.noscan, args.layout))
    return 0


def cmd_run(args) -> int:
    from .mgcpacer import parse_gogc
    from .runtime import Runtime

    w = workloads.get(args.workload)
    params = w.resolve(args.param)
    if args.procs < 1 or args.procs > 256:
        raise BadInput(f"--procs must be between 1 and 256, got {args.procs}")
    if args.json:
        _check_writable(args.json)
    gogc = parse_gogc(args.gogc)
    trace = (lambda line: print(line, file=sys.stderr)) if args.gctrace else None
    rt = Runtime(
        procs=args.procs,
        mode=args.gc,
        gogc=gogc,
        seed=args.seed,
        layout=args.layout,
        max_heap=args.max_heap,
        checkmark=args.checkmark,
        clobberfree=args.checkmark,
        gctrace=trace,
    )
    t0 = time.perf_counter()
    g = rt.run(w.main, params)
    wall = time.perf_counter() - t0
    result = g.result or {}
    ms = rt.heap.read_memstats(next_gc=rt.gc.heap_goal())
    ms.NumGC = rt.gc.numgc
    ms.NumForcedGC = rt.gc.num_forced
    ms.PauseTotalNs = sum(n for *_, n in rt.gc.pauses)
    for line in result.get("output", []):
        print(line)
    pstr = " ".join(f"{k}={v}" for k, v in params.items())
    print()
    print(f"gomem run {w.name} {pstr} --gc {args.gc} GOGC={args.gogc} GOMAXPROCS={args.procs} layout={args.layout}")
    print(ms.format())
    print(f"model time: {rt.now / 1e9:.6f} s; wall time (simulator): {wall:.2f} s")
    if args.json:
        doc = {
            "workload": w.name,
            "params": params,
            "procs": args.procs,
            "gc": args.gc,
            "gogc": args.gogc,
            "layout": args.layout,
            "wall_seconds": wall,
            "model_ns": rt.now,
            "output": result.get("output", []),
            "memstats": ms.as_dict(),
            "cycles": [c.as_dict() for c in rt.gc.records],
        }
        _write_atomic(args.json, json.dumps(doc, indent=2) + "\n")
    return 0


def _check_writable(path: str) -> None:
    d = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(d):
        raise BadInput(f"cannot write {path}: directory {d} does not exist")


def _write_atomic(path: str, text: str) -> None:
    """Write via a temporary file and rename, so a failure leaves nothing half-written."""
    tmp = f"{path}.tmp{os.getpid()}"
    with open(tmp, "w") as f:
        f.write(text)
    os.replace(tmp, path)


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    args = parser.parse_args(argv)
    handlers = {"run": cmd_run, "workloads": cmd_workloads, "sizeclass": cmd_sizeclass}
    if args.cmd is None:
        parser.print_help()
        return 2
    try:
        return handlers[args.cmd](args)
    except GomemError as e:
        print(f"gomem: {e}", file=sys.stderr)
        return e.exit_status
    except BrokenPipeError:
        return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
