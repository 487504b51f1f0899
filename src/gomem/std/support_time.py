"""The run-time side of ``time`` on model time: Now/Since/Until and Time's arithmetic, Duration's
methods (String as Go formats it), Sleep, and the timers (:mod:`gomem.runtime.time`).

A ``Time`` is Go's three words, ``wall``, ``ext``, ``loc`` (``time/time.go``): ``Now`` returns the
monotonic form (``hasMonotonic`` set, seconds since 1885 in ``wall``'s 33 bits, nanoseconds in its
low 30, ``ext`` the monotonic reading), so ``Sub``, ``Since``, ``Before`` use the monotonic clock as
Go's do.  The clock is the running P's model time: the monotonic reading is model nanoseconds
since the program started (plus 1, as Go's ``startNano`` makes it), the wall clock
:data:`MODEL_EPOCH_UNIX` plus model time.  Simplification: ``loc`` is nil (UTC; Go's Now is in
Local), so printing a Time is not supported (its output depends on the machine in Go anyway).
"""

from __future__ import annotations

from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR as B
from ..runtime.panics import GoPanic
from ..runtime.proc import G_TIMER, gopark, goready, gosched, hold
from ..runtime.sched import WAIT_SLEEP
from ..runtime.runtime import Goroutine
from ..runtime.support import next_slice_cap, roundupsize
from ..runtime.time import TIMER_SIZE, TIMER_TYPE, Timers

#: the model's wall clock at model time 0: 2026-01-01T00:00:00Z (a fixed point, so runs repeat)
MODEL_EPOCH_UNIX = 1767225600
SECONDS_PER_DAY = 86400
UNIX_TO_INTERNAL = (1969 * 365 + 1969 // 4 - 1969 // 100 + 1969 // 400) * SECONDS_PER_DAY
WALL_TO_INTERNAL = (1884 * 365 + 1884 // 4 - 1884 // 100 + 1884 // 400) * SECONDS_PER_DAY
HAS_MONOTONIC = 1 << 63
NSEC_SHIFT = 30
NSEC_MASK = (1 << 30) - 1
MAX_I64 = (1 << 63) - 1
MIN_I64 = -(1 << 63)
SECOND = 1_000_000_000
MIN_DURATION, MAX_DURATION = MIN_I64, MAX_I64
#: runtime.timer (96 bytes: what a goroutine's first time.Sleep allocates, measured with ReadMemStats on
#: Go 1.27: 2 mallocs, 112 bytes with the heap array's first 16), its pointer words first
SLEEP_TIMER = gotypes.struct_of([("ts", gotypes.UNSAFE_POINTER), ("f", gotypes.UNSAFE_POINTER),
                                 ("arg", gotypes.UNSAFE_POINTER), ("rest", gotypes.array_of(gotypes.UINTPTR, 9))],
                                name="timer", pkg="time")
#: an entry of the P's timer heap (runtime.timerWhen: the timer, its when)
TIMER_WHEN = gotypes.struct_of([("timer", gotypes.UNSAFE_POINTER), ("when", gotypes.INT64)], name="timerWhen", pkg="runtime")


def duration_string(d: int) -> str:
    """``Duration.String``: ``72h3m0.5s``, ``1.5s``, ``300ms``, ``2µs``, ``0s`` (Go's format)."""
    neg = d < 0
    u = -d if neg else d
    out: list[str] = []

    def frac(v: int, prec: int) -> int:
        printed = False
        for _ in range(prec):
            digit = v % 10
            printed = printed or digit != 0
            if printed:
                out.append(chr(48 + digit))
            v //= 10
        if printed:
            out.append(".")
        return v

    if u < SECOND:
        if u == 0:
            return "0s"
        if u < 1000:
            out.append("sn")
            prec = 0
        elif u < 1_000_000:
            out.append("s\u00b5")
            prec = 3
        else:
            out.append("sm")
            prec = 6
        u = frac(u, prec)
        out.append(str(u)[::-1])
    else:
        out.append("s")
        u = frac(u, 9)
        out.append(str(u % 60)[::-1])
        u //= 60
        if u > 0:
            out.append("m")
            out.append(str(u % 60)[::-1])
            u //= 60
            if u > 0:
                out.append("h")
                out.append(str(u)[::-1])
    if neg:
        out.append("-")
    return "".join(out)[::-1]


def go_quo(x: int, y: int) -> int:
    """Go's integer division, truncated toward zero."""
    q = abs(x) // abs(y)
    return q if (x < 0) == (y < 0) else -q


def duration_Seconds(d: int) -> float:
    """``Duration.Seconds``: whole seconds plus the fraction, each converted as Go converts them."""
    sec = go_quo(d, SECOND)
    return float(sec) + float(d - sec * SECOND) / 1e9


def _sec(t) -> int:
    """Seconds since year 1 (Go's internal clock) of a Time value ``(wall, ext, loc)``."""
    wall, ext, _ = t
    if wall & HAS_MONOTONIC:
        return WALL_TO_INTERNAL + ((wall << 1) >> (NSEC_SHIFT + 1))
    return ext


def _nsec(t) -> int:
    return t[0] & NSEC_MASK


def _sat(d: int) -> int:
    return MAX_DURATION if d > MAX_DURATION else MIN_DURATION if d < MIN_DURATION else d


def make_time_helpers(ns: dict, rt, chans) -> dict:
    """The helpers generated code calls for ``time`` (see the module docstring)."""
    sysg = Goroutine(0, "timers", rt, None)  # the P's own context firing timers (Go: the scheduler on g0)
    time_et: list = []  # the ElemType of chan Time, known from the first timer the program makes

    def now(g):
        t = g.p.now if g.p is not None else rt.now
        unix_ns = MODEL_EPOCH_UNIX * SECOND + t
        sec = unix_ns // SECOND + UNIX_TO_INTERNAL - WALL_TO_INTERNAL
        return (HAS_MONOTONIC | (sec << NSEC_SHIFT) | (unix_ns % SECOND), t + 1, 0)

    def time_Now(g):
        return now(g)

    def time_Sub(g, t, u) -> int:
        if t[0] & u[0] & HAS_MONOTONIC:
            return _sat(t[1] - u[1])
        return _sat((_sec(t) - _sec(u)) * SECOND + _nsec(t) - _nsec(u))

    def time_Since(g, t) -> int:
        return time_Sub(g, now(g), t)

    def time_Until(g, t) -> int:
        return time_Sub(g, t, now(g))

    def time_Add(g, t, d: int):
        wall, ext, loc = t
        dsec, dns = divmod(d, SECOND) if d >= 0 else (-((-d) // SECOND), -((-d) % SECOND))
        nsec = _nsec(t) + dns
        if nsec >= SECOND:
            dsec += 1
            nsec -= SECOND
        elif nsec < 0:
            dsec -= 1
            nsec += SECOND
        if wall & HAS_MONOTONIC:
            sec = ((wall << 1) >> (NSEC_SHIFT + 1)) + dsec
            if 0 <= sec < (1 << 33) and MIN_I64 <= ext + d <= MAX_I64:
                return (HAS_MONOTONIC | (sec << NSEC_SHIFT) | nsec, ext + d, loc)
            return (nsec, _sec(t) + dsec, loc)  # out of the monotonic form's range: stripped
        return (nsec, ext + dsec, loc)

    def time_t_Before(g, t, u) -> bool:
        if t[0] & u[0] & HAS_MONOTONIC:
            return t[1] < u[1]
        return (_sec(t), _nsec(t)) < (_sec(u), _nsec(u))

    def time_t_After(g, t, u) -> bool:
        return time_t_Before(g, u, t)

    def time_UnixNano(g, t) -> int:
        return (_sec(t) - UNIX_TO_INTERNAL) * SECOND + _nsec(t)

    def time_Unix(g, t) -> int:
        return _sec(t) - UNIX_TO_INTERNAL

    def duration_String(g, d: int):
        s = duration_string(d).encode("utf-8")
        return ns["newstring"](g, s, 0)  # string(arr[n:]): the bytes copied to the heap

    def duration_text(d: int) -> bytes:
        return duration_string(d).encode("utf-8")

    def time_Sleep(g, d: int) -> None:
        """``timeSleep``: the goroutine's own timer (``gp.timer``, a 96-byte object made by its first
        Sleep and kept with the g) armed ``d`` on; the goroutine parks until it fires."""
        if d <= 0:
            gosched(g)
            return
        if not g.timer:
            g.timer = Goroutine.alloc(g, SLEEP_TIMER.size, SLEEP_TIMER)
            if g.desc:
                g.write_slot(g.desc + G_TIMER, g.timer)
            else:  # the main goroutine's g is not a model object: its timer is held by a runtime global
                g.write_slot(rt.data.declare(f"runtime.g{g.id}.timer", gotypes.UNSAFE_POINTER).addr, g.timer)
        _timers().sleep(g, g.timer, g.p.now + d)
        gopark(g, WAIT_SLEEP)

    def _wake(p, g) -> None:
        sysg.p = p
        goready(g, sysg)

    # -- timers ----------------------------------------------------------------------------

    def _send_time(p, c: int) -> bool:
        sysg.p = p
        rt.cur_p = p
        return chans.try_send(sysg, chans.chans[c], time_et[0], now(sysg))  # False: full, the value is dropped

    def _drain(c: int) -> bool:
        h = chans.chans[c]
        sysg.p = rt.cur_p
        held = h.qcount > 0
        while h.qcount:
            time_et[0].store(sysg, h.slot(h.recvx), time_et[0].zero)
            h.recvx = (h.recvx + 1) % h.dataqsiz
            h.qcount -= 1
        return held

    def _start(p, fv: int) -> None:
        sysg.p = p
        rt.cur_p = p
        rt.procs.newproc(sysg, ns["GOFUNC"], (fv,), "time.goFunc", "time.goFunc")

    def _grow_heap(length: int, cap: int) -> int:
        """``growslice`` of the P's timer heap array: a new array of timerWhen (a pointer, an int64)."""
        # growslice: capmem = roundupsize(newcap*size, noscan=false); newcap = capmem/size; capmem = newcap*size.
        # With pointers, above 512 bytes roundupsize leaves room for the malloc header (class size - 8), which
        # is not a multiple of the element size: the array is the whole elements that fit.
        newcap = roundupsize(next_slice_cap(length, cap) * TIMER_WHEN.size, False) // TIMER_WHEN.size
        sysg.p = rt.cur_p
        Goroutine.alloc(sysg, newcap * TIMER_WHEN.size, TIMER_WHEN)
        return newcap

    def _timers():
        return rt.timers if rt.timers is not None else Timers(rt, _send_time, _drain, _start, _grow_heap, _wake)

    def _when(g, d: int) -> int:
        t = g.p.now
        return t + d if d > 0 else t

    def _new_timer(g, et, d: int, period: int) -> int:
        if not time_et:
            time_et.append(et)
        c = chans.makechan(g, et, 1)
        f = hold(g, c, "runtime.newTimer")  # the channel is a root while the timer is made
        t = Goroutine.alloc(g, TIMER_SIZE, TIMER_TYPE)
        g.write_slot(t, c)
        g.pop(f)
        chans.chans[c].timer = t
        _timers().new(t, _when(g, d), period, c, 0)
        return t

    def time_NewTimer(g, et, d: int) -> int:
        return _new_timer(g, et, d, 0)

    def time_After(g, et, d: int) -> int:
        return rt.words[(_new_timer(g, et, d, 0) - B) >> 3]

    def time_NewTicker(g, et, d: int) -> int:
        if d <= 0:
            raise GoPanic("non-positive interval for NewTicker")
        return _new_timer(g, et, d, d)

    def time_Tick(g, et, d: int) -> int:
        if d <= 0:
            return 0
        return rt.words[(_new_timer(g, et, d, d) - B) >> 3]

    def time_AfterFunc(g, d: int, fv: int) -> int:
        t = Goroutine.alloc(g, TIMER_SIZE, TIMER_TYPE)
        g.write_slot(t + 16, fv)  # the timer's f/arg: the func value it starts
        _timers().new(t, _when(g, d), 0, 0, fv)
        return t

    def timer_Stop(g, t: int) -> bool:
        if t == 0:
            raise GoPanic("runtime error: invalid memory address or nil pointer dereference")
        return _timers().stop(t)

    def timer_Reset(g, t: int, d: int) -> bool:
        return _timers().reset(t, _when(g, d))

    def ticker_Reset(g, t: int, d: int) -> None:
        if d <= 0:
            raise GoPanic("non-positive interval for Ticker.Reset")
        _timers().reset(t, _when(g, d), d)

    out = {k: v for k, v in locals().items() if callable(v) and not k.startswith("_")
           and k not in ("now", "make_time_helpers")}
    out.update(go_quo=go_quo, duration_Seconds=duration_Seconds)
    return out
