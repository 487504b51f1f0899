package main

import "sync"

// merge fans several channels into one.
func merge(cs ...<-chan string) <-chan string {
	out := make(chan string)
	var wg sync.WaitGroup
	wg.Add(len(cs))
	for _, c := range cs {
		go func(c <-chan string) {
			defer wg.Done()
			for s := range c {
				out <- s
			}
		}(c)
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}

func source(words ...string) <-chan string {
	c := make(chan string, len(words))
	for _, w := range words {
		c <- w
	}
	close(c)
	return c
}

func main() {
	n := 0
	for range merge(source("a", "b"), source("c")) {
		n++
	}
	println(n)
}
