// The fix: copy the three elements into a slice of their own (slices.Clone does the same).
package main

import (
	"fmt"
	"runtime"
)

var top [][]int // the three best scores of every batch

// scores stands for a batch of results: 8192 ints, best first.
func scores(batch int) []int {
	s := make([]int, 8192)
	for i := range s {
		s[i] = batch*10000 + 8192 - i
	}
	return s
}

func main() {
	runtime.MemProfileRate = 1 // the heap profile records every allocation
	for batch := 0; batch < 8; batch++ {
		s := scores(batch)
		best := make([]int, 3)
		copy(best, s[:3]) // a copy: s's array can be freed
		top = append(top, best)
		runtime.GC()
	}
	fmt.Println(len(top), "batches, the last best", top[len(top)-1])
}
