// The forms a go statement takes: a method value, a function of no arguments, a func variable, an
// interface method, a closure over a loop variable; Once, RWMutex, TryLock.
package main

import (
	"fmt"
	"sync"
)

type counter struct {
	mu sync.Mutex
	n  int
}

func (c *counter) inc(wg *sync.WaitGroup) {
	defer wg.Done()
	c.mu.Lock()
	c.n++
	c.mu.Unlock()
}

func (c *counter) bump() { c.n += 100 }

var done = make(chan bool)

func noargs() { done <- true }

type job interface{ run(chan<- int) }
type sq int

func (s sq) run(out chan<- int) { out <- int(s) * int(s) }

func main() {
	var wg sync.WaitGroup
	c := &counter{}
	for i := 0; i < 5; i++ {
		wg.Add(1)
		go c.inc(&wg)
	}
	wg.Wait()
	go noargs()
	<-done
	f := func(x int) { done <- x > 0 }
	go f(3)
	fmt.Println(c.n, <-done)
	m := c.bump
	wg.Add(1)
	go func() { defer wg.Done(); m() }()
	wg.Wait()
	out := make(chan int, 3)
	var js []job = []job{sq(2), sq(3), sq(4)}
	for _, j := range js {
		go j.run(out)
	}
	s := 0
	for i := 0; i < 3; i++ {
		s += <-out
	}
	fmt.Println(c.n, s)
	results := make([]int, 4)
	for i := range results {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i] = i * 10
		}()
	}
	wg.Wait()
	fmt.Println(results)
	var once sync.Once
	for i := 0; i < 3; i++ {
		once.Do(func() { fmt.Println("once", i) })
	}
	ch := make(chan string)
	go func() {
		defer close(ch)
		for _, w := range []string{"a", "b", "c"} {
			ch <- w
		}
	}()
	for w := range ch {
		fmt.Print(w)
	}
	fmt.Println()
	var rw sync.RWMutex
	rw.RLock()
	rw.RLock()
	rw.RUnlock()
	rw.RUnlock()
	rw.Lock()
	rw.Unlock()
	fmt.Println("rw ok", c.mu.TryLock())
}
