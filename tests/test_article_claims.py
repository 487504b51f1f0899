"""The seed article's claims about pauses, as asserted tests in model time.

The article's history of Go's collector comes down to three claims about
stop-the-world pauses:

1. under ``stw`` (Go <= 1.2) and ``go1.3`` the whole mark runs with the
   world stopped, so the longest pause grows with the live heap;
2. under ``go1.5`` (Dijkstra insertion barrier, stacks without a barrier)
   mark termination rescans every goroutine stack with the world stopped, so
   that pause grows with the total stack size;
3. under ``go1.8`` (hybrid barrier, stacks scanned once, concurrently) the
   pauses stay flat as the heap grows tenfold — and as the stacks grow.

Each is shown on a small program run twice, at one size and at a larger
one.  Pauses are read from ``rt.gc.records[i].pauses`` (phases "sweep
termination", "mark" — the stop-the-world mark of stw/go1.3 — and "mark
termination"); times are the cost model's nanoseconds (:class:`CostModel`),
not the host's.  Each program ends with two ``runtime.GC()`` calls, so every
mode gets at least two full cycles over the same live set.
"""

from __future__ import annotations

import pytest

from gomem.runtime import types as gotypes
from gomem.runtime.arena import ARENA_BASE_ADDR
from gomem.runtime.runtime import Runtime
from gomem.workloads import churn

SWEEP_TERM, MARK, MARK_TERM = "sweep termination", "mark", "mark termination"


def max_pauses(rt: Runtime) -> dict[str, int]:
    """Longest pause of each phase over the run, ns; key "max" is the longest of all."""
    out: dict[str, int] = {SWEEP_TERM: 0, MARK: 0, MARK_TERM: 0}
    for c in rt.gc.records:
        for phase, _start, ns in c.pauses:
            out[phase] = max(out[phase], ns)
    out["max"] = max(out.values())
    return out


# -- claims 1 and 3: the live heap --------------------------------------------------------

SMALL_LIVE = 8192
HEAP_GROWTH = 10


def churn_then_gc(g, params):
    """The churn workload over a live set, then two runtime.GC() calls."""
    res = yield from churn.main(g, params)
    yield from g.gc()
    yield from g.gc()
    return res


_heap_runs: dict[tuple[str, int], tuple[dict[str, int], int]] = {}


def heap_run(mode: str, live: int) -> tuple[dict[str, int], int]:
    """(longest pauses, bytes marked by the last cycle) for churn with *live* objects under *mode*."""
    key = (mode, live)
    if key not in _heap_runs:
        rt = Runtime(procs=1, mode=mode)
        params = {"live": live, "static": live // 16, "replacements": live, "ptrs": 4, "seed": 1}
        rt.run(churn_then_gc, params)
        assert rt.gc.numgc >= 2
        _heap_runs[key] = (max_pauses(rt), rt.gc.records[-1].heap2)
    return _heap_runs[key]


@pytest.mark.parametrize("mode", ["stw", "go1.3"])
def test_stop_the_world_pause_grows_with_live_heap(mode):
    """stw/go1.3: ten times the live heap gives (about) ten times the longest pause."""
    small, live_small = heap_run(mode, SMALL_LIVE)
    big, live_big = heap_run(mode, SMALL_LIVE * HEAP_GROWTH)
    assert 8 <= live_big / live_small <= 12
    growth = big["max"] / small["max"]
    assert 5 <= growth <= 20, (small, big)
    # the growth is the stop-the-world mark: it is the longest pause
    assert big["max"] == big[MARK]


def test_stw_also_sweeps_in_the_pause():
    """stw (Go <= 1.2) sweeps with the world stopped, go1.3 concurrently: only stw's mark termination grows."""
    stw_small, _ = heap_run("stw", SMALL_LIVE)
    stw_big, _ = heap_run("stw", SMALL_LIVE * HEAP_GROWTH)
    g13_small, _ = heap_run("go1.3", SMALL_LIVE)
    g13_big, _ = heap_run("go1.3", SMALL_LIVE * HEAP_GROWTH)
    assert stw_big[MARK_TERM] >= 5 * stw_small[MARK_TERM]
    assert g13_big[MARK_TERM] <= 1.5 * g13_small[MARK_TERM]


def test_hybrid_barrier_pauses_flat_as_heap_grows_tenfold():
    """go1.8: every pause phase stays within 1.5x while the live heap grows 10x."""
    small, live_small = heap_run("go1.8", SMALL_LIVE)
    big, live_big = heap_run("go1.8", SMALL_LIVE * HEAP_GROWTH)
    assert 8 <= live_big / live_small <= 12
    for phase in (SWEEP_TERM, MARK_TERM, "max"):
        assert big[phase] <= 1.5 * small[phase], (phase, small, big)
    assert big[MARK] == 0  # no stop-the-world mark at all
    # and far below the stop-the-world collector on the same heap
    stw_big, _ = heap_run("go1.3", SMALL_LIVE * HEAP_GROWTH)
    assert big["max"] * 50 < stw_big["max"]


# -- claims 2 and 3: the stacks --------------------------------------------------------------

SLOTS = 64  #: pointer slots per frame: 512-byte frames


def _frame_type() -> gotypes.GoType:
    node = gotypes.default_registry().get("Node")
    return gotypes.struct_of([("p", gotypes.array_of(gotypes.pointer_to(node), SLOTS))])


def deep(g, depth: int, state: dict):
    """A goroutine `depth` calls deep, each frame holding pointers to heap Nodes; then it waits."""
    ft = _frame_type()
    node = gotypes.default_registry().get("Node")
    for d in range(depth):
        f = g.frame(ft, f"deep{d}")
        for k in range(0, SLOTS, 16):
            v = g.new(node)
            # a stack write into this goroutine's own frame (what set_local does, no barrier)
            g.rt.words[(f.addr("p") + 8 * k - ARENA_BASE_ADDR) >> 3] = v
        yield
    state["ready"] += 1
    while not state["done"]:
        yield


def stacks_program(g, ngoroutines: int, depth: int):
    state = {"ready": 0, "done": False}
    for _ in range(ngoroutines):
        g.go(deep, depth, state)
    while state["ready"] < ngoroutines:
        yield
    yield from g.gc()
    yield from g.gc()
    state["done"] = True


FEW = (4, 1)  #: 4 goroutines with one 512-byte frame each
MEDIUM = (16, 32)  #: 16 goroutines x 16 KiB of frames
MANY = (64, 128)  #: 64 goroutines x 64 KiB of frames: 4 MiB of stacks

_stack_runs: dict[tuple[str, tuple[int, int]], tuple[dict[str, int], int]] = {}


def stack_run(mode: str, shape: tuple[int, int]) -> tuple[dict[str, int], int]:
    """(longest pauses, bytes of stack in use) for the stacks program under *mode*."""
    key = (mode, shape)
    if key not in _stack_runs:
        rt = Runtime(procs=1, mode=mode)
        rt.run(stacks_program, *shape)
        assert rt.gc.numgc == 2
        used = shape[0] * shape[1] * _frame_type().size
        _stack_runs[key] = (max_pauses(rt), used)
    return _stack_runs[key]


def test_insertion_barrier_mark_termination_grows_with_stacks():
    """go1.5: mark termination rescans every stack with the world stopped; its pause tracks stack bytes."""
    few, few_bytes = stack_run("go1.5", FEW)
    med, med_bytes = stack_run("go1.5", MEDIUM)
    many, many_bytes = stack_run("go1.5", MANY)
    assert few[MARK_TERM] < med[MARK_TERM] < many[MARK_TERM]
    assert many[MARK_TERM] >= 5 * few[MARK_TERM]
    # roughly proportional: 16x the stack bytes from MEDIUM to MANY, >= 10x the extra pause
    extra_med = med[MARK_TERM] - few[MARK_TERM]
    extra_many = many[MARK_TERM] - few[MARK_TERM]
    assert many_bytes == 16 * med_bytes
    assert extra_many >= 10 * extra_med
    assert many["max"] == many[MARK_TERM]


def test_hybrid_barrier_mark_termination_ignores_stacks():
    """go1.8: stacks are scanned concurrently and never rescanned; no pause grows with them."""
    few, _ = stack_run("go1.8", FEW)
    many, _ = stack_run("go1.8", MANY)
    for phase in (SWEEP_TERM, MARK_TERM, "max"):
        assert many[phase] <= 1.5 * few[phase], (phase, few, many)
    g15_many, _ = stack_run("go1.5", MANY)
    assert many[MARK_TERM] * 50 < g15_many[MARK_TERM]


def test_deletion_barrier_pays_for_stacks_at_mark_start():
    """yuasa: the stack snapshot moves the stack-sized pause to sweep termination instead."""
    few, _ = stack_run("yuasa", FEW)
    many, _ = stack_run("yuasa", MANY)
    assert many[SWEEP_TERM] >= 5 * few[SWEEP_TERM]
    assert many[MARK_TERM] <= 1.5 * few[MARK_TERM]
