"""gomem.cmd.report: the run summary's computations (pauses, GC CPU, MemStats' GC fields)."""

from __future__ import annotations

import pytest

from gomem import api
from gomem.cmd import report
from gomem.cmd.report import PauseStats, pause_stats, percentile
from gomem.runtime.runtime import Runtime
from gomem.runtime.trace import CycleRecord


def test_percentile_nearest_rank() -> None:
    assert percentile([], 99) == 0
    assert percentile([7], 99) == 7
    assert percentile(range(1, 101), 99) == 99
    assert percentile(range(1, 101), 100) == 100
    assert percentile(range(1, 101), 50) == 50
    assert percentile(range(1, 11), 99) == 10  # fewer than 100 values: the max
    assert percentile([5, 1, 3], 1) == 1
    with pytest.raises(ValueError):
        percentile([1], 0)


def test_pause_stats_by_phase() -> None:
    pauses = [
        (1, "sweep termination", 100, 10),
        (1, "mark termination", 500, 30),
        (2, "sweep termination", 1000, 20),
        (2, "mark", 1020, 400),
        (2, "mark termination", 1420, 50),
    ]
    ps = pause_stats(pauses)
    assert list(ps) == ["sweep termination", "mark", "mark termination", "all", "per cycle"]
    assert ps["sweep termination"] == PauseStats(2, 30, 20, 20)
    assert ps["mark"] == PauseStats(1, 400, 400, 400)
    assert ps["mark termination"] == PauseStats(2, 80, 50, 50)
    assert ps["all"] == PauseStats(5, 510, 400, 400)
    assert ps["per cycle"] == PauseStats(2, 510, 470, 470)
    assert pause_stats([]) == {"all": PauseStats(), "per cycle": PauseStats()}


def test_gc_cpu_fraction_hand_made() -> None:
    r1 = CycleRecord(n=1, t_end=1_000_000, procs=2, stwprocs=2, assist_time=1000, background_time=9000,
                     idle_time=50_000, pauses=[("sweep termination", 0, 500), ("mark termination", 0, 500)])
    # 2*(500+500) + 1000 + 9000 = 12000 of 2 * 1 ms; idle marking excluded
    assert report.cycle_gc_cpu_ns(r1) == 12_000
    assert report.gc_cpu_fraction([r1]) == pytest.approx(0.006)
    stw = CycleRecord(n=2, t_end=2_000_000, procs=2, stwprocs=2, background_time=800,
                      pauses=[("sweep termination", 0, 100), ("mark", 0, 400), ("mark termination", 0, 100)])
    # the stw modes' mark pause costs the workers' mark time, not 2 x its length
    assert report.cycle_gc_cpu_ns(stw) == 2 * 200 + 800
    assert report.gc_cpu_fraction([r1, stw]) == pytest.approx((12_000 + 1200) / 4_000_000)
    assert report.gc_cpu_fraction([]) == 0.0


def _run(mode: str = "go1.8", procs: int = 2, depth: int = 10, final_gc: bool = True) -> Runtime:
    """binary-trees (the Go program) at *depth*, then runtime.GC() if *final_gc*; the runtime it ran on."""
    return api.run("binary-trees", params={"depth": depth}, gc=mode, procs=procs, final_gc=final_gc).runtime


@pytest.mark.parametrize("mode, procs", [("go1.8", 1), ("go1.8", 2), ("stw", 2), ("go1.5", 4), ("none", 1)])
def test_gc_cpu_fraction_agrees_with_collector(mode: str, procs: int) -> None:
    rt = _run(mode, procs, depth=12)
    gc = rt.gc
    assert gc.records and not gc.running
    frac = report.gc_cpu_fraction(gc.records)
    # the collector's own running total, and gctrace's truncated percent
    assert frac == pytest.approx(gc.gc_cpu / (gc.records[-1].t_end * procs))
    assert int(frac * 100) == gc.records[-1].gc_cpu_percent
    for i in range(1, len(gc.records) + 1):
        assert int(report.gc_cpu_fraction(gc.records[:i]) * 100) == gc.records[i - 1].gc_cpu_percent


def test_memstats_gc_fields() -> None:
    rt = _run(depth=10)
    ms = report.memstats(rt)
    recs = rt.gc.records
    assert ms.NumGC == rt.gc.numgc == len(recs) >= 1
    assert ms.NumForcedGC == 1 and recs[-1].forced
    assert ms.PauseTotalNs == sum(ns for *_, ns in rt.gc.pauses) == sum(r.pause_ns for r in recs)
    newest = (ms.NumGC + 255) % 256
    assert ms.PauseNs[newest] == recs[-1].pause_ns
    assert ms.PauseEnd[newest] == recs[-1].t_end == ms.LastGC
    assert sum(1 for v in ms.PauseNs if v) == len(recs)
    assert 0 < ms.GCCPUFraction < 1
    assert ms.NextGC == rt.gc.heap_goal()


def test_memstats_pause_ring_wraps() -> None:
    rt = Runtime()
    rt.gc.records = [CycleRecord(n=i, t_end=i * 10, pauses=[("sweep termination", 0, i)]) for i in range(1, 301)]
    rt.gc.numgc = 300
    ms = report.memstats(rt)
    assert ms.PauseNs[(300 + 255) % 256] == 300
    assert ms.PauseNs[0] == 257  # cycle 257 overwrote cycle 1
    assert ms.PauseTotalNs == sum(range(1, 301))


def test_summary_and_format() -> None:
    rt = _run(depth=10)
    s = report.summarize(rt, wall_seconds=0.5)
    assert s.num_gc == rt.gc.numgc and s.num_forced_gc == 1 and not s.cycle_in_progress
    assert s.pause_total_ns == s.pauses["all"].total_ns == s.pauses["per cycle"].total_ns
    assert s.pauses["sweep termination"].count == s.pauses["mark termination"].count == s.num_gc
    assert "mark" not in s.pauses  # concurrent mark is no pause
    assert s.model_ns == rt.now and s.procs == 2
    assert s.allocs_per_wall_second == pytest.approx(s.mallocs / 0.5)
    assert s.gc_cpu_percent == rt.gc.records[-1].gc_cpu_percent
    text = report.format_summary(s)
    for want in ("GC cycles:", "1 forced (NumForcedGC)", "sweep termination", "mark termination", "per cycle",
                 "GC CPU:", "model time:", "simulator:", "allocs/s"):
        assert want in text
    d = s.as_dict()
    assert d["pauses"]["all"]["total_ns"] == s.pause_total_ns


def test_summary_stw_mode_reports_mark_pause() -> None:
    s = report.summarize(_run("stw", depth=10), 1.0)
    assert s.pauses["mark"].count == s.num_gc
    assert "  mark " in report.format_summary(s)


def test_summary_without_gc() -> None:
    rt = api.run("binary-trees", params={"depth": 6}, gogc="off").runtime
    s = report.summarize(rt, 0.0)
    assert s.num_gc == 0 and s.gc_cpu_fraction == 0 and s.allocs_per_wall_second == 0
    assert "STW pauses:     none" in report.format_summary(s)


@pytest.mark.parametrize(
    "ns, want", [(0, "0 ns"), (999, "999 ns"), (3004, "3.00 us"), (1_234_567, "1.235 ms"), (2_500_000_000, "2.500 s")]
)
def test_fmt_duration(ns: int, want: str) -> None:
    assert report.fmt_duration(ns) == want


def test_fmt_bytes_and_count() -> None:
    assert report.fmt_bytes(512) == "512 B"
    assert report.fmt_bytes(3 << 20) == "3.0 MiB"
    assert report.fmt_count(950) == "950"
    assert report.fmt_count(1_650_000) == "1.65 M"
