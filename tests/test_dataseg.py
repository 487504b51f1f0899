"""Tests for ``gomem.runtime.dataseg``: declaring globals, their alignment, the pointer bitmap, and globals as GC roots."""

from __future__ import annotations

import numpy as np
import pytest

from gomem.runtime import types as gt
from gomem.runtime.dataseg import DATA_BASE, ROOT_BLOCK_BYTES, RUNTIME_GLOBALS_BYTES, DataSegment
from gomem.errors import BadInput, BadPointer, BadWrite, UnknownType
from gomem.runtime.runtime import Runtime

from gchelpers import run_inline

REG = gt.TypeRegistry()
OBJ = REG.declare("Obj", "struct { f *Obj; id int }")
POBJ = gt.pointer_to(OBJ)
MIXED = gt.struct_of([("n", gt.INT32), ("p", POBJ), ("s", gt.STRING), ("x", gt.INT)])


@pytest.fixture
def seg():
    return DataSegment()


class TestLayout:
    """Globals are placed in order, each aligned to its type, in one segment at DATA_BASE."""

    def test_base_and_constants(self, seg):
        """The segment starts at 0x5a0000, empty; roots are scanned in 256 KiB blocks."""
        assert (seg.base, seg.size, seg.end) == (DATA_BASE, 0, DATA_BASE) == (0x5A0000, 0, 0x5A0000)
        assert ROOT_BLOCK_BYTES == 256 << 10

    def test_alignment_and_no_overlap(self, seg):
        """Every global is aligned to its type and none overlaps the next."""
        decls = [("b", gt.BOOL), ("i16", gt.INT16), ("p", POBJ), ("c", gt.BYTE), ("m", MIXED), ("i32", gt.INT32)]
        gs = [seg.declare(n, t) for n, t in decls]
        for g, (_, t) in zip(gs, decls):
            assert g.addr % max(t.align, 1) == 0
            assert seg.contains(g.addr) or t.size == 0
        for a, b in zip(gs, gs[1:]):
            assert a.addr + a.type.size <= b.addr
        assert seg.end >= gs[-1].addr + 4
        assert seg.size % 8 == 0

    def test_redeclare(self, seg):
        """Declaring a name twice is Go's redeclaration error."""
        seg.declare("x", gt.INT)
        with pytest.raises(BadInput, match="x redeclared in this block"):
            seg.declare("x", POBJ)

    def test_undefined(self, seg):
        """Looking up an undeclared name is Go's undefined error."""
        with pytest.raises(UnknownType, match="undefined: nope"):
            seg.get("nope")

    def test_full(self):
        """A global that does not fit in the segment is rejected."""
        seg = DataSegment(capacity=64)
        seg.declare("a", gt.array_of(gt.INT, 7))
        with pytest.raises(BadInput, match=r"globals segment full: cannot place b \(16 bytes\)"):
            seg.declare("b", gt.STRING)

    def test_name_of(self, seg):
        """An address inside a global is named with its offset; others are printed as hex."""
        m = seg.declare("m", MIXED)
        assert seg.name_of(m.addr) == "m"
        assert seg.name_of(m.addr + 8) == "m+8"
        assert seg.name_of(DATA_BASE + 4096) == "0x5a1000"
        assert repr(m).startswith("<global m ")


class TestPointerBitmap:
    """The segment's pointer bitmap has a bit for each pointer word of each global (gcdatamask/gcbssmask)."""

    def test_bits_follow_the_types(self, seg):
        """Scalars add no bits; a pointer, a struct's pointer fields and a string's data word do."""
        seg.declare("n", gt.INT)
        p = seg.declare("p", POBJ)
        m = seg.declare("m", MIXED)
        expect = [p.addr, m.addr + 8, m.addr + 16]
        assert seg.pointer_slots().tolist() == expect
        assert [seg.is_pointer_slot(a) for a in expect] == [True] * 3
        assert not seg.is_pointer_slot(seg.get("n").addr)
        assert not seg.is_pointer_slot(m.addr + 24)  # the string's length
        assert not seg.is_pointer_slot(p.addr + 4)  # misaligned
        assert not seg.is_pointer_slot(seg.end + 8)  # outside

    def test_empty(self, seg):
        """A segment without pointers has no pointer slots or values."""
        seg.declare("n", gt.INT)
        assert seg.pointer_slots().size == 0
        slots, vals = seg.pointer_values()
        assert slots.size == vals.size == 0

    def test_pointer_values_skip_nil(self, seg):
        """pointer_values returns only the non-nil pointer words, with their slots."""
        a = seg.declare("a", POBJ)
        b = seg.declare("b", POBJ)
        seg.store_word(b.addr, 0xC000001000)
        slots, vals = seg.pointer_values()
        assert slots.tolist() == [b.addr] and vals.tolist() == [0xC000001000]
        assert seg.load_word(a.addr) == 0
        assert vals.dtype == np.uint64

    def test_scan_bytes_is_the_segment_size(self, seg):
        """globalsScan is the whole size of the globals, as Go's addGlobals counts data+bss."""
        seg.declare("p", POBJ)
        seg.declare("n", gt.array_of(gt.INT, 10))
        assert seg.scan_bytes == seg.size == 88


class TestGlobalsAsRoots:
    """Globals are GC roots and their stores go through the mutator API's checks."""

    def test_global_keeps_object_alive(self):
        """An object referenced only from a global survives a cycle; one that is not is freed."""
        rt = Runtime()
        rt.data.declare("keep", POBJ)

        def main(g):
            a, b = g.new(OBJ), g.new(OBJ)
            g.set_global("keep", a)
            yield from g.gc()
            return rt.heap.find_object(a) is not None, rt.heap.find_object(b) is not None

        assert rt.run(main).result == (True, False)

    def test_struct_global_pointer_field(self):
        """A pointer field of a struct global is set with an offset; a scalar field is refused."""
        rt = Runtime()
        m = rt.data.declare("m", MIXED)

        def body(g):
            o = g.new(OBJ)
            g.set_global("m", o, off=8)
            with pytest.raises(BadWrite, match=r"m\+24 is not a pointer slot"):
                g.set_global("m", o, off=24)
            return g.get_global("m", off=8) == o == rt.data.load_word(m.addr + 8)

        assert run_inline(rt, body)

    def test_invalid_pointer_refused(self):
        """Only nil or a pointer to an allocated object may be stored in a global."""
        rt = Runtime()
        rt.data.declare("p", POBJ)

        def body(g):
            with pytest.raises(BadPointer, match="storing invalid pointer 0xc000100000"):
                g.set_global("p", 0xC000100000)
            g.set_global("p", 0)
            return True

        assert run_inline(rt, body)

    def test_globals_root_job_is_logged(self):
        """Each cycle scans the globals as one root job of scan_bytes bytes."""
        rt = Runtime(detail=True)
        rt.data.declare("a", POBJ)
        rt.data.declare("b", gt.array_of(gt.INT, 3))

        def main(g):
            yield from g.gc()

        rt.run(main)
        roots = [e.data for e in rt.log.of_kind("root") if e.data["root"] == "globals"]
        # the program's 32 bytes plus the runtime's own data+bss
        assert roots == [{"root": "globals", "bytes": 32 + RUNTIME_GLOBALS_BYTES}]
        assert rt.gc.records[0].globals_scan == 32 + RUNTIME_GLOBALS_BYTES
