"""fmt's printer cache, ``fmt.ppFree``: a ``sync.Pool`` of ``*pp`` and each printer's growing buffer.

Every ``fmt.Print*`` call takes a printer (``newPrinter``: ``ppFree.Get()``),
formats into its ``buf`` (a ``[]byte`` that ``append`` grows), writes or
copies the bytes out and puts the printer back (``pp.free``: a buffer over
64 KiB is dropped, the rest kept for the next call).  What that allocates is
part of every Go program's MemStats, measured with ``MemProfileRate = 1`` on
Go 1.27.3 (the first ``fmt.Println`` of a program):

- ``sync.(*Pool).pinSlow``, the first Get after start-up or after a GC: the
  pool joins ``allPools`` (``append`` to a nil ``[]*Pool``: an 8-byte
  object) and gets its per-P array, ``make([]poolLocal, GOMAXPROCS)``
  (128 bytes a P);
- ``fmt.init.func1`` (the pool's ``New``) when neither the P's private slot
  nor the victim cache has a printer: ``new(pp)``, a 176-byte object;
- ``fmt.(*buffer).write*``: ``growslice`` of the byte buffer whenever a
  piece does not fit, as ``append`` grows it.

At every GC ``clearpools`` (``poolCleanup``) moves each pool's per-P array
to its victim slot and drops the previous victims, and empties
``allPools`` (into ``oldPools``): so the first print after a GC pays
``pinSlow`` again and finds its printer in the victim cache, and a printer
unused for two cycles is garbage and is made anew.

The pool's per-P arrays and chains are :mod:`gomem.std.poolchain`'s (shared with the program's
own pools).  The memory is the model's: the pool's words are package-level variables in
the program image (roots, as ``fmt.ppFree`` and ``sync.allPools`` are), the
per-P arrays, the printers and their buffers heap objects with Go's pointer
layout, every pointer stored through the write barrier.

A print nested in another (a ``String`` or ``Error`` method that formats)
takes a second printer while the first is out; putting them back fills the
private slot and then pushes onto the P's ``shared`` chain
(``poolChain.pushHead``): the first push allocates a ``poolChainElt``
(48 bytes) and its ring of 8 ``eface`` slots (128 bytes), a full ring a
new element of twice the size.  ``Get`` tries the private slot, then
``shared.popHead``, then the victim's private slot and shared tail.
Simplifications: the printers in use are held in package-level slots (in
Go stack slots of the ``Fprintf`` frames); stealing from other Ps' chains
is not modelled (one goroutine prints at a time); fmt's ``writePadding``
grows the buffer by ``make(cap*2+n)`` where the model grows every piece as
``append`` does.
"""

from __future__ import annotations

from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR as B
from ..errors import BadInput
from .poolchain import POOL_LOCAL, POOL_LOCAL_BYTES, PoolChains

#: sizes measured on Go 1.27.3 (see the module docstring)
PP_BYTES = 176
#: pp.free drops a buffer larger than this
MAX_KEPT_BUFFER = 64 << 10

_IFACE = gotypes.interface_of()
#: fmt.pp as far as the collector sees it: buf []byte first, then its other pointer words
PP = gotypes.struct_of([("buf", gotypes.slice_of(gotypes.UINT8)), ("arg", _IFACE),
                        ("value_typ", gotypes.UNSAFE_POINTER), ("value_ptr", gotypes.UNSAFE_POINTER),
                        ("value_flag", gotypes.UINTPTR), ("fmt_buf", gotypes.UNSAFE_POINTER),
                        ("rest", gotypes.array_of(gotypes.UINT8, PP_BYTES - 96)),
                        ("wrapped_errs", gotypes.slice_of(gotypes.INT))], name="pp", pkg="fmt")
#: how deeply prints may nest (String methods that print) before the model refuses
MAX_NESTED_PRINTS = 256
#: the words of fmt.ppFree the model uses: local, localSize, victim, victimSize
POOL = gotypes.struct_of([("local", gotypes.UNSAFE_POINTER), ("local_size", gotypes.UINTPTR),
                          ("victim", gotypes.UNSAFE_POINTER), ("victim_size", gotypes.UINTPTR)], name="Pool", pkg="sync")
_PPTR = gotypes.pointer_to(POOL)


class Printers:
    """``fmt.ppFree`` and the printers it hands out, in the memory of one running program."""

    def __init__(self, rt, data, growslice, type_word: int):
        self.rt = rt
        self.W = rt.words
        self.U8 = memoryview(rt.heap.aspace.mem).cast("B")
        self.growslice = growslice
        self.procs = len(rt.sched.ps)
        self.pool = data.declare("fmt.ppFree", POOL).addr
        self.all_pools = data.declare("sync.allPools", gotypes.slice_of(_PPTR)).addr
        self.old_pools = data.declare("sync.oldPools", gotypes.slice_of(_PPTR)).addr
        self.in_use = data.declare("fmt.pp(in use)", gotypes.array_of(gotypes.pointer_to(PP), MAX_NESTED_PRINTS)).addr
        self.depth = 0
        self.type_word = type_word  # the *pp type descriptor's address, the private slot's type word
        self.pools_backing = gotypes.pointer_to(POOL)
        self.chains = PoolChains(rt)
        rt.gc.clearpools_hooks.append(self.clearpools)

    # -- words ------------------------------------------------------------------------------------

    def _w(self, a: int) -> int:
        return self.W[(a - B) >> 3]

    def _set(self, a: int, v: int) -> None:
        self.W[(a - B) >> 3] = v

    # -- sync.Pool --------------------------------------------------------------------------------

    def _pin_slow(self, g) -> int:
        """The pool's first Get since start-up or the last GC: join allPools, make the per-P array."""
        self.chains.join_all_pools(g, self.all_pools, self.pool, self.growslice, self.pools_backing)
        local = g.alloc(POOL_LOCAL_BYTES * self.procs, POOL_LOCAL)
        g.write_slot(self.pool, local)
        self._set(self.pool + 8, self.procs)
        return local

    def get(self, g) -> int:
        """``newPrinter``: a printer from the P's private slot, the victim cache, or ``new(pp)``."""
        local = self._w(self.pool) or self._pin_slow(g)
        slot = local + POOL_LOCAL_BYTES * g.p.id
        pp = self._w(slot + 8)
        if pp:
            g.write_slot(slot + 8, 0)
            self._set(slot, 0)
        else:
            pp = self.chains.pop_head(g, slot)[1]
        victim = self._w(self.pool + 16)
        if not pp and victim and g.p.id < self._w(self.pool + 24):  # getSlow: the victim cache
            vslot = victim + POOL_LOCAL_BYTES * g.p.id
            pp = self._w(vslot + 8)
            if pp:
                g.write_slot(vslot + 8, 0)
                self._set(vslot, 0)
            else:
                pp = self.chains.pop_tail(g, vslot)[1]
        if not pp:
            pp = g.alloc(PP_BYTES, PP)
        if self.depth >= MAX_NESTED_PRINTS:
            raise BadInput(f"gomem cannot run this yet: prints nested more than {MAX_NESTED_PRINTS} deep")
        g.write_slot(self.in_use + 8 * self.depth, pp)
        self.depth += 1
        return pp

    def put(self, g, pp: int) -> None:
        """``pp.free``: keep a buffer of at most 64 KiB (emptied), drop a larger one; back to the private slot."""
        if self._w(pp + 16) > MAX_KEPT_BUFFER:
            g.write_slot(pp, 0)
            self._set(pp + 16, 0)
        self._set(pp + 8, 0)
        local = self._w(self.pool) or self._pin_slow(g)
        slot = local + POOL_LOCAL_BYTES * g.p.id
        if self._w(slot + 8) == 0:
            self._set(slot, self.type_word)
            g.write_slot(slot + 8, pp)
        else:
            self.chains.push_head(g, slot, (self.type_word, pp))
        self.depth -= 1
        g.write_slot(self.in_use + 8 * self.depth, 0)

    def clearpools(self) -> None:
        """``poolCleanup``, with the world stopped at the start of a cycle: victims dropped, primaries become
        victims, allPools moves to oldPools.  (No write barrier: the collector is not marking yet.)"""
        self._set(self.pool + 16, self._w(self.pool))
        self._set(self.pool + 24, self._w(self.pool + 8))
        self._set(self.pool, 0)
        self._set(self.pool + 8, 0)
        for k in range(3):
            self._set(self.old_pools + 8 * k, self._w(self.all_pools + 8 * k))
            self._set(self.all_pools + 8 * k, 0)

    # -- the printer's buffer ---------------------------------------------------------------------

    def fill(self, g, pp: int, out: bytes, lens) -> int:
        """Grow pp.buf as fmt's appends of pieces ending at *lens* do, then hold *out* in it; its address."""
        ptr, cap = self._w(pp), self._w(pp + 16)
        n = 0
        for end in lens:
            if end > cap:
                ptr, _, cap = self.growslice(g, (ptr, n, cap), end, None, 1, True)
                g.write_slot(pp, ptr)
                self._set(pp + 16, cap)
            n = end
        if out:
            self.U8[ptr - B:ptr - B + len(out)] = out
        self._set(pp + 8, len(out))
        return ptr
