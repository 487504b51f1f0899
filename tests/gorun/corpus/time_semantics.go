// Go 1.23+ timer semantics: a ticker holds at most one tick, Stop and Reset leave no stale value,
// Reset reports whether the timer was pending, AfterFunc runs its function in a goroutine.
package main

import (
	"fmt"
	"time"
)

func pending(c <-chan time.Time) int {
	n := 0
	for {
		select {
		case <-c:
			n++
		default:
			return n
		}
	}
}

func main() {
	tk := time.NewTicker(time.Millisecond)
	time.Sleep(20 * time.Millisecond)
	fmt.Println("ticks waiting", pending(tk.C))
	tk.Stop()
	time.Sleep(5 * time.Millisecond)
	fmt.Println("after stop", pending(tk.C))
	tk.Reset(2 * time.Millisecond)
	<-tk.C
	fmt.Println("ticking again")
	tk.Stop()

	t := time.NewTimer(time.Millisecond)
	time.Sleep(5 * time.Millisecond)
	fmt.Println("reset of fired", t.Reset(time.Hour))
	fmt.Println("stale value", pending(t.C))
	fmt.Println("reset of pending", t.Reset(time.Millisecond))
	<-t.C
	fmt.Println("stop of fired", t.Stop())

	done := make(chan string)
	f := time.AfterFunc(3*time.Millisecond, func() { done <- "ran" })
	fmt.Println(<-done, f.Stop())
	g := time.AfterFunc(time.Hour, func() { done <- "never" })
	fmt.Println("stopped", g.Stop())
	var nilTimer <-chan time.Time = time.Tick(0)
	fmt.Println(nilTimer == nil)
}
