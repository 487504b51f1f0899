// runtime.GC() while other goroutines run: they go on during the cycle.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

type node struct {
	next *node
	v    int
}

func churn(id int, n int, out chan<- int, wg *sync.WaitGroup) {
	defer wg.Done()
	var keep *node
	s := 0
	for i := 0; i < n; i++ {
		x := &node{v: i}
		if i%10 == 0 {
			x.next = keep
			keep = x
		}
		s += x.v & 3
	}
	for y := keep; y != nil; y = y.next {
		s++
	}
	out <- s
}

func main() {
	out := make(chan int, 4)
	var wg sync.WaitGroup
	for i := 0; i < 3; i++ {
		wg.Add(1)
		go churn(i, 50000, out, &wg)
	}
	for i := 0; i < 3; i++ {
		runtime.GC()
	}
	wg.Wait()
	close(out)
	t := 0
	for s := range out {
		t += s
	}
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	fmt.Println(t, ms.NumForcedGC)
}
