"""The real runtime's price of each synchronisation operation, beside gomem's CostModel constant.

Runs ``benchmarks/go/syncops.go`` on the installed toolchain (GOMAXPROCS=1, uncontended, the fastest
of its rounds) and prints, per operation, real Go's ns, the model's constant(s) for it and their
ratio.  Run it on a quiet machine: a second busy process doubles some figures.

    python benchmarks/syncops.py              # 20 M operations per round, 3 rounds
    python benchmarks/syncops.py --n 2000000  # quick
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from gomem.cmd import realgo
from gomem.runtime.sched import CostModel

SOURCE = Path(__file__).parent / "go" / "syncops.go"
#: each line of the Go program's output -> the model's price of the same work
MODEL = {
    "Mutex Lock+Unlock": lambda c: 2 * c.lock,
    "RWMutex RLock+RUnlock": lambda c: 2 * c.lock,
    "RWMutex Lock+Unlock": lambda c: 4 * c.lock,  # each is the writer Mutex's op and an atomic add
    "Cond.Signal (no waiter)": lambda c: c.cond_signal,
    "buffered send+recv": lambda c: 2 * c.chan_op,
    "select recv+default (empty)": lambda c: c.chan_poll,
    "2-case select send, recv": lambda c: c.selectgo + c.chan_op,
}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=20_000_000, help="operations per round")
    ap.add_argument("--rounds", type=int, default=3)
    a = ap.parse_args(argv)
    if realgo.find_go() is None:
        print(realgo.NO_GO_REASON, file=sys.stderr)
        return 2
    r = realgo.run_go_source(SOURCE, args=[f"-n={a.n}", f"-rounds={a.rounds}"], env={"GOMAXPROCS": "1"},
                             timeout=600)
    if r.returncode != 0:
        print(r.stderr, file=sys.stderr)
        return 1
    cost = CostModel()
    print(f"{'operation':<30} {'real Go ns':>10} {'gomem ns':>9} {'gomem/Go':>9}")
    for line in r.stdout.splitlines():
        m = re.match(r"(.+?)\s+([\d.]+) ns/op$", line)
        if not m:
            continue
        name, ns = m.group(1), float(m.group(2))
        price = MODEL.get(name)
        model = f"{price(cost):>9}" if price else f"{'-':>9}"
        ratio = f"{price(cost) / ns:>9.2f}" if price and ns else f"{'':>9}"
        print(f"{name:<30} {ns:>10.2f} {model} {ratio}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
