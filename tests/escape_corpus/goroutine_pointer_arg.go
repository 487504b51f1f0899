package main

type Task struct {
	ID   int
	Done bool
}

func run(t *Task, done chan<- int) {
	t.Done = true
	done <- t.ID
}

// Passing a pointer to a go'd function makes the pointee escape.
func main() {
	done := make(chan int)
	t := Task{ID: 9}
	go run(&t, done)
	println(<-done, t.Done)
}
