"""Tests for ``gomem.runtime.mgcpacer``: GOGC parsing, the heap goal, the trigger bounds, workers, assists and cons/mark."""

from __future__ import annotations

import pytest

from gomem.errors import BadInput
from gomem.runtime.mgcpacer import (
    DEFAULT_HEAP_MINIMUM,
    GOAL_OFF,
    MAX_TRIGGER_RATIO_NUM,
    MIN_RUNWAY,
    MIN_TRIGGER_RATIO_NUM,
    SWEEP_MIN_HEAP_DISTANCE,
    TRIGGER_RATIO_DEN,
    Pacer,
    parse_gogc,
)

MiB = 1 << 20


def pacer_after(marked: int, stacks: int = 0, globals_: int = 0, gogc: int = 100, runway: int = 0) -> Pacer:
    """A pacer as mark termination leaves it: a new baseline, committed with the sweep done."""
    p = Pacer(gogc)
    p.reset_live(marked, marked, stacks, globals_)
    p.commit(sweep_unfinished=False, heap_live=marked)
    p.runway = runway
    return p


class TestConstants:
    """The pacer's constants are Go's (mgcpacer.go)."""

    def test_values(self):
        """4 MiB minimum heap, trigger ratios 45/64 and 61/64, 1 MiB sweep distance, 64 KiB minimum runway."""
        assert DEFAULT_HEAP_MINIMUM == 4 * MiB
        assert (MIN_TRIGGER_RATIO_NUM, MAX_TRIGGER_RATIO_NUM, TRIGGER_RATIO_DEN) == (45, 61, 64)
        assert SWEEP_MIN_HEAP_DISTANCE == MiB
        assert MIN_RUNWAY == 64 << 10
        assert GOAL_OFF == (1 << 64) - 1


class TestParseGOGC:
    """GOGC is read as Go's readGOGC does: off, or an int32 percent; negative means off."""

    @pytest.mark.parametrize(
        "text, want",
        [
            ("off", -1),
            ("100", 100),
            ("0", 0),
            ("50", 50),
            ("-1", -1),
            ("-50", -1),
            ("+20", 20),
            ("2147483647", 2147483647),
        ],
    )
    def test_valid(self, text, want):
        """off and integers parse; any negative value turns the collector off."""
        assert parse_gogc(text) == want

    @pytest.mark.parametrize("text", ["", "abc", "OFF", " 100", "1e3", "1_000", "10%", "2147483648"])
    def test_invalid(self, text):
        """What strconv.ParseInt(s, 10, 32) rejects is bad input (Go would silently use 100)."""
        with pytest.raises(BadInput, match=r"invalid GOGC value"):
            parse_gogc(text)

    def test_int_passthrough(self):
        """An int is taken as is, negative ones as off."""
        assert (parse_gogc(200), parse_gogc(-7)) == (200, -1)


class TestHeapGoal:
    """goal = marked + (marked + stacks + globals) * GOGC/100, at least 4 MiB * GOGC/100 (heapGoalInternal)."""

    @pytest.mark.parametrize("gogc", [25, 100, 150, 400])
    def test_formula(self, gogc):
        """The goal follows the formula exactly, with integer division as Go's uint64 arithmetic."""
        p = pacer_after(7_435_640, stacks=8_624, globals_=158_154, gogc=gogc)
        want = 7_435_640 + (7_435_640 + 8_624 + 158_154) * gogc // 100
        assert p.heap_goal() == max(want, 4 * MiB * gogc // 100)

    def test_real_go_measurement(self):
        """The numbers from a real Go run (facts §5.3) give its NextGC, 15038058."""
        assert pacer_after(7_435_640, stacks=8_624, globals_=158_154).heap_goal() == 15_038_058

    @pytest.mark.parametrize("gogc, minimum", [(100, 4 * MiB), (50, 2 * MiB), (200, 8 * MiB), (0, 0), (33, 1_384_120)])
    def test_heap_minimum(self, gogc, minimum):
        """A tiny heap's goal is the minimum heap, 4 MiB * GOGC/100."""
        p = pacer_after(1000, gogc=gogc)
        assert p.heap_minimum == minimum
        assert p.heap_goal() == max(minimum, 1000 + 1000 * gogc // 100)

    def test_gogc_off(self):
        """With GOGC off and no memory limit the goal is the limit's goal: out of reach (Go's NextGC ~8.9e18)."""
        p = pacer_after(10 * MiB, gogc=-1)
        assert p.heap_goal() == p.memory_limit_heap_goal()
        assert p.heap_goal() > 1 << 62
        assert p.trigger() > 1 << 62

    def test_sweep_distance_floor(self):
        """If sweeping was unfinished at commit, the goal is at least heapLive + 1 MiB."""
        p = Pacer(100)
        p.reset_live(3 * MiB, 0, 0, 0)
        p.commit(sweep_unfinished=True, heap_live=6 * MiB)
        assert p.heap_goal() == 7 * MiB
        p.commit(sweep_unfinished=False, heap_live=6 * MiB)
        assert p.heap_goal() == 6 * MiB

    def test_min_runway_during_a_cycle(self):
        """During a cycle the goal is at least 64 KiB past heapLive at its start; resetLive ends that."""
        p = pacer_after(1 * MiB)
        assert p.heap_goal() == 4 * MiB
        p.start_cycle(0, 10 * MiB, 1)
        assert p.heap_goal() == 10 * MiB + MIN_RUNWAY
        p.reset_live(1 * MiB, 0, 0, 0)
        assert p.heap_goal() == 4 * MiB

    def test_set_gc_percent(self):
        """SetGCPercent returns the old value and moves the minimum heap with the new one."""
        p = Pacer(100)
        assert p.set_gc_percent(300) == 100
        assert (p.gc_percent, p.heap_minimum, p.heap_goal()) == (300, 12 * MiB, 12 * MiB)


class TestTrigger:
    """The trigger is goal - runway, clamped to [45/64, 61/64] of the way from marked to goal (trigger())."""

    def test_no_runway_gives_the_upper_bound(self):
        """With no runway the trigger is the maximum, 61/64 of the way."""
        p = pacer_after(1 * MiB)
        goal = p.heap_goal()
        assert p.trigger() == (goal - MiB) // 64 * 61 + MiB

    def test_huge_runway_gives_the_lower_bound(self):
        """A runway longer than the goal puts the trigger at 45/64 of the way."""
        p = pacer_after(1 * MiB, runway=1 << 40)
        assert p.trigger() == (p.heap_goal() - MiB) // 64 * 45 + MiB

    def test_runway_inside_the_bounds(self):
        """A moderate runway gives exactly goal - runway."""
        p = pacer_after(100 * MiB, runway=20 * MiB)
        goal = p.heap_goal()
        assert goal == 200 * MiB
        assert p.trigger() == goal - 20 * MiB

    def test_large_goal_max_is_goal_minus_4mib(self):
        """For large heaps the upper bound is goal - 4 MiB when that is above 61/64 of the way."""
        p = pacer_after(100 * MiB)
        goal = p.heap_goal()
        assert (goal - 100 * MiB) // 64 * 61 + 100 * MiB < goal - 4 * MiB
        assert p.trigger() == goal - 4 * MiB

    @pytest.mark.parametrize("marked", [0, 1000, 3 * MiB, 50 * MiB, 1 << 33])
    @pytest.mark.parametrize("runway", [0, 1 * MiB, 1 << 50])
    def test_always_within_bounds(self, marked, runway):
        """Whatever the runway, heapMarked + 45/64 <= trigger <= goal."""
        p = pacer_after(marked, runway=runway)
        goal = p.heap_goal()
        t = p.trigger()
        assert (goal - marked) // 64 * 45 + marked <= t <= goal

    def test_marked_at_goal(self):
        """When the marked heap already reaches the goal (GOGC=0), the trigger is the goal: GC runs continuously."""
        p = pacer_after(5 * MiB, gogc=0)
        assert p.heap_goal() == 5 * MiB == p.trigger()

    def test_runway_from_cons_mark(self):
        """commit sets runway = consMark * (1-0.25)/0.25 * (last heap + stack + globals scan)."""
        p = Pacer(100)
        p.reset_live(8 * MiB, 2 * MiB, 64 << 10, 32 << 10)
        p.cons_mark = 0.5
        p.commit(sweep_unfinished=False, heap_live=8 * MiB)
        assert p.runway == int(0.5 * 3 * (2 * MiB + (64 << 10) + (32 << 10)))


class TestWorkers:
    """startCycle: dedicated workers = round(GOMAXPROCS/4), fractional when rounding is off by more than 30%."""

    @pytest.mark.parametrize(
        "procs, ded, frac",
        [(1, 0, 0.25), (2, 0, 0.25), (3, 0, 0.25), (4, 1, 0), (5, 1, 0), (6, 1, 0.5 / 6), (8, 2, 0), (16, 4, 0)],
    )
    def test_table(self, procs, ded, frac):
        """The facts table: 1-3 Ps fractional 0.25; 4-5 one dedicated; 6 one plus 1/12; 8 two; 16 four."""
        p = Pacer(100, procs)
        p.start_cycle(123, 5 * MiB, procs)
        assert (p.dedicated_workers, p.fractional_goal) == (ded, pytest.approx(frac))
        assert (p.mark_start, p.triggered, p.procs) == (123, 5 * MiB, procs)


class TestAssistRatio:
    """revise: remaining scan work over remaining heap distance."""

    def test_steady_state(self):
        """Under the expected scan work the ratio is (expected - done) / (goal - heapLive)."""
        p = Pacer(100)
        p.reset_live(4 * MiB, 3 * MiB, 64 << 10, 0)
        p.commit(sweep_unfinished=False, heap_live=4 * MiB)
        p.start_cycle(0, 6 * MiB, 4)
        p.scan_work = 1 * MiB
        p.revise(6 * MiB, 3 * MiB, 64 << 10)
        goal = p.heap_goal()
        remaining = 3 * MiB + (64 << 10) - 1 * MiB
        assert goal == 4 * MiB + (4 * MiB + (64 << 10)) and goal > 6 * MiB
        assert p.assist_work_per_byte == pytest.approx(remaining / (goal - 6 * MiB))
        assert p.assist_bytes_per_work == pytest.approx((goal - 6 * MiB) / remaining)

    def test_minimum_remaining_work(self):
        """Remaining work is at least 1000 bytes, the heap distance at least one byte."""
        p = Pacer(100)
        p.start_cycle(0, 5 * MiB, 1)
        p.revise(50 * MiB, 0, 0)
        assert p.assist_work_per_byte == pytest.approx(1000 / max(int(p.heap_goal() * 1.1) - 50 * MiB, 1))


class TestConsMark:
    """endCycle: cons/mark = allocated during mark * (u + uIdle) / (scan work * (1 - u)), max of the last five."""

    def test_estimate(self):
        """A cycle that allocated 1 MiB while scanning 2 MiB at 25% (no assists) gives 1/6."""
        p = Pacer(100)
        p.start_cycle(0, 4 * MiB, 4)
        p.scan_work = 2 * MiB
        p.end_cycle(1_000_000, 5 * MiB, 4)
        assert p.cons_mark == pytest.approx((1 * MiB * 0.25) / (2 * MiB * 0.75))
        assert p.last_cons_mark[-1] == pytest.approx(1 / 6)
        assert p.last_heap_goal == 4 * MiB + MIN_RUNWAY

    def test_max_of_recent(self):
        """A lower measurement does not lower the estimate while a higher one is among the last four."""
        p = Pacer(100)
        for alloc in (4 * MiB, 1 * MiB):
            p.start_cycle(0, 4 * MiB, 4)
            p.scan_work = 2 * MiB
            p.end_cycle(1_000_000, 4 * MiB + alloc, 4)
        assert p.cons_mark == pytest.approx(4 * 0.25 / (2 * 0.75))

    def test_no_allocation_no_update(self):
        """If the heap did not grow during the cycle the estimate is left alone."""
        p = Pacer(100)
        p.cons_mark = 0.3
        p.start_cycle(0, 4 * MiB, 4)
        p.end_cycle(1_000_000, 4 * MiB, 4)
        assert p.cons_mark == 0.3
