// Producers and consumers passing heap objects through channels while the collector runs:
// each consumer keeps a ring of the last objects it received (live heap), the rest is garbage.
package main

import (
	"fmt"
	"sync"
)

type node struct {
	id   int
	next *node
	buf  [6]int
}

func produce(out chan<- *node, from, n int, wg *sync.WaitGroup) {
	defer wg.Done()
	var prev *node
	for i := from; i < from+n; i++ {
		x := &node{id: i, next: prev}
		if i%4 == 0 {
			prev = nil
		} else {
			prev = x
		}
		out <- x
	}
}

func consume(in <-chan *node, res chan<- int) {
	ring := make([]*node, 2000)
	k := 0
	sum := 0
	for x := range in {
		ring[k%len(ring)] = x
		k++
		for y := x; y != nil; y = y.next {
			sum += y.id & 7
		}
	}
	res <- sum
}

func main() {
	c := make(chan *node, 64)
	res := make(chan int)
	var wg sync.WaitGroup
	for p := 0; p < 3; p++ {
		wg.Add(1)
		go produce(c, p*100000, 100000, &wg)
	}
	for k := 0; k < 2; k++ {
		go consume(c, res)
	}
	wg.Wait()
	close(c)
	total := <-res + <-res
	fmt.Println("total", total)
}
