package main

import "sync"

// A buffered channel used as a semaphore to bound concurrency.
func fetchAll(urls []string, limit int) []int {
	sem := make(chan struct{}, limit)
	sizes := make([]int, len(urls))
	var wg sync.WaitGroup
	for i, u := range urls {
		wg.Add(1)
		sem <- struct{}{}
		go func(i int, u string) {
			defer wg.Done()
			defer func() { <-sem }()
			sizes[i] = len(u) * 100
		}(i, u)
	}
	wg.Wait()
	return sizes
}

func main() {
	s := fetchAll([]string{"a.example", "b.example", "c.example"}, 2)
	println(s[0] + s[1] + s[2])
}
