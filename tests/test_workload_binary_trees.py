"""The binary-trees workload: ``workloads/go/binary_trees.go`` compiled by gomem.compile.program, its depth a flag."""

from __future__ import annotations

import pytest

from gomem import api
from gomem.workloads import get


def test_benchmarks_game_output():
    """The program prints what the Go program prints."""
    r = api.run("binary-trees", params={"depth": 6})
    assert r.output == [
        "stretch tree of depth 7\t check: 255",
        "64\t trees of depth 4\t check: 1984",
        "16\t trees of depth 6\t check: 2032",
        "long lived tree of depth 6\t check: 127",
    ]
    assert r.go_program is not None and r.go_program.args == ["-depth=6"]


def nodes(depth: int) -> int:
    """The nodes binary-trees allocates at *depth* (>= 6): the stretch tree, the long-lived one, every short-lived one."""
    n = (1 << (depth + 2)) - 1 + (1 << (depth + 1)) - 1
    for d in range(4, depth + 1, 2):
        n += (1 << (depth - d + 4)) * ((1 << (d + 1)) - 1)
    return n


def test_every_node_is_one_allocation():
    """Mallocs is the nodes plus the program's few other objects: flag parsing, fmt's printer, and the
    integers above 255 that Printf's arguments box (convT64), one line per depth."""
    for depth in (6, 10):
        others = api.run("binary-trees", params={"depth": depth}).memstats["Mallocs"] - nodes(depth)
        assert 0 < others < 30, (depth, others)


def test_depth_is_bounded():
    with pytest.raises(Exception, match="above the maximum 24"):
        get("binary-trees").resolve(["depth=25"])


@pytest.mark.parametrize("mode", ["stw", "go1.3", "go1.5", "yuasa", "go1.8"])
def test_nothing_reachable_is_lost_under_checkmark(mode):
    r = api.run("binary-trees", params={"depth": 10}, gc=mode, gogc=10, checkmark=True)
    assert r.ok and r.memstats["NumGC"] > 0
    assert r.output[-1] == "long lived tree of depth 10\t check: 2047"
