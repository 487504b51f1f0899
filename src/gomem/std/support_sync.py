"""The run-time side of ``sync`` (Mutex, RWMutex, WaitGroup, Once, Cond, Pool) and ``runtime.Gosched``.

The structs live in model memory with Go's fields (``sync/mutex.go`` over ``internal/sync/mutex.go``,
``rwmutex.go``, ``waitgroup.go``, ``once.go``); their algorithms are Go's, their blocking goes
through the model's semaphores (:class:`gomem.runtime.sema.Semaphores`), so a blocked goroutine's
wait reason reads as Go's (``sync.Mutex.Lock``, ``sync.WaitGroup.Wait``, ...).

* Mutex: Go's ``lockSlow``/``unlockSlow`` on ``state`` (mutexLocked 1, mutexWoken 2, mutexStarving
  4, the waiter count from bit 3).  In normal mode ``Unlock`` wakes one waiter, which competes for
  the lock again (a running goroutine may take it first) and queues at the front if it loses; a
  waiter that has waited over 1 ms of model time switches the mutex to starvation mode, where
  ``Unlock`` hands the lock straight to the first waiter (the semaphore's handoff) and newcomers
  queue behind; the last waiter, or one that waited under 1 ms, switches it back.
  Simplification: no spinning (Go spins only with several Ps running).
* RWMutex: Go's reader count with ``rwmutexMaxReaders`` subtracted by a writer, reader and writer
  semaphores.
* WaitGroup: counter in the high 32 bits of ``state``, waiters in the low ones; ``Wait`` parks on
  ``sema``; reaching zero releases every waiter; ``Go(f)`` is ``Add(1)`` and a goroutine running
  ``f`` then ``Done``.
* Once: ``done`` set after ``f`` returns or panics, ``m`` serialising the first callers.
* Cond: Go's ``notifyList`` (``runtime/sema.go``): ``Wait`` takes a ticket (``wait``), unlocks
  ``c.L`` through its ``Locker`` itab, parks on a sudog (wait reason ``sync.Cond.Wait``) unless its
  ticket was already notified, and relocks; ``Signal`` readies the waiter holding ticket ``notify``
  (FIFO), ``Broadcast`` every waiter in list order; the ``copyChecker`` panics as Go's.  ``NewCond``
  allocates Go's 56-byte Cond.  Simplification: the list's order and tickets are kept beside the
  sudogs (a Python list), whose heap objects hold the ``head``/``tail``/``next`` links in memory.
* Pool: :class:`UserPools` (per-P private slot and shared chain, victim cache, ``poolCleanup``).
* Map: Go 1.27's hash-trie, :mod:`gomem.std.support_syncmap` (its indirect nodes locked with the Mutex above).

Go's misuse checks end the program as Go's do: ``fatal error: sync: unlock of unlocked mutex``,
``panic: sync: negative WaitGroup counter``, ``panic: sync.Cond is copied``.
"""

from __future__ import annotations

from ..runtime.arena import ARENA_BASE_ADDR as B
from ..runtime.panics import NIL_DEREF, GoFatal, GoPanic
from ..runtime import types as gotypes
from ..runtime.proc import gopark, goready, gosched
from ..runtime.sched import (WAIT_SYNC_COND_WAIT, WAIT_SYNC_MUTEX_LOCK, WAIT_SYNC_RWMUTEX_LOCK,
                             WAIT_SYNC_RWMUTEX_RLOCK, WAIT_SYNC_WAITGROUP_WAIT)
from ..runtime.sema import Semaphores
from .poolchain import NIL, POOL_LOCAL, POOL_LOCAL_BYTES, PoolChains
from .support_syncmap import make_syncmap_helpers

MUTEX_LOCKED = 1
MUTEX_WOKEN = 2
MUTEX_STARVING = 4
MUTEX_WAITER_SHIFT = 3
#: a waiter that has waited longer than this (model time) switches the mutex to starvation mode
STARVATION_THRESHOLD_NS = 1_000_000
RWMUTEX_MAX_READERS = 1 << 30
#: a ring of a poolChainElt: efaces (type word, data word)
_IFACE = gotypes.interface_of()
#: unsafe.Sizeof(sync.Cond{}) on linux/amd64 (the toolchain's figure, the stub's layout line)
COND_BYTES = 56
#: sync.Cond as the collector sees it: L (type word, data word), the notifyList's head and tail
COND_TYPE = gotypes.struct_of([("L", gotypes.interface_of()), ("wait_notify", gotypes.UINT64),
                               ("lock", gotypes.UINTPTR), ("head", gotypes.UNSAFE_POINTER),
                               ("tail", gotypes.UNSAFE_POINTER), ("checker", gotypes.UINTPTR)], name="Cond", pkg="sync")


def make_sync_helpers(ns: dict, rt, sudogs) -> dict:
    """The helpers generated code calls for sync, Gosched and Sleep (see the module docstring)."""
    mem = rt.heap.aspace.mem
    U32 = memoryview(mem).cast("I")
    I32 = memoryview(mem).cast("i")
    U64 = memoryview(mem).cast("Q")
    sema = Semaphores(rt, sudogs)
    cost = rt.cost

    def fatal(g, msg: str):
        from ..runtime.sched import G_DEAD

        e = GoFatal(msg, [x for x in rt.sched.allgs if x.status != G_DEAD])
        e.path, e.files = rt.procs.path, rt.procs.files
        return e

    # -- Mutex -------------------------------------------------------------------------------

    def mutex_Lock(g, m: int) -> None:
        g.p.now += cost.lock
        i = (m - B) >> 2
        if I32[i] == 0:  # the fast path: CompareAndSwap(0, mutexLocked)
            I32[i] = MUTEX_LOCKED
            return
        lock_slow(g, m, i)

    def lock_slow(g, m: int, i: int) -> None:
        """``lockSlow``: each pass is one successful CompareAndSwap of Go's loop (nothing runs between the
        model's load and store); no spinning (see the module docstring)."""
        wait_start = 0
        starving = awoke = False
        while True:
            old = I32[i]
            new = old if old & MUTEX_STARVING else old | MUTEX_LOCKED  # a starving mutex is not taken
            if old & (MUTEX_LOCKED | MUTEX_STARVING):
                new += 1 << MUTEX_WAITER_SHIFT
            if starving and old & MUTEX_LOCKED:
                new |= MUTEX_STARVING
            if awoke:
                new &= ~MUTEX_WOKEN
            I32[i] = new
            if not old & (MUTEX_LOCKED | MUTEX_STARVING):
                return  # locked it
            lifo = wait_start != 0
            if not wait_start:
                wait_start = g.p.now
            sema.acquire(g, m + 4, WAIT_SYNC_MUTEX_LOCK, lifo)
            starving = starving or g.p.now - wait_start > STARVATION_THRESHOLD_NS
            old = I32[i]
            if old & MUTEX_STARVING:  # the lock was handed to this goroutine
                delta = MUTEX_LOCKED - (1 << MUTEX_WAITER_SHIFT)
                if not starving or old >> MUTEX_WAITER_SHIFT == 1:
                    delta -= MUTEX_STARVING  # leave starvation mode
                I32[i] += delta
                return
            awoke = True

    def mutex_TryLock(g, m: int) -> bool:
        g.p.now += cost.lock
        i = (m - B) >> 2
        if I32[i] & (MUTEX_LOCKED | MUTEX_STARVING):
            return False
        I32[i] |= MUTEX_LOCKED
        return True

    def mutex_Unlock(g, m: int) -> None:
        g.p.now += cost.lock
        i = (m - B) >> 2
        I32[i] -= MUTEX_LOCKED
        new = I32[i]
        if new == 0:
            return
        if not (new + MUTEX_LOCKED) & MUTEX_LOCKED:
            I32[i] = new + MUTEX_LOCKED
            raise fatal(g, "sync: unlock of unlocked mutex")
        if new & MUTEX_STARVING:
            sema.release(g, m + 4, handoff=True)  # starvation mode: the lock goes to the first waiter
            return
        if new >> MUTEX_WAITER_SHIFT == 0 or new & (MUTEX_LOCKED | MUTEX_WOKEN | MUTEX_STARVING):
            return
        I32[i] = (new - (1 << MUTEX_WAITER_SHIFT)) | MUTEX_WOKEN
        sema.release(g, m + 4)  # wake one waiter to compete for the lock

    # -- RWMutex (w Mutex at 0, writerSem 8, readerSem 12, readerCount 16, readerWait 20) -------

    def rw_RLock(g, rw: int) -> None:
        g.p.now += cost.lock
        i = (rw + 16 - B) >> 2
        I32[i] += 1
        if I32[i] < 0:  # a writer is pending
            sema.acquire(g, rw + 12, WAIT_SYNC_RWMUTEX_RLOCK)

    def rw_RUnlock(g, rw: int) -> None:
        g.p.now += cost.lock
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

    def rw_Lock(g, rw: int) -> None:  # the writer's Mutex, then the reader count's atomic add
        mutex_Lock(g, rw)
        g.p.now += cost.lock
        i = (rw + 16 - B) >> 2
        I32[i] -= RWMUTEX_MAX_READERS
        r = I32[i] + RWMUTEX_MAX_READERS
        w = (rw + 20 - B) >> 2
        if r != 0:
            I32[w] += r
            if I32[w] != 0:
                sema.acquire(g, rw + 8, WAIT_SYNC_RWMUTEX_LOCK)

    def rw_Unlock(g, rw: int) -> None:
        g.p.now += cost.lock
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

    helpers = {k: v for k, v in locals().items() if callable(v) and not k.startswith("_")
               and k not in ("fatal", "lock_slow", "make_sync_helpers")}
    helpers.update(_cond_helpers(ns, rt, sudogs))
    helpers.update(make_syncmap_helpers(ns, rt, mutex_Lock, mutex_Unlock))
    helpers.update(UserPools(ns, rt).helpers())
    return helpers


# -- Cond (L Locker at 0, notify notifyList at 16: wait 16, notify 20, lock 24, head 32, tail 40; checker 48) --

def _cond_helpers(ns: dict, rt, sudogs) -> dict:
    """NewCond and the Cond methods over Go's ``notifyList`` (see the module docstring)."""
    W = rt.words
    U32 = memoryview(rt.heap.aspace.mem).cast("I")
    waiting: dict[int, list] = {}  # notifyList address -> [(ticket, Sudog)] in list order (head first)
    cost = rt.cost

    def check(c: int) -> None:  # copyChecker.check: the first use records the checker's own address
        i = (c + 48 - B) >> 3
        if W[i] != c + 48:
            if W[i] != 0:
                raise GoPanic("sync.Cond is copied")
            W[i] = c + 48

    def locker(g, c: int, k: int) -> None:  # c.L.Lock() (k = 0) or c.L.Unlock() (k = 1)
        ns["IFACES"].itf[W[(c - B) >> 3]][k](g, W[(c + 8 - B) >> 3])

    def link(g, lst: int) -> None:  # l.head, l.tail and each sudog's next, as the collector sees the list
        q = waiting.get(lst, [])
        g.write_slot(lst + 16, q[0][1].obj if q else 0)
        g.write_slot(lst + 24, q[-1][1].obj if q else 0)
        for (_, a), (_, b) in zip(q, q[1:] + [(0, None)]):
            g.write_slot(a.obj + 8, b.obj if b else 0)

    def cond_New(g, l: tuple) -> int:
        c = g.alloc(COND_BYTES, COND_TYPE)
        W[(c - B) >> 3] = l[0]
        g.write_slot(c + 8, l[1])
        return c

    def cond_Wait(g, c: int) -> None:
        check(c)
        lst = c + 16
        i = (lst - B) >> 2
        t = U32[i]  # notifyListAdd: this waiter's ticket
        U32[i] = (t + 1) & 0xFFFFFFFF
        locker(g, c, 1)
        if ((t - U32[i + 1]) & 0xFFFFFFFF) >= 1 << 31:  # notifyListWait: already notified
            locker(g, c, 0)
            return
        sg = sudogs.acquire(g)
        waiting.setdefault(lst, []).append((t, sg))
        link(g, lst)
        gopark(g, WAIT_SYNC_COND_WAIT, (lst,))
        sudogs.release(g, sg)
        locker(g, c, 0)

    def cond_Signal(g, c: int) -> None:
        g.p.now += cost.cond_signal
        check(c)
        lst = c + 16
        i = (lst - B) >> 2
        t = U32[i + 1]
        if U32[i] == t:
            return
        U32[i + 1] = (t + 1) & 0xFFFFFFFF
        q = waiting.get(lst, [])
        for k, (ticket, sg) in enumerate(q):
            if ticket == t:
                del q[k]
                link(g, lst)
                g.write_slot(sg.obj + 8, 0)
                goready(sg.g, g)
                return

    def cond_Broadcast(g, c: int) -> None:
        g.p.now += cost.cond_signal
        check(c)
        lst = c + 16
        i = (lst - B) >> 2
        if U32[i] == U32[i + 1]:
            return
        q = waiting.pop(lst, [])
        link(g, lst)
        U32[i + 1] = U32[i]
        for _, sg in q:
            g.write_slot(sg.obj + 8, 0)
            goready(sg.g, g)

    return {"cond_New": cond_New, "cond_Wait": cond_Wait, "cond_Signal": cond_Signal,
            "cond_Broadcast": cond_Broadcast}


# -- Pool (local 0, localSize 8, victim 16, victimSize 24, New 32) ---------------------------------

class UserPools:
    """The program's own ``sync.Pool`` values: Go's per-P ``poolLocal`` array (private slot, shared
    ``poolChain``), the victim cache and ``poolCleanup`` at every GC.

    They share ``sync.allPools``/``sync.oldPools`` with fmt's printer pool
    (:class:`gomem.std.ppfree.Printers`, which owns those globals and moves ``allPools`` to ``oldPools``
    after this class's hook has moved the user pools' arrays to their victim slots).  A value is an
    ``any``: its type word and data word, stored in the slots and the chain's rings as ``eface`` pairs.

    What it allocates is Go's, measured with ``runtime.ReadMemStats`` around the calls on Go 1.27
    (tests/test_sync.py, ``test_pool_first_get_allocates_the_per_p_array``): a pool's first Get after
    start-up or a GC joins ``allPools`` (its ``append``) and makes 128 bytes of ``poolLocal`` per P
    (176 bytes in 3 objects with a 32-byte ``New`` value at GOMAXPROCS=1, 560 at 4); the first push
    onto a P's shared chain a 48-byte ``poolChainElt`` and its 128-byte ring of 8, a full ring the
    next element of twice the size.  Simplification: ``runtime_procPin`` is implicit (nothing preempts
    a helper), so no other goroutine can see a half-done Put.
    """

    def __init__(self, ns: dict, rt) -> None:
        self.ns = ns
        self.rt = rt
        self.W = rt.words
        self.procs = len(rt.sched.ps)
        self.chains = PoolChains(rt)
        rt.gc.clearpools_hooks.append(self.clearpools)

    def helpers(self) -> dict:
        return {"pool_Get": self.get, "pool_Put": self.put}

    def _w(self, a: int) -> int:
        return self.W[(a - B) >> 3]

    def _set(self, a: int, v: int) -> None:
        self.W[(a - B) >> 3] = v

    def _fmt(self):
        return self.ns["PROGRAM"].printers

    # -- Get and Put ---------------------------------------------------------------------------------

    def _pin(self, g, p: int) -> int:
        """``p.pin()``: the running P's poolLocal; ``pinSlow`` (join allPools, make the array) when it has none."""
        pid = g.p.id
        if pid < self._w(p + 8):
            return self._w(p) + POOL_LOCAL_BYTES * pid
        if self._w(p) == 0:
            fmt = self._fmt()
            self.chains.join_all_pools(g, fmt.all_pools, p, self.ns["growslice"], fmt.pools_backing)
        local = g.alloc(POOL_LOCAL_BYTES * self.procs, POOL_LOCAL)
        g.write_slot(p, local)
        self._set(p + 8, self.procs)
        return local + POOL_LOCAL_BYTES * pid

    def get(self, g, p: int) -> tuple:
        """``(*Pool).Get``: the private slot, the shared chain's head, other Ps' tails, the victim cache;
        else ``New()`` (nil without one)."""
        slot = self._pin(g, nilcheck_pool(p))
        x = self.chains.take(g, slot)
        if x[0] == 0:
            x = self.chains.pop_head(g, slot)
            if x[0] == 0:
                x = self._get_slow(g, p, g.p.id)
        if x[0] == 0:
            fv = self._w(p + 32)
            if fv:
                x = self.ns["CODE"][self._w(fv)](g, fv)
        return x

    def put(self, g, p: int, x: tuple) -> None:
        """``(*Pool).Put``: nil is dropped; the private slot if free, else the head of the shared chain."""
        if x[0] == 0:
            return
        slot = self._pin(g, nilcheck_pool(p))
        if self._w(slot) == 0:
            self._set(slot, x[0])
            g.write_slot(slot + 8, x[1])
        else:
            self.chains.push_head(g, slot, x)

    def _get_slow(self, g, p: int, pid: int) -> tuple:
        size, local = self._w(p + 8), self._w(p)
        for i in range(size):  # steal from the other Ps' shared tails
            x = self.chains.pop_tail(g, local + POOL_LOCAL_BYTES * ((pid + i + 1) % size))
            if x[0]:
                return x
        size, victim = self._w(p + 24), self._w(p + 16)
        if pid >= size:
            return NIL
        x = self.chains.take(g, victim + POOL_LOCAL_BYTES * pid)
        if x[0]:
            return x
        for i in range(size):
            x = self.chains.pop_tail(g, victim + POOL_LOCAL_BYTES * ((pid + i) % size))
            if x[0]:
                return x
        self._set(p + 24, 0)  # the victim cache is empty: later Gets skip it
        return (0, 0)

    # -- poolCleanup ---------------------------------------------------------------------------------

    def clearpools(self) -> None:
        """The user pools' part of ``poolCleanup`` (world stopped, no barrier): the pools of ``oldPools``
        lose their victims, those of ``allPools`` move their arrays to the victim slots."""
        fmt = getattr(self.ns.get("PROGRAM"), "printers", None)
        if fmt is None:
            return
        for lst, move in ((fmt.old_pools, False), (fmt.all_pools, True)):
            base = self._w(lst)
            for k in range(self._w(lst + 8)):
                p = self._w(base + 8 * k)
                if p == fmt.pool:
                    continue  # fmt.ppFree: Printers.clearpools
                self._set(p + 16, self._w(p) if move else 0)
                self._set(p + 24, self._w(p + 8) if move else 0)
                if move:
                    self._set(p, 0)
                    self._set(p + 8, 0)


def nilcheck_pool(p: int) -> int:
    """A nil ``*Pool`` receiver: Go's nil dereference."""
    if p == 0:
        raise GoPanic(NIL_DEREF + "\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x0]")
    return p
