"""Tests for ``gomem.runtime.stack``: frames, growth and shrinking by copying, stack memory and the escape rule for
stack pointers."""

from __future__ import annotations

import io

import pytest

from gomem.cmd import realgo, report
from gomem.compile.program import load
from gomem.runtime import types as gt
from gomem.runtime.arena import ARENA_BASE_ADDR, PAGE_SIZE
from gomem.errors import BadInput, BadPointer, BadWrite, InvariantViolation
from gomem.runtime.stackmove import shrink_stack_safe
from gomem.runtime.mspan import SPAN_MANUAL
from gomem.runtime.runtime import Runtime
from gomem.runtime.sched import G_RUNNABLE, G_WAITING
from gomem.runtime.stack import (
    MAX_STACK_SIZE,
    STACK_CACHE_SIZE,
    STACK_GUARD,
    STACK_MIN,
    STACK_NOSPLIT,
    Stack,
    StackAllocator,
)

from gchelpers import run_inline

REG = gt.TypeRegistry()
OBJ = REG.declare("Obj", "struct { f *Obj; id int }")
POBJ = gt.pointer_to(OBJ)
LOCALS = gt.struct_of([("p", POBJ), ("n", gt.INT), ("q", POBJ)])
#: a frame whose local points into the stack (a stack object's address)
HOLDER = gt.struct_of([("obj", OBJ), ("ref", POBJ)])


def big_frame(nbytes: int) -> gt.GoType:
    return gt.struct_of([("pad", gt.array_of(gt.INT, nbytes // 8))])


@pytest.fixture
def stacks(heap):
    return StackAllocator(heap.mheap)


class TestConstants:
    """The stack constants of linux/amd64."""

    def test_values(self):
        """stackMin 2 KiB, stackGuard 928 B, stackNosplit 800 B, 32 KiB pool spans, 1e9-byte maximum."""
        assert (STACK_MIN, STACK_GUARD, STACK_NOSPLIT, STACK_CACHE_SIZE, MAX_STACK_SIZE) == (
            2048, 928, 800, 32 << 10, 1_000_000_000)


class TestStackAllocator:
    """Stacks come from pools of 32 KiB manual spans (< 32 KiB) or their own manual span."""

    def test_pool_pieces_share_a_manual_span(self, heap, stacks):
        """Sixteen 2 KiB stacks are cut from one 32 KiB mSpanManual span; the seventeenth needs another."""
        los = [stacks.alloc(2048) for _ in range(17)]
        spans = {heap.aspace.span_of(lo).start_addr for lo in los}
        assert len(spans) == 2
        s = heap.aspace.span_of(los[0])
        assert s.state == SPAN_MANUAL and s.npages * PAGE_SIZE == STACK_CACHE_SIZE
        assert sorted(lo - s.start_addr for lo in los[:16]) == [i * 2048 for i in range(16)]
        assert heap.stats.in_stacks == 2 * STACK_CACHE_SIZE

    def test_large_stack_gets_its_own_span(self, heap, stacks):
        """A 64 KiB stack is one 8-page manual span."""
        lo = stacks.alloc(64 << 10)
        s = heap.aspace.span_of(lo)
        assert (s.start_addr, s.npages, s.state) == (lo, 8, SPAN_MANUAL)

    def test_stacks_are_not_heap_objects(self, heap, stacks):
        """A stack address is not an object: find_object says no and it is not a valid heap pointer."""
        lo = stacks.alloc(2048)
        assert heap.find_object(lo) is None
        assert not heap.is_valid_pointer(lo + 8)

    @pytest.mark.parametrize("n", [1024, 3000, 0])
    def test_bad_sizes(self, stacks, n):
        """Sizes must be powers of two of at least 2 KiB."""
        with pytest.raises(InvariantViolation, match=f"stackalloc size {n} is not a power of two >= 2048"):
            stacks.alloc(n)

    def test_free_while_gc_off_returns_the_span(self, heap, stacks):
        """Freeing the last piece of a pool span with the GC off gives the span back to the heap at once."""
        lo = stacks.alloc(2048)
        stacks.free(lo, 2048, gc_running=False)
        assert heap.stats.in_stacks == 0
        assert heap.aspace.span_of(lo) is None or heap.aspace.span_of(lo).state != SPAN_MANUAL

    def test_free_during_gc_is_deferred(self, heap, stacks):
        """During a cycle an emptied span waits for free_stack_spans (Go: freeStackSpans after mark termination)."""
        lo = stacks.alloc(2048)
        big = stacks.alloc(64 << 10)
        stacks.free(lo, 2048, gc_running=True)
        stacks.free(big, 64 << 10, gc_running=True)
        assert heap.stats.in_stacks == STACK_CACHE_SIZE + (64 << 10)
        stacks.free_stack_spans()
        assert heap.stats.in_stacks == 0

    def test_reused_pool_span_is_kept(self, heap, stacks):
        """A deferred pool span that got a stack again before freeStackSpans stays."""
        lo = stacks.alloc(2048)
        stacks.free(lo, 2048, gc_running=True)
        again = stacks.alloc(2048)
        stacks.free_stack_spans()
        assert heap.aspace.span_of(again).state == SPAN_MANUAL
        assert heap.stats.in_stacks == STACK_CACHE_SIZE


class TestFrames:
    """Frames are typed structs pushed from hi down; pops must be in order."""

    def test_push_pop(self, heap, stacks):
        """Frames are zeroed, laid out downwards, and popping restores sp."""
        st = Stack(stacks, heap.aspace.words)
        assert (st.size, st.used, st.hi - st.lo) == (2048, 0, 2048)
        heap.aspace.words[(st.hi - 8 - ARENA_BASE_ADDR) >> 3] = 0xDEAD
        f1 = st.push(LOCALS, "f1")
        f2 = st.push(OBJ, "f2")
        assert (f1.base, f2.base) == (st.hi - 24, st.hi - 40)
        assert heap.aspace.words[(f1.base + 16 - ARENA_BASE_ADDR) >> 3] == 0
        assert st.used == 40 and st.max_used == 40
        assert f1.addr("q") == f1.base + 16 and f1.offset_of(8) == 8
        assert st.pointer_slots() == [f1.base, f1.base + 16, f2.base]
        st.pop(f2)
        st.pop()
        assert st.used == 0 and st.max_used == 40

    def test_pop_errors(self, heap, stacks):
        """Popping an empty stack, or a frame that is not on top, is bad input."""
        st = Stack(stacks, heap.aspace.words)
        with pytest.raises(BadInput, match="pop of an empty stack"):
            st.pop()
        f1 = st.push(LOCALS, "f1")
        st.push(LOCALS, "f2")
        with pytest.raises(BadInput, match="which is not the top frame"):
            st.pop(f1)

    def test_goroutine_frames_via_runtime(self):
        """g.frame / set_local / get_local / pop work on the goroutine's own stack."""
        rt = Runtime()

        def body(g):
            f = g.frame(LOCALS, "main")
            o = g.new(OBJ)
            g.set_local(f, "p", o)
            got = g.get_local(f, "p")
            used = g.stack.used
            g.pop(f)
            return got == o, used, g.stack.used, g.stack.contains(f.base)

        assert run_inline(rt, body) == (True, 24, 0, True)

    def test_set_local_checks(self):
        """A non-pointer local, or a wild pointer, is rejected."""
        rt = Runtime()

        def body(g):
            f = g.frame(LOCALS, "main")
            with pytest.raises(BadWrite, match=r"local main\.n is not a pointer slot"):
                g.set_local(f, "n", 0)
            with pytest.raises(BadPointer, match="storing invalid pointer 0x1234"):
                g.set_local(f, "p", 0x1234)
            return True

        assert run_inline(rt, body)


class TestGrowth:
    """A frame that would cross the guard grows the stack by copying it to one twice the size (or more)."""

    def test_doubles_and_adjusts_pointers_into_the_old_stack(self, heap, stacks):
        """Growth copies the used part, moves frames, and rewrites pointers to the old stack to the new one."""
        st = Stack(stacks, heap.aspace.words)
        w = heap.aspace.words
        f0 = st.push(HOLDER, "f0")
        w[(f0.addr("obj") + 8 - ARENA_BASE_ADDR) >> 3] = 77  # obj.id
        obj_addr = f0.addr("obj")
        w[(f0.addr("ref") - ARENA_BASE_ADDR) >> 3] = obj_addr  # ref = &obj (a pointer into this stack)
        old_lo = st.lo
        st.push(big_frame(1200), "big")  # 2048 - 24 - 1200 < 928: grow
        assert (st.size, st.copies) == (4096, 1)
        assert st.lo != old_lo
        assert f0.addr("obj") == obj_addr + (st.hi - (old_lo + 2048))
        assert w[(f0.addr("ref") - ARENA_BASE_ADDR) >> 3] == f0.addr("obj")
        assert w[(f0.addr("obj") + 8 - ARENA_BASE_ADDR) >> 3] == 77
        assert st.sp - st.lo >= STACK_GUARD

    def test_keeps_doubling_until_the_frame_fits(self, heap, stacks):
        """A 10 KiB frame on a 2 KiB stack needs 16 KiB: 2 -> 16 KiB in one copy."""
        st = Stack(stacks, heap.aspace.words)
        st.push(big_frame(10 << 10))
        assert (st.size, st.copies) == (16 << 10, 1)

    def test_large_stacks_leave_the_pools(self, heap, stacks):
        """Growing past 16 KiB gives the stack its own manual span."""
        st = Stack(stacks, heap.aspace.words)
        st.push(big_frame(40 << 10))
        s = heap.aspace.span_of(st.lo)
        assert st.size == 64 << 10
        assert (s.start_addr, s.npages * PAGE_SIZE, s.state) == (st.lo, 64 << 10, SPAN_MANUAL)

    def test_overflow(self, heap, stacks):
        """A frame that would need more than 1e9 bytes is Go's stack overflow."""
        st = Stack(stacks, heap.aspace.words)
        with pytest.raises(BadWrite, match="goroutine stack exceeds 1000000000-byte limit"):
            st.push(big_frame(600_000_000))
        assert st.size == 2048

    def test_growth_during_a_cycle_keeps_stack_pointers_valid(self):
        """A goroutine growing its stack in the middle of marking still finds its locals, and GC keeps them alive."""
        rt = Runtime(checkmark=True)

        def main(g):
            f = g.frame(HOLDER, "f")
            o = g.new(OBJ)
            g.set_local(f, f.type.field("obj").offset, o)  # obj.f = o (heap)
            g.set_local(f, "ref", f.addr("obj"))  # ref = &obj (stack)
            rt.gc.start(g.p)
            g.frame(big_frame(8 << 10), "deep")
            yield from g.gc()
            ref = g.get_local(f, "ref")
            return ref == f.addr("obj") and g.stack.copies == 1 and rt.heap.find_object(o) is not None

        assert rt.run(main).result is True


def grown(stacks, heap, size: int) -> Stack:
    """An empty stack that has grown to *size* bytes (a frame pushed and popped)."""
    st = Stack(stacks, heap.aspace.words)
    st.pop(st.push(big_frame(size - 1024)))
    assert (st.size, st.used) == (size, 0)
    return st


class TestShrink:
    """``shrinkstack``: a stack less than a quarter used (counting stackNosplit) is copied to half its size."""

    def test_halves_and_adjusts_a_pointer_from_one_frame_into_another(self, heap, stacks):
        """The copy moves every frame and rewrites a pointer in one frame to a slot of another frame."""
        w = heap.aspace.words
        st = grown(stacks, heap, 16 << 10)
        f0 = st.push(HOLDER, "f0")
        w[(f0.addr("obj") + 8 - ARENA_BASE_ADDR) >> 3] = 77  # obj.id
        f1 = st.push(LOCALS, "f1")
        w[(f1.addr("q") - ARENA_BASE_ADDR) >> 3] = f0.addr("obj")  # f1.q = &f0.obj
        old_lo, old_hi, old_obj = st.lo, st.hi, f0.addr("obj")
        assert st.shrink(gc_running=False)
        assert (st.size, st.copies, st.used) == (8 << 10, 2, 24 + 24)
        assert st.hi - st.lo == 8 << 10 and st.lo != old_lo
        assert st.last_move == (old_lo, old_hi, st.hi - old_hi)
        assert f0.addr("obj") == old_obj + st.hi - old_hi
        assert w[(f1.addr("q") - ARENA_BASE_ADDR) >> 3] == f0.addr("obj")
        assert w[(f0.addr("obj") + 8 - ARENA_BASE_ADDR) >> 3] == 77
        assert st.pointer_slots() == [f0.addr("obj"), f0.addr("ref"), f1.base, f1.addr("q")]
        assert heap.stats.in_stacks == STACK_CACHE_SIZE  # the 16 KiB stack's pool span went back at once

    @pytest.mark.parametrize("size, used, shrinks", [
        (4096, 1024 - STACK_NOSPLIT - 8, True),  # used + 800 = 1016 < 4096/4
        (4096, 1024 - STACK_NOSPLIT, False),  # used + 800 = 1024: not less than a quarter
        (64 << 10, 0, True),
        (STACK_MIN, 0, False),  # never below the minimum
    ])
    def test_the_quarter_rule(self, heap, stacks, size, used, shrinks):
        """Go's rule: shrink when hi - sp + stackNosplit < (hi - lo) / 4 and half is at least stackMin."""
        st = grown(stacks, heap, size) if size > STACK_MIN else Stack(stacks, heap.aspace.words)
        if used:
            st.push(big_frame(used))
        assert st.shrink_wanted() is shrinks
        assert st.shrink(gc_running=False) is shrinks
        assert st.size == (size // 2 if shrinks else size)
        assert not st.shrink_wanted() or st.size > STACK_MIN

    def test_shrink_during_a_cycle_defers_the_old_span(self, heap, stacks):
        """With the GC running the old stack's span waits for freeStackSpans, as stackfree's does."""
        st = grown(stacks, heap, 64 << 10)
        assert st.shrink(gc_running=True) and st.size == 32 << 10
        assert heap.stats.in_stacks == (64 << 10) + (32 << 10)
        stacks.free_stack_spans()
        assert heap.stats.in_stacks == 32 << 10


#: a goroutine recursing to ~0.9 MiB (a 1 MiB stack) and back, then parked on a channel for good while main
#: collects twice; main prints the recursion's result and how much StackInuse went down
DEEP_THEN_PARK = """package main

import (
	"fmt"
	"runtime"
)

func deep(n int) int {
	var buf [1024]byte
	buf[n%1024] = byte(n)
	if n == 0 {
		return int(buf[0])
	}
	return deep(n-1) + int(buf[n%1024])
}

func main() {
	ready := make(chan int)
	done := make(chan int)
	go func() {
		r := deep(900)
		ready <- r
		v := <-done
		fmt.Println("never", v)
	}()
	r := <-ready
	runtime.Gosched()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	before := ms.StackInuse
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	fmt.Println(r, int64(before)-int64(ms.StackInuse))
}
"""


def run_go(tmp_path, src: str, shrink: bool = True, scans: list | None = None, **rt_kw):
    """Run Go source on the model: (stdout, MemStats, runtime).  *scans* gets (goroutine id, stack size
    before, stack size after) of every stack scan."""
    path = tmp_path / "prog.go"
    path.write_text(src)
    prog = load(str(path))
    prog.out = io.StringIO()
    rt = Runtime(**rt_kw)
    rt.gc.gcshrinkstackoff = not shrink
    if scans is not None:
        scan = rt.gc.scan_stack

        def recording_scan(g, gcw):
            before = g.stack.size
            ns = scan(g, gcw)
            scans.append((g.id, before, g.stack.size))
            return ns

        rt.gc.scan_stack = recording_scan
    rt.run(prog.main, {})
    return prog.out.getvalue(), report.memstats(rt), rt


def parked(rt):
    """The program's one goroutine besides main."""
    (g,) = [g for g in rt.sched.allgs if g.id != 1]
    return g


class TestShrinkDuringGC:
    """scanstack shrinks the stack of a goroutine parked on a channel (stackmove.shrink_stack_safe)."""

    def test_a_parked_goroutines_stack_halves_at_each_cycle(self, tmp_path):
        """1 MiB -> 512 KiB -> 256 KiB over two cycles; StackInuse falls by the 768 KiB given back; checkmark passes."""
        scans = []
        out, ms, rt = run_go(tmp_path, DEEP_THEN_PARK, scans=scans, checkmark=True)
        g = parked(rt)
        assert (g.status, g.wait_reason) == (G_WAITING, "chan receive")
        assert [(before, after) for gid, before, after in scans if gid == g.id] == [
            (1 << 20, 512 << 10), (512 << 10, 256 << 10)]
        assert (g.stack.size, ms.NumGC) == (256 << 10, 2)
        assert out == "106698 786432\n"
        assert ms.StackInuse == STACK_CACHE_SIZE + (256 << 10)  # main's 8 KiB pool span and the parked stack

    def test_gcshrinkstackoff(self, tmp_path):
        """GODEBUG=gcshrinkstackoff=1's equivalent: the stack keeps its 1 MiB and StackInuse does not move."""
        out, ms, rt = run_go(tmp_path, DEEP_THEN_PARK, shrink=False)
        assert parked(rt).stack.size == 1 << 20
        assert out == "106698 0\n"

    @pytest.mark.skipif(realgo.find_go() is None, reason=realgo.NO_GO_REASON)
    def test_the_shrink_gives_back_what_real_gos_gives_back(self, tmp_path):
        """Real Go (GOMAXPROCS=1) shrinks the same 1 MiB stack to 256 KiB over the two cycles.  Its StackInuse
        also gains a 32 KiB span for the background mark worker's stack (the model has no worker goroutines),
        so the shrink's share is compared: the drop with shrinking minus the drop under gcshrinkstackoff=1
        (measured: 753664 and -32768, every run)."""
        (tmp_path / "go").mkdir()
        (tmp_path / "go" / "prog.go").write_text(DEEP_THEN_PARK)
        drops = []
        for godebug in ("", "gcshrinkstackoff=1"):
            go = realgo.run_go_source(tmp_path / "go" / "prog.go", env={"GOMAXPROCS": "1", "GODEBUG": godebug})
            assert go.returncode == 0, go.stderr
            result, drop = go.stdout.split()
            drops.append(int(drop))
        on, _, _ = run_go(tmp_path, DEEP_THEN_PARK)
        off, _, _ = run_go(tmp_path, DEEP_THEN_PARK, shrink=False)
        model = [int(out.split()[1]) for out in (on, off)]
        assert on.split()[0] == result
        assert drops[0] - drops[1] == model[0] - model[1] == 768 << 10

    def test_only_a_goroutine_parked_on_a_channel_is_moved(self, tmp_path):
        """A runnable or running goroutine is never moved (its Python state may hold stack addresses)."""
        _, _, rt = run_go(tmp_path, DEEP_THEN_PARK)
        g = parked(rt)
        assert [sg.g for sg in shrink_stack_safe(g)] == [g]  # parked: moved, with its one sudog adjusted
        for status in (G_RUNNABLE, "running"):
            g.status = status
            assert shrink_stack_safe(g) is None

    def test_stack_addresses_held_across_a_channel_operation_keep_the_stack_in_place(self, tmp_path):
        """A receive nested in an expression that already holds a stack address (``use(&s.a, <-c)``,
        ``copy(bs[:], strconv.Itoa(<-c))``), or a pointer into the stack in a frame, keeps the stack where
        it is; receives of their own statement let it shrink.  The output is real Go's (go run, GOMAXPROCS=1)."""
        src = """package main

import (
	"fmt"
	"runtime"
	"strconv"
)

func deep(n int) int {
	var buf [1024]byte
	buf[n%1024] = byte(n)
	if n == 0 {
		return int(buf[0])
	}
	return deep(n-1) + int(buf[n%1024])
}

//go:noinline
func use(p *int, v int) int {
	if v > 1000 {
		return use(p, v-1)
	}
	*p += v
	return *p
}

type pair struct{ a, b int }

func worker(c chan int, out chan string) {
	deep(900)
	var s pair
	s.a = <-c
	r := use(&s.a, <-c)
	var bs [8]byte
	n := copy(bs[:], strconv.Itoa(<-c))
	p := &s.b
	*p = <-c
	out <- fmt.Sprint(s, r, string(bs[:n]))
}

func main() {
	c := make(chan int)
	out := make(chan string)
	go worker(c, out)
	for i := 1; i <= 4; i++ {
		runtime.Gosched()
		runtime.GC()
		c <- i * 10
	}
	fmt.Println(<-out)
}
"""
        scans = []
        out, _, _ = run_go(tmp_path, src, scans=scans, checkmark=True)
        assert out == "{30 40} 3030\n"
        # s.a = <-c shrinks; use(&s.a, <-c), copy(bs[:], ...<-c...) and *p = <-c with p = &s.b do not
        assert [(before, after) for gid, before, after in scans if gid != 1] == [
            (1 << 20, 512 << 10), (512 << 10, 512 << 10), (512 << 10, 512 << 10), (512 << 10, 512 << 10)]


class TestStackMemoryStats:
    """Stack spans are counted in StackInuse, not in the heap."""

    def test_stack_inuse(self):
        """One goroutine: 32 KiB; seventeen 2 KiB stacks: 64 KiB; none of it is HeapInuse."""
        rt = Runtime()
        got = []

        def idle(g):
            yield

        def main(g):
            ms = rt.heap.read_memstats()
            got.append((ms.StackInuse, ms.HeapInuse))
            for _ in range(16):
                g.go(idle)
            ms = rt.heap.read_memstats()
            got.append((ms.StackInuse, ms.HeapInuse))
            yield

        rt.run(main)
        assert got == [(32 << 10, 0), (64 << 10, 0)]


class TestStackPointersDoNotEscape:
    """No heap object or global may point into a stack: such a store is rejected in Go's words."""

    def test_heap_store_rejected(self):
        """Storing &local into a heap object says the object would have escaped to the heap."""
        rt = Runtime()

        def body(g):
            f = g.frame(HOLDER, "f")
            h = g.new(OBJ)
            msg = r"into heap object 0x[0-9a-f]+: the object would have escaped to the heap"
            with pytest.raises(BadWrite, match=msg):
                g.store(h, 0, f.addr("obj"))
            return g.load(h, 0)

        assert run_inline(rt, body) == 0

    def test_global_store_rejected(self):
        """Storing &local into a global says the same."""
        rt = Runtime()
        rt.data.declare("gp", POBJ)

        def body(g):
            f = g.frame(HOLDER, "f")
            with pytest.raises(BadWrite, match=r"into global gp: the object would have escaped to the heap"):
                g.set_global("gp", f.addr("obj"))
            return g.get_global("gp")

        assert run_inline(rt, body) == 0

    def test_other_goroutines_stack_rejected(self):
        """A frame may point into its own stack, never into another goroutine's."""
        rt = Runtime()
        addrs = {}

        def other(g):
            f = g.frame(HOLDER, "other")
            addrs["other"] = f.addr("obj")
            yield
            yield

        def main(g):
            g.go(other)
            yield
            f = g.frame(HOLDER, "main")
            g.set_local(f, "ref", f.addr("obj"))
            msg = r"cannot store a pointer into goroutine 2's stack in goroutine 1's frame"
            with pytest.raises(BadWrite, match=msg):
                g.set_local(f, "ref", addrs["other"])
            return g.get_local(f, "ref") == f.addr("obj")

        assert rt.run(main).result is True
