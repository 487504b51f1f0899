"""gomem check: states explored per minute at the default bound, per mode, with 1 and 2 worker processes.

Issue 15's target is 1 M states per minute on this 2-core machine for the
default bound.  Prints, per mode and worker count: the verdict, states
explored, distinct states, seconds and states per minute; then where one
state's time goes (restore, the engine's step, hash, checkpoint), measured
on the same engine.

    python benchmarks/modelcheck.py                  # the default bound, every era and variant, 1 and 2 workers
    python benchmarks/modelcheck.py --quick          # a smaller bound, go1.8 and none only
    python benchmarks/modelcheck.py --json out.json  # also write the figures
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "src"))

from gomem.modelcheck import cli as check_cli  # noqa: E402
from gomem.modelcheck.explore import Explorer  # noqa: E402
from gomem.modelcheck.expand import expand, initial  # noqa: E402
from gomem.modelcheck.search import search  # noqa: E402
from gomem.modelcheck.universe import generated  # noqa: E402

MODES = ["go1.8", "go1.5", "yuasa", "stw", "none", "go1.5-norescan", "go1.8-noshade-old", "go1.8-noshade-new",
         "yuasa-nosnapshot", "go1.8-allocwhite"]


def breakdown(u, mode: str, n: int = 200) -> dict:
    """Microseconds per successor of one state's expansion, and per part of it."""
    ex = Explorer(u, mode)
    item = (ex.checkpoint(), initial(u), ("gc start",), frozenset())
    t = time.perf_counter()
    succ = 0
    for _ in range(n):
        s, _, _ = expand(ex, item)
        succ += len(s)
    per = (time.perf_counter() - t) / succ * 1e6
    ck = item[0]
    parts = {}
    t = time.perf_counter()
    for _ in range(n):
        ex.restore(ck)
    parts["restore"] = (time.perf_counter() - t) / n * 1e6
    t = time.perf_counter()
    for _ in range(n):
        ex.digest(item[1])
    parts["hash"] = (time.perf_counter() - t) / n * 1e6
    t = time.perf_counter()
    for _ in range(n):
        ex.checkpoint()
    parts["checkpoint"] = (time.perf_counter() - t) / n * 1e6
    ts = [x for x in ex.enabled(item[1], None) if x.kind != "done"]
    t = time.perf_counter()
    for x in ts:
        ex.restore(ck)
        ex.apply(x)
    parts["restore+engine step"] = (time.perf_counter() - t) / len(ts) * 1e6
    return {"us_per_state": per, **{f"us_{k}": v for k, v in parts.items()}}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--quick", action="store_true", help="a smaller bound (steps 2), go1.8 and none")
    ap.add_argument("--json", metavar="FILE")
    args = ap.parse_args()
    if args.quick:
        u = generated(1, 3, 2, 1)
        modes = ["go1.8", "none"]
    else:
        u = generated(check_cli.DEFAULT_GOROUTINES, check_cli.DEFAULT_OBJECTS, check_cli.DEFAULT_STEPS,
                      check_cli.DEFAULT_ALLOCS)
        modes = MODES
    print(f"bound: {u.origin}; {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
    print(f"{'mode':<20} {'workers':>7} {'verdict':>7} {'explored':>9} {'distinct':>9} {'seconds':>8} {'states/min':>11}")
    rows = []
    for mode in modes:
        for workers in (1, 2):
            r = search(u, mode, workers=workers)
            verdict = "safe" if r.safe else "lost " + " ".join(r.lost)
            print(f"{mode:<20} {workers:>7} {verdict:>7} {r.explored:>9} {r.distinct:>9} {r.seconds:>8.2f} {int(r.per_minute):>11}")
            rows.append(r.as_dict())
    safe = [x for x in rows if x["verdict"] == "safe" and x["states_explored"] > 1000]
    for w in (1, 2):
        tot = sum(x["states_explored"] for x in safe if x["workers"] == w)
        sec = sum(x["seconds"] for x in safe if x["workers"] == w)
        if sec:
            print(f"proofs (safe modes), {w} worker(s): {tot} states in {sec:.1f} s = {int(tot * 60 / sec)} states/min "
                  f"(target 1000000)")
    b = breakdown(u, "go1.8")
    print("one state, go1.8: " + ", ".join(f"{k[3:]} {v:.0f} us" for k, v in b.items() if k.startswith("us_")))
    if args.json:
        Path(args.json).write_text(json.dumps({"bound": u.origin, "runs": rows, "breakdown": b}, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
