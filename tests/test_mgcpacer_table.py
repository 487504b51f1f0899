"""Table-driven pacer tests: Go's ``TestGcPacer`` (``runtime/mgcpacer_test.go``) around gomem's Pacer.

The harness is a Python re-implementation of Go's: each GC cycle is
simulated in 500 µs revise periods, with an idealized mutator whose GC CPU
utilization follows from the assist ratio the pacer sets
(``u = ratio·alloc / (ratio·alloc + scan)``, never below 25 %); the pacer
sees only what Go's test copy of the controller sees (``export_test.go``
``GCController``: ``StartCycle``, ``Revise``, ``EndCycle``), with no heap.
Synthetic input streams (constant, ramp, unit, oscillate, random jitter,
and their combinators) are ports of Go's ``float64Stream``.

One difference: Go's ``random`` streams use ``math/rand`` with fixed seeds;
these use Python's ``random.Random`` with the same seeds, so the jitter has
the same amplitude and distribution but not the same numbers.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass, field
from typing import Callable

import pytest

from gomem.runtime.mgcpacer import (
    DEFAULT_HEAP_MINIMUM,
    GC_BACKGROUND_UTILIZATION,
    GC_GOAL_UTILIZATION,
    MAX_INT64,
    MEMORY_LIMIT_HEAP_GOAL_HEADROOM_PERCENT,
    MEMORY_LIMIT_MIN_HEAP_GOAL_HEADROOM,
    Pacer,
)

INITIAL_HEAP_BYTES = 256 << 10
#: revisePeriod (500 µs) and the rate conversion KiB/cpu-ms -> bytes per period per core
REVISE_PERIOD = 500_000
RATE_CONV = 1024 * REVISE_PERIOD / 1_000_000
MIN_RATE = 0.0001


# -- streams (Go's float64Stream) ------------------------------------------------------


class Stream:
    """An infinite stream of floats; each call yields the next value."""

    def __init__(self, f: Callable[[], float]) -> None:
        self.f = f

    def __call__(self) -> float:
        return self.f()

    def delay(self, cycles: int) -> Stream:
        n = [0]

        def g() -> float:
            if n[0] < cycles:
                n[0] += 1
                return 0.0
            return self.f()

        return Stream(g)

    def scale(self, amt: float) -> Stream:
        return Stream(lambda: self.f() * amt)

    def offset(self, amt: float) -> Stream:
        return Stream(lambda: self.f() + amt)

    def sum(self, *others: Stream) -> Stream:
        def g() -> float:
            s = self.f()
            for o in others:
                s += o()
            return s

        return Stream(g)

    def quantize(self, mult: float) -> Stream:
        def g() -> float:
            r = self.f() / mult
            return (math.ceil(r) if r < 0 else math.floor(r)) * mult

        return Stream(g)

    def min(self, lo: float) -> Stream:
        return Stream(lambda: max(lo, self.f()))

    def max(self, hi: float) -> Stream:
        return Stream(lambda: min(hi, self.f()))

    def limit(self, lo: float, hi: float) -> Stream:
        return Stream(lambda: min(max(self.f(), lo), hi))


def constant(c: float) -> Stream:
    return Stream(lambda: c)


def unit(amp: float) -> Stream:
    dropped = [False]

    def g() -> float:
        if dropped[0]:
            return 0.0
        dropped[0] = True
        return amp

    return Stream(g)


def oscillate(amp: float, phase: float, period: int) -> Stream:
    cycle = [0]

    def g() -> float:
        p = cycle[0] / period * 2 * math.pi + phase
        cycle[0] += 1
        if cycle[0] == period:
            cycle[0] = 0
        return math.sin(p) * amp

    return Stream(g)


def ramp(height: float, length: int) -> Stream:
    cycle = [0]

    def g() -> float:
        h = height * cycle[0] / length
        if cycle[0] < length:
            cycle[0] += 1
        return h

    return Stream(g)


def rand(amp: float, seed: int) -> Stream:
    r = random.Random(seed)
    return Stream(lambda: (r.random() - 0.5) * 2 * amp)


# -- the controller as Go's test sees it (export_test.go GCController) ----------------------------


class Controller:
    """A pacer plus the few live counters Go's test copy of gcControllerState carries."""

    def __init__(self, gc_percent: int, memory_limit: int) -> None:
        self.p = Pacer(gc_percent, 8, memory_limit)
        self.heap_live = 0
        self.heap_scan = 0
        self.max_stack_scan = 0
        self.heap_scan_work = self.stack_scan_work = self.globals_scan_work = 0

    def _revise(self) -> None:
        p = self.p
        p.heap_scan_work, p.stack_scan_work, p.globals_scan_work = (
            self.heap_scan_work,
            self.stack_scan_work,
            self.globals_scan_work,
        )
        p.scan_work = self.heap_scan_work + self.stack_scan_work + self.globals_scan_work
        p.revise(self.heap_live, self.heap_scan, self.max_stack_scan)

    def start_cycle(self, stack_size: int, globals_size: int, scannable_frac: float, procs: int) -> None:
        p = self.p
        trigger = max(p.trigger(), p.heap_marked)
        self.max_stack_scan = stack_size
        p.globals_scan = globals_size
        self.heap_live = trigger
        self.heap_scan += int((trigger - p.heap_marked) * scannable_frac)
        self.heap_scan_work = self.stack_scan_work = self.globals_scan_work = 0
        p.start_cycle(0, self.heap_live, procs)
        self._revise()

    def revise(self, heap_live: int, heap_scan: int, heap_work: int, stack_work: int, globals_work: int) -> None:
        self.heap_live += heap_live
        self.heap_scan += heap_scan
        self.heap_scan_work += heap_work
        self.stack_scan_work += stack_work
        self.globals_scan_work += globals_work
        self._revise()

    def end_cycle(self, bytes_marked: int, assist_time: int, elapsed: int, procs: int) -> None:
        p = self.p
        p.assist_time = assist_time
        p.scan_work = self.heap_scan_work + self.stack_scan_work + self.globals_scan_work
        p.end_cycle(elapsed, self.heap_live, procs)
        p.reset_live(bytes_marked, self.heap_scan_work, self.stack_scan_work, p.globals_scan)
        self.heap_live = bytes_marked
        self.heap_scan = self.heap_scan_work
        p.commit(sweep_unfinished=True, heap_live=self.heap_live)  # Go's EndCycle: commit(isSweepDone=false)


# -- the simulation ------------------------------------------------------------------------


@dataclass
class Result:
    """One simulated cycle (Go: gcCycleResult)."""

    cycle: int
    heap_live: int
    heap_trigger: int
    heap_goal: int
    heap_peak: int
    heap_scannable: int
    gc_utilization: float

    def goal_ratio(self) -> float:
        return self.heap_peak / self.heap_goal

    def runway(self) -> float:
        return float(self.heap_goal - self.heap_trigger)

    def trigger_ratio(self) -> float:
        return (self.heap_trigger - self.heap_live) / (self.heap_goal - self.heap_live)


@dataclass
class Case:
    """One row of Go's table (gcExecTest)."""

    gc_percent: int
    memory_limit: int
    globals_bytes: int
    n_cores: int
    alloc_rate: Stream  # KiB / cpu-ms
    scan_rate: Stream  # KiB / cpu-ms
    growth_rate: Stream
    scannable_frac: Stream
    stack_bytes: Stream
    length: int
    checker: Callable[[list[Result]], None]
    results: list[Result] = field(default_factory=list)


def in_range(name: str, a: float, lo: float, hi: float) -> None:
    assert lo <= a <= hi, f"{name} not in range ({lo:f}, {hi:f}): {a:f}"


def in_epsilon(name: str, a: float, b: float, eps: float) -> None:
    in_range(name, a, b - eps, b + eps)


def headroom(goal: int) -> int:
    """Go's applyMemoryLimitHeapGoalHeadroom."""
    h = max(goal // 100 * MEMORY_LIMIT_HEAP_GOAL_HEADROOM_PERCENT, MEMORY_LIMIT_MIN_HEAP_GOAL_HEADROOM)
    return h if goal < h or goal - h < h else goal - h


def general_check(results: list[Result]) -> None:
    """gcExecTest.check's checks for every cycle."""
    n = len(results)
    if n == 1:
        assert results[0].cycle == 1
    else:
        assert results[-1].cycle == results[-2].cycle + 1
    assert 0 <= results[-1].gc_utilization <= 1, "GC utilization not within acceptable bounds"
    assert results[-1].heap_scannable >= 0, "heapScannable is negative"


def simulate(e: Case) -> list[Result]:
    """Go's TestGcPacer loop for one case; runs the checker after every cycle."""
    c = Controller(e.gc_percent, e.memory_limit)
    black_last = 0
    results: list[Result] = []
    for i in range(e.length):
        alloc_rate = max(MIN_RATE, e.alloc_rate())
        scan_rate = max(MIN_RATE, e.scan_rate())
        growth_rate = max(MIN_RATE, e.growth_rate())
        frac = min(max(e.scannable_frac(), 0.0), 1.0)
        r = e.stack_bytes() / 2048
        stack_bytes = int(max((math.ceil(r) if r < 0 else math.floor(r)) * 2048, 0))

        c.start_cycle(stack_bytes, e.globals_bytes, frac, e.n_cores)
        if i == 0:
            next_marked = INITIAL_HEAP_BYTES
        else:
            next_marked = int((c.p.heap_marked - black_last) * growth_rate)
        left = [e.globals_bytes, stack_bytes, int(next_marked * frac)]

        def do_work(work: int) -> list[int]:
            deltas = [0, 0, 0]
            for k in range(3):
                if left[k] == 0:
                    continue
                if left[k] > work:
                    deltas[k] += work
                    left[k] -= work
                    work = 0
                    break
                deltas[k] += left[k]
                work -= left[k]
                left[k] = 0
            return deltas

        gc_duration = assist_time = black = 0
        while sum(left) > 0:
            ratio = c.p.assist_work_per_byte
            u = ratio * alloc_rate / (ratio * alloc_rate + scan_rate)
            u = max(u, GC_BACKGROUND_UTILIZATION)
            scanned = int(scan_rate * RATE_CONV * e.n_cores * u)
            allocated = int(alloc_rate * RATE_CONV * e.n_cores * (1 - u))
            g_w, s_w, h_w = do_work(scanned)
            elapsed = REVISE_PERIOD
            actual_alloc = allocated
            actual = g_w + s_w + h_w
            if actual < scanned:
                elapsed = int(actual * REVISE_PERIOD / (scan_rate * RATE_CONV * e.n_cores * u))
                actual_alloc = int(alloc_rate * RATE_CONV * elapsed / REVISE_PERIOD * e.n_cores * (1 - u))
            c.revise(actual_alloc, int(actual_alloc * frac), h_w, s_w, g_w)
            assist_time += int(elapsed * e.n_cores * (u - GC_BACKGROUND_UTILIZATION))
            gc_duration += elapsed
            black += actual_alloc

        res = Result(
            cycle=i + 1,
            heap_live=c.p.heap_marked,
            heap_scannable=int((c.p.heap_marked - black_last) * frac),
            heap_trigger=c.p.triggered,
            heap_peak=c.heap_live,
            heap_goal=c.p.heap_goal(),
            gc_utilization=assist_time / (gc_duration * e.n_cores) + GC_BACKGROUND_UTILIZATION,
        )
        results.append(res)
        general_check(results)
        e.checker(results)
        c.end_cycle(next_marked + black, assist_time, gc_duration, e.n_cores)
        black_last = black
    return results


# -- the checkers of Go's table ---------------------------------------------------------------


def steady_checker(c: list[Result]) -> None:
    n = len(c)
    if n >= 25:
        in_epsilon("GC utilization", c[-1].gc_utilization, GC_GOAL_UTILIZATION, 0.005)
        in_epsilon("GC utilization", c[-1].gc_utilization, c[-2].gc_utilization, 0.005)
        in_range("goal ratio", c[-1].goal_ratio(), 0.95, 1.05)


def step_checker(c: list[Result]) -> None:
    n = len(c)
    if 25 <= n < 50 or n >= 75:
        in_epsilon("GC utilization", c[-1].gc_utilization, c[-2].gc_utilization, 0.005)
        in_range("goal ratio", c[-1].goal_ratio(), 0.95, 1.05)


def slow_alloc_checker(first: int, trigger_check: Callable[[Result], None]) -> Callable[[list[Result]], None]:
    def check(c: list[Result]) -> None:
        n = len(c)
        if n > first:
            trigger_check(c[-1])
        if n > 25:
            in_epsilon("GC utilization", c[-1].gc_utilization, GC_GOAL_UTILIZATION, 0.005)
            in_epsilon("GC utilization", c[-1].gc_utilization, c[-2].gc_utilization, 0.05)
            in_epsilon("GC utilization", c[-1].gc_utilization, c[11].gc_utilization, 0.05)

    return check


def small_heap_trigger(r: Result) -> None:
    in_range("goal ratio", r.goal_ratio(), 0.925, 1.025)
    in_range("trigger ratio", r.trigger_ratio(), 0.925, 0.975)


def large_heap_trigger(r: Result) -> None:
    in_range("goal ratio", r.goal_ratio(), 0.95, 1.05)
    in_range("runway", r.runway(), DEFAULT_HEAP_MINIMUM - (64 << 10), DEFAULT_HEAP_MINIMUM + (64 << 10))


LIMIT = 512 << 20


def steady_limit_checker(c: list[Result]) -> None:
    assert c[-1].heap_peak < headroom(LIMIT), f"peak heap size reaches heap limit: {c[-1].heap_peak}"
    steady_checker(c)


def steady_limit_nogc_checker(c: list[Result]) -> None:
    assert c[-1].heap_goal == headroom(LIMIT), f"heap goal is not the heap limit: {c[-1].heap_goal}"
    steady_checker(c)


def exceed_limit_checker(nogc: bool) -> Callable[[list[Result]], None]:
    def check(c: list[Result]) -> None:
        n = len(c)
        if nogc and n < 10:
            assert c[-1].heap_goal == headroom(LIMIT), f"heap goal is not the heap limit: {c[-1].heap_goal}"
        if n > 12:
            assert c[-1].heap_goal == c[-1].heap_live, "heap goal is not equal to live heap"
        if n >= 25:
            in_epsilon("GC utilization", c[-1].gc_utilization, 1.0, 0.005)
            in_epsilon("GC utilization", c[-1].gc_utilization, c[-2].gc_utilization, 0.005)

    return check


def maintain_limit_checker(c: list[Result]) -> None:
    if len(c) > 12:
        assert c[-1].heap_goal == headroom(LIMIT), f"heap goal is not the heap limit: {c[-1].heap_goal}"
    steady_checker(c)


def maintain_limit_nogc_checker(c: list[Result]) -> None:
    assert c[-1].heap_goal == headroom(LIMIT), f"heap goal is not the heap limit: {c[-1].heap_goal}"
    steady_checker(c)


def high_gogc_checker(c: list[Result]) -> None:
    n = len(c)
    if n > 12:
        if n == 26:
            in_range("goal ratio", c[-1].goal_ratio(), 0.90, 15)
        else:
            in_range("goal ratio", c[-1].goal_ratio(), 0.90, 1.05)
        in_epsilon("GC utilization", c[-1].gc_utilization, GC_GOAL_UTILIZATION, GC_GOAL_UTILIZATION + 0.03)
        in_epsilon("GC utilization", c[-1].gc_utilization, c[-2].gc_utilization, 0.03)


def osc_checker(c: list[Result]) -> None:
    if len(c) > 12:
        in_range("goal ratio", c[-1].goal_ratio(), 0.95, 1.05)
        in_range("GC utilization", c[-1].gc_utilization, 0.25, 0.3)


def jitter_checker(c: list[Result]) -> None:
    if len(c) > 12:
        in_range("goal ratio", c[-1].goal_ratio(), 0.95, 1.025)
        in_range("GC utilization", c[-1].gc_utilization, 0.25, 0.275)


def heavy_jitter_checker(c: list[Result]) -> None:
    if len(c) > 13:
        in_range("goal ratio", c[-1].goal_ratio(), 0.95, 1.05)
        in_epsilon("GC utilization", c[-1].gc_utilization, c[-2].gc_utilization, 0.05)
        in_epsilon("GC utilization", c[-1].gc_utilization, c[11].gc_utilization, 0.05)


def growth(start: float = 2.0, by: float = -1.0, over: int = 12, *extra: Stream) -> Stream:
    return constant(start).sum(ramp(by, over), *extra)


def case(
    checker: Callable[[list[Result]], None],
    *,
    alloc: Stream,
    growth_rate: Stream | None = None,
    gc_percent: int = 100,
    memory_limit: int = MAX_INT64,
    globals_bytes: int = 32 << 10,
    scan: Stream | None = None,
    frac: Stream | None = None,
    stacks: Stream | None = None,
    length: int = 50,
) -> Case:
    return Case(
        gc_percent=gc_percent,
        memory_limit=memory_limit,
        globals_bytes=globals_bytes,
        n_cores=8,
        alloc_rate=alloc,
        scan_rate=scan or constant(1024.0),
        growth_rate=growth_rate or growth(),
        scannable_frac=frac or constant(1.0),
        stack_bytes=stacks or constant(8192),
        length=length,
        checker=checker,
    )


# -- the cases --------------------------------------------------------------------------------


def test_steady():
    """A steady heap: after 25 cycles GC CPU is 25% ± 0.5 points, stable, and the heap peaks within 5% of the goal."""
    r = simulate(case(steady_checker, alloc=constant(33.0)))
    assert len(r) == 50 and abs(r[-1].gc_utilization - 0.25) <= 0.005


def test_steady_big_stacks():
    """A steady heap with 128 MiB of stacks to scan settles at the 25% goal just as well."""
    simulate(case(steady_checker, alloc=constant(132.0), stacks=constant(2048).sum(ramp(128 << 20, 8))))


def test_steady_big_globals():
    """A steady heap with 128 MiB of globals to scan settles at the 25% goal just as well."""
    simulate(case(steady_checker, alloc=constant(132.0), globals_bytes=128 << 20))


def test_step_alloc():
    """After a tripling of the allocation rate at cycle 50, the pacer settles again within 25 cycles."""
    simulate(case(step_checker, alloc=constant(33.0).sum(ramp(66.0, 1).delay(50)), length=100))


def test_heavy_step_alloc():
    """After an elevenfold jump in the allocation rate at cycle 50, the pacer settles again within 25 cycles."""
    simulate(case(step_checker, alloc=constant(33).sum(ramp(330, 1).delay(50)), length=100))


def test_step_scannable_frac():
    """After the scannable fraction of the heap jumps from 20% to 70%, the pacer settles again."""
    simulate(case(step_checker, alloc=constant(128.0), frac=constant(0.2).sum(unit(0.5).delay(50)), length=100))


def test_high_gogc():
    """GOGC=1500 with jittery allocation and a 14x heap growth at cycle 26: utilization stays near 25%, overshoot bounded."""
    simulate(
        case(
            high_gogc_checker,
            gc_percent=1500,
            alloc=rand(7, 0x53).offset(165),
            growth_rate=growth(2.0, -1.0, 12, rand(0.01, 0x1), unit(14).delay(25)),
        )
    )


def test_osc_alloc():
    """A sinusoidally oscillating allocation rate: the heap peaks within 5% of the goal, GC CPU stays in 25-30%."""
    simulate(case(osc_checker, alloc=oscillate(13, 0, 8).offset(67)))


def test_jitter_alloc():
    """A randomly jittering allocation rate: the heap peaks within -5%/+2.5% of the goal, GC CPU in 25-27.5%."""
    simulate(case(jitter_checker, alloc=rand(13, 0xF).offset(132), growth_rate=growth(2.0, -1.0, 12, rand(0.01, 0xE))))


def test_heavy_jitter_alloc():
    """A ten times higher jittering allocation rate: goal kept within 5%, utilization varies by at most 5 points."""
    simulate(
        case(
            heavy_jitter_checker,
            alloc=rand(33.0, 0x0).offset(330),
            growth_rate=growth(2.0, -1.0, 12, rand(0.01, 0x152)),
        )
    )


def test_small_heap_slow_alloc():
    """A small heap near the minimum, slow allocation: the trigger keeps 2.5-7.5% of the way before the goal."""
    simulate(
        case(
            slow_alloc_checker(4, small_heap_trigger),
            alloc=constant(1.0),
            scan=constant(2048.0),
            growth_rate=growth(2.0, -1.0, 3),
            frac=constant(0.01),
        )
    )


def test_medium_heap_slow_alloc():
    """A heap about ten times the minimum, slow allocation: the same trigger distance and 25% utilization."""
    simulate(
        case(
            slow_alloc_checker(9, small_heap_trigger),
            alloc=constant(1.0),
            scan=constant(2048.0),
            growth_rate=growth(2.0, -1.0, 8),
            frac=constant(0.01),
        )
    )


def test_large_heap_slow_alloc():
    """A large heap, slow allocation: the runway is the 4 MiB minimum heap (± 64 KiB), goal met within 5%."""
    simulate(
        case(
            slow_alloc_checker(13, large_heap_trigger),
            alloc=constant(1.0),
            scan=constant(2048.0),
            growth_rate=growth(4.0, -3.0, 12),
            frac=constant(0.01),
        )
    )


def test_steady_memory_limit():
    """A roomy 512 MiB limit changes nothing: steady 25% and the peak stays under the limit's goal."""
    simulate(case(steady_limit_checker, memory_limit=LIMIT, alloc=constant(33.0)))


def test_steady_memory_limit_no_gc_percent():
    """GOGC=off with a 512 MiB limit: the goal is the limit less its 3% headroom, every cycle."""
    simulate(case(steady_limit_nogc_checker, gc_percent=-1, memory_limit=LIMIT, alloc=constant(33.0)))


def test_exceed_memory_limit():
    """A live heap past the limit: the goal drops to the live heap and the pacer asks for 100% GC CPU."""
    simulate(
        case(exceed_limit_checker(False), memory_limit=LIMIT, alloc=constant(33.0), growth_rate=growth(3.5, -2.5, 12))
    )


def test_exceed_memory_limit_no_gc_percent():
    """The same with GOGC=off: the limit's goal at first, then the live heap, at 100% GC CPU."""
    simulate(
        case(
            exceed_limit_checker(True),
            gc_percent=-1,
            memory_limit=LIMIT,
            alloc=constant(33.0),
            growth_rate=growth(3.5, -2.5, 12),
        )
    )


def test_maintain_memory_limit():
    """A heap that grows into the limit: the goal becomes the limit's and utilization stays at 25%."""
    simulate(case(maintain_limit_checker, memory_limit=LIMIT, alloc=constant(33.0), growth_rate=growth(3.0, -2.0, 12)))


def test_maintain_memory_limit_no_gc_percent():
    """The same with GOGC=off: the goal is the limit's from the start and utilization stays at 25%."""
    simulate(
        case(
            maintain_limit_nogc_checker,
            gc_percent=-1,
            memory_limit=LIMIT,
            alloc=constant(33.0),
            growth_rate=growth(3.0, -2.0, 12),
        )
    )


# -- the harness itself ------------------------------------------------------------------------


def test_streams():
    """The stream combinators behave as Go's: ramp saturates, unit is a delta, delay pads, quantize truncates to zero."""
    r = ramp(10.0, 2)
    assert [r() for _ in range(4)] == [0.0, 5.0, 10.0, 10.0]
    u = unit(3.0).delay(2)
    assert [u() for _ in range(4)] == [0.0, 0.0, 3.0, 0.0]
    q = Stream(iter([5000.0, -5000.0]).__next__).quantize(2048)
    assert (q(), q()) == (4096, -4096)
    o = oscillate(1.0, 0, 4)
    assert [round(o(), 9) for _ in range(5)] == [0.0, 1.0, 0.0, -1.0, 0.0]
    j = rand(2.0, 7)
    assert all(-2.0 <= j() <= 2.0 for _ in range(100))
    assert constant(1.0).sum(constant(2.0), constant(3.0)).limit(0, 5)() == 5.0


def test_memory_limit_headroom():
    """The limit's goal keeps 3% (at least 1 MiB) of headroom, as applyMemoryLimitHeapGoalHeadroom."""
    assert headroom(LIMIT) == LIMIT - LIMIT // 100 * 3
    assert headroom(10 << 20) == (10 << 20) - (1 << 20)
    assert headroom(1 << 20) == 1 << 20
    p = Pacer(-1, 8, LIMIT)
    assert p.heap_goal() == headroom(LIMIT)


@pytest.mark.parametrize("gogc", [50, 100, 200])
def test_controller_is_pure(gogc):
    """Two controllers fed the same measurements make identical decisions (the pacer reads no heap)."""
    a = simulate(case(lambda c: None, gc_percent=gogc, alloc=constant(33.0), length=20))
    b = simulate(case(lambda c: None, gc_percent=gogc, alloc=constant(33.0), length=20))
    assert a == b
