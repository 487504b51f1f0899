"""The ``sync/atomic`` calls: :class:`AtomicLib`, a mixin of :class:`.lib.Lib`.

``atomic.AddInt64(&x, d)`` lowers to ``AT_add_int64(addr, d)``, ``(*atomic.Int64).Add`` to the same
helper on the receiver's address (the value field is at offset 0), and likewise for Load, Store,
Swap, CompareAndSwap, And and Or on every integer kind, the ``Bool`` methods and ``atomic.Value``
(its ``any`` in model memory); the helpers are :mod:`gomem.std.support_atomic`'s, which says how
they wrap and why they are atomic.  Not here (compiling stops with the one line "gomem cannot run
this yet"): the generic ``atomic.Pointer[T]`` and the ``*Pointer`` functions (gomem does not convert
to ``unsafe.Pointer`` yet, so no program could pass them one).
"""

from __future__ import annotations

#: Go's operation name -> the helper's
OPS = {"Add": "add", "Load": "load", "Store": "store", "Swap": "swap", "CompareAndSwap": "cas",
       "And": "and", "Or": "or"}
#: the integer kinds, by the name Go's functions and types use
KINDS = {"Int32": "int32", "Int64": "int64", "Uint32": "uint32", "Uint64": "uint64", "Uintptr": "uintptr"}
#: the methods of Bool
BOOL_OPS = {"Load": "load", "Store": "store", "Swap": "swap", "CompareAndSwap": "cas"}


class AtomicLib:
    """The handlers (see the module docstring); the ``call_atomic_*`` and ``m_sync_atomic_*`` methods are
    set below, one per (operation, kind)."""

    def _atomic(self, fg, n, helper: str) -> str:
        return f"{helper}({', '.join(fg.arg_list(n.args or []))})"

    def m_sync_atomic_Value_Load(self, fg, n):
        return fg.spill_val(self._atomic(fg, n, "AT_value_Load"), n.type)

    def m_sync_atomic_Value_Store(self, fg, n):
        return f"AT_value_Store(g, {', '.join(fg.arg_list(n.args or []))})"

    def m_sync_atomic_Value_Swap(self, fg, n):
        return fg.spill_val(f"AT_value_Swap(g, {', '.join(fg.arg_list(n.args or []))})", n.type)

    def m_sync_atomic_Value_CompareAndSwap(self, fg, n):
        return f"AT_value_CompareAndSwap(g, {', '.join(fg.arg_list(n.args or []))})"


def _install() -> None:
    for go_op, op in OPS.items():
        for go_kind, kind in KINDS.items():
            h = f"AT_{op}_{kind}"
            handler = (lambda self, fg, n, _h=h: self._atomic(fg, n, _h))
            setattr(AtomicLib, f"m_sync_atomic_{go_kind}_{go_op}", handler)
            setattr(AtomicLib, f"call_atomic_{go_op}{go_kind}", handler)
    for go_op, op in BOOL_OPS.items():
        setattr(AtomicLib, f"m_sync_atomic_Bool_{go_op}", lambda self, fg, n, _h=f"AT_{op}_bool": self._atomic(fg, n, _h))


_install()
