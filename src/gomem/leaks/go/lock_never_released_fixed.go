// The fix: defer the Unlock right after the Lock, so every return path releases the mutex.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

type Cache struct {
	mu sync.Mutex
	m  map[int]string
}

func (c *Cache) Get(k int) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock() // runs on every return, the early one too
	v, ok := c.m[k]
	if !ok {
		return "", false
	}
	return v, ok
}

// handle answers one request on its own goroutine; the caller waits at most 100ms for it.
func handle(c *Cache, k int, reply chan<- string) {
	buf := make([]byte, 1024) // the request's working memory, alive while the goroutine is
	v, ok := c.Get(k)
	if !ok {
		v = "missing"
	}
	reply <- fmt.Sprintf("%s (%d bytes)", v, len(buf))
}

func main() {
	runtime.MemProfileRate = 1 // the heap profile records every allocation
	c := &Cache{m: map[int]string{0: "zero", 2: "two"}}
	for k := 0; k < 8; k++ {
		reply := make(chan string, 1)
		go handle(c, k, reply)
		select {
		case v := <-reply:
			fmt.Println("get", k, "->", v)
		case <-time.After(100 * time.Millisecond):
			fmt.Println("get", k, "-> timed out")
		}
		runtime.GC()
	}
}
