"""Goroutine stacks: real memory from the heap, frames of typed slots.

Models ``runtime/stack.go``: ``stackalloc``/``stackfree``, the stack pools
and ``copystack``/``newstack`` growth.

A goroutine starts with a 2 KiB stack (``stackMin``).  Stacks under 32 KiB
come from per-order pools (2, 4, 8, 16 KiB) of 32 KiB manually managed spans
cut into pieces; larger ones get a span of their own.  Stack memory lives in
the heap's arenas but in ``mSpanManual`` spans, so the GC never treats a
stack as a heap object.  A stack grows down: a frame is pushed by moving
``sp`` down by the frame's size; when ``sp`` would come within the guard
(928 bytes on linux/amd64) of ``lo``, the stack is copied to one twice the
size and every pointer into the old stack — from its own frames — is
adjusted (``copystack``).  The collector shrinks a stack when it scans it
(``shrinkstack``, :meth:`Stack.shrink`; whether a goroutine may be moved:
:func:`gomem.runtime.stackmove.shrink_stack_safe`): a goroutine using less than
a quarter of its stack, counting the 800 bytes Go keeps for nosplit
functions, moves to a stack of half the size by the same copy.

A frame's locals are a Go struct type, so the GC finds a frame's pointer
slots from the type's pointer mask, as Go finds them from the function's
stack map.  Stores into a frame never run a write barrier.

Simplifications: Go's per-P stack caches (``mcache.stackcache``) are not
modelled; pool spans go back to the heap as soon as all their pieces are free
only while the GC is off, as in Go.  Copying a stack (growing or shrinking)
costs no model time: the CostModel has no memmove price.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import types as gotypes
from .arena import ARENA_BASE_ADDR, PAGE_SIZE
from ..errors import BadInput, BadWrite, InvariantViolation

if TYPE_CHECKING:  # pragma: no cover
    from .mheap import MHeap
    from .mspan import MSpan

STACK_MIN = 2048  #: initial stack size (stackMin)
STACK_GUARD = 928  #: stackNosplit 800 + StackSystem 0 + 128 (stackGuard, linux/amd64)
#: stackNosplit (abi.StackNosplitBase 800 x StackGuardMultiplier 1): what shrinkstack counts as used beyond sp
STACK_NOSPLIT = 800
STACK_CACHE_SIZE = 32 << 10  #: pool spans are this big (_StackCacheSize)
NUM_STACK_ORDERS = 4  #: 2, 4, 8, 16 KiB
MAX_STACK_SIZE = 1_000_000_000  #: maxstacksize on 64-bit


_ZEROS: dict[int, memoryview] = {}


def _zero_words(n: int) -> memoryview:
    """*n* zero words, to clear a frame in one slice assignment."""
    z = _ZEROS.get(n)
    if z is None:
        z = _ZEROS[n] = memoryview(bytes(8 * n)).cast("Q")
    return z


#: per frame type: (its size rounded up to words, the zero words that clear it)
_SHAPES: dict[gotypes.GoType, tuple[int, memoryview]] = {}


def _frame_shape(typ: gotypes.GoType) -> tuple[int, memoryview]:
    """The bytes a frame of locals of type *typ* takes on the stack, and the words clearing it (cached)."""
    shape = _SHAPES.get(typ)
    if shape is None:
        size = (typ.size + 7) & ~7 if typ.size > 0 else 0
        shape = _SHAPES[typ] = (size, _zero_words(size >> 3))
    return shape


class StackAllocator:
    """Stack pools and large stacks (Go: ``stackpool``, ``stackLarge``)."""

    def __init__(self, heap: MHeap) -> None:
        self.heap = heap
        #: per order: span -> list of free piece addresses
        self.pools: list[dict[int, list[int]]] = [dict() for _ in range(NUM_STACK_ORDERS)]
        #: per order: the spans that have a free piece, the one to take from last (Go's stackpool list:
        #: a span is put at its front when it gets a free stack, and stackpoolalloc takes the front)
        self.avail: list[dict[int, None]] = [dict() for _ in range(NUM_STACK_ORDERS)]
        #: called with the change in a stack's size when one is copied (the runtime's count of stack bytes to scan)
        self.on_resize = None
        self.spans: dict[int, MSpan] = {}
        #: spans whose pieces are all free but the GC was running (freed after mark termination)
        self.pending_free: list[MSpan] = []

    def alloc(self, n: int) -> int:
        """A stack of *n* bytes (a power of two, at least 2 KiB); returns lo (Go: ``stackalloc``)."""
        if n < STACK_MIN or n & (n - 1):
            raise InvariantViolation(f"stackalloc size {n} is not a power of two >= {STACK_MIN}")
        if n < STACK_CACHE_SIZE:
            order = (n // STACK_MIN).bit_length() - 1
            pool = self.pools[order]
            avail = self.avail[order]
            if avail:
                base = next(reversed(avail))
                free = pool[base]
                lo = free.pop()
                if not free:
                    del avail[base]
                return lo
            s = self.heap.alloc_manual(STACK_CACHE_SIZE // PAGE_SIZE)
            self.spans[s.start_addr] = s
            pieces = [s.start_addr + i * n for i in range(STACK_CACHE_SIZE // n)]
            pieces.reverse()
            pool[s.start_addr] = pieces
            s.alloc_count = 0
            s.elemsize = n
            lo = pieces.pop()
            s.alloc_count = 1
            self.avail[order][s.start_addr] = None
            return lo
        s = self.heap.alloc_manual(n // PAGE_SIZE)
        self.spans[s.start_addr] = s
        return s.start_addr

    def _pool_span(self, lo: int, order: int) -> int:
        # The span holding lo (Go: spanOfUnchecked); pool spans are page-aligned,
        # not necessarily STACK_CACHE_SIZE-aligned.
        s = self.heap.aspace.span_of(lo)
        base = s.start_addr if s is not None else -1
        if base not in self.pools[order]:
            raise InvariantViolation(f"stackfree of {lo:#x}: not a pool stack")
        return base

    def free(self, lo: int, n: int, gc_running: bool) -> None:
        """Give a stack back (Go: ``stackfree``)."""
        if n < STACK_CACHE_SIZE:
            order = (n // STACK_MIN).bit_length() - 1
            base = self._pool_span(lo, order)
            free = self.pools[order][base]
            free.append(lo)
            avail = self.avail[order]
            if len(free) == 1:
                avail[base] = None  # it has a free stack again: to the front
            if len(free) == STACK_CACHE_SIZE // n:
                s = self.spans[base]
                if gc_running:
                    self.pending_free.append(s)
                else:
                    del self.pools[order][base]
                    avail.pop(base, None)
                    del self.spans[base]
                    self.heap.free_manual(s)
            return
        s = self.spans.pop(lo)
        if gc_running:
            self.pending_free.append(s)
        else:
            self.heap.free_manual(s)

    def free_stack_spans(self) -> None:
        """Release spans freed while the GC ran (Go: ``freeStackSpans``, after mark termination)."""
        for s in self.pending_free:
            if s.elemsize < STACK_CACHE_SIZE:
                order = (s.elemsize // STACK_MIN).bit_length() - 1
                pool = self.pools[order]
                if len(pool.get(s.start_addr, ())) != STACK_CACHE_SIZE // s.elemsize:
                    continue  # reused meanwhile
                del pool[s.start_addr]
                self.avail[order].pop(s.start_addr, None)
                self.spans.pop(s.start_addr, None)
            self.heap.free_manual(s)
        self.pending_free.clear()


class Frame:
    """One function's frame: a Go struct of locals at a stack address."""

    __slots__ = ("stack", "base", "type", "name", "size")

    def __init__(self, stack: Stack, base: int, typ: gotypes.GoType, name: str) -> None:
        self.stack = stack
        self.base = base
        self.type = typ
        self.name = name
        #: bytes the frame takes on the stack (its type's size rounded up to words)
        self.size = _frame_shape(typ)[0]

    def offset_of(self, field: str | int) -> int:
        if isinstance(field, int):
            return field
        return self.type.field(field).offset

    def addr(self, field: str | int) -> int:
        return self.base + self.offset_of(field)

    def __repr__(self) -> str:
        return f"<frame {self.name} {self.type} at {self.base:#x}>"


class Stack:
    """A goroutine's stack: [lo, hi) with frames pushed from hi down."""

    __slots__ = ("alloc", "words", "size", "lo", "hi", "sp", "frames", "max_used", "copies", "last_move")

    def __init__(self, alloc: StackAllocator, words: memoryview, size: int = STACK_MIN) -> None:
        self.alloc = alloc
        self.words = words
        self.size = size
        self.lo = alloc.alloc(size)
        self.hi = self.lo + size
        self.sp = self.hi
        self.frames: list[Frame] = []
        #: bytes of stack ever scanned (for the pacer's stack scan figures)
        self.max_used = 0
        #: copies made by growth
        self.copies = 0
        self.last_move = (0, 0, 0)

    @property
    def used(self) -> int:
        return self.hi - self.sp

    def push(self, typ: gotypes.GoType, name: str = "frame", gc_running: bool = False,
             guard: int = STACK_GUARD) -> Frame:
        """Push a zeroed frame of locals of type *typ*.  *guard* 0: a frame of the runtime's own (nosplit,
        Go's runtime code that runs within the guard), which grows the stack only if it does not fit at all."""
        shape = _SHAPES.get(typ)
        size, zeros = shape if shape is not None else _frame_shape(typ)
        base = self.sp - size
        if base - self.lo < guard:  # the stack guard check: morestack
            while self.sp - size - self.lo < guard:
                self._grow(size, gc_running)
            base = self.sp - size
        self.sp = base
        if size:
            i0 = (base - ARENA_BASE_ADDR) >> 3
            self.words[i0:i0 + (size >> 3)] = zeros
        f = Frame(self, base, typ, name)
        self.frames.append(f)
        if self.hi - base > self.max_used:
            self.max_used = self.hi - base
        return f

    def pop(self, frame: Frame | None = None) -> None:
        frames = self.frames
        if not frames:
            raise BadInput("pop of an empty stack")
        f = frames.pop()
        if frame is not None and frame is not f:
            frames.append(f)
            raise BadInput(f"pop of {frame!r}, which is not the top frame")
        self.sp = f.base + f.size

    def _grow(self, need: int, gc_running: bool) -> None:
        """Double the stack (more if *need* bytes would not fit above the guard) and copy it (Go: ``newstack``)."""
        newsize = self.size * 2
        while newsize - self.used - need < STACK_GUARD:
            newsize *= 2
        if newsize > MAX_STACK_SIZE:
            raise BadWrite(f"runtime: goroutine stack exceeds {MAX_STACK_SIZE}-byte limit")
        self._copy(newsize, gc_running)

    def shrink_wanted(self) -> bool:
        """Whether ``shrinkstack`` would halve this stack: half is still at least the minimum, and the
        goroutine uses less than a quarter of it, its frames plus the nosplit space (stackNosplit)."""
        return self.size // 2 >= STACK_MIN and self.used + STACK_NOSPLIT < self.size // 4

    def shrink(self, gc_running: bool) -> bool:
        """Halve the stack if :meth:`shrink_wanted` (Go: ``shrinkstack``'s size rule, then ``copystack``);
        True if it moved.  The caller decides whether the goroutine's stack may move at all
        (``isShrinkStackSafe``) and adjusts what it holds outside the stack (its sudogs' ``elem``)
        by :attr:`last_move`."""
        if not self.shrink_wanted():
            return False
        self._copy(self.size // 2, gc_running)
        return True

    def _copy(self, newsize: int, gc_running: bool) -> None:
        """Move the used part of the stack to a new stack of *newsize* bytes, adjusting every pointer into
        the old stack held in its own frames, and free the old one (Go: ``copystack``).  Free of model time."""
        old_lo, old_hi, old_size = self.lo, self.hi, self.size
        new_lo = self.alloc.alloc(newsize)
        new_hi = new_lo + newsize
        delta = new_hi - old_hi
        used = self.used
        w = self.words
        src = (self.sp - ARENA_BASE_ADDR) >> 3
        dst = (self.sp + delta - ARENA_BASE_ADDR) >> 3
        w[dst : dst + (used >> 3)] = w[src : src + (used >> 3)]
        # Adjust pointers into the old stack held in this stack's own frames (adjustframe).
        for f in self.frames:
            f.base += delta
            for off in f.type.pointer_offsets():
                i = (f.base + off - ARENA_BASE_ADDR) >> 3
                v = w[i]
                if old_lo <= v < old_hi:
                    w[i] = v + delta
        self.lo, self.hi, self.size = new_lo, new_hi, newsize
        self.sp += delta
        self.alloc.free(old_lo, old_size, gc_running)
        if self.alloc.on_resize is not None:
            self.alloc.on_resize(newsize - old_size)
        self.copies += 1
        #: the last copy: the old stack's bounds and how far everything moved (for values held in flight)
        self.last_move = (old_lo, old_hi, delta)

    def release(self, gc_running: bool) -> None:
        self.alloc.free(self.lo, self.size, gc_running)
        self.frames.clear()

    def contains(self, addr: int) -> bool:
        return self.lo <= addr < self.hi

    def pointer_slots(self) -> list[int]:
        """Addresses of every pointer slot in the live frames (the GC's stack maps)."""
        out = []
        for f in self.frames:
            b = f.base
            out.extend(b + off for off in f.type.pointer_offsets())
        return out
