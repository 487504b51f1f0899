// binary_trees is the benchmarks-game binary-trees program, sequential, in
// exactly the shape of gomem's binary-trees workload
// (src/gomem/workloads/binary_trees.py): 16-byte Node{left, right *Node}
// trees built bottom up, a stretch tree of depth max+1, one long-lived tree
// of depth max, and for each depth d = 4, 6, ... max, 2^(max-d+4) short-lived
// trees of depth d.
//
// Usage: GODEBUG=gctrace=1 binary_trees -depth 16
//
// gomem vs-go binary-trees runs it (stdout: the program's lines; stderr: the
// runtime's gctrace lines).  Standard library only.
package main

import (
	"flag"
	"fmt"
)

const minDepth = 4

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

func main() {
	depth := flag.Int("depth", 12, "maximum tree depth (the benchmarks game uses 21)")
	flag.Parse()
	maxDepth := *depth
	if minDepth+2 > maxDepth {
		maxDepth = minDepth + 2
	}
	stretch := maxDepth + 1
	fmt.Printf("stretch tree of depth %d\t check: %d\n", stretch, bottomUpTree(stretch).itemCheck())

	longLived := bottomUpTree(maxDepth)
	for d := minDepth; d <= maxDepth; d += 2 {
		iterations := 1 << uint(maxDepth-d+minDepth)
		check := 0
		for i := 0; i < iterations; i++ {
			check += bottomUpTree(d).itemCheck()
		}
		fmt.Printf("%d\t trees of depth %d\t check: %d\n", iterations, d, check)
	}
	fmt.Printf("long lived tree of depth %d\t check: %d\n", maxDepth, longLived.itemCheck())
}
