// A pipeline of goroutines joined by channels: generate, square (fanned out to three workers),
// merge (fan-in with a WaitGroup), sum.
package main

import (
	"fmt"
	"sync"
)

type msg struct {
	n    int
	note []byte
}

func gen(n int) <-chan *msg {
	out := make(chan *msg)
	go func() {
		for i := 1; i <= n; i++ {
			out <- &msg{n: i, note: make([]byte, 40)}
		}
		close(out)
	}()
	return out
}

func square(in <-chan *msg) <-chan int {
	out := make(chan int, 4)
	go func() {
		for m := range in {
			out <- m.n * m.n
		}
		close(out)
	}()
	return out
}

func merge(cs ...<-chan int) <-chan int {
	var wg sync.WaitGroup
	out := make(chan int)
	wg.Add(len(cs))
	for _, c := range cs {
		go func(c <-chan int) {
			defer wg.Done()
			for v := range c {
				out <- v
			}
		}(c)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func main() {
	src := gen(3000)
	sum := 0
	count := 0
	for v := range merge(square(src), square(src), square(src)) {
		sum += v
		count++
	}
	fmt.Println("count", count, "sum", sum)
}
