package main

// Returning the address of a local variable moves it to the heap.
func newCounter() *int {
	count := 0
	return &count
}

func increment(c *int) {
	*c++
}

func main() {
	c := newCounter()
	for i := 0; i < 3; i++ {
		increment(c)
	}
	println(*c)
}
