// syncops measures what the real runtime takes for the synchronisation operations gomem's
// CostModel prices (lock, chan_op, chan_poll, select, cond_signal): each operation run N times in a
// loop on one goroutine, uncontended, GOMAXPROCS=1, the fastest of -rounds rounds, in ns per
// operation, the loop's own cost (an empty loop, also printed) included.
//
//	go run benchmarks/go/syncops.go [-n 20000000] [-rounds 3]
//
// benchmarks/calibrate_syncops.py runs it and prints the figures beside gomem's constants.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"
)

var sink int

func measure(name string, n, rounds int, body func(n int)) {
	best := time.Duration(1 << 62)
	for r := 0; r < rounds; r++ {
		t := time.Now()
		body(n)
		if d := time.Since(t); d < best {
			best = d
		}
	}
	fmt.Printf("%-28s %7.2f ns/op\n", name, float64(best.Nanoseconds())/float64(n))
}

func main() {
	n := flag.Int("n", 20_000_000, "operations per round")
	rounds := flag.Int("rounds", 3, "rounds (the fastest is reported)")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	var mu sync.Mutex
	var rw sync.RWMutex
	cond := sync.NewCond(&mu)
	buf := make(chan int, 1)
	other := make(chan int, 1)
	empty := make(chan int)

	measure("empty loop", *n, *rounds, func(n int) {
		for i := 0; i < n; i++ {
			sink += i
		}
	})
	measure("Mutex Lock+Unlock", *n, *rounds, func(n int) {
		for i := 0; i < n; i++ {
			mu.Lock()
			mu.Unlock()
		}
	})
	measure("RWMutex RLock+RUnlock", *n, *rounds, func(n int) {
		for i := 0; i < n; i++ {
			rw.RLock()
			rw.RUnlock()
		}
	})
	measure("RWMutex Lock+Unlock", *n, *rounds, func(n int) {
		for i := 0; i < n; i++ {
			rw.Lock()
			rw.Unlock()
		}
	})
	measure("Cond.Signal (no waiter)", *n, *rounds, func(n int) {
		for i := 0; i < n; i++ {
			cond.Signal()
		}
	})
	measure("buffered send+recv", *n, *rounds, func(n int) {
		for i := 0; i < n; i++ {
			buf <- i
			sink += <-buf
		}
	})
	measure("select recv+default (empty)", *n, *rounds, func(n int) {
		for i := 0; i < n; i++ {
			select {
			case v := <-empty:
				sink += v
			default:
			}
		}
	})
	measure("2-case select send, recv", *n, *rounds, func(n int) {
		for i := 0; i < n; i++ {
			select {
			case buf <- i:
			case v := <-other:
				sink += v
			}
			sink += <-buf
		}
	})
}
