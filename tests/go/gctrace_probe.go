// gctrace_probe allocates enough for several GC cycles, forces one with
// runtime.GC(), and reports MemStats, so that its GODEBUG=gctrace=1 lines
// (stderr) can be compared with gomem's (tests/test_realgo_gctrace.py).
//
// Usage: GODEBUG=gctrace=1 GOMAXPROCS=2 gctrace_probe [depth] [rounds]
//
// It builds binary trees (the shape of gomem's binary-trees workload): a
// long-lived one of the given depth and, each round, short-lived ones that
// become garbage.  runtime.GC() runs once, halfway.  At the end
// debug.SetGCPercent(-1) waits for any cycle in progress, so the stdout
// line {"NumGC":N,"NumForcedGC":F} counts exactly the cycles whose gctrace
// lines were printed.
package main

import (
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
)

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

var longLived *Node

func main() {
	depth, rounds := 14, 40
	if len(os.Args) > 1 {
		depth, _ = strconv.Atoi(os.Args[1])
	}
	if len(os.Args) > 2 {
		rounds, _ = strconv.Atoi(os.Args[2])
	}
	longLived = bottomUpTree(depth)
	check := 0
	for i := 0; i < rounds; i++ {
		check += bottomUpTree(depth).itemCheck()
		if i == rounds/2 {
			runtime.GC()
		}
	}
	check += longLived.itemCheck()
	debug.SetGCPercent(-1)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Printf("{\"NumGC\":%d,\"NumForcedGC\":%d,\"check\":%d}\n", ms.NumGC, ms.NumForcedGC, check)
}
