// Tickers, timers, AfterFunc and timeouts in select, on the clock (model time on gomem).
package main

import (
	"fmt"
	"sync"
	"time"
)

func main() {
	start := time.Now()
	tick := time.NewTicker(10 * time.Millisecond)
	defer tick.Stop()
	done := make(chan bool)
	var mu sync.Mutex
	fired := 0
	time.AfterFunc(35*time.Millisecond, func() {
		mu.Lock()
		fired++
		mu.Unlock()
		done <- true
	})
	n := 0
loop:
	for {
		select {
		case <-tick.C:
			n++
		case <-done:
			break loop
		}
	}
	fmt.Println("ticks", n, "fired", fired)

	timeout := time.After(50 * time.Millisecond)
	work := make(chan int)
	go func() {
		time.Sleep(20 * time.Millisecond)
		work <- 7
	}()
	select {
	case v := <-work:
		fmt.Println("work", v)
	case <-timeout:
		fmt.Println("timeout")
	}
	select {
	case v := <-work:
		fmt.Println("work", v)
	case <-time.After(5 * time.Millisecond):
		fmt.Println("timeout")
	}

	t := time.NewTimer(time.Hour)
	fmt.Println("stopped", t.Stop(), t.Stop())
	t.Reset(time.Millisecond)
	<-t.C
	fmt.Println("reset fired", len(t.C), cap(t.C))

	el := time.Since(start)
	fmt.Println(el >= 60*time.Millisecond, el < time.Second, start.Before(time.Now()))
	d := 1500 * time.Millisecond
	fmt.Println(d, d.Seconds(), d.Milliseconds(), time.Duration(1234567), -2*time.Hour, d.String())
}
