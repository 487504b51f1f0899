// sync/atomic: a counter incremented by many goroutines through the functions and the types
// (Int64, Int32, Uint32, Uint64, Bool), wrap-around as Go's, CompareAndSwap spin loops that yield;
// an atomic.Value holding a configuration that a writer replaces while readers load it.
package main

import (
	"fmt"
	"math"
	"runtime"
	"sync"
	"sync/atomic"
)

type config struct {
	gen   int
	names []string
}

var current atomic.Value

type stats struct {
	hits    atomic.Int64
	workers atomic.Int32
	flags   atomic.Uint32
	bytes   atomic.Uint64
	done    atomic.Bool
	maxSeen int64
}

// raiseMax keeps the largest value seen with a CompareAndSwap loop, yielding between tries.
func raiseMax(p *int64, v int64) {
	for {
		old := atomic.LoadInt64(p)
		if v <= old || atomic.CompareAndSwapInt64(p, old, v) {
			return
		}
		runtime.Gosched()
	}
}

func main() {
	var total int64
	var ops uint32
	st := &stats{}
	var wg sync.WaitGroup
	for w := 0; w < 40; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			st.workers.Add(1)
			buf := make([]int64, 0, 4)
			for i := 0; i < 250; i++ {
				atomic.AddInt64(&total, int64(i%7))
				atomic.AddUint32(&ops, 1)
				st.hits.Add(1)
				st.bytes.Add(uint64(len(buf)))
				if i%50 == 0 {
					buf = append(buf, int64(i))
					raiseMax(&st.maxSeen, int64(w*1000+i))
					runtime.Gosched()
				}
			}
			st.flags.Or(1 << (w % 32))
			if st.workers.Add(-1) == 0 {
				st.done.Store(true)
			}
		}(w)
	}
	wg.Wait()
	fmt.Println("total", atomic.LoadInt64(&total), "ops", atomic.LoadUint32(&ops))
	fmt.Println("hits", st.hits.Load(), "bytes", st.bytes.Load(), "max", atomic.LoadInt64(&st.maxSeen))
	fmt.Println("flags", fmt.Sprintf("%#x", st.flags.Load()), "done", st.done.Load(), "workers", st.workers.Load())

	// wrap-around and the old/new results
	x := int32(math.MaxInt32)
	fmt.Println(atomic.AddInt32(&x, 1))
	u := uint32(0)
	fmt.Println(atomic.AddUint32(&u, ^uint32(0)))
	var u64 uint64 = math.MaxUint64
	fmt.Println(atomic.AddUint64(&u64, 2))
	fmt.Println(atomic.SwapInt32(&x, 7), atomic.LoadInt32(&x))
	fmt.Println(atomic.CompareAndSwapInt32(&x, 6, 1), atomic.CompareAndSwapInt32(&x, 7, 1))
	fmt.Println(atomic.OrUint32(&u, 0), atomic.AndUint32(&u, 0xF0), atomic.LoadUint32(&u))
	var p uintptr = 10
	fmt.Println(atomic.AddUintptr(&p, 5), atomic.SwapUintptr(&p, 1))
	fmt.Println(st.done.Swap(false), st.done.CompareAndSwap(false, true), st.done.Load())
	fmt.Println(st.flags.CompareAndSwap(0, 1), st.flags.Swap(3), st.flags.And(1), st.flags.Load())
	atomic.StoreInt64(&total, -1)
	st.bytes.Store(math.MaxUint64)
	fmt.Println(atomic.LoadInt64(&total), st.bytes.Add(1))

	// atomic.Value: readers see whole configurations, never a torn one
	current.Store(&config{gen: 0, names: []string{"zero"}})
	var rw sync.WaitGroup
	seen := make([]int, 4)
	for r := 0; r < 4; r++ {
		rw.Add(1)
		go func(r int) {
			defer rw.Done()
			for i := 0; i < 30; i++ {
				c := current.Load().(*config)
				if len(c.names) == c.gen+1 {
					seen[r]++
				}
				runtime.Gosched()
			}
		}(r)
	}
	for gen := 1; gen <= 20; gen++ {
		old := current.Load().(*config)
		next := &config{gen: gen, names: append(append([]string{}, old.names...), fmt.Sprint("g", gen))}
		if !current.CompareAndSwap(old, next) {
			panic("lost a swap")
		}
		runtime.Gosched()
	}
	rw.Wait()
	last := current.Swap(&config{gen: -1}).(*config)
	fmt.Println("value", last.gen, len(last.names), last.names[20], seen, current.Load().(*config).gen)
}
