"""The GC pacer: when to start a cycle, and how hard to work during it.

Models ``runtime/mgcpacer.go`` (``gcControllerState``): the heap goal from
GOGC, the trigger from the cons/mark runway, the worker counts of
``startCycle``, the assist ratio of ``revise`` and the cons/mark estimate of
``endCycle``.

* **Goal** (``heapGoalInternal``): ``heapMarked + (heapMarked + stacks +
  globals) × GOGC/100``, at least ``heapMinimum = 4 MiB × GOGC/100``; none
  with GOGC=off.
* **Trigger** (``trigger``): start early enough that marking, at 25% of the
  CPU, finishes as the heap reaches the goal.  The runway is ``consMark ×
  (1−0.25)/0.25 × (scan work expected)``; the trigger is ``goal − runway``,
  clamped to [45/64, 61/64] of the way from heapMarked to the goal (and to
  at most goal − 4 MiB for large goals).
* **Workers** (``startCycle``): 25% of GOMAXPROCS as whole dedicated
  workers, rounded, with a fractional worker making up the rest when
  rounding is more than 30% off.
* **Assists** (``revise``): a goroutine that allocates during marking owes
  ``assistWorkPerByte`` bytes of scan work per byte, so that the remaining
  work is done by the time the heap reaches the goal.

Not yet modelled here (the memory limit, the CPU limiter, the scavenger's
goals) live with the features that need them.
"""

from __future__ import annotations

from .errors import BadInput

GC_BACKGROUND_UTILIZATION = 0.25
GC_GOAL_UTILIZATION = 0.25
DEFAULT_HEAP_MINIMUM = 4 << 20
TRIGGER_RATIO_DEN = 64
MIN_TRIGGER_RATIO_NUM = 45
MAX_TRIGGER_RATIO_NUM = 61
SWEEP_MIN_HEAP_DISTANCE = 1 << 20
GC_OVER_ASSIST_WORK = 64 << 10
#: during a cycle the goal is at least this far past heapLive at its start (heapGoalInternal's minRunway)
MIN_RUNWAY = 64 << 10
#: goal used when GOGC=off: never reached
GOAL_OFF = (1 << 64) - 1


def parse_gogc(text: str | int) -> int:
    """GOGC as Go reads it (``readGOGC``): ``off`` → -1, else ``strconv.ParseInt(s, 10, 32)``; negative → -1.

    Go silently falls back to 100 on a value ParseInt rejects (spaces,
    ``1_000``, ``1e3``, ``OFF``, out of int32 range); gomem rejects it.
    """
    if isinstance(text, int):
        v = text
    else:
        if text == "off":
            return -1
        import re

        if not re.fullmatch(r"[+-]?[0-9]+", text, re.ASCII) or not -(1 << 31) <= int(text) < 1 << 31:
            raise BadInput(f"invalid GOGC value {text!r}: want an integer percent (int32) or off")
        v = int(text)
    if v < 0:
        return -1
    return v


class Pacer:
    """The GC controller's state (Go: ``gcControllerState``)."""

    def __init__(self, gogc: int = 100, procs: int = 1) -> None:
        self.procs = procs
        self.gc_percent = gogc
        self.heap_minimum = DEFAULT_HEAP_MINIMUM * max(gogc, 0) // 100 if gogc >= 0 else DEFAULT_HEAP_MINIMUM
        #: bytes marked live by the last cycle
        self.heap_marked = 0
        #: scannable heap bytes found by the last cycle (lastHeapScan)
        self.last_heap_scan = 0
        self.last_stack_scan = 0
        self.globals_scan = 0
        #: heapLive when the current cycle started (^0 before the first)
        self.triggered = GOAL_OFF
        self.cons_mark = 0.0
        self.last_cons_mark = [0.0, 0.0, 0.0, 0.0]
        self.runway = 0
        #: goal/trigger floor while the last sweep is unfinished (sweepDistMinTrigger)
        self.sweep_dist_min_trigger = 0
        self.last_heap_goal = 0
        # per-cycle
        self.dedicated_workers = 0
        self.fractional_goal = 0.0
        self.assist_work_per_byte = 0.0
        self.assist_bytes_per_work = 0.0
        self.mark_start = 0
        self.assist_time = 0
        self.idle_time = 0
        self.scan_work = 0
        self.commit(sweep_unfinished=False, heap_live=0)

    # -- goal and trigger ----------------------------------------------------

    def set_gc_percent(self, gogc: int) -> int:
        old = self.gc_percent
        self.gc_percent = gogc
        self.heap_minimum = DEFAULT_HEAP_MINIMUM * gogc // 100 if gogc >= 0 else DEFAULT_HEAP_MINIMUM
        return old

    def heap_goal(self) -> int:
        if self.gc_percent < 0:
            return GOAL_OFF
        g = self.heap_marked + (self.heap_marked + self.last_stack_scan + self.globals_scan) * self.gc_percent // 100
        g = max(g, self.heap_minimum)
        if self.sweep_dist_min_trigger:
            g = max(g, self.sweep_dist_min_trigger)
        if self.triggered != GOAL_OFF and g < self.triggered + MIN_RUNWAY:
            g = self.triggered + MIN_RUNWAY  # during a cycle: a little past where it triggered
        return g

    def trigger(self) -> int:
        goal = self.heap_goal()
        if goal == GOAL_OFF:
            return GOAL_OFF
        hm = self.heap_marked
        if hm >= goal:
            return goal
        min_trigger = max(self.sweep_dist_min_trigger, hm)
        lower = (goal - hm) // TRIGGER_RATIO_DEN * MIN_TRIGGER_RATIO_NUM + hm
        min_trigger = max(min_trigger, lower)
        max_trigger = (goal - hm) // TRIGGER_RATIO_DEN * MAX_TRIGGER_RATIO_NUM + hm
        if goal > DEFAULT_HEAP_MINIMUM and goal - DEFAULT_HEAP_MINIMUM > max_trigger:
            max_trigger = goal - DEFAULT_HEAP_MINIMUM
        max_trigger = max(max_trigger, min_trigger)
        trigger = min_trigger if self.runway > goal else goal - self.runway
        return min(max(trigger, min_trigger), max_trigger)

    def commit(self, sweep_unfinished: bool, heap_live: int) -> None:
        """Recompute the runway after a cycle (Go: ``commit``)."""
        self.runway = int(
            self.cons_mark
            * (1 - GC_GOAL_UTILIZATION)
            / GC_GOAL_UTILIZATION
            * (self.last_heap_scan + self.last_stack_scan + self.globals_scan)
        )
        self.sweep_dist_min_trigger = heap_live + SWEEP_MIN_HEAP_DISTANCE if sweep_unfinished else 0

    # -- a cycle -----------------------------------------------------------------

    def start_cycle(self, now: int, heap_live: int, procs: int) -> None:
        """Worker counts and assist state for a new cycle (Go: ``startCycle``)."""
        self.procs = procs
        self.mark_start = now
        self.triggered = heap_live
        self.assist_time = 0
        self.idle_time = 0
        self.scan_work = 0
        total = procs * GC_BACKGROUND_UTILIZATION
        dedicated = int(total + 0.5)
        frac = 0.0
        if abs(dedicated / total - 1) > 0.3:
            if dedicated > total:
                dedicated -= 1
            frac = (total - dedicated) / procs
        self.dedicated_workers = dedicated
        self.fractional_goal = frac

    def revise(self, heap_live: int, heap_scan: int, max_stack_scan: int) -> None:
        """Recompute the assist ratio (Go: ``revise``)."""
        gc_percent = self.gc_percent if self.gc_percent >= 0 else 100000
        work = self.scan_work
        heap_goal = self.heap_goal()
        if heap_goal == GOAL_OFF:
            heap_goal = max(heap_live, 1) * 2
        expected = self.last_heap_scan + self.last_stack_scan + self.globals_scan
        max_scan_work = heap_scan + max_stack_scan + self.globals_scan
        if work > expected:
            ext = int((heap_goal - self.triggered) / max(expected, 1) * max_scan_work) + self.triggered
            expected = max_scan_work
            hard = int((1.0 + gc_percent / 100.0) * heap_goal)
            heap_goal = min(ext, hard)
        if heap_live > heap_goal:
            heap_goal = int(heap_goal * 1.1)
            expected = max_scan_work
        remaining = max(expected - work, 1000)
        heap_remaining = max(heap_goal - heap_live, 1)
        self.assist_work_per_byte = remaining / heap_remaining
        self.assist_bytes_per_work = heap_remaining / remaining

    def end_cycle(self, now: int, heap_live: int, procs: int) -> None:
        """Update the cons/mark estimate (Go: ``endCycle``)."""
        self.last_heap_goal = self.heap_goal()
        duration = now - self.mark_start
        u = GC_BACKGROUND_UTILIZATION
        if duration > 0:
            u += self.assist_time / (duration * procs)
        if heap_live <= self.triggered:
            return
        u_idle = self.idle_time / (duration * procs) if duration > 0 else 0.0
        if self.scan_work <= 0 or u >= 1:
            return
        current = (heap_live - self.triggered) * (u + u_idle) / (self.scan_work * (1 - u))
        self.cons_mark = max([current] + self.last_cons_mark)
        self.last_cons_mark = self.last_cons_mark[1:] + [current]

    def reset_live(self, bytes_marked: int, heap_scan_work: int, stack_scan: int, globals_scan: int) -> None:
        """Mark termination's new baseline (Go: ``resetLive``)."""
        self.heap_marked = bytes_marked
        self.last_heap_scan = heap_scan_work
        self.last_stack_scan = stack_scan
        self.globals_scan = globals_scan
        self.triggered = GOAL_OFF  # Go: resetLive resets triggered
