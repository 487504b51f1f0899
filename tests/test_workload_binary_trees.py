"""Tests for ``gomem.workloads.binary_trees``."""

from __future__ import annotations

import pytest

from gomem.runtime import Runtime
from gomem.workloads import binary_trees as bt
from gomem.workloads import get


def run(depth: int, mode: str, bulk: bool, monkeypatch, **kw) -> Runtime:
    if not bulk:
        monkeypatch.setattr(bt, "bottom_up_tree", bt.bottom_up_tree_recursive)
    lines: list[str] = []
    rt = Runtime(mode=mode, gctrace=lines.append, **kw)
    g = rt.run(get("binary-trees").main, {"depth": depth})
    rt.trace_lines = lines  # type: ignore[attr-defined]
    rt.output = g.result["output"]  # type: ignore[attr-defined]
    return rt


class TestOutput:
    def test_benchmarks_game_output(self, monkeypatch):
        """The program prints what the Go program prints."""
        rt = run(6, "go1.8", True, monkeypatch)
        assert rt.output == [
            "stretch tree of depth 7\t check: 255",
            "64\t trees of depth 4\t check: 1984",
            "16\t trees of depth 6\t check: 2032",
            "long lived tree of depth 6\t check: 127",
        ]

    def test_allocation_count(self, monkeypatch):
        """Every node is one allocation: depth 10 makes 2^(11+1)-1 + 2^11-1 + Σ iterations·(2^(d+1)-1)."""
        rt = run(10, "go1.8", True, monkeypatch)
        expected = (1 << 12) - 1 + (1 << 11) - 1
        for d in range(4, 11, 2):
            expected += (1 << (10 - d + 4)) * ((1 << (d + 1)) - 1)
        assert rt.heap.read_memstats().Mallocs == expected


class TestBulkEqualsRecursive:
    """The bulk builder leaves exactly the heap the one-node-at-a-time builder leaves."""

    @pytest.mark.parametrize("mode", ["stw", "go1.3"])
    def test_identical_runs_with_the_world_stopped(self, mode, monkeypatch):
        """With no concurrent marking the two builders give byte-identical runs."""
        a = run(10, mode, True, monkeypatch, gogc=10)
        monkeypatch.undo()
        b = run(10, mode, False, monkeypatch, gogc=10)
        assert a.trace_lines == b.trace_lines
        assert a.heap.read_memstats() == b.heap.read_memstats()
        n = a.heap.mheap.pages.npages * 8192
        assert a.heap.aspace.mem[:n] == b.heap.aspace.mem[:n]

    @pytest.mark.parametrize("mode", ["go1.5", "yuasa", "go1.8"])
    def test_same_allocations_and_a_correct_mark_concurrently(self, mode, monkeypatch):
        """Concurrently the assists' timing differs, but allocations agree and checkmark finds nothing lost."""
        a = run(10, mode, True, monkeypatch, checkmark=True, gogc=10)
        monkeypatch.undo()
        b = run(10, mode, False, monkeypatch, checkmark=True, gogc=10)
        ma, mb = a.heap.read_memstats(), b.heap.read_memstats()
        assert (ma.Mallocs, ma.TotalAlloc) == (mb.Mallocs, mb.TotalAlloc)
        assert a.output == b.output
        assert a.gc.numgc > 0 and b.gc.numgc > 0
