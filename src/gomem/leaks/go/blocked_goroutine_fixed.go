// The fix: close the channel when there is no more work, so the worker's range loop ends.
package main

import (
	"fmt"
	"runtime"
)

// squares hands nums to a worker goroutine one at a time and collects the answers.
func squares(nums []int) []int {
	in := make(chan int)
	out := make(chan int)
	go func() {
		for n := range in { // ends when in is closed
			out <- n * n
		}
	}()
	defer close(in) // no more work: the worker's loop ends and the goroutine exits
	res := make([]int, 0, len(nums))
	for _, n := range nums {
		in <- n
		res = append(res, <-out)
	}
	return res
}

func main() {
	runtime.MemProfileRate = 1 // the heap profile records every allocation
	total := 0
	for round := 0; round < 8; round++ {
		for _, v := range squares([]int{round, round + 1, round + 2}) {
			total += v
		}
		runtime.GC()
	}
	fmt.Println("sum of squares:", total)
}
