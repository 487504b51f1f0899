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

The memory is the model's: the pool's words are package-level variables in
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

#: sizes measured on Go 1.27.3 (see the module docstring)
POOL_LOCAL_BYTES = 128
PP_BYTES = 176
#: pp.free drops a buffer larger than this
MAX_KEPT_BUFFER = 64 << 10

_IFACE = gotypes.interface_of()
#: sync.poolLocal: private any, shared poolChain (head, tail *poolChainElt), padded to 128 bytes
POOL_LOCAL = gotypes.struct_of([("private", _IFACE), ("head", gotypes.UNSAFE_POINTER),
                                ("tail", gotypes.UNSAFE_POINTER),
                                ("pad", gotypes.array_of(gotypes.UINT8, POOL_LOCAL_BYTES - 32))], name="poolLocal")
#: fmt.pp as far as the collector sees it: buf []byte first, then its other pointer words
PP = gotypes.struct_of([("buf", gotypes.slice_of(gotypes.UINT8)), ("arg", _IFACE),
                        ("value_typ", gotypes.UNSAFE_POINTER), ("value_ptr", gotypes.UNSAFE_POINTER),
                        ("value_flag", gotypes.UINTPTR), ("fmt_buf", gotypes.UNSAFE_POINTER),
                        ("rest", gotypes.array_of(gotypes.UINT8, PP_BYTES - 96)),
                        ("wrapped_errs", gotypes.slice_of(gotypes.INT))], name="pp")
#: sync.poolChainElt: poolDequeue{headTail uint64, vals []eface}, next, prev
CHAIN_ELT = gotypes.struct_of([("head_tail", gotypes.UINT64), ("vals", gotypes.slice_of(_IFACE)),
                               ("next", gotypes.UNSAFE_POINTER), ("prev", gotypes.UNSAFE_POINTER)],
                              name="poolChainElt")
#: poolChain's first ring holds 8 values; each next one twice as many, up to dequeueLimit
CHAIN_INIT_SIZE = 8
DEQUEUE_LIMIT = 1 << 30
#: how deeply prints may nest (String methods that print) before the model refuses
MAX_NESTED_PRINTS = 256
#: the words of fmt.ppFree the model uses: local, localSize, victim, victimSize
POOL = gotypes.struct_of([("local", gotypes.UNSAFE_POINTER), ("local_size", gotypes.UINTPTR),
                          ("victim", gotypes.UNSAFE_POINTER), ("victim_size", gotypes.UINTPTR)], name="Pool")
_PPTR = gotypes.pointer_to(POOL)
_IFACE_ARRAY = _IFACE


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
        rt.gc.clearpools_hooks.append(self.clearpools)

    # -- words ------------------------------------------------------------------------------------

    def _w(self, a: int) -> int:
        return self.W[(a - B) >> 3]

    def _set(self, a: int, v: int) -> None:
        self.W[(a - B) >> 3] = v

    # -- sync.Pool --------------------------------------------------------------------------------

    def _pin_slow(self, g) -> int:
        """The pool's first Get since start-up or the last GC: join allPools, make the per-P array."""
        base, n, cap = self._w(self.all_pools), self._w(self.all_pools + 8), self._w(self.all_pools + 16)
        if n + 1 > cap:
            base, _, cap = self.growslice(g, (base, n, cap), n + 1, self.pools_backing, 8, False)
            g.write_slot(self.all_pools, base)
            self._set(self.all_pools + 16, cap)
        g.write_slot(base + 8 * n, self.pool)
        self._set(self.all_pools + 8, n + 1)
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
            pp = self._pop_head(g, slot)
        victim = self._w(self.pool + 16)
        if not pp and victim and g.p.id < self._w(self.pool + 24):  # getSlow: the victim cache
            vslot = victim + POOL_LOCAL_BYTES * g.p.id
            pp = self._w(vslot + 8)
            if pp:
                g.write_slot(vslot + 8, 0)
                self._set(vslot, 0)
            else:
                pp = self._pop_tail(g, vslot)
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
            self._push_head(g, slot, pp)
        self.depth -= 1
        g.write_slot(self.in_use + 8 * self.depth, 0)

    # -- the shared poolChain of a poolLocal (head at +16, tail at +24) ---------------------------

    def _new_elt(self, g, size: int, prev: int) -> int:
        d = g.alloc(CHAIN_ELT.size, CHAIN_ELT)
        vals = g.alloc(16 * size, _IFACE_ARRAY)
        g.write_slot(d + 8, vals)
        self._set(d + 16, size)
        self._set(d + 24, size)
        if prev:
            g.write_slot(d + 40, prev)
        return d

    def _push_head(self, g, slot: int, pp: int) -> None:
        d = self._w(slot + 16)
        if d == 0:
            d = self._new_elt(g, CHAIN_INIT_SIZE, 0)
            g.write_slot(slot + 16, d)
            g.write_slot(slot + 24, d)
        if not self._dq_push(g, d, pp):
            size = min(self._w(d + 16) * 2, DEQUEUE_LIMIT)
            d2 = self._new_elt(g, size, d)
            g.write_slot(slot + 16, d2)
            g.write_slot(d + 32, d2)
            self._dq_push(g, d2, pp)

    def _dq_push(self, g, d: int, pp: int) -> bool:
        ht = self._w(d)
        head, tail = ht >> 32, ht & 0xFFFFFFFF
        n = self._w(d + 16)
        if (tail + n) & 0xFFFFFFFF == head:
            return False
        e = self._w(d + 8) + 16 * (head & (n - 1))
        self._set(e, self.type_word)
        g.write_slot(e + 8, pp)
        self._set(d, (((head + 1) & 0xFFFFFFFF) << 32) | tail)
        return True

    def _pop_head(self, g, slot: int) -> int:
        d = self._w(slot + 16)
        while d:
            ht = self._w(d)
            head, tail = ht >> 32, ht & 0xFFFFFFFF
            if head != tail:
                head = (head - 1) & 0xFFFFFFFF
                self._set(d, (head << 32) | tail)
                return self._take(g, self._w(d + 8) + 16 * (head & (self._w(d + 16) - 1)))
            d = self._w(d + 40)
        return 0

    def _pop_tail(self, g, slot: int) -> int:
        d = self._w(slot + 24)
        while d:
            ht = self._w(d)
            head, tail = ht >> 32, ht & 0xFFFFFFFF
            if head != tail:
                self._set(d, (head << 32) | ((tail + 1) & 0xFFFFFFFF))
                return self._take(g, self._w(d + 8) + 16 * (tail & (self._w(d + 16) - 1)))
            d2 = self._w(d + 32)
            if d2 == 0:
                return 0
            g.write_slot(slot + 24, d2)  # the empty element is dropped
            g.write_slot(d2 + 40, 0)
            d = d2
        return 0

    def _take(self, g, e: int) -> int:
        pp = self._w(e + 8)
        self._set(e, 0)
        g.write_slot(e + 8, 0)
        return pp

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
