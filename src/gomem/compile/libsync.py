"""The ``sync`` and ``runtime`` scheduling calls: :class:`SyncLib`, a mixin of :class:`.lib.Lib`.

Each lowers to a helper of :mod:`gomem.std.support_sync` (which says what is modelled and
what is simplified); the receiver is the address of the Mutex, RWMutex, WaitGroup, Once, Cond or
Pool in model memory, whose fields are Go's (:mod:`gomem.compile._stdlib_fields`); the methods of
``*sync.Map`` lower to the ``smap_*`` helpers of :mod:`gomem.std.support_syncmap`.

A program that uses ``sync.Cond`` also gets ``Lock`` and ``Unlock`` of ``*sync.Mutex`` and
``*sync.RWMutex`` as native methods, for the ``Locker`` itab ``Cond.Wait`` calls through ``c.L``.  Simplifications: ``NewCond`` always allocates its Cond on the heap (Go inlines it
and may keep a Cond that does not escape in the caller's frame); a ``Locker`` that is another
standard-library type, a program type whose Lock/Unlock are promoted from an embedded
``sync.Mutex``, or a ``*sync.Mutex`` made a ``Locker`` in a program without a Cond, has no method
table here.
"""

from __future__ import annotations


from . import types as _T

#: sync's ``type rlocker RWMutex``: only ever used through its pointer (the Locker RLocker returns)
RLOCKER = _T.Named("rlocker", "sync", "sync", False)
RLOCKER.under = _T.Struct([])
RLOCKER_PTR = _T.Pointer(RLOCKER)


class SyncLib:
    """The handlers (see the module docstring)."""

    def _recv(self, fg, n) -> list[str]:
        return fg.arg_list(n.args or [])

    def m_sync_Mutex_Lock(self, fg, n):
        return f"mutex_Lock(g, {self._recv(fg, n)[0]})"

    def m_sync_Mutex_Unlock(self, fg, n):
        return f"mutex_Unlock(g, {self._recv(fg, n)[0]})"

    def m_sync_Mutex_TryLock(self, fg, n):
        return f"mutex_TryLock(g, {self._recv(fg, n)[0]})"

    def m_sync_RWMutex_Lock(self, fg, n):
        return f"rw_Lock(g, {self._recv(fg, n)[0]})"

    def m_sync_RWMutex_Unlock(self, fg, n):
        return f"rw_Unlock(g, {self._recv(fg, n)[0]})"

    def m_sync_RWMutex_RLock(self, fg, n):
        return f"rw_RLock(g, {self._recv(fg, n)[0]})"

    def m_sync_RWMutex_RUnlock(self, fg, n):
        return f"rw_RUnlock(g, {self._recv(fg, n)[0]})"

    def m_sync_WaitGroup_Add(self, fg, n):
        wg, delta = self._recv(fg, n)
        return f"wg_Add(g, {wg}, {delta})"

    def m_sync_WaitGroup_Done(self, fg, n):
        return f"wg_Add(g, {self._recv(fg, n)[0]}, -1)"

    def m_sync_WaitGroup_Wait(self, fg, n):
        return f"wg_Wait(g, {self._recv(fg, n)[0]})"

    def m_sync_WaitGroup_Go(self, fg, n):
        wg, f = self._recv(fg, n)
        return f"wg_Go(g, {wg}, {f}, {fg.fn.name!r})"

    def m_sync_Once_Do(self, fg, n):
        o, f = self._recv(fg, n)
        return f"once_Do(g, {o}, {f})"

    # -- Cond ---------------------------------------------------------------------------------------

    def call_sync_NewCond(self, fg, n):
        self._native_lockers(fg)
        (l,) = self._recv(fg, n)
        return fg.spill_val(f"cond_New(g, {l})", n.type)

    def _native_lockers(self, fg) -> None:
        """Lock/Unlock of ``*sync.Mutex`` and ``*sync.RWMutex`` for the ``Locker`` itab (once a program)."""
        from . import types as T
        from .stdlib import LOADER

        tables = fg.pg.ifaces
        if getattr(tables, "sync_lockers", False):
            return
        tables.sync_lockers = True
        scope = LOADER.load("sync").scope
        for tname, prefix in (("Mutex", "mutex"), ("RWMutex", "rw")):
            t = T.Pointer(scope.lookup(tname).type)
            for m in ("Lock", "Unlock"):
                tables.native_method(t, m, [f"return {prefix}_{m}(g, d)"], [f"return {prefix}_{m}(g, v)"])

    def m_sync_RWMutex_RLocker(self, fg, n):
        """``rw.RLocker()``: ``Locker((*rlocker)(rw))``, the same pointer (no allocation) under a type whose
        Lock and Unlock are RLock and RUnlock (sync/rwmutex.go)."""
        from . import types as T

        self._native_lockers(fg)
        tables = fg.pg.ifaces
        if not getattr(tables, "sync_rlocker", False):
            tables.sync_rlocker = True
            tables.native_method(RLOCKER_PTR, "Lock", ["return rw_RLock(g, d)"], ["return rw_RLock(g, v)"])
            tables.native_method(RLOCKER_PTR, "Unlock", ["return rw_RUnlock(g, d)"], ["return rw_RUnlock(g, v)"])
        (rw,) = self._recv(fg, n)
        return fg.spill_val(f"({tables.tab(n.type, RLOCKER_PTR)}, {rw})", n.type)

    def m_sync_Cond_Wait(self, fg, n):
        self._native_lockers(fg)
        return f"cond_Wait(g, {self._recv(fg, n)[0]})"

    def m_sync_Cond_Signal(self, fg, n):
        self._native_lockers(fg)
        return f"cond_Signal(g, {self._recv(fg, n)[0]})"

    def m_sync_Cond_Broadcast(self, fg, n):
        self._native_lockers(fg)
        return f"cond_Broadcast(g, {self._recv(fg, n)[0]})"

    # -- Pool ---------------------------------------------------------------------------------------

    def m_sync_Pool_Get(self, fg, n):
        return fg.spill_val(f"pool_Get(g, {self._recv(fg, n)[0]})", n.type)

    def m_sync_Pool_Put(self, fg, n):
        p, x = self._recv(fg, n)
        return f"pool_Put(g, {p}, {x})"

    # -- Map ----------------------------------------------------------------------------------------

    def _smap(self, fg, n, method: str) -> str:
        return f"smap_{method}(g, {', '.join(self._recv(fg, n))})"

    def m_sync_Map_Load(self, fg, n):
        return self._smap(fg, n, "Load")

    def m_sync_Map_Store(self, fg, n):
        return self._smap(fg, n, "Store")

    def m_sync_Map_LoadOrStore(self, fg, n):
        return self._smap(fg, n, "LoadOrStore")

    def m_sync_Map_LoadAndDelete(self, fg, n):
        return self._smap(fg, n, "LoadAndDelete")

    def m_sync_Map_Delete(self, fg, n):
        return self._smap(fg, n, "Delete")

    def m_sync_Map_Swap(self, fg, n):
        return self._smap(fg, n, "Swap")

    def m_sync_Map_CompareAndSwap(self, fg, n):
        return self._smap(fg, n, "CompareAndSwap")

    def m_sync_Map_CompareAndDelete(self, fg, n):
        return self._smap(fg, n, "CompareAndDelete")

    def m_sync_Map_Range(self, fg, n):
        return self._smap(fg, n, "Range")

    def m_sync_Map_Clear(self, fg, n):
        return self._smap(fg, n, "Clear")

    def call_runtime_Gosched(self, fg, n):
        return "PROCS_gosched(g)"
