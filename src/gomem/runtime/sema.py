"""Waiting goroutines (``sudog``, ``runtime/proc.go`` acquireSudog/releaseSudog) and the runtime's
semaphores (``runtime/sema.go``: ``sync.runtime_Semacquire``/``runtime_Semrelease``).

A :class:`Sudog` is a goroutine waiting on a channel or a semaphore.  Go allocates its sudogs
(104 bytes in a 112-byte object, ``new(sudog)``) only when the P's cache is empty, and gives them back to the cache when
the wait ends: a program allocates about as many sudogs as goroutines ever wait at the same time
(measured on Go 1.27: a goroutine blocking on a channel costs its 480-byte g and one 112-byte
malloc, once).  :class:`Sudogs` keeps those caches as Go does: per P up to 128 (``p.sudogbuf``), half
of a full cache moved to the central list (``sched.sudogcache``), which the collector empties at
the start of every cycle (``clearpools``).  The objects stay reachable while cached, from the P's
buffer and from the central list's head (runtime globals, roots of the model's collector).
Simplification: a sudog's fields (its goroutine, the address of the value it sends or receives,
``success``, the select it belongs to) are kept in the Python :class:`Sudog`; its heap object is
memory allocated, cached and collected as Go's, not read.

Semaphores (:class:`Semaphores`): the count is the ``uint32`` in model memory at the semaphore's
address (a field of the Mutex or WaitGroup), the waiters a FIFO per address (``semaRoot`` keeps one
FIFO per address in its treap).  LIFO queueing and handoff are modelled for ``sync.Mutex``'s starvation mode.  Simplification: the
treap and its 251 roots are not (one FIFO per address in a dict).
"""

from __future__ import annotations

from collections import deque

from . import types as gotypes
from .arena import ARENA_BASE_ADDR
from .proc import gopark, goready, hold
from .runtime import Goroutine

#: unsafe.Sizeof(sudog{}) on linux/amd64, Go 1.27: elem and c are maybeTraceablePtr/maybeTraceableChan, two
#: words each (the goroutine-leak detector's), so 104 bytes, a 112-byte object (measured: a goroutine's
#: blocking wait that needs a new sudog costs 2 mallocs, 592 bytes with its 480-byte g)
SUDOG_SIZE = 104
#: cap(p.sudogbuf)
SUDOG_CACHE = 128
#: the sudog as the collector sees it: g, next, prev, elem (pointer, uintptr), acquiretime, releasetime,
#: ticket/isSelect/success/waiters, parent, waitlink, waittail, c (pointer, uintptr)
SUDOG_TYPE = gotypes.struct_of(
    [("g", gotypes.UNSAFE_POINTER), ("next", gotypes.UNSAFE_POINTER), ("prev", gotypes.UNSAFE_POINTER),
     ("elem_vp", gotypes.UINTPTR), ("elem_vu", gotypes.UINTPTR), ("acquiretime", gotypes.INT64),
     ("releasetime", gotypes.INT64), ("flags", gotypes.UINT64), ("parent", gotypes.UNSAFE_POINTER),
     ("waitlink", gotypes.UNSAFE_POINTER), ("waittail", gotypes.UNSAFE_POINTER), ("c_vp", gotypes.UNSAFE_POINTER),
     ("c_vu", gotypes.UINTPTR)],
    name="sudog", pkg="runtime")
_NEXT = 8  # offset of sudog.next


class Sudog:
    """A waiting goroutine on a channel or semaphore queue (Go: ``sudog``)."""

    __slots__ = ("g", "obj", "frame", "elem", "success", "sel", "case")

    def __init__(self, g, obj: int) -> None:
        self.g = g
        self.obj = obj  # its heap object
        self.elem = 0  # the address of the value sent or of the slot receiving it (0: none)
        self.success = False
        self.sel = None  # the select it waits in: [won, case index]; None for a plain send or receive
        self.case = -1


class Sudogs:
    """The sudog caches of a run (see the module docstring)."""

    def __init__(self, rt, data) -> None:
        self.rt = rt
        self.data = data
        self.local: dict[int, list[int]] = {}  # P id -> the cached objects (p.sudogcache)
        self.bufs: dict[int, int] = {}  # P id -> address of its p.sudogbuf global
        self.central_head = 0  # address of the sched.sudogcache global
        self.central: list[int] = []
        self.startup_taken = False  # the sudog start-up left in P 0's cache has been used
        rt.gc.clearpools_hooks.append(self.clear_central)

    def _buf(self, pid: int) -> int:
        b = self.bufs.get(pid)
        if b is None:
            b = self.bufs[pid] = self.data.declare(f"runtime.allp[{pid}].sudogbuf",
                                                  gotypes.array_of(gotypes.UNSAFE_POINTER, SUDOG_CACHE)).addr
            self.local[pid] = []
            if not self.central_head:
                self.central_head = self.data.declare("runtime.sched.sudogcache", gotypes.UNSAFE_POINTER).addr
        return b

    def acquire(self, g, slot: int = 0) -> Sudog:
        """``acquireSudog``: from the P's cache, refilled from the central list, else ``new(sudog)``.

        While it waits, the sudog is held on the waiting goroutine's stack (Go reaches it through the
        g's ``waiting`` list and the channel's queue): in the caller's frame slot at *slot*, else in a
        runtime frame of its own; every change to the caches, which are heap and global memory in Go,
        goes through the write barrier.
        """
        pid = g.p.id
        buf = self._buf(pid)
        q = self.local[pid]
        if not q:
            while self.central and len(q) < SUDOG_CACHE // 2:
                obj = self.central.pop()
                self._set_head(g, self.central[-1] if self.central else 0)
                q.append(obj)
                g.write_slot(buf + 8 * (len(q) - 1), obj)
        cached = bool(q)
        if cached:
            obj = q.pop()
        elif pid == 0 and not self.startup_taken:
            # start-up's: runtime.main's gcenable waits on a channel before main.main, leaving a sudog in
            # P 0's cache (measured: a Go program's first blocked goroutine costs no sudog malloc)
            self.startup_taken = True
            obj = self.rt.heap.adopt_startup_object(0, SUDOG_TYPE)
        else:
            obj = Goroutine.alloc(g, SUDOG_SIZE, SUDOG_TYPE)
        sg = Sudog(g, obj)
        if slot:
            sg.frame = None
            self.rt.words[(slot - ARENA_BASE_ADDR) >> 3] = obj
        else:
            sg.frame = hold(g, obj, "runtime.acquireSudog")
        if cached:
            g.write_slot(buf + 8 * len(q), 0)  # pp.sudogcache[n-1] = nil
        return sg

    def release(self, g, sg: Sudog) -> None:
        """``releaseSudog``: back to the P's cache; a full cache moves half to the central list."""
        pid = g.p.id
        buf = self._buf(pid)
        q = self.local[pid]
        if len(q) == SUDOG_CACHE:
            while len(q) > SUDOG_CACHE // 2:
                obj = q.pop()
                g.write_slot(buf + 8 * len(q), 0)
                g.write_slot(obj + _NEXT, self.central[-1] if self.central else 0)
                self.central.append(obj)
                self._set_head(g, obj)
        q.append(sg.obj)
        g.write_slot(buf + 8 * (len(q) - 1), sg.obj)
        if sg.frame is not None:
            g.pop(sg.frame)

    def _set_head(self, g, obj: int) -> None:
        g.write_slot(self.central_head, obj)

    def clear_central(self) -> None:
        """``clearpools`` (the world stopped, no barrier): the central list is dropped, its sudogs garbage."""
        if self.central:
            self.central.clear()
            self.rt.words[(self.central_head - ARENA_BASE_ADDR) >> 3] = 0


class Semaphores:
    """``semacquire``/``semrelease`` on uint32 counts in model memory."""

    def __init__(self, rt, sudogs: Sudogs) -> None:
        self.rt = rt
        self.sudogs = sudogs
        self.waiters: dict[int, deque] = {}
        self.U32 = memoryview(rt.heap.aspace.mem).cast("I")

    def acquire(self, g, addr: int, reason: str, lifo: bool = False) -> None:
        """``semacquire``: wait until the count at *addr* is positive, then decrement it.  *lifo*: queue at
        the front (a waiter that has waited before, ``sync.Mutex``'s ``queueLifo``).  A waiter woken by a
        handoff (:meth:`release` with *handoff*) owns the count it was given."""
        i = (addr - ARENA_BASE_ADDR) >> 2
        U32 = self.U32
        while U32[i] == 0:
            sg = self.sudogs.acquire(g)
            q = self.waiters.setdefault(addr, deque())
            if lifo:
                q.appendleft(sg)
            else:
                q.append(sg)
            gopark(g, reason, (addr,))
            self.sudogs.release(g, sg)
            if sg.success:  # handed the count directly
                return
        U32[i] -= 1

    def release(self, g, addr: int, handoff: bool = False) -> None:
        """``semrelease``: increment the count at *addr* and ready the first waiter.  With *handoff* the
        count goes to that waiter, which runs next (``semrelease1``'s handoff and ``goyield``)."""
        i = (addr - ARENA_BASE_ADDR) >> 2
        q = self.waiters.get(addr)
        if not q:
            self.U32[i] += 1
            return
        s = q.popleft()
        if not q:
            del self.waiters[addr]
        if handoff:
            s.success = True
        else:
            self.U32[i] += 1
        goready(s.g, g)

    def waiting(self, addr: int) -> int:
        """How many goroutines wait on the semaphore at *addr*."""
        return len(self.waiters.get(addr, ()))
