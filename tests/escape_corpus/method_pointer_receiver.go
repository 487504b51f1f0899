package main

type Counter struct {
	hits map[string]int
	n    int
}

func (c *Counter) Inc(key string) {
	c.n++
	c.hits[key]++
}

func (c *Counter) Total() int { return c.n }

// Calling pointer methods on a local value does not move it to the heap.
func main() {
	c := Counter{hits: make(map[string]int)}
	c.Inc("a")
	c.Inc("b")
	c.Inc("a")
	println(c.Total(), c.hits["a"])
}
