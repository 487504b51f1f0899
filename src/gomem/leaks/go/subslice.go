// Subslice retention: a short subslice keeps the whole backing array it was cut from alive.
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
		best := s[:3] // the leak: best shares s's 64 KiB backing array
		top = append(top, best)
		runtime.GC()
	}
	fmt.Println(len(top), "batches, the last best", top[len(top)-1])
}
