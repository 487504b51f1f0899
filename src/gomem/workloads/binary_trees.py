"""binary-trees, the benchmarks-game program, as Go runs it.

The Go program allocates ``Node{left, right *Node}`` (16 bytes, two
pointers): a stretch tree of depth max+1, a long-lived tree of depth max,
then for each depth d = min, min+2, … max, 2^(max−d+min) short-lived trees of
depth d, each walked to count its nodes.  ``minDepth`` is 4; ``maxDepth`` is
``max(min+2, depth)``.  Depth 16 makes 14,986,0xx allocations in real Go
(../shared/reference/real-go-measurements.md).
"""

from __future__ import annotations

from .. import types as gotypes
from ..arena import ARENA_BASE_ADDR
from . import Param, Workload, register

MIN_DEPTH = 4


def node_type() -> gotypes.GoType:
    reg = gotypes.default_registry()
    try:
        return reg.get("Node")
    except Exception:
        reg.declare("Node", "struct { left, right *Node }")
        return reg.get("Node")


def run(heap, params: dict, rng=None) -> dict:
    """Run binary-trees on *heap*; return the program's output lines and counts."""
    depth = params["depth"]
    max_depth = max(MIN_DEPTH + 2, depth)
    node = node_type()
    words = heap.aspace.words
    new = heap.new

    def bottom_up(d: int) -> int:
        # Go: func bottomUpTree(depth int) *Node — children first, then the parent.
        if d <= 0:
            return new(node)
        left = bottom_up(d - 1)
        right = bottom_up(d - 1)
        n = new(node)
        i = (n - ARENA_BASE_ADDR) >> 3
        words[i] = left
        words[i + 1] = right
        return n

    def check(n: int) -> int:
        i = (n - ARENA_BASE_ADDR) >> 3
        left = words[i]
        if left == 0:
            return 1
        return 1 + check(left) + check(words[i + 1])

    out = []
    stretch = max_depth + 1
    out.append(f"stretch tree of depth {stretch}\t check: {check(bottom_up(stretch))}")
    long_lived = bottom_up(max_depth)
    for d in range(MIN_DEPTH, max_depth + 1, 2):
        iterations = 1 << (max_depth - d + MIN_DEPTH)
        total = 0
        for _ in range(iterations):
            total += check(bottom_up(d))
        out.append(f"{iterations}\t trees of depth {d}\t check: {total}")
    out.append(f"long lived tree of depth {max_depth}\t check: {check(long_lived)}")
    return {"output": out}


register(
    Workload(
        "binary-trees",
        "the benchmarks-game binary-trees: many short-lived 16-byte Node{left, right *Node} trees and one long-lived tree",
        run,
        (Param("depth", 12, "maximum tree depth (Go's benchmark uses 21)", int, 4, 24),),
    )
)
