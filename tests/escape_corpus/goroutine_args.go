package main

// Arguments to a go statement are evaluated and copied to the new goroutine.
func worker(id int, name string, results chan<- string) {
	results <- name
	_ = id
}

func main() {
	results := make(chan string, 3)
	names := []string{"a", "b", "c"}
	for i, n := range names {
		go worker(i, n, results)
	}
	for range names {
		println(<-results)
	}
}
