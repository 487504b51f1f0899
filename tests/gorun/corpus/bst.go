// A binary search tree of ints: insert, lookup, in-order walk, height,
// deletion; 144-byte nodes, rebuilt many times so the collector runs (>= 10 GCs).
package main

import "fmt"

type Tree struct {
	Left, Right *Tree
	Key         int
	Count       int
	Payload     [14]int64 // makes each node a 144-byte object
}

func insert(t *Tree, k int) *Tree {
	if t == nil {
		return &Tree{Key: k, Count: 1}
	}
	switch {
	case k < t.Key:
		t.Left = insert(t.Left, k)
	case k > t.Key:
		t.Right = insert(t.Right, k)
	default:
		t.Count++
	}
	return t
}

func contains(t *Tree, k int) bool {
	for t != nil {
		if k == t.Key {
			return true
		}
		if k < t.Key {
			t = t.Left
		} else {
			t = t.Right
		}
	}
	return false
}

func height(t *Tree) int {
	if t == nil {
		return 0
	}
	l, r := height(t.Left), height(t.Right)
	if l > r {
		return l + 1
	}
	return r + 1
}

func walk(t *Tree, visit func(*Tree)) {
	if t == nil {
		return
	}
	walk(t.Left, visit)
	visit(t)
	walk(t.Right, visit)
}

func minNode(t *Tree) *Tree {
	for t.Left != nil {
		t = t.Left
	}
	return t
}

func remove(t *Tree, k int) *Tree {
	if t == nil {
		return nil
	}
	if k < t.Key {
		t.Left = remove(t.Left, k)
	} else if k > t.Key {
		t.Right = remove(t.Right, k)
	} else {
		if t.Left == nil {
			return t.Right
		}
		if t.Right == nil {
			return t.Left
		}
		m := minNode(t.Right)
		t.Key, t.Count = m.Key, m.Count
		t.Right = remove(t.Right, m.Key)
	}
	return t
}

func build(n, seed int) *Tree {
	var root *Tree
	x := seed
	for i := 0; i < n; i++ {
		x = (x*1103515245 + 12345) % 2147483648
		root = insert(root, x%100000)
	}
	return root
}

func main() {
	keep := build(8000, 1)
	fmt.Println("height", height(keep), "contains 7919:", contains(keep, 7919))
	total := 0
	for round := 0; round < 50; round++ {
		t := build(5000, round+2)
		sum, nodes := 0, 0
		walk(t, func(n *Tree) { sum += n.Key * n.Count; nodes++ })
		for k := 0; k < 100000; k += 7 {
			t = remove(t, k)
		}
		after := 0
		walk(t, func(*Tree) { after++ })
		total += sum % 1000
		if round%8 == 0 {
			fmt.Printf("round %d: nodes %d sum %d after removals %d height %d\n", round, nodes, sum, after, height(t))
		}
	}
	prev, sorted := -1, true
	walk(keep, func(n *Tree) {
		if n.Key <= prev {
			sorted = false
		}
		prev = n.Key
	})
	fmt.Println("total", total, "sorted", sorted)
}
