"""Channels and select as ``runtime/chan.go`` and ``runtime/select.go``: ``makechan``, ``chansend``,
``chanrecv``, ``closechan``, ``selectgo``.

A channel value is the address of its ``hchan``, a heap object of Go's size (``hchanSize``,
112 bytes in Go 1.27 on amd64: measured with ``runtime.ReadMemStats`` around ``make(chan int)``,
one malloc of the 112-byte class; ``make(chan int, 1)`` one malloc of 128 bytes = 112 + 8).
``makechan`` allocates as Go does: one noscan object holding the hchan and its buffer when the
element type has no pointers (or the buffer is empty), else a typed hchan (its ``buf`` field a
pointer the collector follows) and the buffer as a separate object of the element type (two
mallocs, measured: ``make(chan *T, 10)`` costs 2 mallocs, 192 bytes).  The buffered elements
live in that model memory, written through the write barrier (Go's ``typedmemmove``) and cleared
after a receive (``typedmemclr``), so the collector sees every pointer a channel holds.

A blocked sender's value, or the slot a blocked receiver receives into, is in a runtime frame on
the waiting goroutine's stack (the sudog's ``elem``): a stack root while it waits; the hand-off to
a parked receiver writes its stack slot through the write barrier, as ``sendDirect`` does.  A
waiter holds a sudog from :mod:`gomem.runtime.sema`'s caches.

``select`` (:meth:`Chans.select`) evaluates nothing itself (the generated code has evaluated every
channel and value, in source order): it polls the cases in a uniformly random order (Go's
``pollorder``, from the run's seeded generator), takes the first ready one, else the default, else
queues a sudog on every channel and parks; the case that wakes it dequeues the others.

Simplifications: the channel lock is not modelled (the model runs one goroutine at a time); the
hchan's fields other than ``buf`` live in the Python :class:`HChan`, not in its memory.
"""

from __future__ import annotations

from collections import deque

import random

from . import types as gotypes
from .arena import ARENA_BASE_ADDR
from .panics import GoPanic
from .proc import gopark, goready, hold
from .sched import (WAIT_CHAN_RECEIVE, WAIT_CHAN_RECEIVE_NIL, WAIT_CHAN_SEND, WAIT_CHAN_SEND_NIL, WAIT_SELECT,
                    WAIT_SELECT_NO_CASES)
from .sema import Sudog, Sudogs

#: unsafe.Sizeof(hchan{}) rounded to maxAlign (chan.go hchanSize), measured as above
HCHAN_SIZE = 112
#: chan.go maxAlloc check: a buffer larger than this panics "makechan: size out of range"
MAX_ALLOC = 1 << 47
#: the typed hchan of a channel whose elements hold pointers: only ``buf`` (offset 16) is a pointer the
#: collector follows in the model (Go's other pointer fields point at the element type and at sudogs,
#: neither of which is a heap object the model has)
HCHAN = gotypes.struct_of([("qcount", gotypes.UINT), ("dataqsiz", gotypes.UINT), ("buf", gotypes.UNSAFE_POINTER),
                           ("rest", gotypes.array_of(gotypes.UINTPTR, 11))], name="hchan", pkg="runtime")


class HChan:
    """The bookkeeping of one channel (the fields of Go's hchan the model keeps in Python)."""

    __slots__ = ("dataqsiz", "elemsize", "buf", "qcount", "sendx", "recvx", "closed", "recvq", "sendq", "timer")

    def __init__(self, size: int, elemsize: int, buf: int) -> None:
        self.dataqsiz = size
        self.elemsize = elemsize
        self.buf = buf
        self.qcount = 0
        self.sendx = 0
        self.recvx = 0
        self.closed = False
        self.recvq: deque[Sudog] = deque()
        self.sendq: deque[Sudog] = deque()
        #: a timer's channel: the timer object's address (Go 1.23+: synchronous, len and cap report 0)
        self.timer = 0

    def slot(self, i: int) -> int:
        return self.buf + i * self.elemsize


class ElemType:
    """What the channel runtime needs of an element type: its runtime type, size, zero value, and
    the generated functions that store (with the write barrier) and load one element."""

    __slots__ = ("rtype", "size", "zero", "store", "load", "noscan", "wait_frame", "wait_elem")

    def __init__(self, rtype, zero, store, load) -> None:
        self.rtype = rtype
        self.size = rtype.size
        self.zero = zero
        self.store = store
        self.load = load
        self.noscan = not rtype.ptrdata
        #: the frame of a goroutine blocked on a channel of this type (see Chans._wait), its elem's offset
        self.wait_frame = gotypes.struct_of(
            [("c", gotypes.UNSAFE_POINTER), ("sg", gotypes.UNSAFE_POINTER), ("elem", rtype)], name="chanwait", pkg="runtime")
        self.wait_elem = self.wait_frame.field("elem").offset


class Chans:
    """The channels of one run (hchan address -> :class:`HChan`) and their operations."""

    def __init__(self, rt, data, seed: int) -> None:
        self.rt = rt
        self.chans: dict[int, HChan] = {}
        self.sudogs = Sudogs(rt, data)
        #: select's pollorder (Go: cheaprandn), seeded from the run's seed
        self.rng = random.Random(seed)

    def makechan(self, g, et: ElemType, size: int) -> int:
        """``make(chan T, size)``."""
        mem = et.size * size
        if size < 0 or mem > MAX_ALLOC - HCHAN_SIZE:
            raise GoPanic("makechan: size out of range")
        if mem == 0:
            c = g.alloc(HCHAN_SIZE)
            buf = c
        elif et.noscan:
            c = g.alloc(HCHAN_SIZE + mem)
            buf = c + HCHAN_SIZE
        else:
            c = g.new(HCHAN)
            f = hold(g, c, "runtime.makechan")  # c is a root while the buffer is allocated
            buf = g.alloc(mem, et.rtype)
            g.write_slot(c + 16, buf)
            g.pop(f)
        self.chans[c] = HChan(size, et.size, buf)
        return c

    def _wait(self, g, c: int, et: ElemType, name: str, sel=None, case: int = -1):
        """What a goroutine about to block on channel *c* keeps on its stack: a runtime frame holding the
        channel (Go: the sudog's ``c``, so a channel made by the expression being received from stays
        alive), the sudog, and the element sent or received (the sudog's ``elem``, set by the caller once
        no more frames are pushed: a push may move the stack).  A receive on a timer's channel puts the
        timer in the P's heap (``blockTimerChan``).  Returns the frame and the sudog."""
        f = g.runtime_frame(et.wait_frame, name)
        self.rt.words[(f.base - ARENA_BASE_ADDR) >> 3] = c
        sg = self.sudogs.acquire(g, f.base + 8)
        sg.sel, sg.case = sel, case
        h = self.chans[c]
        if h.timer:
            self.rt.timers.blocked_on(h.timer)
        return f, sg

    # -- send ---------------------------------------------------------------------------------

    def send(self, g, c: int, et: ElemType, v) -> None:
        """``c <- v`` (chansend with block=true)."""
        g.p.now += self.rt.cost.chan_op
        if c == 0:
            gopark(g, WAIT_CHAN_SEND_NIL)  # forever: nothing readies it
        h = self.chans[c]
        if h.closed:
            raise GoPanic("send on closed channel")
        if self.try_send(g, h, et, v):
            return
        f, sg = self._wait(g, c, et, "runtime.chansend")
        sg.elem = f.base + et.wait_elem
        et.store(g, sg.elem, v)
        h.sendq.append(sg)
        gopark(g, WAIT_CHAN_SEND, (c,))
        ok = sg.success
        self.sudogs.release(g, sg)
        g.pop(f)
        if not ok:
            raise GoPanic("send on closed channel")

    def try_send(self, g, h: HChan, et: ElemType, v) -> bool:
        """A send that does not block: to a waiting receiver, or into the buffer; False if neither."""
        sg = dequeue(h.recvq)
        if sg is not None:
            if sg.elem:
                et.store(g, sg.elem, v)  # sendDirect: into the receiver's stack slot
                self._direct_barrier(et, sg.elem)
            sg.success = True
            goready(sg.g, g)
            return True
        if h.qcount < h.dataqsiz:
            et.store(g, h.slot(h.sendx), v)
            h.sendx = (h.sendx + 1) % h.dataqsiz
            h.qcount += 1
            return True
        return False

    # -- receive ------------------------------------------------------------------------------

    def recv(self, g, c: int, et: ElemType):
        """``v, ok := <-c`` (chanrecv with block=true): the value and whether it was sent."""
        g.p.now += self.rt.cost.chan_op
        if c == 0:
            gopark(g, WAIT_CHAN_RECEIVE_NIL)
        h = self.chans[c]
        r = self.try_recv(g, h, et)
        if r is not None:
            return r
        f, sg = self._wait(g, c, et, "runtime.chanrecv")
        sg.elem = f.base + et.wait_elem
        h.recvq.append(sg)
        gopark(g, WAIT_CHAN_RECEIVE, (c,))
        ok = sg.success
        self.sudogs.release(g, sg)
        v = et.load(sg.elem)
        g.pop(f)
        return v, ok

    def try_recv(self, g, h: HChan, et: ElemType):
        """A receive that does not block: ``(value, ok)``, or None when it would block."""
        sg = dequeue(h.sendq)
        if sg is not None:
            if h.dataqsiz == 0:
                v = et.load(sg.elem)  # recvDirect: from the sender's stack
                self._direct_barrier(et, sg.elem)
            else:  # a full buffer: take its head, the sender's value goes to its tail
                slot = h.slot(h.recvx)
                v = et.load(slot)
                et.store(g, slot, et.load(sg.elem))
                h.recvx = (h.recvx + 1) % h.dataqsiz
                h.sendx = h.recvx
            sg.success = True
            goready(sg.g, g)
            return v, True
        if h.qcount > 0:
            slot = h.slot(h.recvx)
            v = et.load(slot)
            et.store(g, slot, et.zero)  # typedmemclr
            h.recvx = (h.recvx + 1) % h.dataqsiz
            h.qcount -= 1
            if h.timer:
                self.rt.timers.taken(h.timer, g.p.now)
            return v, True
        if h.closed:
            return et.zero, False
        return None

    def _direct_barrier(self, et: ElemType, elem: int) -> None:
        """The write barrier of a value moved straight between two goroutines' stacks (``sendDirect`` and
        ``recvDirect``'s ``typeBitsBulkBarrier``): each pointer the value holds, read at *elem*, goes through
        the mode's barrier as a store's new value.  Stack stores have no barrier, and either stack may
        already be scanned (or, in a leak-detecting cycle, be held back): without it the one goroutine
        that keeps the value would be black while the other let go of it, and the object would be freed."""
        rt = self.rt
        if et.noscan or not rt.wb_enabled:
            return
        words, p = rt.words, rt.cur_p
        for off in et.rtype.pointer_offsets():
            new = int(words[(elem + off - ARENA_BASE_ADDR) >> 3])
            if new:
                rt.write_barrier(p, 0, new, elem + off)

    # -- close, len, cap ------------------------------------------------------------------------

    def close(self, g, c: int) -> None:
        """``close(c)``: every waiting receiver gets the zero value, every waiting sender panics."""
        if c == 0:
            raise GoPanic("close of nil channel")
        h = self.chans[c]
        if h.closed:
            raise GoPanic("close of closed channel")
        h.closed = True
        for q in (h.recvq, h.sendq):
            while True:
                sg = dequeue(q)
                if sg is None:
                    break
                sg.success = False
                goready(sg.g, g)

    def length(self, c: int) -> int:
        if not c:
            return 0
        h = self.chans[c]
        return 0 if h.timer else h.qcount

    def capacity(self, c: int) -> int:
        if not c:
            return 0
        h = self.chans[c]
        return 0 if h.timer else h.dataqsiz

    # -- select ---------------------------------------------------------------------------------

    def select(self, g, cases: tuple, has_default: bool):
        """``selectgo``: *cases* are ``(is_send, elem type, channel, value)``; returns ``(case, value, ok)``
        with case -1 for the default.  A select of one case and no default is that case's plain operation,
        as the compiler lowers it (``walkSelectCases``): it blocks with the send's or receive's wait reason."""
        if len(cases) == 1 and not has_default:
            send, et, c, v = cases[0]
            if send:
                self.send(g, c, et, v)
                return 0, None, True
            v, ok = self.recv(g, c, et)
            return 0, v, ok
        cost = self.rt.cost  # one case and a default is selectnbsend/selectnbrecv; more are selectgo
        g.p.now += cost.chan_poll if len(cases) == 1 else cost.selectgo
        order = list(range(len(cases)))
        self.rng.shuffle(order)  # pollorder: a uniformly random permutation
        for i in order:
            send, et, c, v = cases[i]
            if c == 0:
                continue  # a nil channel's case is never ready
            h = self.chans[c]
            if send:
                if h.closed:
                    raise GoPanic("send on closed channel")
                if self.try_send(g, h, et, v):
                    return i, None, True
            else:
                r = self.try_recv(g, h, et)
                if r is not None:
                    return i, r[0], r[1]
        if has_default:
            return -1, None, False
        if not any(c for _, _, c, _ in cases):
            gopark(g, WAIT_SELECT_NO_CASES if not cases else WAIT_SELECT)  # forever
        return self._select_park(g, cases)

    def _select_park(self, g, cases: tuple):
        """Queue a sudog on every case's channel, park, and take the case that woke the goroutine."""
        sel = [False, -1]
        waits = [(self._wait(g, c, et, "runtime.selectgo", sel, i), c, send, et, v)
                 for i, (send, et, c, v) in enumerate(cases) if c]
        for (f, sg), c, send, et, v in waits:  # the frames are where they stay while it waits
            sg.elem = f.base + et.wait_elem
            if send:
                et.store(g, sg.elem, v)
            (self.chans[c].sendq if send else self.chans[c].recvq).append(sg)
        gopark(g, WAIT_SELECT, tuple(c for _, c, _, _, _ in waits))
        won = sel[1]
        value, ok, closed = None, False, False
        for (f, sg), c, send, et, v in reversed(waits):
            if sg.case == won:
                ok = sg.success
                if not send:
                    value = et.load(sg.elem) if ok else et.zero
                else:
                    closed = not ok
            else:
                q = self.chans[c].sendq if send else self.chans[c].recvq
                try:
                    q.remove(sg)  # dequeueSudoG
                except ValueError:
                    pass
            self.sudogs.release(g, sg)
            g.pop(f)
        if closed:  # after the other cases are dequeued and the frames popped, as selectgo does
            raise GoPanic("send on closed channel")
        return won, value, ok


def dequeue(q: deque):
    """The first waiter of *q* still waiting (waitq.dequeue: a select's sudog another case won is skipped)."""
    while q:
        sg = q.popleft()
        sel = sg.sel
        if sel is not None:
            if sel[0]:
                continue
            sel[0] = True
            sel[1] = sg.case
        return sg
    return None
