// A ticker never stopped: each session starts a heartbeat that nothing ever ends.
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
}

// start begins a heartbeat every millisecond for the session.
func start(id int) *Session {
	s := &Session{id: id, buf: make([]byte, 4096)}
	t := time.NewTicker(time.Millisecond)
	go func() {
		for range t.C { // the leak: nothing stops t, so this loop never ends
			s.beats++
		}
	}()
	return s
}

func main() {
	runtime.MemProfileRate = 1 // the heap profile records every allocation
	for id := 0; id < 8; id++ {
		s := start(id)
		time.Sleep(3 * time.Millisecond) // the session does its work
		fmt.Println("session", s.id, "done")
		runtime.GC()
	}
}
