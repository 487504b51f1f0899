package main

import "sync"

// A defer inside a loop is heap-allocated; a top-level defer is not.
func lockAll(mus []*sync.Mutex) int {
	n := 0
	for _, mu := range mus {
		mu.Lock()
		defer mu.Unlock()
		n++
	}
	return n
}

func withLock(mu *sync.Mutex, f func()) {
	mu.Lock()
	defer mu.Unlock()
	f()
}

func main() {
	a, b := &sync.Mutex{}, &sync.Mutex{}
	println(lockAll([]*sync.Mutex{a, b}))
	withLock(a, func() { println("locked") })
}
