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

Trees are built in bulk (:func:`bottom_up_tree`): the nodes a span's free
slots can take are allocated at once with :meth:`Heap.mallocgc_batch`
(the same slots, bytes and marks as one ``mallocgc`` each), linked in post
order with the barrier applied to every store, and the program's stack
slots are rewritten to exactly what the recursive program holds before
every point where the collector can look — the allocation that refills a
span (where a cycle may start) and mark assists.  Assists for a batch are
paid after it rather than before each object (at most one span's worth
late).  :func:`bottom_up_tree_recursive` is the plain one-node-at-a-time
version; a test checks the two leave identical heaps.
"""

from __future__ import annotations

import numpy as np

from .. import types as gotypes
from ..arena import ARENA_BASE_ADDR
from . import Param, Workload, register

MIN_DEPTH = 4
_ZERO_WORDS = memoryview(bytes(8 * 64)).cast("Q")


def node_type() -> gotypes.GoType:
    return gotypes.default_registry().get("Node")


def _frame_type(max_depth: int) -> gotypes.GoType:
    node_ptr = gotypes.pointer_to(node_type())
    return gotypes.struct_of([("pending", gotypes.array_of(node_ptr, 2 * (max_depth + 2))), ("longLived", node_ptr)])


_HEIGHTS: dict[int, np.ndarray] = {}


def _heights(d: int) -> np.ndarray:
    """Heights of the nodes of a perfect tree of depth *d*, in post order (leaves 0)."""
    h = _HEIGHTS.get(d)
    if h is None:
        h = np.zeros(1, dtype=np.int64) if d == 0 else np.concatenate([_heights(d - 1), _heights(d - 1), [d]])
        _HEIGHTS[d] = h
    return h


_INTERNAL: dict[int, tuple[np.ndarray, np.ndarray]] = {}
_NO_OLD = np.zeros(0, dtype=np.uint64)


def _internal_nodes(d: int) -> tuple[np.ndarray, np.ndarray]:
    """Post-order indices of a depth-*d* tree's internal nodes, and each one's distance to its left child."""
    r = _INTERNAL.get(d)
    if r is None:
        h = _heights(d)
        k = np.flatnonzero(h > 0)
        r = _INTERNAL[d] = (k, np.left_shift(1, h[k]))
    return r


def bottom_up_tree(g, frame_base: int, depth: int) -> int:
    """Build a tree of *depth* in bulk (see the module docstring); return its root."""
    rt = g.rt
    heap = rt.heap
    gc = rt.gc
    cost = rt.cost
    node = node_type()
    np64 = heap.aspace.np64
    n = (1 << (depth + 1)) - 1
    if n < 16:
        return bottom_up_tree_recursive(g, frame_base, depth)
    addrs = np.zeros(n, dtype=np.uint64)
    fb = (frame_base - ARENA_BASE_ADDR) >> 3
    base = np.uint64(ARENA_BASE_ADDR)
    pos = 0

    internal, left_off = _internal_nodes(depth)

    def link(lo: int, hi: int) -> None:
        """Store each new internal node's two children (post-order indices lo..hi-1)."""
        if lo == 0 and hi == n:
            k, lo_off = internal, left_off
        else:
            a, b = np.searchsorted(internal, (lo, hi))
            if a == b:
                return
            k, lo_off = internal[a:b], left_off[a:b]
        left = addrs[k - lo_off]
        right = addrs[k - 1]
        w = ((addrs[k] - base) >> np.uint64(3)).astype(np.int64)
        np64[w] = left
        np64[w + 1] = right
        stores = 2 * int(k.size)
        if rt.wb_enabled:
            gc.shade_stores(g.p, _NO_OLD, np.concatenate([left, right]), stores)
        else:
            g.p.now += stores * cost.ptr_store

    def write_roots(m: int) -> None:
        """The recursive program's frame slots after *m* nodes of the tree are allocated."""
        rt.words[fb : fb + 2 * (depth + 2)] = _ZERO_WORDS[: 2 * (depth + 2)]
        d, b = depth, 0
        while d > 0 and m > 0:
            size = (1 << d) - 1  # nodes in each child subtree
            slot = fb + 2 * d
            if m < size:
                d -= 1
                continue
            rt.words[slot] = int(addrs[b + size - 1])
            if m < 2 * size:
                b += size
                m -= size
                d -= 1
                continue
            rt.words[slot + 1] = int(addrs[b + 2 * size - 1])
            break

    while pos < n:
        batch = heap.mallocgc_batch(16, node, n - pos, g.p.id)
        k = int(batch.size)
        if k:
            addrs[pos : pos + k] = batch
            g.p.now += k * cost.alloc
            link(pos, pos + k)
            pos += k
            if gc.blacken_enabled:
                write_roots(pos)
                gc.charge_alloc(g, g.p, k * 16)
        if pos < n:
            write_roots(pos)
            addrs[pos] = g.alloc(16, node)
            link(pos, pos + 1)
            pos += 1
    rt.words[fb : fb + 2 * (depth + 2)] = _ZERO_WORDS[: 2 * (depth + 2)]
    return int(addrs[n - 1])


def bottom_up_tree_recursive(g, frame_base: int, depth: int) -> int:
    """Build a tree of *depth* one node at a time; pending subtrees live in the frame at *frame_base*."""
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


def item_check(g, root: int, depth: int | None = None) -> int:
    """Count the nodes of the tree at *root* (Go: itemCheck), charging two loads per node."""
    if depth is not None and depth <= 8:
        words = g.rt.words
        b = ARENA_BASE_ADDR

        def check(n: int) -> int:
            i = (n - b) >> 3
            left = words[i]
            if left == 0:
                return 1
            return 1 + check(left) + check(words[i + 1])

        total = check(root)
        g.p.now += total * 2 * g.rt.cost.ptr_load
        return total
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
            check += item_check(g, bottom_up_tree(g, f.base, d), d)
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
