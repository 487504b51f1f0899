"""The scavenger (``mgcscavenge.go``) and the scavtrace / gcpacertrace lines.

Facts §5.11 and §6.1 (``printScavTrace``; ``startCycle``/``endCycle``/
``activeSweep.end`` for the pacer's lines).
"""

from __future__ import annotations

import re

import numpy as np
import pytest

from gomem.cmd import cli
from gomem.runtime import types as gt
from gomem.runtime.arena import PAGE_SIZE
from gomem.runtime.malloc import Heap
from gomem.runtime.mgcpacer import GOAL_OFF
from gomem.runtime.mgcscavenge import (
    MIN_SCAV_WORK_TIME,
    PHYS_PAGE_SIZE,
    SCAV_CHUNK_HI_OCC_PAGES,
    SCAVENGE_PERCENT,
    PIController,
    Scavenger,
)
from gomem.runtime.mpagealloc import PALLOC_CHUNK_PAGES, PageAlloc
from gomem.runtime.arena import ARENA_BASE_ADDR
from gomem.runtime.runtime import Runtime

MiB = 1 << 20

#: a float as the runtime's print writes it (strconv 'g', -1)
F = r"(?:[+-]?(?:\d+(?:\.\d+)?(?:e[+-]\d\d+)?|Inf)|NaN)"
#: printScavTrace
SCAV_RE = re.compile(
    r"scav (\d+) KiB work \(bg\), (\d+) KiB work \(eager\), (\d+) KiB now, (\d+)% util( \(forced\)| \[controller reset\])?"
)
#: startCycle
ASSIST_RE = re.compile(rf"pacer: assist ratio=({F}) \(scan (\d+) MB in (\d+)->(\d+) MB\) workers=(\d+)\+({F})")
#: endCycle
UTIL_RE = re.compile(
    rf"pacer: (\d+)% CPU \(25 exp\.\) for (\d+)\+(\d+)\+(\d+) B work \((\d+) B exp\.\) "
    rf"in (\d+) B -> (\d+) B \(\u2206goal (-?\d+), cons/mark ({F})\)"
)
#: activeSweep.end
SWEEP_RE = re.compile(rf"pacer: sweep done at heap size (\d+)MB; allocated (\d+)MB during sweep; swept (\d+) pages at ({F}) pages/byte")

#: lines printed by the real Go 1.27 runtime (GODEBUG=gctrace=1,gcpacertrace=1,scavtrace=1; GOMAXPROCS=2)
REAL_GO = [
    "pacer: assist ratio=0.0017430553540978306 (scan 0 MB in 10->93 MB) workers=0+0.25",
    "scav 0 KiB work (bg), 0 KiB work (eager), 1528 KiB now, 98% util",
    "pacer: sweep done at heap size 9MB; allocated 0MB during sweep; swept 1301 pages at 1.590899205456513e-05 pages/byte",
    "pacer: assist ratio=1.659516834077381 (scan 1 MB in 3->4 MB) workers=0+0.25",
    "pacer: 41% CPU (25 exp.) for 757688+9752+285490 B work (285490 B exp.) in 4022272 B -> 4644864 B (\u2206goal 450560, cons/mark 0)",
    "scav 0 KiB work (bg), 0 KiB work (eager), 3272 KiB now, 77% util",
    "pacer: sweep done at heap size 2MB; allocated 0MB during sweep; swept 567 pages at 0.0006584685206755632 pages/byte",
    "pacer: 28% CPU (25 exp.) for 759144+9632+285490 B work (1052930 B exp.) in 3399832 B -> 4492056 B (\u2206goal 297752, cons/mark 0.6400072732155903)",
]


def test_regexes_match_real_go_lines():
    """The line grammars, derived from Go's print statements, accept what the real runtime printed."""
    regexes = (ASSIST_RE, SCAV_RE, SWEEP_RE, UTIL_RE)
    for line in REAL_GO:
        assert any(r.fullmatch(line) for r in regexes), line


# -- a program whose heap shrinks ----------------------------------------------------------------


def shrink_program(rt: Runtime, snaps: dict, n: int = 4096, churn: int = 20000):
    """Churn 8 KiB objects through a 32 MiB table, drop everything, GC twice, then idle and FreeOSMemory."""
    rt.data.declare("slots", gt.array_of(gt.pointer_to(gt.BYTE), n))

    def snap(tag: str) -> None:
        st = rt.heap.stats
        sc = rt.gc.scavenger
        snaps[tag] = {
            "numgc": rt.gc.numgc,
            "free": st.heap_free,
            "released": st.heap_released,
            "bg": sc.total_released_bg,
            "parked": sc.parked,
            "goal": sc.gc_percent_goal,
            "scavenged_pages": int(np.count_nonzero(rt.heap.mheap.pages.scavenged)),
        }

    def main(g):
        snap("start")
        for i in range(churn):
            g.set_global("slots", g.alloc(8192), off=8 * (i % n))
            if i == 300:
                snap("before first gc")
            if i % 16 == 0:
                yield
        snap("churned")
        for i in range(n):
            g.set_global("slots", 0, off=8 * i)
        yield from g.gc()
        snap("gc1")
        yield
        snap("gc1+1")
        yield from g.gc()
        snap("gc2")
        for _ in range(40):
            g.work(10**8)  # 0.1 s of model time
            yield
        snap("idle")
        yield from g.free_os_memory()
        snap("freeos")

    return main


@pytest.fixture(scope="module")
def shrunk():
    lines: list[str] = []
    pacer: list[str] = []
    rt = Runtime(gogc=100, scavtrace=lines.append, gcpacertrace=pacer.append)
    snaps: dict = {}
    rt.run(shrink_program(rt, snaps))
    return rt, snaps, lines, pacer


def test_heap_released_grows_after_the_heap_shrinks(shrunk):
    """After the live heap is dropped and collected, the background scavenger returns the free pages: HeapReleased grows."""
    rt, s, _, _ = shrunk
    assert s["churned"]["numgc"] >= 3
    assert s["gc1"]["free"] > 24 * MiB  # the swept heap is free but still backed
    assert s["gc1+1"]["released"] - s["gc1"]["released"] >= 24 * MiB
    assert s["gc1+1"]["free"] <= s["gc1"]["free"] - 24 * MiB
    assert s["gc1+1"]["scavenged_pages"] - s["gc1"]["scavenged_pages"] >= 24 * MiB // PAGE_SIZE
    assert s["idle"]["released"] >= s["gc1+1"]["released"]
    assert s["idle"]["bg"] >= 24 * MiB


def test_not_before_the_first_gc_completes(shrunk):
    """Before any cycle has ended the background scavenger is parked and has released nothing."""
    _, s, _, _ = shrunk
    assert s["start"]["parked"] and s["before first gc"]["numgc"] == 0
    assert s["before first gc"]["parked"] and s["before first gc"]["bg"] == 0


def test_free_os_memory_releases_everything(shrunk):
    """debug.FreeOSMemory: a forced GC, then every free page released; scavtrace says (forced)."""
    rt, s, lines, _ = shrunk
    assert s["freeos"]["free"] < 1 * MiB
    assert rt.heap.stats.heap_released == s["freeos"]["released"]
    m = SCAV_RE.fullmatch(lines[-1])
    assert m and m.group(5) == " (forced)" and m.group(1) == "0"
    assert int(m.group(3)) == s["freeos"]["released"] >> 10


def test_scavtrace_lines(shrunk):
    """A scav line per completed sweep, in printScavTrace's format, with HeapReleased in KiB and the bg work since the last line."""
    rt, s, lines, _ = shrunk
    assert len(lines) >= rt.gc.numgc - 1
    for line in lines:
        assert SCAV_RE.fullmatch(line), line
    bg = sum(int(SCAV_RE.fullmatch(x).group(1)) for x in lines)
    assert bg << 10 <= rt.gc.scavenger.total_released_bg
    assert any(int(SCAV_RE.fullmatch(x).group(1)) >= 24 * 1024 for x in lines)


def test_gcpacertrace_lines(shrunk):
    """Every pacer line is one of Go's formats; each cycle prints an assist-ratio line at its start, each sweep a sweep-done line."""
    rt, _, _, pacer = shrunk
    assert pacer
    kinds = {"assist": 0, "util": 0, "sweep": 0}
    for line in pacer:
        if ASSIST_RE.fullmatch(line):
            kinds["assist"] += 1
        elif UTIL_RE.fullmatch(line):
            kinds["util"] += 1
        elif SWEEP_RE.fullmatch(line):
            kinds["sweep"] += 1
        else:
            raise AssertionError(line)
    assert kinds["assist"] == rt.gc.cycles
    assert kinds["sweep"] >= rt.gc.numgc - 1


def test_gc_percent_goal_formula():
    """The retained goal is lastHeapInUse x heapGoal/lastHeapGoal x 1.10, page-rounded, or none within a page of it."""
    h = Heap(procs=1)
    sc = Scavenger(h, None, lambda: 0, 1)
    sc.last_heap_in_use = 10 * MiB
    h.stats.heap_in_use, h.stats.heap_free = 6 * MiB, 20 * MiB
    sc.pace(1 << 62, 8 * MiB, 16 * MiB)
    g = int(10 * MiB * 0.5)
    g += int(g / 10)
    assert sc.gc_percent_goal == -(-g // PHYS_PAGE_SIZE) * PHYS_PAGE_SIZE
    h.stats.heap_in_use, h.stats.heap_free = 5 * MiB, 0
    sc.pace(1 << 62, 8 * MiB, 16 * MiB)
    assert sc.gc_percent_goal == GOAL_OFF  # retained 5 MiB is under the 5.5 MiB goal
    sc.pace(1 << 62, 8 * MiB, 0)
    assert sc.gc_percent_goal == GOAL_OFF  # no cycle has ended: disabled


def test_memory_limit_goal_and_synchronous_scavenging():
    """Lowering the limit under mapped memory makes the next span allocation release the excess at once (forced)."""
    rt = Runtime(gogc=100)
    seen: dict = {}
    rt.data.declare("slots", gt.array_of(gt.pointer_to(gt.BYTE), 2048))

    def main(g):
        for i in range(2048):
            g.set_global("slots", g.alloc(8192), off=8 * i)
            if i % 16 == 0:
                yield
        for i in range(2048):
            g.set_global("slots", 0, off=8 * i)
        yield from g.gc()
        sc = rt.gc.scavenger
        sc.next_at = 1 << 62  # keep the background scavenger out of this
        seen["mapped_before"] = rt.gc.mapped_ready()
        g.set_memory_limit(8 * MiB)
        seen["ml_goal"] = sc.memory_limit_goal
        e0 = sc.total_released_eager
        g.alloc(64 << 10)  # a large object: a new span
        seen["eager"] = sc.total_released_eager - e0
        seen["mapped_after"] = rt.gc.mapped_ready()

    rt.run(main)
    assert seen["mapped_before"] > 16 * MiB
    assert seen["ml_goal"] == int(8 * MiB * 0.95)
    assert seen["eager"] >= seen["mapped_before"] - 8 * MiB
    assert seen["mapped_after"] <= 8 * MiB


def test_dense_chunks_are_skipped_unless_forced():
    """Unforced scavenging leaves chunks with >= 496 of 512 pages in use alone; forced scavenging takes them too."""
    pa = PageAlloc()
    pa.grow(ARENA_BASE_ADDR, 2 * PALLOC_CHUNK_PAGES * PAGE_SIZE)
    pa.scavenged[:] = False
    pa.alloc(SCAV_CHUNK_HI_OCC_PAGES)  # chunk 0 dense
    pa.in_use[PALLOC_CHUNK_PAGES : PALLOC_CHUNK_PAGES + 10] = True
    pa.chunk_used[1] = 10
    runs = pa.scavenge_free(None, SCAV_CHUNK_HI_OCC_PAGES)
    assert all(b >= ARENA_BASE_ADDR + PALLOC_CHUNK_PAGES * PAGE_SIZE for b, _ in runs)
    assert sum(n for _, n in runs) == PALLOC_CHUNK_PAGES - 10
    runs = pa.scavenge_free(None, None)
    assert sum(n for _, n in runs) == PALLOC_CHUNK_PAGES - SCAV_CHUNK_HI_OCC_PAGES


def test_background_pacing_targets_one_percent():
    """Go's TestScavenger pacing: over a 64 MiB job the scavenger's CPU share comes to 1% ± 0.5 points."""
    h = Heap(procs=1)
    sc = Scavenger(h, None, lambda: 0, 1)
    work_left = 64 * MiB - 3 * PHYS_PAGE_SIZE
    worked_total = slept_total = 0
    now = 0
    while work_left > 0:
        worked = 0
        while worked < MIN_SCAV_WORK_TIME and work_left > 0:
            b = min(64 << 10, work_left)
            worked += -(-b // 4096) * 10_000  # Go's test: 10 us per 4 KiB page
            work_left -= b
        sc._sleep(worked, now)
        slept = sc.next_at - now
        worked_total += worked
        slept_total += slept
        now = sc.next_at
    frac = worked_total / (worked_total + slept_total)
    assert abs(frac - SCAVENGE_PERCENT / 100) <= 0.005, frac


def test_pi_controller_clamps_and_resets():
    """The PI controller's output is clamped to [min, max] and it reports failure on overflow."""
    c = PIController(0.3375, 3.2e6, 1e9, 0.001, 1000.0)
    out, ok = c.next(0.0, 1e9, 1e9)
    assert ok and out == 1000.0
    out, ok = c.next(float("inf"), 0.01, 1.0)
    assert not ok and out == 0.001


def test_cli_trace_options(capsys, monkeypatch):
    """`gomem run --scavtrace --gcpacertrace` prints Go's scav and pacer lines on stderr, and only those."""
    monkeypatch.delenv("GOGC", raising=False)
    monkeypatch.delenv("GOMEMLIMIT", raising=False)
    rc = cli.main(
        ["run", "binary-trees", "--param", "depth=13", "--no-progress", "--scavtrace", "--gcpacertrace"]
    )
    out, err = capsys.readouterr()
    assert rc == 0
    lines = err.splitlines()
    assert lines
    for r in (SCAV_RE, ASSIST_RE, UTIL_RE, SWEEP_RE):
        assert any(r.fullmatch(x) for x in lines), r.pattern
    for line in lines:
        assert any(r.fullmatch(line) for r in (SCAV_RE, ASSIST_RE, UTIL_RE, SWEEP_RE)), line
    # as Go's sweepone: the last sweeper's pacer line, then the scav line; the sweep ratio printed is the
    # proportional sweep's (deductSweepCredit zeroes it only after the sweep has drained)
    sweeps = [i for i, x in enumerate(lines) if SWEEP_RE.fullmatch(x)]
    assert sweeps and all(SCAV_RE.fullmatch(lines[i + 1]) for i in sweeps if i + 1 < len(lines))
    assert any(float(SWEEP_RE.fullmatch(lines[i]).group(4)) > 0 for i in sweeps)
