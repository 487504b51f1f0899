// Pointers moving between two long-lived objects while the heap churns:
// without a write barrier the concurrent marker loses the one being moved.
package main

import "fmt"

type Node struct {
	next *Node
	pad  *Node
	v    int
}

func garbage(n int) *Node {
	var head *Node
	for i := 0; i < n; i++ {
		head = &Node{next: head, v: i}
	}
	return head
}

func main() {
	keep := garbage(20000) // a live heap big enough that marking spans many allocations
	a := &Node{v: 1}
	b := &Node{v: 2, next: &Node{v: 42}}
	sum := 0
	for i := 0; i < 1500; i++ {
		g := garbage(60)
		a.next = b.next
		b.next = nil
		g = garbage(60)
		b.next = a.next
		a.next = nil
		sum += b.next.v + g.v
	}
	fmt.Println("sum", sum, keep.v)
}
