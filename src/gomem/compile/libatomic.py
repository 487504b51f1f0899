"""The ``sync/atomic`` calls: :class:`AtomicLib`, a mixin of :class:`.lib.Lib`.

``atomic.AddInt64(&x, d)`` lowers to ``AT_add_int64(addr, d)``, ``(*atomic.Int64).Add`` to the same
helper on the receiver's address (the value field is at offset 0), and likewise for Load, Store,
Swap, CompareAndSwap, And and Or on every integer kind, the ``Bool`` methods and ``atomic.Value``
(its ``any`` in model memory); the helpers are :mod:`gomem.std.support_atomic`'s, which says how
they wrap and why they are atomic.

The generic ``atomic.Pointer[T]`` (``sync/atomic/type.go``) is instantiated by :func:`pointer_type`
for the checker: Go's struct ``{_ [0]*T; _ noCopy; v unsafe.Pointer}`` (8 bytes, one pointer word)
with its four methods on ``*T``, whose receiver and arguments leak to the heap as the real
compiler finds (``go build -gcflags=-m``: ``moved to heap: p`` for a local Pointer, the stored
``&T{}`` escapes; its methods call the bodyless ``LoadPointer``/``StorePointer``..., whose
parameters all leak).  Not here (compiling stops with the one line "gomem cannot run this yet"): the
``*Pointer`` functions on ``*unsafe.Pointer`` (gomem does not convert to ``unsafe.Pointer`` yet, so
no program could pass them one).
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


    # -- Pointer[T] ----------------------------------------------------------------------------------

    def m_sync_atomic_Pointer_Load(self, fg, n):
        return fg.spill(self._atomic(fg, n, "AT_load_pointer"))

    def m_sync_atomic_Pointer_Store(self, fg, n):
        return f"AT_store_pointer(g, {', '.join(fg.arg_list(n.args or []))})"

    def m_sync_atomic_Pointer_Swap(self, fg, n):
        return fg.spill(f"AT_swap_pointer(g, {', '.join(fg.arg_list(n.args or []))})")

    def m_sync_atomic_Pointer_CompareAndSwap(self, fg, n):
        return f"AT_cas_pointer(g, {', '.join(fg.arg_list(n.args or []))})"


#: type argument (its compiler spelling) -> the instance of atomic.Pointer
_POINTERS: dict = {}


def pointer_type(targ):
    """``atomic.Pointer[targ]``: a named type of package sync/atomic with Go's fields and its methods as
    standard-library stubs (``m_sync_atomic_Pointer_*`` above lowers their calls); one per type argument."""
    from . import ir
    from . import types as T
    from .stdlib import LOADER

    key = T.fmt_type(targ, qualify=True)
    nt = _POINTERS.get(key)
    if nt is not None and T.identical(nt.targs[0], targ):
        return nt
    pk = LOADER.load("sync/atomic")
    nocopy = pk.scope.names["noCopy"]
    LOADER.resolve(pk, nocopy)
    nt = T.Named(f"Pointer[{key}]", "sync/atomic", "atomic", False)  # %T: atomic.Pointer[main.T]
    nt.targs = [targ]
    ptr = T.Pointer(targ)
    nt.under = T.Struct([T.Field("_", T.Array(ptr, 0)), T.Field("_", nocopy.type), T.Field("v", T.UNSAFE_POINTER)])
    nt.layout = (8, 8, True)  # unsafe.Sizeof and Alignof of any atomic.Pointer[T]
    recv = T.Pointer(nt)
    sigs = {"Load": ([], [ptr]), "Store": ([ptr], []), "Swap": ([ptr], [ptr]),
            "CompareAndSwap": ([ptr, ptr], [T.BOOL])}
    for name, (params, results) in sigs.items():
        sig = T.Signature([T.Param("", t) for t in params], [T.Param("", t) for t in results],
                          recv=T.Param("", recv))
        fn = ir.Func(name, (0, 0), sig)
        fn.stub = True
        fn.pkg = "sync/atomic"
        fn.has_body = False
        fn.esc = 3
        fn.ptr_recv = True
        fn.recv_type = recv
        fn.tags = None  # every parameter leaks to the heap (see the module docstring)
        fn.lazy = None
        nn = ir.Name(name, (0, 0), sig, ir.PFUNC)
        nn.fn = fn
        fn.nname = nn
        nt.methods[name] = fn
    _POINTERS[key] = nt
    return nt


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
