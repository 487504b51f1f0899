"""The GC pacer: when to start a cycle, and how hard to work during it.

Models ``runtime/mgcpacer.go`` (``gcControllerState``): the heap goal from
GOGC and from the memory limit, the trigger from the cons/mark runway, the
worker counts of ``startCycle``, the assist ratio of ``revise`` and the
cons/mark estimate of ``endCycle``; GOGC and GOMEMLIMIT parsing; and the
``GODEBUG=gcpacertrace=1`` lines.

* **GOGC goal** (``commit``): ``heapMarked + (heapMarked + stacks +
  globals) × GOGC/100``, at least ``heapMinimum = 4 MiB × GOGC/100``;
  ``^0`` with GOGC=off.  Computed when the controller commits (after each
  cycle, on SetGCPercent/SetMemoryLimit), as Go stores it.
* **Memory-limit goal** (``memoryLimitHeapGoal``), computed on every use:
  ``nonHeap = mappedReady − heapFree − heapAlloc``; ``overage =
  max(mappedReady − limit, 0)``; goal = ``limit − (nonHeap + overage)``
  less a headroom of ``max(3 %, 1 MiB)``, at least ``heapMarked``.
* **Goal** (``heapGoalInternal``): the smaller of the two.  When the GOGC
  goal wins it is raised to the sweep floor (``heapLive + 1 MiB`` if the
  last sweep was unfinished at commit) and, during a cycle, to 64 KiB past
  the heap size the cycle started at.  With GOGC=off and no limit the goal
  is the limit goal for ``MaxInt64`` — about 8.9e18, which is what real
  Go reports as ``NextGC`` (measured: 8946670875745430152).
* **Trigger** (``trigger``): start early enough that marking, at 25 % of
  the CPU, finishes as the heap reaches the goal.  The runway is ``consMark
  × (1−0.25)/0.25 × (scan work expected)``; the trigger is ``goal −
  runway``, clamped to [45/64, 61/64] of the way from heapMarked to the
  goal (and to at most goal − 4 MiB for large goals).
* **Workers** (``startCycle``): 25 % of GOMAXPROCS as whole dedicated
  workers, rounded, with a fractional worker making up the rest when
  rounding is more than 30 % off.
* **Assists** (``revise``): a goroutine that allocates during marking owes
  ``assistWorkPerByte`` bytes of scan work per byte, so that the remaining
  work is done by the time the heap reaches the goal.

:class:`Pacer` is a pure controller: it never looks at the heap.  Its
inputs are the arguments of its methods plus, for the memory-limit goal, a
``mem_source`` callable returning ``(heapFree, heapAlloc, mappedReady)``
(zeros when unset, as in Go's test copy of the controller).  That is what
lets ``tests/test_mgcpacer_table.py`` drive it with Go's synthetic
``TestGcPacer`` streams, and the collector drive it with the real heap.

:class:`GCPacing` is the collector's side (a mixin of
:class:`~gomem.runtime.mgc.Collector`): it hands the pacer the heap's numbers
(``revise`` on every heapLive change while marking), commits the controller
after a setting changes (``gcControllerCommit``, ``SetGCPercent``,
``SetMemoryLimit``) and decides when a dedicated or fractional mark worker
runs (``findRunnableGCWorker``).

Model simplifications: the per-P idle-worker cap (``maxIdleMarkWorkers``)
is computed (:attr:`Pacer.max_idle_workers`) but the scheduler lets every
idle P run an idle worker; when no scan work was expected at all (a program
with no globals, first cycle) ``revise`` divides by 1 instead of 0.
"""

from __future__ import annotations

import decimal
import math
import re
from typing import Callable

from ..errors import BadInput

GC_BACKGROUND_UTILIZATION = 0.25
GC_GOAL_UTILIZATION = 0.25
#: scan work an assist does at least, bytes (gcOverAssistWork)
GC_OVER_ASSIST_WORK = 64 << 10
#: a P's assist time is flushed (and the CPU limiter updated) once past this many ns (gcAssistTimeSlack)
GC_ASSIST_TIME_SLACK = 5000
DEFAULT_HEAP_MINIMUM = 4 << 20
TRIGGER_RATIO_DEN = 64
MIN_TRIGGER_RATIO_NUM = 45
MAX_TRIGGER_RATIO_NUM = 61
SWEEP_MIN_HEAP_DISTANCE = 1 << 20
#: during a cycle the goal is at least this far past heapLive at its start (heapGoalInternal's minRunway)
MIN_RUNWAY = 64 << 10
#: memoryLimitMinHeapGoalHeadroom / memoryLimitHeapGoalHeadroomPercent
MEMORY_LIMIT_MIN_HEAP_GOAL_HEADROOM = 1 << 20
MEMORY_LIMIT_HEAP_GOAL_HEADROOM_PERCENT = 3
#: the GOGC goal when GOGC=off (^uint64(0)): never reached
GOAL_OFF = (1 << 64) - 1
#: math.MaxInt64: the memory limit when there is none (GOMEMLIMIT=off)
MAX_INT64 = (1 << 63) - 1
#: the fractional worker stops once its share of the mark phase exceeds this factor of its goal (mgc.go)
FRACTIONAL_OVERSHOOT = 1.2

_U64 = 1 << 64


# -- parsing ---------------------------------------------------------------------------


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
        if not re.fullmatch(r"[+-]?[0-9]+", text, re.ASCII) or not -(1 << 31) <= int(text) < 1 << 31:
            raise BadInput(f"invalid GOGC value {text!r}: want an integer percent (int32) or off")
        v = int(text)
    if v < 0:
        return -1
    return v


def _parse_int64(s: str) -> int | None:
    """``strconv.ParseInt(s, 10, 64)``: optional sign, ASCII digits, in int64 range; None if rejected."""
    if not re.fullmatch(r"[+-]?[0-9]+", s, re.ASCII):
        return None
    n = int(s)
    if not -(1 << 63) <= n <= MAX_INT64:
        return None
    return n


def parse_byte_count(s: str) -> int | None:
    """A byte count as Go's ``parseByteCount`` (``runtime/string.go``) reads it, or None.

    Plain digits, or digits followed by ``B``, ``KiB``, ``MiB``, ``GiB`` or
    ``TiB``; non-negative; the product must fit in an int64.  Nothing else
    (no spaces, no ``KB``, no ``k``, no fractions).
    """
    if s == "":
        return None
    last = s[-1]
    if "0" <= last <= "9":
        n = _parse_int64(s)
        return None if n is None or n < 0 else n
    if last != "B" or len(s) < 2:
        return None
    c = s[-2]
    if "0" <= c <= "9":
        n = _parse_int64(s[:-1])
        return None if n is None or n < 0 else n
    if c != "i" or len(s) < 4:
        return None
    power = {"K": 1, "M": 2, "G": 3, "T": 4}.get(s[-3])
    if power is None:
        return None
    m = 1024**power
    n = _parse_int64(s[:-3])
    if n is None or n < 0:
        return None
    if n > (_U64 - 1) // m or n * m > MAX_INT64:
        return None
    return n * m


def parse_gomemlimit(text: str | int) -> int:
    """GOMEMLIMIT as Go reads it (``readGOMEMLIMIT``): ``""``/``off`` → MaxInt64, else :func:`parse_byte_count`.

    Go throws ``malformed GOMEMLIMIT`` at startup on anything else; gomem
    raises BadInput with the same words.  An int is taken as a byte count
    (negative: rejected).
    """
    if isinstance(text, int):
        if text < 0:
            raise BadInput(f"invalid GOMEMLIMIT value {text}: must not be negative")
        return min(text, MAX_INT64)
    if text in ("", "off"):
        return MAX_INT64
    n = parse_byte_count(text)
    if n is None:
        raise BadInput(
            f"invalid size {text!r} for GOMEMLIMIT: malformed GOMEMLIMIT; see `go doc runtime/debug.SetMemoryLimit` "
            "(want off, or a byte count with an optional B, KiB, MiB, GiB or TiB suffix)"
        )
    return n


# -- Go's print formats ---------------------------------------------------------------------


def go_float(v: float) -> str:
    """A float64 as the runtime's ``print`` writes it (``strconv.FormatFloat(v, 'g', -1, 64)``).

    Shortest digits that round-trip; ``%e`` form (``1.5e-05``, ``1e+21``)
    when the decimal exponent is below -4 or at least 6 (the shortest
    format's precision), else ``%f`` form without trailing zeros.
    """
    if math.isnan(v):
        return "NaN"
    if math.isinf(v):
        return "+Inf" if v > 0 else "-Inf"
    if v == 0:
        return "-0" if math.copysign(1.0, v) < 0 else "0"
    sign = "-" if v < 0 else ""
    t = decimal.Decimal(repr(abs(v))).normalize().as_tuple()
    digits = "".join(map(str, t.digits)).rstrip("0") or "0"
    exp10 = int(t.exponent)  # type: ignore[arg-type]
    dp = len(t.digits) + exp10  # decimal point position relative to the digit string
    x = dp - 1
    if x < -4 or x >= 6:
        mant = digits[0] + ("." + digits[1:] if len(digits) > 1 else "")
        es = "-" if x < 0 else "+"
        return f"{sign}{mant}e{es}{abs(x):02d}"
    if dp <= 0:
        return f"{sign}0.{'0' * -dp}{digits}"
    if dp >= len(digits):
        return sign + digits + "0" * (dp - len(digits))
    return f"{sign}{digits[:dp]}.{digits[dp:]}"


def _i64(v: int) -> int:
    """A uint64 reinterpreted as int64 (Go's ``int64(u)``)."""
    v %= _U64
    return v - _U64 if v >= 1 << 63 else v


# -- the controller --------------------------------------------------------------------------


class Pacer:
    """The GC controller's state (Go: ``gcControllerState``); see the module docstring."""

    def __init__(self, gogc: int = 100, procs: int = 1, memory_limit: int = MAX_INT64) -> None:
        self.procs = procs
        self.gc_percent = 100
        self.heap_minimum = DEFAULT_HEAP_MINIMUM
        self.memory_limit = MAX_INT64
        #: () -> (heapFree, heapAlloc, mappedReady) for the memory-limit goal; None: all zero
        self.mem_source: Callable[[], tuple[int, int, int]] | None = None
        #: bytes marked live by the last cycle
        self.heap_marked = 0
        #: scannable heap bytes found by the last cycle (lastHeapScan)
        self.last_heap_scan = 0
        self.last_stack_scan = 0
        self.globals_scan = 0
        #: heapLive when the current cycle started (^0 outside a cycle)
        self.triggered = GOAL_OFF
        self.cons_mark = 0.0
        self.last_cons_mark = [0.0, 0.0, 0.0, 0.0]
        self.runway = 0
        #: goal/trigger floor while the last sweep is unfinished (sweepDistMinTrigger)
        self.sweep_dist_min_trigger = 0
        #: the GOGC goal as committed (gcPercentHeapGoal)
        self.gc_percent_heap_goal = 0
        #: heapGoal() at the end of the last cycle (for the scavenger and gcpacertrace)
        self.last_heap_goal = 0
        # per-cycle
        self.dedicated_workers = 0
        self.fractional_goal = 0.0
        self.max_idle_workers = 0
        self.assist_work_per_byte = 0.0
        self.assist_bytes_per_work = 0.0
        self.mark_start = 0
        self.assist_time = 0
        self.idle_time = 0
        #: scan work done this cycle, total, and its parts (heap, stacks, globals) for gcpacertrace
        self.scan_work = 0
        self.heap_scan_work = 0
        self.stack_scan_work = 0
        self.globals_scan_work = 0
        #: the gcpacertrace line endCycle printed last (None when it printed nothing)
        self.end_cycle_trace: str | None = None
        self.set_gc_percent(gogc)
        self.set_memory_limit(memory_limit)
        self.commit(sweep_unfinished=False, heap_live=0)

    # -- settings ------------------------------------------------------------------

    def set_gc_percent(self, gogc: int) -> int:
        """SetGCPercent's controller part: store GOGC and the minimum heap; return the old GOGC.

        Go's ``setGCPercent`` then commits; here the GOGC goal is recomputed
        at once (the sweep floor and runway wait for the next :meth:`commit`).
        """
        old = self.gc_percent
        if gogc < 0:
            gogc = -1
        # uint64 arithmetic, as Go: with -1 this wraps to a huge minimum that the ^0 goal ignores
        self.heap_minimum = (DEFAULT_HEAP_MINIMUM * (gogc % _U64)) % _U64 // 100
        self.gc_percent = gogc
        self._commit_goal()
        return old

    def set_memory_limit(self, limit: int) -> int:
        """SetMemoryLimit's controller part: store a non-negative limit; return the old one."""
        old = self.memory_limit
        if limit >= 0:
            self.memory_limit = min(limit, MAX_INT64)
        return old

    # -- goal and trigger ----------------------------------------------------

    def memory_limit_heap_goal(self) -> int:
        """The heap goal the memory limit allows (Go: ``memoryLimitHeapGoal``)."""
        heap_free, heap_alloc, mapped_ready = self.mem_source() if self.mem_source is not None else (0, 0, 0)
        limit = self.memory_limit
        non_heap = max(mapped_ready - heap_free - heap_alloc, 0)
        overage = mapped_ready - limit if mapped_ready > limit else 0
        if non_heap + overage >= limit:
            return self.heap_marked
        goal = limit - (non_heap + overage)
        headroom = max(goal // 100 * MEMORY_LIMIT_HEAP_GOAL_HEADROOM_PERCENT, MEMORY_LIMIT_MIN_HEAP_GOAL_HEADROOM)
        if goal < headroom or goal - headroom < headroom:
            goal = headroom
        else:
            goal -= headroom
        return max(goal, self.heap_marked)

    def heap_goal_internal(self) -> tuple[int, int]:
        """(goal, minimum trigger) (Go: ``heapGoalInternal``)."""
        goal = self.gc_percent_heap_goal
        min_trigger = 0
        ml = self.memory_limit_heap_goal()
        if ml < goal:
            goal = ml
        else:
            sd = self.sweep_dist_min_trigger
            if sd > goal:
                goal = sd
            min_trigger = sd
            if self.triggered != GOAL_OFF and goal < self.triggered + MIN_RUNWAY:
                goal = self.triggered + MIN_RUNWAY  # during a cycle: a little past where it triggered
        return goal, min_trigger

    def heap_goal(self) -> int:
        """The heap goal now (Go: ``heapGoal``; ``MemStats.NextGC``)."""
        return self.heap_goal_internal()[0]

    def memory_limited(self) -> bool:
        """The memory limit, not GOGC, sets the goal now."""
        return self.memory_limit_heap_goal() < self.gc_percent_heap_goal

    def trigger_and_goal(self) -> tuple[int, int]:
        """(trigger, goal) (Go: ``trigger``)."""
        goal, min_trigger = self.heap_goal_internal()
        hm = self.heap_marked
        if hm >= goal:
            return goal, goal
        min_trigger = max(min_trigger, hm)
        lower = (goal - hm) // TRIGGER_RATIO_DEN * MIN_TRIGGER_RATIO_NUM + hm
        min_trigger = max(min_trigger, lower)
        max_trigger = (goal - hm) // TRIGGER_RATIO_DEN * MAX_TRIGGER_RATIO_NUM + hm
        if goal > DEFAULT_HEAP_MINIMUM and goal - DEFAULT_HEAP_MINIMUM > max_trigger:
            max_trigger = goal - DEFAULT_HEAP_MINIMUM
        max_trigger = max(max_trigger, min_trigger)
        trigger = min_trigger if self.runway > goal else goal - self.runway
        return min(max(trigger, min_trigger), max_trigger), goal

    def trigger(self) -> int:
        """The heap size at which the next cycle starts (Go: ``trigger``)."""
        return self.trigger_and_goal()[0]

    def _commit_goal(self) -> None:
        g = GOAL_OFF
        if self.gc_percent >= 0:
            hm = self.heap_marked
            g = hm + (hm + self.last_stack_scan + self.globals_scan) * self.gc_percent // 100
        if g < self.heap_minimum:
            g = self.heap_minimum
        self.gc_percent_heap_goal = g

    def commit(self, sweep_unfinished: bool, heap_live: int) -> None:
        """Recompute the GOGC goal, the sweep floor and the runway (Go: ``commit``)."""
        self.sweep_dist_min_trigger = heap_live + SWEEP_MIN_HEAP_DISTANCE if sweep_unfinished else 0
        self._commit_goal()
        self.runway = int(
            self.cons_mark
            * (1 - GC_GOAL_UTILIZATION)
            / GC_GOAL_UTILIZATION
            * (self.last_heap_scan + self.last_stack_scan + self.globals_scan)
        )

    # -- a cycle -----------------------------------------------------------------

    def start_cycle(self, now: int, heap_live: int, procs: int, time_triggered: bool = False) -> None:
        """Worker counts and assist state for a new cycle (Go: ``startCycle``, before its revise)."""
        self.procs = procs
        self.mark_start = now
        self.triggered = heap_live
        self.assist_time = 0
        self.idle_time = 0
        self.scan_work = self.heap_scan_work = self.stack_scan_work = self.globals_scan_work = 0
        total = procs * GC_BACKGROUND_UTILIZATION
        dedicated = int(total + 0.5)
        frac = 0.0
        if abs(dedicated / total - 1) > 0.3:
            if dedicated > total:
                dedicated -= 1
            frac = (total - dedicated) / procs
        self.dedicated_workers = dedicated
        self.fractional_goal = frac
        if time_triggered:
            self.max_idle_workers = 0 if dedicated > 0 else 1
        else:
            self.max_idle_workers = procs - dedicated

    def revise(self, heap_live: int, heap_scan: int, max_stack_scan: int) -> None:
        """Recompute the assist ratio (Go: ``revise``)."""
        gc_percent = self.gc_percent if self.gc_percent >= 0 else 100000
        work = self.scan_work
        heap_goal = _i64(self.heap_goal())
        triggered = _i64(self.triggered)
        expected = self.last_heap_scan + self.last_stack_scan + self.globals_scan
        max_scan_work = heap_scan + max_stack_scan + self.globals_scan
        if work > expected:
            ext = int((heap_goal - triggered) / max(expected, 1) * max_scan_work) + triggered
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
        """Update the cons/mark estimate (Go: ``endCycle``); sets :attr:`end_cycle_trace`."""
        self.last_heap_goal = self.heap_goal()
        self.end_cycle_trace = None
        duration = now - self.mark_start
        u = GC_BACKGROUND_UTILIZATION
        if duration > 0:
            u += self.assist_time / (duration * procs)
        if heap_live <= self.triggered:
            return
        u_idle = self.idle_time / (duration * procs) if duration > 0 else 0.0
        old = self.cons_mark
        if self.scan_work > 0 and u < 1:
            current = (heap_live - self.triggered) * (u + u_idle) / (self.scan_work * (1 - u))
        else:
            # Go divides anyway (+Inf/NaN); the model keeps the estimate finite
            current = self.cons_mark
        self.cons_mark = max([current] + self.last_cons_mark)
        self.last_cons_mark = self.last_cons_mark[1:] + [current]
        hw, sw, gw = self._work_parts()
        self.end_cycle_trace = (
            f"pacer: {int(u * 100)}% CPU ({int(GC_GOAL_UTILIZATION * 100)} exp.) for "
            f"{hw}+{sw}+{gw} B work ({self.last_heap_scan + self.last_stack_scan + self.globals_scan} B exp.) "
            f"in {self.triggered} B -> {heap_live} B (\u2206goal {heap_live - self.last_heap_goal}, "
            f"cons/mark {go_float(old)})"
        )

    def _work_parts(self) -> tuple[int, int, int]:
        parts = (self.heap_scan_work, self.stack_scan_work, self.globals_scan_work)
        if sum(parts) != self.scan_work:
            return self.scan_work, 0, 0
        return parts

    def reset_live(self, bytes_marked: int, heap_scan_work: int, stack_scan: int, globals_scan: int) -> None:
        """Mark termination's new baseline (Go: ``resetLive``)."""
        self.heap_marked = bytes_marked
        self.last_heap_scan = heap_scan_work
        self.last_stack_scan = stack_scan
        self.globals_scan = globals_scan
        self.triggered = GOAL_OFF  # Go: resetLive resets triggered

    # -- gcpacertrace ------------------------------------------------------------------

    def assist_ratio_trace(self, heap_scan: int, initial_heap_live: int) -> str:
        """startCycle's ``pacer: assist ratio=…`` line (after the first revise)."""
        return (
            f"pacer: assist ratio={go_float(self.assist_work_per_byte)} (scan {heap_scan >> 20} MB in "
            f"{initial_heap_live >> 20}->{self.heap_goal() >> 20} MB) workers={self.dedicated_workers}"
            f"+{go_float(self.fractional_goal)}"
        )


def sweep_done_trace(heap_live: int, heap_live_basis: int, pages_swept: int, pages_per_byte: float) -> str:
    """The ``pacer: sweep done at heap size …`` line the last sweeper prints (``mgcsweep.go``)."""
    allocated = (heap_live - heap_live_basis) % _U64  # uint64 arithmetic, as Go
    return (
        f"pacer: sweep done at heap size {heap_live >> 20}MB; allocated {allocated >> 20}MB during sweep; "
        f"swept {pages_swept} pages at {go_float(pages_per_byte)} pages/byte"
    )


class GCPacing:
    """The collector's pacing: scan work to the pacer, the controller commit, worker scheduling (a Collector mixin)."""

    def heap_goal(self) -> int:
        return self.pacer.heap_goal()

    def trigger(self) -> int:
        return self.pacer.trigger()

    def _revise(self) -> None:
        """While marking: re-derive the assist ratio from the heap now (Go: ``gcController.revise``)."""
        if self.blacken_enabled:
            st = self.heap.stats
            self._set_scan_work()
            self.pacer.revise(st.heap_live, st.heap_scan, self.stack_scan_max())

    def stack_scan_max(self) -> int:
        """The stack bytes a cycle may have to scan: every live goroutine's stack (Go: ``maxStackScan``)."""
        return self.rt.scannable_stack

    def _set_scan_work(self) -> None:
        """Hand the cycle's scan work so far to the pacer: heap, stacks, globals and the total."""
        pc = self.pacer
        pc.heap_scan_work = sum(q.gcw.scan_work for q in self.ps)
        pc.stack_scan_work = self.stack_scan
        pc.globals_scan_work = self.globals_scan_work
        pc.scan_work = pc.heap_scan_work + pc.stack_scan_work + pc.globals_scan_work

    def controller_commit(self) -> None:
        """Re-derive goal, trigger, sweep and scavenger pacing after a setting changed (Go: ``gcControllerCommit``)."""
        sw = self.heap.sweeper
        self.pacer.commit(sweep_unfinished=not sw.done, heap_live=self.heap.stats.heap_live)
        self._revise()
        self._pace_sweeper()
        self.scavenger.pace(self.pacer.memory_limit, self.pacer.heap_goal(), self.pacer.last_heap_goal)
        self.next_sysmon = 0

    def set_gc_percent(self, percent: int) -> int:
        """``debug.SetGCPercent``: store GOGC, commit; return the old value (the caller waits on mark if < 0)."""
        old = self.pacer.set_gc_percent(percent)
        self.controller_commit()
        return old

    def set_memory_limit(self, limit: int) -> int:
        """``debug.SetMemoryLimit``: store a non-negative limit, commit if it changed; return the old one."""
        old = self.pacer.set_memory_limit(limit)
        if limit < 0 or old == limit:
            return old
        self.controller_commit()
        return old

    def run_worker_if_due(self, p) -> bool:
        """Run a dedicated or fractional mark worker quantum on *p* if one is due (Go: ``findRunnableGCWorker``)."""
        lim = self.limiter
        if lim.need_update(p.now) and not self.rt.keeps_running(p):
            lim.update(p.now)  # findRunnableGCWorker: at most every 10 ms, when the P schedules
        if p.dedicated:
            self._worker(p, "dedicated")
            return True
        goal = self.pacer.fractional_goal
        if goal > 0 and not self.rt.keeps_running(p):
            elapsed = p.now - self.pacer.mark_start
            if elapsed <= 0 or p.frac_time / elapsed < goal:
                self._worker(p, "fractional")
                return True
        return False
