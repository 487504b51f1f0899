"""Tests for ``gomem.runtime.mbarrier``: what each write barrier shades, where barriers fire, and the article's scenarios.

Each test drives the collector by hand from inside the main goroutine (one
scheduler step, so nothing interleaves) and reads the P's write barrier
buffer, the mark bits and the ``barrier`` events of a detail log.
"""

from __future__ import annotations

import pytest

from gomem.runtime import mbarrier
from gomem.runtime import types as gt
from gomem.errors import BadInput
from gomem.runtime.runtime import Runtime
from gomem.runtime.trace import BARRIER, WRITE

from gchelpers import colour, finish_mark, is_marked, run_inline

REG = gt.TypeRegistry()
NODE = REG.declare("Node", "struct { f *Node; a *Node; b *Node }")
PNODE = gt.pointer_to(NODE)
F, A, B = (NODE.field(n).offset for n in ("f", "a", "b"))
LOCALS = gt.struct_of([("x", PNODE), ("y", PNODE)])
#: G1's frame in the article's stack scenarios: four stack objects
G1_FRAME = gt.struct_of([("o1", NODE), ("o2", NODE), ("o3", NODE), ("o5", NODE)])

EXPECTED_SHADES = {
    "go1.5": ("dijkstra", False, True),
    "yuasa": ("yuasa", True, False),
    "go1.8": ("hybrid", True, True),
}


def local_off(frame, obj: str, fld: str = "f") -> int:
    """Offset in the frame of field *fld* of stack object *obj*."""
    return frame.type.field(obj).offset + NODE.field(fld).offset


class TestBarrierKinds:
    """Each barrier class says which of the old and new values a store shades."""

    @pytest.mark.parametrize(
        "cls, old, new",
        [
            (mbarrier.NoBarrier, False, False),
            (mbarrier.DijkstraInsertion, False, True),
            (mbarrier.YuasaDeletion, True, False),
            (mbarrier.Hybrid, True, True),
        ],
    )
    def test_shade_flags(self, cls, old, new):
        """Dijkstra shades only the new value, Yuasa only the old one, the hybrid both, none neither."""
        b = cls()
        assert (b.shades_old, b.shades_new) == (old, new)
        assert b.describe()

    def test_modes_table(self):
        """The six modes and the go1.5 variant pair a barrier with a root policy as the article's history has them."""
        got = {
            name: (type(m.barrier).__name__, m.stw_mark, m.stw_sweep, m.stacks.name, m.safe)
            for name, m in mbarrier.MODES.items()
        }
        assert got == {
            "stw": ("NoBarrier", True, True, "stw", True),
            "go1.3": ("NoBarrier", True, False, "stw", True),
            "go1.5": ("DijkstraInsertion", False, False, "rescan", True),
            "yuasa": ("YuasaDeletion", False, False, "snapshot", True),
            "go1.8": ("Hybrid", False, False, "concurrent", True),
            "none": ("NoBarrier", False, False, "concurrent", False),
            "go1.5-norescan": ("DijkstraInsertion", False, False, "norescan", False),
            # the model checker's broken variants (gomem check refutes each)
            "go1.8-noshade-old": ("HybridNoShadeOld", False, False, "concurrent", False),
            "go1.8-noshade-new": ("HybridNoShadeNew", False, False, "concurrent", False),
            "yuasa-nosnapshot": ("YuasaDeletion", False, False, "concurrent", False),
            "go1.8-allocwhite": ("Hybrid", False, False, "concurrent", False),
        }
        assert mbarrier.ARTICLE_MODES == ("stw", "go1.3", "go1.5", "yuasa", "go1.8", "none")
        assert mbarrier.MODES["go1.5-norescan"].variant_of == "go1.5"
        assert mbarrier.DEFAULT_MODE == "go1.8"
        assert [n for n, m in mbarrier.MODES.items() if not m.alloc_black] == ["go1.8-allocwhite"]
        assert {n: m.variant_of for n, m in mbarrier.MODES.items() if m.variant_of} == {
            "go1.5-norescan": "go1.5", "go1.8-noshade-old": "go1.8", "go1.8-noshade-new": "go1.8",
            "yuasa-nosnapshot": "yuasa", "go1.8-allocwhite": "go1.8",
        }

    def test_active_is_the_null_object_test(self):
        """Only the null barrier is inactive; the runtime's WriteBarrier says the same."""
        assert [n for n, m in mbarrier.MODES.items() if not m.barrier.active] == ["stw", "go1.3", "none"]
        assert Runtime(mode="none").barrier.active is False and Runtime(mode="go1.8").barrier.active is True

    def test_root_policy_hooks(self):
        """Root jobs and stack colours by policy: snapshot queues only the globals, go1.5 keeps stacks grey."""
        gs = ["g1", "g2"]

        class G:
            def __init__(self, name):
                self.name, self.status = name, "runnable"

        live = [G(n) for n in gs]
        jobs = {n: [j[0] for j in m.stacks.root_jobs(live)] for n, m in mbarrier.MODES.items()}
        assert jobs["yuasa"] == ["globals"]
        assert all(j == ["globals", "stack", "stack"] for n, j in jobs.items() if n != "yuasa")
        colours = {n: (m.stacks.stack_colour(False), m.stacks.stack_colour(True)) for n, m in mbarrier.MODES.items()}
        assert colours["go1.5"] == ("grey", "grey")
        assert all(c == ("grey", "black") for n, c in colours.items() if n != "go1.5")

    def test_unknown_mode(self):
        """An unknown mode name is bad input that lists the valid ones."""
        msg = (
            r"unknown GC mode 'go1\.4' \(modes: stw, go1\.3, go1\.5, yuasa, go1\.8, none, go1\.5-norescan, "
            r"go1\.8-noshade-old, go1\.8-noshade-new, yuasa-nosnapshot, go1\.8-allocwhite\)"
        )
        with pytest.raises(BadInput, match=msg):
            mbarrier.get_mode("go1.4")
        with pytest.raises(BadInput, match="unknown GC mode"):
            Runtime(mode="hybrid")


def heap_store_during_mark(mode: str, new_is_nil: bool = False):
    """Store A.f = C over old value B while marking, before any marking work; return what happened."""
    rt = Runtime(mode=mode, detail=True)

    def body(g):
        a, b, c = g.new(NODE), g.new(NODE), g.new(NODE)
        g.store(a, F, b)
        rt.gc.start(g.p)
        n0 = len(rt.log.events)
        new = 0 if new_is_nil else c
        g.store(a, F, new)
        events = [e for e in rt.log.events[n0:] if e.kind == BARRIER]
        buf = list(g.p.wbbuf)
        rt.gc.flush_wbbuf(g.p)
        marked = {name for name, x in (("old", b), ("new", c)) if is_marked(rt, x)}
        res = {"events": events, "buf": buf, "marked": marked, "a": a, "b": b, "c": c, "new": new}
        finish_mark(rt, g.p)
        return res

    return run_inline(rt, body)


class TestHeapWriteBarrier:
    """A heap pointer store during marking shades what the mode's barrier shades, and only that."""

    @pytest.mark.parametrize("mode", sorted(EXPECTED_SHADES))
    def test_shades_per_mode(self, mode):
        """go1.5 buffers and shades only the new value, yuasa only the old, go1.8 both."""
        r = heap_store_during_mark(mode)
        name, old, new = EXPECTED_SHADES[mode]
        assert [(e.data["slot"], e.data["old"], e.data["new"], e.data["barrier"]) for e in r["events"]] == [
            (r["a"] + F, r["b"], r["c"], name)
        ]
        assert r["buf"] == [x for x, on in ((r["b"], old), (r["c"], new)) if on]
        assert r["marked"] == {n for n, on in (("old", old), ("new", new)) if on}

    def test_none_has_no_barrier(self):
        """Under `none` a store during marking buffers nothing and shades nothing."""
        r = heap_store_during_mark("none")
        assert (r["events"], r["buf"], r["marked"]) == ([], [], set())

    @pytest.mark.parametrize("mode", sorted(EXPECTED_SHADES))
    def test_nil_is_never_buffered(self, mode):
        """Storing nil buffers only a non-nil old value (Go skips nil in the buffer)."""
        r = heap_store_during_mark(mode, new_is_nil=True)
        _, old, _ = EXPECTED_SHADES[mode]
        assert r["buf"] == ([r["b"]] if old else [])

    @pytest.mark.parametrize("mode", sorted(mbarrier.MODES))
    def test_no_barrier_outside_marking(self, mode):
        """With the collector off a store fires no barrier and costs a plain store."""
        rt = Runtime(mode=mode, detail=True)

        def body(g):
            a, b = g.new(NODE), g.new(NODE)
            t0 = g.p.now
            g.store(a, F, b)
            return g.p.now - t0, list(g.p.wbbuf)

        cost, buf = run_inline(rt, body)
        assert rt.log.of_kind(BARRIER) == []
        assert buf == []
        assert cost == rt.cost.ptr_store

    def test_barrier_cost_charged(self):
        """A store with the barrier on costs the barrier price instead of a plain store."""
        rt = Runtime(mode="go1.8")

        def body(g):
            a, b = g.new(NODE), g.new(NODE)
            rt.gc.start(g.p)
            t0 = g.p.now
            g.store(a, F, b)
            d = g.p.now - t0
            finish_mark(rt, g.p)
            return d

        assert run_inline(rt, body) == rt.cost.barrier

    def test_full_buffer_is_flushed(self):
        """When a P's buffer reaches wbbuf_entries it is flushed: the pointers are shaded and the buffer emptied."""
        rt = Runtime(mode="go1.8", wbbuf_entries=4)

        def body(g):
            objs = [g.new(NODE) for _ in range(5)]
            g.store(objs[0], F, objs[1])
            g.store(objs[2], F, objs[3])
            rt.gc.start(g.p)
            g.store(objs[0], F, objs[4])  # old 1, new 4: 2 entries
            mid = (len(g.p.wbbuf), is_marked(rt, objs[1]))
            g.store(objs[2], F, objs[4])  # old 3, new 4: 4 entries -> flush
            after = (len(g.p.wbbuf), [is_marked(rt, objs[i]) for i in (1, 3, 4)])
            finish_mark(rt, g.p)
            return mid, after

        assert run_inline(rt, body) == ((2, False), (0, [True, True, True]))


class TestStackAndGlobalWrites:
    """Stack writes never run a barrier; global writes do, like heap writes."""

    @pytest.mark.parametrize("mode", sorted(mbarrier.MODES))
    def test_stack_writes_never_fire(self, mode):
        """set_local during marking logs a stack write, fires no barrier and buffers nothing."""
        rt = Runtime(mode=mode, detail=True)

        def body(g):
            f = g.frame(LOCALS)
            a, b = g.new(NODE), g.new(NODE)
            g.set_local(f, "x", a)
            g.set_local(f, "y", b)
            rt.gc.start(g.p)  # stw and go1.3 run their whole mark here
            n0 = len(rt.log.events)
            g.set_local(f, "x", b)
            g.set_local(f, "y", 0)
            evs = rt.log.events[n0:]
            buf = list(g.p.wbbuf)
            if rt.gc.running:
                finish_mark(rt, g.p)
            return evs, buf

        evs, buf = run_inline(rt, body)
        assert [e.kind for e in evs] == [WRITE, WRITE]
        assert {e.data["where"] for e in evs} == {"stack"}
        assert buf == []

    @pytest.mark.parametrize("mode", sorted(EXPECTED_SHADES))
    def test_global_writes_fire(self, mode):
        """set_global during marking runs the mode's barrier on the global's slot."""
        rt = Runtime(mode=mode, detail=True)
        gv = rt.data.declare("root", PNODE)

        def body(g):
            b, c = g.new(NODE), g.new(NODE)
            g.set_global("root", b)
            rt.gc.start(g.p)
            n0 = len(rt.log.events)
            g.set_global("root", c)
            evs = [e for e in rt.log.events[n0:] if e.kind == BARRIER]
            buf = list(g.p.wbbuf)
            finish_mark(rt, g.p)
            return evs, buf, b, c

        evs, buf, b, c = run_inline(rt, body)
        name, old, new = EXPECTED_SHADES[mode]
        got = [(e.data["slot"], e.data["old"], e.data["new"], e.data["barrier"]) for e in evs]
        assert got == [(gv.addr, b, c, name)]
        assert buf == [x for x, on in ((b, old), (c, new)) if on]


# -- the article's barrier scenarios (scenarios.md §4, §5, §6, §9) ---------------------------


def insertion_scenario(mode: str, rescan: bool = True):
    """scenarios.md §4 by hand: returns (colours after the drain, objects freed, checkmark's lost objects)."""
    rt = Runtime(mode=mode if rescan else f"{mode}-norescan", checkmark=True)
    rt.gc.checkmark_action = "record"
    rt.data.declare("g4", PNODE)

    def body(g):
        fr = g.frame(G1_FRAME, "G1")
        g.set_local(fr, local_off(fr, "o1"), fr.addr("o2"))  # stack 1 -> 2
        g.set_local(fr, local_off(fr, "o2"), fr.addr("o3"))  # stack 2 -> 3
        o = {i: g.new(NODE) for i in (4, 6, 7, 8, 9)}
        g.set_global("g4", o[4])
        g.store(o[4], F, o[7])
        g.store(o[7], A, o[8])
        g.store(o[7], B, o[9])
        rt.gc.start(g.p)
        rt.gc.mark_step(g.p, objects=1)  # scan stack G1 and globals; scan 4
        g.store(o[4], F, g.load(o[7], A))  # 4.f = 7.a
        g.set_local(fr, local_off(fr, "o1"), g.load(o[7], B))  # 1.f = 7.b (stack write)
        g.store(o[7], A, 0)
        g.store(o[7], B, 0)
        rt.gc.flush_wbbuf(g.p)
        rt.gc.mark_step(g.p)  # drain
        before = {i: colour(rt, o[i]) for i in (4, 7, 8, 9)}
        finish_mark(rt, g.p)  # mark termination (go1.5: STW stack rescan)
        rt.heap.sweeper.finish()
        freed = {i for i in o if rt.heap.find_object(o[i]) is None}
        lost = {i for i in o for x in (rt.gc.last_lost or []) if x["addr"] == o[i]}
        return before, freed, lost

    return run_inline(rt, body)


class TestInsertionBarrierScenario:
    """scenarios.md §4: Dijkstra's barrier misses a stack write; only the STW rescan saves object 9."""

    def test_go15_rescan_saves_9(self):
        """go1.5: after the drain 9 is white though stack object 1 points to it; the rescan keeps it; 6 is freed."""
        before, freed, lost = insertion_scenario("go1.5")
        assert before == {4: "black", 7: "black", 8: "black", 9: "white"}
        assert freed == {6}
        assert lost == set()

    def test_go15_without_rescan_loses_9(self):
        """The model-checker variant of go1.5 with the STW rescan switched off loses 9 (8 is saved by the barrier)."""
        before, freed, lost = insertion_scenario("go1.5", rescan=False)
        assert before[9] == "white"
        assert (lost, freed) == ({9}, {6, 9})

    def test_none_loses_8_and_9(self):
        """Without a barrier both the heap-moved 8 and the stack-moved 9 are lost."""
        before, freed, lost = insertion_scenario("none")
        assert before[8] == before[9] == "white"
        assert lost == {8, 9}
        assert freed == {6, 8, 9}

    @pytest.mark.parametrize("mode", ["yuasa", "go1.8"])
    def test_deletion_keeps_both(self, mode):
        """yuasa and go1.8 shade 8 and 9 when 7.a and 7.b are cleared."""
        before, freed, lost = insertion_scenario(mode)
        assert before[8] == before[9] == "black"
        assert (freed, lost) == ({6}, set())


def deletion_scenario(mode: str):
    """scenarios.md §5: returns which of 1..5, 7 are allocated after cycle 1 and after cycle 2."""
    rt = Runtime(mode=mode)
    rt.data.declare("g1", PNODE)
    rt.data.declare("g4", PNODE)

    def body(g):
        o = {i: g.new(NODE) for i in (1, 2, 3, 4, 5, 7)}
        g.set_global("g1", o[1])
        g.set_global("g4", o[4])
        for a, b in ((1, 5), (5, 2), (2, 3), (4, 7)):
            g.store(o[a], F, o[b])
        alive = []
        rt.gc.start(g.p)  # GC start (stacks snapshotted with the world stopped)
        g.store(o[1], F, 0)  # 1.f = nil
        finish_mark(rt, g.p)
        rt.heap.sweeper.finish()
        alive.append({i for i in o if rt.heap.find_object(o[i]) is not None})
        rt.gc.start(g.p)
        finish_mark(rt, g.p)
        rt.heap.sweeper.finish()
        alive.append({i for i in o if rt.heap.find_object(o[i]) is not None})
        return alive

    return run_inline(rt, body)


class TestDeletionBarrierScenario:
    """scenarios.md §5: Yuasa's barrier keeps what was deleted during marking as floating garbage."""

    def test_yuasa_floating_garbage(self):
        """5, 2 and 3 survive cycle 1 (shaded by the deletion) and are freed in cycle 2."""
        assert deletion_scenario("yuasa") == [{1, 2, 3, 4, 5, 7}, {1, 4, 7}]

    def test_go15_frees_at_once(self):
        """The insertion barrier does not shade the deleted 5: it is freed in cycle 1."""
        assert deletion_scenario("go1.5") == [{1, 4, 7}, {1, 4, 7}]


def hybrid_scenario(mode: str, which: int, cycles: int = 2):
    """scenarios.md §6 (hybrid-1) and §9 (hybrid-4): returns the objects alive after cycles 1 and 2, and lost ones."""
    rt = Runtime(mode=mode, checkmark=True)
    rt.gc.checkmark_action = "record"
    rt.data.declare("g4", PNODE)

    def body(g):
        fr = g.frame(G1_FRAME, "G1")
        o = {i: g.new(NODE) for i in (2, 3, 4, 7)}
        g.set_global("g4", o[4])
        g.store(o[4], F, o[7])
        if which == 4:
            g.set_local(fr, local_off(fr, "o1"), o[2])
            g.store(o[2], F, o[3])
        rt.gc.start(g.p)
        # scan the stack (and the globals root job): 4 grey, 4 not yet scanned
        while rt.gc.root_jobs:
            g.p.now += rt.gc.markroot(g.p)
        if which == 1:
            g.set_local(fr, local_off(fr, "o1"), g.load(o[4], F))  # 1.f = 7 (stack write)
            g.store(o[4], F, 0)  # 4.f = nil
        else:
            g.set_local(fr, local_off(fr, "o1"), 0)  # 1.f = nil (stack write)
            g.store(o[4], F, 0)  # 4.f = nil: shades 7
            g.store(o[4], F, o[2])  # 4.f = 2: shades 2
        alive = []
        lost = set()
        for c in range(cycles):
            if c:
                rt.gc.start(g.p)
            finish_mark(rt, g.p)
            lost |= {i for i in o for x in (rt.gc.last_lost or []) if x["addr"] == o[i]}
            rt.heap.sweeper.finish()
            alive.append({i for i in o if rt.heap.find_object(o[i]) is not None})
        return alive, lost

    return run_inline(rt, body)


class TestHybridScenarios:
    """scenarios.md §6-9: the hybrid barrier after the stacks are scanned, with no rescan."""

    def test_hybrid1_go18_keeps_7(self):
        """Heap object loses 7 while the scanned stack gains it: the deletion half shades 7."""
        alive, lost = hybrid_scenario("go1.8", 1)
        assert alive == [{4, 7}, {4, 7}]
        assert lost == set()

    def test_hybrid1_none_loses_7(self):
        """Without a barrier the same moves lose 7 (the stack was already scanned)."""
        alive, lost = hybrid_scenario("none", 1, cycles=1)
        assert lost == {7}
        assert alive == [{4}]

    def test_hybrid4_floating_garbage(self):
        """2 and 3 survive through 4; 7, shaded by the deletion, is floating garbage freed in the next cycle."""
        alive, lost = hybrid_scenario("go1.8", 4)
        assert alive == [{2, 3, 4, 7}, {2, 3, 4}]
        assert lost == set()
