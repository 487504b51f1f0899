// Singly and doubly linked lists: push, reverse, splice, remove every other
// node; lists are rebuilt so the garbage is collected.
package main

import "fmt"

type Node struct {
	Val  int
	Next *Node
}

type DNode struct {
	Val        int
	Name       string
	Prev, Next *DNode
}

type DList struct {
	head, tail *DNode
	n          int
}

func (l *DList) PushBack(v int, name string) *DNode {
	d := &DNode{Val: v, Name: name, Prev: l.tail}
	if l.tail != nil {
		l.tail.Next = d
	} else {
		l.head = d
	}
	l.tail = d
	l.n++
	return d
}

func (l *DList) Remove(d *DNode) {
	if d.Prev != nil {
		d.Prev.Next = d.Next
	} else {
		l.head = d.Next
	}
	if d.Next != nil {
		d.Next.Prev = d.Prev
	} else {
		l.tail = d.Prev
	}
	d.Prev, d.Next = nil, nil
	l.n--
}

func fromRange(n int) *Node {
	var head *Node
	for i := n; i > 0; i-- {
		head = &Node{Val: i, Next: head}
	}
	return head
}

func reverse(h *Node) *Node {
	var prev *Node
	for h != nil {
		next := h.Next
		h.Next = prev
		prev, h = h, next
	}
	return prev
}

func length(h *Node) int {
	n := 0
	for ; h != nil; h = h.Next {
		n++
	}
	return n
}

func first(h *Node, k int) []int {
	var out []int
	for ; h != nil && len(out) < k; h = h.Next {
		out = append(out, h.Val)
	}
	return out
}

func main() {
	l := fromRange(10)
	fmt.Println(first(l, 10), first(reverse(l), 10))

	total := 0
	for round := 0; round < 10; round++ {
		h := fromRange(20000)
		h = reverse(h)
		// drop every other node
		for p := h; p != nil && p.Next != nil; p = p.Next {
			p.Next = p.Next.Next
		}
		total += length(h)
	}
	fmt.Println("total kept", total)

	var dl DList
	nodes := make([]*DNode, 0, 16)
	for i := 0; i < 16; i++ {
		nodes = append(nodes, dl.PushBack(i*i, fmt.Sprint("n", i)))
	}
	for i := 0; i < 16; i += 3 {
		dl.Remove(nodes[i])
	}
	for d := dl.head; d != nil; d = d.Next {
		fmt.Print(d.Name, "=", d.Val, " ")
	}
	fmt.Println()
	for d := dl.tail; d != nil; d = d.Prev {
		fmt.Print(d.Val, " ")
	}
	fmt.Println("len", dl.n)
	for round := 0; round < 10; round++ {
		var big DList
		for i := 0; i < 10000; i++ {
			big.PushBack(i, "x")
		}
		for d := big.head; d != nil; {
			next := d.Next
			if d.Val%2 == 1 {
				big.Remove(d)
			}
			d = next
		}
		if round == 9 {
			fmt.Println("doubly linked after removals", big.n, big.head.Val, big.tail.Val)
		}
	}
}
