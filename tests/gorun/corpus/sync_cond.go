// sync.Cond: a bounded queue (two conditions on one mutex) between producers and consumers, then
// waiters woken one by Signal and the rest by Broadcast, in the order Go wakes them.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

type item struct {
	from, seq int
	payload   []byte
}

type queue struct {
	mu       sync.Mutex
	notEmpty *sync.Cond
	notFull  *sync.Cond
	items    []*item
	limit    int
	closed   bool
	waits    int
}

func newQueue(limit int) *queue {
	q := &queue{limit: limit}
	q.notEmpty = sync.NewCond(&q.mu)
	q.notFull = sync.NewCond(&q.mu)
	return q
}

func (q *queue) put(it *item) {
	q.mu.Lock()
	for len(q.items) == q.limit {
		q.waits++
		q.notFull.Wait()
	}
	q.items = append(q.items, it)
	q.notEmpty.Signal()
	q.mu.Unlock()
}

func (q *queue) get() (*item, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for len(q.items) == 0 && !q.closed {
		q.waits++
		q.notEmpty.Wait()
	}
	if len(q.items) == 0 {
		return nil, false
	}
	it := q.items[0]
	q.items = q.items[1:]
	q.notFull.Signal()
	return it, true
}

func (q *queue) close() {
	q.mu.Lock()
	q.closed = true
	q.notEmpty.Broadcast()
	q.mu.Unlock()
}

func main() {
	q := newQueue(4)
	var producers, consumers sync.WaitGroup
	for p := 0; p < 3; p++ {
		producers.Add(1)
		go func(p int) {
			defer producers.Done()
			for i := 0; i < 300; i++ {
				q.put(&item{from: p, seq: i, payload: make([]byte, 256+i)})
			}
		}(p)
	}
	got := make([]int, 3)
	bytes := make([]int, 3)
	for c := 0; c < 2; c++ {
		consumers.Add(1)
		go func(c int) {
			defer consumers.Done()
			for {
				it, ok := q.get()
				if !ok {
					return
				}
				q.mu.Lock()
				got[it.from]++
				bytes[c] += len(it.payload)
				q.mu.Unlock()
			}
		}(c)
	}
	producers.Wait()
	q.close()
	consumers.Wait()
	fmt.Println("per producer", got, "bytes per consumer", bytes, "total", bytes[0]+bytes[1])
	fmt.Println("waited", q.waits > 0)

	var mu sync.Mutex
	cond := sync.NewCond(&mu)
	waiting := 0
	var woke []int
	for i := 0; i < 5; i++ {
		go func(i int) {
			mu.Lock()
			waiting++
			cond.Wait()
			woke = append(woke, i)
			mu.Unlock()
		}(i)
	}
	for {
		mu.Lock()
		n := waiting
		mu.Unlock()
		if n == 5 {
			break
		}
		runtime.Gosched()
	}
	mu.Lock()
	cond.Signal()
	mu.Unlock()
	runtime.Gosched()
	mu.Lock()
	fmt.Println("after Signal", woke)
	cond.Broadcast()
	mu.Unlock()
	for {
		mu.Lock()
		n := len(woke)
		mu.Unlock()
		if n == 5 {
			break
		}
		runtime.Gosched()
	}
	fmt.Println("after Broadcast", woke)
	cond.Signal() // nobody waits: a no-op
	cond.Broadcast()
	fmt.Println("done")
}
