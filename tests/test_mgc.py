"""Tests for ``gomem.runtime.mgc``: the cycle engine's phases, flags, sweep generations and mark termination.

Programs are small goroutines run on a real :class:`~gomem.runtime.runtime.Runtime`.
Where a test needs a precise interleaving, the main goroutine drives the
collector itself inside one scheduler step (``rt.gc.start``,
``mark_step``, ``mark_done``), so nothing else runs in between.
"""

from __future__ import annotations

import re

import ast
import pathlib

import pytest

import gomem
from gomem.runtime import mbarrier
from gomem.runtime import types as gt
from gomem.runtime.mcache import MCache
from gomem.runtime.mgc import GC_MARK, GC_MARKTERMINATION, GC_OFF, PHASE_NAMES, LostObject
from gomem.runtime.mgcsweep import Sweeper
from gomem.runtime.runtime import DanglingPointer, Runtime
from gomem.runtime.sched import CostModel
from gomem.runtime.trace import GC_BEGIN, PHASE, ROOT, SCAN, SHADE, STW_START, STW_STOP

from gchelpers import colour, finish_mark, is_marked, run_inline

REG = gt.TypeRegistry()
OBJ = REG.declare("Obj", "struct { f *Obj; id int }")
POBJ = gt.pointer_to(OBJ)
LOCALS = gt.struct_of([("tmp", POBJ), ("keep", POBJ)])
CONCURRENT_MODES = ("go1.5", "yuasa", "go1.8", "none")
SAFE_CONCURRENT = ("go1.5", "yuasa", "go1.8")


def one_cycle(rt: Runtime, g) -> None:
    rt.gc.start(g.p)
    finish_mark(rt, g.p)


# -- phases and flags ------------------------------------------------------------


class TestSetPhaseIsTheOnlyWriter:
    """Only Collector.set_phase assigns the phase and the write barrier flag (besides their initialisers)."""

    def test_assignments_in_source(self):
        """Every assignment to ``.phase`` or ``.wb_enabled`` in the package is in set_phase or an __init__."""
        root = pathlib.Path(gomem.__file__).parent
        writers = []
        for path in sorted(root.rglob("*.py")):
            tree = ast.parse(path.read_text())
            for fn in ast.walk(tree):
                if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
                    continue
                for node in ast.walk(fn):
                    targets = []
                    if isinstance(node, ast.Assign):
                        targets = node.targets
                    elif isinstance(node, (ast.AugAssign, ast.AnnAssign)):
                        targets = [node.target]
                    for t in targets:
                        if isinstance(t, ast.Attribute) and t.attr in ("phase", "wb_enabled"):
                            writers.append((path.name, fn.name, t.attr))
        assert {w for w in writers if w[1] != "__init__"} == {
            ("mgc.py", "set_phase", "phase"),
            ("mgc.py", "set_phase", "wb_enabled"),
        }


class TestPhaseSequence:
    """A cycle goes off -> mark -> marktermination -> off, and the flags follow the phase."""

    @pytest.mark.parametrize("mode", list(mbarrier.MODES))
    def test_flags_at_each_phase_change(self, mode):
        """At every set_phase, wb_enabled is on exactly in mark/marktermination for barrier modes, never otherwise."""
        rt = Runtime(mode=mode)
        seen = []

        def watch(ev):
            if ev.kind == PHASE and ev.data["phase"] in PHASE_NAMES.values():
                seen.append((ev.data["phase"], rt.gc.phase, rt.wb_enabled, rt.heap.alloc_black))

        rt.log.subscribers.append(watch)

        def main(g):
            yield from g.gc()

        rt.run(main)
        m = mbarrier.MODES[mode]
        has_barrier = m.barrier.active and not m.stw_mark
        assert [s[:2] for s in seen] == [
            ("mark", GC_MARK),
            ("marktermination", GC_MARKTERMINATION),
            ("off", GC_OFF),
        ]
        assert [s[2] for s in seen] == [has_barrier, has_barrier, False]
        assert [s[3] for s in seen] == [m.alloc_black, m.alloc_black, False]  # allocate black while marking

    @pytest.mark.parametrize("mode", ["stw", "go1.3", "none"])
    def test_no_barrier_modes_never_enable_it(self, mode):
        """stw and go1.3 mark with the world stopped and `none` has no barrier: wb_enabled stays false."""
        rt = Runtime(mode=mode)

        def body(g):
            rt.gc.start(g.p)
            during = rt.wb_enabled
            if rt.gc.running:
                finish_mark(rt, g.p)
            return during

        assert run_inline(rt, body) is False
        assert rt.wb_enabled is False

    def test_running_only_between_sweep_termination_and_mark_termination(self):
        """gc.running is true from start() until mark termination ends, and blackening only while marking."""
        rt = Runtime()

        def body(g):
            before = (rt.gc.running, rt.gc.blacken_enabled)
            rt.gc.start(g.p)
            during = (rt.gc.running, rt.gc.blacken_enabled, rt.gc.phase)
            finish_mark(rt, g.p)
            return before, during, (rt.gc.running, rt.gc.blacken_enabled, rt.gc.phase)

        assert run_inline(rt, body) == ((False, False), (True, True, GC_MARK), (False, False, GC_OFF))

    def test_start_during_a_cycle_is_a_no_op(self):
        """start() while a cycle runs changes nothing (Go: gcStart re-tests the trigger under the phase check)."""
        rt = Runtime()

        def body(g):
            rt.gc.start(g.p)
            cycles = rt.gc.cycles
            rt.gc.start(g.p)
            again = rt.gc.cycles
            finish_mark(rt, g.p)
            return cycles, again

        assert run_inline(rt, body) == (1, 1)
        assert rt.gc.numgc == 1


class TestAllocateBlack:
    """Objects allocated while marking are born marked (black) and never scanned."""

    @pytest.mark.parametrize("mode", CONCURRENT_MODES)
    def test_new_object_during_mark_is_black(self, mode):
        """An object allocated during mark has its mark bit set and bytes_marked counts it."""
        rt = Runtime(mode=mode)

        def body(g):
            before = g.new(OBJ)
            rt.gc.start(g.p)
            g.gc_assist_bytes = 1 << 20  # credit: no assist, so the allocation cannot finish the cycle
            m0 = rt.heap.bytes_marked
            during = g.new(OBJ)
            res = (is_marked(rt, before), is_marked(rt, during), rt.heap.bytes_marked - m0)
            finish_mark(rt, g.p)
            after = g.new(OBJ)
            return res + (is_marked(rt, after),)

        assert run_inline(rt, body) == (False, True, 16, False)


class TestTinyBlocks:
    """Sweep termination greys every P's active tiny block (Go: gcMarkTinyAllocs)."""

    def test_active_tiny_block_survives_the_cycle(self):
        """An unreferenced tiny allocation in the active block is marked at cycle start and freed a cycle later."""
        rt = Runtime(procs=2)

        def main(g):
            t = g.alloc(8)
            same = rt.heap.mcaches[g.p.id].tiny == rt.heap.slot_base(t)
            rt.gc.start(g.p)
            at_start = is_marked(rt, t)
            yield from g.gc()  # waits for this cycle, then runs one more
            return same, at_start, rt.gc.numgc, rt.heap.find_object(t)

        same, at_start, n, found = rt.run(main).result
        assert (same, at_start, n, found) == (True, True, 2, None)


# -- sweep generations -------------------------------------------------------------


class TestSweepgen:
    """mheap.sweepgen advances by 2 per cycle, and spans pass through every state of mheap.go's table."""

    def test_advances_by_two_per_cycle(self):
        """Three runtime.GC calls move sweepgen from h to h+6."""
        rt = Runtime()
        h0 = rt.heap.mheap.sweepgen
        seen = []

        def main(g):
            for _ in range(3):
                yield from g.gc()
                seen.append(rt.heap.mheap.sweepgen)

        rt.run(main)
        assert seen == [h0 + 2, h0 + 4, h0 + 6]

    def test_span_states_across_a_cycle(self, monkeypatch):
        """h+3 (cached), h (swept), h+1 (cached before the sweep), h-2 (unswept), h-1 (being swept) all occur."""
        rt = Runtime(procs=1)
        rt.data.declare("keep", POBJ)
        heap = rt.heap
        mh = heap.mheap
        entered_sweep = []
        real_sweep = Sweeper.sweep

        def spy_sweep(sw, s, preserve, who="alloc"):
            entered_sweep.append(s.sweepgen - mh.sweepgen)
            return real_sweep(sw, s, preserve, who)

        stale_at_flush = []
        real_prepare = MCache.prepare_for_sweep

        def spy_prepare(c):
            stale_at_flush.extend(s.sweepgen - mh.sweepgen for s in c.cached_spans())
            real_prepare(c)

        monkeypatch.setattr(Sweeper, "sweep", spy_sweep)
        monkeypatch.setattr(MCache, "prepare_for_sweep", spy_prepare)

        def body(g):
            objs = [g.new(OBJ) for _ in range(600)]  # 16-byte class: 512 per span, so span A fills up
            g.set_global("keep", objs[0])
            a = heap.aspace.span_of(objs[0])
            b = heap.aspace.span_of(objs[-1])
            h0 = mh.sweepgen
            before = (a.sweepgen - h0, b.sweepgen - h0)
            one_cycle(rt, g)
            h1 = mh.sweepgen
            after_mark = (h1 - h0, a.sweepgen - h1, b.sweepgen - h1)
            heap.sweeper.finish()
            swept = {s.sweepgen - h1 for s in heap.spans()}
            c = g.new(OBJ)
            cached = heap.aspace.span_of(c).sweepgen - h1
            return before, after_mark, swept, cached

        before, after_mark, swept, cached = run_inline(rt, body)
        assert before == (0, 3)  # A uncached and swept; B cached after sweeping
        assert stale_at_flush == [1]  # B was cached before this sweep began
        assert after_mark == (2, -2, 0)  # A needs sweeping; B was swept when it was uncached
        assert set(entered_sweep) == {-1}  # every sweep runs on a span being swept
        assert swept == {0}
        assert cached == 3

    def test_span_states_only_legal_values(self):
        """Between cycles every in-use span's sweepgen is h-2, h, h+1 or h+3 relative to the heap's."""
        rt = Runtime(procs=2, policy="random", seed=3)
        rt.data.declare("keep", POBJ)
        bad = []

        def worker(g, n):
            prev = 0
            for i in range(n):
                o = g.new(OBJ)
                if prev and i % 3:
                    g.store(o, 0, prev)
                prev = o
                if i % 50 == 0:
                    g.set_global("keep", o)
                    yield

        def main(g):
            g.go(worker, 800)
            for _ in range(3):
                yield from worker(g, 300)
                h = rt.heap.mheap.sweepgen
                bad.extend(s for s in rt.heap.spans() if s.sweepgen - h not in (-2, -1, 0, 1, 3))
                yield from g.gc()

        rt.run(main)
        assert rt.gc.numgc >= 3
        assert bad == []


class TestMcacheFlush:
    """Mark termination flushes every P's mcache (Go: prepareForSweep after gcMarkTermination)."""

    def test_mcaches_empty_after_mark_termination(self):
        """After mark termination no mcache holds a span or a tiny block, and flush_gen == sweepgen."""
        rt = Runtime(procs=3)

        def body(g):
            for pid in range(3):
                rt.heap.mallocgc(16, OBJ, pid)
                rt.heap.mallocgc(8, None, pid)  # a tiny block
            had = [bool(c.cached_spans()) and bool(c.tiny) for c in rt.heap.mcaches]
            one_cycle(rt, g)
            sg = rt.heap.mheap.sweepgen
            return had, [(c.cached_spans(), c.tiny, c.flush_gen == sg) for c in rt.heap.mcaches]

        had, after = run_inline(rt, body)
        assert had == [True, True, True]
        assert after == [([], 0, True)] * 3


# -- the lost object (scenarios.md §3) ------------------------------------------------


def lost_object_program(rt: Runtime, objs: dict, after=None):
    """scenarios.md §3 on a real runtime; returns the body to run (colours after scan 1 and scan 4)."""
    rt.data.declare("r1", POBJ)
    rt.data.declare("r4", POBJ)

    def body(g):
        o = {i: g.new(OBJ) for i in range(1, 8)}
        objs.update(o)
        for a, b in ((1, 2), (2, 3), (4, 7), (5, 6)):
            g.store(o[a], 0, o[b])
        g.set_global("r1", o[1])
        g.set_global("r4", o[4])
        f = g.frame(LOCALS, "main")
        rt.gc.start(g.p)  # GC start
        rt.gc.mark_step(g.p, objects=2)  # shade roots, scan 1, scan 4
        state = {i: colour(rt, o[i]) for i in o}
        g.set_local(f, "tmp", g.load(o[2], 0))  # load 3 from 2.f into a local
        g.store(o[4], 0, g.get_local(f, "tmp"))  # 4.f = 3
        g.store(o[2], 0, 0)  # 2.f = nil
        g.set_local(f, "tmp", 0)  # drop the local
        finish_mark(rt, g.p)  # scan 2, scan 7, mark done
        rt.heap.sweeper.finish()  # sweep
        res = {"state": state, "freed": {i for i in o if rt.heap.find_object(o[i]) is None}}
        if after is not None:
            res["after"] = after(g, o)
        return res

    return body


class TestLostObject:
    """scenarios.md §3: a white object moved under a black one while its grey parent lets go."""

    def test_precondition_matches_the_article(self):
        """After shade roots, scan 1 and scan 4: 1 and 4 black; 2 and 7 grey; 3, 5, 6 white."""
        rt = Runtime(mode="go1.8", detail=True)
        objs: dict = {}
        res = run_inline(rt, lost_object_program(rt, objs))
        assert res["state"] == {
            1: "black",
            2: "grey",
            3: "white",
            4: "black",
            5: "white",
            6: "white",
            7: "grey",
        }
        scans = [e.data["addr"] for e in rt.log.of_kind(SCAN)]
        assert scans[:2] == [objs[1], objs[4]]

    def test_none_checkmark_names_object_3_with_path_through_4(self):
        """Without a barrier, checkmark raises LostObject for 3 with the path global r4 -> 4 -> 3."""
        rt = Runtime(mode="none", checkmark=True)
        objs: dict = {}
        msg = r"left reachable object 0x[0-9a-f]+ \(Obj\) unmarked; path: global r4 -> "
        with pytest.raises(LostObject, match=msg) as ei:
            run_inline(rt, lost_object_program(rt, objs))
        o3, o4 = objs[3], objs[4]
        assert f"{o3:#x} (Obj) unmarked; path: global r4 -> {o4:#x} -> {o3:#x}" in str(ei.value)
        assert ei.value.exit_status == 4
        assert ei.value.lost == [{"addr": o3, "type": "Obj", "root": "global r4", "path": [o4, o3]}]

    def test_none_checkmark_logs_lost_event(self):
        """The lost object is also in the event log, and checkmark's own re-trace logs no shades."""
        rt = Runtime(mode="none", checkmark=True, detail=True)
        objs: dict = {}
        with pytest.raises(LostObject):
            run_inline(rt, lost_object_program(rt, objs))
        lost = rt.log.of_kind("lost")
        assert [e.data["addr"] for e in lost] == [objs[3]]
        i = next(k for k, e in enumerate(rt.log.events) if e.kind == PHASE and e.data["phase"] == "marktermination")
        assert [e for e in rt.log.events[i:] if e.kind == SHADE] == []

    @pytest.mark.parametrize("mode", SAFE_CONCURRENT)
    def test_barrier_modes_keep_object_3(self, mode):
        """go1.5 (insertion), yuasa (deletion) and go1.8 (hybrid) keep 3; 5 and 6 are freed."""
        rt = Runtime(mode=mode, checkmark=True)
        objs: dict = {}
        res = run_inline(rt, lost_object_program(rt, objs, after=lambda g, o: g.load(o[4], 0)))
        assert res["freed"] == {5, 6}
        assert res["after"] == objs[3]

    def test_none_without_checkmark_dangling_pointer_on_load(self):
        """With clobberfree, loading 4.f after the sweep raises DanglingPointer naming cycle 1."""
        rt = Runtime(mode="none", clobberfree=True)
        objs: dict = {}
        msg = r"object 0x[0-9a-f]+ \(Obj\) was freed by the sweeper in GC cycle 1 "
        with pytest.raises(DanglingPointer, match=msg) as ei:
            run_inline(rt, lost_object_program(rt, objs, after=lambda g, o: g.load(o[4], 0)))
        assert f"dangling pointer {objs[3]:#x}: object {objs[3]:#x}" in str(ei.value)
        assert ei.value.exit_status == 4


# -- mark termination ---------------------------------------------------------------------


def live_heap_program(rt: Runtime, n: int, size: int, record: dict):
    """n noscan objects of *size* bytes kept by a global array; a frame of two pointers; then runtime.GC."""
    rt.data.declare("big", gt.array_of(gt.pointer_to(gt.BYTE), n))

    def main(g):
        f = g.frame(LOCALS, "main")
        for i in range(n):
            g.set_global("big", g.alloc(size), off=8 * i)
            if i % 8 == 0:
                yield
        for _ in range(200):
            g.alloc(size)  # garbage
            yield
        yield from g.gc()
        record["stack_used"] = g.stack.used
        record["sweep_done"] = rt.heap.sweeper.done
        g.pop(f)

    return main


class TestMarkTermination:
    """Mark termination makes the marked bytes the live heap and sets the next goal by the GOGC formula."""

    @pytest.mark.parametrize("gogc", [100, 50, 300])
    def test_next_gc_formula(self, gogc):
        """NextGC = marked + (marked + stacks + globals) * GOGC/100 exactly, on a 5 MiB live heap."""
        rt = Runtime(gogc=gogc)
        rec: dict = {}
        rt.run(live_heap_program(rt, 40, 128 << 10, rec))
        marked = 40 * (128 << 10)
        last = rt.gc.records[-1]
        assert last.heap2 == marked
        assert rt.heap.stats.heap_live == marked
        assert last.stack_scan == rec["stack_used"] == LOCALS.size
        # the program's globals plus the runtime's own data+bss
        assert last.globals_scan == rt.data.scan_bytes == 40 * 8 + rt.data.runtime_bytes
        goal = marked + (marked + LOCALS.size + rt.data.scan_bytes) * gogc // 100
        assert rt.gc.heap_goal() == goal
        assert last.next_goal == goal
        assert rt.heap.read_memstats(next_gc=rt.gc.heap_goal()).NextGC == goal

    @pytest.mark.parametrize("gogc", [50, 100, 200])
    def test_heap_minimum(self, gogc):
        """On a tiny live heap the goal is the minimum heap, 4 MiB * GOGC/100."""
        rt = Runtime(gogc=gogc)

        def main(g):
            yield from g.gc()

        rt.run(main)
        assert rt.gc.heap_goal() == (4 << 20) * gogc // 100

    def test_heap_live_is_bytes_marked(self):
        """After a cycle heap_live equals the bytes of the reachable objects (slot sizes)."""
        rt = Runtime()
        rt.data.declare("root", POBJ)

        def main(g):
            prev = 0
            for i in range(100):
                o = g.new(OBJ)
                g.store(o, 0, prev)
                prev = o
            g.set_global("root", prev)
            for _ in range(300):
                g.new(OBJ)  # garbage
            yield from g.gc()

        rt.run(main)
        assert rt.gc.records[-1].heap2 == 100 * 16
        assert rt.heap.stats.heap_live == 100 * 16
        assert rt.gc.records[-1].objects_marked == 100

    def test_gctrace_receives_one_line_per_cycle(self):
        """The gctrace callback gets Go's line for each cycle, numbered from 1."""
        lines = []
        rt = Runtime(gctrace=lines.append)

        def main(g):
            yield from g.gc()
            yield from g.gc()

        rt.run(main)
        assert [ln.split()[1] for ln in lines] == ["1", "2"]
        assert all(ln.startswith("gc ") and ln.endswith(" (forced)") for ln in lines)


class TestRuntimeGC:
    """runtime.GC runs a full cycle, sweep included, and counts as forced."""

    def test_returns_after_sweep_is_complete(self):
        """When runtime.GC returns the sweeper is done and every span is swept for the new sweepgen."""
        rt = Runtime(procs=2)
        rec: dict = {}
        rt.run(live_heap_program(rt, 8, 4096, rec))
        assert rec["sweep_done"] is True
        h = rt.heap.mheap.sweepgen
        assert {s.sweepgen - h for s in rt.heap.spans()} <= {0, 3}

    def test_records_a_forced_cycle(self):
        """numgc and the forced count go up by one; the cycle record says forced."""
        rt = Runtime()

        def main(g):
            yield from g.gc()

        rt.run(main)
        assert (rt.gc.numgc, rt.gc.num_forced, rt.gc.records[-1].forced) == (1, 1, True)
        assert [e.data["forced"] for e in rt.log.of_kind(GC_BEGIN)] == [True]

    def test_waits_for_a_running_cycle_then_runs_a_new_one(self):
        """Called during a cycle, runtime.GC lets it finish and then runs one more full cycle."""
        rt = Runtime()

        def main(g):
            rt.gc.start(g.p)
            assert rt.gc.running
            yield from g.gc()

        rt.run(main)
        assert rt.gc.numgc == 2
        assert [r.forced for r in rt.gc.records] == [False, True]
        assert rt.heap.sweeper.done

    def test_works_with_gogc_off(self):
        """GOGC=off disables automatic cycles, not runtime.GC."""
        rt = Runtime(gogc=-1)

        def main(g):
            yield from g.gc()

        rt.run(main)
        assert rt.gc.numgc == 1


class TestTriggers:
    """The heap trigger starts cycles automatically; GOGC=off never does."""

    def test_gogc_off_never_triggers(self):
        """Allocating 24 MiB of garbage with GOGC=off runs no cycle."""
        rt = Runtime(gogc=-1)

        def main(g):
            for _ in range(24 * 16):
                g.alloc(64 << 10)
                yield

        rt.run(main)
        assert rt.gc.numgc == 0 and rt.gc.cycles == 0
        assert rt.gc.heap_goal() > 1 << 62  # min(GOGC goal = none, memory-limit goal = out of reach), as Go

    def test_gogc_100_triggers_before_the_goal(self):
        """With GOGC=100 the first cycle starts at or below the 4 MiB goal and not before 45/64 of it."""
        rt = Runtime()

        def main(g):
            for _ in range(8 * 16):
                g.alloc(64 << 10)
                yield

        rt.run(main)
        assert rt.gc.numgc >= 1
        first = rt.gc.records[0]
        assert (4 << 20) // 64 * 45 <= first.heap0 <= 4 << 20
        assert first.forced is False


# -- stacks per mode -------------------------------------------------------------------


def two_goroutines_program(rt: Runtime, created_during_mark: list | None = None):
    rt.data.declare("g", POBJ)

    def worker(g):
        f = g.frame(LOCALS, "worker")
        g.set_local(f, "keep", g.new(OBJ))
        for _ in range(50):
            yield

    def late(g):
        created_during_mark.append(g.scandone)
        yield

    def main(g):
        f = g.frame(LOCALS, "main")
        g.set_local(f, "keep", g.new(OBJ))
        g.go(worker)
        yield
        yield from g.gc()
        if created_during_mark is not None:
            rt.gc.start(g.p)
            g.go(late)
            yield
            yield from g.gc()

    return main


def stack_roots(events, start, stop):
    return [e.data["root"] for e in events[start:stop] if e.kind == ROOT and e.data["root"].startswith("stack")]


def first_index(events, kind, reason=None, after=0):
    for i in range(after, len(events)):
        e = events[i]
        if e.kind == kind and (reason is None or e.data.get("reason") == reason):
            return i
    raise AssertionError(f"no {kind} {reason}")


class TestStackPolicies:
    """How each mode treats goroutine stacks: rescan (go1.5), snapshot (yuasa), scan once (go1.8)."""

    def test_go15_rescans_every_stack_in_mark_termination(self):
        """go1.5 scans stacks concurrently and again inside the mark termination STW, which lengthens its pause."""
        rt = Runtime(mode="go1.5", detail=True)
        rt.run(two_goroutines_program(rt))
        ev = rt.log.events
        s = first_index(ev, STW_STOP, "sweep termination")
        t = first_index(ev, STW_START, "mark termination", after=s)
        u = first_index(ev, STW_STOP, "mark termination", after=t)
        assert sorted(stack_roots(ev, s, t)) == ["stack of goroutine 1", "stack of goroutine 2"]
        assert sorted(stack_roots(ev, t, u)) == ["stack of goroutine 1", "stack of goroutine 2"]
        cost = rt.cost
        rescan = 2 * (cost.root_job + LOCALS.size * cost.stack_scan_per_kib // 1024)
        assert ev[u].data["ns"] == cost.stw + rescan
        assert rt.gc.records[0].pauses[-1] == ("mark termination", ev[t].t, cost.stw + rescan)

    def test_yuasa_scans_stacks_in_sweep_termination(self):
        """yuasa snapshots every stack inside the sweep-termination STW and never during concurrent mark."""
        rt = Runtime(mode="yuasa", detail=True)
        rt.run(two_goroutines_program(rt))
        ev = rt.log.events
        a = first_index(ev, STW_START, "sweep termination")
        s = first_index(ev, STW_STOP, "sweep termination", after=a)
        u = first_index(ev, STW_STOP, "mark termination", after=s)
        assert sorted(stack_roots(ev, a, s)) == ["stack of goroutine 1", "stack of goroutine 2"]
        assert stack_roots(ev, s, u) == []
        cost = rt.cost
        assert ev[s].data["ns"] == cost.stw + 2 * (cost.root_job + LOCALS.size * cost.stack_scan_per_kib // 1024)
        assert ev[u].data["ns"] == cost.stw

    def test_go18_scans_each_stack_once_concurrently(self):
        """go1.8 scans each goroutine's stack exactly once per cycle, outside any STW; mark termination is bare."""
        rt = Runtime(mode="go1.8", detail=True)
        rt.run(two_goroutines_program(rt))
        ev = rt.log.events
        a = first_index(ev, STW_START, "sweep termination")
        s = first_index(ev, STW_STOP, "sweep termination", after=a)
        t = first_index(ev, STW_START, "mark termination", after=s)
        u = first_index(ev, STW_STOP, "mark termination", after=t)
        assert stack_roots(ev, a, s) == []
        assert sorted(stack_roots(ev, s, t)) == ["stack of goroutine 1", "stack of goroutine 2"]
        assert stack_roots(ev, t, u) == []
        assert ev[u].data["ns"] == rt.cost.stw

    def test_go18_scandone_set_by_the_scan(self):
        """A goroutine's scandone is cleared at cycle start and set when its stack is scanned."""
        rt = Runtime(mode="go1.8")
        rt.data.declare("x", POBJ)
        states = []

        def body(g):
            rt.gc.start(g.p)
            states.append(g.scandone)
            rt.gc.mark_step(g.p)
            states.append(g.scandone)
            finish_mark(rt, g.p)
            return states

        assert run_inline(rt, body) == [False, True]

    @pytest.mark.parametrize("mode", ["go1.8", "none"])
    def test_goroutine_created_during_mark_starts_scandone(self, mode):
        """A goroutine created while marking starts with scandone and its stack is not scanned that cycle."""
        rt = Runtime(mode=mode, detail=True)
        seen: list = []
        rt.run(two_goroutines_program(rt, seen))
        assert seen == [True]
        ev = rt.log.events
        begins = [i for i, e in enumerate(ev) if e.kind == GC_BEGIN]
        cycle2 = ev[begins[1] : begins[2]]
        assert "stack of goroutine 3" not in stack_roots(cycle2, 0, len(cycle2))


# -- checkmark on correct collectors ---------------------------------------------------


def churn_program(rt: Runtime, rounds: int = 4):
    """Three goroutines moving objects between two lists while cycles run (the lost-object move, repeated).

    Each step pushes a new object onto one list, unlinks an object from it
    into a stack local, yields, and pushes that object onto the other list.
    """
    rt.data.declare("A", POBJ)
    rt.data.declare("B", POBJ)

    def mover(g, n, src, dst):
        f = g.frame(LOCALS, "mover")
        for i in range(n):
            o = g.new(OBJ)
            hs = g.get_global(src)
            g.store(o, 0, g.load(hs, 0))
            g.store(hs, 0, o)
            first = g.load(hs, 0)
            x = (g.load(first, 0) or first) if i % 2 else first
            g.set_local(f, "tmp", x)
            if x == first:
                g.store(hs, 0, g.load(x, 0))  # pop the head
            else:
                g.store(first, 0, g.load(x, 0))  # splice out the second
            yield
            hd = g.get_global(dst)
            g.store(x, 0, g.load(hd, 0))
            g.store(hd, 0, x)
            g.set_local(f, "tmp", 0)
            if i % 97 == 96:
                g.store(g.get_global(dst), 0, 0)  # drop a whole list
            yield

    def main(g):
        for name in ("A", "B"):
            h = g.new(OBJ)
            g.set_global(name, h)
            for _ in range(150):
                o = g.new(OBJ)
                g.store(o, 0, g.load(h, 0))
                g.store(h, 0, o)
        g.go(mover, 300, "A", "B")
        g.go(mover, 300, "B", "A")
        for _ in range(rounds):
            yield from mover(g, 20, "A", "B")
            yield from g.gc()

    return main


#: small assists and worker quanta, so that marking spans many mutator steps
SLOW_MARK = CostModel(assist_min_work=128, worker_quantum=500, mark_miss=0)


class TestCheckmarkOnCorrectCollectors:
    """Checkmark finds nothing when the barrier is sound."""

    @pytest.mark.parametrize("mode", sorted(n for n, m in mbarrier.MODES.items() if m.safe))
    def test_no_lost_objects(self, mode):
        """Goroutines moving objects between lists during marking never make checkmark complain."""
        rt = Runtime(mode=mode, procs=2, policy="random", seed=1, checkmark=True, wbbuf_entries=8, cost=SLOW_MARK)
        rt.run(churn_program(rt))
        assert rt.gc.numgc == 4
        assert rt.log.of_kind("lost") == []
        assert all(r.lost == 0 for r in rt.gc.records)

    def test_the_same_program_loses_objects_without_a_barrier(self):
        """The program above really races with marking: under `none` checkmark finds lost objects (for some seeds)."""
        caught = []
        for seed in range(1, 9):
            rt = Runtime(mode="none", procs=2, policy="random", seed=seed, checkmark=True, cost=SLOW_MARK)
            try:
                rt.run(churn_program(rt))
            except LostObject as e:
                caught.append(str(e))
        assert caught, "no seed lost an object without a barrier"
        assert all(re.match(r"^checkmark: GC cycle \d+ \(none\) left reachable object", m) for m in caught)

    @pytest.mark.parametrize("mode", ["go1.5", "yuasa", "go1.8"])
    def test_barriers_fire_in_the_program(self, mode):
        """Marking overlaps the mutator: barrier events are logged during the program's cycles."""
        rt = Runtime(mode=mode, procs=2, policy="random", seed=1, detail=True, cost=SLOW_MARK)
        rt.run(churn_program(rt, rounds=1))
        assert len(rt.log.of_kind("barrier")) > 50

    def test_record_action_logs_instead_of_raising(self):
        """With checkmark_action='record' a lost object is logged and counted, and the program goes on."""
        rt = Runtime(mode="none", checkmark=True)
        rt.gc.checkmark_action = "record"
        objs: dict = {}
        run_inline(rt, lost_object_program(rt, objs))
        assert rt.gc.records[-1].lost == 1
        assert [x["addr"] for x in rt.gc.last_lost] == [objs[3]]


class TestMarkDone:
    """mark_done finishes marking only when no work is left anywhere, wbbufs included."""

    def test_refuses_while_grey_objects_remain(self):
        """With grey objects queued, mark_done returns False and the phase stays mark."""
        rt = Runtime()
        rt.data.declare("r", POBJ)

        def body(g):
            a = g.new(OBJ)
            g.store(a, 0, g.new(OBJ))
            g.set_global("r", a)
            rt.gc.start(g.p)
            return rt.gc.mark_done(g.p), rt.gc.phase

        rt2 = rt
        res = run_inline(rt2, body)
        assert res == (False, GC_MARK)

    def test_ragged_barrier_flushes_wbbufs_and_loops(self):
        """A pointer in another P's wbbuf is flushed and disposed to the global list; mark_done returns False."""
        rt = Runtime(procs=2)
        rt.data.declare("r", POBJ)

        def body(g):
            a = g.new(OBJ)
            b = g.new(OBJ)
            g.set_global("r", a)
            rt.gc.start(g.p)
            rt.gc.mark_step(g.p)  # everything reachable is black; b is white
            other = rt.sched.ps[1]
            other.wbbuf.append(b)  # as if P1's barrier had buffered it
            first = rt.gc.mark_done(g.p)
            flushed = (other.wbbuf == [], is_marked(rt, b), other.gcw.empty())
            finish_mark(rt, g.p)
            return first, flushed

        assert run_inline(rt, body) == (False, (True, True, True))
