"""The article's eras side by side: one workload under ``stw``, ``go1.5`` and ``go1.8``, three MMU curves on one SVG.

Each run records its timeline (``gomem.run(..., timeline=True)``) and its
minimum mutator utilization curve is computed from it (:mod:`gomem.cmd.mmu`:
stop-the-world, mark workers, assists and incremental sweeping count
against the mutator; ``--exclude sweep`` gives go tool trace's default).
Prints MMU at 1 ms and 10 ms windows (and the longest pause) per era and
writes the picture.

    python benchmarks/mmu_eras.py                                  # churn, GOMAXPROCS=4 -> mmu_eras.svg
    python benchmarks/mmu_eras.py --workload binary-trees --param depth=14 --procs 1 --out bt.svg
    python benchmarks/mmu_eras.py --csv DIR                        # also one CSV per era
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

import gomem
from gomem.cmd import mmu
from gomem.cmd.fsutil import write_output
from gomem.cmd.report import fmt_duration

ERAS = (("stw", "stw (Go <= 1.4: the world stopped)"), ("go1.5", "go1.5 (concurrent mark, stacks rescanned)"),
        ("go1.8", "go1.8 (hybrid barrier)"))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--workload", default="churn")
    ap.add_argument("--param", action="append", default=[], metavar="KEY=VALUE")
    ap.add_argument("--procs", type=int, default=4)
    ap.add_argument("--gogc", default="100")
    ap.add_argument("--exclude", default=None, metavar="LIST", help="sources not counted (stw, background, assist, sweep)")
    ap.add_argument("--out", default="mmu_eras.svg", help="the SVG to write (default mmu_eras.svg)")
    ap.add_argument("--csv", default=None, metavar="DIR", help="also write DIR/mmu-ERA.csv")
    ap.add_argument("--json", default=None, metavar="FILE", help="also write the figures as JSON")
    a = ap.parse_args(argv)
    exclude = mmu.parse_exclude(a.exclude)
    curves = []
    figures = []
    print(f"{' '.join([a.workload, *a.param])} GOMAXPROCS={a.procs} GOGC={a.gogc}"
          + (f", {', '.join(exclude)} excluded" if exclude else ""))
    print(f"{'era':<8} {'cycles':>6} {'longest pause':>14} {'model time':>11} {'MMU 1ms':>8} {'MMU 10ms':>9} {'wall s':>7}")
    for mode, label in ERAS:
        t0 = time.perf_counter()
        r = gomem.run(a.workload, gc=mode, params=a.param, procs=a.procs, gogc=a.gogc, timeline=True)
        wall = time.perf_counter() - t0
        rt = r.runtime
        c = mmu.MMUCurve(mmu.utilization(rt, exclude))
        pts = c.curve()
        end = mmu.run_end(rt)

        def bounded(w: int) -> float | None:
            return next((b for ww, b, _ in pts if ww == w), None) if w <= end else None

        m1, m10 = bounded(1_000_000), bounded(10_000_000)
        longest = max((ns for _, _, _, ns in rt.gc.pauses), default=0)
        fmt = lambda v: "-" if v is None else f"{v:.3f}"  # noqa: E731
        print(f"{mode:<8} {len(r.cycles):>6} {fmt_duration(longest):>14} {fmt_duration(end):>11} {fmt(m1):>8} {fmt(m10):>9} {wall:>7.1f}")
        curves.append((label, pts))
        figures.append({"gc": mode, "cycles": len(r.cycles), "longest_pause_ns": longest, "model_ns": end,
                        "mmu_1ms": m1, "mmu_10ms": m10, "curve": [[w, b] for w, b, _ in pts]})
        if a.csv is not None:
            Path(a.csv).mkdir(parents=True, exist_ok=True)
            write_output(str(Path(a.csv) / f"mmu-{mode}.csv"), mmu.csv_text(pts))
    title = f"MMU by era: {' '.join([a.workload, *a.param])}, GOMAXPROCS={a.procs}"
    write_output(a.out, mmu.svg_curves(curves, title=title))
    if a.json is not None:
        write_output(a.json, json.dumps({"workload": a.workload, "params": a.param, "procs": a.procs,
                                         "exclude": list(exclude), "eras": figures}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
