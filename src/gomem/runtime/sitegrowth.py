"""Leaks over time: in-use bytes by allocation site and the goroutine count, one sample per GC cycle.

A :class:`SiteGrowth` is attached to a run before it starts (:func:`gomem.api.run`'s *progress*
hook hands it the runtime, :meth:`SiteGrowth.around`) and subscribes to the event log
(:attr:`gomem.runtime.trace.EventLog.subscribers`).  At each cycle's ``phase=marktermination``
event — the world stopped, the mark complete, nothing swept yet — it takes one
:class:`CycleSample`:

* **in use by site**: every object the heap profile (:mod:`gomem.runtime.mprof`) sampled that
  the cycle marked, summed by allocation site.  A site is the innermost ``main.*`` frame of the
  sample's stack, as ``function file:line`` (Go's ``pprof -top`` with ``-focus=main.``); a stack
  with no ``main.`` frame is named by its innermost frame, an empty one (the runtime's own
  allocations on the system stack: a new goroutine's ``g``) ``(runtime)``.  These are exactly the
  in-use figures Go's heap profile publishes for this cycle once its sweep is done (the
  profile's counts are "as of the last GC": an object is in use at GC *n* if it was allocated
  before GC *n*'s mark termination and that mark found it reachable); they are read from the
  mark bits at once instead of waiting for the sweep and the profile's publication.  At
  ``MemProfileRate=1`` every allocation is sampled and the figures are exact; at a larger rate
  they are the sampled objects' bytes, not scaled up (pprof scales them; this module compares
  cycles with one another, which needs no scaling).
* **goroutines**: ``runtime.NumGoroutine()`` then, the bytes of their stacks (at least 2 KiB
  each: ``stackMin``; not heap, so not in the profile), and the model time.

Nothing runs on the allocation or marking paths: one test of the event kind per event, and
a walk over the profile's sampled objects once per cycle.

The rule that flags a leak (:func:`growing_sites`, :func:`goroutines_growing`):

* a **site is growing** when its in-use bytes rose in each of the last :data:`CYCLES` (3)
  cycles — strictly, cycle after cycle — and by at least :data:`MIN_GROWTH` (1 KiB) in all over
  those cycles.  Memory that is freed again, however large, never rises every cycle; the
  minimum leaves out the little a correct program keeps growing for a while (a slice of a
  few headers doubling its capacity, a map's buckets, a few short strings);
* **goroutines are growing** when ``NumGoroutine`` rose in each of the last :data:`CYCLES`
  cycles (no minimum: every goroutine holds at least a 2 KiB stack and whatever it references).

Both need :data:`CYCLES` + 1 samples: a run with fewer GC cycles flags nothing.

At the end of the run (:meth:`SiteGrowth.finish`) the goroutines still alive other than
``main``'s are kept as :class:`BlockedGoroutine` — what each waits for (its wait reason, as a
Go traceback's header shows it), where (its innermost function) and who started it — the
evidence a goroutine leak leaves, grouped by :func:`group_blocked`.

Simplifications: the model's tiny allocator samples a 16-byte tiny block as Go does, so small
noscan objects combined into one block count once at the block's first allocation site; bytes
are the slot sizes the profile records (a size class's size, a large object's pages), as Go's
profile does.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable

#: the cycles in a row a figure must rise in to be flagged
CYCLES = 3
#: the least a site must grow over those cycles, in bytes
MIN_GROWTH = 1024
#: the site of a sample with an empty stack (the runtime's own allocations)
RUNTIME_SITE = "(runtime)"


@dataclass
class CycleSample:
    """One GC cycle's figures, at its mark termination."""

    cycle: int  # the GC's number (1 for the first), as gctrace's ``gc N``
    t: int  # model ns
    goroutines: int  # runtime.NumGoroutine()
    stacks: int = 0  # the bytes of those goroutines' stacks (each g's stack.hi - stack.lo)
    #: site -> [in-use bytes, in-use objects]
    sites: dict[str, list[int]] = field(default_factory=dict)

    def bytes_at(self, site: str) -> int:
        return self.sites.get(site, (0, 0))[0]


@dataclass(frozen=True)
class Growth:
    """A site flagged as growing: its in-use bytes in every sampled cycle."""

    site: str
    series: tuple[int, ...]  # bytes at each sample, 0 where the site had nothing in use
    cycles: int = CYCLES  # the window it rose in, cycle after cycle

    @property
    def per_cycle(self) -> float:
        """The mean rise per cycle over the flagged window."""
        w = self.series[-(self.cycles + 1):]
        return (w[-1] - w[0]) / self.cycles


@dataclass(frozen=True)
class BlockedGoroutine:
    """A goroutine alive at the end of the run, as a traceback names it."""

    id: int
    wait_reason: str  # "chan receive", "sync.Mutex.Lock", "sleep", ... ("runnable" if it could run)
    function: str  # the innermost Go function on its stack
    created_by: str  # the function whose go statement started it ("" for none)


def rose_every_cycle(series: list[int] | tuple[int, ...], cycles: int = CYCLES) -> bool:
    """Whether the last *cycles* values each exceed the one before."""
    if len(series) < cycles + 1:
        return False
    window = series[-(cycles + 1):]
    return all(b > a for a, b in zip(window, window[1:]))


def growing_sites(samples: list[CycleSample], cycles: int = CYCLES, min_growth: int = MIN_GROWTH) -> list[Growth]:
    """The sites whose in-use bytes rose in each of the last *cycles* cycles, by *min_growth* in all;
    the fastest-growing first."""
    if len(samples) < cycles + 1:
        return []
    window = samples[-(cycles + 1):]
    sites = {site for s in window for site in s.sites}
    flagged = []
    for site in sites:
        series = [s.bytes_at(site) for s in window]
        if rose_every_cycle(series, cycles) and series[-1] - series[0] >= min_growth:
            flagged.append(Growth(site, tuple(s.bytes_at(site) for s in samples), cycles))
    return sorted(flagged, key=lambda g: (-g.per_cycle, g.site))


def goroutines_growing(samples: list[CycleSample], cycles: int = CYCLES) -> bool:
    """Whether ``NumGoroutine`` rose in each of the last *cycles* cycles."""
    return rose_every_cycle([s.goroutines for s in samples], cycles)


def group_blocked(blocked: list[BlockedGoroutine]) -> list[tuple[int, str, str, str]]:
    """The goroutines alive at the end, grouped as a goroutine profile groups equal stacks:
    (count, wait reason, function, created by), the largest group first."""
    groups: dict[tuple[str, str, str], int] = {}
    for b in blocked:
        key = (b.wait_reason, b.function, b.created_by)
        groups[key] = groups.get(key, 0) + 1
    return sorted(((n, *k) for k, n in groups.items()), key=lambda r: (-r[0], r[1:]))


def top_sites(samples: list[CycleSample], n: int) -> list[str]:
    """The *n* sites with the most bytes in use at any sampled cycle, the largest first."""
    peak: dict[str, int] = {}
    for s in samples:
        for site, (b, _) in s.sites.items():
            peak[site] = max(peak.get(site, 0), b)
    return [site for site, _ in sorted(peak.items(), key=lambda kv: (-kv[1], kv[0]))[:n]]


class SiteGrowth:
    """The per-cycle samples of one run (see the module docstring)."""

    def __init__(self) -> None:
        self.samples: list[CycleSample] = []
        self.blocked: list[BlockedGoroutine] = []
        self.rt: Any = None
        self._site_of_stack: dict[tuple, str] = {}
        #: name -> a function of the runtime called at the end of the run (the world stopped), its answer
        #: kept in :attr:`probes` (the hook for Go's ``goroutineleak`` profile: :mod:`gomem.cmd.leaks`)
        self.end_probes: dict[str, Callable[[Any], Any]] = {}
        self.probes: dict[str, Any] = {}
        self._finished = False

    # -- attaching --------------------------------------------------------------------------

    def attach(self, rt) -> None:
        """Sample *rt* from now on (before its run starts); the runtime keeps it as ``rt.site_growth``."""
        self.rt = rt
        rt.site_growth = self
        rt.log.subscribers.append(self._on_event)

    def around(self, inner: Callable[[Any, str], Any] | None = None) -> Callable[[Any, str], Any]:
        """An :func:`gomem.api.run` *progress* factory that attaches this recorder, then defers to
        *inner* (another progress factory, or None), and keeps the goroutines left at the end."""
        recorder = self

        class _Hook:
            def __init__(self, rt, label) -> None:
                recorder.attach(rt)
                self.ctx = inner(rt, label) if inner is not None else None

            def expect(self, nbytes) -> None:
                if self.ctx is not None and hasattr(self.ctx, "expect"):
                    self.ctx.expect(nbytes)

            def __enter__(self):
                if self.ctx is not None:
                    self.ctx.__enter__()
                return self

            def __exit__(self, et, ev, tb):
                recorder.finish()
                if self.ctx is not None:
                    return self.ctx.__exit__(et, ev, tb)
                return False

        return _Hook

    # -- sampling ----------------------------------------------------------------------------

    def _on_event(self, ev) -> None:
        # after finish, the end probes' own cycles (the goroutine leak detector's) are not the program's
        if ev.kind == "phase" and ev.data.get("phase") == "marktermination" and not self._finished:
            self.sample()

    def sample(self) -> CycleSample:
        """Take this cycle's sample (the mark complete, nothing swept yet)."""
        rt = self.rt
        s = CycleSample(rt.gc.numgc + 1, rt.now, num_goroutine(rt), stack_bytes(rt))
        mp = rt.memprof
        if mp is not None:
            aspace = rt.heap.aspace
            for span_start, objs in mp.specials.items():
                span = aspace.span_of(span_start)
                for addr, bucket in objs.items():
                    if span.is_marked(span.object_index(addr)):
                        rec = s.sites.setdefault(self.site_of(bucket.stack), [0, 0])
                        rec[0] += bucket.size
                        rec[1] += 1
        self.samples.append(s)
        return s

    def site_of(self, stack: tuple) -> str:
        """A profile stack's site: its innermost ``main.`` frame (see the module docstring)."""
        site = self._site_of_stack.get(stack)
        if site is None:
            site = self._site_of_stack[stack] = _site(self.rt.memprof.symtab, stack)
        return site

    def finish(self) -> None:
        """At the end of the run: keep the goroutines still alive, other than the main goroutine."""
        from .sched import G_DEAD

        rt = self.rt
        if rt is None or self._finished:
            return
        self._finished = True
        for name, probe in self.end_probes.items():
            self.probes[name] = probe(rt)
        for g in rt.sched.allgs:
            if g.status == G_DEAD or g.created_by is None:
                continue
            frames = [f.name for f in reversed(g.stack.frames)
                      if not f.name.startswith("runtime") and ".gowrap" not in f.name and f.name != "frame"]
            self.blocked.append(BlockedGoroutine(
                g.id,
                g.wait_reason or g.status,
                "main." + frames[0] if frames else g.start_fn,
                "main." + g.created_by[0] if g.created_by[0] else "",
            ))

    # -- reading -----------------------------------------------------------------------------

    def growing(self) -> list[Growth]:
        return growing_sites(self.samples)

    def goroutines_growing(self) -> bool:
        return goroutines_growing(self.samples)

    def as_dict(self) -> dict[str, Any]:
        """The samples and the verdicts, for ``--json``."""
        return {
            "rule": {"cycles": CYCLES, "min_growth_bytes": MIN_GROWTH},
            "cycles": [{"gc": s.cycle, "t_ns": s.t, "goroutines": s.goroutines, "stack_bytes": s.stacks,
                        "inuse": {site: {"bytes": b, "objects": o} for site, (b, o) in sorted(s.sites.items())}}
                       for s in self.samples],
            "growing_sites": [{"site": g.site, "bytes": list(g.series), "per_cycle": g.per_cycle} for g in self.growing()],
            "goroutines_growing": self.goroutines_growing(),
            "goroutines_at_end": [{"count": n, "wait_reason": w, "function": f, "created_by": c}
                                  for n, w, f, c in group_blocked(self.blocked)],
        }


def num_goroutine(rt) -> int:
    """``runtime.NumGoroutine()`` as the model's runtime package answers it."""
    from .sched import G_DEAD

    return sum(1 for g in rt.sched.allgs if g.status != G_DEAD)


def stack_bytes(rt) -> int:
    """The stack bytes of the goroutines alive (``stack.hi - stack.lo`` of each)."""
    from .sched import G_DEAD

    return sum(g.stack.size for g in rt.sched.allgs if g.status != G_DEAD and g.stack is not None)


def _site(symtab, stack: tuple) -> str:
    innermost = None
    for pc in stack:
        for fr in symtab.frames(pc) if symtab is not None else ():
            if innermost is None:
                innermost = fr
            if fr.function.startswith("main."):
                return f"{fr.function} {os.path.basename(fr.file)}:{fr.line}"
    if innermost is not None:
        return f"{innermost.function} {os.path.basename(innermost.file)}:{innermost.line}"
    return RUNTIME_SITE


__all__ = ["CYCLES", "MIN_GROWTH", "CycleSample", "Growth", "BlockedGoroutine", "SiteGrowth",
           "growing_sites", "goroutines_growing", "group_blocked", "top_sites", "rose_every_cycle", "num_goroutine", "stack_bytes"]
