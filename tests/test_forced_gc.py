"""Triggers other than the heap: sysmon's periodic GC (``forcegcperiod``), runtime.GC, and NextGC after them.

Facts §5.1 (``gcTrigger.test``: gcTriggerTime needs GOGC on and a completed
cycle; ``forcegcperiod = 2 min``; the forcegc helper prints ``GC forced``
under gctrace, ``proc.go``) and §4.9.
"""

from __future__ import annotations

import pytest

from gomem.runtime import types as gt
from gomem.runtime.mgc import FORCEGC_PERIOD
from gomem.cmd.report import parse_gctrace_line
from gomem.runtime.runtime import Runtime

SECOND = 1_000_000_000
MiB = 1 << 20


def idle_program(seconds: int, first_gc: bool = True):
    """Optionally one runtime.GC(), then *seconds* of model time in 1-second steps of pure computation."""

    def main(g):
        for _ in range(8):
            g.alloc(64 << 10)
        if first_gc:
            yield from g.gc()
        for _ in range(seconds):
            g.work(SECOND)  # one model second of the program's own work
            yield

    return main


def test_forced_every_two_minutes():
    """A program that stops allocating still gets a cycle every 2 model minutes, at the first safe point after."""
    rt = Runtime()
    rt.run(idle_program(370))
    assert FORCEGC_PERIOD == 120 * SECOND
    assert rt.gc.numgc == 4 and rt.gc.num_time_forced == 3
    ends = [r.t_end for r in rt.gc.records]
    starts = [r.t_sweep_term for r in rt.gc.records]
    for prev_end, start in zip(ends, starts[1:]):
        assert FORCEGC_PERIOD < start - prev_end <= FORCEGC_PERIOD + SECOND + 1_000_000
    assert rt.gc.num_forced == 1  # only runtime.GC counts in NumForcedGC


def test_gctrace_prints_gc_forced_first():
    """With gctrace, "GC forced" comes right before the cycle's line, which has no "(forced)" suffix."""
    lines: list[str] = []
    rt = Runtime(gctrace=lines.append)
    rt.run(idle_program(130))
    assert lines[1] == "GC forced"
    first, periodic = parse_gctrace_line(lines[0]), parse_gctrace_line(lines[2])
    assert first["forced"] and not periodic["forced"]
    assert periodic["n"] == 2 and float(periodic["at"]) >= 120.0
    assert len(lines) == 3


def test_no_periodic_gc_with_gogc_off():
    """gcTriggerTime requires GOGC >= 0: with GOGC=off nothing is forced, however long the program idles."""
    rt = Runtime(gogc=-1)
    rt.run(idle_program(300))
    assert rt.gc.numgc == 1 and rt.gc.num_time_forced == 0


def test_no_periodic_gc_before_the_first_cycle():
    """gcTriggerTime also requires a completed cycle (lastgc != 0): a program that never collected is left alone."""
    rt = Runtime()
    rt.run(idle_program(300, first_gc=False))
    assert rt.gc.numgc == 0


def test_set_gc_percent_re_enables_the_period():
    """Turning GOGC back on with SetGCPercent lets sysmon force a cycle again once 2 minutes have passed."""
    rt = Runtime(gogc=-1)

    def main(g):
        yield from g.gc()
        for _ in range(150):
            g.work(SECOND)
            yield
        assert rt.gc.numgc == 1
        g.set_gc_percent(100)
        for _ in range(5):
            g.work(SECOND)
            yield

    rt.run(main)
    assert rt.gc.numgc == 2 and rt.gc.num_time_forced == 1


def test_time_triggered_cycle_limits_idle_workers():
    """A periodic cycle runs with no idle mark workers when a dedicated worker exists, else one (startCycle)."""
    for procs, want in ((1, 1), (4, 0), (8, 0)):
        rt = Runtime(procs=procs)
        rt.run(idle_program(125))
        assert rt.gc.pacer.max_idle_workers == want
        rt.gc.pacer.start_cycle(0, 0, procs)
        assert rt.gc.pacer.max_idle_workers == procs - rt.gc.pacer.dedicated_workers


@pytest.mark.parametrize("gogc", [50, 100, 400])
def test_next_gc_after_runtime_gc_is_the_formula(gogc):
    """After runtime.GC() on a known live heap NextGC is heapMarked + (heapMarked + stacks + globals) x GOGC/100 exactly."""
    rt = Runtime(gogc=gogc)
    n = 48
    rt.data.declare("keep", gt.array_of(gt.pointer_to(gt.BYTE), n))

    def main(g):
        for i in range(n):
            g.set_global("keep", g.alloc(128 << 10), off=8 * i)
            g.alloc(64 << 10)  # garbage
            yield
        yield from g.gc()

    rt.run(main)
    pc = rt.gc.pacer
    marked = n * (128 << 10)
    assert pc.heap_marked == marked == rt.gc.records[-1].heap2
    rec = rt.gc.records[-1]
    want = max(marked + (marked + rec.stack_scan + rec.globals_scan) * gogc // 100, 4 * MiB * gogc // 100)
    ms = rt.heap.read_memstats(next_gc=rt.gc.heap_goal())
    assert ms.NextGC == want
