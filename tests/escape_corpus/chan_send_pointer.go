package main

type Job struct {
	ID      int
	Payload string
}

// Sending a pointer on a channel: the pointee escapes.
func produce(out chan<- *Job, n int) {
	for i := 0; i < n; i++ {
		j := Job{ID: i, Payload: "work"}
		out <- &j
	}
	close(out)
}

func main() {
	jobs := make(chan *Job, 4)
	go produce(jobs, 4)
	for j := range jobs {
		println(j.ID, j.Payload)
	}
}
