// Many short-lived binary trees of 144-byte nodes beside one long-lived
// tree: the collector runs often (>= 10 GCs) while the live heap stays small.
package main

import "fmt"

type Node struct {
	Left, Right *Node
	Depth       int
	Value       int64
	Tag         [14]int64 // 144-byte nodes
}

func build(d int, v int64) *Node {
	n := &Node{Depth: d, Value: v}
	if d > 0 {
		n.Left = build(d-1, 2*v)
		n.Right = build(d-1, 2*v+1)
	}
	return n
}

func (n *Node) sum() int64 {
	if n == nil {
		return 0
	}
	return n.Value + n.Left.sum() + n.Right.sum()
}

func (n *Node) count() int {
	if n == nil {
		return 0
	}
	return 1 + n.Left.count() + n.Right.count()
}

func main() {
	long := build(12, 1)
	fmt.Println("long-lived", long.count(), long.sum())
	var check int64
	for i := 0; i < 150; i++ {
		t := build(10, int64(i))
		check += t.sum() % 1000003
		if i%30 == 0 {
			fmt.Println("tree", i, t.count(), t.Right.Left.Value)
		}
	}
	fmt.Println("check", check, "long-lived still", long.count())
}
