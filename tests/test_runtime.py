"""Tests for ``gomem.runtime.runtime``: running programs and the mutator API goroutines use."""

from __future__ import annotations

import pytest

from gomem.runtime import types as gt
from gomem.errors import BadInput, BadPointer, BadWrite
from gomem.runtime.runtime import DanglingPointer, Runtime
from gomem.runtime.sched import G_DEAD, G_RUNNABLE
from gomem.runtime.trace import ALLOC, WRITE

from gchelpers import run_inline

REG = gt.TypeRegistry()
OBJ = REG.declare("Obj", "struct { f *Obj; id int }")
POBJ = gt.pointer_to(OBJ)
BIG = REG.declare("Big", "struct { p [40]*Obj; x [40]int }")
LOCALS = gt.struct_of([("p", POBJ)])


class TestRun:
    """run starts main as goroutine 1 and returns when main returns, as a Go program does."""

    def test_result_and_ids(self):
        """main's return value is kept on its goroutine; goroutines are numbered from 1 in creation order."""
        rt = Runtime()

        def child(g):
            yield

        def main(g):
            c = g.go(child, name="child")
            yield
            return (g.id, g.name, c.id, c.name)

        m = rt.run(main)
        assert m.result == (1, "main", 2, "child")
        assert m.status == G_DEAD and rt.main is m

    def test_program_ends_with_main(self):
        """Goroutines still running when main returns are abandoned."""
        rt = Runtime()
        steps = []

        def forever(g):
            while True:
                steps.append(1)
                yield

        def main(g):
            g.go(forever)
            for _ in range(3):
                yield

        rt.run(main)
        assert 0 < len(steps) <= 4
        assert [x.status for x in rt.sched.allgs] == [G_DEAD, G_RUNNABLE]

    def test_max_steps(self):
        """max_steps stops the run early, leaving main unfinished."""
        rt = Runtime()

        def main(g):
            while True:
                yield

        m = rt.run(main, max_steps=10)
        assert m.status != G_DEAD

    def test_args_passed(self):
        """Extra arguments to run and go reach the goroutine functions."""
        rt = Runtime()
        got = []

        def child(g, a, b):
            got.append(a + b)
            yield

        def main(g, x):
            g.go(child, x, 2)
            yield
            yield
            return x

        assert rt.run(main, 40).result == 40
        assert got == [42]

    def test_gc_from_any_goroutine(self):
        """runtime.GC may be called from a goroutine other than main; main waits for it here."""
        rt = Runtime(procs=2)

        def child(g):
            yield from g.gc()

        def main(g):
            c = g.go(child)
            while c.status != G_DEAD:
                yield

        rt.run(main)
        assert rt.gc.numgc == 1 and rt.gc.num_forced == 1

    def test_exit_releases_the_stack(self):
        """A goroutine that returns gives its stack back (with the GC off, at once)."""
        rt = Runtime()

        def child(g):
            yield

        def main(g):
            before = rt.heap.stats.in_stacks
            c = g.go(child)
            with_child = rt.heap.stats.in_stacks
            while c.status != G_DEAD:
                yield
            return before, with_child, rt.heap.stats.in_stacks

        before, with_child, after = rt.run(main).result
        assert before == with_child == after == 32 << 10  # both 2 KiB stacks in one pool span
        assert rt.stacks.pending_free == []


class TestAllocation:
    """new, new_array and alloc allocate on the goroutine's P and return zeroed memory."""

    def test_new_and_fields(self):
        """A new object's fields are nil/zero; pointer and scalar fields read back what was stored."""
        rt = Runtime()

        def body(g):
            a, b = g.new(OBJ), g.new(OBJ)
            zero = (g.load(a, 0), g.load_scalar(a, 8))
            g.store(a, 0, b)
            g.store_scalar(a, 8, 99)
            return zero, g.load(a, 0) == b, g.load_scalar(a, 8)

        assert run_inline(rt, body) == ((0, 0), True, 99)

    def test_new_array(self):
        """new_array allocates n elements; a negative length is Go's makeslice panic."""
        rt = Runtime()

        def body(g):
            arr = g.new_array(POBJ, 10)
            o = g.new(OBJ)
            g.store(arr, 72, o)
            with pytest.raises(BadInput, match="makeslice: len out of range"):
                g.new_array(POBJ, -1)
            return g.load(arr, 72) == o, rt.heap.object_bounds(arr)

        ok, (start, end) = run_inline(rt, body)
        assert ok and end - start == 80

    def test_alloc_charges_the_clock(self):
        """Each allocation costs the cost model's alloc price on the P's clock (at least)."""
        rt = Runtime()

        def body(g):
            g.new(OBJ)  # first allocation refills the mcache
            t0 = g.now
            g.new(OBJ)
            return g.now - t0

        assert run_inline(rt, body) == rt.cost.alloc

    def test_detail_log_records_allocs_and_writes(self):
        """With detail on, allocations and heap/stack writes are logged with the goroutine id."""
        rt = Runtime(detail=True)

        def body(g):
            f = g.frame(LOCALS)
            a = g.new(OBJ)
            g.set_local(f, "p", a)
            g.store(a, 0, a)
            return a

        a = run_inline(rt, body)
        allocs = rt.log.of_kind(ALLOC)
        writes = rt.log.of_kind(WRITE)
        assert [(e.data["addr"], e.data["type"], e.data["g"]) for e in allocs] == [(a, "Obj", 1)]
        assert [(e.data["where"], e.data["new"]) for e in writes] == [("stack", a), ("heap", a)]

    def test_no_fine_events_without_detail(self):
        """Without detail only cycle-level events are kept."""
        rt = Runtime()

        def main(g):
            a = g.new(OBJ)
            g.store(a, 0, a)
            yield from g.gc()

        rt.run(main)
        kinds = {e.kind for e in rt.log.events}
        assert not kinds & {ALLOC, WRITE, "shade", "scan", "barrier"}
        assert {"gc-begin", "gc-end", "stw-start", "stw-stop", "phase"} <= kinds

    def test_type_names(self):
        """type_name reports the Go type recorded for an object, where the runtime knows it."""
        rt = Runtime(detail=True)

        def body(g):
            return g.new(OBJ), g.new(BIG), g.alloc(100)

        a, b, c = run_inline(rt, body)
        assert (rt.type_name(a), rt.type_name(b), rt.type_name(c)) == ("Obj", "Big", "[100]byte")


class TestStoreChecks:
    """Heap stores are checked before anything changes."""

    def test_not_a_pointer_slot(self):
        """A pointer store into a scalar field is refused."""
        rt = Runtime()

        def body(g):
            a = g.new(OBJ)
            with pytest.raises(BadWrite, match=r"offset 8 of object 0x[0-9a-f]+ is not a pointer slot"):
                g.store(a, 8, a)
            return g.load_scalar(a, 8)

        assert run_inline(rt, body) == 0

    def test_out_of_bounds(self):
        """A store past the object's slot is refused."""
        rt = Runtime()

        def body(g):
            a = g.new(OBJ)
            msg = r"access of 8 bytes at offset 16 of object 0x[0-9a-f]+ is outside its 16 bytes"
            with pytest.raises(BadWrite, match=msg):
                g.store(a, 16, 0)
            return True

        assert run_inline(rt, body)

    def test_invalid_value(self):
        """Storing a pointer to nothing is refused."""
        rt = Runtime()

        def body(g):
            a = g.new(OBJ)
            with pytest.raises(BadPointer, match="storing invalid pointer 0x10"):
                g.store(a, 0, 0x10)
            return g.load(a, 0)

        assert run_inline(rt, body) == 0

    def test_store_into_freed_object(self):
        """Using a freed object is a bad pointer; with clobberfree it is a dangling pointer naming the cycle."""
        for clobber, exc, msg in (
            (False, BadPointer, r"is to a free slot of span"),
            (True, DanglingPointer, r"\(Obj\) was freed by the sweeper in GC cycle 1 "),
        ):
            rt = Runtime(clobberfree=clobber)

            def main(g):
                a = g.new(OBJ)
                keep = g.new(OBJ)
                f = g.frame(LOCALS)
                g.set_local(f, "p", keep)
                yield from g.gc()
                with pytest.raises(exc, match=msg):
                    g.store(a, 0, keep)
                return True

            assert rt.run(main).result is True

    def test_clobberfree_poisons_freed_memory(self):
        """With clobberfree the freed slot's bytes are 0xdeadbeef."""
        rt = Runtime(clobberfree=True)

        def main(g):
            a = g.new(OBJ)
            g.store_scalar(a, 8, 7)
            yield from g.gc()
            return rt.heap.aspace.read(a, 8)

        assert rt.run(main).result == (0xDEADBEEF).to_bytes(4, "little") * 2


class TestStackOwner:
    """stack_owner maps an address to the live goroutine whose stack holds it."""

    def test_owner(self):
        """A frame address belongs to its goroutine; a heap address or nil to none."""
        rt = Runtime()

        def body(g):
            f = g.frame(LOCALS)
            a = g.new(OBJ)
            return rt.stack_owner(f.base) is g, rt.stack_owner(a), rt.stack_owner(0)

        assert run_inline(rt, body) == (True, None, None)

    def test_now(self):
        """Runtime.now is the latest P clock."""
        rt = Runtime(procs=3)
        rt.sched.ps[1].now = 500
        assert rt.now == 500
