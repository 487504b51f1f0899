// sync.Pool: a first Get and Put (what pinSlow allocates), reuse from the private slot and the
// shared chain, the victim cache after one GC and a fresh value after two more, a Pool without New;
// then requests that each borrow a scratch buffer (a GC between batches) and keep only their result.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

type buf struct {
	id   int
	data [120]byte
}

var made int

func newBuf() any {
	made++
	return &buf{id: made}
}

var pool = sync.Pool{New: newBuf}

func mallocs() uint64 {
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	return ms.Mallocs
}

func main() {
	fmt.Println("start")
	m0 := mallocs()
	b := pool.Get().(*buf)
	m1 := mallocs()
	pool.Put(b)
	m2 := mallocs()
	fmt.Println("first get", b.id, m1-m0, "first put", m2-m1)
	c := pool.Get().(*buf)
	fmt.Println("reuse", c.id == b.id)
	var held []*buf
	for i := 0; i < 20; i++ {
		held = append(held, pool.Get().(*buf))
	}
	m3 := mallocs()
	for _, h := range held {
		pool.Put(h)
	}
	m4 := mallocs()
	fmt.Println("made", made, "puts of 20 malloc", m4-m3)
	runtime.GC()
	x := pool.Get().(*buf)
	fmt.Println("after one GC from victim", x.id, made)
	runtime.GC()
	runtime.GC()
	y := pool.Get().(*buf)
	fmt.Println("after three GCs new", y.id, made)
	var p2 sync.Pool
	fmt.Println("no New", p2.Get() == nil)
	p2.Put(nil)
	p2.Put("hello")
	p2.Put(42)
	fmt.Println(p2.Get(), p2.Get(), p2.Get())

	// requests: a scratch buffer from the pool each, the result copied out of it
	var results []string
	for batch := 0; batch < 4; batch++ {
		before := made
		for r := 0; r < 100; r++ {
			b := pool.Get().(*buf)
			n := 0
			for n < 96 {
				b.data[n] = byte('a' + (batch*7+r+n)%26)
				n++
			}
			results = append(results, string(b.data[:n]))
			pool.Put(b)
		}
		fmt.Println("batch", batch, "new buffers", made-before, "results", len(results))
		if batch%2 == 1 {
			runtime.GC()
		}
	}
	fmt.Println(results[0][:8], results[399][:8])
}
