"""The program image: read-only data and package-level variables, in model memory.

A Go binary carries string literals, type descriptors and the backing
arrays of statically initialised composite literals in ``.rodata``/``.data``,
and its package-level variables in ``.data``/``.bss``; none of it is heap.
gomem places the image of a compiled program at the **top of the address
space reservation** (:meth:`gomem.runtime.arena.AddressSpace.carve_top`), above
anything the heap can ever reach, so generated code reads a string literal
or a global with the same one-subtraction indexing it uses for heap and
stack words, and the collector, which finds heap objects through the arena
index, never mistakes image addresses for heap pointers.  The globals part
is the runtime's :class:`~gomem.runtime.dataseg.DataSegment` (scanned as roots in
root jobs, its size in the GOGC goal).

Simplification: Go links the image at ``0x400000``–``0x5xxxxx``; gomem's
image addresses are near ``0xc000000000 + reservation`` instead.  Only
printed pointers to read-only data (rare in programs) show the difference.
"""

from __future__ import annotations

from .arena import ARENA_BASE_ADDR
from .dataseg import RUNTIME_GLOBALS_BYTES, DataSegment
from ..errors import BadInput

#: bytes reserved for read-only data and for globals
RODATA_BYTES = 16 << 20
DATA_BYTES = 16 << 20


class Image:
    """Read-only data (bump-allocated) and the globals segment of one running program."""

    def __init__(self, rt):
        aspace = rt.heap.aspace
        self.mem = aspace.mem
        base = aspace.carve_top(RODATA_BYTES + DATA_BYTES)
        self.ro_base = base
        self.ro_next = base + 8  # nothing at offset 0: no valid object at the image's first byte
        self.ro_end = base + RODATA_BYTES
        data_base = self.ro_end
        off = data_base - ARENA_BASE_ADDR
        self.data = DataSegment(DATA_BYTES, runtime_bytes=RUNTIME_GLOBALS_BYTES, base=data_base,
                                mem=memoryview(self.mem)[off:off + DATA_BYTES])
        self._strings: dict[bytes, int] = {}

    def rodata(self, data: bytes, align: int = 8) -> int:
        """Place *data* in read-only memory; its address."""
        a = -(-self.ro_next // align) * align
        if a + len(data) > self.ro_end:
            raise BadInput("program image full: too much read-only data")
        off = a - ARENA_BASE_ADDR
        self.mem[off:off + len(data)] = data
        self.ro_next = a + max(len(data), 1)
        return a

    def string(self, data: bytes) -> tuple[int, int]:
        """A string literal: (data pointer, length); equal literals share their bytes, as the linker's are."""
        if not data:
            return (0, 0)
        a = self._strings.get(data)
        if a is None:
            a = self._strings[data] = self.rodata(data, 1)
        return (a, len(data))
