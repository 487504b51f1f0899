// Many goroutines, each blocked on a channel until main closes it: g descriptors, allgs growth,
// a sudog each, stacks from the stack pool; then the g's are reused by a second wave.
package main

import (
	"fmt"
	"runtime"
	"sync"
)

func wait(start <-chan struct{}, out chan<- int, i int, wg *sync.WaitGroup) {
	defer wg.Done()
	<-start
	out <- i
}

func wave(n int) int {
	start := make(chan struct{})
	out := make(chan int, n)
	var wg sync.WaitGroup
	for i := 0; i < n; i++ {
		wg.Add(1)
		go wait(start, out, i, &wg)
	}
	runtime.Gosched()
	fmt.Println("goroutines", runtime.NumGoroutine())
	close(start)
	wg.Wait()
	close(out)
	sum := 0
	for v := range out {
		sum += v
	}
	return sum
}

func main() {
	fmt.Println("first", wave(300))
	fmt.Println("second", wave(200))
}
