"""``sync.Pool``'s memory (``sync/pool.go``, ``poolqueue.go``), shared by fmt's printer pool
(:mod:`gomem.std.ppfree`) and the program's own pools (:class:`gomem.std.support_sync.UserPools`).

Each P has a ``poolLocal`` (128 bytes: the private ``any`` slot, then the shared ``poolChain``'s head
and tail); a chain is a doubly linked list of ``poolChainElt``, each a ring (``poolDequeue``: its
``headTail`` word and ``vals``, a slice of ``eface``), the first of 8 values, each next one twice as
big up to ``dequeueLimit``.  The owner pushes and pops at the head; other Ps steal from the tail,
dropping a drained element.  Values are ``(type word, data word)`` pairs; every pointer is stored
through the write barrier.  A pool joins ``sync.allPools`` (an ``append``) at its first Get after
start-up or a GC (``pinSlow``).
"""

from __future__ import annotations

from ..runtime import types as gotypes
from ..runtime.arena import ARENA_BASE_ADDR as B

#: unsafe.Sizeof(poolLocal{}): padded to 128 bytes against false sharing (measured: 128 bytes a P)
POOL_LOCAL_BYTES = 128
_IFACE = gotypes.interface_of()
#: sync.poolLocal: private any, shared poolChain (head, tail *poolChainElt), padded to 128 bytes
POOL_LOCAL = gotypes.struct_of([("private", _IFACE), ("head", gotypes.UNSAFE_POINTER),
                                ("tail", gotypes.UNSAFE_POINTER),
                                ("pad", gotypes.array_of(gotypes.UINT8, POOL_LOCAL_BYTES - 32))], name="poolLocal", pkg="sync")
#: sync.poolChainElt: poolDequeue{headTail uint64, vals []eface}, next, prev
CHAIN_ELT = gotypes.struct_of([("head_tail", gotypes.UINT64), ("vals", gotypes.slice_of(_IFACE)),
                               ("next", gotypes.UNSAFE_POINTER), ("prev", gotypes.UNSAFE_POINTER)],
                              name="poolChainElt", pkg="sync")
#: poolChain's first ring holds 8 values; each next one twice as many, up to dequeueLimit
CHAIN_INIT_SIZE = 8
DEQUEUE_LIMIT = 1 << 30
_M32 = 0xFFFFFFFF
NIL = (0, 0)


class PoolChains:
    """The poolChain operations on model memory (``rt.words``)."""

    def __init__(self, rt) -> None:
        self.W = rt.words

    def w(self, a: int) -> int:
        return self.W[(a - B) >> 3]

    def set(self, a: int, v: int) -> None:
        self.W[(a - B) >> 3] = v

    def join_all_pools(self, g, all_pools: int, pool: int, growslice, backing) -> None:
        """``allPools = append(allPools, p)`` (the ``[]*Pool`` at *all_pools*)."""
        base, n, cap = self.w(all_pools), self.w(all_pools + 8), self.w(all_pools + 16)
        if n + 1 > cap:
            base, _, cap = growslice(g, (base, n, cap), n + 1, backing, 8, False)
            g.write_slot(all_pools, base)
            self.set(all_pools + 16, cap)
        g.write_slot(base + 8 * n, pool)
        self.set(all_pools + 8, n + 1)

    def take(self, g, e: int) -> tuple:
        """The eface at *e* (a private slot or a ring slot), which is cleared; NIL if it held none."""
        x = (self.w(e), self.w(e + 8))
        if x[0]:
            self.set(e, 0)
            g.write_slot(e + 8, 0)
        return x

    def _new_elt(self, g, size: int, prev: int) -> int:
        d = g.alloc(CHAIN_ELT.size, CHAIN_ELT)
        vals = g.alloc(16 * size, _IFACE)
        g.write_slot(d + 8, vals)
        self.set(d + 16, size)
        self.set(d + 24, size)
        if prev:
            g.write_slot(d + 40, prev)
        return d

    def push_head(self, g, slot: int, x: tuple) -> None:
        """``poolChain.pushHead`` on the chain of the poolLocal at *slot* (head at +16, tail at +24)."""
        d = self.w(slot + 16)
        if d == 0:
            d = self._new_elt(g, CHAIN_INIT_SIZE, 0)
            g.write_slot(slot + 16, d)
            g.write_slot(slot + 24, d)
        if not self._dq_push(g, d, x):
            d2 = self._new_elt(g, min(self.w(d + 16) * 2, DEQUEUE_LIMIT), d)
            g.write_slot(slot + 16, d2)
            g.write_slot(d + 32, d2)
            self._dq_push(g, d2, x)

    def _dq_push(self, g, d: int, x: tuple) -> bool:
        ht = self.w(d)
        head, tail = ht >> 32, ht & _M32
        n = self.w(d + 16)
        if (tail + n) & _M32 == head:
            return False  # full
        e = self.w(d + 8) + 16 * (head & (n - 1))
        self.set(e, x[0])
        g.write_slot(e + 8, x[1])
        self.set(d, (((head + 1) & _M32) << 32) | tail)
        return True

    def pop_head(self, g, slot: int) -> tuple:
        """``poolChain.popHead``: the newest value, NIL when the chain is empty."""
        d = self.w(slot + 16)
        while d:
            ht = self.w(d)
            head, tail = ht >> 32, ht & _M32
            if head != tail:
                head = (head - 1) & _M32
                self.set(d, (head << 32) | tail)
                return self.take(g, self.w(d + 8) + 16 * (head & (self.w(d + 16) - 1)))
            d = self.w(d + 40)
        return NIL

    def pop_tail(self, g, slot: int) -> tuple:
        """``poolChain.popTail``: the oldest value, dropping drained elements; NIL when empty."""
        d = self.w(slot + 24)
        while d:
            d2 = self.w(d + 32)
            ht = self.w(d)
            head, tail = ht >> 32, ht & _M32
            if head != tail:
                self.set(d, (head << 32) | ((tail + 1) & _M32))
                return self.take(g, self.w(d + 8) + 16 * (tail & (self.w(d + 16) - 1)))
            if d2 == 0:
                break
            g.write_slot(slot + 24, d2)  # the drained element is dropped
            g.write_slot(d2 + 40, 0)
            d = d2
        return NIL
