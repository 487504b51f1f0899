// Values handed from goroutine to goroutine through an unbuffered channel while the collector
// marks: 300 senders block, each with its value on its own stack, and one receiver takes them one
// by one and keeps them on its stack.  Every blocked send waits on a sudog that the runtime moves
// from a P's cache to the sender's frame and back to a cache when the receive wakes it; with no
// write barrier, a marker that scans one side before a move and the other after it loses the
// sudog (the test runs this with --gc none --procs 2 and 4 under checkmark).
package main

import "fmt"

type Node struct {
	next *Node
	v    int
}

var live []*Node // a live heap big enough that marking spans many hand-offs

func garbage(n int) int {
	var head *Node
	for i := 0; i < n; i++ {
		head = &Node{next: head, v: i}
	}
	return head.v
}

func send(q chan<- *Node, id, n int, done chan<- bool) {
	for i := 0; i < n; i++ {
		q <- &Node{v: id*n + i}
	}
	done <- true
}

func main() {
	live = make([]*Node, 20000)
	for i := range live {
		live[i] = &Node{v: i}
	}
	const senders, each = 300, 20
	q := make(chan *Node)
	done := make(chan bool, senders)
	for s := 0; s < senders; s++ {
		go send(q, s, each, done)
	}
	var held [32]*Node // the receiver's own stack
	sum := 0
	for n := 0; n < senders*each; n++ {
		x := <-q
		if old := held[n%32]; old != nil {
			sum += old.v
		}
		held[n%32] = x
		garbage(40)
	}
	for _, x := range held {
		sum += x.v
	}
	for s := 0; s < senders; s++ {
		<-done
	}
	fmt.Println("sum", sum, "live", len(live))
}
