// A deadlock between two goroutines: each holds one lock and waits for the other's.
package main

import (
	"fmt"
	"runtime"
	"sync"
	"time"
)

type Account struct {
	id      int
	mu      sync.Mutex
	balance int
	history []int
}

// transfer locks the source, then the destination: two opposite transfers can each hold one lock.
func transfer(from, to *Account, amount int, done chan<- bool) {
	from.mu.Lock()
	defer from.mu.Unlock()
	time.Sleep(10 * time.Millisecond) // some work while holding the first lock
	to.mu.Lock()
	defer to.mu.Unlock()
	from.balance -= amount
	to.balance += amount
	from.history = append(from.history, -amount)
	to.history = append(to.history, amount)
	done <- true
}

func main() {
	runtime.MemProfileRate = 1 // the heap profile records every allocation
	for round := 0; round < 8; round++ {
		a := &Account{id: 1, balance: 100, history: make([]int, 0, 256)}
		b := &Account{id: 2, balance: 100, history: make([]int, 0, 256)}
		done := make(chan bool, 2)
		go transfer(a, b, 10, done)
		go transfer(b, a, 20, done)
		finished := 0
		timeout := time.After(200 * time.Millisecond)
	wait:
		for finished < 2 {
			select {
			case <-done:
				finished++
			case <-timeout:
				break wait
			}
		}
		fmt.Printf("round %d: %d of 2 transfers finished\n", round, finished)
		runtime.GC()
	}
}
