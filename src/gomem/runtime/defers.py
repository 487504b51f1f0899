"""``defer``, ``panic`` and ``recover`` on the model (``runtime/panic.go``).

A function with ``defer`` statements keeps its deferred calls (func values)
in order; when it returns, or a panic unwinds into it, they run last-first.
A deferred call that calls ``recover()`` directly stops the panic: the
function then returns normally with its result variables as they are.  A
panic during a deferred call replaces the one being handled and the
remaining deferred calls still run.

Allocation, as the compiler and runtime do it: a ``defer`` outside any
loop is open-coded (its closure is a stack object, nothing is allocated);
a ``defer`` in a loop gets a heap ``_defer`` record from ``newdefer``: the
P's pool of freed records first (``p.deferpool``, 32 entries, half moved to
the central ``sched.deferpool`` when full), else ``new(_defer)`` (48
bytes); ``freedefer`` puts it back.  The GC's ``clearpools`` drops the
central pool.  The records and the pools are in model memory (the pools
are roots, as Go's ``allp`` and ``sched`` are), so the collector keeps a
pooled record alive exactly as long as Go does.

``panic(v)`` with an interface value; the runtime's own panics (index out
of range, nil dereference, ...) carry their message, and ``recover``
returns them as an ``error`` whose ``Error()`` is that message.
Simplifications: ``recover`` returns a runtime error as one model type
(``runtime.Error``) where Go has several (``boundsError``, ``errorString``,
``*TypeAssertionError``), so ``%T`` of it differs; the bounds error's
24-byte heap copy is made when the panic is caught by a deferred call, not
when it is raised; ``[recovered]`` re-panic lines are not printed.
"""

from __future__ import annotations

import struct

from . import types as gotypes
from .arena import ARENA_BASE_ADDR as B
from ..compile import types as T
from .panics import GoPanic

#: the model's dynamic types of a runtime error returned by recover(): one whose Error() builds its text
#: (errorString, boundsError and *TypeAssertionError concatenate or format: a new string each call) and
#: plainError, whose Error() is the string itself
RUNTIME_ERROR = T.Named("Error", "runtime", "runtime", False)
RUNTIME_ERROR.under = T.STRING
PLAIN_ERROR = T.Named("plainError", "runtime", "runtime", False)
PLAIN_ERROR.under = T.STRING
#: runtime._defer: heap bool, rangefunc bool, sp, pc, fn func(), link *_defer, head *atomic.Pointer
DEFER_RECORD = gotypes.struct_of([("flags", gotypes.UINTPTR), ("sp", gotypes.UINTPTR), ("pc", gotypes.UINTPTR),
                                  ("fn", gotypes.UNSAFE_POINTER), ("link", gotypes.UNSAFE_POINTER),
                                  ("head", gotypes.UNSAFE_POINTER)], name="_defer")
#: len(p.deferpoolbuf)
DEFER_POOL = 32


class GoReturn(Exception):
    """A ``return`` in a function with deferred calls: the results are set; the deferred calls run next."""


RETURN = GoReturn()


class Defers:
    """The deferred-call machinery of one running program."""

    def __init__(self, rt, data, ns):
        self.rt = rt
        self.ns = ns
        self.W = rt.words
        procs = len(rt.sched.ps)
        self.pools = [data.declare(f"runtime.p{i}.deferpoolbuf", gotypes.array_of(gotypes.UNSAFE_POINTER, DEFER_POOL)).addr
                      for i in range(procs)]
        self.pool_len = [0] * procs
        self.central = data.declare("runtime.sched.deferpool", gotypes.UNSAFE_POINTER).addr
        self.handling: list[GoPanic] = []  # panics whose deferred calls are running, innermost last
        rt.gc.clearpools_hooks.append(self.clearpools)

    # -- heap _defer records ------------------------------------------------------------------------

    def newdefer(self, g, fv: int) -> int:
        """A ``_defer`` for a defer in a loop, holding the deferred func value *fv*."""
        W = self.W
        i = g.p.id
        n = self.pool_len[i]
        if n == 0:  # refill half the pool from the central list
            d = W[(self.central - B) >> 3]
            while n < DEFER_POOL // 2 and d:
                nxt = W[(d - B + 32) >> 3]
                W[(d - B + 32) >> 3] = 0
                W[((self.pools[i] - B) >> 3) + n] = d
                n += 1
                d = nxt
            W[(self.central - B) >> 3] = d
        if n:
            n -= 1
            slot = self.pools[i] + 8 * n
            d = W[(slot - B) >> 3]
            W[(slot - B) >> 3] = 0
        else:
            d = g.alloc(DEFER_RECORD.size, DEFER_RECORD)
        self.pool_len[i] = n
        W[(d - B) >> 3] = 1  # heap
        g.write_slot(d + 24, fv)
        return d

    def freedefer(self, g, d: int) -> None:
        W = self.W
        W[(d - B + 24) >> 3] = 0
        i = g.p.id
        n = self.pool_len[i]
        if n == DEFER_POOL:  # move half to the central pool
            while n > DEFER_POOL // 2:
                n -= 1
                slot = self.pools[i] + 8 * n
                e = W[(slot - B) >> 3]
                W[(slot - B) >> 3] = 0
                W[(e - B + 32) >> 3] = W[(self.central - B) >> 3]
                W[(self.central - B) >> 3] = e
        W[(self.pools[i] - B + 8 * n) >> 3] = d
        self.pool_len[i] = n + 1

    def clearpools(self) -> None:
        """``clearpools``: the central defer pool is dropped (the per-P pools stay)."""
        self.W[(self.central - B) >> 3] = 0

    # -- running deferred calls ---------------------------------------------------------------------

    def run(self, g, f, dfr: list, p) -> None:
        """Run the deferred calls of the function whose frame is *f*, last first, while *p* (a GoPanic or
        None) is in flight; return normally if there is no panic left, else raise it."""
        stack = g.stack
        code = self.ns["CODE"]
        W = self.W
        while dfr:
            fv, rec = dfr.pop()
            if rec:
                fv = W[(rec - B + 24) >> 3]
            if p is not None and not p.frames:
                p.frames = [fr.name for fr in reversed(stack.frames)]
            while stack.frames[-1] is not f:  # unwind the frames the panic left above this one
                stack.pop()
            if p is not None:
                if p.alloc_size and not p.allocated:
                    p.allocated = True
                    g.alloc(p.alloc_size)
                p.depth = len(stack.frames)
                self.handling.append(p)
            try:
                code[W[(fv - B) >> 3]](g, fv)
            except GoPanic as q:
                if p is not None:
                    self.handling.remove(p)
                p = q
                if rec:
                    self.freedefer(g, rec)
                continue
            if p is not None:
                self.handling.remove(p)
                if p.recovered:
                    p = None
            if rec:
                self.freedefer(g, rec)
        while stack.frames[-1] is not f:
            stack.pop()
        if p is not None:
            raise p

    def recover(self, g):
        """``recover()``: the value of the panic whose deferred call is the caller, once; else nil."""
        if not self.handling:
            return (0, 0)
        p = self.handling[-1]
        if p.recovered or len(g.stack.frames) != p.depth + 1:
            return (0, 0)
        p.recovered = True
        return self.value(p)

    def value(self, p: GoPanic):
        if p.value is None:  # a runtime error: an error value whose Error() is the message
            ifs = self.ns["IFACES"]
            msg = p.message.split("\n")[0]
            plain = not msg.startswith(("runtime error: ", "interface conversion: "))
            ti = ifs.info(PLAIN_ERROR if plain else RUNTIME_ERROR)
            s = self.ns["PROGRAM"].image.string(msg.encode())
            hdr = self.ns["PROGRAM"].image.rodata(struct.pack("<QQ", s[0], s[1]))
            p.value = (ti.addr, hdr)
        return p.value

    def gopanic(self, g, v):
        """``panic(v)``: a GoPanic carrying *v*, with the text Go prints for it if nothing recovers it."""
        if v[0] == 0:
            p = GoPanic("panic called with nil argument (use runtime.PanicNilError)")  # Go 1.21+: *runtime.PanicNilError
            p.value = v
            raise p
        p = GoPanic(self.panic_text(g, v))
        p.value = v
        raise p

    def panic_text(self, g, v) -> str:
        """``printpanicval``: an error's Error(), a Stringer's String(), a basic value, else (T) address."""
        ifs = self.ns["IFACES"]
        ti = ifs.types[ifs.dyn[v[0]]]
        mem = self.ns["membytes"]
        for name in ("Error", "String"):
            m = ti.methods.get(name)
            if m is not None:
                r = m(g, v[1])
                return mem(r[0], r[1]).decode("utf-8", "surrogateescape")
        t = ti.t
        val = ti.load(v[1])
        k = t.u.kind
        if k == "string":
            s = mem(val[0], val[1]).decode("utf-8", "surrogateescape")
            return s if not isinstance(t, T.Named) else f'{ti.name}("{s}")'
        if k in T.INTEGER_KINDS or k == "bool" or k in ("float64", "float32"):
            if k in ("float64", "float32"):
                text = _print_float(val)
            elif k == "bool":
                text = "true" if val else "false"
            else:
                text = str(val)
            return text if not isinstance(t, T.Named) else f"{ti.name}({text})"
        return f"({ti.name}) {v[1]:#x}"


def _print_float(x: float) -> str:
    """The runtime's print of a float64: ``+1.500000e+000``."""
    if x != x:
        return "NaN"
    if x in (float("inf"), float("-inf")):
        return "+Inf" if x > 0 else "-Inf"
    m, e = f"{x:+.6e}".split("e")
    return f"{m}e{int(e):+04d}"
