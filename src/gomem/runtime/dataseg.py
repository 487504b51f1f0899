"""Global variables: the program's data and bss segments.

Models the part of a Go binary the GC treats as roots: package-level
variables live in the data (initialized) and bss (zeroed) segments, and the
linker emits a pointer bitmap for each (``runtime/symtab.go``'s
``moduledata.gcdatamask``/``gcbssmask``).  The GC scans them in root jobs of
256 KiB (``rootBlockBytes``, ``runtime/mgcmark.go``).

gomem has one segment of globals at ``0x5a0000`` (a typical linux/amd64
address for a small program's bss) with real bytes; a global is declared
with a Go type and gets an address aligned to its type.  Stores into
globals go through the write barrier while it is on, like heap stores.
"""

from __future__ import annotations

import numpy as np

from . import types as gotypes
from ..errors import BadInput, UnknownType

#: where gomem places the globals segment
DATA_BASE = 0x5A0000
#: the GC scans data/bss in blocks of this many bytes (Go: rootBlockBytes)
ROOT_BLOCK_BYTES = 256 << 10
#: data+bss of the runtime and standard library a small Go program links
#: (runtime, fmt, os, flag, math/rand): /gc/scan/globals:bytes measured on
#: the Go 1.27.3 builds of the workloads (151,946-151,978 B).  Every Go
#: program scans it each cycle and its size is in the GOGC goal (``heapMarked
#: + (heapMarked + stacks + globals) × GOGC/100``); a :class:`~gomem.runtime.runtime.Runtime`
#: starts its segment with this much (pointer-free) runtime data.
RUNTIME_GLOBALS_BYTES = 151946


class Global:
    """One package-level variable."""

    __slots__ = ("name", "type", "addr")

    def __init__(self, name: str, typ: gotypes.GoType, addr: int) -> None:
        self.name = name
        self.type = typ
        self.addr = addr

    def __repr__(self) -> str:
        return f"<global {self.name} {self.type} at {self.addr:#x}>"


class DataSegment:
    """The globals: memory, declarations, and the pointer bitmap the GC scans."""

    def __init__(self, capacity: int = 1 << 20, runtime_bytes: int = 0, base: int = DATA_BASE,
                 mem: memoryview | None = None) -> None:
        """A segment at *base*; *mem* (``capacity`` bytes) is its memory when it lives inside another
        mapping (a compiled Go program's image, :mod:`gomem.runtime.image`), else it gets its own."""
        self.base = base
        #: pointer-free data+bss of the runtime itself, outside the program's
        #: segment: scanned (and counted) every cycle, never holds a root
        self.runtime_bytes = runtime_bytes
        self.capacity = capacity
        self.mem = bytearray(capacity) if mem is None else mem
        self.words = memoryview(self.mem).cast("Q") if mem is None else mem.cast("Q")
        #: bytes in use
        self.size = 0
        #: bit i = word i of the segment holds a pointer
        self.ptrmask = 0
        self.vars: dict[str, Global] = {}

    @property
    def end(self) -> int:
        return self.base + self.size

    def contains(self, addr: int) -> bool:
        return self.base <= addr < self.base + self.size

    def declare(self, name: str, typ: gotypes.GoType) -> Global:
        """Declare ``var name T``; returns the global (zeroed)."""
        if name in self.vars:
            raise BadInput(f"{name} redeclared in this block")
        align = max(typ.align, 1)
        addr_off = -(-self.size // align) * align
        size = max(typ.size, 0)
        if addr_off + size > self.capacity:
            raise BadInput(f"globals segment full: cannot place {name} ({size} bytes)")
        g = Global(name, typ, self.base + addr_off)
        self.size = -(-(addr_off + size) // 8) * 8
        if typ.ptrmask:
            self.ptrmask |= typ.ptrmask << (addr_off >> 3)
        self.vars[name] = g
        return g

    def get(self, name: str) -> Global:
        try:
            return self.vars[name]
        except KeyError:
            raise UnknownType(f"undefined: {name}") from None

    def load_word(self, addr: int) -> int:
        return self.words[(addr - self.base) >> 3]

    def store_word(self, addr: int, value: int) -> None:
        self.words[(addr - self.base) >> 3] = value

    def is_pointer_slot(self, addr: int) -> bool:
        return self.contains(addr) and not addr & 7 and bool((self.ptrmask >> ((addr - self.base) >> 3)) & 1)

    def pointer_slots(self) -> np.ndarray:
        """Addresses of every pointer word of the segment."""
        mask = self.ptrmask
        if not mask:
            return np.zeros(0, dtype=np.uint64)
        nwords = mask.bit_length()
        bits = np.unpackbits(
            np.frombuffer(mask.to_bytes((nwords + 7) // 8, "little"), dtype=np.uint8), bitorder="little"
        )[:nwords]
        return self.base + np.flatnonzero(bits).astype(np.uint64) * 8

    def pointer_values(self) -> tuple[np.ndarray, np.ndarray]:
        """(slot addresses, values) of the non-nil pointers in the segment."""
        slots = self.pointer_slots()
        if slots.size == 0:
            return slots, slots
        arr = np.frombuffer(self.mem, dtype=np.uint64, count=self.capacity // 8)
        vals = arr[((slots - self.base) >> 3).astype(np.int64)]
        nz = vals != 0
        return slots[nz], vals[nz]

    def name_of(self, addr: int) -> str:
        for g in self.vars.values():
            if g.addr <= addr < g.addr + max(g.type.size, 1):
                off = addr - g.addr
                return g.name if off == 0 else f"{g.name}+{off}"
        return f"{addr:#x}"

    @property
    def scan_bytes(self) -> int:
        """Bytes the GC scans each cycle (Go: globalsScan = the whole data+bss size, symtab.go's addGlobals).

        The program's globals plus the runtime's own (:attr:`runtime_bytes`).
        """
        return self.size + self.runtime_bytes
