"""Tests for ``gomem.runtime.sched``: policies, determinism, the virtual clock, stop-the-world and mark worker counts."""

from __future__ import annotations

import pytest

from gomem.runtime import types as gt
from gomem.errors import BadInput, GomemError
from gomem.runtime.mgcpacer import Pacer
from gomem.runtime.runtime import Runtime
from gomem.runtime.sched import G, G_DEAD, G_RUNNABLE, CostModel, P, Scheduler

REG = gt.TypeRegistry()
OBJ = REG.declare("Obj", "struct { f *Obj; id int }")
POBJ = gt.pointer_to(OBJ)
LOCALS = gt.struct_of([("head", POBJ)])

#: facts §5.5 (mgcpacer.go startCycle): GOMAXPROCS -> (dedicated workers, fractional utilization goal)
WORKER_TABLE = {
    1: (0, 0.25),
    2: (0, 0.25),
    3: (0, 0.25),
    4: (1, 0.0),
    5: (1, 0.0),
    6: (1, 0.0833),
    7: (2, 0.0),
    8: (2, 0.0),
    9: (2, 0.0),
    10: (3, 0.0),
    12: (3, 0.0),
    14: (4, 0.0),
    16: (4, 0.0),
}


def interleaving(policy: str, seed: int = 1, chooser=None, procs: int = 1) -> list[tuple[str, int]]:
    """The order in which three goroutines run their three steps each."""
    rt = Runtime(procs=procs, policy=policy, seed=seed)
    if chooser is not None:
        rt.sched.chooser = chooser
    order: list[tuple[str, int]] = []

    def worker(g, name):
        for i in range(3):
            order.append((name, i))
            yield

    def main(g):
        gs = [g.go(worker, n, name=n) for n in "ABC"]
        while any(x.status != G_DEAD for x in gs):
            yield

    rt.run(main)
    return order


def busy_program(rt: Runtime):
    """Goroutines allocating lists, with collections, for determinism checks."""
    rt.data.declare("root", POBJ)

    def worker(g, n):
        f = g.frame(LOCALS)
        for i in range(n):
            o = g.new(OBJ)
            g.store(o, 0, g.get_local(f, "head"))
            g.set_local(f, "head", o if i % 40 else 0)
            if i % 25 == 0:
                g.set_global("root", o)
                yield

    def main(g):
        for k in range(3):
            g.go(worker, 400 + 100 * k)
        yield from worker(g, 300)
        yield from g.gc()
        yield from worker(g, 300)

    return main


class TestPolicies:
    """rr runs goroutines first-in first-out, random by a seeded choice, external by a caller's function."""

    def test_round_robin(self):
        """Round robin: every goroutine takes a step in turn, in creation order."""
        assert interleaving("rr") == [(n, i) for i in range(3) for n in "ABC"]

    def test_external(self):
        """External: the chooser decides; here the newest runnable goroutine always goes first."""
        seen = []

        def newest(p, runnable):
            seen.append([g.name for g in runnable])
            return max(runnable, key=lambda g: g.id)

        assert interleaving("external", chooser=newest) == [(n, i) for n in "CBA" for i in range(3)]
        assert all(isinstance(x, list) for x in seen) and ["main"] == seen[0]

    def test_external_without_chooser(self):
        """The external policy without a chooser is an error, not a crash."""
        with pytest.raises(BadInput, match="external scheduling policy needs a chooser"):
            interleaving("external")

    def test_random_is_seeded(self):
        """random: the same seed gives the same interleaving, and some seed differs from round robin."""
        assert interleaving("random", seed=5) == interleaving("random", seed=5)
        orders = {tuple(interleaving("random", seed=s)) for s in range(1, 9)}
        assert len(orders) > 1
        assert any(o != tuple(interleaving("rr")) for o in orders)
        for o in orders:
            assert sorted(o) == sorted(interleaving("rr"))  # every step runs exactly once

    def test_unknown_policy(self):
        """A policy other than rr, random or external is bad input."""
        with pytest.raises(BadInput, match=r"unknown scheduling policy 'fifo' \(rr, random, external\)"):
            Scheduler(1, "fifo")


class TestDeterminism:
    """The same program, policy and seed give the same run, event for event."""

    @pytest.mark.parametrize("policy, procs", [("rr", 1), ("rr", 4), ("random", 4)])
    def test_same_seed_same_log(self, policy, procs):
        """Two runs give byte-identical detail event logs and cycle records."""

        def run():
            rt = Runtime(procs=procs, policy=policy, seed=42, detail=True)
            rt.run(busy_program(rt))
            return [str(e) for e in rt.log.events], [r.as_dict() for r in rt.gc.records], rt.now

        a, b = run(), run()
        assert a == b
        assert len(a[0]) > 1000 and a[1]

    def test_different_seed_different_run(self):
        """A different seed changes the random interleaving (and so the log)."""

        def log(seed):
            rt = Runtime(procs=4, policy="random", seed=seed, detail=True)
            rt.run(busy_program(rt))
            return [str(e) for e in rt.log.events]

        assert log(1) != log(2)


class TestClock:
    """Each P has a clock; the earliest P runs next; stop-the-world meets at the latest clock."""

    def test_next_p_is_the_earliest(self):
        """next_p picks the smallest clock, ties going to the lowest P id."""
        s = Scheduler(3)
        s.ps[0].now, s.ps[1].now, s.ps[2].now = 50, 20, 20
        assert s.next_p() is s.ps[1]
        assert s.now == 50

    def test_stop_the_world_at_the_max_clock(self):
        """stop_the_world returns the latest clock and brings every P to it; start_the_world restarts all at t."""
        s = Scheduler(4)
        for p, t in zip(s.ps, (10, 400, 7, 399)):
            p.now = t
        assert s.stop_the_world() == 400
        assert [p.now for p in s.ps] == [400] * 4
        assert s.stw_count == 1
        s.start_the_world(3400)
        assert [p.now for p in s.ps] == [3400] * 4

    def test_gc_pauses_align_every_p(self):
        """In a run, every STW start is at or after every P's clock before it, and all Ps restart together."""
        rt = Runtime(procs=4, policy="random", seed=3)
        clocks = []

        def watch(ev):
            if ev.kind in ("stw-start", "stw-stop"):
                clocks.append((ev.kind, ev.t, [p.now for p in rt.sched.ps]))

        rt.log.subscribers.append(watch)
        rt.run(busy_program(rt))
        assert clocks
        for kind, t, ps in clocks:
            assert ps == [t] * 4, (kind, t, ps)

    def test_ready_and_pick(self):
        """spawn queues a goroutine as runnable on the current P's local queue; pick removes it from the queue."""
        rt = Runtime()
        s = rt.sched

        def noop(g):
            yield

        g = rt.spawn(noop)
        assert g.status == G_RUNNABLE and list(s.ps[0].runq) == [g] and not s.runq
        assert s.pick(s.ps[0]) is g
        assert s.pick(s.ps[0]) is None

    def test_p_repr(self):
        """A P shows its id and clock."""
        p = P(3)
        p.now = 12
        assert repr(p) == "<P3 t=12>"


def _gs(n: int, ready_at: int = 0):
    """*n* bare goroutines, runnable from *ready_at*."""
    gs = []
    for i in range(n):
        g = G(i + 1, f"g{i + 1}", None, None)
        g.ready_at = ready_at
        gs.append(g)
    return gs


class TestRunQueues:
    """Go's run queues (proc.go): runnext, the local queue, the global queue, 1-in-61 fairness, stealing."""

    def test_runnext_then_local_then_global(self):
        """findRunnable takes runnext, then the local queue's head, then the global queue."""
        s = Scheduler(1)
        p = s.ps[0]
        p.schedtick = 1  # not a fairness tick
        a, b, c, d = _gs(4)
        s.gosched(c)  # global
        s.ready(a, p)  # local tail
        s.put_next(p, b)  # runnext
        s.put_next(p, d)  # displaces b to the local tail
        assert [s.pick(p) for _ in range(5)] == [d, a, b, c, None]

    def test_every_61st_schedule_takes_from_the_global_queue(self):
        """With the local queue busy, the global queue still runs at schedtick % 61 == 0."""
        s = Scheduler(1)
        p = s.ps[0]
        local = _gs(100)
        glob = G(999, "global", None, None)
        s.gosched(glob)
        order = []
        for g in local:
            s.ready(g, p)
        p.schedtick = 1
        while (g := s.pick(p)) is not None:
            order.append(g)
            if g is not glob:
                s.ready(g, p)  # goes on running: back to the tail
            if len(order) > 70:
                break
        assert order.index(glob) == 60  # schedticks 1..60 from the local queue, the 61st from the global

    def test_a_full_local_queue_moves_half_to_the_global_queue(self):
        """runqputslow: the 257th goroutine sends 128 and itself to the global queue."""
        s = Scheduler(1)
        p = s.ps[0]
        gs = _gs(257)
        for g in gs:
            s.ready(g, p)
        assert list(p.runq) == gs[128:256]
        assert list(s.runq) == gs[:128] + [gs[256]]

    def test_an_idle_p_steals_half_and_runs_the_last_it_took(self):
        """runqsteal takes the first ceil(n/2) of the victim's queue; the thief runs the last of them."""
        s = Scheduler(2)
        p0, p1 = s.ps
        gs = _gs(5)
        for g in gs:
            s.ready(g, p0)
        p1.schedtick = 1
        assert s.pick(p1) is gs[2]
        assert list(p1.runq) == gs[:2] and list(p0.runq) == gs[3:]

    def test_runnext_is_stolen_only_after_the_owner_had_3us(self):
        """A thief takes another P's runnext last, and only once it has waited there 3 us (runqgrab's usleep)."""
        s = Scheduler(2)
        p0, p1 = s.ps
        (g,) = _gs(1, ready_at=1000)
        s.put_next(p0, g)
        p1.now = 1000 + 2999
        p1.schedtick = 1
        assert s.pick(p1) is None
        p1.now = 1000 + 3000
        assert s.pick(p1) is g and p0.runnext is None

    def test_an_idle_p_waits_for_a_runnext_it_may_steal(self):
        """A P whose only work is another P's fresh runnext is idle until the 3 us are up, not deadlocked."""
        s = Scheduler(2)
        p0, p1 = s.ps
        (g,) = _gs(1, ready_at=1000)
        s.put_next(p0, g)
        assert s.next_ready(1500, p1) == 4000
        assert s.next_ready(1500) is None  # its own P may run it now

    def test_a_goroutine_readied_later_is_not_yet_runnable(self):
        """Model time: no P runs a goroutine before the step that readied it has ended."""
        s = Scheduler(2)
        p0, p1 = s.ps
        early, late = _gs(1, ready_at=10)[0], _gs(1, ready_at=500)[0]
        s.ready(late, p0)
        s.ready(early, p0)
        p1.now = 100
        p1.schedtick = 1
        assert s.pick(p1) is early and list(p0.runq) == [late]

    def test_a_preempted_compiled_goroutine_goes_to_the_global_queue(self, tmp_path):
        """Gosched (goschedImpl) puts the goroutine on the global queue; the other goroutine runs first."""
        from tests.gorunhelpers import run

        src = """package main

import (
	"fmt"
	"runtime"
)

func main() {
	done := make(chan bool)
	go func() {
		for i := 0; i < 3; i++ {
			fmt.Println("worker", i)
			runtime.Gosched()
		}
		done <- true
	}()
	for i := 0; i < 3; i++ {
		fmt.Println("main", i)
		runtime.Gosched()
	}
	<-done
}
"""
        out = run(src, tmp_path, procs=1)[0]
        assert out.split("\n")[:6] == ["main 0", "worker 0", "main 1", "worker 1", "main 2", "worker 2"]


class TestWorkerCounts:
    """Dedicated and fractional mark workers per GOMAXPROCS, as Go's startCycle computes them."""

    @pytest.mark.parametrize("procs", sorted(WORKER_TABLE))
    def test_pacer_table(self, procs):
        """25% of GOMAXPROCS, rounded to whole dedicated workers, the rest fractional when rounding is >30% off."""
        pacer = Pacer(100, procs)
        pacer.start_cycle(0, 0, procs)
        ded, frac = WORKER_TABLE[procs]
        assert pacer.dedicated_workers == ded
        assert pacer.fractional_goal == pytest.approx(frac, abs=5e-5)

    @pytest.mark.parametrize("procs", [1, 4, 6, 8, 16])
    def test_dedicated_ps_in_a_cycle(self, procs):
        """At cycle start the first `dedicated` Ps are marked to run a dedicated worker."""
        rt = Runtime(procs=procs)
        got = []

        def main(g):
            rt.gc.start(g.p)
            got.append([p.dedicated for p in rt.sched.ps])
            yield from g.gc()

        rt.run(main)
        ded, _ = WORKER_TABLE[procs]
        assert got == [[i < ded for i in range(procs)]]

    def test_gomaxprocs_bounds(self):
        """GOMAXPROCS must be 1..256."""
        with pytest.raises(BadInput, match="GOMAXPROCS must be between 1 and 256, got 0"):
            Runtime(procs=0)
        with pytest.raises(BadInput, match="got 257"):
            Runtime(procs=257)


class TestCostModel:
    """The cost model's prices can be overridden by NAME=VALUE, with checks."""

    def test_override(self):
        """override returns a copy with the new prices; the original is unchanged."""
        c = CostModel()
        d = c.override(["stw=10", "alloc=1"])
        assert (d.stw, d.alloc, c.stw) == (10, 1, CostModel().stw)
        assert "worker_quantum" in CostModel.names()

    @pytest.mark.parametrize(
        "text, msg",
        [
            ("nope=1", r"unknown cost 'nope' \(costs: alloc, "),
            ("stw", r"cost stw: want stw=NS"),
            ("stw=fast", r"cost stw: 'fast' is not an integer number of ns"),
            ("stw=-1", r"cost stw: must not be negative"),
        ],
    )
    def test_bad_override(self, text, msg):
        """Unknown names, non-integers and negative prices are bad input."""
        with pytest.raises(BadInput, match=msg):
            CostModel().override([text])

    def test_costs_advance_the_clock(self):
        """A goroutine's allocation advances its P's clock by the alloc price."""
        rt = Runtime(cost=CostModel(alloc=1000))

        def main(g):
            t0 = g.now
            g.new(OBJ)
            return g.now - t0
            yield  # pragma: no cover

        assert rt.run(main).result >= 1000


class TestDeadlock:
    """A program whose goroutines all wait forever stops with Go's fatal error."""

    def test_all_asleep(self):
        """Main waiting with nothing runnable and no collector running is a deadlock."""
        rt = Runtime()

        def main(g):
            g.status = "waiting"
            yield

        with pytest.raises(GomemError, match="all goroutines are asleep - deadlock!"):
            rt.run(main)
