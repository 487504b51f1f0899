"""binary-trees, the benchmarks-game program, as Go runs it.

The Go program (``workloads/go/binary_trees.go``'s shape)::

    type Node struct{ left, right *Node }

    func bottomUpTree(depth int) *Node {
        if depth <= 0 {
            return &Node{}
        }
        return &Node{bottomUpTree(depth - 1), bottomUpTree(depth - 1)}
    }

    func (n *Node) itemCheck() int {
        if n.left == nil {
            return 1
        }
        return 1 + n.left.itemCheck() + n.right.itemCheck()
    }

builds a stretch tree of depth max+1, a long-lived tree of depth max, then
for each depth d = min, min+2, … max, 2^(max−d+min) short-lived trees of
depth d, checking each.  ``minDepth`` is 4; ``maxDepth`` is ``max(min+2,
depth)``.  Depth 16 makes 14,985,902 allocations (real Go reports
14,986,020: the program's plus the runtime's own, see
../shared/reference/real-go-measurements.md).

How gomem runs it: ``bottomUpTree``'s frames hold the left result while the
right subtree is built, and both while the parent is allocated; gomem keeps
exactly those two pointers per level in a frame of stack slots, so the GC
sees the same roots the real stack maps show.  The parent's two fields are
heap stores and go through the write barrier.  ``itemCheck`` only reads the
tree; gomem walks it level by level with numpy and charges two pointer
loads per node.
"""

from __future__ import annotations

import numpy as np

from .. import types as gotypes
from ..arena import ARENA_BASE_ADDR
from . import Param, Workload, register

MIN_DEPTH = 4


def node_type() -> gotypes.GoType:
    return gotypes.default_registry().get("Node")


def _frame_type(max_depth: int) -> gotypes.GoType:
    node_ptr = gotypes.pointer_to(node_type())
    return gotypes.struct_of([("pending", gotypes.array_of(node_ptr, 2 * (max_depth + 2))), ("longLived", node_ptr)])


def bottom_up_tree(g, frame_base: int, depth: int) -> int:
    """Build a tree of *depth* on *g*; pending subtrees live in the frame at *frame_base*."""
    rt = g.rt
    words = rt.words
    alloc = g.alloc
    node = node_type()
    write_slot = g.write_slot
    fb = (frame_base - ARENA_BASE_ADDR) >> 3

    def build(d: int) -> int:
        if d <= 0:
            return alloc(16, node)
        slot = fb + 2 * d
        words[slot] = build(d - 1)
        words[slot + 1] = build(d - 1)
        n = alloc(16, node)
        write_slot(n, words[slot])
        write_slot(n + 8, words[slot + 1])
        words[slot] = 0
        words[slot + 1] = 0
        return n

    return build(depth)


def item_check(g, root: int) -> int:
    """Count the nodes of the tree at *root* (Go: itemCheck), charging two loads per node."""
    mem = g.rt.heap.aspace.np64
    level = np.array([root], dtype=np.uint64)
    base = np.uint64(ARENA_BASE_ADDR)
    total = 0
    while level.size:
        total += int(level.size)
        idx = ((level - base) >> np.uint64(3)).astype(np.int64)
        left = mem[idx]
        has = left != 0
        if not has.any():
            break
        right = mem[idx[has] + 1]
        level = np.concatenate([left[has], right])
    g.p.now += total * 2 * g.rt.cost.ptr_load
    return total


def main(g, params: dict):
    depth = params["depth"]
    max_depth = max(MIN_DEPTH + 2, depth)
    ftype = _frame_type(max_depth)
    f = g.frame(ftype, "main")
    out = []
    stretch = max_depth + 1
    t = bottom_up_tree(g, f.base, stretch)
    out.append(f"stretch tree of depth {stretch}\t check: {item_check(g, t)}")
    yield
    long_lived = bottom_up_tree(g, f.base, max_depth)
    g.set_local(f, "longLived", long_lived)
    for d in range(MIN_DEPTH, max_depth + 1, 2):
        iterations = 1 << (max_depth - d + MIN_DEPTH)
        check = 0
        for _ in range(iterations):
            check += item_check(g, bottom_up_tree(g, f.base, d))
            yield
        out.append(f"{iterations}\t trees of depth {d}\t check: {check}")
    out.append(f"long lived tree of depth {max_depth}\t check: {item_check(g, g.get_local(f, 'longLived'))}")
    g.pop(f)
    return {"output": out}


register(
    Workload(
        "binary-trees",
        "the benchmarks-game binary-trees: many short-lived 16-byte Node{left, right *Node} trees and one long-lived tree",
        main,
        (Param("depth", 12, "maximum tree depth (the benchmarks game uses 21)", int, 4, 24),),
    )
)
