// syncops measures what the real runtime takes for the synchronisation operations gomem's
// CostModel prices (lock, chan_op, chan_poll, select, cond_signal): each operation run N times in a
// loop on one goroutine, uncontended, GOMAXPROCS=1, the fastest of -rounds rounds, in ns per
// operation, the loop's own cost (an empty loop, also printed) included.
//
//	go run benchmarks/go/syncops.go [-n 20000000] [-rounds 3]
//
// benchmarks/syncops.py runs it and prints the figures beside gomem's constants.
package main

import (
	"flag"
	"fmt"
	"runtime"
	"sync"
	"time"
)

var (
	sink  int
	mu    sync.Mutex
	rw    sync.RWMutex
	cond  = sync.NewCond(&mu)
	buf   = make(chan int, 1)
	other = make(chan int, 1)
	empty = make(chan int)
)

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

func emptyLoop(n int) {
	for i := 0; i < n; i++ {
		sink += i
	}
}

func mutex(n int) {
	for i := 0; i < n; i++ {
		mu.Lock()
		mu.Unlock()
	}
}

func rlock(n int) {
	for i := 0; i < n; i++ {
		rw.RLock()
		rw.RUnlock()
	}
}

func wlock(n int) {
	for i := 0; i < n; i++ {
		rw.Lock()
		rw.Unlock()
	}
}

func signal(n int) {
	for i := 0; i < n; i++ {
		cond.Signal()
	}
}

func sendRecv(n int) {
	for i := 0; i < n; i++ {
		buf <- i
		sink += <-buf
	}
}

func poll(n int) {
	for i := 0; i < n; i++ {
		select {
		case v := <-empty:
			sink += v
		default:
		}
	}
}

func select2(n int) {
	for i := 0; i < n; i++ {
		select {
		case buf <- i:
		case v := <-other:
			sink += v
		}
		sink += <-buf
	}
}

func main() {
	n := flag.Int("n", 20_000_000, "operations per round")
	rounds := flag.Int("rounds", 3, "rounds (the fastest is reported)")
	flag.Parse()
	runtime.GOMAXPROCS(1)
	measure("empty loop", *n, *rounds, emptyLoop)
	measure("Mutex Lock+Unlock", *n, *rounds, mutex)
	measure("RWMutex RLock+RUnlock", *n, *rounds, rlock)
	measure("RWMutex Lock+Unlock", *n, *rounds, wlock)
	measure("Cond.Signal (no waiter)", *n, *rounds, signal)
	measure("buffered send+recv", *n, *rounds, sendRecv)
	measure("select recv+default (empty)", *n, *rounds, poll)
	measure("2-case select send, recv", *n, *rounds, select2)
}
