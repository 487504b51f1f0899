package main

import "time"

// A background poller stopped through a done channel.
func poll(interval time.Duration, done <-chan struct{}, ticks *int) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-t.C:
			*ticks++
		case <-done:
			return
		}
	}
}

func main() {
	done := make(chan struct{})
	finished := make(chan bool)
	ticks := 0
	go func() {
		poll(time.Millisecond, done, &ticks)
		finished <- true
	}()
	time.Sleep(5 * time.Millisecond)
	close(done)
	<-finished
	println(ticks > 0)
}
