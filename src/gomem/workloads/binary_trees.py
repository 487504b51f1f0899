"""binary-trees, the benchmarks-game program: ``go/binary_trees.go`` on the model.

The program builds a stretch tree of depth max+1, a long-lived tree of depth
max, then for each depth d = min, min+2, … max, 2^(max−d+min) short-lived
trees of depth d, checking each (``minDepth`` is 4; ``maxDepth`` is
``max(min+2, depth)``), out of 16-byte ``Node{left, right *Node}`` objects
built bottom up.  Depth 16 makes 14,985,902 allocations (real Go reports
14,986,020: the program's plus the runtime's own, see
../shared/reference/real-go-measurements.md).

``gomem run binary-trees --param depth=N`` compiles that Go file with
:mod:`gomem.compile.program` and runs it with ``-depth=N``: every node is one
``mallocgc`` through the allocator's real paths, every store of a child
pointer goes through the era's write barrier, and ``bottomUpTree``'s frames
live in the goroutine's stack, where the collector scans them — the same
file ``gomem vs-go binary-trees`` runs on the real toolchain.
"""

from __future__ import annotations

from . import Param, Workload, register

register(
    Workload(
        "binary-trees",
        "the benchmarks-game binary-trees: many short-lived 16-byte Node{left, right *Node} trees and one long-lived tree",
        None,
        (Param("depth", 12, "maximum tree depth (the benchmarks game uses 21)", int, 4, 24),),
        go_source="binary_trees.go",
    )
)
