"""The ``random`` workload: parameters, output, determinism, what it exercises."""

from __future__ import annotations

import re

import pytest

from gomem.cmd import cli
from gomem import workloads
from gomem.errors import BadInput
from gomem.runtime.mgc import LostObject
from gomem.runtime.runtime import Runtime
from gomem.workloads import random_prog

W = workloads.get("random")

SMALL = ["steps=80", "objects=20", "goroutines=3", "ballast=64"]


def _run(assign: list[str], mode: str = "go1.8", procs: int = 2, seed: int = 1, policy: str = "rr", **kw):
    rt = Runtime(procs=procs, mode=mode, seed=seed, policy=policy, gogc=25, checkmark=True, clobberfree=True, **kw)
    g = rt.run(W.main, W.resolve(assign))
    return rt, g.result


def test_registered_with_parameters() -> None:
    assert W in workloads.all_workloads()
    assert W.name == "random"
    values = W.resolve([])
    assert values == {"seed": 0, "goroutines": 4, "steps": 2000, "objects": 200, "globals": 8, "ballast": 512}
    assert W.resolve(["goroutines=2", "steps=10", "seed=9"])["goroutines"] == 2


@pytest.mark.parametrize(
    "bad",
    ["goroutines=0", "steps=0", "objects=1", "globals=-1", "seed=-3", "ballast=-1", "steps=many", "depth=3"],
)
def test_bad_parameters_are_rejected(bad: str) -> None:
    with pytest.raises(BadInput):
        W.resolve([bad])


def test_output_lines() -> None:
    rt, result = _run(SMALL + ["seed=5", "globals=3"])
    out = result["output"]
    assert out[0] == "random program seed=5 goroutines=3 steps=80 objects=20 globals=3 ballast=64KiB"
    ops = dict(kv.split("=") for kv in out[1].removeprefix("ops: ").split())
    assert set(ops) == {"alloc", "move", "delete", "hide", "interior", "call", "spawn", "gc", "scalar"}
    assert int(ops["alloc"]) > 0 and int(ops["move"]) > 0
    m = re.fullmatch(r"goroutines started: (\d+)", out[2])
    assert m and int(m[1]) == 3 + int(ops["spawn"])
    assert out[3] == f"GC cycles: {rt.gc.numgc}"
    assert re.fullmatch(r"reachable at exit: \d+ objects", out[4])
    assert len(out) == 5


def test_same_seed_same_program_different_seed_different_program() -> None:
    a = _run(SMALL + ["seed=11"])[1]["output"]
    b = _run(SMALL + ["seed=11"])[1]["output"]
    c = _run(SMALL + ["seed=12"])[1]["output"]
    assert a == b
    assert a[1:] != c[1:]


def test_seed_zero_derives_from_the_runtime_seed() -> None:
    a = _run(SMALL, seed=3)[1]["output"][0]
    b = _run(SMALL, seed=3)[1]["output"][0]
    c = _run(SMALL, seed=4)[1]["output"][0]
    assert a == b != c
    assert "seed=0 " not in a


def test_gctrace_and_memstats_are_deterministic() -> None:
    def once():
        lines: list[str] = []
        rt, result = _run(SMALL + ["seed=2"], procs=3, policy="random", gctrace=lines.append)
        return lines, rt.heap.read_memstats(next_gc=rt.gc.heap_goal()).as_dict(), result
    first = once()
    assert first[0]
    assert once() == first


def test_exercises_what_it_promises() -> None:
    """Goroutine spawns, stack growth (pools and large stacks), hides, forced GCs, large objects."""
    large_stacks = 0
    for seed in (21, 22, 23):
        rt, result = _run([f"seed={seed}", "steps=400", "goroutines=4", "objects=60", "ballast=64"], procs=4)
        ops = dict(kv.split("=") for kv in result["output"][1].removeprefix("ops: ").split())
        for op in ("hide", "spawn", "gc", "call", "interior"):
            assert int(ops[op]) > 0, op
        assert len(rt.sched.allgs) > 4
        assert any(g.stack.copies for g in rt.sched.allgs)
        large_stacks += sum(g.stack.size >= 32 << 10 for g in rt.sched.allgs)
        assert rt.heap.stats.large_alloc_count > 1  # the far table's chain and random large objects
        assert rt.gc.num_forced > 0
    assert large_stacks > 0


@pytest.mark.parametrize("mode", ["stw", "go1.3", "go1.5", "yuasa", "go1.8"])
@pytest.mark.parametrize("procs", [1, 4])
def test_safe_modes_smoke(mode: str, procs: int) -> None:
    rt, result = _run(SMALL + ["seed=4"], mode=mode, procs=procs, policy="random")
    assert rt.gc.numgc >= 1


def test_no_barrier_loses_an_object() -> None:
    lost = 0
    for seed in range(1, 11):
        try:
            _run(["steps=150", "objects=40", "goroutines=3", "ballast=64", f"seed={seed}"], mode="none", procs=2)
        except LostObject as e:
            lost += 1
            assert e.lost and "(none) left reachable object" in str(e)
    assert lost >= 5


def test_globals_zero_and_one_goroutine() -> None:
    rt, result = _run(["steps=50", "objects=2", "globals=0", "goroutines=1", "ballast=0", "seed=8"], procs=1)
    spawned = int(re.search(r"spawn=(\d+)", result["output"][1])[1])
    assert result["output"][2] == f"goroutines started: {1 + spawned}"
    assert not rt.data.get("near").type.noscan


def test_program_keeps_its_pointers_rooted() -> None:
    """Between yields the program holds no address in a Python variable only.

    The stop-the-world modes collect inside an allocation; with clobberfree,
    any pointer the program held only in Python and used later would be
    caught as dangling.  Running every seed in the safety suite under
    ``stw`` checks this; here, a longer program with every allocation
    shape.
    """
    rt, result = _run(["seed=13", "steps=600", "goroutines=3", "objects=40", "ballast=0"], mode="stw", procs=2)
    assert rt.gc.numgc > 3


def test_cli_run_reports_a_lost_object(capsys: pytest.CaptureFixture[str]) -> None:
    """``gomem run random --gc none --checkmark`` exits with the lost-object status and says why."""
    statuses = set()
    for seed in (1, 2, 3):
        status = cli.main(
            ["run", "random", "--gc", "none", "--checkmark", "--procs", "4", "--seed", str(seed)]
            + [f"--param={a}" for a in ("steps=150", "objects=40", "ballast=64")]
        )
        statuses.add(status)
    err = capsys.readouterr().err
    assert LostObject.exit_status in statuses
    assert "left reachable object" in err and "path: " in err


def test_cli_run_safe_mode_succeeds(capsys: pytest.CaptureFixture[str]) -> None:
    status = cli.main(
        ["run", "random", "--gc", "go1.8", "--checkmark", "--procs", "2", "--seed", "5"]
        + [f"--param={a}" for a in ("steps=100", "objects=20", "ballast=64")]
    )
    out = capsys.readouterr().out
    assert status == 0
    assert out.startswith("random program seed=")


def test_layout_side_table_is_only_static_knowledge() -> None:
    """The program learns pointer layouts at allocation, like compiled code from static types."""
    assert random_prog.T7.pointer_offsets() == tuple(range(0, 56, 8))
    assert random_prog.BIG.size > 512  # a malloc-header object
    assert random_prog.HUGE_CALLEE.size >= 32 << 10  # its frame moves the stack out of the pools
