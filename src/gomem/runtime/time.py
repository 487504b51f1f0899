"""Timers on model time (``runtime/time.go``): what ``time.NewTimer``, ``After``, ``NewTicker``,
``Tick``, ``AfterFunc`` and their ``Stop``/``Reset`` run on.

A timer is a heap object (``timeTimer``, 112 bytes: the user's ``Timer``/``Ticker`` — its channel
``C`` first — then the runtime's timer fields), allocated as Go's ``newTimer`` allocates it;
``NewTimer``/``After``/``NewTicker`` first make the channel, ``make(chan Time, 1)`` (a typed hchan
and a 24-byte buffer: Time holds a pointer).  Measured on Go 1.27 with ``runtime.ReadMemStats``
around 100 calls (GOMAXPROCS=1): NewTimer, After and NewTicker 3 mallocs, 248 bytes each
(112 + 24 + 112); AfterFunc 1 malloc of 112 plus its share of the P's timer heap growing.

:class:`Timers` keeps the run's pending timers in one heap ordered by ``when`` (Go keeps one per
P, ``p.timers``); the run loop fires every timer whose time has come before it schedules
(Go's ``checkTimers`` in ``schedule``/``findRunnable``), and an idle P waits until the next
one.  Firing a channel timer puts the current time in its channel's buffer if the buffer is
empty (a ticker drops a tick nobody took); an ``AfterFunc`` timer starts a goroutine running its
function (``goFunc``); a ticker is re-armed ``period`` later.

Go 1.23's timer channels are synchronous: after ``Stop`` or ``Reset`` no stale value is received,
and ``len``/``cap`` of the channel are 0.  The model keeps the buffer and clears it on
``Stop``/``Reset``, which is what a program observes.
The P's heap array (``p.timers.heap``, 16-byte ``timerWhen`` entries, empty at start) is
allocated as Go's ``append`` grows it (measured with ``MemProfileRate=1``: the first ``AfterFunc``
costs its 112-byte timer and a 16-byte array, the second a 32-byte one): a func timer joins it
when made, a channel timer when a goroutine blocks on its channel (``blockTimerChan``); a timer
leaves it when it fires, and a stopped one stays as a zombie until it reaches the top
(``cleanHead``).  The capacity never shrinks.
Simplifications: one heap for all Ps, its order kept in Python (Go also cleans zombies when they
are a quarter of the array, ``adjust``); the array's entries are not written to model memory, so
a pending timer the program no longer references is collectable on the model (Go keeps it
reachable from the array until it fires) while it still fires from the Python heap.
"""

from __future__ import annotations

import heapq

from . import types as gotypes

#: unsafe.Sizeof(timeTimer{}) on linux/amd64, Go 1.27 (the 112-byte malloc measured above)
TIMER_SIZE = 112
#: the timer object as the collector sees it: C (the channel), initTimer, then the runtime's
#: timer: its func value and arg (pointers) and scalars
TIMER_TYPE = gotypes.struct_of(
    [("C", gotypes.UNSAFE_POINTER), ("init", gotypes.UINTPTR), ("f", gotypes.UNSAFE_POINTER),
     ("arg", gotypes.UNSAFE_POINTER), ("rest", gotypes.array_of(gotypes.UINTPTR, TIMER_SIZE // 8 - 4))],
    name="timeTimer", pkg="runtime")
FAR_FUTURE = 1 << 62


class Timer:
    """One timer's state (Go's ``timer`` fields the model keeps in Python)."""

    __slots__ = ("obj", "when", "period", "chan", "func", "g", "seq", "active", "heaped", "idle")

    def __init__(self, obj: int, when: int, period: int, chan: int, func: int) -> None:
        self.obj = obj
        self.when = when
        self.period = period
        self.chan = chan  # the channel a channel timer sends on (0 for AfterFunc)
        self.func = func  # the func value an AfterFunc timer starts (0 for a channel timer)
        self.g = None  # a goroutine's sleep timer: the goroutine it readies
        self.seq = 0
        self.active = False
        self.heaped = False  # in the P's heap array (Go: timerHeaped; a stopped one stays, a zombie)
        #: a ticker whose last tick found its channel full: it does not run again until that tick is taken
        self.idle = False


class Timers:
    """The run's pending timers and what firing one does (see the module docstring).

    *send_time(p, chan)* puts the current time in a channel's empty buffer; *drain(chan)* empties it
    and says whether it held a value; *start(p, fv)* starts a goroutine running the func value *fv*;
    *grow_heap(len, cap)* allocates the P's heap array grown; *wake(p, g)* readies a sleeper.
    """

    def __init__(self, rt, send_time, drain, start, grow_heap, wake) -> None:
        self.rt = rt
        self.wake = wake  # readies a goroutine whose sleep timer fired
        #: allocates the P's heap array grown to hold (len, old cap) entries; returns the new capacity
        self.grow_heap = grow_heap
        self.heap_len = 0  # timers in the P's heap array (zombies included)
        self.heap_cap = 0
        self.send_time = send_time
        self.drain = drain
        self.start = start
        self.heap: list[tuple[int, int, Timer]] = []
        self.by_obj: dict[int, Timer] = {}
        self.seq = 0
        self.next_when = FAR_FUTURE
        rt.timers = self

    def new(self, obj: int, when: int, period: int, chan: int, func: int) -> Timer:
        t = Timer(obj, when, period, chan, func)
        self.by_obj[obj] = t
        self._add(t)
        if func:  # a func timer is in the heap at once; a channel timer when a goroutine blocks on it
            self.add_heap(t)
        return t

    def add_heap(self, t: Timer) -> None:
        """``ts.addHeap``: ``append(ts.heap, timerWhen{t, when})`` if *t* is not in the array already."""
        if t.heaped or not t.active:
            return
        t.heaped = True
        self.heap_len += 1
        if self.heap_len > self.heap_cap:
            self.heap_cap = self.grow_heap(self.heap_len, self.heap_cap)

    def sleep(self, g, obj: int, when: int) -> None:
        """``timeSleep``'s ``resetForSleep``: the goroutine's own timer armed at *when* and in the heap."""
        t = self.by_obj.get(obj)
        if t is None:
            t = self.by_obj[obj] = Timer(obj, when, 0, 0, 0)
            t.g = g
        t.when = when
        self._add(t)
        self.add_heap(t)

    def blocked_on(self, obj: int) -> None:
        """A goroutine blocks on the channel of the timer *obj* (``blockTimerChan``): it joins the heap."""
        t = self.by_obj.get(obj)
        if t is not None:
            self.add_heap(t)

    def _add(self, t: Timer) -> None:
        self.seq += 1
        t.seq = self.seq
        t.active = True
        t.idle = False
        heapq.heappush(self.heap, (t.when, t.seq, t))
        self._refresh()

    def _refresh(self) -> None:
        h = self.heap
        while h and (not h[0][2].active or h[0][2].seq != h[0][1]):
            _, _, t = heapq.heappop(h)  # stopped or re-armed: a stale entry
            if not t.active:
                self._unheap(t)  # cleanHead: a zombie at the top leaves the array
        self.next_when = h[0][0] if h else FAR_FUTURE

    def _unheap(self, t: Timer) -> None:
        if t.heaped:
            t.heaped = False
            self.heap_len -= 1

    def stop(self, obj: int) -> bool:
        """``Timer.Stop``: whether the timer was pending; no value from before is received after it."""
        t = self.by_obj.get(obj)
        if t is None:
            return False
        was = t.active
        t.active = False
        if t.chan and self.drain(t.chan):
            was = True  # Go 1.23: an expired timer whose value nobody received has not fired yet
        self._refresh()
        return was

    def reset(self, obj: int, when: int, period: int | None = None) -> bool:
        """``Timer.Reset``/``Ticker.Reset``: re-arm at *when*; whether it was pending."""
        t = self.by_obj.get(obj)
        if t is None:
            return False
        was = t.active
        if t.chan and self.drain(t.chan):
            was = True
        t.when = when
        if period is not None:
            t.period = period
        self._add(t)
        return was

    def _rearm(self, t: Timer, when: int, now: int) -> None:
        """A ticker that ticked at *when*: its next tick the first period boundary after *now*."""
        t.when = when + t.period * max(1, (now - when) // t.period + 1)
        self._add(t)

    def _idle(self, t: Timer, when: int) -> None:
        """A ticker's tick at *when* found the last one still in the channel: nobody is receiving.  Go 1.23
        runs a channel's timer only while a goroutine waits on the channel, and a receive that finds it
        due takes its tick then (``maybeRunChan``); the model's equivalent is to take the ticker out of
        the heap until its buffered tick is received (:meth:`taken`), so that a ticker nobody reads
        costs nothing however short its period."""
        t.when = when
        t.idle = True

    def taken(self, obj: int, now: int) -> None:
        """The tick buffered in the channel of timer *obj* was received: an idle ticker runs again."""
        t = self.by_obj.get(obj)
        if t is not None and t.idle and t.active:
            self._rearm(t, t.when, now)

    def pending(self) -> bool:
        return self.next_when < FAR_FUTURE

    def reached_chans(self) -> frozenset:
        """The channels the P's timer heap reaches: those of the timers in the heap array (zombies included,
        until they are cleaned out).  Go's collector reaches them so, through ``allp``: the goroutine leak
        detector counts a goroutine blocked on a running ticker's channel as maybe runnable."""
        return frozenset(t.chan for t in self.by_obj.values() if t.heaped and t.chan)

    def run(self, p) -> None:
        """Fire every timer due by *p*'s clock (Go: ``runtimer`` for each expired timer)."""
        while self.heap and self.next_when <= p.now:
            when, seq, t = heapq.heappop(self.heap)
            if not t.active or t.seq != seq:
                self._refresh()
                continue
            p.now += self.rt.cost.switch
            now = p.now
            if t.period == 0:
                t.active = False
                self._unheap(t)
            taken = True
            if t.chan:
                taken = self.send_time(p, t.chan)
            elif t.func:
                self.start(p, t.func)
            elif t.g is not None:
                self.wake(p, t.g)
            if t.period > 0:  # a ticker: its next tick one period on (skipping ticks already missed), or idle
                if taken:
                    self._rearm(t, when, now)
                else:
                    self._idle(t, when)
            self._refresh()
