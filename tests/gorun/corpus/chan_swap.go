// A pointer moving between a channel's buffer and a long-lived object while the heap churns:
// without a write barrier the concurrent marker loses it (the receive clears the buffer slot
// and the store into the already-scanned holder goes unseen).
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

func mover(c chan *Node, holder *Node, n int, done chan<- int) {
	sum := 0
	for i := 0; i < n; i++ {
		g := garbage(60)
		holder.next = <-c
		g = garbage(60)
		c <- holder.next
		holder.next = nil
		sum += g.v
	}
	done <- sum
}

func main() {
	keep := make([]*Node, 20000) // a live heap big enough that marking spans many allocations
	for i := range keep {
		keep[i] = &Node{v: i}
	}
	c := make(chan *Node, 1)
	c <- &Node{v: 42}
	holder := &Node{}
	done := make(chan int)
	go mover(c, holder, 1500, done)
	s := <-done
	x := <-c
	fmt.Println("sum", s, x.v, keep[len(keep)-1].v)
}
