"""The GC CPU limiter: a leaky bucket that caps GC CPU near 50 %.

Models ``runtime/mgclimit.go`` (``gcCPULimiterState``).  Under a memory
limit the pacer may ask for ever more GC work (the heap goal falls to the
live heap, and assists climb towards 100 % of the CPU).  The limiter stops
that from becoming a death spiral:

* the bucket holds CPU-time: capacity ``GOMAXPROCS × 1 s``
  (``capacityPerProc``) of model time;
* each update covers the window since the last one: total CPU = elapsed ×
  GOMAXPROCS − idle time (idle Ps and idle mark workers); GC CPU = assist
  time (mark and scavenge assists) plus, while a cycle is on, 25 % of the
  window for the background workers; the bucket fills by ``GC − mutator``
  (drains when negative, never below 0); whatever would spill past the
  top is counted as *overflow*;
* while the bucket is full the limiter is **on** (``limiting()``): mark
  assists are skipped and allocation-time scavenging backs off, so GC CPU
  settles where GC ≈ mutator, i.e. about 50 %; it turns off as soon as a
  window drains anything;
* GC on/off transitions (sweep termination, mark termination) bracket the
  stop-the-world: all of its time counts as GC time
  (``startGCTransition``/``finishGCTransition``);
* the cycle number of the last turn-on is ``/gc/limiter/last-enabled:gc-cycle``.

Go updates at transitions and from the scheduler at most every 10 ms
(``gcCPULimiterUpdatePeriod``); gomem's collector calls :meth:`update`
whenever :meth:`need_update` says so, at assists and worker quanta.
Per-P in-flight events (``limiterEvent``) are not modelled: time is
accounted when the collector hands it in (assists, scavenge assists) or,
for idle time, read from a cumulative source (``idle_source``) at each
update.
"""

from __future__ import annotations

from typing import Callable

from ..errors import InvariantViolation
from .mgcpacer import GC_BACKGROUND_UTILIZATION

#: bucket capacity per P, ns of model CPU time (capacityPerProc)
CAPACITY_PER_PROC = 1_000_000_000
#: the scheduler updates the limiter at most this often, ns (gcCPULimiterUpdatePeriod)
UPDATE_PERIOD = 10_000_000


class GCCPULimiter:
    """The GC CPU limiter's state (Go: ``gcCPULimiterState``)."""

    def __init__(self, now: int = 0, procs: int = 1) -> None:
        self.enabled = False
        #: a GC cycle is on (between sweep termination and mark termination)
        self.gc_enabled = False
        self.transitioning = False
        self.fill = 0
        self.capacity = 0
        #: CPU-ns of GC time that did not fit in the bucket, in total
        self.overflow = 0
        self.assist_time_pool = 0
        self.idle_time_pool = 0
        self.last_update = now
        #: the GC cycle (NumGC + 1 when it turned on) of the last time limiting began; 0: never
        self.last_enabled_cycle = 0
        self.nprocs = procs
        #: NumGC, for last_enabled_cycle
        self.numgc_source: Callable[[], int] = lambda: 0
        #: cumulative idle ns of all Ps (idle and idle-marking); read at each update
        self.idle_source: Callable[[], int] | None = None
        self._idle_seen = 0
        #: times the limiter turned on
        self.enable_count = 0
        self.reset_capacity(now, procs)

    # -- queries ----------------------------------------------------------------------

    def limiting(self) -> bool:
        """Whether the bucket is full: assists are skipped (Go: ``limiting``)."""
        return self.enabled

    def need_update(self, now: int) -> bool:
        return now - self.last_update > UPDATE_PERIOD

    # -- time in ---------------------------------------------------------------------

    def add_assist_time(self, t: int) -> None:
        """Mark-assist or scavenge-assist CPU time, ns."""
        self.assist_time_pool += t

    def add_idle_time(self, t: int) -> None:
        self.idle_time_pool += t

    def _pull_idle(self) -> None:
        if self.idle_source is not None:
            cur = self.idle_source()
            if cur > self._idle_seen:
                self.idle_time_pool += cur - self._idle_seen
            self._idle_seen = cur

    # -- updates ----------------------------------------------------------------------

    def start_gc_transition(self, enable_gc: bool, now: int) -> None:
        """Before a STW that turns the GC on or off (Go: ``startGCTransition``)."""
        if self.gc_enabled == enable_gc:
            raise InvariantViolation("gcCPULimiter: transitioning GC to the same state as before")
        self._update_locked(now)
        self.gc_enabled = enable_gc
        self.transitioning = True

    def finish_gc_transition(self, now: int) -> None:
        """After that STW: its whole duration on every P was GC time (Go: ``finishGCTransition``)."""
        if not self.transitioning:
            raise InvariantViolation("gcCPULimiter: finishGCTransition without startGCTransition")
        if now >= self.last_update:
            self.accumulate(0, (now - self.last_update) * self.nprocs)
        self.last_update = now
        self.transitioning = False

    def update(self, now: int) -> None:
        """Account the window since the last update (Go: ``update``)."""
        if self.transitioning:
            return
        self._update_locked(now)

    def _update_locked(self, now: int) -> None:
        if now < self.last_update:
            return
        window_total = (now - self.last_update) * self.nprocs
        self.last_update = now
        self._pull_idle()
        assist = self.assist_time_pool
        self.assist_time_pool = 0
        idle = self.idle_time_pool
        self.idle_time_pool = 0
        window_gc = assist
        if self.gc_enabled:
            window_gc += int(window_total * GC_BACKGROUND_UTILIZATION)
        window_total -= idle
        self.accumulate(window_total - window_gc, window_gc)

    def accumulate(self, mutator_time: int, gc_time: int) -> None:
        """Fill the bucket by gc − mutator time (Go: ``accumulate``)."""
        headroom = self.capacity - self.fill
        enabled = headroom == 0
        change = gc_time - mutator_time
        if change > 0 and headroom <= change:
            self.overflow += change - headroom
            self.fill = self.capacity
            if not enabled:
                self.enabled = True
                self.enable_count += 1
                self.last_enabled_cycle = self.numgc_source() + 1
            return
        if change < 0 and self.fill <= -change:
            self.fill = 0
        else:
            self.fill -= -change
        if change != 0 and enabled:
            self.enabled = False

    def reset_capacity(self, now: int, nprocs: int) -> None:
        """Resize the bucket for GOMAXPROCS *nprocs* (Go: ``resetCapacity``)."""
        self._update_locked(now)
        self.nprocs = nprocs
        self.capacity = nprocs * CAPACITY_PER_PROC
        if self.fill > self.capacity:
            self.fill = self.capacity
            if not self.enabled:
                self.enable_count += 1
            self.enabled = True
            self.last_enabled_cycle = self.numgc_source() + 1
        elif self.fill < self.capacity:
            self.enabled = False
