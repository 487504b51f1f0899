// The fix: every goroutine takes the two locks in the same order (lower account id first).
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

// transfer locks the account with the lower id first, whichever way the money goes.
func transfer(from, to *Account, amount int, done chan<- bool) {
	first, second := from, to
	if second.id < first.id {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	time.Sleep(10 * time.Millisecond) // some work while holding the first lock
	second.mu.Lock()
	defer second.mu.Unlock()
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
