// The fix: Stop the ticker and tell its goroutine to return when the session ends.
package main

import (
	"fmt"
	"runtime"
	"time"
)

type Session struct {
	id    int
	buf   []byte // the session's state, kept alive by the heartbeat goroutine
	beats int
	quit  chan struct{}
}

// start begins a heartbeat every millisecond for the session, until stop.
func start(id int) *Session {
	s := &Session{id: id, buf: make([]byte, 4096), quit: make(chan struct{})}
	t := time.NewTicker(time.Millisecond)
	go func() {
		defer t.Stop() // no more ticks once the session is over
		for {
			select {
			case <-t.C:
				s.beats++
			case <-s.quit:
				return
			}
		}
	}()
	return s
}

// stop ends the heartbeat: its goroutine returns and the ticker stops.
func (s *Session) stop() { close(s.quit) }

func main() {
	runtime.MemProfileRate = 1 // the heap profile records every allocation
	for id := 0; id < 8; id++ {
		s := start(id)
		time.Sleep(3 * time.Millisecond) // the session does its work
		s.stop()
		fmt.Println("session", s.id, "done")
		runtime.GC()
	}
}
