"""The heap profile: sampled allocations by call stack, and their frees (Go: ``runtime/mprof.go``).

Go samples an allocation on average once every ``runtime.MemProfileRate`` bytes (512 KiB by
default; ``1``: every allocation; ``0``: none) as a Poisson process, and records each sample
in a **bucket** keyed by the allocation's call stack and object size.  The sweeper, freeing a
sampled object, finds the bucket through the object's profile *special* and counts the free.

The counts a profile shows are **as of the last completed GC**, never "now": an allocation made
since the last mark termination has not had its chance to be freed yet, and showing it would
bias the profile towards garbage.  So each bucket keeps its counts per cycle in a three-slot
ring ``future`` besides the published ``active`` record, with the global cycle number C
(``mProfCycle``):

* ``mProf_Malloc`` counts the allocation in ``future[(C+2) % 3]``;
* ``mProf_Free`` (sweep) counts the free in ``future[(C+1) % 3]``;
* mark termination advances C (``mProf_NextCycle``), and after the world restarts
  ``mProf_Flush`` adds ``future[C % 3]`` to ``active`` and clears it: what was allocated two
  cycles ago and freed by the sweep after the last cycle becomes visible together;
* ``runtime.GC`` (which sweeps to the end before returning) calls ``mProf_PostSweep``, which
  publishes ``future[(C+1) % 3]`` too: after ``runtime.GC()`` the profile is exact up to that GC;
* a reader (``memProfileInternal``) flushes ``future[C % 3]`` again, and if *nothing* was ever
  published (no GC has run), folds every cycle in, so a program that never collects still gets
  a profile.

Sampling (``mallocgc``'s tail): each P's mcache counts down ``nextSample`` by the size of the
*slot* the allocation took (its size class's size, a large object's pages, a new tiny block's
16 bytes; an allocation combined into the current tiny block takes no slot and is never
sampled), and samples when it goes negative or when ``MemProfileRate`` changed since the mcache
last sampled; a sample draws the next distance from an exponential distribution whose mean is
the rate (``fastexprand``; ``MemProfileRate=1``: every slot).

Simplification: the random numbers are the run's own (seeded), not Go's per-M ``cheaprand``.
"""

from __future__ import annotations

import math
import random
import struct
import sys
from typing import Callable

from .symtab import PROF_STACK_DEPTH, Symtab

#: ``runtime.MemProfileRate``'s initial value (``runtime/mprof.go``)
DEFAULT_MEM_PROFILE_RATE = 512 * 1024
#: the runtime's ring of per-cycle records per bucket (``memRecord.future``)
FUTURE = 3
_MAX_INT64 = (1 << 63) - 1
#: ``fastlog2``: log2 of the mantissa at 1/32 steps (Go generates the same table with mkfastlog2table.go)
_FASTLOG_BITS = 5
_FASTLOG_TABLE = [math.log2(1.0 + i / (1 << _FASTLOG_BITS)) for i in range((1 << _FASTLOG_BITS) + 1)]


def fastlog2(x: float) -> float:
    """Go's table-interpolated ``log2`` (``runtime/fastlog2.go``): the exponent, plus the table's
    value at the mantissa's top 5 bits, plus a linear step over the next 20."""
    bits = struct.unpack("<Q", struct.pack("<d", x))[0]
    exp = ((bits >> 52) & 0x7FF) - 1023
    index = (bits >> (52 - _FASTLOG_BITS)) % (1 << _FASTLOG_BITS)
    scale = (bits >> (52 - _FASTLOG_BITS - 20)) % (1 << 20)
    low, high = _FASTLOG_TABLE[index], _FASTLOG_TABLE[index + 1]
    return exp + low + (high - low) * scale * (1.0 / (1 << 20))


def fastexprand(mean: int, rand32: Callable[[], int]) -> int:
    """A distance drawn from the exponential distribution of mean *mean* (Go: ``fastexprand``):
    ``-ln(q) * mean`` for a uniform q in (0, 1] with 26 random bits, through ``fastlog2``."""
    if mean > 0x7000000:
        mean = 0x7000000
    elif mean == 0:
        return 0
    bits = 26
    q = (rand32() >> (32 - bits)) + 1  # cheaprandn(1 << 26) + 1
    qlog = fastlog2(float(q)) - bits
    if qlog > 0:
        qlog = 0
    return int(qlog * (-0.6931471805599453 * mean)) + 1


class Bucket:
    """One call stack and object size (Go: ``bucket`` with its ``memRecord``)."""

    __slots__ = ("stack", "size", "allocs", "frees", "future")

    def __init__(self, stack: tuple, size: int) -> None:
        self.stack = stack
        self.size = size
        #: the published record (``memRecord.active``)
        self.allocs = 0
        self.frees = 0
        #: per cycle, [allocs, frees] (``memRecord.future``)
        self.future = [[0, 0] for _ in range(FUTURE)]

    def publish(self, index: int) -> None:
        """Add ``future[index]`` to the published record and clear it (``mProf_FlushLocked``'s body)."""
        rec = self.future[index]
        self.allocs += rec[0]
        self.frees += rec[1]
        rec[0] = rec[1] = 0


class MemRecord:
    """A published bucket as ``runtime.MemProfile`` returns it (``runtime.MemProfileRecord``)."""

    __slots__ = ("size", "alloc_objects", "free_objects", "stack")

    def __init__(self, size: int, alloc_objects: int, free_objects: int, stack: tuple) -> None:
        self.size = size
        self.alloc_objects = alloc_objects
        self.free_objects = free_objects
        self.stack = stack

    @property
    def in_use_objects(self) -> int:
        return self.alloc_objects - self.free_objects

    @property
    def alloc_bytes(self) -> int:
        return self.alloc_objects * self.size

    @property
    def free_bytes(self) -> int:
        return self.free_objects * self.size

    @property
    def in_use_bytes(self) -> int:
        return self.in_use_objects * self.size

    def __repr__(self) -> str:
        return f"MemRecord(size={self.size}, allocs={self.alloc_objects}, frees={self.free_objects})"


class MemProfile:
    """The run's heap profile: the sampler's state, the buckets, the cycle, the sampled objects.

    *symtab* turns the running goroutine's Python stack into PCs; :attr:`rate_word`, when set, reads
    the program's ``runtime.MemProfileRate`` variable (else the profile keeps its own :attr:`rate`).
    """

    def __init__(self, span_of: Callable[[int], int], symtab: Symtab | None,
                 rate: int = DEFAULT_MEM_PROFILE_RATE, seed: int = 0) -> None:
        #: the start address of the span holding an address
        self.span_of = span_of
        self.symtab = symtab
        self._rate = rate
        self.rate_word: Callable[[], int] | None = None
        self._rng = random.Random(seed ^ 0x6D70726F66)  # "mprof"
        #: every bucket, newest first (Go's ``mbuckets`` list: new buckets go to its head)
        self.buckets: list[Bucket] = []
        self._by_key: dict[tuple, Bucket] = {}
        #: mProfCycle: the cycle number, and whether it has been flushed
        self.cycle = 0
        self.flushed = False
        #: the sampled objects' profile specials: span start -> {object address: bucket}
        self.specials: dict[int, dict[int, Bucket]] = {}
        self.samples = 0
        #: > 0 while the runtime allocates on the system stack (newproc1's g and allgs): such a sample's
        #: stack has none of the program's frames (Go's are the runtime's own: malg, newproc1,
        #: systemstack; the model has no PCs for them, so the stack is empty)
        self.system = 0

    # -- runtime.MemProfileRate ----------------------------------------------------------

    @property
    def rate(self) -> int:
        if self.rate_word is not None:
            return self.rate_word()
        return self._rate

    def next_sample(self, rate: int) -> int:
        """The bytes to the next sample (Go: ``nextSample``)."""
        if rate == 0:
            return _MAX_INT64
        if rate == 1:
            return 0
        return fastexprand(rate, lambda: self._rng.getrandbits(32))

    def init_mcache(self, c, startup: bool) -> None:
        """A new mcache's sampler (``allocmcache``): the distance to its first sample.  On P 0 the runtime's
        own start-up has already taken the sample a rate change forces (*startup*)."""
        rate = self.rate
        c.next_sample = self.next_sample(rate)
        c.mem_prof_rate = rate if startup else 0

    # -- mallocgc's tail, mProf_Malloc ---------------------------------------------------

    def malloc(self, c, x: int, slot: int, main: bool) -> None:
        """An allocation of a *slot*-byte slot at *x* on mcache *c* by the running goroutine (*main*: the
        main goroutine): count it against the mcache's next sample and sample it if its turn has come."""
        c.next_sample -= slot
        rate = self.rate
        if c.next_sample < 0 or rate != c.mem_prof_rate:
            # profilealloc
            c.mem_prof_rate = rate
            c.next_sample = self.next_sample(rate)
            stack = self.symtab.callers(sys._getframe(1), main) if self.symtab is not None and not self.system else ()
            self.record_malloc(x, slot, stack)

    def record_malloc(self, x: int, size: int, stack: tuple) -> None:
        """``mProf_Malloc``: count the allocation in its bucket's cycle C+2 and attach the bucket to the
        object (``setprofilebucket``: a special on its span)."""
        b = self._bucket(stack[:PROF_STACK_DEPTH], size)
        b.future[(self.cycle + 2) % FUTURE][0] += 1
        self.specials.setdefault(self.span_of(x), {})[x] = b
        self.samples += 1

    def _bucket(self, stack: tuple, size: int) -> Bucket:
        """``stkbucket``: the bucket of (*stack*, *size*), made if new (at the head of the list)."""
        key = (stack, size)
        b = self._by_key.get(key)
        if b is None:
            b = self._by_key[key] = Bucket(stack, size)
            self.buckets.insert(0, b)
        return b

    # -- the sweeper's side ----------------------------------------------------------------

    def sweep_span(self, span_start: int, elemsize: int, is_free: Callable[[int], bool]) -> None:
        """The sweep of a span with sampled objects: every one *is_free(index)* says died is counted in its
        bucket's cycle C+1 and loses its special (``freeSpecial`` -> ``mProf_Free``)."""
        objs = self.specials.get(span_start)
        if not objs:
            return
        index = (self.cycle + 1) % FUTURE
        for x in [x for x in objs if is_free((x - span_start) // elemsize)]:
            objs.pop(x).future[index][1] += 1
        if not objs:
            del self.specials[span_start]

    # -- the cycle -------------------------------------------------------------------------

    def next_cycle(self) -> None:
        """Mark termination ends the profiling cycle (``mProf_NextCycle``)."""
        self.cycle += 1
        self.flushed = False

    def flush(self) -> None:
        """After the world restarts: publish cycle C (``mProf_Flush``), once per cycle."""
        if self.flushed:
            return
        self.flushed = True
        self._publish(self.cycle % FUTURE)

    def post_sweep(self) -> None:
        """``runtime.GC`` swept everything: publish cycle C+1 too, without advancing (``mProf_PostSweep``)."""
        self._publish((self.cycle + 1) % FUTURE)

    def _publish(self, index: int) -> None:
        for b in self.buckets:
            b.publish(index)

    # -- reading: runtime.MemProfile -------------------------------------------------------

    def records(self, inuse_zero: bool = True) -> list[MemRecord]:
        """The published buckets, in the runtime's list order (``memProfileInternal``): those with
        objects in use, or every one if *inuse_zero*.  If nothing was ever published (no GC yet),
        every cycle is folded in first."""
        self._publish(self.cycle % FUTURE)
        if all(b.allocs == 0 and b.frees == 0 for b in self.buckets):
            for b in self.buckets:
                for index in range(FUTURE):
                    b.publish(index)
        return [MemRecord(b.size, b.allocs, b.frees, b.stack) for b in self.buckets
                if inuse_zero or b.allocs != b.frees]


def attach(rt, symtab: Symtab | None, rate: int = DEFAULT_MEM_PROFILE_RATE, seed: int = 0) -> MemProfile:
    """Keep a heap profile of *rt*'s allocations from now on (the runtime linked with ``runtime.MemProfile``:
    the allocator samples, the sweeper counts frees, the collector advances the cycle)."""
    aspace = rt.heap.aspace
    mp = MemProfile(lambda x: aspace.span_of(x).start_addr, symtab, rate, seed)
    rt.memprof = mp
    rt.heap.sweeper.memprof = mp
    for i, c in enumerate(rt.heap.mcaches):
        mp.init_mcache(c, startup=(i == 0))
    return mp
