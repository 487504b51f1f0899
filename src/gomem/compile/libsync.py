"""The ``sync``, ``runtime`` scheduling and ``time.Sleep`` calls: :class:`SyncLib`, a mixin of :class:`.lib.Lib`.

Each lowers to a helper of :mod:`gomem.std.support_sync` (which says what is modelled and
what is simplified); the receiver is the address of the Mutex, RWMutex, WaitGroup or Once in
model memory, whose fields are Go's (:mod:`gomem.compile._stdlib_fields`).
"""

from __future__ import annotations


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

    def call_runtime_Gosched(self, fg, n):
        return "PROCS_gosched(g)"

    def call_time_Sleep(self, fg, n):
        (d,) = fg.arg_list(n.args or [])
        return f"PROCS_sleep(g, {d})"
