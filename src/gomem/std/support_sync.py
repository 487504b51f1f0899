"""The run-time side of ``sync`` (Mutex, RWMutex, WaitGroup, Once), ``runtime.Gosched`` and ``time.Sleep``.

The structs live in model memory with Go's fields (``sync/mutex.go`` over ``internal/sync/mutex.go``,
``rwmutex.go``, ``waitgroup.go``, ``once.go``); their algorithms are Go's, their blocking goes
through the model's semaphores (:class:`gomem.runtime.sema.Semaphores`), so a blocked goroutine's
wait reason reads as Go's (``sync.Mutex.Lock``, ``sync.WaitGroup.Wait``, ...).

* Mutex: ``state`` holds mutexLocked (1), mutexWoken (2), mutexStarving (4) and the waiter count
  from bit 3; ``Unlock`` wakes one waiter, which competes for the lock again (normal mode: a
  running goroutine may take it first).  Simplification: neither the spinning nor starvation mode
  (a waiter waiting over 1 ms is handed the lock directly) is modelled.
* RWMutex: Go's reader count with ``rwmutexMaxReaders`` subtracted by a writer, reader and writer
  semaphores.
* WaitGroup: counter in the high 32 bits of ``state``, waiters in the low ones; ``Wait`` parks on
  ``sema``; reaching zero releases every waiter; ``Go(f)`` is ``Add(1)`` and a goroutine running
  ``f`` then ``Done``.
* Once: ``done`` set after ``f`` returns or panics, ``m`` serialising the first callers.

Go's misuse checks end the program as Go's do: ``fatal error: sync: unlock of unlocked mutex``,
``panic: sync: negative WaitGroup counter``.
"""

from __future__ import annotations

from ..runtime.arena import ARENA_BASE_ADDR as B
from ..runtime.panics import GoFatal, GoPanic
from ..runtime.proc import (WAIT_SYNC_MUTEX_LOCK, WAIT_SYNC_RWMUTEX_LOCK, WAIT_SYNC_RWMUTEX_RLOCK,
                            WAIT_SYNC_WAITGROUP_WAIT, gosched, sleep)
from ..runtime.sema import Semaphores

MUTEX_LOCKED = 1
MUTEX_WAITER_SHIFT = 3
RWMUTEX_MAX_READERS = 1 << 30


def make_sync_helpers(ns: dict, rt, sudogs) -> dict:
    """The helpers generated code calls for sync, Gosched and Sleep (see the module docstring)."""
    mem = rt.heap.aspace.mem
    U32 = memoryview(mem).cast("I")
    I32 = memoryview(mem).cast("i")
    U64 = memoryview(mem).cast("Q")
    sema = Semaphores(rt, sudogs)

    def fatal(g, msg: str):
        from ..runtime.sched import G_DEAD

        e = GoFatal(msg, [x for x in rt.sched.allgs if x.status != G_DEAD])
        e.path, e.files = rt.procs.path, rt.procs.files
        return e

    # -- Mutex -------------------------------------------------------------------------------

    def mutex_Lock(g, m: int) -> None:
        i = (m - B) >> 2
        if not I32[i] & MUTEX_LOCKED:  # the fast path: CompareAndSwap(0, mutexLocked)
            I32[i] |= MUTEX_LOCKED
            return
        while True:  # lockSlow
            I32[i] += 1 << MUTEX_WAITER_SHIFT
            sema.acquire(g, m + 4, WAIT_SYNC_MUTEX_LOCK)
            I32[i] -= 1 << MUTEX_WAITER_SHIFT
            if not I32[i] & MUTEX_LOCKED:
                I32[i] |= MUTEX_LOCKED
                return

    def mutex_TryLock(g, m: int) -> bool:
        i = (m - B) >> 2
        if I32[i] & MUTEX_LOCKED:
            return False
        I32[i] |= MUTEX_LOCKED
        return True

    def mutex_Unlock(g, m: int) -> None:
        i = (m - B) >> 2
        if not I32[i] & MUTEX_LOCKED:
            raise fatal(g, "sync: unlock of unlocked mutex")
        I32[i] &= ~MUTEX_LOCKED
        if I32[i] >> MUTEX_WAITER_SHIFT and sema.waiting(m + 4) > U32[(m + 4 - B) >> 2]:
            sema.release(g, m + 4)  # wake one waiter (unlockSlow)

    # -- RWMutex (w Mutex at 0, writerSem 8, readerSem 12, readerCount 16, readerWait 20) -------

    def rw_RLock(g, rw: int) -> None:
        i = (rw + 16 - B) >> 2
        I32[i] += 1
        if I32[i] < 0:  # a writer is pending
            sema.acquire(g, rw + 12, WAIT_SYNC_RWMUTEX_RLOCK)

    def rw_RUnlock(g, rw: int) -> None:
        i = (rw + 16 - B) >> 2
        I32[i] -= 1
        r = I32[i]
        if r < 0:
            if r + 1 == 0 or r + 1 == -RWMUTEX_MAX_READERS:
                raise fatal(g, "sync: RUnlock of unlocked RWMutex")
            w = (rw + 20 - B) >> 2
            I32[w] -= 1
            if I32[w] == 0:  # the last reader lets the writer in
                sema.release(g, rw + 8)

    def rw_Lock(g, rw: int) -> None:
        mutex_Lock(g, rw)
        i = (rw + 16 - B) >> 2
        I32[i] -= RWMUTEX_MAX_READERS
        r = I32[i] + RWMUTEX_MAX_READERS
        w = (rw + 20 - B) >> 2
        if r != 0:
            I32[w] += r
            if I32[w] != 0:
                sema.acquire(g, rw + 8, WAIT_SYNC_RWMUTEX_LOCK)

    def rw_Unlock(g, rw: int) -> None:
        i = (rw + 16 - B) >> 2
        I32[i] += RWMUTEX_MAX_READERS
        r = I32[i]
        if r >= RWMUTEX_MAX_READERS:
            raise fatal(g, "sync: Unlock of unlocked RWMutex")
        for _ in range(r):
            sema.release(g, rw + 12)
        mutex_Unlock(g, rw)

    # -- WaitGroup (state at 0: counter << 32 | waiters; sema at 8) ------------------------------

    def wg_Add(g, wg: int, delta: int) -> None:
        i = (wg - B) >> 3
        state = U64[i]
        counter = (state >> 32) + delta
        waiters = state & 0xFFFFFFFF
        if counter < 0:
            raise GoPanic("sync: negative WaitGroup counter")
        if counter > 0xFFFFFFFF:
            raise GoPanic("sync: WaitGroup counter overflow")
        if counter > 0 or waiters == 0:
            U64[i] = (counter << 32) | waiters
            return
        U64[i] = 0  # the counter reached zero: every waiter goes
        for _ in range(waiters):
            sema.release(g, wg + 8)

    def wg_Wait(g, wg: int) -> None:
        i = (wg - B) >> 3
        if U64[i] >> 32 == 0:
            return
        U64[i] += 1
        sema.acquire(g, wg + 8, WAIT_SYNC_WAITGROUP_WAIT)

    def wg_Go(g, wg: int, f: int, creator: str) -> None:
        wg_Add(g, wg, 1)
        code = ns["CODE"]

        def run(gg, fv):
            code[rt.words[(fv - B) >> 3]](gg, fv)
            wg_Add(gg, wg, -1)

        rt.procs.newproc(g, run, (f,), "sync.(*WaitGroup).Go.func1", creator)

    # -- Once (done at 0, m at 4) ------------------------------------------------------------------

    def once_Do(g, o: int, f: int) -> None:
        i = (o - B) >> 2
        if U32[i]:
            return
        mutex_Lock(g, o + 4)
        try:
            if not U32[i]:
                try:
                    ns["CODE"][rt.words[(f - B) >> 3]](g, f)
                finally:
                    U32[i] = 1
        finally:
            mutex_Unlock(g, o + 4)

    # -- the scheduler --------------------------------------------------------------------------

    def PROCS_gosched(g) -> None:
        gosched(g)

    def PROCS_sleep(g, d: int) -> None:
        sleep(g, d)

    return {k: v for k, v in locals().items() if callable(v) and not k.startswith("_")
            and k not in ("fatal", "make_sync_helpers")}
