"""GOMEMLIMIT: parsing, the memory-limit heap goal, the GC CPU limiter, SetMemoryLimit/SetGCPercent, the CLI.

Facts §5.3, §5.9, §5.10 (``mgcpacer.go`` memoryLimitHeapGoal/readGOMEMLIMIT,
``string.go`` parseByteCount, ``mgclimit.go``).
"""

from __future__ import annotations

import math

import pytest

from gomem.cmd import cli
from gomem.runtime import types as gt
from gomem.errors import BadInput
from gomem.runtime.mgclimit import CAPACITY_PER_PROC, UPDATE_PERIOD, GCCPULimiter
from gomem.runtime.mgcpacer import (
    GC_BACKGROUND_UTILIZATION,
    GOAL_OFF,
    MAX_INT64,
    Pacer,
    go_float,
    parse_byte_count,
    parse_gomemlimit,
)
from gomem.runtime.runtime import Runtime
from gomem.runtime.sched import CostModel

MiB = 1 << 20
MS = 1_000_000


# -- parsing --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, want",
    [
        ("0", 0),
        ("1234", 1234),
        ("+5", 5),
        ("1234B", 1234),
        ("64KiB", 64 << 10),
        ("2MiB", 2 << 20),
        ("3GiB", 3 << 30),
        ("1TiB", 1 << 40),
        ("9223372036854775807", MAX_INT64),
        ("8388607TiB", 8388607 << 40),
    ],
)
def test_parse_byte_count_accepts_what_go_accepts(text, want):
    """Digits, optionally with B or a KiB/MiB/GiB/TiB suffix, parse to the byte count parseByteCount returns."""
    assert parse_byte_count(text) == want
    assert parse_gomemlimit(text) == want


@pytest.mark.parametrize(
    "text",
    ["B", "KiB", "1KB", "1kiB", "1 KiB", " 1", "1.5GiB", "-1", "-1MiB", "1PiB", "0x10", "1e9", "1_000",
     "9223372036854775808", "8388608TiB", "OFF", "1iB", "1MB"],
)
def test_parse_byte_count_rejects_what_go_rejects(text):
    """Anything else is malformed, as Go's readGOMEMLIMIT would throw; gomem says so in one clear error."""
    assert parse_byte_count(text) is None
    with pytest.raises(BadInput, match=r"invalid size .* for GOMEMLIMIT: malformed GOMEMLIMIT"):
        parse_gomemlimit(text)


def test_gomemlimit_off():
    """An empty value or off means no limit: math.MaxInt64."""
    assert parse_gomemlimit("off") == parse_gomemlimit("") == MAX_INT64


@pytest.mark.parametrize(
    "v, want",
    [
        (0.0017430553540978306, "0.0017430553540978306"),
        (1.590899205456513e-05, "1.590899205456513e-05"),
        (0.25, "0.25"),
        (0.0, "0"),
        (1e21, "1e+21"),
        (1e20, "1e+20"),
        (0.0001, "0.0001"),
        (1.0, "1"),
        (100.0, "100"),
        (2.5e-7, "2.5e-07"),
        (math.inf, "+Inf"),
        (123456.0, "123456"),
        (1234567.0, "1.234567e+06"),
        (0.08333333333333333, "0.08333333333333333"),
        (-0.5, "-0.5"),
    ],
)
def test_go_float_matches_runtime_print(v, want):
    """Floats print as Go's runtime print does (strconv 'g', -1), checked against the real Go toolchain's output."""
    assert go_float(v) == want


# -- the memory-limit goal (pure pacer) ----------------------------------------------------------


def limited_pacer(limit: int, heap_free: int, heap_alloc: int, mapped_ready: int, marked: int = 0, gogc: int = 100):
    p = Pacer(gogc, 1, limit)
    p.mem_source = lambda: (heap_free, heap_alloc, mapped_ready)
    p.reset_live(marked, marked, 0, 0)
    p.commit(sweep_unfinished=False, heap_live=marked)
    return p


def test_memory_limit_goal_formula():
    """goal = limit - nonHeap - overage, less max(3%, 1 MiB) headroom, where nonHeap = mappedReady - heapFree - heapAlloc."""
    limit = 100 * MiB
    p = limited_pacer(limit, heap_free=5 * MiB, heap_alloc=30 * MiB, mapped_ready=40 * MiB, gogc=-1)
    g = limit - 5 * MiB
    assert p.memory_limit_heap_goal() == g - g // 100 * 3
    assert p.heap_goal() == g - g // 100 * 3


def test_memory_limit_goal_overage_and_floor():
    """Memory mapped past the limit comes off the goal; the goal never drops below the marked heap."""
    limit = 64 * MiB
    p = limited_pacer(limit, heap_free=0, heap_alloc=60 * MiB, mapped_ready=70 * MiB, marked=2 * MiB)
    g = limit - (10 * MiB + 6 * MiB)
    assert p.memory_limit_heap_goal() == g - g // 100 * 3
    p = limited_pacer(limit, heap_free=0, heap_alloc=0, mapped_ready=70 * MiB, marked=3 * MiB)
    assert p.memory_limit_heap_goal() == 3 * MiB  # nonHeap + overage >= limit: the marked heap
    p = limited_pacer(4 * MiB, heap_free=0, heap_alloc=0, mapped_ready=2 * MiB + MiB // 2, marked=MiB // 2)
    assert p.memory_limit_heap_goal() == MiB  # less than twice the 1 MiB headroom left: the headroom


def test_goal_is_the_smaller_and_skips_the_sweep_floor():
    """goal = min(GOGC goal, limit goal); a limit-set goal ignores the sweep floor and the 64 KiB minimum runway."""
    p = limited_pacer(20 * MiB, 0, 0, 0, marked=10 * MiB)
    assert p.gc_percent_heap_goal == 20 * MiB
    assert p.heap_goal() == p.memory_limit_heap_goal() < 20 * MiB
    assert p.memory_limited()
    p.commit(sweep_unfinished=True, heap_live=19 * MiB)
    p.start_cycle(0, 19 * MiB, 1)
    assert p.heap_goal() == p.memory_limit_heap_goal()
    p.set_memory_limit(MAX_INT64)
    assert p.heap_goal() == 20 * MiB  # the sweep floor (19+1 MiB) and runway (19 MiB + 64 KiB) apply again


def test_gogc_off_goal_is_the_maxint64_limit_goal():
    """With GOGC=off and no limit NextGC is the MaxInt64 limit's goal, as real Go reports (8946670875745430152)."""
    p = Pacer(-1)
    assert p.gc_percent_heap_goal == GOAL_OFF
    assert p.heap_goal() == MAX_INT64 - MAX_INT64 // 100 * 3
    p.mem_source = lambda: (0, 0, 3_815_655)  # the real run's non-heap memory, about
    assert abs(p.heap_goal() - 8946670875745430152) < 1 << 20


def test_set_memory_limit_negative_reads():
    """SetMemoryLimit with a negative value only returns the current limit."""
    p = Pacer(100, 1, 64 * MiB)
    assert p.set_memory_limit(-1) == 64 * MiB
    assert p.set_memory_limit(32 * MiB) == 64 * MiB
    assert p.memory_limit == 32 * MiB


# -- the GC CPU limiter (Go's TestGCCPULimiter) ------------------------------------------------------


def test_gc_cpu_limiter_like_go():
    """Go's TestGCCPULimiter, step by step: mutator time drains, 100% GC fills, full means limiting, overflow counts."""
    procs = 14
    ticks = [0]

    def advance(d: int) -> int:
        ticks[0] += d
        return ticks[0]

    def assist_time(d: int, frac: float) -> int:
        return int(frac * d * procs)

    l = GCCPULimiter(ticks[0], procs)
    base_overflow = 0
    for _ in range(2):
        assert l.capacity == procs * CAPACITY_PER_PROC
        assert l.fill == 0
        l.update(advance(10 * MS))
        l.update(advance(1000 * MS))
        l.update(advance(3600 * 1000 * MS))
        assert l.fill == 0
        assert not l.need_update(advance(UPDATE_PERIOD // 2))
        assert l.need_update(advance(UPDATE_PERIOD))
        l.update(advance(0))
        assert not l.need_update(advance(0))
        l.start_gc_transition(True, advance(109 * MS))
        l.finish_gc_transition(advance(2 * MS + 1000))
        assert l.fill == (2 * MS + 1000) * procs
        factor = 1 / (1 - 2 * GC_BACKGROUND_UTILIZATION)
        fill = (2 * MS + 1000) * procs
        l.update(advance(int(factor * (fill - procs) / procs)))
        assert l.fill == procs
        l.update(advance(2 * procs * CAPACITY_PER_PROC))
        assert l.fill == 0
        l.add_assist_time(assist_time(10 * MS, 0.5 - GC_BACKGROUND_UTILIZATION))
        l.update(advance(10 * MS))
        assert l.fill == 0
        l.add_assist_time(assist_time(MS, 1.0 - GC_BACKGROUND_UTILIZATION))
        l.update(advance(MS))
        assert l.fill == procs * MS and not l.limiting()
        l.add_assist_time(assist_time(CAPACITY_PER_PROC - MS, 1.0 - GC_BACKGROUND_UTILIZATION))
        l.update(advance(CAPACITY_PER_PROC - MS))
        assert l.fill == l.capacity and l.limiting() and l.overflow == base_overflow
        l.add_assist_time(assist_time(1000 * MS, 0.5 - GC_BACKGROUND_UTILIZATION))
        l.update(advance(1000 * MS))
        assert l.fill == l.capacity and l.limiting() and l.overflow == base_overflow
        l.add_assist_time(assist_time(CAPACITY_PER_PROC, 0))
        l.update(advance(CAPACITY_PER_PROC))
        assert l.fill == l.capacity // 2 and not l.limiting()
        l.add_assist_time(assist_time(CAPACITY_PER_PROC, 1.0 - GC_BACKGROUND_UTILIZATION))
        l.update(advance(CAPACITY_PER_PROC))
        assert l.fill == l.capacity and l.limiting()
        assert l.overflow == CAPACITY_PER_PROC * procs // 2 + base_overflow
        l.add_assist_time(assist_time(MS, 1.0 - GC_BACKGROUND_UTILIZATION))
        l.start_gc_transition(False, advance(MS))
        assert l.fill == l.capacity and l.limiting()
        assert l.overflow == (CAPACITY_PER_PROC // 2 + MS) * procs + base_overflow
        l.finish_gc_transition(advance(5 * MS))
        assert l.fill == l.capacity and l.limiting()
        over = (CAPACITY_PER_PROC // 2 + 6 * MS) * procs
        assert l.overflow == over + base_overflow
        expect_fill = l.capacity
        l.reset_capacity(advance(0), procs + 10)
        assert l.fill == expect_fill and not l.limiting() and l.overflow == over + base_overflow
        l.reset_capacity(advance(0), procs - 10)
        assert l.fill == l.capacity and l.limiting() and l.overflow == over + base_overflow
        l.reset_capacity(advance(CAPACITY_PER_PROC * procs), procs)
        base_overflow += over


# -- in a running program -----------------------------------------------------------------------


def ring_program(rt: Runtime, n: int, size: int, total: int, samples: list, typ=None, work: int = 0, every: int = 4):
    """Allocate *total* objects, each replacing one of *n* kept in a global table (live heap ~ n objects)."""
    rt.data.declare("slots", gt.array_of(gt.pointer_to(gt.BYTE), n))

    def main(g):
        for i in range(total):
            v = g.new(typ) if typ is not None else g.alloc(size)
            g.set_global("slots", v, off=8 * (i % n))
            if work:
                g.work(work)
            if i % every == 0:
                st = rt.heap.stats
                samples.append((g.now, st.heap_live, rt.gc.mapped_ready(), rt.gc.gc_cpu, rt.gc.limiter.limiting()))
                yield

    return main


def test_gogc_off_with_a_limit_collects_and_stays_under():
    """GOGC=off with a 16 MiB limit: cycles still run, and the heap and mapped memory stay under the limit."""
    limit = 16 * MiB
    rt = Runtime(gogc=-1, memory_limit=limit)
    s: list = []
    rt.run(ring_program(rt, 512, 8192, 8000, s))  # 4 MiB live, 64 MiB allocated
    assert rt.gc.numgc >= 3
    assert max(x[1] for x in s) < limit
    assert max(x[2] for x in s) <= limit
    assert rt.gc.pacer.memory_limited()
    assert rt.gc.heap_goal() == rt.gc.pacer.memory_limit_heap_goal()


def test_without_a_limit_gogc_off_never_collects():
    """The same program with GOGC=off and no limit never starts a cycle."""
    rt = Runtime(gogc=-1)
    s: list = []
    rt.run(ring_program(rt, 512, 8192, 3000, s))
    assert rt.gc.numgc == 0


def test_limit_below_the_gogc_goal_governs():
    """A 10 MiB limit (with ~3.5 MiB of it non-heap) under the ~8 MiB GOGC=100 goal sets the goal: exactly the formula."""
    limit = 10 * MiB
    rt = Runtime(gogc=100, memory_limit=limit)
    s: list = []
    rt.run(ring_program(rt, 512, 8192, 6000, s))
    pc = rt.gc.pacer
    assert pc.gc_percent_heap_goal >= 8 * MiB
    heap_free, heap_alloc, mapped = rt.gc._mem_source()
    non_heap = mapped - heap_free - heap_alloc
    g = limit - non_heap - max(mapped - limit, 0)
    want = max(g - max(g // 100 * 3, MiB), pc.heap_marked)
    assert rt.gc.heap_goal() == want < pc.gc_percent_heap_goal
    assert max(x[1] for x in s) < limit
    free = Runtime(gogc=100)
    free.run(ring_program(free, 512, 8192, 6000, []))
    assert rt.gc.numgc > free.gc.numgc


def limiter_run(limiting: bool, total: int):
    """GOGC=off with a 1 MiB limit under a 2 MiB live heap of pointer arrays that are slow to scan."""
    rt = Runtime(gogc=-1, memory_limit=1 * MiB, cost=CostModel(scan_word=100))
    if not limiting:
        rt.gc.limiter.limiting = lambda: False  # type: ignore[method-assign]
    s: list = []
    arr = gt.array_of(gt.pointer_to(gt.BYTE), 64)
    rt.run(ring_program(rt, 4096, 0, total, s, typ=arr, work=1000))
    return rt, s


def test_cpu_limiter_caps_gc_cpu():
    """A limit below the live heap makes GC run back to back at ~100% CPU; once the limiter engages GC CPU falls to about 50-60%."""
    rt, s = limiter_run(True, 200_000)
    lim = rt.gc.limiter
    assert lim.last_enabled_cycle > 0 and lim.enable_count > 1
    first = next(i for i, x in enumerate(s) if x[4])
    a, b = s[first], s[-1]
    assert b[0] - a[0] > 300 * MS
    capped = (b[3] - a[3]) / (b[0] - a[0])
    assert 0.4 <= capped <= 0.7, capped
    rt2, s2 = limiter_run(False, 40_000)
    a2, b2 = s2[len(s2) // 4], s2[-1]
    uncapped = (b2[3] - a2[3]) / (b2[0] - a2[0])
    assert uncapped > 0.95


def test_set_gc_percent_and_memory_limit_during_a_run():
    """debug.SetGCPercent and debug.SetMemoryLimit from a goroutine return the old values and move the goal at once."""
    rt = Runtime(gogc=100)
    seen: dict = {}
    rt.data.declare("keep", gt.array_of(gt.pointer_to(gt.BYTE), 64))

    def main(g):
        for i in range(64):
            g.set_global("keep", g.alloc(64 << 10), off=8 * i)
            yield
        yield from g.gc()
        pc = rt.gc.pacer
        seen["goal100"] = rt.gc.heap_goal()
        seen["old_gogc"] = g.set_gc_percent(50)
        seen["goal50"] = rt.gc.heap_goal()
        seen["formula50"] = pc.heap_marked + (pc.heap_marked + pc.last_stack_scan + pc.globals_scan) * 50 // 100
        seen["old_limit"] = g.set_memory_limit(5 * MiB)
        seen["goal_limited"] = rt.gc.heap_goal()
        seen["read"] = g.set_memory_limit(-1)
        seen["old_limit2"] = g.set_memory_limit(MAX_INT64)
        seen["goal_unlimited"] = rt.gc.heap_goal()
        seen["old_gogc2"] = g.set_gc_percent(100)
        seen["goal_back"] = rt.gc.heap_goal()

    rt.run(main)
    assert seen["old_gogc"] == 100 and seen["old_gogc2"] == 50
    assert seen["goal50"] == max(seen["formula50"], 2 * MiB) < seen["goal100"]
    assert seen["old_limit"] == MAX_INT64 and seen["read"] == 5 * MiB and seen["old_limit2"] == 5 * MiB
    assert seen["goal_limited"] < 5 * MiB < seen["goal50"]
    assert seen["goal_unlimited"] == seen["goal50"]
    assert seen["goal_back"] == seen["goal100"]


def test_set_gc_percent_off_waits_for_the_mark_phase():
    """SetGCPercent(-1) during a mark phase parks the caller (at its next yield) until that cycle's mark is over."""
    rt = Runtime(gogc=100)
    seen: dict = {}

    def main(g):
        for _ in range(8):
            g.alloc(64 << 10)
        rt.gc.start(g.p)  # a cycle is marking now
        seen["running"] = rt.gc.running
        seen["old"] = g.set_gc_percent(-1)
        n = rt.gc.numgc
        yield
        seen["after"] = (rt.gc.running, rt.gc.numgc - n)
        for _ in range(400):
            g.alloc(64 << 10)  # 25 MiB: GOGC=off, no limit, no more cycles
            yield

    rt.run(main)
    assert seen["running"] and seen["old"] == 100
    assert seen["after"] == (False, 1)
    assert rt.gc.numgc == 1


# -- the command line ---------------------------------------------------------------------------


def run_cli(capsys, monkeypatch, *args, env=None):
    monkeypatch.delenv("GOGC", raising=False)
    monkeypatch.delenv("GOMEMLIMIT", raising=False)
    for k, v in (env or {}).items():
        monkeypatch.setenv(k, v)
    rc = cli.main(["run", "binary-trees", "--param", "depth=12", "--no-progress", *args])
    out, err = capsys.readouterr()
    return rc, out, err


def test_cli_gomemlimit(capsys, monkeypatch):
    """`gomem run --gomemlimit 12MiB --gogc off` collects under the limit and says so in its header."""
    rc, out, err = run_cli(capsys, monkeypatch, "--gomemlimit", "12MiB", "--gogc", "off")
    assert rc == 0, err
    assert "GOGC=off GOMEMLIMIT=12MiB " in out
    assert int(out.split("NumGC:")[1].split()[0]) > 0


def test_cli_environment_and_option_precedence(capsys, monkeypatch):
    """GOGC and GOMEMLIMIT come from the environment when the options are absent; an option wins over it."""
    rc, out, _ = run_cli(capsys, monkeypatch, env={"GOGC": "off", "GOMEMLIMIT": "12MiB"})
    assert rc == 0 and "GOGC=off GOMEMLIMIT=12MiB " in out
    rc, out, _ = run_cli(capsys, monkeypatch, "--gomemlimit", "off", "--gogc", "200", env={"GOGC": "off", "GOMEMLIMIT": "12MiB"})
    assert rc == 0 and "GOGC=200 GOMAXPROCS" in out and "GOMEMLIMIT" not in out


@pytest.mark.parametrize("args, env", [(["--gomemlimit", "3MB"], None), ([], {"GOMEMLIMIT": "lots"})])
def test_cli_malformed_gomemlimit(capsys, monkeypatch, args, env):
    """A malformed GOMEMLIMIT, as option or environment variable, is one clear error line and status 2."""
    rc, out, err = run_cli(capsys, monkeypatch, *args, env=env)
    assert rc == 2 and out == ""
    assert err.startswith("gomem: invalid size ") and "malformed GOMEMLIMIT" in err and err.count("\n") == 1
