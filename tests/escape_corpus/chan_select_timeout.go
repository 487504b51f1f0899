package main

import "time"

type result struct {
	id  int
	err error
}

func worker(id int, done chan<- *result) {
	time.Sleep(time.Millisecond)
	done <- &result{id: id}
}

func main() {
	done := make(chan *result, 1)
	go worker(1, done)
	select {
	case r := <-done:
		println("done", r.id)
	case <-time.After(time.Second):
		println("timeout")
	}
}
