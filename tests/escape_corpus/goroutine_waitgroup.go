package main

import "sync"

// Goroutines capturing a WaitGroup and a results slice.
func parallelSquares(xs []int) []int {
	out := make([]int, len(xs))
	var wg sync.WaitGroup
	for i, x := range xs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			out[i] = x * x
		}()
	}
	wg.Wait()
	return out
}

func main() {
	r := parallelSquares([]int{1, 2, 3, 4})
	println(r[3])
}
