// A goroutine that re-takes a mutex at once would starve a waiter but for starvation mode: after
// 1 ms of waiting the waiter is handed the lock by Unlock.
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	var mu sync.Mutex
	var wg sync.WaitGroup
	counts := make([]int, 2)
	stop := make(chan struct{})
	// goroutine 0 holds the lock for long stretches and re-takes it at once; goroutine 1 waits.
	wg.Add(2)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
			}
			mu.Lock()
			counts[0]++
			time.Sleep(500 * time.Microsecond)
			mu.Unlock()
		}
	}()
	go func() {
		defer wg.Done()
		for i := 0; i < 10; i++ {
			mu.Lock()
			counts[1]++
			mu.Unlock()
			time.Sleep(100 * time.Microsecond)
		}
	}()
	time.Sleep(50 * time.Millisecond)
	close(stop)
	wg.Wait()
	fmt.Println("waiter got the lock", counts[1], "times; hog", counts[0] > 20)
	var m2 sync.Mutex
	m2.Lock()
	fmt.Println(m2.TryLock())
	m2.Unlock()
	fmt.Println(m2.TryLock())
}
